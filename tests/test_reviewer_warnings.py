"""Warnings that save a reviewer's time: one thing entered twice, a required section left empty
or still holding the template's text, a table or picture pasted from Word or a web page."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.contribute import scaffold
from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from generator.validation.body import check_body
from generator.validation.crosschecks import _likely_duplicates, normalise_title
from generator.validation.messages import render
from helpers import entry_text, new_content, write


@pytest.fixture
def content(tmp_path):
    return new_content(tmp_path)


def body_problems(body: str, kind: str = "conference-report", rel: str = "conference-reports/c.md"):
    raw = SimpleNamespace(source=SimpleNamespace(path=f"content/{rel}"), kind=KINDS[kind], rel=rel,
                          abs_path=Path("/nonexistent/content") / rel)
    return check_body(raw, body, 1)[0]


def found(body: str, *codes: str, **kw) -> list[tuple]:
    return [(p.line, p.column, p.code, p.level.value) for p in body_problems(body, **kw) if p.code in codes]


SECTION_CODES = ("body-section-empty", "body-section-template", "placeholder")
FULL = "## 目的\n\n目的。\n\n## 過程\n\n過程。\n\n## 心得\n\n心得。\n\n## 建議\n\n建議。\n"


# -- required sections -------------------------------------------------------------------------

def test_a_filled_body_has_no_section_warning():
    assert found(FULL, *SECTION_CODES) == []


def test_an_empty_section_is_an_error_on_its_heading():
    """Required is required (#24): an empty section is refused, as a missing one is."""
    body = FULL.replace("心得。\n", "   \n")
    assert found(body, *SECTION_CODES) == [(9, 1, "body-section-empty", "error")]
    assert found(FULL.replace("建議。\n", ""), *SECTION_CODES) == [(13, 1, "body-section-empty", "error")]  # the last


def test_what_counts_as_content_under_a_section():
    # its subheadings' own lines do not count, their text does; code is content too
    assert found(FULL.replace("心得。\n", "### 第一天\n\n### 第二天\n"), *SECTION_CODES) == [
        (9, 1, "body-section-empty", "error")]
    assert found(FULL.replace("心得。\n", "### 第一天\n\n很好。\n"), *SECTION_CODES) == []
    assert found(FULL.replace("心得。\n", "```\n## 不是標題\n```\n"), *SECTION_CODES) == []


def test_the_templates_own_text_is_recognised_on_the_heading():
    template = scaffold.body_placeholder("心得", "Reflections")
    body = FULL.replace("## 心得\n\n心得。", f"## 心得 Reflections\n\n{template}")
    # as written by kb new: an error (it must not be published), once, on the heading
    assert found(body, *SECTION_CODES) == [(9, 1, "body-section-template", "error")]
    # its words with the brackets removed: published as they are, so a warning
    unbracketed = template.removeprefix("<").removesuffix(">")
    assert found(body.replace(template, unbracketed), *SECTION_CODES) == [(9, 1, "body-section-template", "warning")]
    # any other placeholder is what it was: an error where it is
    assert found(FULL.replace("心得。", "<請填寫 Fill in: body>"), *SECTION_CODES) == [(11, 1, "placeholder", "error")]
    assert found(FULL.replace("心得。", f"{template}\n\n再補充。"), *SECTION_CODES) == [(11, 1, "placeholder", "error")]


def test_a_fresh_template_gets_one_problem_per_section_on_its_heading():
    kind = KINDS["conference-report"]
    text = scaffold.template(kind, dt.date(2024, 1, 1))
    body = text.split("\n---\n", 1)[1]
    got = [p for p in body_problems(body) if p.code in SECTION_CODES]
    headings = [i + 1 for i, line in enumerate(body.split("\n")) if line.startswith("## ")]
    assert [(p.line, p.code) for p in got] == [(h, "body-section-template") for h in headings]
    assert [p.args["zh"] for p in got] == [s.zh for s in kind.sections]


# -- pasted tables and pictures ----------------------------------------------------------------

WORD_TABLE = ('<table class=MsoTableGrid border=1 style="border-collapse:collapse">\n <tr>\n'
              '  <td width=200 valign=top><p class=MsoNormal><span lang=EN-US>館別</span><o:p></o:p></p></td>\n'
              '  <td><p class=MsoNormal>次數<!--[if x]--></p></td>\n </tr>\n</table>\n')
HTML_CODES = ("raw-html", "raw-html-table", "raw-html-image", "raw-html-attribute", "raw-html-malformed",
              "html-comment", "html-markup", "link-unsafe")


def test_a_pasted_table_is_one_error_on_its_first_line():
    body = f"## 介紹\n\n表如下：\n\n{WORD_TABLE}\n之後 <div>x</div>\n"
    got = found(body, *HTML_CODES, kind="tool", rel="tools/t.md")
    assert got == [(5, 1, "raw-html-table", "error"), (12, 4, "raw-html", "error")]  # what follows it is still seen


def test_tables_without_their_table_tag_and_nested_tables():
    assert found("<tr><td>a</td></tr>\n<tr><td>b</td></tr>\n", *HTML_CODES) == [(1, 1, "raw-html-table", "error")]
    nested = "<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>\n\n<table>\n<tr><td>y</td></tr></table>\n"
    assert found(nested, *HTML_CODES) == [(1, 1, "raw-html-table", "error"), (3, 1, "raw-html-table", "error")]


def test_a_table_pasted_as_tab_separated_text_is_a_warning():
    rows = "館別\t次數\t備註\n總館\t1,200\t\n分館\t350\t含線上\n"
    assert found(f"表：\n\n{rows}\n後記\n", "body-tab-table") == [(3, 1, "body-tab-table", "warning")]
    assert [p.args["count"] for p in body_problems(rows) if p.code == "body-tab-table"] == [3]
    assert found("一行\t兩格\n", "body-tab-table") == []  # one line is no table
    assert found("\t縮排\n\t縮排\n", "body-tab-table") == []  # indentation is no cell
    assert found(f"```\n{rows}```\n", "body-tab-table") == []  # code is shown as it is


def test_a_pasted_picture_says_how_to_attach_one():
    got = [p for p in body_problems('看圖：<img width=300 src="file:///C:/a.png" alt="圖">\n', kind="tool",
                                    rel="tools/koha.md") if p.code.startswith("raw-html")]
    assert [(p.line, p.column, p.code, p.level.value) for p in got] == [(1, 4, "raw-html-image", "error")]
    assert got[0].args["folder"] == "content/tools/koha/"
    _, hint = render("raw-html-image", got[0].args)
    assert "content/tools/koha/" in hint and "![說明文字](photo.jpg)" in hint and "CONTRIBUTING.md" in hint
    bundled = body_problems("<IMG SRC=a.png>\n", kind="tool", rel="tools/koha/index.md")
    assert [(p.code, p.args.get("folder")) for p in bundled] == [("raw-html-image", "content/tools/koha/")]
    # an event handler is an attack, not a paste: reported as the raw HTML it is
    assert found("<img src=x onerror=alert(1)>\n", *HTML_CODES) == [(1, 1, "raw-html", "error")]


def test_the_table_hint_shows_a_markdown_table():
    for code in ("raw-html-table", "body-tab-table"):
        zh_message, zh_hint = render(code, {"tag": "table", "count": 3})
        assert "| 欄位 | 內容 |\n|---|---|" in zh_hint
        assert "|---|---|" in render(code, {"tag": "table", "count": 3}, "en")[1]


# -- one thing entered twice -------------------------------------------------------------------

def report(**overrides) -> str:
    return entry_text("conference-reports", **overrides)


def by_code(kb, *codes):
    return [(p.path, p.line, p.column, p.code, p.level.value, p.args.get("other")) for p in kb.problems
            if p.code in codes]


DUPLICATE_CODES = ("duplicate-entry", "duplicate-title")


def test_same_identifying_fields_are_a_likely_duplicate_on_the_later_entry(content):
    write(content, "conference-reports/ala-2022-annual-virtual.md",
          report(title="2022 年 ALA 年會線上參與報告", date=dt.date(2022, 9, 30)))
    write(content, "conference-reports/ala-2022-annual.md", report(title="美國圖書館協會年會出席心得", date=dt.date(2024, 3, 1)))
    kb = load_knowledge_base(content, "content")
    text = (content / "conference-reports/ala-2022-annual.md").read_text(encoding="utf-8").split("\n")
    line = next(i + 1 for i, t in enumerate(text) if t.startswith("conference:"))
    assert by_code(kb, *DUPLICATE_CODES) == [("content/conference-reports/ala-2022-annual.md", line, 1, "duplicate-entry",
                                              "warning", "content/conference-reports/ala-2022-annual-virtual.md")]
    assert kb.errors == [] and len(kb.entries) == 2  # a warning: both are still published
    assert by_code(load_knowledge_base(content, "content", check_only=True), *DUPLICATE_CODES) == by_code(
        kb, *DUPLICATE_CODES)  # kb validate keeps what the check reads


def test_different_identities_and_entries_told_apart_are_not_duplicates(content):
    write(content, "conference-reports/a.md", report(title="甲報告", date=dt.date(2022, 9, 30)))
    # another conference of the organisation the same year (ALA Midwinter and Annual)
    write(content, "conference-reports/b.md", report(title="乙報告", start_date=dt.date(2022, 1, 21),
                                                     end_date=dt.date(2022, 1, 25)))
    write(content, "conference-reports/c.md", report(title="丙報告", institutions=["ntu-library"]))
    assert by_code(load_knowledge_base(content, "content"), *DUPLICATE_CODES) == []
    # two colleagues' reports of one conference, linked on purpose
    write(content, "conference-reports/d.md", report(title="丁報告", related=["conference-reports/a"]))
    # an internal draft beside the published entry: no second page on the site
    write(content, "conference-reports/e.md", report(title="甲報告", visibility="internal"))
    assert by_code(load_knowledge_base(content, "content"), *DUPLICATE_CODES) == []


def test_equal_and_nearly_equal_titles_within_a_kind(content):
    def tool(slug, title, day):
        write(content, f"tools/{slug}.md", entry_text("tools", title=title, url=f"https://example.org/{slug}",
                                                      date=dt.date(2024, 1, day)))

    tool("koha", "Koha 開放原始碼圖書館自動化系統", 1)
    tool("koha-2", "KOHA：開放原始碼圖書館自動化系統", 2)  # equal once normalised
    tool("koha-3", "Koha 開放原始碼圖書館自動化系統介紹", 3)  # nearly equal
    tool("ifla-2022", "IFLA 2022 年會線上資源總整理", 4)
    tool("ifla-2023", "IFLA 2023 年會線上資源總整理", 5)  # another year: another thing
    tool("zotero", "Zotero", 6)
    tool("zotero-b", "Mendeley", 7)
    write(content, "sister-libraries/koha.md", entry_text("sister-libraries", title="Koha 開放原始碼圖書館自動化系統"))
    kb = load_knowledge_base(content, "content")
    got = {(p.path, p.other) for p in (SimpleNamespace(path=x[0], other=x[5]) for x in by_code(kb, *DUPLICATE_CODES))}
    assert got == {("content/tools/koha-2.md", "content/tools/koha.md"), ("content/tools/koha-3.md", "content/tools/koha.md")}
    assert {p.line for p in kb.problems if p.code == "duplicate-title"} == {2}  # the title's line
    # kb validate works out what is compared where each entry is validated: the same warnings
    checked = load_knowledge_base(content, "content", check_only=True)
    assert all(e.compared is not None for e in checked.entries) and all(e.compared is None for e in kb.entries)
    assert by_code(checked, *DUPLICATE_CODES) == by_code(kb, *DUPLICATE_CODES)


def test_title_normalisation():
    assert normalise_title("ＫＯＨＡ： 開放原始碼 (系統)！") == normalise_title("koha開放原始碼系統") == "koha開放原始碼系統"


def test_every_identity_field_is_in_its_kinds_schema():
    for kind in KINDS.values():
        for name in kind.identity:
            fields = kind.schema.fields
            for part in name.split("."):
                found = next(f for f in fields if f.name == part)  # raises if it is not there
                ftype = getattr(found.type, "item", found.type)  # a list of objects: its objects' fields
                fields = getattr(ftype, "fields", [])


def _entries(titles: list[str]):
    kind = KINDS["conference-report"]
    return [SimpleNamespace(kind=kind, rel=f"conference-reports/e{i}.md", path=f"content/conference-reports/e{i}.md",
                            key=f"conference-reports/e{i}", positions={"title": (2, 1)},
                            data={"title": t, "date": dt.date(2020, 1, 1) + dt.timedelta(days=i % 1500),
                                  "conference": "IFLA", "start_date": dt.date(2000, 1, 1) + dt.timedelta(days=i),
                                  "institutions": ["nlpi"]})
            for i, t in enumerate(titles)]


def test_duplicates_among_ten_thousand_entries_in_bounded_time():
    """Near titles are compared within small groups against a bounded number of others: even
    10,000 titles alike in their first characters take well under a few seconds."""
    r = random.Random(5)
    chars = "圖書館國際交流研討會報告心得參訪資源共享合作閱讀推廣"
    for titles in (["出席國際研討會" + "".join(r.choices(chars, k=r.randint(10, 40))) for _ in range(10_000)],
                   [f"{r.choice(chars)}的實務經驗 第 {i} 號" for i in range(10_000)]):
        started = time.perf_counter()
        _likely_duplicates(_entries(titles))
        assert time.perf_counter() - started < 8


def test_a_warning_never_stops_a_strict_build(tmp_path):
    """CI builds with --strict: a likely duplicate is advice for the reviewer (kb validate, the
    pull request's comment, the build's log), never a reason the site is not published."""
    from sitebuild import mkdocs_build

    content = new_content(tmp_path)
    for slug, day in (("koha", 1), ("koha-2", 2)):
        write(content, f"tools/{slug}.md", entry_text("tools", title="Koha 開放原始碼圖書館自動化系統",
                                                      url=f"https://example.org/{slug}", date=dt.date(2024, 1, day)))
    result = mkdocs_build(tmp_path, strict=True)
    assert result.returncode == 0, result.stderr
    assert "[duplicate-title]" in result.stderr and "koha.md" in result.stderr


def test_cells_without_their_table_do_not_hide_what_follows():
    body = "## 介紹\n\n<td>a</td><td>b</td>\n\n後面\n\n<iframe src=x></iframe>\n\n[x](javascript:alert(1))\n"
    assert found(body, "raw-html-table", "raw-html", "link-unsafe", kind="tool", rel="tools/t.md") == [
        (3, 1, "raw-html-table", "error"), (7, 1, "raw-html", "error"), (9, 5, "link-unsafe", "error")]
