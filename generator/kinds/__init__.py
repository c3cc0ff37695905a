"""Entry kinds: each is one module of this package, declaring ``KIND`` (a :class:`Kind`).

A kind module owns everything about its kind: the schema (fields, required sections,
cross-field checks), the fact panel, citation style, chart colour, navigation group,
expiry, its own facets and the statistics it feeds. The folder is the kind:
``content/<folder>/<slug>.md`` or ``content/<folder>/<slug>/index.md`` (with attachments).

Adding a kind is adding a module here (and sample entries): every kind module of this
package is registered at import, in ``order``. :func:`register` adds one from elsewhere.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..model.facets import COMMON, Facet
from .base import (
    BASE_FIELDS, CitationStyle, Kind, Section, StatsSection, is_role_address, obfuscate_email,
)

__all__ = [
    "ALL_KINDS",
    "BASE_FIELDS",
    "KINDS",
    "KINDS_BY_FOLDER",
    "CitationStyle",
    "Kind",
    "Section",
    "StatsSection",
    "facet_by_id",
    "facets",
    "is_role_address",
    "kind_named",
    "obfuscate_email",
    "register",
    "select",
    "unregister",
]

# Every kind registered (the generator's and any a site registers), then those the open site
# uses: its kb.yml's ``kinds:`` (:func:`select`), every kind when it names none. The rest of the
# generator reads KINDS and KINDS_BY_FOLDER, so a kind switched off is gone from validation,
# pages, navigation, search, feeds, exports, statistics, forms, snippets and the editor alike.
ALL_KINDS: dict[str, Kind] = {}
KINDS: dict[str, Kind] = {}
KINDS_BY_FOLDER: dict[str, Kind] = {}
_SELECTED: dict[str, frozenset[str] | None] = {"ids": None}


# Folders of the site's own pages and of content/ that no kind may take.
RESERVED_FOLDERS = frozenset({"registries", "stats", "search", "export", "contributors", "assets", "page", "admin"})


def register(kind: Kind, replace: bool = False) -> None:
    """Make a kind known everywhere (validation, pages, search, feeds, exports, statistics).
    A folder or facet that would collide with another's pages is refused (ValueError)."""
    if kind.id in ALL_KINDS and not replace:
        raise ValueError(f"kind {kind.id} is already registered (replace=True to replace it)")
    others = [k for k in ALL_KINDS.values() if k.id != kind.id]
    taken_facets = {f.id for f in (*COMMON, *(f for k in others for f in k.facets))}
    if kind.folder in RESERVED_FOLDERS or kind.folder in taken_facets:
        raise ValueError(f"kind {kind.id}: folder {kind.folder!r} is one of the site's own")
    for other in others:
        if other.folder == kind.folder:
            raise ValueError(f"kind {kind.id}: folder {kind.folder!r} is already {other.id}'s")
    for f in kind.facets:
        if f.id in taken_facets or f.id in RESERVED_FOLDERS or f.id in {k.folder for k in others}:
            raise ValueError(f"kind {kind.id}: facet {f.id!r} is already taken")
    ALL_KINDS[kind.id] = kind
    _refresh()


def unregister(kind_id: str) -> None:
    ALL_KINDS.pop(kind_id)
    _refresh()


def select(ids) -> list[str]:
    """The kinds the open site uses (``kinds:`` of its kb.yml, in any order; None: every kind).
    Returns the ids that name no kind (reported by the caller, on kb.yml's line); the others
    are selected, so a site with one misspelt kind still validates the rest."""
    unknown = [] if ids is None else [i for i in ids if i not in ALL_KINDS]
    _SELECTED["ids"] = None if ids is None else frozenset(i for i in ids if i in ALL_KINDS)
    _refresh()
    return unknown


def _refresh() -> None:
    chosen = _SELECTED["ids"]
    ordered = sorted((k for k in ALL_KINDS.values() if chosen is None or k.id in chosen), key=lambda k: (k.order, k.id))
    KINDS.clear()
    KINDS.update((k.id, k) for k in ordered)
    KINDS_BY_FOLDER.clear()
    KINDS_BY_FOLDER.update((k.folder, k) for k in ordered)
    _FACETS.clear()


_FACETS: dict[str, Facet] = {}


def facets() -> list[Facet]:
    """Every facet of the site's kinds: those entries share (each only when a kind has a field it
    reads: no organizations directory without a kind naming organizations), then each kind's own."""
    if not _FACETS:
        names = {f.name for k in KINDS.values() for f in k.schema.fields}
        shared = [f for f in COMMON if not f.fields or names & set(f.fields)]
        for f in (*shared, *(f for k in KINDS.values() for f in k.facets)):
            _FACETS[f.id] = f
    return list(_FACETS.values())


def facet_by_id(facet_id: str) -> Facet:
    facets()
    return _FACETS[facet_id]


def kind_named(name: str) -> Kind | None:
    """A kind by id, folder name or either label."""
    n = name.strip().casefold()
    for k in KINDS.values():
        if n in (k.id, k.folder, k.zh.casefold(), k.en.casefold()):
            return k
    return None


# Every module of this package that declares a KIND is a kind; others (base, a helper shared by
# two kinds) are not, and are imported only by the kinds that use them.
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base" and not _module.name.startswith("_"):
        _kind = getattr(importlib.import_module(f"{__name__}.{_module.name}"), "KIND", None)
        if isinstance(_kind, Kind):
            register(_kind)
