"""Static SVG charts: no script, readable on a phone, titled for screen readers.

Every chart sits next to a table with the same numbers (the text alternative);
the SVG carries a title and a description naming the totals.
"""

from __future__ import annotations

from . import escape

# One colour per kind, each at least 3:1 against white (WCAG 1.4.11, graphics).
KIND_COLOURS = {
    "conference-report": "#00796b", "tool": "#e65100", "outreach": "#5e35b1", "lesson-plan": "#c2185b",
    "idea": "#2e7d32", "answer": "#1565c0", "guide": "#6d4c41", "job": "#455a64", "exchange": "#8d6e00",
    "partnership": "#283593",
}
BAR = "#00695c"


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def _clip(label: str, limit: int) -> str:
    """Labels are cut to fit the label column (the full text stays in the bar's title)."""
    width = 0
    for i, ch in enumerate(label):
        width += 2 if ord(ch) > 0x2E80 else 1
        if width > limit:
            return label[:i] + "…"
    return label


def bar_chart(chart_id: str, title: str, desc: str, rows: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart. Its coordinate space is phone-sized (360 wide), so text stays
    legible when a phone shows it at full width; CSS caps its width on larger screens."""
    width, label_w, value_w, row_h, top = 360, 132, 52, 26, 8
    bar_area = width - label_w - value_w - 8
    peak = max([v for _, v in rows] + [1])
    height = top * 2 + row_h * max(len(rows), 1)
    cid = escape.text(chart_id)
    out = [f'<svg class="kb-chart kb-bar-chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="{cid}-title {cid}-desc" xmlns="http://www.w3.org/2000/svg" '
           f'font-family="sans-serif" font-size="12">',
           f'<title id="{cid}-title">{escape.text(title)}</title>',
           f'<desc id="{cid}-desc">{escape.text(desc)}</desc>']
    if not rows:
        out.append(f'<text x="{width / 2}" y="{top + 16}" text-anchor="middle" fill="#333">目前沒有資料</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = bar_area * value / peak if peak else 0
        out.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" fill="#222">'
                   f'{escape.text(_clip(str(label), 20))}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 5}" width="{max(w, 1 if value else 0):.1f}" height="{row_h - 10}" '
                   f'fill="{BAR}"><title>{escape.text(str(label))}：{_fmt(value)}{escape.text(unit)}</title></rect>')
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 17}" fill="#222">{_fmt(value)}</text>')
    out.append("</svg>")
    return "".join(out)
