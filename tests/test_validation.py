"""Entry validation: every mistake has its own code, at the exact line and column."""

import pytest

from generator.knowledge.indexing import load_knowledge_base
from helpers import codes, entry_text, new_content, write


@pytest.fixture
def content(tmp_path):
    return new_content(tmp_path)


def check(content, rel, text):
    write(content, rel, text)
    kb = load_knowledge_base(content, "content")
    return kb


def test_valid_entries_of_every_kind(content):
    for folder in ("conference-reports", "tools", "outreach", "lesson-plans"):
        write(content, f"{folder}/sample.md", entry_text(folder))
    kb = load_knowledge_base(content, "content")
    assert kb.problems == []
    assert len(kb.entries) == 4


def test_unknown_key_with_suggestion(content):
    text = "---\ntittle: 錯字\n" + entry_text("tools").split("---\n", 2)[1].replace("title: ", "x_title: ", 0) + "---\n## 介紹\n"
    kb = check(content, "tools/t.md", text)
    unknown = [p for p in kb.problems if p.code == "key-unknown"]
    assert [(p.line, p.column) for p in unknown] == [(2, 1)]
    assert unknown[0].suggestions[0] == "title"


def test_missing_key_reported_at_opening_fence(content):
    kb = check(content, "tools/t.md", entry_text("tools", url=None))
    assert codes(kb.problems) == [("content/tools/t.md", 1, 1, "key-missing")]
    assert kb.problems[0].args["key"] == "url"


@pytest.mark.parametrize("line,code,value", [
    ("country: NO", "yaml-coerced", "NO"),
    ("country: on", "yaml-coerced", "on"),
    ("country: 01234", "yaml-coerced", "01234"),
    ("country: 1:20", "yaml-coerced", "1:20"),
    ("country: 2024-01-05", "yaml-coerced", "2024-01-05"),
    ("country: 3.14", "yaml-coerced", "3.14"),
])
def test_values_yaml_would_coerce_in_text_fields(content, line, code, value):
    text = entry_text("conference-reports").replace("country: 美國", line)
    kb = check(content, "conference-reports/c.md", text)
    lineno = text.split("\n").index(line) + 1
    assert codes(kb.problems) == [("content/conference-reports/c.md", lineno, 10, code)]
    assert kb.problems[0].args["value"] == value


def test_quoted_value_is_text(content):
    text = entry_text("conference-reports").replace("country: 美國", 'country: "NO"')
    assert check(content, "conference-reports/c.md", text).problems == []


def test_impossible_and_malformed_dates(content):
    text = entry_text("tools").replace("date: 2024-01-10", "date: 2024-02-30").replace(
        "checked: 2024-01-01", "checked: 2024/01/01")
    kb = check(content, "tools/t.md", text)
    lines = text.split("\n")
    assert codes(kb.problems) == [
        ("content/tools/t.md", lines.index("date: 2024-02-30") + 1, 7, "date-invalid"),
        ("content/tools/t.md", lines.index("checked: 2024/01/01") + 1, 10, "type-date"),
    ]


def test_wrong_types(content):
    text = entry_text("lesson-plans").replace("duration_minutes: 50", "duration_minutes: 一小時").replace(
        "discipline: 通識", "discipline:\n  - 通識")
    kb = check(content, "lesson-plans/l.md", text)
    got = {p.code: (p.line, p.column) for p in kb.problems}
    lines = text.split("\n")
    assert got["type-int"] == (lines.index("duration_minutes: 一小時") + 1, 19)
    assert got["type-scalar"] == (lines.index("  - 通識") + 1, 3)


def test_scalar_where_list_expected(content):
    text = entry_text("tools").replace("interface_languages:\n- zh-TW", "interface_languages: zh-TW")
    kb = check(content, "tools/t.md", text)
    assert [p.code for p in kb.problems] == ["type-list"]


def test_unknown_tag_suggests_nearest(content):
    text = entry_text("tools", tags=["資源分享", "resource-sharng"])
    kb = check(content, "tools/t.md", text)
    probs = [p for p in kb.problems if p.code == "ref-tags"]
    assert len(probs) == 2
    assert "resource-sharing" in probs[1].suggestions
    assert "資源共享" in probs[0].suggestions


def test_tags_by_label_resolve_to_ids(content):
    write(content, "tools/t.md", entry_text("tools", tags=["館際合作", "Resource sharing"]))
    kb = load_knowledge_base(content, "content")
    assert kb.problems == []
    assert kb.entries[0].data["tags"] == ["interlibrary-cooperation", "resource-sharing"]


def test_unknown_organization_and_choice(content):
    text = entry_text("conference-reports", conference="IFAL", mode="online")
    kb = check(content, "conference-reports/c.md", text)
    by = {p.code: p for p in kb.problems}
    assert by["ref-organizations"].suggestions[0] == "IFLA"
    assert by["value-choice"].args["value"] == "online"


def test_end_before_start(content):
    text = entry_text("outreach", end_date=__import__("datetime").date(2023, 4, 1))
    kb = check(content, "outreach/o.md", text)
    assert [p.code for p in kb.problems] == ["date-order"]


def test_missing_sections_and_placeholders(content):
    text = entry_text("conference-reports", body="## 目的\n\n<請填寫 Fill in: body>\n")
    kb = check(content, "conference-reports/c.md", text)
    got = codes(kb.problems)
    body_line = text.split("\n").index("---", 1) + 2
    assert ("content/conference-reports/c.md", body_line + 3, 1, "placeholder") in got
    assert sorted(p.args["en"] for p in kb.problems if p.code == "section-missing") == ["Process", "Recommendations", "Reflections"]


def test_links_broken_unsafe_absolute_and_folder(content):
    body = ("## 介紹\n\n[壞](../tools/none.md) [危險](JaVaScRiPt:alert(1)) [編碼](&#106;avascript:alert(1))\n"
            "[絕對](/tools/x/) ![資料](data:text/html;base64,xx)\n\n[ref]: vbscript:msgbox\n")
    text = entry_text("tools", body=body)
    kb = check(content, "tools/t.md", text)
    lines = text.split("\n")
    first = lines.index("## 介紹") + 3
    l1, l2, l4 = lines[first - 1], lines[first], lines[first + 2]
    assert codes(kb.problems) == [
        ("content/tools/t.md", first, l1.index("../tools") + 1, "link-broken"),
        ("content/tools/t.md", first, l1.index("JaVa") + 1, "link-unsafe"),
        ("content/tools/t.md", first, l1.index("&#106;") + 1, "link-unsafe"),
        ("content/tools/t.md", first + 1, l2.index("/tools/x/") + 1, "link-absolute"),
        ("content/tools/t.md", first + 1, l2.index("data:") + 1, "link-unsafe"),
        ("content/tools/t.md", first + 3, l4.index("vbscript") + 1, "link-unsafe"),
    ]


def test_links_to_entries_and_attachments_resolve(content):
    write(content, "tools/other.md", entry_text("tools", url="https://example.org/other"))
    write(content, "outreach/ev/index.md", entry_text(
        "outreach", attachments=[{"file": "flyer.pdf", "title": "海報", "type": "flyer"}],
        body=BODY_OUTREACH + "\n[海報](flyer.pdf) [工具](../../tools/other.md)\n"))
    write(content, "outreach/ev/flyer.pdf", b"%PDF-1.4\n%%EOF\n")
    kb = load_knowledge_base(content, "content")
    assert kb.problems == []
    ev = next(e for e in kb.entries if e.slug == "ev")
    assert ev.attachments[0]["size"] == 15


BODY_OUTREACH = "## 活動規劃\n\n規劃。\n\n## 活動成果\n\n成果。\n\n## 檢討與建議\n\n檢討。\n"


def test_public_entry_linking_internal_entry(content):
    write(content, "tools/secret.md", entry_text("tools", visibility="internal", url="https://example.org/s"))
    text = entry_text("tools", body="## 介紹\n\n見 [內部](secret.md)\n")
    kb = check(content, "tools/t.md", text)
    assert [(p.code, p.path) for p in kb.problems] == [("link-internal", "content/tools/t.md")]


def test_attachments(content):
    write(content, "outreach/flat.md", entry_text("outreach", attachments=[{"file": "a.pdf", "title": "A"}]))
    write(content, "outreach/ev/index.md", entry_text(
        "outreach", attachments=[{"file": "missing.pdf", "title": "缺"}, {"file": "../x.pdf", "title": "逃"}]))
    kb = load_knowledge_base(content, "content")
    assert sorted(p.code for p in kb.problems) == ["attachment-outside", "attachments-need-folder"]
    write(content, "outreach/ev/index.md", entry_text(
        "outreach", attachments=[{"file": "missing.pdf", "title": "缺"}]))
    kb = load_knowledge_base(content, "content")
    assert "attachment-missing" in [p.code for p in kb.problems]


def test_duplicate_tool_url(content):
    write(content, "tools/a.md", entry_text("tools", url="https://www.example.org/x/"))
    write(content, "tools/b.md", entry_text("tools", url="http://example.org/x"))
    kb = load_knowledge_base(content, "content")
    lines = entry_text("tools", url="http://example.org/x").split("\n")
    assert codes(kb.problems) == [("content/tools/b.md", lines.index("url: http://example.org/x") + 1, 1, "duplicate-url")]


def test_tree_problems(content):
    write(content, "tools/a.md", entry_text("tools"))
    write(content, "tools/a/index.md", entry_text("tools", url="https://example.org/y"))
    write(content, "tools/Bad Name.md", entry_text("tools"))
    write(content, "tools/image.png", b"\x89PNG")
    write(content, "tool/x.md", entry_text("tools"))
    (content / "lesson-plans" / "empty-folder").mkdir()
    write(content, "tools/_draft.md", "not checked: drafts start with _")
    kb = load_knowledge_base(content, "content")
    got = sorted((p.path, p.code) for p in kb.problems)
    assert got == [
        ("content/lesson-plans/empty-folder", "bundle-no-index"),
        ("content/tool", "kind-unknown"),
        ("content/tools/Bad Name.md", "slug-invalid"),
        ("content/tools/a.md", "duplicate-slug"),
        ("content/tools/image.png", "stray-file"),
    ]
    assert kb.problems[[p.code for p in kb.problems].index("kind-unknown")].suggestions == ("tools",)


def test_one_bad_file_does_not_stop_the_others(content):
    write(content, "tools/bad.md", "---\ntitle: [\n---\n")
    write(content, "tools/good.md", entry_text("tools"))
    write(content, "tools/bad2.md", b"\xff\xfe\x00\x00")
    kb = load_knowledge_base(content, "content")
    assert [e.slug for e in kb.entries] == ["good"]
    assert sorted(p.path for p in kb.problems) == ["content/tools/bad.md", "content/tools/bad2.md"]


def test_registry_problems_have_positions(content):
    reg = content / "registries" / "tags.yml"
    reg.write_text(reg.read_text(encoding="utf-8") + "Bad_Id: {zh: 壞, en: Bad}\nno-en: {zh: 缺}\n", encoding="utf-8")
    kb = load_knowledge_base(content, "content")
    n = len(reg.read_text(encoding="utf-8").split("\n"))
    assert codes(kb.problems) == [
        ("content/registries/tags.yml", n - 2, 1, "registry-id"),
        ("content/registries/tags.yml", n - 1, 8, "key-missing"),
    ]


def test_all_problems_collected_not_just_first(content):
    text = entry_text("conference-reports", country="NO", year="二〇二二", mode="zoom", tags=["xyz"])
    kb = check(content, "conference-reports/c.md", text.replace("country: 'NO'", "country: NO"))
    assert len(kb.problems) >= 4


def test_unquoted_colon_in_a_value_is_a_syntax_error_as_the_guide_says(content):
    text = entry_text("tools").replace("title: 測試條目 tools", "title: IFLA: 2023")
    kb = check(content, "tools/t.md", text)
    assert [p.code for p in kb.problems] == ["yaml-value-colon"]
    assert kb.problems[0].line == 2


# -- names the file system refuses to look at ---------------------------------------------------

LONG_NAMES = {
    "ascii": "a" * 300 + ".md",
    "thai": "ภาษาไทย" * 40 + ".md",  # 3 bytes a letter: far over 255 bytes
    "arabic": "مكتبة" * 60 + ".md",
    "zalgo": "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇" * 30 + ".md",
    "folder": "x" * 300 + "/index.md",
    "path": "a/" * 3000 + "b.md",  # longer than any path may be
    "javascript": "javascript:alert(1)//" + "a" * 3000,  # and long ones are links too
}


@pytest.mark.parametrize("name", sorted(LONG_NAMES))
def test_a_link_the_file_system_refuses_is_a_broken_link(content, name):
    body = f"## 介紹\n\n見 [說明]({LONG_NAMES[name]})。\n"
    text = entry_text("tools", body=body)
    kb = check(content, "tools/t.md", text)
    line = text.split("\n").index("見 [說明](" + LONG_NAMES[name] + ")。") + 1
    code = "link-unsafe" if name == "javascript" else "link-broken"
    assert codes(kb.problems) == [("content/tools/t.md", line, 8, code)]


def test_related_and_attachments_the_file_system_refuses(content):
    long = "a" * 300
    text = entry_text("outreach", related=[f"tools/{long}", f"{long}/x"],
                      attachments=[{"file": long + ".pdf", "title": "長"}])
    write(content, "outreach/ev/index.md", text)
    kb = load_knowledge_base(content, "content")
    lines = text.split("\n")
    assert codes(kb.problems) == sorted([
        ("content/outreach/ev/index.md", next(i for i, l in enumerate(lines) if long + ".pdf" in l) + 1, 9,
         "attachment-missing"),
        ("content/outreach/ev/index.md", next(i for i, l in enumerate(lines) if f"tools/{long}" in l) + 1, 3,
         "related-missing"),
        ("content/outreach/ev/index.md", next(i for i, l in enumerate(lines) if f"{long}/x" in l) + 1, 3,
         "related-missing"),
    ])


def test_naughty_strings_in_links_and_bodies_never_raise(content):
    """The Big List of Naughty Strings as link targets, image targets and text, a few hundred
    to an entry: every entry is checked, none raises."""
    from attack_corpus import blns

    strings = blns()
    assert len(strings) > 500
    for n in range(0, len(strings), 100):
        chunk = strings[n:n + 100]
        body = "## 介紹\n\n" + "\n\n".join(f"[x]({s}) ![y](<{s}>) {s}" for s in chunk) + "\n"
        write(content, f"tools/t{n}.md", entry_text("tools", body=body, url=f"https://example.org/{n}"))
    kb = load_knowledge_base(content, "content")
    assert kb.files_checked == len(range(0, len(strings), 100))
    assert not [p for p in kb.problems if p.code == "file-check-error"]


# -- citation names: total, whatever the authors field holds ------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("(範例)", ("", "", "範例")), ("（）", ("", "", "（）")), ("王", ("", "", "王")), ("😀", ("", "", "😀")),
    ("Doe,", ("", "", "Doe")), (", Jane", ("", "", "Jane")), ("Jane -", ("", "", "Jane -")),
    ("王、明", ("", "", "王、明")), ("محمد علي", ("علي", "محمد", "")), ("  王  小明 ", ("王", "小明", "")),
    ("a\ud800b", ("", "", "a\ufffdb")), ("\ud83d\ude00 Smith", ("", "", "😀 Smith")), ("", ("", "", "")),
])
def test_any_author_text_gives_a_citation_name(raw, expected):
    from generator.outputs.citations import parse_name

    n = parse_name(raw)
    assert (n.family, n.given, n.literal) == expected
    assert isinstance(n.apa(), str) and isinstance(n.bibtex(), str) and n.csl()


def _bibtex_is_balanced(bib: str) -> bool:
    """What BibTeX needs to read an entry: braces that pair (it counts them whatever precedes
    them), never closing below the entry's own level before its end."""
    depth = 0
    for ch in bib:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and bib.startswith("@") and bib.rstrip().endswith("}")


@pytest.fixture(scope="module")
def citable(tmp_path_factory):
    """A validated lesson plan and conference report, to put any text in."""
    from generator.model.siteinfo import SiteInfo

    content = new_content(tmp_path_factory.mktemp("kb"))
    write(content, "lesson-plans/l.md", entry_text("lesson-plans"))
    write(content, "conference-reports/c.md", entry_text("conference-reports"))
    kb = load_knowledge_base(content, "content")
    assert kb.problems == []
    return kb, SiteInfo(site_url="https://kb.example.org/")


def _cite(citable, text: str):
    import dataclasses
    import json

    from generator.outputs.citations import Citation

    kb, site = citable
    for e in kb.entries:
        data = {**e.data, "authors": [text, "王小明", text], "title": text or "題名", "summary": text or "摘要"}
        c = Citation(dataclasses.replace(e, data=data), site, kb.registries)
        bib, csl = c.bibtex(), c.csl_json()
        assert _bibtex_is_balanced(bib), bib
        assert json.loads(csl)[0]["author"]
        (c.apa() + bib + csl + "".join(v for _, v in c.meta_tags())).encode("utf-8")  # writable as UTF-8


def test_the_placeholder_author_of_a_template_builds(citable):
    _cite(citable, "(範例)")


@pytest.mark.parametrize("text", ["", " ", "{", "}", "}{", "a{b", "{{x}", "\\", "\\{", "% # & $ ~ ^ _", "@misc{x,",
                                  "Tom and Jerry", "Doe, Jr., Jane", "a\ud800", "\x00\x1b", "😀" * 50, "ก" * 2000])
def test_bibtex_and_csl_stay_readable_whatever_the_text(citable, text):
    _cite(citable, text)


def test_naughty_strings_as_authors_and_titles(citable):
    from attack_corpus import blns

    for s in blns():
        _cite(citable, s)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_any_text_as_a_name_a_title_and_an_abstract(citable, text):
    from generator.outputs.citations import parse_name

    n = parse_name(text)
    assert isinstance(n.literal + n.family + n.given, str)
    _cite(citable, text)


@pytest.mark.parametrize("link", [
    "[" + "說明" * 400 + "](javascript:alert(1))",  # link text of any length
    "[說\n明](javascript:alert(1))",  # over two lines, as Markdown allows
    "[a [b] c](JaVaScRiPt:alert(1))",
    "![圖](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
])
def test_every_link_destination_is_looked_at(content, link):
    text = entry_text("tools", body=f"## 介紹\n\n{link}\n")
    kb = check(content, "tools/t.md", text)
    assert [p.code for p in kb.problems] == ["link-unsafe"]
