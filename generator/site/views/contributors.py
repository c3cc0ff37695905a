"""Contributors: everyone who wrote or updated a public entry (from Git), with rankings and a
monthly chart; one page per contributor listing their entries by kind."""

from __future__ import annotations

from ...kinds import KINDS
from ...knowledge.related import sort_newest
from ...outputs.recognition import activity_svg, contributors, monthly_additions
from ..render import render
from ..urls import contributor_src

TOP_THIS_YEAR = 20
TOP_EVER = 100


def contributor_pages(kb, ctx, scope=None, preview=None):
    people = contributors(kb, ctx)
    if scope is not None:
        # A preview's history is the one read at start: only the pages of the edited entries'
        # contributors can have changed (titles; entries deleted or made internal).
        touched = _authors_of(ctx, scope.removed)
        for c in people:
            if c.author.key in touched or any(e.rel in scope.entries for e in c.written + c.updated):
                yield contributor_page(c, ctx)
        if preview is not None:
            left = touched - {c.author.key for c in people}  # no public entry left: no page
            for c in (a for rel in scope.removed for a in _history_authors(ctx, rel) if a.key in left):
                preview.forget(ctx.page_src(contributor_src(c)))
        return
    year = ctx.site.now_date().year
    values: dict = {"has_history": ctx.has_history, "year": year, "person_src": contributor_src}
    if ctx.has_history:
        labels, counts = monthly_additions(kb, ctx)
        kinds = list(KINDS.values())
        values.update(
            chart=activity_svg(labels, counts, ctx.lang.code), kinds=kinds,
            months=[(label, row) for label, row in ((label, [counts[k.id][i] for k in kinds])
                                                     for i, label in enumerate(labels)) if sum(row)],
            this_year=sorted((c for c in people if c.by_year.get(year)),
                             key=lambda c: (-c.by_year[year], c.author.name))[:TOP_THIS_YEAR],
            people=people[:TOP_EVER])
    t = ctx.lang.t
    yield render(ctx, "contributors.html", "contributors/index.md", t("nav-contributors"), description=t("contributors-description"),
                 hide=("toc",), in_nav=True, **values)
    if ctx.has_history:
        for c in people:
            yield contributor_page(c, ctx)


def _history_authors(ctx, rel: str) -> list:
    h = ctx.history.for_paths([f"{ctx.site.content_path}/{rel}"]) if ctx.has_history else None
    return h.authors if h is not None else []


def _authors_of(ctx, rels) -> set[str]:
    """The contributors of entries no longer public (they are in no one's list any more)."""
    return {a.key for rel in rels for a in _history_authors(ctx, rel)}


def contributor_page(c, ctx):
    groups = []
    t = ctx.lang.t
    for heading, entries in ((t("contributor-wrote"), c.written), (t("contributor-updated"), c.updated)):
        by_kind = [(k, sort_newest([e for e in entries if e.kind.id == k.id])) for k in KINDS.values()]
        if entries:
            groups.append((heading, [(k, mine) for k, mine in by_kind if mine]))
    return render(ctx, "contributor.html", contributor_src(c.author), t("contributor-title", name=c.author.name),
                  nav_title=c.author.name, hide=("toc",), c=c, groups=groups)
