"""The search page in Chromium on a small index: pages of results in the URL and by keyboard,
excerpts from the body with the phrase marked as typed, phrases as phrases, hostile titles as text.

The page is the real template (search.html) and script (kb-search.js) around an index built by
generator.search, served on localhost without the rest of the site (no MkDocs build)."""

import json
import datetime as dt
import re
import shutil
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from browser import module_browser, recording_page, serve
from generator.site.i18n import ZH
from generator.site.views.search import SCRIPT_WORDS
from generator.knowledge.indexing import load_knowledge_base
from generator.search import build_index
from generator.site.render import environment
from helpers import ROOT, entry_text, new_content, write

pytest.importorskip("playwright.sync_api", reason="installed by make test")

PAGE = """<!doctype html><html lang="zh-TW"><head><meta charset="utf-8"><title>搜尋</title></head>
<body><main>{form}</main><script src="../assets/javascripts/kb-search.js"></script></body></html>"""


def _tool(content, name, title, body, **kw):
    write(content, f"tools/{name}.md", entry_text("tools", title=title, url=f"https://example.org/{name}",
                                                  body=f"## 介紹\n\n{body}\n", **kw))


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search-site")
    content = new_content(tmp)
    for i in range(12):
        _tool(content, f"t{i}", f"工具 {i}", f"這是第 {i} 個推廣閱讀的方法。", date=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    write(content, "outreach/mail.md", entry_text(
        "outreach", title="聯合書展", tags=["interlibrary-cooperation"],
        body="## 活動規劃\n\n今年我們與鄰近的學校推動館際合作，一起辦書展。\n\n## 活動成果\n\n成果豐碩。\n\n"
             "## 檢討與建議\n\n下次提早宣傳。\n"))
    _tool(content, "summary-only", "摘要提到", "內文沒有那個詞。", summary="談館際合作的摘要。")
    _tool(content, "phrase", "大專校院", "本聯盟由大學校院的圖書館組成。")
    _tool(content, "apart", "分開的字", "這所大學很大。學校很新。校院之間常有交流。")
    _tool(content, "hostile", '<img src=x onerror="document.title=1">館際合作', "惡意標題。")
    kb = load_knowledge_base(content, "content")
    assert not [p for p in kb.problems if p.level.name == "ERROR"], kb.problems
    site = tmp / "site"
    for rel, text in build_index(kb).items():
        (site / "search" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "search" / rel).write_text(text, encoding="utf-8")
    # the search page's view gives the template its language and the script's words (site/views/search.py)
    form = environment().get_template("search.html").render(
        kinds=[("tool", "工具與網站"), ("outreach", "推廣活動")], years=[2024], tags=[], action=".", t=ZH.t, lang=ZH,
        index="./", words=json.dumps({k: ZH.t(k) for k in SCRIPT_WORDS}, ensure_ascii=False))
    (site / "search" / "index.html").write_text(PAGE.format(form=form), encoding="utf-8")
    (site / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy(ROOT / "overrides/assets/javascripts/kb-search.js", site / "assets/javascripts/kb-search.js")
    with serve(site) as url:
        yield url + "search/"


browser = module_browser()


@pytest.fixture
def page(browser):
    with recording_page(browser) as pg:
        yield pg


def done(page):
    page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done' || "
                           "/沒有/.test(document.getElementById('kb-search-status').textContent)", timeout=10000)
    page.evaluate("document.body.removeAttribute('data-kb-search')")


def open_search(pg, url, query, **params):
    pg.goto(url + "?q=" + quote(query) + "".join(f"&{k}={v}" for k, v in params.items()))
    done(pg)
    return pg.locator(".kb-result__title").all_inner_texts()


def test_more_than_ten_results_in_pages_kept_in_the_url(page, site_url):
    first = open_search(page, site_url, "推廣閱讀")
    status = page.inner_text("#kb-search-status")
    assert len(first) == 10 and "找到 12 筆「推廣閱讀」的結果，第 1 頁" in status
    assert page.inner_text("#kb-search-pages") == "第 1 / 2 頁 · 下一頁 › · 最後一頁 »"
    # By keyboard: the next page's link, Enter.
    page.focus("#kb-search-pages a[rel=next]")
    page.keyboard.press("Enter")
    done(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["推廣閱讀"], "page": ["2"]}
    second = page.locator(".kb-result__title").all_inner_texts()
    assert len(second) == 2 and not set(first) & set(second)
    assert page.evaluate("document.activeElement.id") == "kb-search-results"
    assert "‹ 上一頁" in page.inner_text("#kb-search-pages")
    page.go_back()
    done(page)
    assert page.locator(".kb-result__title").all_inner_texts() == first and "page" not in page.url
    # The URL alone gives the same page; one past the end gives the last.
    assert open_search(page, site_url, "推廣閱讀", page=2) == second
    assert open_search(page, site_url, "推廣閱讀", page=9) == second and "page=2" in page.url
    # Newest first among equals: the twelve bodies differ only in their number.
    assert first[0] == "工具 11"


def test_excerpt_from_the_body_with_the_phrase_as_typed(page, site_url):
    titles = open_search(page, site_url, "馆际合作")  # Simplified input, Traditional text
    assert set(titles) == {"聯合書展", "摘要提到", '<img src=x onerror="document.title=1">館際合作'}
    excerpts = dict(zip(titles, page.locator(".kb-result__excerpt").all_inner_texts()))
    # The tag (館際合作) and the contact address are in the facts: the excerpt is the body's.
    assert "推動館際合作，一起辦書展" in excerpts["聯合書展"]
    assert not re.search(r"\[at\]|\[dot\]|example|2024-01-10", excerpts["聯合書展"])
    assert excerpts["摘要提到"] == "談館際合作的摘要。"  # not in the body: the summary
    assert set(page.locator(".kb-result__excerpt mark").all_inner_texts()) == {"館際合作"}


def test_a_phrase_split_across_sentences_is_not_shown(page, site_url):
    assert open_search(page, site_url, "大學校院") == ["大專校院"]
    assert sorted(open_search(page, site_url, "大學")) == ["分開的字", "大專校院"]


def test_hostile_titles_are_text(page, site_url):
    titles = open_search(page, site_url, "惡意標題")
    assert titles == ['<img src=x onerror="document.title=1">館際合作']
    assert page.locator("#kb-search-results img").count() == 0 and page.title() == "搜尋"
    assert page.locator(".kb-result__title").first.get_attribute("href") == "../tools/hostile/"


def test_typing_searches_and_replaces_the_address(page, site_url):
    page.goto(site_url)
    page.fill("#kb-search-form input[name=q]", "推廣閱讀")
    done(page)
    page.focus("#kb-search-pages a[rel=next]")
    page.keyboard.press("Enter")
    done(page)
    page.fill("#kb-search-form input[name=q]", "大學")  # a new query starts at its first page
    done(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["大學"]}
    assert len(page.locator(".kb-result__title").all_inner_texts()) == 2
    assert page.locator("#kb-search-pages").is_hidden()
