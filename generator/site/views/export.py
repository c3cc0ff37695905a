"""The data export page: the files every build writes, and what each column holds."""

from __future__ import annotations

from ...kinds import KINDS
from ...outputs.export import columns
from ..render import render


def export_page(kb, ctx, scope=None, preview=None):
    if scope is not None:
        return
    counts = kb.counts()
    src = "export/index.md"
    lang = ctx.lang
    yield render(ctx, "export.html", src, lang.t("nav-export"), in_nav=True,
                 description=lang.t("export-description"),
                 # the files are beside the Chinese page (export/): the English one links to them there
                 files=ctx.to_root(src, "export/") if lang.english else "",
                 kinds=[(k, counts[k.id], columns(k)) for k in KINDS.values()])
