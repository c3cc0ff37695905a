"""Static SVG charts: no script, readable on a phone, titled for screen readers.

Every chart sits next to a table with the same numbers (the text alternative);
the SVG carries a title and a description naming the totals.
"""

from __future__ import annotations

from ..model.facts import in_language

import re
import unicodedata

from ..core import escape

BAR = "#00695c"


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


# -- measuring text -----------------------------------------------------------------------
# SVG text is not wrapped or clipped by the browser, and the font is the reader's sans-serif,
# so every label is measured here with widths (in em) no common sans-serif exceeds: a
# Chinese character is one em, Latin letters ~0.6 em (the wide ones a full em).
_EM = {**{c: 0.32 for c in " ijl.,:;'!|"}, **{c: 0.42 for c in "fIrt()[]{}-/\\\"`"},
       **{c: 1.0 for c in "mwMW%@#&"}}
_UPPER, _LOWER, _DIGIT, _OTHER = 0.8, 0.64, 0.64, 0.7


def char_width(ch: str, font_size: float = 12) -> float:
    """The widest a character is drawn in a sans-serif font at ``font_size``."""
    if ch in _EM:
        em = _EM[ch]
    elif unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        em = 0.0
    elif unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        em = 1.0  # Chinese, full-width forms, and what CJK fonts draw full width (…, ·)
    elif "A" <= ch <= "Z":
        em = _UPPER
    elif "a" <= ch <= "z":
        em = _LOWER
    elif ch.isdigit():
        em = _DIGIT
    elif ch.isalpha():
        em = _UPPER  # other scripts: take a capital's width
    else:
        em = _OTHER
    return em * font_size


def text_width(text: str, font_size: float = 12) -> float:
    """The estimated width of a line of text in user units (never less than it is drawn)."""
    return sum(char_width(ch, font_size) for ch in text)


# Chinese punctuation that may not start a line, and that may not end one.
_NO_LINE_START = set("，。、；：？！）」』】〉》〕,.;:?!)]}…%")
_NO_LINE_END = set("（「『【〈《〔([{")
_WORD = re.compile(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]+|.", re.S)


def _tokens(text: str) -> list[str]:
    """Units a line may break between: a run of spaces, a Latin word, a Chinese character
    (with the punctuation that has to stay next to it)."""
    tokens: list[str] = []
    for tok in _WORD.findall(text):
        if tokens and not tokens[-1].isspace() and (tok[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
            tokens[-1] += tok
        else:
            tokens.append(tok)
    return tokens


def _cut(text: str, limit: float, font_size: float) -> tuple[str, str]:
    """The longest head of ``text`` no wider than ``limit`` (at least one character), and the rest."""
    width = 0.0
    for i, ch in enumerate(text):
        width += char_width(ch, font_size)
        if width > limit and i > 0:
            return text[:i], text[i:]
    return text, ""


def wrap(text: str, limit: float, max_lines: int = 2, font_size: float = 12) -> list[str]:
    """``text`` in at most ``max_lines`` lines each no wider than ``limit``: broken between
    words or Chinese characters, a word longer than a line broken inside, lines of about
    the same length; what does not fit in the last line is cut and ends with …"""
    lines, cut = _fill(text, limit, max_lines, font_size)
    if cut or len(lines) < 2:
        return lines
    low, high = text_width(" ".join(text.split()), font_size) / len(lines), limit
    for _ in range(10):  # the narrowest measure that still takes no more lines: balanced lines
        middle = (low + high) / 2
        narrower, cut = _fill(text, middle, len(lines), font_size)
        if cut:
            low = middle
        else:
            high, lines = middle, narrower
    return lines


def _fill(text: str, limit: float, max_lines: int, font_size: float) -> tuple[list[str], bool]:
    """Lines filled greedily, and whether the text had to be cut."""
    rest = _tokens(" ".join(text.split()))
    lines: list[str] = []  # as filled, with the space a line was broken at
    while rest and len(lines) < max_lines:
        line = ""
        while rest:
            tok = rest[0]
            if tok.isspace() and not line:
                rest.pop(0)
            elif tok.isspace() or text_width(line + tok, font_size) <= limit:
                line += rest.pop(0)
            elif not line:  # a word wider than the line: break inside it
                line, rest[0] = _cut(tok, limit, font_size)
                if not rest[0]:
                    rest.pop(0)
                break
            else:
                break
        lines.append(line)
    if rest:  # more than max_lines: the last line ends with an ellipsis
        head, _ = _cut(lines[-1] + "".join(rest), limit - char_width("…", font_size), font_size)
        lines[-1] = head.rstrip() + "…"
    return [line.rstrip() for line in lines] or [""], bool(rest)


# -- the bar chart ------------------------------------------------------------------------
FONT_SIZE = 12
LINE_H = 14  # distance between the baselines of a label's lines
LABEL_LINES = 2  # a label wraps onto at most this many lines, then it is cut with …


def bar_chart(chart_id: str, title: str, desc: str, rows: list[tuple[str, float]], unit: str = "",
              lang: str = "zh-TW") -> str:
    """A horizontal bar chart. Its coordinate space is phone-sized (360 wide), so text stays
    legible when a phone shows it at full width; CSS caps its width on larger screens.

    A label is right-aligned in a column of ``label_w`` units and wraps onto two lines
    (the row grows), so no label runs past the left edge; the full label is in the bar's title."""
    width, label_w, row_h, top, gap = 360, 132, 26, 8, 6
    label_room = label_w - gap - 2  # the text ends at label_w - gap and keeps 2 units from the edge
    value_w = max([52] + [text_width(_fmt(v), FONT_SIZE) + 8 for _, v in rows])
    bar_area = width - label_w - value_w - 8
    peak = max([v for _, v in rows] + [1])
    labels = [wrap(str(label), label_room, LABEL_LINES, FONT_SIZE) for label, _ in rows]
    heights = [row_h + LINE_H * (len(lines) - 1) for lines in labels]
    height = top * 2 + (sum(heights) if rows else row_h)
    cid = escape.text(chart_id)
    out = [f'<svg class="kb-chart kb-bar-chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="{cid}-title {cid}-desc" xmlns="http://www.w3.org/2000/svg" '
           f'font-family="sans-serif" font-size="{FONT_SIZE}">',
           f'<title id="{cid}-title">{escape.text(title)}</title>',
           f'<desc id="{cid}-desc">{escape.text(desc)}</desc>']
    if not rows:
        out.append(f'<text x="{width / 2}" y="{top + 16}" text-anchor="middle" fill="#333">{in_language(lang, "目前沒有資料", "No data yet")}</text>')
    y = top
    for (label, value), lines, h in zip(rows, labels, heights):
        middle = y + h / 2
        baseline = middle + 4 - LINE_H * (len(lines) - 1) / 2  # the lines are centred on the bar
        w = bar_area * value / peak if peak else 0
        x = label_w - gap
        spans = "".join(f'<tspan x="{x}" dy="{0 if i == 0 else LINE_H}">{escape.text(line)}</tspan>'
                        for i, line in enumerate(lines))
        out.append(f'<text x="{x}" y="{baseline:g}" text-anchor="end" fill="#222">{spans}</text>')
        out.append(f'<rect x="{label_w}" y="{middle - 8:g}" width="{max(w, 1 if value else 0):.1f}" height="16" '
                   f'fill="{BAR}"><title>{escape.text(str(label))}{in_language(lang, "：", ": ")}{_fmt(value)}{escape.text(unit)}</title></rect>')
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{middle + 4:g}" fill="#222">{_fmt(value)}</text>')
        y += h
    out.append("</svg>")
    return "".join(out)
