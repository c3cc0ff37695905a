"""Recognition of contributors: who wrote and updated which public entries, and when.

Computed from the one-pass Git history; only public entries count, so an
internal entry never shows up through its authors. Contributors are named,
never shown by e-mail address.
"""

from __future__ import annotations

from ..model.facts import in_language

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..core import escape
from ..kinds import KINDS
from ..knowledge.history import Author
from ..model.siteinfo import TAIPEI
from ..validation.entry import Entry
from .charts import text_width, wrap


@dataclass
class Contributor:
    author: Author
    written: list[Entry] = field(default_factory=list)  # entries whose first commit is theirs
    updated: list[Entry] = field(default_factory=list)  # entries they changed later
    first: dt.datetime | None = None  # first contribution to a public entry
    by_year: Counter = field(default_factory=Counter)  # year -> entries contributed to that year

    @property
    def score(self) -> tuple[int, int]:
        return (len(self.written), len(self.updated))


def contributors(kb, ctx) -> list[Contributor]:
    """Every contributor to a public entry, with what they did."""
    people: dict[str, Contributor] = {}
    for e in kb.public:
        h = ctx.entry_history(e)
        if h is None:
            continue
        first_key = h.first_author.key if h.first_author else None
        years_by_author: dict[str, set[int]] = defaultdict(set)
        for author, when in h.contributions:
            c = people.setdefault(author.key, Contributor(author=author))
            when_local = when.astimezone(TAIPEI)
            c.first = when_local if c.first is None or when_local < c.first else c.first
            years_by_author[author.key].add(when_local.year)
        for author in h.authors:
            c = people[author.key]
            (c.written if author.key == first_key else c.updated).append(e)
            for y in years_by_author[author.key]:
                c.by_year[y] += 1
    # the newest name for an address (after .mailmap) is the one shown
    return sorted(people.values(), key=lambda c: (-c.score[0], -c.score[1], c.author.name))


def monthly_additions(kb, ctx, months: int = 24) -> tuple[list[str], dict[str, list[int]]]:
    """Entries first published per month and kind, for the last ``months`` months."""
    end = ctx.site.now_date().replace(day=1)
    labels = []
    y, m = end.year, end.month
    for _ in range(months):
        labels.append(f"{y:04d}-{m:02d}")
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    labels.reverse()
    index = {label: i for i, label in enumerate(labels)}
    counts = {k: [0] * months for k in KINDS}
    for e in kb.public:
        if ctx.entry_history(e) is None:
            continue
        key = ctx.published(e).strftime("%Y-%m")
        if key in index:
            counts[e.kind.id][index[key]] += 1
    return labels, counts


LEGEND_SWATCH, LEGEND_GAP = 16, 20  # a legend item: swatch and space, its name, space to the next


def activity_svg(labels: list[str], counts: dict[str, list[int]], lang: str = "zh-TW") -> str:
    """A stacked bar chart as static SVG: no script, scales to any width, titled for screen readers.

    Text is measured (:func:`generator.outputs.charts.text_width`): the axis numbers get the room they
    need left of the plot, and the legend has as many equal columns per row as its widest name allows."""
    width, top = 720, 16
    n = len(labels)
    totals = [sum(counts[k][i] for k in counts) for i in range(n)]
    peak = max(totals + [1])
    step = max(1, -(-peak // 4))  # 4 grid lines, rounded up
    peak = step * 4
    left = max(36, int(text_width(str(peak))) + 10)  # the widest axis number ends 6 units left of the plot
    zh = lang.startswith("zh")
    kind_name = {k: KINDS[k].zh if zh else KINDS[k].en for k in counts}
    names = {k: wrap(kind_name[k], width - left - 8 - LEGEND_SWATCH, 1)[0] for k in counts}
    column = LEGEND_SWATCH + max([text_width(name) for name in names.values()] + [0]) + LEGEND_GAP
    per_row = max(1, int((width - left - 8 + LEGEND_GAP) // column))
    legend_rows = -(-len(counts) // per_row)
    bottom = 32 + 20 * legend_rows
    height = 252 + bottom
    plot_w, plot_h = width - left - 8, height - top - bottom
    bar_w = plot_w / max(n, 1)
    out = [f'<svg class="kb-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="kb-chart-title kb-chart-desc" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">',
           f'<title id="kb-chart-title">{in_language(lang, "每月新增條目（依種類）", "New entries per month, by kind")}</title>',
           '<desc id="kb-chart-desc">' + in_language(
               lang, f"{labels[0]} 至 {labels[-1]} 每月首次發布的公開條目數，共 {sum(totals)} 筆；詳細數字見下方表格。",
               f"Public entries first published each month from {labels[0]} to {labels[-1]}, {sum(totals)} in all; "
               "the numbers are in the table below.") + '</desc>']
    for g in range(5):
        y = top + plot_h - plot_h * g / 4
        out.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{step * g}</text>')
    for i, label in enumerate(labels):
        x = left + i * bar_w
        base: float = top + plot_h
        for kind_id, series in counts.items():
            v = series[i]
            if not v:
                continue
            h = plot_h * v / peak
            base -= h
            out.append(f'<rect x="{x + bar_w * 0.15:.1f}" y="{base:.1f}" width="{bar_w * 0.7:.1f}" height="{h:.1f}" '
                       f'fill="{KINDS[kind_id].colour}"><title>{label} {escape.text(kind_name[kind_id])}{in_language(lang, "：", ": ")}{v}</title></rect>')
        first_year_label = i == 0 and not any(other.endswith("-01") for other in labels[1:3])
        if label.endswith("-01") or first_year_label:
            out.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#333">'
                       f'{label[:4]}</text>')
    for n, kind_id in enumerate(counts):
        lx = left + (n % per_row) * column
        ly = height - 20 * (legend_rows - n // per_row)
        out.append(f'<rect x="{lx:g}" y="{ly + 2}" width="12" height="12" fill="{KINDS[kind_id].colour}"/>')
        out.append(f'<text x="{lx + LEGEND_SWATCH:g}" y="{ly + 12}" fill="#333">{escape.text(names[kind_id])}</text>')
    out.append("</svg>")
    return "".join(out)
