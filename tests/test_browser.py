"""What readers see, in a real headless Chromium against the tests' knowledge base, built."""

from urllib.parse import urlsplit

import re

import pytest

from browser import chromium, recording_page, serve
from helpers import ROOT, example_content
from sitebuild import mkdocs_build

pytest.importorskip("playwright.sync_api", reason="installed by make test")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    project = tmp_path_factory.mktemp("site")
    example_content(project)
    (project / "kb.yml").write_text("listing:\n  page_size: 2\n")  # small pages: the listings have a page 2
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, site_url):
    with recording_page(browser) as pg:
        yield pg
    requests = pg.requests
    # Offline and private: whatever a test did, the page asked no host but this one.
    assert {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "about:"))} <= {"127.0.0.1"}


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
    ("扶轮", "國際扶輪社"),                        # Simplified input finds Traditional text
])
def test_search_finds_words_inside_sentences(page, site_url, query, expected):
    status, titles = search(page, site_url, query)
    assert expected in titles, (status, titles)


def test_search_is_precise_and_highlights(page, site_url):
    _, titles = search(page, site_url, "曬書")
    # Exactly the entries that say 曬書, the one with it in its title first.
    assert titles[0] == "曬書祭二手書交換活動"
    assert sorted(titles[1:]) == sorted(["南區聯盟二手書媒合服務", "想辦二手書交換活動，要注意哪些事？"])
    marks = page.locator(".kb-result__excerpt mark").all_inner_texts()
    assert marks and all(m == "曬書" for m in marks)
    meta = page.locator(".kb-result__meta").first.inner_text()
    assert meta == "推廣活動 · 2024-01-20"


def test_search_filters_by_kind_year_and_tag(page, site_url):
    _, all_titles = search(page, site_url, "姐妹城市")
    _, tools = search(page, site_url, "姐妹城市", kind="tool")
    assert tools and set(tools) < set(all_titles)
    assert all(m.startswith("工具與網站") for m in page.locator(".kb-result__meta").all_inner_texts())
    _, y2016 = search(page, site_url, "推廣", year="2016")
    assert sorted(y2016) == sorted(["曬書祭二手書交換活動", "臺灣學術圖書館論壇：以學會為後盾的館員交流平台"])
    _, tagged = search(page, site_url, "圖書館", tag="sister-library")
    assert tagged and "曬書祭二手書交換活動" not in tagged
    page.select_option("select[name=kind]", "lesson-plan")
    page.wait_for_function("location.search.includes('kind=lesson-plan')")
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'")


def test_search_marks_closed_postings(page, site_url):
    _, titles = search(page, site_url, "觀光餐旅")
    assert titles == ["出售二手教科書一批（觀光餐旅類）"]  # an offer already taken
    assert page.locator(".kb-result__meta").first.inner_text().startswith("已截止 資源交換 · ")
    assert page.locator(".kb-result__meta .kb-closed-tag").count() == 1
    _, titles = search(page, site_url, "曬書")
    assert page.locator(".kb-result__meta .kb-closed-tag").count() == 0  # open entries carry no mark


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
    page.wait_for_url("**/search/**")  # the new document first: before it, document.body may be null
    page.wait_for_function("document.body && document.body.getAttribute('data-kb-search') === 'done'")
    assert "/search/?q=%E5%A7%90%E5%A6%B9%E9%A4%A8" in page.url
    found = int(re.search(r"找到 (\d+) 筆", page.locator("#kb-search-status").inner_text()).group(1))
    assert found >= 4 and page.locator(".kb-result__title").count() == min(found, 10)
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


SHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {"home": "", "listing": "conference-reports/", "entry": "outreach/nkust-book-swap-festival/",
         "search": "search/?q=%E9%A4%A8%E8%97%8F", "stats": "stats/conference-reports/", "exchange": "exchange/",
         "archived": "jobs/cataloguer-full-time-2025/", "directory": "organizations/", "export": "export/",
         "report": "conference-reports/ala-2022-annual-virtual/"}


def test_home_listing_page_two_entry_tag_and_back(page, site_url):
    page.goto(site_url)
    page.locator(".md-tabs").get_by_role("link", name="知識分享").click()  # a section tab opens its first page
    page.wait_for_url("**/conference-reports/")  # waits for the page's load, not only the new URL
    first = page.locator(".kb-list strong a").all_inner_texts()
    assert len(first) == 2
    page.get_by_role("link", name="下一頁 ›").click()
    page.wait_for_url("**/conference-reports/page/2/")  # the page's load, not only its URL
    second = page.locator(".kb-list strong a").all_inner_texts()
    assert second and not set(second) & set(first)
    page.get_by_role("link", name=second[0]).click()
    entry_url = page.url
    assert page.locator("h1").first.inner_text() == second[0]
    tag = page.locator(".kb-meta a[href*='/tags/']").first
    tag_name = tag.inner_text()
    tag.click()
    assert tag_name in page.locator("h1").first.inner_text()
    listed, steps = page.locator(".kb-list").inner_text(), 1
    while second[0] not in listed:  # the tag's listing may run over several pages
        page.get_by_role("link", name="下一頁 ›").click()
        listed, steps = page.locator(".kb-list").inner_text(), steps + 1
    for _ in range(steps):
        page.go_back()
    assert page.url == entry_url


@pytest.mark.parametrize("path,present,absent", [
    ("years/2022/", "2022 年 ALA 年會線上參與報告", "曬書祭二手書交換活動"),
    ("organizations/ALA/", "2022 年 ALA 年會線上參與報告", "高科大圖書館資源共享經驗交流會紀要"),
    ("institutions/nkust-lib/", "贈送複本期刊合訂本約 120 冊", "2022 年 ALA 年會線上參與報告"),
    ("audiences/librarians/", "國際扶輪社", "曬書祭二手書交換活動"),
])
def test_facet_pages_list_the_right_entries(page, site_url, path, present, absent):
    page.goto(site_url + path)
    text = page.locator("article").inner_text()
    assert present in text and absent not in text
    assert "內部草稿" not in text


def test_related_entries_link_to_existing_pages(page, site_url):
    page.goto(site_url + "conference-reports/ala-2022-annual-virtual/")
    links = page.locator("#kb-related + ul a")
    assert links.count() >= 1
    for href in links.evaluate_all("as => as.map(a => a.href)"):
        assert page.request.get(href).status == 200


def test_entry_page_panel_attachments_and_edit_link(page, site_url):
    page.goto(site_url + PAGES["entry"])
    panel = page.locator(".kb-meta").inner_text()
    for fact in ("機構", "國立高雄科技大學圖書館", "2016-09-15 至 2016-09-25", "二手書交換", "聯絡方式", "[at]"):
        assert fact in panel
    pdf = page.locator("a", has_text="活動海報")
    response = page.request.get(pdf.evaluate("a => a.href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    edit = page.get_by_role("link", name="編輯此條目").get_attribute("href")
    assert edit.endswith("/edit/main/content/outreach/nkust-book-swap-festival/index.md")


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("language", ["", "en/"])
def test_phone_has_no_horizontal_scrolling_and_search_is_reachable(browser, site_url, name, language):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + language + PAGES[name], wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone-{language.strip('/') or 'zh'}-{name}.png"))
    assert page.locator("a.kb-language-switch").is_visible()  # the other language, one tap away
    button = page.locator(".kb-header-search__button")
    assert button.is_visible()
    button.click()
    page.wait_for_url(f"**/{language}search/**")
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("language", ["", "en/"])
def test_accessibility_and_structure(page, site_url, name, language):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + language + PAGES[name], wait_until="networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"desktop-{language.strip('/') or 'zh'}-{name}.png"), full_page=True)
    assert page.locator("html").get_attribute("lang") == ("en" if language else "zh-TW")
    assert page.locator("h1").count() == 1
    assert page.locator("header").count() >= 1 and page.locator("main").count() == 1
    assert page.locator("nav").count() >= 1
    assert page.locator("img:not([alt])").count() == 0
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


ALA = ("conference-reports/ala-2022-annual-virtual/", "2022 年 ALA 年會線上參與報告", "ALA Annual Conference 2022, attended online")


def _switch(page):
    """Follow the header's link to the same page in the other language."""
    page.locator("a.kb-language-switch").click()
    page.wait_for_load_state()


def test_switching_language_on_an_entry_keeps_the_entry(page, site_url):
    path, chinese, english = ALA
    page.goto(site_url + path)
    assert page.locator("h1").inner_text() == chinese
    _switch(page)
    assert page.url == site_url + "en/" + path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == english
    assert page.get_by_text("Read the full entry (in Traditional Chinese)").count() == 1
    _switch(page)
    assert page.url == site_url + path and page.locator("h1").inner_text() == chinese


def test_switching_language_on_a_listing_finds_the_same_entry(page, site_url):
    path, chinese, english = ALA
    page.goto(site_url + "conference-reports/")
    assert page.get_by_role("link", name=chinese).count() == 1
    _switch(page)
    assert page.url == site_url + "en/conference-reports/"
    page.get_by_role("link", name=english).click()
    page.wait_for_load_state()
    assert page.url == site_url + "en/" + path


def test_switching_language_on_the_search_page_keeps_the_search(page, site_url):
    path, chinese, english = ALA
    status, titles = search(page, site_url, "ALA")
    assert chinese in titles
    _switch(page)
    assert page.url.startswith(site_url + "en/search/?q=ALA")
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'", timeout=10000)
    assert english in page.locator(".kb-result__title").all_inner_texts()
    assert page.inner_text("#kb-search-status").startswith("Results for")
    page.get_by_role("link", name=english).click()
    page.wait_for_load_state()
    assert page.url == site_url + "en/" + path


def test_english_search_finds_english_and_chinese_words(page, site_url):
    for query in ("attended online", "館藏"):
        page.goto(site_url + "en/search/?q=" + query)
        page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'", timeout=10000)
        assert ALA[2] in page.locator(".kb-result__title").all_inner_texts(), query
    # no sentence of the body has the English words: the entry's English summary is the excerpt
    page.goto(site_url + "en/search/?q=attended online")
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'", timeout=10000)
    excerpt = page.locator(".kb-result__excerpt").first
    assert "American Library Association" in excerpt.inner_text() and excerpt.get_attribute("lang") is None
    # an entry without an English title: its own, marked with its language
    page.goto(site_url + "en/search/?q=館藏")
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done'", timeout=10000)
    marked = page.locator(".kb-result__title[lang='zh-Hant']")
    assert marked.count() >= 1
