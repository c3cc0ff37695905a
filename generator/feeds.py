"""RSS 2.0, Atom and JSON Feed for the whole knowledge base and for each kind.

Written by us rather than by mkdocs-rss-plugin: the plugin asks git once per
page for dates (the cost the history module avoids), writes RSS and JSON but
not Atom, and knows nothing of internal entries; here the feeds reuse the
one-pass history, hold public entries only, and use Asia/Taipei times and
absolute URLs.
"""

from __future__ import annotations

import json
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from . import escape
from .models import KINDS, Kind

FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"


def _xml(root: ET.Element) -> str:
    """The XML context's one exit: ElementTree escapes markup, escape.xml_document the
    characters XML 1.0 does not allow at all."""
    return escape.xml_document('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode"))


def _append(builder, parent: ET.Element, items, make) -> None:
    """One element per entry; an entry whose element fails is named in builder.failures."""
    for e in items:
        element = builder.failures.run(e, make, builder, e)
        if element is not None:
            parent.append(element)


def feed_paths(kind: Kind | None = None) -> dict[str, str]:
    base = f"{kind.folder}/" if kind else ""
    return {"rss": f"{base}feed.xml", "atom": f"{base}atom.xml", "json": f"{base}feed.json"}


def _items(builder, kind: Kind | None):
    entries = [e for e in builder.kb.public if kind is None or e.kind is kind]
    entries.sort(key=lambda e: (builder.published(e), e.title), reverse=True)
    return entries[:FEED_SIZE]


def _authors(builder, e) -> list[str]:
    return list(e.data.get("authors", []))


def _title(builder, kind: Kind | None) -> str:
    return f"{builder.site.site_name}：{kind.zh}" if kind else builder.site.site_name


def rss(builder, kind: Kind | None = None) -> str:
    ET.register_namespace("atom", ATOM)
    ET.register_namespace("dc", DC)
    site = builder.site
    items = _items(builder, kind)
    root = ET.Element("rss", {"version": "2.0"})
    ch = ET.SubElement(root, "channel")
    ET.SubElement(ch, "title").text = _title(builder, kind)
    ET.SubElement(ch, "link").text = site.absolute(kind.folder + "/" if kind else "")
    ET.SubElement(ch, "description").text = kind.description_zh if kind else "臺灣圖書館員共同整理的知識庫"
    ET.SubElement(ch, "language").text = "zh-TW"
    ET.SubElement(ch, f"{{{ATOM}}}link", {"href": site.absolute(feed_paths(kind)["rss"]), "rel": "self",
                                           "type": "application/rss+xml"})
    if items:
        ET.SubElement(ch, "lastBuildDate").text = format_datetime(max(builder.updated(e) for e in items))
    _append(builder, ch, items, _rss_item)
    return _xml(root)


def _rss_item(builder, e) -> ET.Element:
    site = builder.site
    it = ET.Element("item")
    ET.SubElement(it, "title").text = e.title
    ET.SubElement(it, "link").text = site.absolute(e.url)
    ET.SubElement(it, "guid", {"isPermaLink": "true"}).text = site.absolute(e.url)
    ET.SubElement(it, "pubDate").text = format_datetime(builder.published(e))
    ET.SubElement(it, "description").text = e.data["summary"]
    for a in _authors(builder, e):
        ET.SubElement(it, f"{{{DC}}}creator").text = a
    ET.SubElement(it, "category").text = e.kind.zh
    for t in e.data.get("tags", []):
        ET.SubElement(it, "category").text = builder.regs["tags"].label(t)
    return it


def atom(builder, kind: Kind | None = None) -> str:
    ET.register_namespace("", ATOM)
    site = builder.site
    items = _items(builder, kind)
    a = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    root = ET.Element(a("feed"), {"xml:lang": "zh-TW"})
    ET.SubElement(root, a("id")).text = site.absolute(feed_paths(kind)["atom"])
    ET.SubElement(root, a("title")).text = _title(builder, kind)
    ET.SubElement(root, a("link"), {"rel": "self", "href": site.absolute(feed_paths(kind)["atom"])})
    ET.SubElement(root, a("link"), {"rel": "alternate", "href": site.absolute(kind.folder + "/" if kind else "")})
    updated = max((builder.updated(e) for e in items), default=None)
    ET.SubElement(root, a("updated")).text = (updated or builder.published_fallback()).isoformat()
    _append(builder, root, items, _atom_entry)
    return _xml(root)


def _atom_entry(builder, e) -> ET.Element:
    site = builder.site
    a = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    en = ET.Element(a("entry"))
    ET.SubElement(en, a("id")).text = site.absolute(e.url)
    ET.SubElement(en, a("title")).text = e.title
    ET.SubElement(en, a("link"), {"rel": "alternate", "href": site.absolute(e.url)})
    ET.SubElement(en, a("published")).text = builder.published(e).isoformat()
    ET.SubElement(en, a("updated")).text = builder.updated(e).isoformat()
    ET.SubElement(en, a("summary")).text = e.data["summary"]
    for name in _authors(builder, e) or ["知識庫編輯小組"]:
        ET.SubElement(ET.SubElement(en, a("author")), a("name")).text = name
    ET.SubElement(en, a("category"), {"term": e.kind.id, "label": e.kind.zh})
    return en


def json_feed(builder, kind: Kind | None = None) -> str:
    site = builder.site
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _title(builder, kind),
        "home_page_url": site.absolute(kind.folder + "/" if kind else ""),
        "feed_url": site.absolute(feed_paths(kind)["json"]),
        "language": "zh-TW",
        "items": [item for e in _items(builder, kind)
                  if (item := builder.failures.run(e, _json_item, builder, e)) is not None],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _json_item(builder, e) -> dict:
    site = builder.site
    image = builder.image(e)
    return {
        "id": site.absolute(e.url),
        "url": site.absolute(e.url),
        "title": e.title,
        "summary": e.data["summary"],
        "content_text": e.data["summary"],
        "date_published": builder.published(e).isoformat(),
        "date_modified": builder.updated(e).isoformat(),
        "authors": [{"name": n} for n in _authors(builder, e)],
        "tags": [e.kind.zh, *(builder.regs["tags"].label(t) for t in e.data.get("tags", []))],
        **({"image": image} if image else {}),
    }


def all_feeds(builder) -> dict[str, str]:
    """Output path -> content, for the whole knowledge base and each kind."""
    out = {}
    for kind in (None, *KINDS.values()):
        paths = feed_paths(kind)
        out[paths["rss"]] = rss(builder, kind)
        out[paths["atom"]] = atom(builder, kind)
        out[paths["json"]] = json_feed(builder, kind)
    return out
