"""The pieces of schema.org a kind describes its entries with (``Kind.structured_data``):
organizations from the registries, places, audiences, people, dates.

Every piece holds only what the entry (or the registry item it names) really has: an absent
value is left out, never guessed or filled with a placeholder. The values are plain Python
data; generator/site/jsonld.py adds what every page has and serialises it once
(generator/core/escape.py ``script_json``), so nothing here escapes anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.escape import url_scheme
from ..model.vocab import Vocabulary

SCHEMA = "https://schema.org/"

# Google's values for JobPosting.employmentType (developers.google.com/search/docs/appearance/
# structured-data/job-posting): FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER,
# PER_DIEM, OTHER. A value a site adds to its vocabulary is left out rather than guessed.
EMPLOYMENT_TYPES = {"full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACTOR",
                    "temporary": "TEMPORARY", "internship": "INTERN"}

# Event.eventAttendanceMode (schema.org EventAttendanceModeEnumeration), from the mode vocabulary.
ATTENDANCE_MODES = {"in-person": SCHEMA + "OfflineEventAttendanceMode", "virtual": SCHEMA + "OnlineEventAttendanceMode",
                    "hybrid": SCHEMA + "MixedEventAttendanceMode"}


def compact(node: dict[str, Any]) -> dict[str, Any]:
    """The node without the properties that have no value (None, "", an empty list or object)."""
    return {k: v for k, v in node.items() if v is not None and v != "" and v != [] and v != {}}


def web(url: str | None) -> str | None:
    """A web address (http or https) as it is; anything else (a javascript: URL a registry
    should never hold, a relative path) is no address of a thing and is left out."""
    return url if url and url_scheme(url) in ("http", "https") else None


def day(d: dt.date) -> str:
    """A date in ISO 8601 (YYYY-MM-DD)."""
    return d.isoformat()


def day_end(d: dt.date) -> str:
    """The last second of a day in Taiwan, ISO 8601: a closing date is the last day one may apply."""
    return f"{d.isoformat()}T23:59:59+08:00"


def address(locality: str | None = None, country: str | None = None) -> dict | None:
    """A PostalAddress of the parts known (the city, the country as written), or None."""
    node = compact({"@type": "PostalAddress", "addressLocality": locality, "addressCountry": country})
    return node if len(node) > 1 else None


def place(name: str | None = None, locality: str | None = None, country: str | None = None) -> dict | None:
    """A Place with its name and address, as far as they are known; None when nothing is."""
    node = compact({"@type": "Place", "name": name, "address": address(locality, country)})
    return node if len(node) > 1 else None


def organization(name: str, url: str | None = None, kind: str = "Organization") -> dict:
    """An organization known by its name (and its own website: ``sameAs``, which names it)."""
    return compact({"@type": kind, "name": name, "sameAs": web(url)})


def registered(registries, registry: str, item_id: str | None, kind: str = "Organization") -> dict | None:
    """An organization of a registry (institutions, organizations): its Chinese name, English
    name, website and city, as the registry has them; None for an id it does not hold."""
    reg = registries.get(registry) if registries is not None and item_id else None
    item = reg.items.get(item_id) if reg is not None else None
    if not item:
        return None
    return compact({"@type": kind, "name": item.get("name_zh") or item_id, "alternateName": item.get("name_en"),
                    "sameAs": web(item.get("website")), "address": address(item.get("city"))})


def place_of(org: dict | None) -> dict | None:
    """An organization's premises as a Place (its name and address), when it is known."""
    if not org:
        return None
    return compact({"@type": "Place", "name": org.get("name"), "address": org.get("address")})


def people(names: list[str]) -> list[dict]:
    return [{"@type": "Person", "name": n} for n in names]


def audiences(vocab: Vocabulary, ids: list[str]) -> list[dict]:
    """Audiences by their labels (schema.org Audience.audienceType is text)."""
    return [{"@type": "Audience", "audienceType": vocab.label(i)} for i in ids]
