"""The preview's bookkeeping (generator.site.preview): what an edit touches, computed from
what the last build produced, and the pages the views then generate. A real knowledge base
in a temporary folder, loaded again after each edit as `kb serve` does; no engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.kinds import facets
from generator.knowledge.history import read_history
from generator.knowledge.indexing import load_knowledge_base
from generator.model.siteinfo import SiteInfo
from generator.site.context import SiteContext
from generator.site.preview import Preview, Scope
from generator.site.urls import contributor_src
from generator.site.views import iter_pages
from helpers import entry_text, new_content, write
from sitebuild import commit_all

TODAY = dt.date(2024, 3, 15)
PAGE_SIZE = 2
# Five tools, newest first t4 t3 | t2 t1 | t0 (two a page), and one outreach write-up.
TAGS = {0: ["e-books"], 1: ["e-books"], 2: ["e-books", "sdgs"], 3: ["database-searching"], 4: ["database-searching"]}


def tool(i: int, **overrides) -> str:
    fields = {"title": f"工具 {i}", "url": f"https://example.org/t{i}", "date": dt.date(2024, 1, 1 + i),
              "tags": TAGS[i], **overrides}
    return entry_text("tools", **fields)


@pytest.fixture
def project(tmp_path) -> Path:
    content = new_content(tmp_path)
    (tmp_path / "kb.yml").write_text(f"listing:\n  page_size: {PAGE_SIZE}\n", encoding="utf-8")
    for i in TAGS:
        write(content, f"tools/t{i}.md", tool(i))
    write(content, "outreach/story.md", entry_text("outreach", title="說故事", tags=["reading-promotion"]))
    commit_all(tmp_path)
    return tmp_path


def load(project: Path):
    kb = load_knowledge_base(project / "content", "content", today=TODAY)
    assert kb.errors == [], kb.errors
    return kb


def first_build(project: Path):
    """A full build, remembered as the hook remembers it; the history is read once, at start."""
    kb = load(project)
    history = read_history(project)
    preview = Preview()
    written = {p.src: p.in_nav for p in iter_pages(kb, SiteContext(SiteInfo(today=TODAY), history), None, preview)}
    preview.record(kb, None, written)
    return kb, preview, history, written


def edit(project: Path, rel: str, text: str) -> None:
    write(project / "content", rel, text)


# -- Scope ---------------------------------------------------------------------------------------

def test_a_full_build_is_remembered(project):
    kb, preview, _, written = first_build(project)
    assert preview.built and preview.pages == written
    assert set(preview.facets) == {e.rel for e in kb.public}
    assert preview.facets["tools/t2.md"] >= {("tags", "e-books"), ("tags", "sdgs"), ("years", 2024)}
    assert preview.orders["tools"] == ("tools/t4.md", "tools/t3.md", "tools/t2.md", "tools/t1.md", "tools/t0.md")
    assert preview.orders["tags/e-books"] == ("tools/t2.md", "tools/t1.md", "tools/t0.md")


def test_changed_tags_give_the_old_and_new_values(project):
    _, preview, _, _ = first_build(project)
    edit(project, "tools/t2.md", tool(2, tags=["artificial-intelligence"]))
    scope = preview.scope(load(project), {"tools/t2.md"})
    assert isinstance(scope, Scope)
    assert scope.entries == {"tools/t2.md"} and scope.kinds == {"tool"} and scope.removed == frozenset()
    assert {("tags", "e-books"), ("tags", "sdgs"), ("tags", "artificial-intelligence")} <= scope.facet_values
    assert {("years", 2024), ("audiences", "librarians")} <= scope.facet_values  # unchanged ones too
    assert ("tags", "database-searching") not in scope.facet_values  # another entry's only
    assert not any(f == "tags" and v == "reading-promotion" for f, v in scope.facet_values)


def test_an_entry_made_internal_is_removed_with_its_old_values(project):
    _, preview, _, _ = first_build(project)
    edit(project, "tools/t2.md", tool(2, visibility="internal", tags=["careers"]))
    kb = load(project)
    scope = preview.scope(kb, {"tools/t2.md"})
    assert scope.removed == {"tools/t2.md"} and "tools/t2.md" in scope.entries
    assert scope.kinds == {"tool"}
    # the pages that listed it (its tags when it was public) are in the scope
    assert {("tags", "e-books"), ("tags", "sdgs"), ("years", 2024)} <= scope.facet_values


def test_a_deleted_entry_is_removed_with_its_old_values_and_kind(project):
    _, preview, _, _ = first_build(project)
    (project / "content/outreach/story.md").unlink()
    scope = preview.scope(load(project), {"outreach/story.md"})
    assert scope.removed == {"outreach/story.md"} and scope.entries == {"outreach/story.md"}
    assert scope.kinds == {"outreach"}  # from the folder: the entry is gone
    assert {("tags", "reading-promotion"), ("audiences", "children"), ("institutions", "nlpi")} <= scope.facet_values


def test_listing_pages_when_the_order_is_unchanged_or_changed(project):
    kb, preview, _, _ = first_build(project)
    order = preview.orders["tools"]
    # t0 is last: page 3 of three
    edit(project, "tools/t0.md", tool(0, summary="新的摘要。"))
    scope = preview.scope(load(project), {"tools/t0.md"})
    assert preview.listing_pages(scope, "tools", order, PAGE_SIZE) == {1, 3}
    # t3 on page 1: page 1 only
    scope3 = Scope(entries=frozenset({"tools/t3.md"}), kinds=frozenset({"tool"}), facet_values=frozenset())
    assert preview.listing_pages(scope3, "tools", order, PAGE_SIZE) == {1}
    # a new date moves t0 to the top: every page
    moved = ("tools/t0.md",) + order[:-1]
    assert preview.listing_pages(scope, "tools", moved, PAGE_SIZE) is None
    assert preview.orders["tools"] == moved  # remembered for the next edit
    assert preview.listing_pages(scope, "tools", moved, PAGE_SIZE) == {1}  # t0 now on page 1
    # a listing never built before, and a full build, are generated whole
    assert preview.listing_pages(scope, "tags/careers", ("tools/t0.md",), PAGE_SIZE) is None
    assert preview.listing_pages(None, "tools", moved, PAGE_SIZE) is None


def test_record_forgets_removed_entries_and_updates_edited_ones(project):
    _, preview, history, first = first_build(project)
    edit(project, "tools/t2.md", tool(2, visibility="internal"))
    edit(project, "tools/t1.md", tool(1, tags=["careers"]))
    kb = load(project)
    scope = preview.scope(kb, {"tools/t2.md", "tools/t1.md"})
    written = {p.src: p.in_nav for p in iter_pages(kb, SiteContext(SiteInfo(today=TODAY), history), scope, preview)}
    assert "tools/t2.md" not in written
    preview.record(kb, scope, written)
    assert "tools/t2.md" not in preview.facets and "tools/t2.md" not in preview.pages
    assert ("tags", "careers") in preview.facets["tools/t1.md"]
    assert ("tags", "e-books") not in preview.facets["tools/t1.md"]
    assert "tags/sdgs/index.md" in preview.stale  # t2 alone held the tag: its page goes too
    assert set(preview.pages) == ((set(first) - {"tools/t2.md"}) | set(written)) - preview.stale
    # a later edit no longer counts t2 as removed
    edit(project, "tools/t3.md", tool(3, summary="再改一次。"))
    again = preview.scope(load(project), {"tools/t3.md"})
    assert again.removed == frozenset() and again.entries == {"tools/t3.md"}
    assert ("tags", "sdgs") not in again.facet_values


# -- the pages an edit generates ------------------------------------------------------------------

def test_after_an_edit_only_the_pages_that_can_show_it_are_generated(project):
    _, preview, history, first = first_build(project)
    edit(project, "tools/t0.md", tool(0, title="改過的工具", tags=["e-books", "careers"]))
    kb = load(project)
    scope = preview.scope(kb, {"tools/t0.md"})
    ctx = SiteContext(SiteInfo(today=TODAY), history)
    pages = {p.src: p for p in iter_pages(kb, ctx, scope, preview)}
    t0 = next(e for e in kb.public if e.rel == "tools/t0.md")
    authors = ctx.entry_history(t0).authors
    assert authors
    facet_indexes = {"organizations/index.md" if f.directory else f"{f.id}/index.md" for f in facets()}
    expected = {
        "tools/t0.md",  # its own page
        "index.md",
        "tools/index.md", "tools/page/3.md",  # its kind's listing: page 1 and the page showing it (order unchanged)
        "tags/e-books/index.md",  # its tags: e-books (t2 t1 t0: one page of two, then t0) and the new one
        "tags/e-books/page/2.md",
        "tags/careers/index.md",
        "years/2024/index.md", "years/2024/page/3.md",  # six 2024 entries (tools and the write-up): t0 last
        "audiences/librarians/index.md", "audiences/librarians/page/3.md",  # the five tools
        *facet_indexes,
        *(contributor_src(a) for a in authors),
        "search/index.md",
    }
    assert set(pages) == expected
    assert "改過的工具" in pages["tools/page/3.md"].markdown and "改過的工具" in pages["tags/careers/index.md"].markdown
    assert "改過的工具" in pages["index.md"].markdown
    # not the other entries, statistics, the export page or the contributors' index
    assert not {"tools/t1.md", "tools/t2.md", "outreach/story.md", "tools/page/2.md", "outreach/index.md",
                "stats/index.md", "export/index.md", "contributors/index.md", "tags/sdgs/index.md"} & set(pages)
    assert all(src in first for src in pages if src != "tags/careers/index.md")


def test_a_new_date_regenerates_the_whole_kind_listing(project):
    _, preview, history, _ = first_build(project)
    edit(project, "tools/t0.md", tool(0, date=dt.date(2024, 2, 1)))  # now the newest
    kb = load(project)
    scope = preview.scope(kb, {"tools/t0.md"})
    pages = {p.src for p in iter_pages(kb, SiteContext(SiteInfo(today=TODAY), history), scope, preview)}
    assert {"tools/index.md", "tools/page/2.md", "tools/page/3.md"} <= pages
    assert not {"tools/t1.md", "stats/index.md"} & pages


def test_an_entry_made_internal_leaves_every_listing_it_was_on(project):
    _, preview, history, _ = first_build(project)
    edit(project, "tools/t2.md", tool(2, visibility="internal"))
    kb = load(project)
    scope = preview.scope(kb, {"tools/t2.md"})
    pages = {p.src: p.markdown for p in iter_pages(kb, SiteContext(SiteInfo(today=TODAY), history), scope, preview)}
    assert "tools/t2.md" not in pages
    # the listings it was on are generated again (they shifted: every page), without it
    for src in ("tools/index.md", "tools/page/2.md", "tags/e-books/index.md", "index.md"):
        assert src in pages and "工具 2" not in pages[src], src
    assert "tools/page/3.md" not in pages  # four entries left: two pages
    assert "tags/sdgs/index.md" not in pages  # no public entry holds the tag now: no page


def test_pages_that_no_longer_exist_are_forgotten(project):
    """t2 alone holds the tag sdgs; t0 alone is on page 3 of the tools. Both made internal: the
    tag's page and page 3 must leave the preview (they would list an internal entry)."""
    _, preview, history, _ = first_build(project)
    assert {"tags/sdgs/index.md", "tools/page/3.md"} <= set(preview.pages)
    edit(project, "tools/t2.md", tool(2, visibility="internal"))
    edit(project, "tools/t0.md", tool(0, visibility="internal"))
    kb = load(project)
    scope = preview.scope(kb, {"tools/t2.md", "tools/t0.md"})
    written = {p.src: p.in_nav for p in iter_pages(kb, SiteContext(SiteInfo(today=TODAY), history), scope, preview)}
    preview.record(kb, scope, written)
    assert "tags/sdgs/index.md" not in preview.pages
    assert "tools/page/3.md" not in preview.pages


def test_the_authors_page_follows_an_entry_made_internal(project):
    _, preview, history, first = first_build(project)
    kb = load(project)
    ctx = SiteContext(SiteInfo(today=TODAY), history)
    t2 = next(e for e in kb.public if e.rel == "tools/t2.md")
    author_pages = {contributor_src(a) for a in ctx.entry_history(t2).authors}
    assert author_pages <= set(first)
    edit(project, "tools/t2.md", tool(2, visibility="internal"))
    kb = load(project)
    scope = preview.scope(kb, {"tools/t2.md"})
    pages = {p.src: p.markdown for p in iter_pages(kb, SiteContext(SiteInfo(today=TODAY), history), scope, preview)}
    for src in author_pages:
        assert src in pages and "工具 2" not in pages[src]
