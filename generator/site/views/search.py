"""The search page: a form the search script (kb-search.js) reads; results come from the
sharded index, which both languages' search pages share (at ``search/``)."""

from __future__ import annotations

import json

from ...kinds import KINDS
from ...model.facets import entry_year
from ..render import render

# The catalogue's strings the search script shows (site/i18n.py), handed to it on the form.
SCRIPT_WORDS = ("pager-first", "pager-previous", "pager-next", "pager-last", "pager-page", "search-page", "closed",
                "search-prompt", "search-searching", "search-about", "search-none", "search-none-filtered",
                "search-found", "search-found-page", "search-offline-missing", "search-unavailable")


def search_page(kb, ctx, scope=None, preview=None):
    tags = kb.registries["tags"]
    src = "search/index.md"
    lang = ctx.lang
    # The form is sent to the page itself: its folder ("."), or its file when opened from disk.
    url = ctx.links.link_url(src)
    action = "." if url.endswith("/") else url.rpartition("/")[2]
    yield render(ctx, "search.html", src, lang.t("nav-search"), description=lang.t("search-description"), action=action,
                 hide=("toc", "navigation"), meta={"kb_search": True},
                 index=ctx.to_root(src, "search/"),  # at the site's root: both languages' search pages read it
                 words=json.dumps({k: lang.t(k) for k in SCRIPT_WORDS}, ensure_ascii=False),
                 kinds=[(k.id, lang.name(k)) for k in KINDS.values()],
                 years=sorted({entry_year(e) for e in kb.public}, reverse=True),
                 tags=[(t, tags.label(t, lang.code)) for t in sorted({t for e in kb.public for t in e.data.get("tags", [])},
                                                                     key=lambda t: tags.label(t, lang.code))])
