"""The reader's tools in a real build: 收藏 on every entry page and 我的收藏 in the navigation;
the discussion absent unless kb.yml turns it on, and then pointing at the site's repository
with the term its mapping gives. (What readers do with them: test_reader_browser.py.)"""

from __future__ import annotations

import re
from html import unescape

import pytest

from helpers import example_content
from sitebuild import mkdocs_build

ON = ("discussion:\n  enabled: true\n  repo_id: R_kgDOabcd\n  category: 條目討論\n"
      "  category_id: DIC_kwDOabcd4Cxyz\n  mapping: pathname\n")


def build(tmp_path_factory, name, kb_yml=""):
    project = tmp_path_factory.mktemp(name)
    example_content(project)
    if kb_yml:
        (project / "kb.yml").write_text(kb_yml, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def default_site(tmp_path_factory):
    return build(tmp_path_factory, "reader-off")


def entry_pages(site):
    return [p for p in site.rglob("index.html") if 'data-kb-collect ' in p.read_text(encoding="utf-8")]


def test_every_entry_page_has_the_collect_button_and_no_discussion(default_site):
    from generator.knowledge.indexing import load_knowledge_base

    kb = load_knowledge_base(default_site.parent / "content", "content")
    found = {p.parent.relative_to(default_site).as_posix() + "/" for p in entry_pages(default_site)}
    assert found == {e.url for e in kb.public} | {"en/" + e.url for e in kb.public}  # both languages' pages
    assert len(kb.public) < len(kb.entries)  # an internal entry has no page, nor a button to collect it
    for path in default_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "giscus" not in html and "kb-discussion" not in html and "/discussions" not in html, path
    html = (default_site / "tools/ifla/index.html").read_text(encoding="utf-8")
    box = re.search(r'<div class="kb-collect" data-kb-collect hidden ([^>]*)>', html).group(1)
    attrs = {k: unescape(v) for k, v in re.findall(r'(data-[a-z-]+)="([^"]*)"', box)}
    assert (attrs["data-url"], attrs["data-title"], attrs["data-kind"], attrs["data-root"]) == (
        "tools/ifla/", "國際圖書館協會聯盟（IFLA）", "工具與網站", "../../")
    assert attrs["data-summary"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", attrs["data-date"])
    assert '<button type="button" class="kb-collect__button" aria-pressed="false"' in html
    assert 'src="../../assets/javascripts/kb-reader.js"' in html


def test_my_collection_is_a_top_page_loading_only_our_script(default_site):
    html = (default_site / "collection/index.html").read_text(encoding="utf-8")
    assert "<title>我的收藏" in html and 'data-index="../search/"' in html and "我的收藏需要 JavaScript" in html
    assert 'src="../assets/javascripts/kb-reader.js"' in html
    home = (default_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="collection/"[^>]*>\s*我的收藏', home)
    # Pages other than entries and 我的收藏 do not load it.
    assert "kb-reader.js" not in home and "kb-reader.js" not in (default_site / "search/index.html").read_text(encoding="utf-8")


def test_turned_on_the_discussion_names_the_sites_repository_and_the_pages_path(tmp_path_factory):
    site = build(tmp_path_factory, "reader-on", ON)
    html = (site / "tools/ifla/index.html").read_text(encoding="utf-8")
    link = unescape(re.search(r'<p class="kb-discussion__link"><a href="([^"]+)"', html).group(1))
    # The test site is served below /test-kb/ (tests/sitebuild.py): Giscus's pathname holds it.
    assert link == ("https://github.com/example-org/test-kb/discussions?discussions_q="
                    "in%3Atitle%20%22test-kb%2Ftools%2Fifla%2F%22")
    frame = re.search(r'<div class="giscus" id="kb-giscus"([^>]*)>', html).group(1)
    attrs = dict(re.findall(r'data-giscus-([a-z-]+)="([^"]*)"', frame))
    assert unescape(attrs["mapping"]) == "pathname" and "term" not in attrs
    assert unescape(attrs["repo-id"]) == "R_kgDOabcd" and attrs["reactions-enabled"] == "1"
    assert "載入討論（GitHub Discussions）" in html and "giscus.app" in html
    # No page names a script of giscus.app: the reader's script adds it when asked.
    assert not any("<script src=\"https://giscus" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
