"""An entry's facts as plain values: what its fact panel and listings show, and search reads.

A kind declares which of its fields show (:class:`Fact`); a field's label is the one its
schema gives, never written a second time. A fact's value is a short list of parts: text,
a :class:`Link` (to a facet page or an address) and :data:`BREAK` (a new line). Views turn
parts into markup (:mod:`generator.site.markup`); search and exports read their text
(:func:`plain`). Nothing here is HTML.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache
from typing import Any
from collections.abc import Callable

from .fields import Choice, Date, Email, Field, Integer, ListOf, Number, Object, Ref, Url, Year


@dataclass(frozen=True)
class Link:
    text: str
    facet: str = ""  # a facet page (facet id and value) ...
    value: Any = None
    url: str = ""  # ... or an address: http(s), mailto or relative


class _Break:
    def __repr__(self) -> str:
        return "BREAK"


BREAK = _Break()
Parts = list  # of str, Link and BREAK
Row = tuple  # (label, parts)


@dataclass(frozen=True)
class Fact:
    """One row of an entry's fact panel.

    ``field`` names a field of the kind's schema: the row's label is the field's and its
    value is shown as the field's type shows values (a vocabulary's label, a registry's
    name, a list joined by 、), linked to ``facet``'s page when one is given. ``show``
    replaces how the value is shown; a row that combines fields (a period, a place) has no
    ``field`` and gives its own ``label``. ``rows`` makes any number of rows with labels of
    their own (measured results: one row per metric). ``brief`` rows also show in listings."""

    field: str = ""
    label: str = ""
    brief: bool = False
    full: bool = True
    show: Callable[..., Parts | None] | None = None  # (entry, kb, brief[, lang]) -> parts, None to skip
    rows: Callable[..., list[Row]] | None = None  # (entry, kb[, lang]) -> rows; given lang on the English site
    facet: str = ""
    unit: str = ""
    label_en: str = ""  # the label on the English site (a field's own label is the field's ``en``)
    unit_en: str = ""


def in_language(lang: str, zh: str, en: str) -> str:
    """A word a kind writes around its values, in the page's language (the English site)."""
    return zh if lang.startswith("zh") else en


@cache
def _takes_language(show: Callable) -> bool:
    try:
        return len(inspect.signature(show).parameters) > 3
    except (TypeError, ValueError):
        return False


def shown(show: Callable[..., Parts | None], e, kb, brief: bool, lang: str = "zh-TW") -> Parts | None:
    """What a fact's ``show`` makes of an entry, in ``lang`` when it takes a language (a
    site's own kind may declare ``show(e, kb, brief)``: its words stay as it writes them)."""
    return show(e, kb, brief, lang) if _takes_language(show) else show(e, kb, brief)


def plain(parts: Parts) -> str:
    """A value's text: what search indexes and a feed or export may print."""
    return "".join(" " if p is BREAK else p.text if isinstance(p, Link) else p for p in parts)


def joined(items: list[Parts], sep="、") -> Parts:
    out: Parts = []
    for i, item in enumerate(items):
        if i:
            out.append(sep)
        out.extend(item)
    return out


def lines(items: list[Parts]) -> Parts:
    return joined(items, BREAK)


def numbered(texts: list[str]) -> Parts:
    return lines([[f"{i}. {t}"] for i, t in enumerate(texts, 1)])


def number(value) -> str:
    return f"{value:,}"


def is_year(t) -> bool:
    return isinstance(t, Year)


def value_parts(ftype, value, kb, facet: str = "", lang: str = "zh-TW") -> Parts:
    """A field's value as its type shows it (names of values in ``lang``)."""
    if isinstance(ftype, ListOf):
        return joined([value_parts(ftype.item, v, kb, facet, lang) for v in value],
                      "、" if lang.startswith("zh") else ", ")
    if facet:
        return [Link(kb.facet_label(facet, value, lang), facet=facet, value=value)]
    if isinstance(ftype, Choice):
        return [ftype.vocabulary.label(value, lang)]
    if isinstance(ftype, Ref):
        return [kb.registries[ftype.registry].label(value, lang)]
    if isinstance(ftype, Date):
        return [value.isoformat()]
    if isinstance(ftype, (Integer, Number)) and not isinstance(value, bool):
        return [str(value) if is_year(ftype) else number(value)]
    if isinstance(ftype, Url):
        return [Link(value, url=value)]
    if isinstance(ftype, Email):
        return [obfuscate_email(value)]
    if isinstance(ftype, Object):
        raise TypeError("an object field needs its own show= function")
    return [str(value)]


def field_row(fact: Fact, f: Field, e, kb, brief: bool, lang: str = "zh-TW") -> Row | None:
    if fact.show is not None:
        parts = shown(fact.show, e, kb, brief, lang)
    elif f.name not in e.data or e.data[f.name] in (None, [], ""):
        return None
    else:
        parts = value_parts(f.type, e.data[f.name], kb, fact.facet, lang)
    if parts is None:
        return None
    english = not lang.startswith("zh")
    unit = (fact.unit_en or fact.unit) if english else fact.unit
    if unit:
        parts = [*parts, unit]
    return ((fact.label_en or f.en or fact.label or f.zh) if english else (fact.label or f.zh), parts)


def obfuscate_email(addr: str) -> str:
    """How an address is published (pages, exports): text for people, not a mailto: for harvesters."""
    user, _, domain = addr.partition("@")
    return f"{user} [at] {domain.replace('.', ' [dot] ')}"
