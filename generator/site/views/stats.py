"""Statistics pages: an index, and one page per section with a chart and a table per table."""

from __future__ import annotations

from ...outputs.charts import bar_chart
from ...outputs.statistics import sections
from ..render import render


def stats_pages(kb, ctx, scope=None, preview=None):
    if scope is not None:  # recounted over every entry: a preview keeps them until it restarts
        return
    found = sections(kb, ctx.published)
    yield render(ctx, "stats_index.html", "stats/index.md", "統計", in_nav=True, hide=("toc",),
                 description="由條目的欄位自動計算的統計，每次建置都重新產生。",
                 sections=[(f"stats/{sid}.md", title, desc) for sid, title, desc, _ in found])
    for sid, title, desc, tables in found:
        shown = []
        for t in tables:
            rows = t.chart_rows()
            chart = ""
            if len(rows) > 1 or t.id != "totals":
                what = t.headers[t.chart_column]
                alt = (f"長條圖：{t.title}，{what}，共 {len(rows)} 項、合計 {sum(v for _, v in rows):,}"
                       f"{t.unit}；數字見下方表格。")
                chart = bar_chart(f"kb-chart-{sid}-{t.id}", t.title, alt, rows[:30], t.unit)
            shown.append((t, chart))
        yield render(ctx, "stats_page.html", f"stats/{sid}.md", title, description=desc, desc=desc, tables=shown)
