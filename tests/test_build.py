"""End to end: a real `mkdocs build` of a small fixture knowledge base."""

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from helpers import entry_text, new_content, write
from sitebuild import mkdocs_build

MARKER = "SECRET-MARKER-7f3a"


def _tools(content: Path, n: int, start=dt.date(2024, 1, 1)):
    for i in range(n):
        write(content, f"tools/tool-{i:03d}.md", entry_text(
            "tools", title=f"工具 {i:03d}", url=f"https://example.org/t{i}", date=start + dt.timedelta(days=i),
            tags=["database-searching"] if i % 2 else ["e-books"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = tmp_path_factory.mktemp("site")
    content = new_content(project)
    write(content, "conference-reports/ala-2022.md", entry_text(
        "conference-reports", title="ALA 2022 年會報告", tags=["international-exchange", "collection-development"],
        body="## 目的\n\n了解趨勢。\n\n## 過程\n\n我們討論館藏發展的新方向，也介紹了 Koha 系統。\n\n## 心得\n\n很好。\n\n## 建議\n\n"
             "推廣資源，見[活動](../outreach/ev/index.md)。\n"))
    write(content, "conference-reports/ifla-2023.md", entry_text(
        "conference-reports", title="IFLA 2023 大會", conference="IFLA", year=2023, start_date=dt.date(2023, 8, 21),
        end_date=dt.date(2023, 8, 25), date=dt.date(2023, 9, 1), tags=["international-exchange"]))
    _tools(content, 25)
    write(content, "outreach/ev/index.md", entry_text(
        "outreach", title="說故事活動", tags=["reading-promotion", "international-exchange"],
        attachments=[{"file": "flyer.pdf", "title": "活動海報", "type": "flyer"}]))
    write(content, "outreach/ev/flyer.pdf", b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF\n")
    write(content, "lesson-plans/lp.md", entry_text("lesson-plans", title="檢索課程", tags=["information-literacy"]))
    # Internal: must leave no trace anywhere in the built site.
    write(content, "tools/secret/index.md", entry_text(
        "tools", title=f"內部 {MARKER}", summary=f"摘要 {MARKER}", visibility="internal", tags=["sdgs"],
        authors=[f"作者{MARKER}"], purpose=f"用途 {MARKER}", recommended_by=f"推薦 {MARKER}",
        url="https://example.org/secret", attachments=[{"file": "notes.txt", "title": f"附件 {MARKER}"}],
        body=f"## 介紹\n\n內文 {MARKER}\n"))
    write(content, "tools/secret/notes.txt", f"notes {MARKER}\n")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site", result


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_build_is_clean(built):
    _, result = built
    assert "Traceback" not in result.stderr
    assert "WARNING" not in result.stderr


def test_kind_listing_paginated_newest_first(built):
    site, _ = built
    first = read(site, "tools/index.html")
    titles = re.findall(r"工具 (\d{3})", first)
    assert titles[:3] == ["024", "023", "022"]
    assert len(set(titles)) == 20
    assert 'href="page/2/"' in first
    second = read(site, "tools/page/2/index.html")
    assert sorted(set(re.findall(r"工具 (\d{3})", second))) == ["000", "001", "002", "003", "004"]
    assert "第 2 / 2 頁" in second


def test_facet_pages(built):
    site, _ = built
    assert "ALA 2022 年會報告" in read(site, "years/2022/index.html")
    assert "ALA 2022 年會報告" not in read(site, "years/2023/index.html")
    assert "IFLA 2023 大會" in read(site, "organizations/IFLA/index.html")
    assert "ALA 2022 年會報告" in read(site, "institutions/nlpi/index.html")
    assert "說故事活動" in read(site, "audiences/children/index.html")
    tag_page = read(site, "tags/international-exchange/index.html")
    assert all(t in tag_page for t in ("ALA 2022 年會報告", "IFLA 2023 大會", "說故事活動"))
    assert "國際交流" in read(site, "tags/index.html")


def test_entry_page_metadata_related_and_attachments(built):
    site, _ = built
    page = read(site, "conference-reports/ala-2022/index.html")
    assert "華盛頓特區" in page and "2022-06-22 至 2022-06-28" in page and "線上" in page
    assert 'href="../../organizations/ALA/"' in page
    related = page[page.index('id="kb-related"'):]
    assert "IFLA 2023 大會" in related and "說故事活動" in related
    assert 'href="../../outreach/ev/"' in page
    ev = read(site, "outreach/ev/index.html")
    assert (site / "outreach/ev/flyer.pdf").is_file()
    assert 'href="flyer.pdf"' in ev and "PDF，2 KB" in ev
    assert "service [at] library [dot] example [dot] org" in html.unescape(ev)  # shown as text
    assert not re.search(r"mailto:[^?]", ev)  # no address in a mailto: link (the share link has none)


def test_home_page_counts_and_newest(built):
    site, _ = built
    home = read(site, "index.html")
    assert re.search(r"工具與網站</a></td>\s*<td>25</td>", home)
    assert "工具 024" in home and "工具 019" not in home  # newest five only


def test_internal_entry_leaves_no_trace(built):
    site, _ = built
    leaks = [p for p in site.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes()]
    assert leaks == []
    assert not (site / "tools/secret").exists()
    assert not (site / "tags/sdgs").exists()
    assert "secret" not in read(site, "sitemap.xml")


def test_search_index_files(built):
    """The browser-side search is tested in test_browser.py; here, what the index holds."""
    from generator.search import LocalIndex

    site, _ = built
    files = {p.relative_to(site / "search").as_posix(): p.read_text(encoding="utf-8")
             for p in (site / "search").rglob("*") if p.is_file() and p.suffix in (".json", ".txt")}
    index = LocalIndex(files)
    assert index.meta["docs"] == 29  # public entries only
    def titles(q):
        return {json.loads(files[f"d/{i // 20}.json"])[i % 20][1] for i in index.search(q)}

    assert titles("館藏") == {"ALA 2022 年會報告", "IFLA 2023 大會"}  # the default body has 館藏 too
    assert titles("討論館藏") == {"ALA 2022 年會報告"}
    assert index.search("koha") == index.search("Koha")
    assert not (site / "search/search_index.json").exists()  # Material's whole-site index is not built
    assert '"search": "assets/javascripts/workers/' in read(site, "index.html")  # Material's config, unused


def test_offline_no_third_party_assets(built):
    site, _ = built
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            src = re.search(r"(?:src|href)=\"(https?:)?//", tag)
            rel = re.search(r'rel="(\w+)"', tag)
            assert not src or (rel and rel.group(1) in ("canonical",)), f"{page}: {tag}"


def test_every_internal_link_leads_somewhere(built):
    from generator.site.sitecheck import broken_links

    site, _ = built
    assert broken_links(site) == []


def test_navigation_does_not_list_entries(built):
    site, _ = built
    page = read(site, "tools/tool-000/index.html")
    nav = page[page.index("md-nav--primary"):page.index("md-nav--secondary")]
    assert "工具 0" not in nav
    assert "工具與網站" in nav  # the kind listing is there


def test_invalid_content_fails_the_build_with_positions(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/good.md", entry_text("tools"))
    write(content, "tools/bad.md", entry_text("tools", url="https://example.org/bad").replace("cost: free", "cost: gratis"))
    result = mkdocs_build(tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert re.search(r"content/tools/bad\.md:\d+:7: error \[value-choice\]", result.stderr)
    assert not (tmp_path / "site" / "index.html").exists()


def test_front_matter_mkdocs_cannot_parse_is_never_published_as_text(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/broken.md", "---\ntitle: x: y\n---\n\n## 介紹\n")
    result = mkdocs_build(tmp_path)
    assert result.returncode != 0
    assert "[yaml-value-colon]" in result.stderr


def test_entry_page_weight_is_flat(tmp_path):
    sizes = {}
    for n in (5, 60):
        project = tmp_path / f"n{n}"
        content = new_content(project)
        _tools(content, n)
        assert mkdocs_build(project).returncode == 0
        sizes[n] = len((project / "site/tools/tool-000/index.html").read_bytes())
    assert sizes[60] <= sizes[5] * 1.1, sizes


def test_same_content_builds_the_same_site_byte_for_byte(tmp_path):
    """Reproducible builds: with the date fixed, Python's hash seed (different in every run)
    changes no file (sitemap order and search shards once did)."""
    content = new_content(tmp_path)
    _tools(content, 25)
    write(content, "conference-reports/r.md", entry_text("conference-reports", title="報告"))
    fixed = {"KB_TODAY": "2026-11-22", "SOURCE_DATE_EPOCH": "1790000000"}
    sites = []
    for seed in ("1", "2"):
        assert mkdocs_build(tmp_path, git=seed == "1", env={**fixed, "PYTHONHASHSEED": seed}).returncode == 0
        site = tmp_path / "site"
        sites.append({p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    assert sites[0].keys() == sites[1].keys()
    assert [name for name in sites[0] if sites[0][name] != sites[1][name]] == []
