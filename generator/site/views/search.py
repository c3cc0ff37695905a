"""The search page: a form the search script (kb-search.js) reads; results come from the sharded index."""

from __future__ import annotations

from ...facets import entry_year
from ...kinds import KINDS
from ..render import render


def search_page(kb, ctx, scope=None, preview=None):
    tags = kb.registries["tags"]
    yield render(ctx, "search.html", "search/index.md", "搜尋", description="搜尋知識庫的條目。",
                 hide=("toc", "navigation"), meta={"kb_search": True},
                 kinds=[(k.id, k.zh) for k in KINDS.values()],
                 years=sorted({entry_year(e) for e in kb.public}, reverse=True),
                 tags=[(t, tags.label(t)) for t in sorted({t for e in kb.public for t in e.data.get("tags", [])},
                                                          key=tags.label)])
