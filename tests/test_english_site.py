"""The English site beside the Chinese one (site/i18n.py): every page twice, under the root and
under en/, linked to each other; interface strings from one catalogue; entries' English title and
summary where they have them, their Chinese ones marked as Chinese where not; nothing internal."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from generator.site.i18n import EN, LANGUAGES, ZH, catalogue
from helpers import entry_text, example_content
from sitebuild import mkdocs_build

pytestmark = pytest.mark.build

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
ALA = "conference-reports/ala-2022-annual-virtual/"
INTERNAL_TITLE = "2023 年 IFLA 世界圖書館與資訊大會出席心得（內部草稿）"
ENGLISH_ONLY = "tools/english-written/"  # an entry written in English, with no title_en


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("english")
    (project / "kb.yml").write_text("site:\n  name_en: Test Knowledge Base\n")
    example_content(project, every_kind=True, files={
        "tools/english-written.md": entry_text("tools", title="Open Library", language="en",
                                              summary="A free catalogue of books anyone may edit."),
    })
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def pages(site: Path, english: bool) -> set[str]:
    """The built pages of one language, as paths from its own root."""
    root = site / "en" if english else site
    out = set()
    for p in root.rglob("index.html"):
        rel = p.relative_to(root).as_posix()
        if not english and rel.startswith("en/"):
            continue
        if rel.startswith(("assets/", "admin/")):
            continue
        out.add(rel)
    return out


def html(site: Path, rel: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / rel).read_text(encoding="utf-8"))


def test_the_catalogue_has_every_string_in_both_languages():
    strings = catalogue()
    assert len(strings) > 100
    for key, (zh, en) in strings.items():
        assert zh and en, key
        # the same {names} in both, so that a page fills in either
        assert sorted(re.findall(r"\{(\w+)\}", zh)) == sorted(re.findall(r"\{(\w+)\}", en)), key
        assert not HAN.search(en) or key.startswith("language-switch"), (key, en)


def test_every_page_exists_in_both_languages(site):
    chinese, english = pages(site, False), pages(site, True)
    assert len(chinese) > 100
    assert chinese == english


def test_pages_say_their_language_and_link_to_each_other(site):
    for rel in sorted(pages(site, False))[:400]:
        for lang, here in ((ZH, rel), (EN, "en/" + rel)):
            doc = html(site, here)
            assert doc.css_first("html").attributes["lang"] == ("en" if lang is EN else "zh-TW"), here
            # Material fetches sitemap.xml beside every <link rel=alternate>: hreflang is in the sitemap
            assert not doc.css('link[rel="alternate"][hreflang]'), here
            folder = here[: -len("index.html")]
            switch = doc.css_first("a.kb-language-switch")
            assert switch is not None, here
            target = (site / folder / switch.attributes["href"]).resolve()
            expected = site / (rel if lang is EN else "en/" + rel)
            assert (target / "index.html" if target.is_dir() else target) == expected.resolve(), here
            assert switch.attributes["hreflang"] == lang.other().html


def test_the_sitemap_lists_both_languages_with_alternates(site):
    """hreflang alternates as search engines read them from a sitemap: every version of a page
    lists every version, itself included, fully qualified."""
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = tree.getroot().findall("s:url", ns)
    locs = [u.find("s:loc", ns).text for u in urls]
    assert any("/en/" + ALA in loc for loc in locs) and any(loc.endswith("/" + ALA) and "/en/" not in loc for loc in locs)
    for u in urls:
        alternates = {x.get("hreflang"): x.get("href") for x in u.findall("x:link", ns)}
        assert set(alternates) == {"zh-Hant", "en", "x-default"}, u.find("s:loc", ns).text
        assert u.find("s:loc", ns).text in alternates.values()
        assert alternates["x-default"] == alternates["zh-Hant"]
        assert all(v.startswith("https://") for v in alternates.values())
    by_loc = {u.find("s:loc", ns).text: {x.get("hreflang"): x.get("href") for x in u.findall("x:link", ns)} for u in urls}
    for loc, alternates in by_loc.items():  # reciprocal: each version names the same set
        assert by_loc[alternates["en"]] == alternates and by_loc[alternates["zh-Hant"]] == alternates, loc


def test_the_english_folder_has_its_own_sitemap(site):
    """Material's script fetches sitemap.xml beside the English feeds' links (en/): it is there,
    listing the English pages only, with their alternates."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(site / "en" / "sitemap.xml").getroot().findall("s:url", ns)
    locs = {u.find("s:loc", ns).text for u in urls}
    assert len(locs) == len(pages(site, True))
    assert all("/test-kb/en/" in loc for loc in locs)
    ala = next(u for u in urls if u.find("s:loc", ns).text.endswith("/en/" + ALA))
    assert {x.get("hreflang") for x in ala.findall("x:link", ns)} == {"zh-Hant", "en", "x-default"}


def _chrome_text(doc) -> list[str]:
    """The interface's words on a page: the header, the navigation, headings, table headings,
    the footer, the forms; what is marked as Chinese left out. (A fact panel's labels are the
    schema's, but a measured result is labelled by its metric, in the contributor's words:
    test_an_entry_with_english_fields_shows_them checks the schema's.)"""
    for node in doc.css('[lang="zh-Hant"]'):
        node.decompose()
    out = []
    for selector in ("header", "nav", "h1", "h2", "th", "footer", "label", "option", "svg title", "svg desc",
                     ".kb-pager", "#kb-search-status"):
        out += [n.text(separator=" ") for n in doc.css(selector)]
    return out


def test_english_pages_speak_english(site):
    for rel in sorted(pages(site, True)):
        if rel.startswith("contributors/") and rel != "contributors/index.html":
            continue  # a contributor's page is titled by their name, as Git has it
        doc = html(site, "en/" + rel)
        for text in _chrome_text(doc):
            # contributor's words (names, a tag's label a site left Chinese) may be Chinese; the
            # interface may not: the test site's registries all have English names.
            found = HAN.findall(text)
            assert not found, (rel, text[:200])


def test_an_entry_with_english_fields_shows_them(site):
    doc = html(site, "en/" + ALA + "index.html")
    assert doc.css_first("h1").text(strip=True) == "ALA Annual Conference 2022, attended online"
    assert "American Library Association" in doc.css_first(".kb-summary").text()
    note = doc.css_first(".kb-in-chinese")
    assert "written in" not in note.text()
    assert note.css_first("a").attributes["href"] == "../../../" + ALA
    # the attachments and citation files are the Chinese page's: linked there, never copied
    assert not (site / "en" / ALA / "citation.bib").exists()
    cite = [a.attributes["href"] for a in doc.css("a") if a.text() == "BibTeX"]
    assert cite == ["../../../" + ALA + "citation.bib"]
    assert (site / ALA / "citation.bib").exists()
    labels = [td.text(strip=True) for td in doc.css(".kb-meta td:first-child")]
    assert labels[:2] == ["Kind", "Conference or organization"] and "Tags" in labels and "First published" in labels
    assert not [label for label in labels if HAN.search(label)]


def test_an_entry_without_them_is_marked_as_chinese(site):
    doc = html(site, "en/outreach/nkust-book-swap-festival/index.html")
    h1 = doc.css_first("h1")
    assert h1.css_first('[lang="zh-Hant"]') is not None
    assert doc.css_first(".kb-summary [lang='zh-Hant']") is not None
    assert "This entry is written in Traditional Chinese." in doc.css_first(".kb-in-chinese").text()
    # the body is on the Chinese page only
    chinese = html(site, "outreach/nkust-book-swap-festival/index.html")
    assert "活動規劃" in [h.text(strip=True).rstrip("¶") for h in chinese.css("article h2")]
    assert "活動規劃" not in doc.css_first("article").text()


def test_an_entry_written_in_english_is_not_marked_chinese(site):
    doc = html(site, "en/" + ENGLISH_ONLY + "index.html")
    assert doc.css_first("h1").text(strip=True) == "Open Library"
    assert doc.css_first('h1 [lang="zh-Hant"]') is None
    assert "written in" not in doc.css_first(".kb-in-chinese").text()


def test_listings_show_english_titles_and_chinese_ones_marked(site):
    doc = html(site, "en/conference-reports/index.html")
    titles = [a.text(strip=True) for a in doc.css(".kb-list strong a")]
    assert "ALA Annual Conference 2022, attended online" in titles
    marked = [a for a in doc.css(".kb-list strong a") if a.css_first('[lang="zh-Hant"]') is not None]
    assert marked, "the entries without an English title are marked as Chinese"


def test_nothing_internal_on_either_side(site):
    for p in site.rglob("*"):
        if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt", ".csv"):
            assert INTERNAL_TITLE not in p.read_text(encoding="utf-8", errors="replace"), p


def test_english_feeds(site):
    root = ET.parse(site / "en" / "feed.xml").getroot()
    channel = root.find("channel")
    assert channel.find("language").text == "en"
    titles = [i.find("title").text for i in channel.findall("item")]
    assert "ALA Annual Conference 2022, attended online" in titles
    links = [i.find("link").text for i in channel.findall("item")]
    assert all("/en/" in link for link in links)
    chinese = ET.parse(site / "feed.xml").getroot().find("channel")
    assert chinese.find("language").text == "zh-TW"
    assert "2022 年 ALA 年會線上參與報告" in [i.find("title").text for i in chinese.findall("item")]


def test_one_search_index_holds_english_titles(site):
    meta = json.loads((site / "search" / "meta.json").read_text())
    assert {"id", "zh", "en"} <= set(meta["kinds"][0])
    texts = [p.read_text(encoding="utf-8") for p in (site / "search" / "t").glob("*.txt")]
    ala = next(t for t in texts if t.startswith("2022 年 ALA 年會線上參與報告"))
    row = json.loads(ala.split("\n")[3])
    assert row[4] == "ALA Annual Conference 2022, attended online"
    assert "attended online" in ala.split("\n")[2]  # searched with the facts
    assert not (site / "en" / "search" / "meta.json").exists()  # the English search page reads the same files
    form = html(site, "en/search/index.html").css_first("#kb-search-form")
    assert form.attributes["data-index"] == "../../search/" and form.attributes["data-lang"] == "en"
    words = json.loads(form.attributes["data-words"])
    assert words["search-prompt"] == EN.t("search-prompt")


def test_the_404_page_speaks_both(site):
    doc = html(site, "404.html")
    text = doc.css_first("article").text()
    assert ZH.t("not-found") in text and EN.t("not-found") in text


def test_a_site_can_turn_the_english_site_off(tmp_path):
    example_content(tmp_path)
    (tmp_path / "kb.yml").write_text("site:\n  english: false\n")
    result = mkdocs_build(tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert not (site / "en").exists()
    doc = html(site, ALA + "index.html")
    assert doc.css_first("a.kb-language-switch") is None
    assert not doc.css('link[rel="alternate"][hreflang]')
    assert "xhtml:link" not in (site / "sitemap.xml").read_text()


def test_languages_are_the_two_known():
    assert [lang.code for lang in LANGUAGES] == ["zh-TW", "en"]
    assert EN.prefix == "en/" and ZH.prefix == ""


def test_facts_are_worded_in_english(site):
    """The words a kind puts around values (dates, closed, separators, units) and the names of
    vocabulary values are English on English pages, Chinese on Chinese ones."""
    english = html(site, "en/jobs/cataloguer-full-time-2025/index.html")
    rows = {tr.css_first("td").text(strip=True): tr.css("td")[1].text(strip=True) for tr in english.css(".kb-meta tbody tr")}
    assert rows["Type"] == "Position offered, Full-time"
    assert "（" not in rows["Closing date"] and "(closed)" in rows["Closing date"]
    chinese = html(site, "jobs/cataloguer-full-time-2025/index.html")
    rows_zh = {tr.css_first("td").text(strip=True): tr.css("td")[1].text(strip=True) for tr in chinese.css(".kb-meta tbody tr")}
    assert rows_zh["類型"] == "徵才・專任" and "（已截止）" in rows_zh["截止日期"]
    listing = html(site, "en/jobs/archive/index.html").css_first(".kb-list").text()
    assert "closes 2025-06-30 (closed)" in listing and "截止 2025" not in listing
    report = html(site, "en/" + ALA + "index.html")
    dates = [tr.css("td")[1].text(strip=True) for tr in report.css(".kb-meta tbody tr") if tr.css_first("td").text() == "Dates"]
    assert dates == ["2022-06-22 to 2022-06-28"]
    assert "(North America)" in report.css_first(".kb-meta").text()


def test_an_entry_in_another_language_is_marked_with_it(tmp_path):
    """An entry written in Japanese shows its title marked lang=ja on the English site, and says so."""
    from generator.knowledge.indexing import load_knowledge_base
    from generator.site.context import SiteContext
    from generator.site.views.entry import entry_page

    content = example_content(tmp_path, files={"tools/japanese.md": entry_text(
        "tools", title="図書館の道具", language="ja", summary="日本語で書かれた紹介。")})
    kb = load_knowledge_base(content, "content")
    e = next(x for x in kb.public if x.rel == "tools/japanese.md")
    page = entry_page(e, kb, SiteContext().translated(EN)).markdown
    assert '<h1><span lang="ja">図書館の道具</span></h1>' in page
    assert "This entry is written in Japanese." in page and "Read the full entry &#40;in Japanese&#41;" in page


def test_a_posting_is_described_once_and_no_link_crosses_languages(site):
    """A job posting's JSON-LD is on its Chinese page only (one address per posting); the English
    page is an article about it, at its own address. Previous/next links stay in a language."""
    def data(rel):
        [script] = html(site, rel).css('script[type="application/ld+json"]')
        return json.loads(script.text())

    chinese = data("jobs/reference-librarian-contract-2027/index.html")
    english = data("en/jobs/reference-librarian-contract-2027/index.html")
    assert chinese["@type"] == "JobPosting" and english["@type"] == "Article"
    assert english["url"].endswith("/en/jobs/reference-librarian-contract-2027/")
    for rel in pages(site, False) | {"en/" + r for r in pages(site, True)}:
        for link in html(site, rel).css('link[rel="prev"], link[rel="next"]'):
            target = (site / rel).parent / link.attributes["href"]
            assert target.resolve().is_relative_to((site / "en").resolve()) == rel.startswith("en/"), rel
