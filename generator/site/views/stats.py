"""Statistics pages: an index, and one page per section with a chart and a table per table."""

from __future__ import annotations

from ...outputs.charts import bar_chart
from ...outputs.statistics import sections
from ..render import render


def stats_pages(kb, ctx, scope=None, preview=None):
    if scope is not None:  # recounted over every entry: a preview keeps them until it restarts
        return
    lang = ctx.lang
    found = sections(kb, ctx.published, lang.code)
    yield render(ctx, "stats_index.html", "stats/index.md", lang.t("nav-stats"), in_nav=True, hide=("toc",),
                 description=lang.t("stats-description"),
                 sections=[(f"stats/{sid}.md", title, desc) for sid, title, desc, _ in found])
    for sid, title, desc, tables in found:
        shown = []
        for t in tables:
            rows = t.chart_rows()
            chart = ""
            if len(rows) > 1 or t.id != "totals":
                what = t.headers[t.chart_column]
                alt = lang.t("chart-alt", title=t.title, what=what, n=len(rows),
                                 total=f"{sum(v for _, v in rows):,}", unit=t.unit)
                chart = bar_chart(f"kb-chart-{sid}-{t.id}", t.title, alt, rows[:30], t.unit, lang.code)
            shown.append((t, chart))
        yield render(ctx, "stats_page.html", f"stats/{sid}.md", title, description=desc, desc=desc, tables=shown)
