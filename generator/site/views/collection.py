"""我的收藏: the entries a reader collected with the 收藏 button of an entry's page, kept in their
browser (no account, no server). The page is a frame the reader's script (kb-reader.js) fills
from the browser's storage, with cards shaped as a listing's (markup.items), marking entries
that the search index no longer lists (gone or made internal) or lists as closed."""

from __future__ import annotations

from ..render import render
from .entry import COLLECTION_SRC


def collection_page(kb, ctx, scope=None, preview=None):
    if scope is not None:  # a preview's edit changes nothing here
        return
    src = COLLECTION_SRC
    root = ctx.links.href(src, "index.md")
    t = ctx.lang.t
    index = ctx.to_root(src, "search/")  # the site's search index, at its root, shared by both languages
    yield render(ctx, "collection.html", src, t("nav-collection"), description=t("collection-description"),
                 hide=("toc",), meta={"kb_reader": True}, root=root, store=ctx.to_root(src, ""), index=index)
