"""Adding a kind means adding one module and sample entries.

A throw-away kind (podcasts librarians recommend) is written into a temporary folder as a
module of its own, with a vocabulary of its own, an integer, a date, a required section,
a fact panel with brief facts, a facet, a statistics page, a colour and a place in the
navigation. Registered with :func:`generator.kinds.register`, it must show up everywhere
a kind does: validation, listings, facet pages, feeds, exports, search, statistics,
navigation and the contributors' chart, in the library and in a real ``mkdocs build``.
Nothing in generator/ is touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.kinds import KINDS, KINDS_BY_FOLDER, Kind, facets, kind_named, register, unregister
from generator.knowledge.history import read_history
from generator.knowledge.indexing import load_knowledge_base
from generator.model.siteinfo import SiteInfo
from generator.outputs.feeds import all_feeds
from generator.outputs.recognition import activity_svg, monthly_additions
from generator.site.context import SiteContext
from generator.site.data import data_files
from generator.site.views import iter_pages, navigation
from generator.validation.reporting import message_of
from helpers import entry_text, new_content, write
from sitebuild import SITE_URL, commit_all, mkdocs_build_with

TODAY = dt.date(2024, 3, 15)  # the entries are committed on 2024-03-01 (sitebuild.commit_all)
COLOUR = "#6a1b9a"

KIND_MODULE = '''\
"""Podcasts librarians recommend (a kind declared outside generator/kinds, for a test)."""

from generator.model import vocab as V
from generator.model.facets import Facet, vocabulary_label
from generator.model.fields import Date, Field, Integer, Text
from generator.kinds.base import Fact, Kind, Section, StatsSection, choice, schema
from generator.outputs.statistics import Table, totals

FORMAT = V.Vocabulary("podcast-format", [
    ("interview", "深度訪談", "Interview"),
    ("solo", "單人講述", "Solo"),
    ("panel", "座談對話", "Panel"),
])


def tables(kb):
    mine = [e for e in kb.public if e.kind.id == KIND.id]
    rows = []
    for v in FORMAT.ids():
        found = [e for e in mine if e.data["format"] == v]
        if found:
            rows.append([FORMAT.label(v), len(found), sum(e.data["episodes"] for e in found)])
    return [Table("by-format", "播客：依節目形式", ["節目形式", "節目數", "集數"], rows + [totals(rows, 3)])]


KIND = Kind(
    id="podcast",
    folder="podcasts",
    zh="播客推薦", en="Podcasts",
    description_zh="同道推薦的圖書館與閱讀相關播客節目。",
    description_en="Podcasts about libraries and reading, recommended by colleagues.",
    order=25,
    colour="#6a1b9a",
    schema=schema(
        Field("host", Text(max_length=60), required=True, zh="主持人", en="Host", example="林大同"),
        choice("format", FORMAT, required=True, zh="節目形式", en="Format", example="interview"),
        Field("episodes", Integer(minimum=1, maximum=10000), required=True, zh="集數", en="Episodes", example=12),
        Field("first_aired", Date(), required=True, zh="首播日期", en="First aired"),
    ),
    sections=[Section("節目內容", "Episode notes", ("內容",))],
    facts=(
        Fact("host", brief=True),
        Fact("format", brief=True, facet="podcast-formats"),
        Fact("episodes", brief=True, unit=" 集"),
        Fact("first_aired"),
    ),
    facets=(
        Facet("podcast-formats", "播客形式", "Podcast formats",
              lambda e: [e.data["format"]] if e.kind.id == KIND.id else [], vocabulary_label(FORMAT),
              vocabulary=FORMAT),
    ),
    statistics=StatsSection("podcasts", "播客統計", "推薦播客的節目形式與集數。", tables),
)
'''

BODY = "## 節目內容\n\n每集訪問一位館員。\n"


def podcast_text(title: str, body: str = BODY, **fields) -> str:
    data = {"title": title, "date": "2024-02-01", "summary": f"{title}的介紹。", "tags": ["reading-promotion"],
            "authors": ["王小明"], "host": "林大同", "format": "interview", "episodes": 12,
            "first_aired": "2023-09-01", **fields}
    out = ["---"]
    for k, v in data.items():
        if v is None:
            continue
        if isinstance(v, list):
            out.append(f"{k}:")
            out.extend(f"  - {x}" for x in v)
        else:
            out.append(f"{k}: {v}")
    return "\n".join(out) + "\n---\n\n" + body


def import_kind(folder: Path):
    """The kind module, written into ``folder`` and imported from there (not from generator/kinds)."""
    path = folder / "podcast.py"
    path.write_text(KIND_MODULE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("kb_test_podcast_kind", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path


@pytest.fixture(scope="module")
def kind(tmp_path_factory):
    module, path = import_kind(tmp_path_factory.mktemp("kinds"))
    before = list(KINDS)
    register(module.KIND)
    try:
        yield module.KIND, path
    finally:
        unregister(module.KIND.id)
        assert list(KINDS) == before and "podcasts" not in KINDS_BY_FOLDER
        assert "podcast-formats" not in {f.id for f in facets()}


def sample_project(root: Path) -> Path:
    """Two podcasts (one of them a bundle), one tool, committed to Git."""
    content = new_content(root)
    (content / "podcasts").mkdir(exist_ok=True)  # new_content() makes a folder for every registered kind
    write(content, "podcasts/library-talk.md", podcast_text(
        "圖書館週報", host="陳思穎", format="interview", episodes=48, date="2024-02-10"))
    write(content, "podcasts/reading-hour/index.md", podcast_text(
        "閱讀一小時", host="張家豪", format="panel", episodes=7, first_aired="2024-01-05", date="2024-01-20"))
    write(content, "tools/catalogue.md", entry_text("tools", title="聯合目錄", url="https://example.org/union"))
    commit_all(root)
    return content


# -- the registry of kinds ---------------------------------------------------------------------

def test_registering_puts_the_kind_in_order_with_its_facet(kind):
    k, _ = kind
    assert KINDS["podcast"] is k and KINDS_BY_FOLDER["podcasts"] is k
    ids = list(KINDS)
    assert ids.index("tool") < ids.index("podcast") < ids.index("outreach")  # order 25: between 20 and 30
    assert kind_named("播客推薦") is k and kind_named("Podcasts") is k and kind_named("podcasts") is k
    assert "podcast-formats" in {f.id for f in facets()}


def test_a_kind_whose_folder_is_taken_is_refused(kind):
    k, _ = kind
    before = dict(KINDS)
    twin = Kind(id="podcast-copy", folder="podcasts", zh="複製", en="Copy", description_zh="", description_en="",
                schema=k.schema)
    with pytest.raises(ValueError, match="podcasts"):
        register(twin)
    builtin_clash = Kind(id="gadget", folder="tools", zh="小工具", en="Gadgets", description_zh="",
                         description_en="", schema=k.schema)
    with pytest.raises(ValueError, match="tools"):
        register(builtin_clash)
    assert KINDS == before and KINDS_BY_FOLDER["tools"].id == "tool" and KINDS_BY_FOLDER["podcasts"] is k


# -- validation ----------------------------------------------------------------------------

def test_validation_accepts_the_new_kind_and_names_what_is_missing(kind, tmp_path):
    content = new_content(tmp_path)
    (content / "podcasts").mkdir(exist_ok=True)  # new_content() makes a folder for every registered kind
    write(content, "podcasts/ok.md", podcast_text("好節目"))
    write(content, "podcasts/label.md", podcast_text("用中文標籤", format="座談對話"))  # a label is accepted
    write(content, "podcasts/no-episodes.md", podcast_text("缺集數", episodes=None))
    write(content, "podcasts/bad-format.md", podcast_text("形式錯誤", format="video"))
    write(content, "podcasts/bad-number.md", podcast_text("集數錯誤", episodes="十二"))
    write(content, "podcasts/bad-date.md", podcast_text("日期錯誤", first_aired="2023-02-30"))
    write(content, "podcasts/no-section.md", podcast_text("缺段落", body="只有一段文字。\n"))
    kb = load_knowledge_base(content, "content")
    found = {(p.path.rsplit("/", 1)[-1], p.code) for p in kb.errors}
    assert found == {
        ("no-episodes.md", "key-missing"),
        ("bad-format.md", "value-choice"),
        ("bad-number.md", "type-int"),
        ("bad-date.md", "date-invalid"),
        ("no-section.md", "section-missing"),
    }
    assert sorted(e.slug for e in kb.entries) == ["label", "ok"]
    assert next(e for e in kb.entries if e.slug == "label").data["format"] == "panel"
    missing = next(p for p in kb.errors if p.code == "key-missing")
    assert missing.line == 1  # reported at the opening fence
    for lang in ("zh-TW", "en"):
        assert "episodes" in " ".join(message_of(missing, lang))
    assert "集數" in message_of(missing, "zh-TW")[0]  # the field's label from the kind's schema
    section = next(p for p in kb.errors if p.code == "section-missing")
    assert "節目內容" in message_of(section, "zh-TW")[0] and "Episode notes" in message_of(section, "en")[0]
    wrong = next(p for p in kb.errors if p.code == "value-choice")
    assert "interview, solo, panel" in message_of(wrong, "en")[1]  # the hint offers the new vocabulary


def test_kb_new_and_kb_schema_know_the_kind(kind, tmp_path, capsys):
    """`kb new` writes a template from the kind's schema and sections; `kb schema` describes it."""
    from generator import cli

    content = new_content(tmp_path)
    assert cli.main(["--root", str(tmp_path), "new", "播客推薦", "fresh"]) == 0
    written = content / "podcasts" / "fresh.md"
    text = written.read_text(encoding="utf-8")
    assert "## 節目內容 Episode notes" in text and "interview、solo、panel" in text
    kb = load_knowledge_base(content, "content")
    # only the placeholders are left to fill in, one per required field of the kind (and each
    # required section of the body, reported on its heading)
    assert {(p.code, dict(p.params).get("field")) for p in kb.errors if p.path.endswith("fresh.md")} >= {
        ("placeholder", "host"), ("placeholder", "format"), ("placeholder", "episodes"), ("body-section-template", None)}
    assert {p.code for p in kb.errors} == {"placeholder", "body-section-template"}
    capsys.readouterr()
    assert cli.main(["schema", "podcast"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["format"]["enum"] == ["interview", "solo", "panel"]
    assert schema["properties"]["episodes"]["type"] == "integer"
    assert {"host", "format", "episodes", "first_aired", "title"} <= set(schema["required"])


def test_without_the_module_the_folder_is_unknown(kind, tmp_path):
    """The same entries with the kind unregistered: its folder is not a kind."""
    content = new_content(tmp_path)
    write(content, "podcasts/ok.md", podcast_text("好節目"))
    unregister("podcast")
    try:
        kb = load_knowledge_base(content, "content")
    finally:
        register(kind[0])
    assert [(p.path, p.code) for p in kb.errors] == [("content/podcasts", "kind-unknown")]


# -- a build in the library ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def built_in_library(kind, tmp_path_factory):
    root = tmp_path_factory.mktemp("library-build")
    content = sample_project(root)
    kb = load_knowledge_base(content, "content", today=TODAY)
    assert kb.errors == [], kb.errors
    ctx = SiteContext(SiteInfo(site_url=SITE_URL, today=TODAY), read_history(root))
    assert ctx.has_history
    pages = {p.src: p for p in iter_pages(kb, ctx)}
    feeds = all_feeds(kb, ctx)
    data = dict(data_files(kb, ctx))
    assert ctx.failures.problems == []
    return kb, ctx, pages, feeds, data


def test_library_build_lists_the_kind_with_both_entries(built_in_library):
    kb, _, pages, _, _ = built_in_library
    listing = pages["podcasts/index.md"]
    assert listing.in_nav and listing.title == "播客推薦"
    md = listing.markdown
    assert "圖書館週報" in md and "閱讀一小時" in md and "聯合目錄" not in md
    assert md.index("圖書館週報") < md.index("閱讀一小時")  # newest first
    assert "共 2 筆" in md
    # brief facts in the listing: host, the format linked to its facet page, episodes with the unit
    assert "陳思穎" in md and "48 集" in md
    assert '<a href="../podcast-formats/interview/">深度訪談</a>' in md
    for rel in ("podcasts/library-talk.md", "podcasts/reading-hour/index.md"):
        assert rel in pages
    entry = pages["podcasts/library-talk.md"].markdown
    for label, value in (("主持人", "陳思穎"), ("節目形式", "深度訪談"), ("集數", "48 集"), ("首播日期", "2023-09-01")):
        assert re.search(rf"<td>{label}</td><td>(<a [^>]*>)?{value}", entry), label
    assert "<td>種類</td><td><a href=\"../\">播客推薦</a></td>" in entry
    home = pages["index.md"].markdown
    assert "最新播客推薦" in home and re.search(r'<a href="podcasts/">播客推薦</a></td><td>2</td>', home)


def test_library_build_has_the_kinds_facet_pages(built_in_library):
    _, _, pages, _, _ = built_in_library
    index = pages["podcast-formats/index.md"].markdown
    assert '<a href="interview/">深度訪談</a>（1）' in index and '<a href="panel/">座談對話</a>（1）' in index
    assert "solo" not in index  # a value no entry holds has no page
    assert "圖書館週報" in pages["podcast-formats/interview/index.md"].markdown
    assert "閱讀一小時" not in pages["podcast-formats/interview/index.md"].markdown
    assert "閱讀一小時" in pages["podcast-formats/panel/index.md"].markdown
    assert "podcast-formats/solo/index.md" not in pages
    # the facets every entry has: its tag and year pages list it too
    assert "圖書館週報" in pages["tags/reading-promotion/index.md"].markdown
    assert "閱讀一小時" in pages["years/2024/index.md"].markdown


def test_library_build_feeds_include_the_kind(built_in_library):
    _, _, _, feeds, _ = built_in_library
    assert {"podcasts/feed.xml", "podcasts/atom.xml", "podcasts/feed.json"} <= set(feeds)
    own = ET.fromstring(feeds["podcasts/feed.xml"])
    assert own.findtext("./channel/title").endswith("播客推薦")
    assert sorted(i.findtext("title") for i in own.findall("./channel/item")) == ["圖書館週報", "閱讀一小時"]
    everything = ET.fromstring(feeds["feed.xml"])
    assert {"圖書館週報", "閱讀一小時", "聯合目錄"} <= {i.findtext("title") for i in everything.findall("./channel/item")}
    items = json.loads(feeds["podcasts/feed.json"])["items"]
    assert {i["url"] for i in items} == {SITE_URL + "podcasts/library-talk/", SITE_URL + "podcasts/reading-hour/"}
    assert all("播客推薦" in i["tags"] for i in items)
    ET.fromstring(feeds["podcasts/atom.xml"])  # well-formed


def test_library_build_exports_the_kind(built_in_library):
    _, _, pages, _, data = built_in_library
    doc = json.loads(data["export/podcasts.json"])
    assert doc["kind"] == "podcast" and doc["count"] == 2
    assert [r["id"] for r in doc["entries"]] == ["podcasts/library-talk", "podcasts/reading-hour"]
    first = doc["entries"][0]
    assert (first["host"], first["format"], first["episodes"], first["first_aired"]) == (
        "陳思穎", "interview", 48, "2023-09-01")
    fields = {f["name"]: f for f in doc["fields"]}
    assert fields["episodes"]["type"] == "integer" and fields["episodes"]["required"]
    assert fields["format"]["type"] == "code (interview, solo, panel)"
    assert fields["first_aired"]["type"] == "date YYYY-MM-DD"
    assert data["export/podcasts.csv"].startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data["export/podcasts.csv"].lstrip("\ufeff"))))
    assert [(r["id"], r["host"], r["episodes"]) for r in rows] == [
        ("podcasts/library-talk", "陳思穎", "48"), ("podcasts/reading-hour", "張家豪", "7")]
    export_page = pages["export/index.md"].markdown
    assert '<td>播客推薦</td><td>2</td><td><a href="podcasts.json">podcasts.json</a></td>' in export_page
    assert "<code>first&#95;aired</code>" in export_page  # the column documented (its _ as a reference)


def test_library_build_search_index_holds_the_kinds_facts(built_in_library):
    _, _, _, _, data = built_in_library
    texts = {p: t for p, t in data.items() if p.startswith("search/t/")}
    # a fact value (the vocabulary's label and the host) appears only through the fact panel
    mine = [t for t in texts.values() if t.startswith("圖書館週報")]
    assert len(mine) == 1 and "深度訪談" in mine[0] and "陳思穎" in mine[0] and "48" in mine[0]
    meta = json.loads(data["search/meta.json"])
    assert {"id": "podcast", "zh": "播客推薦", "en": "Podcasts"} in meta["kinds"]  # its names, for both search pages
    from generator.search import LocalIndex

    index = LocalIndex({p.removeprefix("search/"): t for p, t in data.items() if p.startswith("search/")})
    rows = [r for p, t in data.items() if p.startswith("search/d/") for r in json.loads(t)]
    found = [rows[i][1] for i in index.search("座談對話")]
    assert found == ["閱讀一小時"]


def test_library_build_has_the_kinds_statistics_page(built_in_library):
    _, _, pages, _, _ = built_in_library
    assert '<a href="podcasts/">播客統計</a>' in pages["stats/index.md"].markdown
    page = pages["stats/podcasts.md"].markdown
    assert "<caption>播客：依節目形式</caption>" in page
    assert '<th scope="row">深度訪談</th><td>1</td><td>48</td>' in page
    assert '<th scope="row">座談對話</th><td>1</td><td>7</td>' in page
    assert '<th scope="row">合計</th><td>2</td><td>55</td>' in page
    assert 'role="img"' in page  # its bar chart
    by_kind = pages["stats/entries.md"].markdown
    assert '<th scope="col">播客推薦</th>' in by_kind


def test_navigation_puts_the_kind_in_its_group(kind):
    nav = navigation()
    share = next(item["知識分享"] for item in nav if "知識分享" in item)
    assert share.index({"播客推薦": "podcasts/index.md"}) == share.index({"工具與網站": "tools/index.md"}) + 1
    browse = next(item["瀏覽"] for item in nav if "瀏覽" in item)
    assert {"播客形式": "podcast-formats/index.md"} in browse
    match = next(item["交流媒合"] for item in nav if "交流媒合" in item)
    assert {"播客推薦": "podcasts/index.md"} not in match


def test_contributors_chart_draws_the_kinds_colour(built_in_library):
    kb, ctx, pages, _, _ = built_in_library
    labels, counts = monthly_additions(kb, ctx)
    assert counts["podcast"][labels.index("2024-03")] == 2
    svg = activity_svg(labels, counts)
    # its bar (two entries first committed in March 2024) and its legend swatch
    assert re.search(rf'<rect [^>]*fill="{COLOUR}"><title>2024-03 播客推薦：2</title></rect>', svg)
    assert re.search(rf'<rect [^>]*width="12" height="12" fill="{COLOUR}"/>', svg)
    assert "播客推薦" in svg
    page = pages["contributors/index.md"].markdown
    assert f'fill="{COLOUR}"' in page and "| 月份 | 研討會報告 | 工具與網站 | 播客推薦 |" in page


# -- a real mkdocs build that sees the kind --------------------------------------------------------

@pytest.fixture(scope="module")
def built_site(kind, tmp_path_factory):
    _, module_path = kind
    root = tmp_path_factory.mktemp("mkdocs-build")
    sample_project(root)
    result = mkdocs_build_with(root, kind_modules=(module_path,), env={"KB_TODAY": TODAY.isoformat()})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return root / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_mkdocs_build_has_the_listing_entries_and_facet_pages(built_site):
    listing = HTMLParser(read(built_site, "podcasts/index.html"))
    titles = [a.text() for a in listing.css("ul.kb-list li strong a")]
    assert titles == ["圖書館週報", "閱讀一小時"]
    assert listing.css_first("h1").text() == "播客推薦"
    page = HTMLParser(read(built_site, "podcasts/library-talk/index.html"))
    facts = {tr.css("td")[0].text(): tr.css("td")[1].text() for tr in page.css(".kb-meta tbody tr")}
    assert facts["主持人"] == "陳思穎" and facts["節目形式"] == "深度訪談" and facts["集數"] == "48 集"
    assert facts["種類"] == "播客推薦" and facts["首次發布"] == "2024-03-01"
    assert (built_site / "podcasts/reading-hour/index.html").is_file()
    facet_index = HTMLParser(read(built_site, "podcast-formats/index.html"))
    assert [a.text() for a in facet_index.css("ul.kb-facet-index a")] == ["深度訪談", "座談對話"]
    interview = read(built_site, "podcast-formats/interview/index.html")
    assert "圖書館週報" in interview and "閱讀一小時" not in interview


def test_mkdocs_build_has_feeds_exports_search_and_statistics(built_site):
    own = ET.fromstring(read(built_site, "podcasts/feed.xml"))
    assert sorted(i.findtext("title") for i in own.findall("./channel/item")) == ["圖書館週報", "閱讀一小時"]
    everything = ET.fromstring(read(built_site, "feed.xml"))
    assert "閱讀一小時" in {i.findtext("title") for i in everything.findall("./channel/item")}
    assert (built_site / "podcasts/atom.xml").is_file() and (built_site / "podcasts/feed.json").is_file()
    doc = json.loads(read(built_site, "export/podcasts.json"))
    assert doc["count"] == 2 and {r["host"] for r in doc["entries"]} == {"陳思穎", "張家豪"}
    rows = list(csv.DictReader(io.StringIO(read(built_site, "export/podcasts.csv").lstrip("\ufeff"))))
    assert {r["format"] for r in rows} == {"interview", "panel"}
    texts = [p.read_text(encoding="utf-8") for p in (built_site / "search/t").glob("*.txt")]
    assert any("座談對話" in t and "張家豪" in t for t in texts)
    stats = HTMLParser(read(built_site, "stats/podcasts/index.html"))
    table = stats.css_first("#kb-table-by-format table")
    cells = [[c.text() for c in tr.css("th, td")] for tr in table.css("tbody tr")]
    assert cells == [["深度訪談", "1", "48"], ["座談對話", "1", "7"], ["合計", "2", "55"]]
    assert stats.css_first("svg[role=img]") is not None


def test_mkdocs_build_navigation_and_chart(built_site):
    home = HTMLParser(read(built_site, "index.html"))
    # Material's navigation: the listing under its group's tab, the facet under 瀏覽
    nav_links = {a.text(strip=True): a.attributes.get("href") for a in home.css("nav.md-nav a.md-nav__link")}
    assert nav_links.get("播客推薦") == "podcasts/" and nav_links.get("播客形式") == "podcast-formats/"
    group = next(li for li in home.css("nav.md-nav--primary > ul > li")
                 if "知識分享" in (li.css_first("label, a") or li).text())
    assert "播客推薦" in [a.text(strip=True) for a in group.css("a.md-nav__link")]
    contributors = read(built_site, "contributors/index.html")
    assert re.search(rf'fill="{COLOUR}"><title>2024-03 播客推薦：2</title>', contributors)


@pytest.mark.parametrize("folder", ["tags", "stats", "search", "registries", "item-categories"])
def test_a_kind_cannot_take_a_folder_of_the_sites_own_pages(folder):
    from dataclasses import replace

    from generator.kinds import KINDS, register

    clash = replace(KINDS["tool"], id="clash", folder=folder, facets=())
    with pytest.raises(ValueError):
        register(clash)
    assert "clash" not in KINDS


def test_a_kind_cannot_replace_another_or_take_its_facet_unasked():
    from dataclasses import replace

    from generator.kinds import KINDS, register

    with pytest.raises(ValueError):
        register(replace(KINDS["tool"], folder="tools-2"))  # same id
    with pytest.raises(ValueError):
        register(replace(KINDS["exchange"], id="swap", folder="swaps"))  # exchange's facets
    assert KINDS["tool"].folder == "tools" and "swap" not in KINDS


def test_the_vocabularies_file_reads_the_same_with_either_yaml_parser():
    # vocab.py reads it with LibYAML where PyYAML has it, for speed: the same data as PyYAML's own parser.
    import yaml

    from generator.model import vocab

    text = vocab._DATA.read_text(encoding="utf-8")
    assert vocab._TERMS == yaml.safe_load(text)
    assert all(len(term) == 3 for terms in vocab._TERMS.values() for term in terms)
