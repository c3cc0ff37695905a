"""The preview (``kb serve``): which pages an edit touches, computed from what changed.

A :class:`Preview` is held by the engine adapter between builds; it knows what the last build
produced (pages, each entry's facet values, each paged listing's order). After an edit it gives
a :class:`Scope`: the edited entries and those deleted or made internal, their kinds, and the
facet values they hold now or held before. Views then generate only the pages that can show
them. Nothing here knows about an engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..kinds import KINDS, KINDS_BY_FOLDER
from .urls import paged_src


@dataclass(frozen=True)
class Scope:
    entries: frozenset[str]  # source paths of the edited, deleted or hidden entries
    kinds: frozenset[str]
    facet_values: frozenset[tuple[str, object]]
    removed: frozenset[str] = frozenset()  # entries no longer public (deleted or made internal)


@dataclass
class Preview:
    pages: dict[str, bool] = field(default_factory=dict)  # page source -> shown in the navigation
    facets: dict[str, set] = field(default_factory=dict)  # public entry -> its facet values
    orders: dict[str, tuple[str, ...]] = field(default_factory=dict)  # paged listing -> entries in order
    counts: dict[str, int] = field(default_factory=dict)  # paged listing -> its number of pages
    built: bool = False
    stale: set[str] = field(default_factory=set)  # pages the last build made obsolete: to remove
    _visited: dict[str, int] = field(default_factory=dict)  # this build's listings -> their pages
    _forgotten: set[str] = field(default_factory=set)  # pages a view says no longer exist
    prefixes: tuple[str, ...] = ("",)  # the languages' folders: every page is there once per language

    def scope(self, kb, edited: set[str]) -> Scope:
        """What an edit of ``edited`` (entry source paths) touches, against the last build."""
        public = {e.rel for e in kb.public}
        changed = [e for e in kb.entries if e.rel in edited]
        removed = set(self.facets) - public
        values: set = set()
        for e in changed:
            values |= kb.facet_values(e) | self.facets.get(e.rel, set())
        for rel in removed:
            values |= self.facets[rel]
        kinds = {e.kind.id for e in changed}
        kinds |= {KINDS_BY_FOLDER[rel.split("/")[0]].id for rel in removed if rel.split("/")[0] in KINDS_BY_FOLDER}
        return Scope(entries=frozenset({e.rel for e in changed} | removed), kinds=frozenset(kinds),
                     facet_values=frozenset(values), removed=frozenset(removed))

    def forget(self, src: str) -> None:
        """A page the edit made obsolete (a contributor left with no public entry)."""
        self._forgotten.add(src)

    def record(self, kb, scope: Scope | None, written: dict[str, bool]) -> None:
        """Remember what this build produced, and which pages it made obsolete (``stale``): an
        entry's own page once it is deleted or internal, the pages beyond a listing's new
        count, the listing of a facet value no public entry holds any more."""
        stale = set(self._forgotten)
        if scope is None:
            stale |= set(self.pages) - set(written)
            self.pages = dict(written)
            self.facets = {e.rel: kb.facet_values(e) for e in kb.public}
            self.counts = dict(self._visited)
        else:
            stale |= {prefix + rel for prefix in self.prefixes for rel in scope.removed}
            for base in self._bases(scope):
                old, new = self.counts.get(base, 0), self._visited.get(base, 0)
                stale |= {paged_src(base, n) for n in range(new + 1, old + 1)}
                if new:
                    self.counts[base] = new
                else:
                    self.counts.pop(base, None)
                    self.orders.pop(base, None)
            for rel in scope.removed:
                self.facets.pop(rel, None)
            by_rel = {e.rel: e for e in kb.public}
            self.facets.update({rel: kb.facet_values(by_rel[rel]) for rel in scope.entries if rel in by_rel})
            self.pages.update(written)
        stale -= set(written)
        for src in stale:
            self.pages.pop(src, None)
        self.stale = stale
        self._visited, self._forgotten = {}, set()
        self.built = True

    def _bases(self, scope: Scope) -> set[str]:
        """The paged listings an edit can change: its kinds' (and archives), its facet values'."""
        folders = {KINDS[k].folder for k in scope.kinds if k in KINDS}
        bases = (folders | {f"{f}/archive" for f in folders}
                 | {f"{facet}/{value}" for facet, value in scope.facet_values})
        return {prefix + base for prefix in self.prefixes for base in bases}

    def listing_pages(self, scope: Scope | None, base: str, order: tuple[str, ...], size: int) -> set[int] | None:
        """Which pages of a paged listing to generate again: all (None), or, when its entries are
        the same and in the same order as at the last build, page 1 (counts, featured block)
        and the pages showing an edited entry."""
        previous = self.orders.get(base)
        self.orders[base] = order
        self._visited[base] = max(1, math.ceil(len(order) / size))
        if scope is None or previous != order:
            return None
        return {1} | {i // size + 1 for i, rel in enumerate(order) if rel in scope.entries}
