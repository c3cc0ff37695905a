"""Facets: ways to browse entries by a value they hold (a tag, a year, an institution).

Each facet has one page per value, listing the entries holding it, and an index page.
The facets every kind shares are declared here; a kind adds its own in its module
(:attr:`generator.kinds.Kind.facets`). :func:`generator.kinds.facets` lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from . import vocab as V


def entry_year(e) -> int:
    if "year" in e.data:
        return e.data["year"]
    if "start_date" in e.data:
        return e.data["start_date"].year
    return e.date.year


def _institutions(e) -> list[str]:
    out = [e.data.get("institution"), *e.data.get("institutions", [])]
    return list(dict.fromkeys(i for i in out if i))


def _registry_label(name: str):
    return lambda regs, value, lang: regs[name].label(value, lang)


def _organization_label(regs, value, lang: str) -> str:
    label = regs["organizations"].label(value, lang)
    return f"{value} {label}" if lang.startswith("zh") else label


def vocabulary_label(vocab: V.Vocabulary):
    return lambda regs, value, lang: vocab.label(value, lang)


@dataclass(frozen=True)
class Facet:
    id: str  # also the URL folder
    zh: str
    en: str
    values: Callable[[Any], list]  # entry -> the values it holds
    label: Callable[[Any, Any, str], str] = lambda regs, value, lang: str(value)  # (registries, value, lang)
    current_only: bool = False  # lists only entries not past their expiry (exchange board filters)
    newest_first: bool = False  # the index lists values newest first (years), not by count
    in_nav: bool = True  # listed under 瀏覽 in the navigation
    directory: bool = False  # value pages describe the value (a registry entry) before its entries
    vocabulary: V.Vocabulary | None = None  # the values' order where the facet lists them all (a board)
    fields: tuple[str, ...] = ()  # a shared facet exists where a kind has one of these fields; (): always


COMMON = (
    Facet("tags", "標籤", "Tags", lambda e: e.data.get("tags", []), _registry_label("tags")),
    Facet("years", "年度", "Years", lambda e: [entry_year(e)], newest_first=True),
    Facet("organizations", "組織與會議", "Organizations",
          lambda e: [e.data["conference"]] if "conference" in e.data else [], _organization_label,
          in_nav=False, directory=True, fields=("conference",)),
    Facet("institutions", "機構", "Institutions", _institutions, _registry_label("institutions"),
          fields=("institution", "institutions")),
    Facet("audiences", "對象", "Audiences", lambda e: e.data.get("audience", []), vocabulary_label(V.AUDIENCE),
          fields=("audience",)),
)
