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
    yield render(ctx, "collection.html", src, "我的收藏",
                 description="你在這個瀏覽器收藏的條目：不需帳號，不經伺服器，可匯出成檔案帶到別台裝置。",
                 hide=("toc",), meta={"kb_reader": True}, root=root, index=ctx.links.href(src, "search/index.md").rsplit("/", 1)[0] + "/")
