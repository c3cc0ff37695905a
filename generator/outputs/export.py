"""The whole public knowledge base as data: one JSON and one CSV file per kind.

Written on every build into ``export/`` so that readers, other systems and a
future host can take everything away: nothing is held hostage by a website.
Only public entries; e-mail addresses are written as on the pages
(``name [at] host [dot] org``) and consent flags are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from ..core import escape
from ..core.problems import EntryFailures
from ..kinds import KINDS, Kind, obfuscate_email
from ..model.fields import (
    Boolean,
    Choice,
    Date,
    Email,
    EntryRef,
    Field,
    Integer,
    ListOf,
    Number,
    Object,
    Ref,
    Text,
    Url,
)
from ..model.siteinfo import SiteInfo

LIST_SEPARATOR = "; "
# Before every kind's own fields, whose names they must not take: a kind's ``url`` (a tool's own
# address) is its field, the entry's page on this site is ``page_url`` (tests/test_platform.py).
PAGE_COLUMN = "page_url"
FIXED_COLUMNS = [
    ("id", "代碼（種類資料夾/代稱）", "id (kind folder/slug)"),
    (PAGE_COLUMN, "條目在本站的網頁網址", "URL of the entry's page on this site"),
    ("closed", "已截止或過期", "closed: past its closing date or taken (jobs, exchange)"),
]
BODY_COLUMN = ("body", "正文（Markdown）", "the entry's text (Markdown)")


def type_label(t) -> tuple[str, str]:
    """How a field's values look in the export, in zh-TW and English."""
    if isinstance(t, Choice):
        ids = ", ".join(t.vocabulary.ids())
        return f"代碼（{ids}）", f"code ({ids})"
    if isinstance(t, Ref):
        return f"登錄表代碼（registries/{t.registry}.yml）", f"id from registries/{t.registry}.yml"
    if isinstance(t, ListOf):
        zh, en = type_label(t.item)
        if isinstance(t.item, Object):
            return "物件清單（CSV 中為 JSON）", "list of objects (JSON text in CSV)"
        return f"清單：{zh}（CSV 以「; 」分隔）", f"list of {en} (joined by '; ' in CSV)"
    return {
        Text: ("文字", "text"), Date: ("日期 YYYY-MM-DD", "date YYYY-MM-DD"), Integer: ("整數", "integer"),
        Number: ("數字", "number"), Boolean: ("true / false", "true / false"), Url: ("網址", "URL"),
        Email: ("電子郵件（隱寫）", "e-mail (written out, not linkable)"), EntryRef: ("條目代碼", "entry id"),
        Object: ("物件（CSV 中為 JSON）", "object (JSON text in CSV)"),
    }.get(type(t), ("文字", "text"))


# slug: (written by the web editor) is the end of "id", which every record has.
NOT_EXPORTED = ("slug",)


def columns(kind: Kind) -> list[tuple[str, str, str, str, str, bool]]:
    """(name, zh label, en label, zh type, en type, required) for every column of a kind's files."""
    out = [(n, zh, en, "文字", "text", True) for n, zh, en in FIXED_COLUMNS]
    for f in kind.schema.fields:
        if f.name in NOT_EXPORTED:
            continue
        zh_t, en_t = type_label(f.type)
        out.append((f.name, f.zh, f.en, zh_t, en_t, f.required))
    out.append((BODY_COLUMN[0], BODY_COLUMN[1], BODY_COLUMN[2], "Markdown", "Markdown", True))
    return out


def _clean(value, f: Field | None = None):
    """A field value as plain JSON: dates as ISO text, e-mail written out, consent dropped."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "consent":
                continue
            out[k] = obfuscate_email(v) if k == "email" else _clean(v)
        return out
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def record(e, kb, site: SiteInfo) -> dict:
    page = site.absolute(e.url) if site.site_url else e.url
    rec = {"id": e.key, PAGE_COLUMN: page, "closed": kb.is_closed(e) if e.kind.expires else False}
    for f in e.kind.schema.fields:
        if f.name in e.data and f.name not in NOT_EXPORTED:
            value = e.data[f.name]
            if f.name == "attachments":
                value = [{**a, "url": page + a["file"]} for a in e.attachments]
            rec[f.name] = _clean(value)
    rec["body"] = e.body.strip() + "\n"
    return rec


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return LIST_SEPARATOR.join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def kind_json(kind: Kind, records: list[dict], generated: str) -> str:
    doc = {
        "kind": kind.id, "title": {"zh-TW": kind.zh, "en": kind.en}, "generated": generated,
        "count": len(records),
        "fields": [{"name": n, "zh-TW": zh, "en": en, "type": en_t, "required": req}
                   for n, zh, en, _, en_t, req in columns(kind)],
        "entries": records,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def kind_csv(kind: Kind, records: list[dict]) -> str:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    names = [c[0] for c in columns(kind)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    for rec in records:
        w.writerow([escape.csv_cell(_cell(rec.get(n))) for n in names])
    return "\ufeff" + buf.getvalue()


def iter_export(kb, site: SiteInfo, generated: str, failures: EntryFailures | None = None):
    """(path, text) of every export file: ``export/<kind folder>.json`` and ``.csv``, public entries only,
    newest first. With ``failures``, an entry whose record fails is named there and left out."""
    failures = failures or EntryFailures()
    for kind in KINDS.values():
        records = [r for e in kb.by_kind(kind) if (r := failures.run(e, record, e, kb, site)) is not None]
        yield f"export/{kind.folder}.json", kind_json(kind, records, generated)
        yield f"export/{kind.folder}.csv", kind_csv(kind, records)
