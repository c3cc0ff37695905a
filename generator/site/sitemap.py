"""The English site's own sitemap, ``en/sitemap.xml``: its pages, each with its versions in both
languages (hreflang), as the engine's sitemap at the root lists every page.

Why a second one: Material's script fetches ``sitemap.xml`` beside every
``<link rel="alternate">`` of a page (to find a page's versions), and the English pages' feeds
are in ``en/``; without this file every English page view asked for a file that does not exist
(a console error Lighthouse counts against the page). A sitemap in ``en/`` may list only
addresses under ``en/``, which is what it holds.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..core.escape import xml_document
from .i18n import EN
from .urls import page_url

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def english_sitemap(site, sources) -> str:
    """``en/sitemap.xml`` for the English pages among ``sources`` (page source paths); empty
    without the site's address (a sitemap names pages by absolute address)."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    if site.site_url:
        for src in sources:
            if not src.startswith(EN.prefix):
                continue
            chinese = site.absolute(page_url(src[len(EN.prefix):]))
            english = site.absolute(page_url(src))
            url = ET.SubElement(root, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = english
            for lang, href in (("zh-Hant", chinese), ("en", english), ("x-default", chinese)):
                ET.SubElement(url, f"{{{XHTML}}}link", {"rel": "alternate", "hreflang": lang, "href": href})
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_document(ET.tostring(root, encoding="unicode"))
