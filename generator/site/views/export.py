"""The data export page: the files every build writes, and what each column holds."""

from __future__ import annotations

from ...kinds import KINDS
from ...outputs.export import columns
from ..render import render


def export_page(kb, ctx, scope=None, preview=None):
    if scope is not None:
        return
    counts = kb.counts()
    yield render(ctx, "export.html", "export/index.md", "資料匯出", in_nav=True,
                 description="整個知識庫的公開內容，每種一個 JSON 與 CSV 檔。",
                 kinds=[(k, counts[k.id], columns(k)) for k in KINDS.values()])
