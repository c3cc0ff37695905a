"""An entry page's structured data: schema.org as JSON-LD, for search engines.

The kind says what its entry is (``Kind.structured_data``: a JobPosting, an Event, a
LearningResource, a Report, an Organization); a kind that says nothing, or an entry it does
not describe (a position sought), is an Article. What every page has is added here: its
address, its language, the site it is part of, the content's licence and its dates. On the
English site the page's address is the English page's and the names are the entry's English
title and summary where it has them; the work's language stays the one it is written in.

A creative work (an Article, a Report, a LearningResource) carries those itself. A thing
that is not one (a job posting, an event, an organization) has no licence or language in
schema.org: the page describing it does (``mainEntityOfPage``, a WebPage).

The value is serialised once, by :func:`generator.core.escape.script_json`, into the one
text the engine's template prints inside ``<script type="application/ld+json">``; the
post-build scan accepts such a script only when its text parses as JSON
(:mod:`generator.site.sitecheck`). Check a built page with Google's Rich Results Test
(https://search.google.com/test/rich-results) or the Schema Markup Validator
(https://validator.schema.org/).
"""

from __future__ import annotations

from typing import Any

from ..core.escape import ScriptJson, script_json
from ..kinds._schemaorg import compact
from ..model.vocab import text_language

CONTEXT = "https://schema.org"
# schema.org types that are creative works: they hold a licence, a language, authors and dates.
CREATIVE_WORKS = frozenset({"Article", "Report", "ScholarlyArticle", "LearningResource", "CreativeWork", "WebPage"})


def website(site) -> dict[str, Any] | None:
    """The site, as the WebSite every page is part of (None when it has neither name nor address)."""
    node = compact({"@type": "WebSite", "name": site.site_name, "alternateName": site.name_en,
                     "url": site.site_url or None})
    return node if len(node) > 1 else None


def entry_data(e, kb, ctx) -> dict[str, Any]:
    """The schema.org description of an entry's page, as plain data (tests read it here)."""
    site = ctx.site
    lang = ctx.lang  # on the English site: the English page's address, and the entry's English title and summary
    url = site.absolute(lang.prefix + e.url) if site.site_url else None  # a relative address would resolve wrongly
    title, summary = lang.entry_text(e, "title")[0], lang.entry_text(e, "summary")[0]
    # The kind's own type (a job posting, an event) only on the Chinese page, the entry's one
    # address for it: the same posting at a second address would be a second posting to a search
    # engine. The English page describes itself as an article about the entry.
    declared = e.kind.structured_data(e, kb) if e.kind.structured_data and not lang.english else None
    node: dict[str, Any] = dict(declared) if declared else {"@type": "Article"}
    page = {
        "inLanguage": text_language(e),
        "isPartOf": website(site),
        # The kind's own licence (a lesson plan's) over the site's; None: no licence at all.
        "license": node.pop("license") if "license" in node else site.licence()[2] or None,
        "datePublished": ctx.published(e).isoformat(),
        "dateModified": ctx.updated(e).isoformat(),
    }
    common = {"name": title, "description": summary,
              "image": ctx.image(e) if url else None}  # its first picture, by its absolute address
    if node["@type"] in CREATIVE_WORKS:
        tags = [kb.facet_label("tags", t, lang.code) for t in e.data.get("tags", [])]
        common.update(headline=title, author=[{"@type": "Person", "name": a} for a in e.data["authors"]],
                      keywords=tags, **page, url=url,
                      mainEntityOfPage={"@type": "WebPage", "@id": url} if url else None)
    else:
        common.update(url=url, mainEntityOfPage=compact({"@type": "WebPage", "@id": url, "url": url, "name": title,
                                                          **page}))
    # The kind's values win: a name it gives (an organization's) is the thing's name.
    return {"@context": CONTEXT, "@type": node.pop("@type"), **compact({**common, **node})}


def entry_script(e, kb, ctx) -> ScriptJson:
    """The text of the entry page's ``<script type="application/ld+json">``, escaped for it."""
    return script_json(entry_data(e, kb, ctx))
