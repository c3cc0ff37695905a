"""The reader's own tools in Chromium, on a real build of the tests' knowledge base with the
discussion turned on: 收藏 on entry pages, 我的收藏 (cards, gone and closed entries, export to a
file, import from one, hostile files), and a discussion that asks no other host anything until
the reader presses its button (giscus.app answered by a local stub: no network)."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest

from attack_corpus import sample, xss_payloads
from browser import module_browser, recording_page, serve
from helpers import entry_text, example_content, write
from sitebuild import mkdocs_build

pytest.importorskip("playwright.sync_api", reason="installed by make test")

TOOL = ("tools/ifla/", "國際圖書館協會聯盟（IFLA）")
CLOSED_JOB = ("jobs/cataloguer-full-time-2025/", "徵編目館員一名（專任）")
FILLER = 190
KB_YML = ("discussion:\n  enabled: true\n  repo_id: R_kgDOabcd\n  category: 條目討論\n"
          "  category_id: DIC_kwDOabcd4Cxyz\n")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    project = tmp_path_factory.mktemp("reader-site")
    content = example_content(project)
    # Older tools after the tests' entries: the search index's documents fill FILLER // 20 more chunks,
    # which 我的收藏 need not all read.
    for n in range(FILLER):
        write(content, f"tools/filler-{n}.md", entry_text("tools", title=f"舊工具 {n}", url=f"https://example.org/f{n}",
                                                          date=dt.date(2001, 1, 1) + dt.timedelta(days=n)))
    (project / "kb.yml").write_text(KB_YML, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as url:
        yield url


browser = module_browser()


@pytest.fixture
def page(browser, site_url):
    with recording_page(browser) as pg:
        pg.dialogs = []
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        yield pg
    # Private: whatever a test did, no request left this site (the discussion test routes its own).
    assert {urlsplit(u).hostname for u in pg.requests if not u.startswith(("data:", "about:", "blob:"))} <= {"127.0.0.1"}
    assert pg.dialogs == []


def open_collection(page, site_url):
    page.goto(site_url + "collection/")
    page.wait_for_selector("#kb-collection[data-kb-checked]", state="attached", timeout=10000)


def cards(page):
    """Each card's title, as text, and its tags."""
    return page.evaluate("""() => [...document.querySelectorAll('#kb-collection-list > li')].map(li => ({
        title: li.querySelector('strong').textContent,
        link: li.querySelector('strong a') ? li.querySelector('strong a').getAttribute('href') : null,
        tags: [...li.querySelectorAll('.kb-closed-tag, .kb-gone-tag')].map(t => t.textContent)}))""")


def collect(page, site_url, path):
    page.goto(site_url + path)
    button = page.locator(".kb-collect__button")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    button.focus()
    page.keyboard.press("Enter")  # by keyboard
    assert button.get_attribute("aria-pressed") == "true"
    assert page.inner_text(".kb-collect__status") == "已加入我的收藏。"


def test_collect_two_entries_reload_export_clear_and_import(page, site_url, tmp_path):
    collect(page, site_url, TOOL[0])
    collect(page, site_url, CLOSED_JOB[0])
    page.reload()
    assert page.locator(".kb-collect__button").get_attribute("aria-pressed") == "true"
    open_collection(page, site_url)
    # Newest first; the job past its closing date says so, as in a listing.
    assert cards(page) == [{"title": CLOSED_JOB[1], "link": "../" + CLOSED_JOB[0], "tags": ["已截止"]},
                           {"title": TOOL[1], "link": "../" + TOOL[0], "tags": []}]
    assert page.inner_text("#kb-collection-status").startswith("共 2 筆。")
    # Found where their dates put them in the search index: a few of its chunks, not all.
    chunks = {u for u in page.requests if "/search/d/" in u}
    total = json.loads(page.evaluate("fetch('../search/meta.json').then(r => r.text())"))
    assert total["docs"] > FILLER and len(chunks) <= 8 < total["docs"] // total["chunk"], sorted(chunks)
    # The same markup as a listing's cards.
    assert page.locator("#kb-collection-list.kb-list > li > strong > a").count() == 2
    assert page.locator("#kb-collection-list .kb-facts").first.inner_text().startswith("2025-05-01 · 求才求職 · 收藏於 ")

    with page.expect_download() as got:
        page.click("#kb-collection-export")
    saved = tmp_path / got.value.suggested_filename
    got.value.save_as(saved)
    assert saved.name.startswith("my-collection-") and saved.suffix == ".json"
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"]) == ("kb-collection", 1)
    assert [(i["url"], i["title"], i["kind"], i["date"]) for i in doc["items"]] == [
        (CLOSED_JOB[0], CLOSED_JOB[1], "求才求職", "2025-05-01"), (TOOL[0], TOOL[1], "工具與網站", doc["items"][1]["date"])]
    assert all(i["summary"] and i["collected"].endswith("Z") for i in doc["items"])

    page.evaluate("localStorage.clear()")
    open_collection(page, site_url)
    assert cards(page) == [] and page.inner_text("#kb-collection-status") == "還沒有收藏任何條目：在條目頁按「收藏」。"

    page.set_input_files("#kb-collection-import", str(saved))
    page.wait_for_selector("#kb-collection[data-kb-imported]", state="attached")
    assert page.inner_text("#kb-collection-message") == "已匯入 2 筆新收藏（另有 0 筆原本就在清單中）。"
    assert [c["title"] for c in cards(page)] == [CLOSED_JOB[1], TOOL[1]]
    page.reload()
    page.wait_for_selector("#kb-collection[data-kb-checked]", state="attached")
    assert [c["title"] for c in cards(page)] == [CLOSED_JOB[1], TOOL[1]]
    # Importing the same file again adds nothing; the entry's page shows it collected.
    page.evaluate("document.getElementById('kb-collection').removeAttribute('data-kb-imported')")
    page.set_input_files("#kb-collection-import", str(saved))
    page.wait_for_selector("#kb-collection[data-kb-imported]", state="attached")
    assert page.inner_text("#kb-collection-message") == "已匯入 0 筆新收藏（另有 2 筆原本就在清單中）。"
    page.goto(site_url + TOOL[0])
    assert page.locator(".kb-collect__button").get_attribute("aria-pressed") == "true"
    # Pressed again: out of the collection, and the card is gone from 我的收藏.
    page.click(".kb-collect__button")
    assert page.locator(".kb-collect__button").get_attribute("aria-pressed") == "false"
    assert page.inner_text(".kb-collect__status") == "已從我的收藏移除。"
    open_collection(page, site_url)
    assert [c["title"] for c in cards(page)] == [CLOSED_JOB[1]]


def item(url="tools/ifla/", title="標題", **kw):
    return {"url": url, "title": title, "kind": "工具與網站", "summary": "摘要", "date": "2024-01-01",
            "collected": "2026-01-02T03:04:05.000Z", **kw}


def import_doc(page, doc, name="x.json"):
    data = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode("utf-8")
    page.evaluate("document.getElementById('kb-collection').removeAttribute('data-kb-imported')")
    page.set_input_files("#kb-collection-import", files=[{"name": name, "mimeType": "application/json", "buffer": data}])
    page.wait_for_selector("#kb-collection[data-kb-imported]", state="attached")
    return page.inner_text("#kb-collection-message")


def test_a_hostile_file_runs_no_script_and_shows_its_text_as_written(page, site_url):
    payloads = [p for p in sample(xss_payloads(), 60) if p.strip() and len(p) <= 500]
    assert len(payloads) > 40
    items = [item(url=f"gone/{n}/", title=p, kind=p[:100], summary=p, collected=f"2026-01-01T00:00:{n % 60:02d}.000Z")
             for n, p in enumerate(payloads)]
    open_collection(page, site_url)
    assert import_doc(page, {"format": "kb-collection", "version": 1, "items": items}).startswith(
        f"已匯入 {len(items)} 筆新收藏")
    page.wait_for_timeout(300)  # an onerror or a timer would have fired
    shown = cards(page)
    assert sorted(c["title"] for c in shown) == sorted(payloads)
    # Not on this site: marked as gone and not linked.
    assert all(c["tags"] == ["已不在網站上"] and c["link"] is None for c in shown)
    tags = page.evaluate("[...new Set([...document.querySelectorAll('#kb-collection-list *')].map(e => e.tagName))]")
    assert set(tags) <= {"LI", "SPAN", "STRONG", "BR", "BUTTON"}
    assert page.evaluate("document.querySelectorAll('#kb-collection-list [onerror], #kb-collection-list [onload]').length") == 0
    assert page.dialogs == []
    summaries = page.evaluate("[...document.querySelectorAll('#kb-collection-list > li')].map(li => li.childNodes[6].textContent)")
    assert sorted(s.rstrip(" ") for s in summaries) == sorted(p.rstrip(" ") for p in payloads)


@pytest.mark.parametrize(("doc", "message"), [
    (b"{not json", "這個檔案無法讀成 JSON，不是收藏檔：沒有匯入任何條目。"),
    ({"format": "other", "version": 1, "items": []}, "這個檔案不是「我的收藏」匯出的檔案：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(), item(url="javascript:alert(1)")]},
     "收藏檔第 2 筆的「url」不正確：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(url="//evil.example.org/")]},
     "收藏檔第 1 筆的「url」不正確：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(url="tools/%2e%2e/%2e%2e/x/")]},
     "收藏檔第 1 筆的「url」不正確：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(url="tools/../../x/")]},
     "收藏檔第 1 筆的「url」不正確：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(onclick="alert(1)")]},
     "收藏檔第 1 筆的「onclick」不正確：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(title=["<b>x</b>"])]},
     "收藏檔第 1 筆的「title」不正確：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(date="2024-13-45")]},
     "收藏檔第 1 筆的「date」不正確：沒有匯入任何條目。"),
    ({"format": "kb-collection", "version": 1, "items": [item(collected=None)]},
     "收藏檔第 1 筆的「collected」不正確：沒有匯入任何條目。"),
])
def test_a_malformed_file_is_refused_whole_with_a_clear_message(page, site_url, doc, message):
    open_collection(page, site_url)
    assert import_doc(page, doc) == message
    assert cards(page) == [] and page.inner_text("#kb-collection-status") == "還沒有收藏任何條目：在條目頁按「收藏」。"


def test_without_javascript_no_button_and_the_page_says_it_needs_it(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(site_url + TOOL[0])
        assert not pg.locator(".kb-collect__button").is_visible()
        assert not pg.locator(".kb-discussion__button").is_visible()
        assert pg.locator(".kb-discussion__link a").is_visible()  # the plain link needs no script
        pg.goto(site_url + "collection/")
        assert "我的收藏需要 JavaScript" in pg.inner_text("article")
        assert not pg.locator("#kb-collection-export").is_visible()
    finally:
        context.close()


def test_nothing_third_party_loads_until_the_discussion_is_asked_for(browser, site_url):
    context = browser.new_context()
    requests: list[str] = []
    stub = ("document.body.setAttribute('data-giscus-stub', "
            "JSON.stringify(Object.assign({}, document.currentScript.dataset)));")

    def route(r):
        host = urlsplit(r.request.url).hostname
        if host == "127.0.0.1":
            r.continue_()
        elif r.request.url == "https://giscus.app/client.js":
            r.fulfill(status=200, content_type="text/javascript", body=stub)
        else:
            r.abort()

    try:
        pg = context.new_page()
        pg.on("request", lambda r: requests.append(r.url))
        pg.route("**/*", route)
        pg.goto(site_url + TOOL[0], wait_until="networkidle")
        link = pg.locator(".kb-discussion__link a")
        assert link.get_attribute("href") == ("https://github.com/example-org/test-kb/discussions?discussions_q="
                                              "in%3Atitle%20%22tools%2Fifla%22")
        button = pg.get_by_role("button", name="載入討論（GitHub Discussions）")
        assert button.is_visible()
        pg.mouse.wheel(0, 5000)  # scrolled to the discussion: still nothing
        pg.wait_for_timeout(500)
        assert {urlsplit(u).hostname for u in requests} == {"127.0.0.1"}, requests
        button.focus()
        pg.keyboard.press("Enter")
        pg.wait_for_selector("body[data-giscus-stub]", state="attached", timeout=5000)
        assert "https://giscus.app/client.js" in requests
        assert {urlsplit(u).hostname for u in requests} == {"127.0.0.1", "giscus.app"}
        data = json.loads(pg.get_attribute("body", "data-giscus-stub"))
        assert data == {"repo": "example-org/test-kb", "repoId": "R_kgDOabcd", "category": "條目討論",
                        "categoryId": "DIC_kwDOabcd4Cxyz", "mapping": "specific", "term": "tools/ifla", "strict": "1",
                        "reactionsEnabled": "1", "emitMetadata": "0", "inputPosition": "bottom",
                        "theme": "light", "lang": "zh-TW"}
        assert pg.get_attribute("script[src='https://giscus.app/client.js']", "crossorigin") == "anonymous"
        assert button.is_disabled()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_controls_are_accessible_on_desktop_and_phone(page, site_url, width):
    from helpers import ROOT

    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    page.set_viewport_size({"width": width, "height": 900})
    collect(page, site_url, TOOL[0])
    for path in (TOOL[0], "collection/"):
        page.goto(site_url + path, wait_until="networkidle")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
                if v["impact"] in ("serious", "critical")] == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path  # no sideways scrolling
        # Each control is a button or a field big enough to tap, with a visible focus ring.
        for control in page.locator("article button:visible, article input:visible").all():
            box = control.bounding_box()
            assert box["height"] >= 24 and box["width"] >= 24, (path, control.inner_text())
            control.focus()
            outline = control.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
            assert outline.split()[0] != "none" and outline.split()[1] != "0px", (path, outline)


def test_one_collection_for_both_languages(page, site_url):
    """What a reader collects on a Chinese page is on the English site's My collection, linking
    to the English page, and a collect button there knows it is collected."""
    collect(page, site_url, TOOL[0])
    page.goto(site_url + "en/collection/")
    page.wait_for_selector("#kb-collection[data-kb-checked]", state="attached", timeout=10000)
    found = cards(page)
    assert [c["title"] for c in found] == [TOOL[1]]  # the words it was collected with
    assert page.inner_text("#kb-collection-status").startswith("Collected: 1.")
    page.click(f"#kb-collection-list a[href$='{TOOL[0]}']")
    page.wait_for_load_state()
    assert page.url == site_url + "en/" + TOOL[0]
    assert page.locator(".kb-collect__button").get_attribute("aria-pressed") == "true"
    assert page.inner_text(".kb-collect__button") == "Collect"
