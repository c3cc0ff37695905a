"""What readers see, in a real headless Chromium against the built sample site."""

from urllib.parse import urlsplit

import pytest

from browser import CHROMIUM_ARGS, require_chromium, serve
from helpers import ROOT
from sitebuild import mkdocs_build

playwright = pytest.importorskip("playwright.sync_api", reason="installed by make test")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    import shutil

    project = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "content", project / "content")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context()
    pg = context.new_page()
    requests = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.requests = requests
    yield pg
    context.close()


def search(page, site_url, query):
    page.goto(site_url, wait_until="networkidle")  # the search index is loaded
    page.fill(".md-search__input", query)
    page.press(".md-search__input", "End")  # Material reads the query on key events, as a person types
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta') && "
        "!/打字|Type/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=10000)
    meta = page.locator(".md-search-result__meta").inner_text()
    titles = [t.strip() for t in page.locator(".md-search-result__item > a article h1").all_inner_texts()]
    return meta, titles


@pytest.mark.parametrize("query,expected", [
    ("館藏", "2022 年 ALA 年會線上參與報告"),       # 館藏 only mid-sentence ("多元館藏")
    ("曬書", "曬書祭二手書交換活動"),
    ("姐妹館", "國際扶輪社"),                        # appears inside a sentence of the body
    ("TikTok", "2022 年 ALA 年會線上參與報告"),      # an English word
    ("ezproxy", "「少子化之館際合作實務與問題」分享會紀要"),  # case-insensitive
])
def test_search_finds_words_inside_sentences(page, site_url, query, expected):
    meta, titles = search(page, site_url, query)
    assert expected in titles, (meta, titles)


def test_search_is_precise(page, site_url):
    _, titles = search(page, site_url, "曬書")
    assert titles == ["曬書祭二手書交換活動", "南區聯盟二手書媒合服務"]


def test_search_with_no_result_says_so(page, site_url):
    meta, titles = search(page, site_url, "量子糾纏")
    assert titles == [] and "沒有符合" in meta


def test_internal_entry_is_not_found(page, site_url):
    meta, titles = search(page, site_url, "INTERNAL-DRAFT-MARKER")
    assert titles == []


def test_pages_fetch_nothing_from_other_hosts(page, site_url):
    for path in ("", "conference-reports/", "conference-reports/ala-2022-annual-virtual/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    hosts = {urlsplit(u).hostname for u in page.requests if not u.startswith("data:")}
    assert hosts == {"127.0.0.1"}


def test_listing_to_entry_to_tag(page, site_url):
    page.goto(site_url)
    page.get_by_role("link", name="研討會報告").first.click()
    page.get_by_role("link", name="2022 年 ALA 年會線上參與報告").click()
    assert page.locator("h1").first.inner_text() == "2022 年 ALA 年會線上參與報告"
    page.locator(".kb-meta").get_by_role("link", name="多元文化").click()
    assert "標籤：多元文化" in page.locator("h1").first.inner_text()
    assert page.get_by_role("link", name="2022 年 ALA 年會線上參與報告").count() == 1
