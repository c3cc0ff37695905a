"""History on pages, contributors, activity chart, feeds and social tags, from a real repository."""

import datetime as dt
import json
import re
from xml.etree import ElementTree as ET

import pytest

from generator.knowledge.history import read_history
from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from generator.site.context import SiteContext
from generator.site.urls import contributor_id
from generator.outputs.recognition import activity_svg, contributors, monthly_additions
from generator.model.siteinfo import SiteInfo
from gitrepo import Repo
from helpers import entry_text, new_content, write
from sitebuild import SITE_URL, mkdocs_build

SECRET_AUTHOR = "秘密作者Zq"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    repo = Repo(tmp_path_factory.mktemp("pub") / "kb")
    content = new_content(repo.path)
    write(content, "tools/a.md", entry_text("tools", title="工具甲", date=dt.date(2023, 1, 1)))
    repo.commit("add a", "王小明", "wang@example.org", "2023-01-05")
    write(content, "tools/b.md", entry_text("tools", title="工具乙", url="https://example.org/b"))
    write(content, "outreach/ev/index.md", entry_text(
        "outreach", title="活動丙", attachments=[{"file": "photo.jpg", "title": "照片", "type": "photo"}]))
    write(content, "outreach/ev/photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)
    repo.commit("add b, ev", "李大華", "lee@example.org", "2023-06-10")
    write(content, "tools/a.md", entry_text("tools", title="工具甲", summary="更新過的摘要。", date=dt.date(2023, 1, 1)))
    repo.commit("edit a", "李大華", "lee@example.org", "2024-02-20")
    write(content, "tools/secret.md", entry_text("tools", title="內部", visibility="internal", url="https://example.org/s"))
    repo.commit("internal", SECRET_AUTHOR, "secret@example.org", "2024-03-01")
    return repo.path


@pytest.fixture(scope="module")
def site(project):
    result = mkdocs_build(project, git=False)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return project / "site"


def read(site, rel):
    return (site / rel).read_text(encoding="utf-8")


def test_entry_page_shows_history_and_source_links(site):
    page = read(site, "tools/a/index.html")
    assert re.search(r"首次發布</td>\s*<td>2023-01-05</td>", page)
    assert re.search(r"最後更新</td>\s*<td>2024-02-20</td>", page)
    contributors_row = re.search(r"貢獻者</td>\s*<td>(.*?)</td>", page).group(1)
    assert contributors_row.index("王小明") < contributors_row.index("李大華")
    assert "/edit/main/content/tools/a.md" in page and "/commits/main/content/tools/a.md" in page


def test_contributors_page_ranks_and_lists(site):
    page = read(site, "contributors/index.html")
    alltime = page[page.index("歷年貢獻排行"):]
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td><a [^>]*>([^<]+)</a></td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*"
                      r"<td>([\d-]+)</td>", alltime)
    assert rows == [("1", "李大華", "2", "1", "2023-06-10"), ("2", "王小明", "1", "0", "2023-01-05")]
    assert SECRET_AUTHOR not in page
    lee = read(site, "contributors/" + _id("lee@example.org") + "/index.html")
    assert "工具乙" in lee and "活動丙" in lee and "工具甲" in lee
    assert "<svg" in page and "每月新增條目" in page and "<title" in page


def test_every_internal_link_leads_somewhere(site):
    from generator.site.sitecheck import broken_links

    assert broken_links(site) == []


def test_internal_authors_and_entries_leave_no_trace(site):
    for f in site.rglob("*"):
        if f.is_file():
            assert SECRET_AUTHOR.encode() not in f.read_bytes(), f


def test_rss_atom_and_json_feeds(site):
    rss = ET.fromstring(read(site, "feed.xml"))
    items = rss.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["活動丙", "工具乙", "工具甲"]  # newest first published
    assert items[0].findtext("link") == SITE_URL + "outreach/ev/"
    assert items[-1].findtext("pubDate") == "Thu, 05 Jan 2023 10:00:00 +0800"
    atom = ET.fromstring(read(site, "atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    assert entries[-1].findtext("a:published", namespaces=ns) == "2023-01-05T10:00:00+08:00"
    assert entries[-1].findtext("a:updated", namespaces=ns) == "2024-02-20T10:00:00+08:00"
    feed = json.loads(read(site, "feed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["image"].endswith("/outreach/ev/photo.jpg")
    tools = json.loads(read(site, "tools/feed.json"))
    assert [i["title"] for i in tools["items"]] == ["工具乙", "工具甲"]
    assert not ET.fromstring(read(site, "outreach/feed.xml")).findall("./channel/item/[title='工具甲']")
    for f in ("feed.xml", "atom.xml", "feed.json", "tools/feed.xml"):
        assert "內部" not in read(site, f)


def test_social_meta_tags(site):
    page = read(site, "outreach/ev/index.html")
    assert '<meta property="og:title" content="活動丙">' in page
    assert f'<meta property="og:image" content="{SITE_URL}outreach/ev/photo.jpg">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'rel="alternate" type="application/rss+xml"' in page
    share = re.search(r'class="kb-source">(.*?)</p>', page, re.S).group(1)
    assert "facebook.com/sharer" in share and "<script" not in share


def _id(email):
    from generator.knowledge.history import Author

    return contributor_id(Author("x", email))


def test_rankings_and_chart_counts_with_fixed_dates(project):
    kb = load_knowledge_base(project / "content")
    ctx = SiteContext(SiteInfo(today=dt.date(2024, 3, 15)), read_history(project))
    people = {c.author.name: c for c in contributors(kb, ctx)}
    assert set(people) == {"王小明", "李大華"}
    assert people["李大華"].by_year == {2023: 2, 2024: 1}
    assert people["王小明"].by_year == {2023: 1}
    labels, counts = monthly_additions(kb, ctx, months=18)
    assert labels[0] == "2022-10" and labels[-1] == "2024-03"
    assert counts["tool"][labels.index("2023-01")] == 1
    assert counts["tool"][labels.index("2023-06")] == 1 and counts["outreach"][labels.index("2023-06")] == 1
    assert sum(map(sum, counts.values())) == 3
    svg = activity_svg(labels, counts)
    assert svg.count("<rect") == 3 + len(KINDS)  # three bars, one legend swatch per kind
    assert "<script" not in svg and 'role="img"' in svg
