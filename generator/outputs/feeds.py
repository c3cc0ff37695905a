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

from ..core import escape
from ..kinds import KINDS, Kind

FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"


def _xml(root: ET.Element) -> str:
    """The XML context's one exit: ElementTree escapes markup, escape.xml_document the
    characters XML 1.0 does not allow at all."""
    return escape.xml_document('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode"))


def _append(kb, ctx, parent: ET.Element, items, make) -> None:
    """One element per entry; an entry whose element fails is named in ctx.failures."""
    for e in items:
        element = ctx.failures.run(e, make, kb, ctx, e)
        if element is not None:
            parent.append(element)


def feed_paths(kind: Kind | None = None, prefix: str = "") -> dict[str, str]:
    """A feed's files: the site's (or a kind's), in a language's folder (``prefix``)."""
    base = prefix + (f"{kind.folder}/" if kind else "")
    return {"rss": f"{base}feed.xml", "atom": f"{base}atom.xml", "json": f"{base}feed.json"}


def _items(kb, ctx, kind: Kind | None):
    entries = [e for e in kb.public if kind is None or e.kind.id == kind.id]
    entries.sort(key=lambda e: (ctx.published(e), e.title), reverse=True)
    return entries[:FEED_SIZE]


def _authors(kb, ctx, e) -> list[str]:
    return list(e.data.get("authors", []))


def _site_name(ctx) -> str:
    return (ctx.site.name_en or ctx.site.site_name) if ctx.lang.english else ctx.site.site_name


def _title(kb, ctx, kind: Kind | None) -> str:
    name = _site_name(ctx)
    return ctx.lang.t("feed-title", site=name, kind=ctx.lang.name(kind)) if kind else name


def _page(ctx, path: str) -> str:
    """A page's absolute address in the feed's language."""
    return ctx.site.absolute(ctx.lang.prefix + path)


def _text(ctx, e, key: str) -> str:
    return ctx.lang.entry_text(e, key)[0]


def rss(kb, ctx, kind: Kind | None = None) -> str:
    ET.register_namespace("atom", ATOM)
    ET.register_namespace("dc", DC)
    site = ctx.site
    items = _items(kb, ctx, kind)
    root = ET.Element("rss", {"version": "2.0"})
    ch = ET.SubElement(root, "channel")
    ET.SubElement(ch, "title").text = _title(kb, ctx, kind)
    english = ctx.lang.english
    ET.SubElement(ch, "link").text = _page(ctx, kind.folder + "/" if kind else "")
    ET.SubElement(ch, "description").text = ((kind.description_en if english else kind.description_zh) if kind else
                                             ((site.description_en or site.description) if english else site.description)
                                             or _site_name(ctx))
    ET.SubElement(ch, "language").text = ctx.lang.code
    ET.SubElement(ch, f"{{{ATOM}}}link", {"href": site.absolute(feed_paths(kind, ctx.lang.prefix)["rss"]), "rel": "self",
                                           "type": "application/rss+xml"})
    if items:
        ET.SubElement(ch, "lastBuildDate").text = format_datetime(max(ctx.updated(e) for e in items))
    _append(kb, ctx, ch, items, _rss_item)
    return _xml(root)


def _rss_item(kb, ctx, e) -> ET.Element:
    it = ET.Element("item")
    ET.SubElement(it, "title").text = _text(ctx, e, "title")
    ET.SubElement(it, "link").text = _page(ctx, e.url)
    ET.SubElement(it, "guid", {"isPermaLink": "true"}).text = _page(ctx, e.url)
    ET.SubElement(it, "pubDate").text = format_datetime(ctx.published(e))
    ET.SubElement(it, "description").text = _text(ctx, e, "summary")
    for a in _authors(kb, ctx, e):
        ET.SubElement(it, f"{{{DC}}}creator").text = a
    ET.SubElement(it, "category").text = ctx.lang.name(e.kind)
    for t in e.data.get("tags", []):
        ET.SubElement(it, "category").text = kb.registries["tags"].label(t, ctx.lang.code)
    return it


def atom(kb, ctx, kind: Kind | None = None) -> str:
    ET.register_namespace("", ATOM)
    site = ctx.site
    items = _items(kb, ctx, kind)
    a = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    root = ET.Element(a("feed"), {"xml:lang": ctx.lang.code})
    path = feed_paths(kind, ctx.lang.prefix)["atom"]
    ET.SubElement(root, a("id")).text = site.absolute(path)
    ET.SubElement(root, a("title")).text = _title(kb, ctx, kind)
    ET.SubElement(root, a("link"), {"rel": "self", "href": site.absolute(path)})
    ET.SubElement(root, a("link"), {"rel": "alternate", "href": _page(ctx, kind.folder + "/" if kind else "")})
    updated = max((ctx.updated(e) for e in items), default=None)
    ET.SubElement(root, a("updated")).text = (updated or ctx.published_fallback()).isoformat()
    _append(kb, ctx, root, items, _atom_entry)
    return _xml(root)


def _atom_entry(kb, ctx, e) -> ET.Element:
    a = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    en = ET.Element(a("entry"))
    ET.SubElement(en, a("id")).text = _page(ctx, e.url)
    ET.SubElement(en, a("title")).text = _text(ctx, e, "title")
    ET.SubElement(en, a("link"), {"rel": "alternate", "href": _page(ctx, e.url)})
    ET.SubElement(en, a("published")).text = ctx.published(e).isoformat()
    ET.SubElement(en, a("updated")).text = ctx.updated(e).isoformat()
    ET.SubElement(en, a("summary")).text = _text(ctx, e, "summary")
    for name in _authors(kb, ctx, e) or [ctx.lang.t("feed-editors")]:
        ET.SubElement(ET.SubElement(en, a("author")), a("name")).text = name
    ET.SubElement(en, a("category"), {"term": e.kind.id, "label": ctx.lang.name(e.kind)})
    return en


def json_feed(kb, ctx, kind: Kind | None = None) -> str:
    site = ctx.site
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _title(kb, ctx, kind),
        "home_page_url": _page(ctx, kind.folder + "/" if kind else ""),
        "feed_url": site.absolute(feed_paths(kind, ctx.lang.prefix)["json"]),
        "language": ctx.lang.code,
        "items": [item for e in _items(kb, ctx, kind)
                  if (item := ctx.failures.run(e, _json_item, kb, ctx, e)) is not None],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _json_item(kb, ctx, e) -> dict:
    image = ctx.image(e)
    return {
        "id": _page(ctx, e.url),
        "url": _page(ctx, e.url),
        "title": _text(ctx, e, "title"),
        "summary": _text(ctx, e, "summary"),
        "content_text": _text(ctx, e, "summary"),
        "date_published": ctx.published(e).isoformat(),
        "date_modified": ctx.updated(e).isoformat(),
        "authors": [{"name": n} for n in _authors(kb, ctx, e)],
        "tags": [ctx.lang.name(e.kind), *(kb.registries["tags"].label(t, ctx.lang.code) for t in e.data.get("tags", []))],
        **({"image": image} if image else {}),
    }


def all_feeds(kb, ctx) -> dict[str, str]:
    """Output path -> content, for the whole knowledge base and each kind."""
    out = {}
    for lang in ctx.languages:  # the English site's feeds are in en/, with its titles and links
        here = ctx if lang == ctx.lang else ctx.translated(lang)
        for kind in (None, *KINDS.values()):
            paths = feed_paths(kind, lang.prefix)
            out[paths["rss"]] = rss(kb, here, kind)
            out[paths["atom"]] = atom(kb, here, kind)
            out[paths["json"]] = json_feed(kb, here, kind)
    return out
