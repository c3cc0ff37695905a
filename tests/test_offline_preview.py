"""`kb build --offline`: the pull request's site preview, unzipped and opened from disk (file://).

No web server resolves a folder to its index.html there, and Chromium lets no page fetch()
a file: every link must name a file, and the search index comes as scripts."""

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from browser import module_browser, recording_page
from generator.search import as_script, shard_of, tokens
from generator.site import sitecheck
from helpers import example_content
from sitebuild import SITE_NAME, commit_all, write_config


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The tests' knowledge base built as `kb build --offline` builds the pull request's preview."""
    from generator.cli import main

    project = tmp_path_factory.mktemp("offline")
    example_content(project)
    commit_all(project)
    write_config(project)
    assert main(["--lang", "en", "build", "--offline", "--strict", "--root", str(project)]) == 0
    return project / "site"


def _links(page: Path):
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    for node in tree.css("a[href], link[href], img[src], script[src], form[action]"):
        yield node.attributes.get({"a": "href", "link": "href", "img": "src", "script": "src",
                                   "form": "action"}[node.tag]) or ""


def test_every_link_names_a_file(site):
    # 404.html is the server's page for a missing address (absolute links, by design): no
    # server, no 404 page.
    pages = [p for p in sorted(site.rglob("*.html")) if p.name != "404.html"]
    assert len(pages) > 100
    checked, bad = 0, []
    for page in pages:
        for url in _links(page):
            url = unquote(url.split("#", 1)[0].split("?", 1)[0])
            if not url or re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//", url):
                continue
            checked += 1
            if url.endswith("/") or url in (".", "..") or not (page.parent / url).is_file():
                bad.append((page.relative_to(site).as_posix(), url))
    assert checked > 1000 and bad == []


def test_index_files_have_their_scripts_and_results_link_to_files(site):
    search = site / "search"
    files = [f for f in search.rglob("*") if f.is_file() and f.suffix in (".json", ".txt")]
    assert files and all(f.with_suffix(".js").is_file() for f in files)
    rows = json.loads((search / "d" / "0.json").read_text(encoding="utf-8"))
    assert rows and all(r[0].endswith(".html") and (site / r[0]).is_file() for r in rows)
    assert sitecheck.scan_site(site) == []


def test_index_script_round_trip_and_forgeries_refused(tmp_path):
    text = 'a "quoted" </script> line\u2028separator'
    good = as_script("t/0.txt", text)
    assert sitecheck._index_script_ok("t/0.js", good)
    assert json.loads(good[len('kbSearchFile("t/0.txt",'):-3]) == text
    folder = tmp_path / "search" / "p"
    folder.mkdir(parents=True)
    (folder / "0.js").write_text(as_script("p/0.json", '{"ab":"1"}'), encoding="utf-8")
    (folder / "1.js").write_text(as_script("p/1.json", '{"ab":"1"}') + "alert(1);\n", encoding="utf-8")
    (folder / "2.js").write_text(as_script("p/0.json", '{"ab":"1"}'), encoding="utf-8")  # another file's
    (folder / "3.js").write_text('kbSearchFile("p/3.json",{"a":1});alert(1);({});\n', encoding="utf-8")
    (tmp_path / "search" / "evil.js").write_text("fetch('https://example.org')", encoding="utf-8")
    # No page names an index script (kb-search.js adds them), nor any other foreign script.
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "index.html").write_text(
        '<p>a</p><script src="../search/p/0.js"></script><script src="../evil/kb-search.js"></script>',
        encoding="utf-8")
    found = sorted((p.path, p.code) for p in sitecheck.scan_site(tmp_path))
    assert found == [("site/search/evil.js", "site-script"), ("site/search/p/1.js", "site-script"),
                     ("site/search/p/2.js", "site-script"), ("site/search/p/3.js", "site-script"),
                     ("site/x/index.html", "site-script"), ("site/x/index.html", "site-script")]


pytest.importorskip("playwright.sync_api", reason="installed by make test")


browser = module_browser()


@pytest.fixture
def page(browser):
    with recording_page(browser) as pg:
        yield pg
    requests = pg.requests
    # Opened from disk: nothing leaves file:// (no network at all).
    assert requests and all(u.startswith(("file://", "data:", "about:")) for u in requests), requests


def _shows_a_page(page, title: str) -> None:
    assert urlsplit(page.url).path.endswith(".html"), page.url
    assert not page.locator("text=Index of").count()  # Chromium's folder listing
    assert page.locator("h1").first.inner_text() == title or title in page.locator("h1").first.inner_text()


def test_click_through_and_search_from_disk(page, site):
    page.goto((site / "index.html").as_uri())
    _shows_a_page(page, SITE_NAME)
    page.get_by_role("link", name="研討會報告").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/conference-reports/index.html")
    _shows_a_page(page, "研討會報告")
    page.get_by_role("link", name="2022 年 ALA 年會線上參與報告").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/conference-reports/ala-2022-annual-virtual.html")
    _shows_a_page(page, "2022 年 ALA 年會線上參與報告")
    page.locator(".kb-meta").get_by_role("link", name="多元文化").click()
    page.wait_for_load_state()
    assert page.url.endswith("/index.html")
    _shows_a_page(page, "標籤：多元文化")

    # The header's search, from the tag page: 館藏 occurs only mid-sentence ("多元館藏").
    page.fill("#kb-header-q", "館藏")
    page.press("#kb-header-q", "Enter")
    page.wait_for_url("**/search/index.html?q=*")
    page.wait_for_function("document.body && (document.body.getAttribute('data-kb-search') === 'done' || "
                           "/無法使用|沒有/.test(document.getElementById('kb-search-status').textContent))",
                           timeout=10000)
    status = page.inner_text("#kb-search-status")
    titles = page.locator(".kb-result__title").all_inner_texts()
    assert "2022 年 ALA 年會線上參與報告" in titles, (status, titles)
    # Only the shards of the query's tokens were loaded, as scripts.
    meta = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))
    wanted = {f"p/{shard_of(t, meta['shards'])}.js" for t in tokens("館藏")}
    loaded = {re.sub(r"^.*/search/", "", u) for u in page.requests if "/search/p/" in u}
    assert loaded == wanted
    assert not any(u.endswith((".json", ".txt")) for u in page.requests)
    page.get_by_role("link", name="2022 年 ALA 年會線上參與報告").click()
    page.wait_for_load_state()
    assert page.url.endswith("/conference-reports/ala-2022-annual-virtual.html")
    _shows_a_page(page, "2022 年 ALA 年會線上參與報告")


def test_search_page_form_from_disk(page, site):
    page.goto((site / "search" / "index.html").as_uri())
    page.fill("#kb-search-form input[name=q]", "曬書")
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'", timeout=10000)
    assert page.locator(".kb-result__title").first.inner_text() == "曬書祭二手書交換活動"
    assert "q=" in page.url and page.url.startswith("file://")
