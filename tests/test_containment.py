"""Containment by construction: each output context escapes in one place, the body is
cleaned after rendering, the built site is parsed for script, and the engine never reads
content/. (tests/test_attack.py attacks all of it with public payload lists.)"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from generator.core import escape
from generator.site import sanitize
from generator.site.sitecheck import scan_site
from helpers import entry_text, example_content, new_content, write
from sitebuild import mkdocs_build, write_config

EVIL_TITLE = "<svg/onload=alert(1)> & </title><script>alert(2)</script>"
EVIL_SUMMARY = '"><svg/onload=alert(2)> [x](javascript:alert(3)) {: onclick=alert(4) }'
EVIL_AUTHOR = "1'\"><img/src/onerror=alert(1)>"
MARKER = "INTERNAL-MARKER-7f3a"
# YAML reads U+2028 as a line break: raw in a page's front matter it would end it early and the
# engine would show the metadata as Markdown, outside the body's cleaning.
SEPARATED_TITLE = "IFLA\u2028--- x\u2029... [點我](javascript:alert(1))"


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("evil")
    content = new_content(project)
    write(content, "conference-reports/evil.md", entry_text(
        "conference-reports", title=EVIL_TITLE, summary=EVIL_SUMMARY, authors=[EVIL_AUTHOR, "(範例)"],
        city="<b>城</b>", funding="=HYPERLINK(\"http://evil.example\",\"x\")"))
    write(content, "tools/evil.md", entry_text("tools", title=EVIL_TITLE, summary=EVIL_SUMMARY,
                                                 recommended_by=EVIL_AUTHOR, url="https://example.org/a?b=1&c=\"2\""))
    write(content, "tools/separator.md", entry_text("tools", title=SEPARATED_TITLE, url="https://example.org/sep",
                                                      summary="[點我](javascript:alert(1)) {onclick=alert(2)}"))
    write(content, "tools/secret.md", entry_text("tools", title=f"內部 {MARKER}", summary=f"摘要 {MARKER}",
                                                   url="https://example.org/secret", visibility="internal"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project


def _page(project, rel):
    return LexborHTMLParser((project / "site" / rel).read_text(encoding="utf-8"))


def test_front_matter_text_reaches_every_context_as_text(evil_site):
    tree = _page(evil_site, "conference-reports/evil/index.html")
    # The parsed document holds the contributor's strings exactly, as text and attribute values.
    assert tree.css_first("title").text().startswith(EVIL_TITLE)
    assert tree.css_first("h1").text() == EVIL_TITLE
    assert tree.css_first(".md-header__topic:last-child .md-ellipsis").text().strip() == EVIL_TITLE
    assert tree.css_first('meta[name="description"]').attributes["content"] == EVIL_SUMMARY
    assert tree.css_first('meta[property="og:title"]').attributes["content"] == EVIL_TITLE
    assert tree.css_first('meta[name="twitter:description"]').attributes["content"] == EVIL_SUMMARY
    # Citation names are normalised (a parenthetical dropped) but stay text in the attribute.
    authors = [m.attributes["content"] for m in tree.css('meta[name="citation_author"]')]
    assert any(a.startswith("1'\"><img/src/onerror=alert") for a in authors) and "範例" in authors
    assert any("<img/src/onerror" in m.attributes["content"] for m in tree.css('meta[name="DC.creator"]'))
    assert tree.css_first(".kb-summary").text() == EVIL_SUMMARY
    # Nothing became an element or attribute.
    assert not tree.css("svg[onload], img[onerror], [onclick]")
    assert [s for s in tree.css("script") if "alert" in s.text() and s.attributes.get("type") != "application/ld+json"] == []
    # In the page's structured data the payloads are JSON strings: they read back exactly.
    data = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    assert (data["name"], data["description"]) == (EVIL_TITLE, EVIL_SUMMARY)
    assert all(escape.is_safe_url(a.attributes.get("href") or "") for a in tree.css("a"))
    listing = _page(evil_site, "tools/index.html")
    assert EVIL_TITLE in [a.text() for a in listing.css(".kb-list strong a")]
    assert not listing.css("svg[onload], img[onerror], [onclick]")


def test_a_line_separator_in_metadata_keeps_it_metadata(evil_site):
    tree = _page(evil_site, "tools/separator/index.html")
    assert tree.css_first("h1").text() == SEPARATED_TITLE
    assert tree.css_first('meta[name="description"]').attributes["content"].startswith("[點我](javascript:")
    assert all(escape.is_safe_url(a.attributes.get("href") or "") for a in tree.css("a"))
    assert not tree.css("[onclick]")


def test_urls_keep_their_text_and_only_safe_schemes_are_links():
    assert escape.url("https://example.org/a?b=1&c=\"2\"") == "https://example.org/a?b=1&amp;c=&quot;2&quot;"
    for bad in ("javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "java\nscript:x", "&#106;avascript:x",
                "vbscript:x", "data:text/html,<script>", "//evil.example/x", "\\\\evil.example"):
        assert escape.url(bad) == "#", bad
    for good in ("https://a.org", "mailto:x@y.org", "tel:+886", "../tools/ifla/", "#top", "flyer.pdf"):
        assert escape.url(good) != "#", good


def test_feeds_and_exports_parse_and_csv_cells_are_not_formulas(evil_site):
    site = evil_site / "site"
    for f in list(site.rglob("*.xml")):
        ET.parse(f)
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert EVIL_TITLE in [i.text for i in ET.fromstring(feed).iter("title")]
    rows = list(csv.DictReader(io.StringIO((site / "export/conference-reports.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["funding"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    bib = (site / "conference-reports/evil/citation.bib").read_text(encoding="utf-8")
    assert bib.count("{") == bib.count("}")
    json.loads((site / "conference-reports/evil/citation.json").read_text(encoding="utf-8"))


def test_xml_and_csv_contexts_by_construction():
    assert escape.xml_document("<a>鈴\x07聲\ufffe\ud800</a>") == "<a>鈴\ufffd聲\ufffd\ufffd</a>"
    assert [escape.csv_cell(v) for v in ("=1+1", "+x", "-x", "@SUM(A1)", "\uff1dx", "-3", "1.5", "文字")] == \
        ["'=1+1", "'+x", "'-x", "'@SUM(A1)", "'\uff1dx", "-3", "1.5", "文字"]
    assert escape.text("[x](javascript:1) <b> *a* _b_ `c` {: x=1 }") == (
        "&#91;x&#93;&#40;javascript:1&#41; &lt;b&gt; &#42;a&#42; &#95;b&#95; &#96;c&#96; &#123;: x=1 &#125;")


def test_the_body_is_cleaned_after_rendering_and_a_lost_body_fails_closed():
    page = ("<table><tr><td>ours</td></tr></table>" + sanitize.BODY_START
            + '<p>a<img src=x onerror=alert(1)><kbd title="t" onfocus="x">k</kbd><a href="javascript:1">j</a>'
              '<svg><script>alert(1)</script></svg><textarea>' + sanitize.BODY_END + "<p>after</p>")
    out = sanitize.clean_entry_page(page)
    assert out.startswith("<table><tr><td>ours</td></tr></table><p>a<img src=\"x\"><kbd title=\"t\">k</kbd><a>j</a>")
    assert out.endswith("<p>after</p>") and "script" not in out and "textarea" not in out
    with pytest.raises(sanitize.UnsafePage):
        sanitize.clean_entry_page("<p>no markers</p>")  # an entry page must have its body located
    with pytest.raises(sanitize.UnsafePage):
        sanitize.clean_entry_page(sanitize.BODY_END + "<p>x</p>" + sanitize.BODY_START)
    assert sanitize.clean_entry_page("<p>listing</p>", has_body=False) == "<p>listing</p>"

    class Item:
        def __init__(self, title, children=()):
            self.title, self.id, self.children = title, "ok", list(children)
    toc = [Item("a <img src=x onerror=alert(1)> b", [Item("&lt;svg onload=1&gt;")])]
    toc[0].id, toc[0].children[0].id = 'x"/autofocus/tabindex/x', "__config"
    sanitize.clean_toc(toc)
    assert toc[0].title == "a  b" and toc[0].children[0].title == "&lt;svg onload=1&gt;"
    assert toc[0].id == "" and toc[0].children[0].id == ""  # the theme prints ids raw, and owns __ ids
    assert sanitize.clean_body('<h2 id="__config">a</h2><h2 id="說明-1">b</h2>') == '<h2>a</h2><h2 id="說明-1">b</h2>'


@pytest.mark.parametrize("html, code", [
    ("<svg/onload=alert(1)>", "site-event-handler"),
    ("<img src/onerror=alert(1)>", "site-event-handler"),
    ("<details/open/ontoggle=alert(1)>", "site-event-handler"),
    ("<p\nONCLICK\n=\nalert(1)>x</p>", "site-event-handler"),
    ('<a href=" &#x6A;ava&#x09;script&colon;alert(1)">x</a>', "site-unsafe-url"),
    ('<form><button formaction="javascript:alert(1)">x</button></form>', "site-unsafe-url"),
    ('<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>', "site-unsafe-url"),
    ('<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>', "site-unsafe-url"),
    ('<img srcset="a.png 1x, javascript:alert(1) 2x">', "site-unsafe-url"),
    ('<object data="data:text/html,<script>alert(1)</script>"></object>', "site-embed"),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "site-embed"),
    ('<base href="https://evil.example/">', "site-embed"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "site-refresh"),
    ("<svg><script>alert(1)</script></svg>", "site-script"),
    ('<script src="//evil.example/x.js"></script>', "site-script"),
    ('<script src="/other-site/assets/javascripts/x.js"></script>', "site-script"),
    ("<div><template shadowrootmode=open><img src=x onerror=alert(1)></template></div>", "site-event-handler"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "site-event-handler"),
])
def test_the_scan_parses_pages_as_a_browser_does(tmp_path, html, code):
    write(tmp_path, "404.html", "<html><body><script>var theme=1</script></body></html>")
    write(tmp_path, "tools/a/index.html", f"<html><body>\n<p>ok</p>\n{html}\n<script>var theme=1</script></body></html>")
    found = scan_site(tmp_path, sources={"tools/a/index.html": "content/tools/a.md"})
    assert code in {p.code for p in found}, found
    # Reported on the page, at the line of what was found (the payload spans lines 3 to 6),
    # naming the entry it came from.
    assert all(p.path == "site/tools/a/index.html" and 3 <= p.line <= 6 and "content/tools/a.md" in p.args["entry"]
               for p in found)


def test_a_page_that_kills_the_scanning_worker_is_named_and_the_scan_goes_on(tmp_path, monkeypatch):
    import signal

    import generator.site.sitecheck as sitecheck

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the scan runs in this process, where a real fault would end the test run")
    write(tmp_path, "404.html", "<html><body></body></html>")
    for i in range(sitecheck.PARALLEL_FROM + 10):
        write(tmp_path, f"p{i}/index.html", "<p>x</p>" + ("<svg/onload=alert(1)>" if i == 7 else ""))
    real = sitecheck._scan_pages

    def crashing(site_dir, pages, *rest):
        if any(p.parent.name == "p42" for p in pages):
            os.kill(os.getpid(), signal.SIGSEGV)  # as a C extension's fault would
        return real(site_dir, pages, *rest)

    monkeypatch.setattr(sitecheck, "_scan_pages", crashing)
    found = sorted((p.path, p.code) for p in sitecheck.scan_site(tmp_path))
    assert found == [("site/p42/index.html", "file-crashed"), ("site/p7/index.html", "site-event-handler")]


def test_the_scan_accepts_a_real_site_as_built(tmp_path):
    example_content(tmp_path)
    assert mkdocs_build(tmp_path).returncode == 0
    assert scan_site(tmp_path / "site") == []


def test_a_build_that_skips_the_hooks_publishes_nothing_internal(evil_site, tmp_path):
    """The engine's folder holds only what the generator wrote for public entries."""
    cfg = yaml.safe_load((evil_site / "mkdocs.yml").read_text(encoding="utf-8"))
    del cfg["hooks"]
    cfg["site_dir"] = str(tmp_path / "plain-site")
    (evil_site / "plain.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(evil_site / "plain.yml")],
                            cwd=evil_site, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "plain-site"
    assert (out / "tools/evil/index.html").is_file()  # public pages are there ...
    leaked = [f for f in out.rglob("*") if f.is_file() and MARKER.encode() in f.read_bytes()]
    assert leaked == []  # ... and no trace of the internal entry
    assert not (out / "tools/secret").exists()
    # And a fresh clone's empty folder builds an empty site, never content/.
    fresh = tmp_path / "fresh"
    (fresh / ".kb-cache/docs").mkdir(parents=True)
    cfg["docs_dir"] = str(fresh / ".kb-cache/docs")
    cfg["site_dir"] = str(fresh / "site")
    (fresh / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(fresh / "mkdocs.yml")], cwd=fresh,
                   capture_output=True, env=env)
    assert not [f for f in (fresh / "site").rglob("*") if f.is_file() and MARKER.encode() in f.read_bytes()]


@pytest.mark.parametrize("docs", ["content", "docs"])
def test_the_hook_refuses_to_let_the_engine_read_content(tmp_path, docs):
    """Nor a folder outside .kb-cache/, which every full build would empty of what it did not write."""
    content = new_content(tmp_path)
    write(content, "tools/a.md", entry_text("tools"))
    (tmp_path / "docs").mkdir()
    cfg = write_config(tmp_path)
    config = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    config["docs_dir"] = str(tmp_path / docs)
    cfg.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(cfg)], cwd=tmp_path,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "docs_dir" in result.stderr and ".kb-cache/" in result.stderr
    assert not (tmp_path / "site/tools/a").exists()
    assert "Traceback" not in result.stderr


def test_a_page_made_internal_leaves_the_engine_folder(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/a.md", entry_text("tools"))
    write(content, "tools/b.md", entry_text("tools", url="https://example.org/b"))
    assert mkdocs_build(tmp_path).returncode == 0
    docs = tmp_path / ".kb-cache/docs"
    assert (docs / "tools/b.md").is_file()
    write(content, "tools/b.md", entry_text("tools", url="https://example.org/b", visibility="internal"))
    assert mkdocs_build(tmp_path).returncode == 0
    assert not (docs / "tools/b.md").exists() and (docs / "tools/a.md").is_file()


def test_an_entry_whose_build_step_fails_is_named_and_the_others_are_built(tmp_path, monkeypatch):
    from generator.outputs import citations
    from generator.outputs.feeds import all_feeds
    from generator.knowledge.indexing import load_knowledge_base
    from generator.site.context import SiteContext
    from generator.site.data import data_files
    from generator.site.views import iter_pages

    content = new_content(tmp_path)
    write(content, "conference-reports/bad.md", entry_text("conference-reports", title="壞的"))
    write(content, "conference-reports/good.md", entry_text("conference-reports", title="好的"))
    real = citations.Citation.apa

    def apa(self):
        if self.e.slug == "bad":
            raise IndexError("a bug of ours")
        return real(self)

    monkeypatch.setattr(citations.Citation, "apa", apa)
    kb = load_knowledge_base(content, "content")
    ctx = SiteContext()
    pages = {p.src for p in iter_pages(kb, ctx)}
    feeds, data = all_feeds(kb, ctx), dict(data_files(kb, ctx))
    assert "conference-reports/good.md" in pages and "conference-reports/bad.md" not in pages
    assert [(p.path, p.code) for p in ctx.failures.problems] == [
        ("content/conference-reports/bad.md", "entry-build-error")]
    assert ctx.failures.problems[0].args["error"].startswith("IndexError: a bug of ours (test_containment.py:")
    assert "好的" in feeds["feed.xml"] and "conference-reports/good/citation.bib" in data
