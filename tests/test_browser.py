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


def search(page, site_url, query, **filters):
    """Run a search through the search page's URL, as a bookmarked search would."""
    from urllib.parse import urlencode

    page.goto(site_url + "search/?" + urlencode({"q": query, **filters}))
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done' || "
                           "/沒有/.test(document.getElementById('kb-search-status').textContent)", timeout=10000)
    status = page.inner_text("#kb-search-status")
    titles = page.locator(".kb-result__title").all_inner_texts()
    return status, titles


@pytest.mark.parametrize("query,expected", [
    ("館藏", "2022 年 ALA 年會線上參與報告"),       # 館藏 only mid-sentence ("多元館藏")
    ("曬書", "曬書祭二手書交換活動"),
    ("姐妹館", "國際扶輪社"),                        # inside a sentence of the body
    ("TikTok", "2022 年 ALA 年會線上參與報告"),      # an English word
    ("ezproxy", "「少子化之館際合作實務與問題」分享會紀要"),  # any letter case
    ("图书馆", "國際扶輪社"),                        # Simplified input finds Traditional text
])
def test_search_finds_words_inside_sentences(page, site_url, query, expected):
    status, titles = search(page, site_url, query)
    assert expected in titles, (status, titles)


def test_search_is_precise_and_highlights(page, site_url):
    _, titles = search(page, site_url, "曬書")
    assert titles == ["曬書祭二手書交換活動", "南區聯盟二手書媒合服務"]
    marks = page.locator(".kb-result__excerpt mark").all_inner_texts()
    assert marks and all(m == "曬書" for m in marks)
    meta = page.locator(".kb-result__meta").first.inner_text()
    assert meta == "推廣活動 · 2024-01-20"


def test_search_filters_by_kind_year_and_tag(page, site_url):
    _, all_titles = search(page, site_url, "圖書館")
    _, tools = search(page, site_url, "圖書館", kind="tool")
    assert tools and set(tools) < set(all_titles)
    assert all(m.startswith("工具與網站") for m in page.locator(".kb-result__meta").all_inner_texts())
    _, y2016 = search(page, site_url, "推廣", year="2016")
    assert y2016 == ["曬書祭二手書交換活動"]
    _, tagged = search(page, site_url, "圖書館", tag="sister-library")
    assert tagged and "曬書祭二手書交換活動" not in tagged
    page.select_option("select[name=kind]", "lesson-plan")
    page.wait_for_function("location.search.includes('kind=lesson-plan')")
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'")


def test_search_with_no_result_says_so(page, site_url):
    status, titles = search(page, site_url, "量子糾纏")
    assert titles == [] and "沒有找到「量子糾纏」" in status


def test_internal_entry_is_not_found(page, site_url):
    status, titles = search(page, site_url, "INTERNAL-DRAFT-MARKER")
    assert titles == []


def test_header_search_goes_to_a_bookmarkable_search(page, site_url):
    page.goto(site_url + "tools/")
    page.fill("#kb-header-q", "姐妹館")
    page.press("#kb-header-q", "Enter")
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'")
    assert "/search/?q=%E5%A7%90%E5%A6%B9%E9%A4%A8" in page.url
    assert page.locator(".kb-result__title").count() == 4
    page.fill("#kb-search-form input[name=q]", "Koha 系統")
    page.wait_for_function("decodeURIComponent(location.search).includes('Koha 系統') || "
                           "decodeURIComponent(location.search).includes('Koha+系統')")


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
