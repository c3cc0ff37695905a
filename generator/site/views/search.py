"""The search page: a form the search script (kb-search.js) reads; results come from the sharded index."""

from __future__ import annotations

from ...kinds import KINDS
from ...model.facets import entry_year
from ..render import render


def search_page(kb, ctx, scope=None, preview=None):
    tags = kb.registries["tags"]
    src = "search/index.md"
    # The form is sent to the page itself: its folder ("."), or its file when opened from disk.
    url = ctx.links.link_url(src)
    action = "." if url.endswith("/") else url.rpartition("/")[2]
    yield render(ctx, "search.html", src, "搜尋", description="搜尋知識庫的條目。", action=action,
                 hide=("toc", "navigation"), meta={"kb_search": True},
                 kinds=[(k.id, k.zh) for k in KINDS.values()],
                 years=sorted({entry_year(e) for e in kb.public}, reverse=True),
                 tags=[(t, tags.label(t)) for t in sorted({t for e in kb.public for t in e.data.get("tags", [])},
                                                          key=tags.label)])
