"""Chart labels fit their column: they wrap onto two lines instead of running past the edge."""

import xml.etree.ElementTree as ET

import pytest

from generator.kinds import KINDS
from generator.outputs.charts import bar_chart, text_width, wrap
from generator.outputs.recognition import activity_svg

SVG = "{http://www.w3.org/2000/svg}"

LONG_CJK = "國立高雄科技大學圖書資訊處暨數位學習與出版中心"
LONG_LATIN = "National Kaohsiung University of Science and Technology Library"
MIXED = "國立臺灣大學圖書館 IFLA WLIC 2023 Rotterdam 參訪報告"
LABELS = {
    "reported": "國立高雄科技大學圖書館",  # lost its first character at the left edge
    "long-cjk": LONG_CJK,
    "long-latin": LONG_LATIN,
    "mixed": MIXED,
    "one-long-word": "Supercalifragilisticexpialidociousness-of-catalogues",
    "capitals": "WWW MMM WWW MMM WWW MMM WWW",
    "punctuation": "國立公共資訊圖書館（總館）、國家圖書館「漢學研究中心」",
    "markup": "<A & B> `code` *x* [y](z) | 100%",
    "short": "歐洲",
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def label_lines(root: ET.Element) -> list[tuple[ET.Element, list[ET.Element]]]:
    """The right-aligned label texts and their lines."""
    return [(t, t.findall(f"{SVG}tspan")) for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]


def chart(*labels: str, values=None) -> ET.Element:
    values = values or [10 * (i + 1) for i in range(len(labels))]
    return parse(bar_chart("kb-chart-t", "標題", "說明", list(zip(labels, values)), "筆"))


def test_width_estimate_counts_chinese_as_one_em_and_latin_narrower():
    assert text_width("國") == 12 and text_width("國立高雄") == 48
    assert 6.5 <= text_width("a") < 12 and text_width("W") == 12
    assert text_width("國", font_size=24) == 24


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_label_line_fits_in_the_label_column(name):
    label = LABELS[name]
    root = chart(label)
    [(text, lines)] = label_lines(root)
    assert 1 <= len(lines) <= 2
    for line in lines:
        x = float(line.get("x"))
        assert x <= 132  # the label column ends where the bars start
        assert x - text_width(line.text or "") >= 0, (line.text, x, text_width(line.text or ""))


@pytest.mark.parametrize("name", sorted(LABELS))
def test_the_label_is_not_lost(name):
    label = LABELS[name]
    root = chart(label)
    [(text, lines)] = label_lines(root)
    [bar] = root.iter(f"{SVG}rect")
    assert bar.find(f"{SVG}title").text == f"{label}：10筆"  # the full label, for a pointer and a screen reader
    shown = "".join(line.text for line in lines)
    squeezed = "".join(label.split())
    if shown.endswith("…"):  # cut after two lines: what is shown is the start of the label
        assert squeezed.startswith("".join(shown[:-1].split()))
        assert len("".join(shown.split())) > len(squeezed) // 3
    else:
        assert "".join(shown.split()) == squeezed


def test_the_reported_label_keeps_its_first_character():
    [(text, lines)] = label_lines(chart(LABELS["reported"]))
    assert lines[0].text.startswith("國立") and "".join(line.text for line in lines) == LABELS["reported"]


def test_wrapped_rows_grow_and_do_not_overlap():
    root = chart("短", LONG_CJK, LONG_LATIN, "短")
    height = float(root.get("viewBox").split()[3])
    bars = list(root.iter(f"{SVG}rect"))
    assert [b.find(f"{SVG}title").text.split("：")[0] for b in bars] == ["短", LONG_CJK, LONG_LATIN, "短"]
    previous_bottom = 0.0
    for (text, lines), bar in zip(label_lines(root), bars):
        first = float(text.get("y"))
        last = first + sum(float(line.get("dy")) for line in lines)
        assert first - 12 >= previous_bottom  # this label starts below the one before
        bar_top, bar_bottom = float(bar.get("y")), float(bar.get("y")) + float(bar.get("height"))
        assert first - 12 <= bar_bottom and last >= bar_top  # the label sits beside its bar
        previous_bottom = max(last + 4, bar_bottom)
    assert previous_bottom <= height


def test_values_stay_inside_the_chart():
    root = chart("甲", "乙", values=[1234567.5, 3])
    width = float(root.get("viewBox").split()[2])
    for t in root.iter(f"{SVG}text"):
        if t.get("text-anchor") is None:
            assert float(t.get("x")) + text_width(t.text) <= width, t.text


def test_wrap_breaks_between_words_and_balances_lines():
    assert wrap("American Library Association", 124) == ["American Library", "Association"]
    lines = wrap("國立高雄科技大學圖書館", 124)
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 1
    assert wrap("歐洲", 124) == ["歐洲"]
    assert wrap(LONG_LATIN, 124, max_lines=1)[0].endswith("…")
    assert not any(line.startswith(("，", "）", "、", "」")) for line in wrap(LABELS["punctuation"], 60, 5))


def test_empty_chart_still_renders():
    root = parse(bar_chart("kb-chart-t", "標題", "說明", []))
    assert "目前沒有資料" in "".join(root.itertext())


@pytest.mark.parametrize("peak", [3, 120, 12_000])
def test_activity_chart_axis_numbers_and_legend_fit(peak):
    labels = [f"2024-{m:02d}" for m in range(1, 13)]
    counts = {k: [0] * 12 for k in KINDS}
    counts[next(iter(KINDS))][5] = peak
    root = parse(activity_svg(labels, counts))
    width = float(root.get("viewBox").split()[2])
    texts = list(root.iter(f"{SVG}text"))
    legend = [t for t in texts if t.text in {k.zh for k in KINDS.values()}]
    assert len(legend) == len(KINDS)  # every kind named in full
    for t in texts:
        x, w = float(t.get("x")), text_width(t.text)
        anchor = t.get("text-anchor")
        start = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        assert start >= 0 and start + w <= width, (t.text, start, w)
    # As few legend rows as the names allow: every row but the last is full, and a full row has
    # no room for one more name (however many kinds there are).
    rows: dict = {}
    for t in legend:
        rows.setdefault(float(t.get("y")), []).append(float(t.get("x")))
    per_row = [sorted(xs) for _, xs in sorted(rows.items())]
    assert all(len(r) == len(per_row[0]) for r in per_row[:-1]) and len(per_row[-1]) <= len(per_row[0])
    if len(per_row) > 1:
        xs = per_row[0]
        column = xs[1] - xs[0] if len(xs) > 1 else width
        widest = max(text_width(t.text) for t in legend)
        assert xs[-1] + column + widest > width - 8, "a full row had room for one more name"
