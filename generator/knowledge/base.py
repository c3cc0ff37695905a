"""The knowledge base as a whole: the valid entries and what is asked of all of them
together (by kind, current and archived, featured, facets, related entries, counts).

Values derived from every entry are computed once per state of the knowledge base and
keyed by entry address (``rel``), never by object identity, so a copied or unpickled
knowledge base answers the same.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Problem
from ..kinds import KINDS, Kind, facet_by_id, facets
from ..model.facets import Facet
from ..model.registries import Registries
from ..model.settings import Settings
from ..validation.entry import Entry
from .related import related_entries, sort_newest, tag_indexes


@dataclass
class KnowledgeBase:
    content_dir: Path
    registries: Registries
    entries: list[Entry] = field(default_factory=list)  # every valid entry, internal ones too
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    settings: Settings = field(default_factory=Settings)
    today: dt.date | None = None  # the build's date (expiry); None: today in Taipei

    def now(self) -> dt.date:
        if self.today is None:
            from ..model.siteinfo import TAIPEI

            self.today = dt.datetime.now(TAIPEI).date()
        return self.today

    def is_closed(self, e: Entry) -> bool:
        """Past its closing date / expiry (the day itself is still open), or marked taken."""
        if e.kind.expires is None:
            return False
        return e.data[e.kind.expires] < self.now() or e.data.get("status") == "taken"

    def current(self, kind: Kind) -> list[Entry]:
        return [e for e in self.by_kind(kind) if not self.is_closed(e)]

    def archived(self, kind: Kind) -> list[Entry]:
        """Closed entries, the most recently closed first."""
        expires = kind.expires
        if expires is None:  # never closes
            return []
        closed = [e for e in self.public if e.kind.id == kind.id and self.is_closed(e)]
        return sorted(closed, key=lambda e: (e.data[expires], e.date, e.title), reverse=True)

    def featured(self, kind: Kind | None = None) -> list[Entry]:
        return sort_newest([e for e in self.public if e.data.get("featured") and (kind is None or e.kind.id == kind.id)
                            and not self.is_closed(e)])

    @property
    def public(self) -> list[Entry]:
        return self.memo("public", lambda: [e for e in self.entries if e.public])

    def memo(self, key, compute):
        """Values derived from the entries, computed once per state of the knowledge base
        (a page build asks for the same ones hundreds of times)."""
        state = (len(self.entries), self.today)
        memo = self.__dict__.get("_memo_store")
        if memo is None or memo[0] != state:
            memo = (state, {})
            self.__dict__["_memo_store"] = memo
        if key not in memo[1]:
            memo[1][key] = compute()
        return memo[1][key]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level.value == "error"]

    def by_kind(self, kind: Kind) -> list[Entry]:
        return list(self.memo(("kind", kind.id), lambda: sort_newest([e for e in self.public if e.kind.id == kind.id])))

    def facet_index(self, facet: Facet | str) -> dict[object, list[Entry]]:
        facet = facet_by_id(facet) if isinstance(facet, str) else facet

        def compute():
            groups: dict[object, list[Entry]] = defaultdict(list)
            for e in self.public:
                if facet.current_only and self.is_closed(e):
                    continue
                for v in facet.values(e):
                    groups[v].append(e)
            return {k: sort_newest(v) for k, v in groups.items()}
        return dict(self.memo(("facet", facet.id), compute))

    def facet_label(self, facet: Facet | str, value, lang: str = "zh-TW") -> str:
        facet = facet_by_id(facet) if isinstance(facet, str) else facet
        return facet.label(self.registries, value, lang)

    def related(self, entry: Entry, n: int = 5) -> list[Entry]:
        """Public entries sharing the most tags with this one, newest first among equals."""
        return self.memo(("related", entry.rel, n), lambda: related_entries(self.memo(
            "tag-indexes", lambda: tag_indexes(self.public)), entry, n))

    def _keyed(self) -> tuple[dict[str, Entry], dict[str, list[Entry]]]:
        """Public entries by key, and the entries naming each one in ``related`` (built once)."""
        def compute():
            by_key = {e.key: e for e in self.public}
            back: dict[str, list[Entry]] = defaultdict(list)
            for e in sort_newest([e for e in self.public if e.data.get("related")]):
                for ref in e.data["related"]:
                    if ref in by_key and ref != e.key:
                        back[ref].append(e)
            return by_key, back
        return self.memo("keyed", compute)

    def named_related(self, e: Entry) -> list[Entry]:
        """The public entries an entry names in ``related``, in its order."""
        by_key, _ = self._keyed()
        return [by_key[r] for r in e.data.get("related", []) if r in by_key and r != e.key]

    def referenced_by(self, e: Entry) -> list[Entry]:
        """Public entries naming this one in their ``related`` (e.g. expert answers citing a report)."""
        return self._keyed()[1].get(e.key, [])

    def facet_values(self, e: Entry) -> set[tuple[str, object]]:
        """Every (facet, value) the entry is listed under."""
        return {(f.id, v) for f in facets() for v in f.values(e)}

    def counts(self) -> dict[str, int]:
        c = Counter(e.kind.id for e in self.public)
        return {k: c.get(k, 0) for k in KINDS}
