"""The site as Markdown pages: home, listings, facet pages and entry pages.

Everything here is plain strings keyed by source path, so any static-site
engine that reads Markdown can publish it; ``hooks/`` hands them to MkDocs.
Links between pages are relative ``.md`` paths, which the engine resolves and
checks. Contributor text is escaped: it can never become markup here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import posixpath
from dataclasses import dataclass

from urllib.parse import quote

from . import escape, sanitize
from .charts import bar_chart
from .citations import Citation
from .history import FileHistory, History
from .indexing import FACETS, FACETS_BY_ID, Facet, KnowledgeBase, entry_year, sort_newest
from .statistics import SECTIONS as STATS, Table, all_tables
from .siteinfo import TAIPEI, SiteInfo
from .models import KINDS, Kind, obfuscate_email
from .problems import EntryFailures
from .models import vocab as V
from .validation import Entry

HOME_NEWEST = 5
HOME_FEATURED = 6
RELATED = 5


@dataclass
class Page:
    src: str  # source path, e.g. "tags/ifla/index.md"
    title: str
    markdown: str
    in_nav: bool = False


def esc(value) -> str:
    """Contributor text -> HTML that shows exactly that text (see :mod:`generator.escape`).

    Generated lists and tables are raw HTML blocks: Python-Markdown stashes them
    instead of running its inline patterns over every link and word, which made
    listing pages the most expensive part of a 10,000-entry build."""
    return escape.text(value)


def page_url(src: str) -> str:
    """The URL (directory style, relative to the site root) of a page's source path."""
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[:-3] + "/"


def href(from_src: str, to_src: str) -> str:
    """Relative URL from one page to another (site URLs have no '..': plain segment work,
    far cheaper than posixpath.relpath on hundreds of thousands of links)."""
    a = page_url(from_src).split("/")[:-1]
    b = page_url(to_src).split("/")[:-1]
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    rel = "../" * (len(a) - common) + "".join(seg + "/" for seg in b[common:])
    return rel or "./"


def anchor(url: str, text: str) -> str:
    return f'<a href="{escape.url(url)}">{esc(text)}</a>'


def link(from_src: str, to_src: str, text: str) -> str:
    return anchor(href(from_src, to_src), text)


def _front(title: str, description: str = "", hide: tuple[str, ...] = (), extra: dict | None = None) -> str:
    meta: dict = {"title": title, **(extra or {})}
    if description:
        meta["description"] = description
    if hide:
        meta["hide"] = list(hide)
    # The engine's templates print metadata without escaping: it is escaped here, the one
    # place every page's title, description, social and citation tags pass through.
    # JSON is YAML, and json.dumps is much faster than yaml.safe_dump over 13,000 pages.
    return "---\n" + escape.front_matter_json(escape.engine_meta(meta)) + "\n---\n\n"


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def listing_dir(kind: Kind) -> str:
    return kind.folder


def facet_value_dir(facet: Facet, value) -> str:
    return f"{facet.id}/{value}"


def paged_src(base_dir: str, page: int) -> str:
    return f"{base_dir}/index.md" if page == 1 else f"{base_dir}/page/{page}.md"


class SiteBuilder:
    """Builds every page of the site from a loaded knowledge base."""

    def __init__(self, kb: KnowledgeBase, site: SiteInfo | None = None, history: History | None = None,
                 listing_orders: dict[str, tuple[str, ...]] | None = None):
        self.kb = kb
        self.site = site or SiteInfo()
        self.history = history
        self.regs = kb.registries
        self._histories: dict[str, FileHistory | None] = {}
        # Kept by a preview between builds: each paged listing's order of entries, so that
        # after an edit that leaves the order alone only the page showing the entry is redone.
        self.listing_orders = listing_orders
        self._scope: PreviewScope | None = None
        self.failures = EntryFailures()  # an entry whose page, item or record fails is named, not fatal
        kb.today = self.site.now_date()  # expiry is judged on the build's date

    def entry_history(self, e: Entry) -> FileHistory | None:
        """The entry's Git history (its file and attachments), or None when unknown."""
        if self.history is None or not self.history.available:
            return None
        if e.rel not in self._histories:
            paths = [e.path] + [f"{e.path.rsplit('/', 1)[0]}/{n}" for n in e.bundle_files] if e.bundle_dir else [e.path]
            self._histories[e.rel] = self.history.for_paths(paths)
        return self._histories[e.rel]

    def published(self, e: Entry) -> dt.datetime:
        """When the entry was first published: its first commit, else the date it was written."""
        h = self.entry_history(e)
        if h is not None:
            return h.created.astimezone(TAIPEI)
        return dt.datetime.combine(e.date, dt.time(0, 0), TAIPEI)

    def published_fallback(self) -> dt.datetime:
        return dt.datetime.combine(self.site.now_date(), dt.time(0, 0), TAIPEI)

    def updated(self, e: Entry) -> dt.datetime:
        h = self.entry_history(e)
        return h.updated.astimezone(TAIPEI) if h is not None else self.published(e)

    def image(self, e: Entry) -> str | None:
        """Absolute URL of the entry's first image attachment, for social cards."""
        for a in e.attachments:
            if posixpath.splitext(a["file"])[1].lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
                return self.site.absolute(e.url + a["file"])
        return None

    # -- labels -----------------------------------------------------------------
    def _ref_label(self, registry: str, item_id: str) -> str:
        return self.regs[registry].label(item_id)

    def _facet_link(self, from_src: str, facet_id: str, value, text: str | None = None) -> str:
        facet = next(f for f in FACETS if f.id == facet_id)
        label = text if text is not None else self.kb.facet_label(facet, value)
        return link(from_src, paged_src(facet_value_dir(facet, value), 1), label)

    def facts(self, e: Entry, from_src: str, brief: bool = False) -> list[tuple[str, str]]:
        """(label, Markdown value) pairs describing an entry; ``brief`` for listings."""
        d = e.data
        rows: list[tuple[str, str]] = []
        add = rows.append
        fl = self._facet_link
        if e.kind.id == "conference-report":
            org = d["conference"]
            add(("會議", fl(from_src, "organizations", org, f"{org} {self._ref_label('organizations', org)}")
                 + (f"，{esc(d['edition'])}" if d.get("edition") else "")))
            add(("年度", fl(from_src, "years", d["year"])))
            add(("日期", f"{d['start_date'].isoformat()} 至 {d['end_date'].isoformat()}"))
            add(("地點", f"{esc(d['city'])}，{esc(d['country'])}（{V.REGION.label(d['region'])}）"))
            add(("參與方式", V.MODE.label(d["mode"])))
            if not brief:
                add(("報告機構", "、".join(fl(from_src, "institutions", i) for i in d["institutions"])))
                if d.get("funding"):
                    add(("經費來源", esc(d["funding"])))
                for p in d.get("presentations", []):
                    who = f"（{esc('、'.join(p['presenters']))}）" if p.get("presenters") else ""
                    add((V.PRESENTATION_TYPE.label(p["type"]), esc(p["title"]) + who))
                if d.get("original_report"):
                    r = d["original_report"]
                    parts = []
                    if r.get("reference"):
                        parts.append(f"編號 {esc(r['reference'])}")
                    if r.get("url"):
                        parts.append(anchor(r["url"], "全文"))
                    add(("原始報告", "，".join(parts)))
        elif e.kind.id == "tool":
            if not brief:
                add(("網址", anchor(d["url"], d["url"])))
                add(("用途", esc(d["purpose"])))
            add(("類別", V.TOOL_CATEGORY.label(d["category"])))
            add(("費用", V.COST.label(d["cost"])))
            add(("推薦人", esc(d["recommended_by"])))
            if not brief:
                add(("介面語言", "、".join(V.LANGUAGE.label(x) for x in d["interface_languages"])))
                add(("適用對象", "、".join(fl(from_src, "audiences", a) for a in d["audience"])))
                add(("連結檢查日期", d["checked"].isoformat()))
        elif e.kind.id == "outreach":
            add(("機構", fl(from_src, "institutions", d["institution"])))
            add(("日期", d["start_date"].isoformat() if d["start_date"] == d["end_date"]
                 else f"{d['start_date'].isoformat()} 至 {d['end_date'].isoformat()}"))
            add(("活動類型", V.PROGRAM_TYPE.label(d["program_type"])))
            add(("對象", "、".join(fl(from_src, "audiences", a) for a in d["audience"])))
            if d.get("attendance") is not None:
                add(("參與人次", f"{d['attendance']:,}"))
            if not brief:
                if d.get("partners"):
                    add(("合作夥伴", esc("、".join(d["partners"]))))
                if d.get("budget"):
                    add(("預算", self._budget(d["budget"])))
                if d.get("lead_time_weeks") is not None:
                    add(("籌備時間", f"{d['lead_time_weeks']} 週"))
                if d.get("staff") is not None:
                    add(("參與人力", f"{d['staff']} 人"))
                if d.get("marketing"):
                    add(("宣傳管道", "、".join(V.MARKETING.label(m) for m in d["marketing"])))
                rows += self._measures(d.get("outcomes", []))
                add(("聯絡窗口", self._contact(d["contact"])))
        elif e.kind.id == "lesson-plan":
            add(("對象", "、".join(fl(from_src, "audiences", a) for a in d["audience"])))
            add(("學科領域", esc(d["discipline"])))
            add(("時間", f"{d['duration_minutes']} 分鐘"))
            if not brief:
                add(("學習目標", "<br>".join(f"{i}. {esc(o)}" for i, o in enumerate(d["outcomes"], 1))))
                if d.get("frames"):
                    add(("ACRL 架構", "、".join(V.ACRL_FRAME.label(f) for f in d["frames"])))
                add(("授權", V.LICENSE.label(d.get("license", "CC-BY-4.0"))))
        elif e.kind.id == "idea":
            add(("年度", fl(from_src, "years", d["year"])))
            add(("提案機構", "、".join(fl(from_src, "institutions", i) for i in d["institutions"])))
            if d.get("award"):
                a = d["award"]
                add(("獲獎", esc(" ".join(x for x in (a.get("by"), a["name"], a.get("rank")) if x))))
            if not brief:
                add(("問題", esc(d["problem"])))
                add(("點子", esc(d["idea"])))
                if d.get("team"):
                    add(("團隊成員", esc("、".join(d["team"]))))
                rows += self._measures(d.get("results", []))
        elif e.kind.id == "answer":
            x = d["expert"]
            who = esc(x["name"]) + (f"（{esc(x['title'])}）" if x.get("title") else "")
            if x.get("institution"):
                who += "，" + fl(from_src, "institutions", x["institution"])
            add(("解答達人", who))
            if not brief:
                add(("問題", esc(d["question"])))
                if x.get("expertise"):
                    add(("專長", esc("、".join(x["expertise"]))))
        elif e.kind.id == "job":
            add(("類型", f"{V.JOB_DIRECTION.label(d['direction'])}・{V.EMPLOYMENT_TYPE.label(d['employment_type'])}"))
            add(("職稱", esc(d["position"])))
            if d.get("employer"):
                add(("徵才機構", esc(d["employer"])))
            add(("工作地點", esc(d["location"])))
            add(("截止日期", ("截止 " if brief else "") + d["closing_date"].isoformat()
                 + ("（已截止）" if self.kb.is_closed(e) else "")))
            if not brief:
                if d.get("positions"):
                    add(("名額", f"{d['positions']} 名"))
                if d.get("salary"):
                    add(("待遇", esc(d["salary"])))
                add(("資格條件", "<br>".join(f"{i}. {esc(r)}" for i, r in enumerate(d["requirements"], 1))))
                add(("應徵方式", esc(d["how_to_apply"])))
                if d.get("contact"):
                    add(("聯絡窗口", self._contact(d["contact"])))
        elif e.kind.id == "exchange":
            add(("刊登類型", V.OFFER_TYPE.label(d["offer_type"])))
            add(("物品類別", V.ITEM_CATEGORY.label(d["category"])))
            add(("數量", f"{d['quantity']:,} {esc(d.get('unit', ''))}".rstrip()))
            if d.get("condition"):
                add(("狀況", V.CONDITION.label(d["condition"])))
            if d.get("price") is not None:
                add(("價格", f"新臺幣 {d['price']:,} 元"))
            add(("所在地", esc(d["location"])))
            status = "（已媒合）" if d.get("status") == "taken" else "（已過期）" if self.kb.is_closed(e) else ""
            add(("刊登期限", ("期限 " if brief else "") + d["expires"].isoformat() + status))
            if not brief:
                add(("刊登機構", fl(from_src, "institutions", d["institution"])))
                add(("聯絡窗口", self._contact(d["contact"])))
        elif e.kind.id == "partnership":
            add(("本館", fl(from_src, "institutions", d["institution"])))
            partners = []
            for p in d["partners"]:
                name = esc(p["name"]) + (f"（{esc(p['name_zh'])}）" if p.get("name_zh") else "")
                if p.get("website") and not brief:
                    name = anchor(p["website"], p["name"]) + (f"（{esc(p['name_zh'])}）" if p.get("name_zh") else "")
                where = "，".join(esc(x) for x in (p.get("city"), p["country"]) if x)
                partners.append(f"{name}，{where}")
            add(("夥伴館", "<br>".join(partners)))
            span = f"{d['since']} 年起" + (f"至 {d['ended']} 年" if d.get("ended") else "")
            add(("合作期間", f"{span}（{V.PARTNERSHIP_STATUS.label(d.get('status', 'active'))}）"))
            if not brief:
                if d.get("agreement"):
                    add(("合作形式", V.AGREEMENT.label(d["agreement"])))
                add(("共同活動", "<br>".join(f"{a['year']}：{esc(a['activity'])}"
                                         for a in sorted(d["activities"], key=lambda a: a["year"]))))
                add(("聯絡窗口", self._contact(d["contact"])))
        if not brief:
            if (d.get("institution") and e.kind.id not in ("outreach", "exchange", "partnership")
                    and d["institution"] not in d.get("institutions", [])):
                add(("所屬機構", fl(from_src, "institutions", d["institution"])))
            add(("作者", esc("、".join(d["authors"]))))
            add(("撰寫日期", e.date.isoformat()))
            add(("標籤", "、".join(fl(from_src, "tags", t) for t in d["tags"])))
            if d.get("language", "zh-TW") != "zh-TW":
                add(("語言", V.LANGUAGE.label(d["language"])))
        return rows

    @staticmethod
    def _measures(items: list[dict]) -> list[tuple[str, str]]:
        return [(esc(o["metric"]), f"{o['value']:,}{esc(o.get('unit', ''))}") for o in items]

    @staticmethod
    def _contact(c: dict) -> str:
        parts = [esc(c["name"])] if c.get("name") else []
        if c.get("email"):
            parts.append(esc(obfuscate_email(c["email"])))
        if c.get("phone"):
            parts.append(esc(c["phone"]))
        return "，".join(parts)

    @staticmethod
    def _budget(b: dict) -> str:
        parts = []
        if "amount" in b:
            amount = b["amount"]
            cur = b.get("currency", "TWD")
            parts.append(f"{V.CURRENCY.label(cur)} {amount:,}")
        if "bracket" in b:
            parts.append(V.BUDGET_BRACKET.label(b["bracket"]))
        if b.get("source"):
            parts.append(f"來源：{esc(b['source'])}")
        return "，".join(parts)

    # -- entry pages ---------------------------------------------------------------
    def _history_rows(self, e: Entry) -> list[tuple[str, str]]:
        h = self.entry_history(e)
        if h is None:
            return []
        rows = [("首次發布", h.created.astimezone(TAIPEI).date().isoformat()),
                ("最後更新", h.updated.astimezone(TAIPEI).date().isoformat())]
        if h.authors:
            rows.append(("貢獻者", "、".join(
                link(e.rel, f"contributors/{contributor_id(a)}.md", a.name) for a in h.authors)))
        return rows

    def _source_links(self, e: Entry) -> str:
        parts = []
        if self.site.repo_url:
            parts.append(anchor(self.site.edit_url(e.rel), "編輯此條目"))
            parts.append(anchor(self.site.history_url(e.rel), "修改紀錄"))
        return " · ".join(parts)

    def _share_links(self, e: Entry) -> str:
        if not self.site.site_url:
            return ""
        url = quote(self.site.absolute(e.url), safe="")
        title = quote(e.title, safe="")
        links = [
            ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
            ("X", f"https://x.com/intent/post?url={url}&text={title}"),
            ("LINE", f"https://social-plugins.line.me/lineit/share?url={url}"),
            ("電子郵件", f"mailto:?subject={title}&body={url}"),
        ]
        return "分享：" + " · ".join(anchor(url, name) for name, url in links)

    def _social(self, e: Entry) -> dict:
        social = {"title": e.title, "description": e.data["summary"], "type": "article",
                  "url": self.site.absolute(e.url) if self.site.site_url else "",
                  "published": self.published(e).isoformat()}
        image = self.image(e)
        if image:
            social["image"] = image
        return {"kb_social": social}

    def entry_page(self, e: Entry) -> Page:
        src = e.rel
        extra = self._social(e)
        citation = Citation(e, self.site, self.regs) if e.kind.citable else None
        if citation is not None:
            pdf = next((a["file"] for a in e.attachments if a["file"].lower().endswith(".pdf")), "")
            extra["kb_citation"] = citation.meta_tags(self.site.absolute(e.url + pdf) if pdf and self.site.site_url else "")
        out = [_front(e.title, e.data["summary"], extra=extra)]
        if self.kb.is_closed(e):
            out.append(self._closed_notice(e))
        out.append(f'<p class="kb-summary">{esc(e.data["summary"])}</p>\n')
        kind_link = link(src, paged_src(listing_dir(e.kind), 1), e.kind.zh)
        rows = [("種類", kind_link), *self.facts(e, src), *self._history_rows(e)]
        out.append('<div class="kb-meta"><table>\n<thead><tr><th>項目</th><th>內容</th></tr></thead><tbody>\n'
                   + "\n".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in rows)
                   + "\n</tbody></table></div>\n")
        footer = " · ".join(x for x in (self._source_links(e), self._share_links(e)) if x)
        out.append(sanitize.BODY_START + "\n\n" + e.body.strip() + "\n\n" + sanitize.BODY_END + "\n")
        if e.attachments:
            out.append("\n## 附件 {#kb-attachments}\n")
            items = []
            for a in e.attachments:
                ext = posixpath.splitext(a["file"])[1].lstrip(".").upper() or "FILE"
                items.append(f"<li>{anchor(a['file'], a['title'])}（{V.ATTACHMENT_TYPE.label(a.get('type', 'other'))}，"
                             f"{ext}，{human_size(a['size'])}）</li>")
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>\n")
        named = self.kb.named_related(e)
        related = named + [r for r in self.kb.related(e, RELATED + len(named)) if r not in named][:RELATED]
        if related:
            out.append("\n## 相關條目 {#kb-related}\n")
            out.append("<ul>\n" + "\n".join(
                f"<li>{link(src, r.rel, r.title)}（{r.kind.zh}，{r.date.isoformat()}）</li>" for r in related)
                + "\n</ul>\n")
        cited_by = self.kb.referenced_by(e)
        if cited_by:
            out.append("\n## 引用本條目的解答與條目 {#kb-cited-by}\n")
            out.append("<ul>\n" + "\n".join(
                f"<li>{link(src, r.rel, r.title)}（{r.kind.zh}，{r.date.isoformat()}）</li>" for r in cited_by)
                + "\n</ul>\n")
        if citation is not None:
            out.append("\n## 建議引用格式 {#kb-cite}\n")
            out.append(f'<p class="kb-citation">{esc(citation.apa())}</p>\n')
            out.append(f'<p>下載書目資料：{anchor("citation.bib", "BibTeX")} · {anchor("citation.json", "CSL-JSON")}'
                       '（可匯入 Zotero、EndNote 等書目管理工具；Zotero 瀏覽器外掛也能直接從本頁擷取）</p>\n')
        if footer:
            out.append(f'\n<p class="kb-source">{footer}</p>\n')
        return Page(src=src, title=e.title, markdown="\n".join(out) + "\n")

    def _closed_notice(self, e: Entry) -> str:
        d = e.data
        if e.kind.id == "job":
            text = (f"此職缺已於 {d['closing_date'].isoformat()} 截止，僅供參考。"
                    f"<span class=\"kb-en\">Closed on {d['closing_date'].isoformat()}: kept for reference.</span>")
        elif d.get("status") == "taken":
            text = "此刊登已媒合完成，僅供參考。<span class=\"kb-en\">Taken: kept for reference.</span>"
        else:
            text = (f"此刊登已於 {d['expires'].isoformat()} 過期，僅供參考。"
                    f"<span class=\"kb-en\">Expired on {d['expires'].isoformat()}: kept for reference.</span>")
        archive = link(e.rel, paged_src(f"{e.kind.folder}/archive", 1), e.kind.archive_zh)
        return f'<p class="kb-closed" role="note"><strong>已截止 Closed</strong>　{text}（{archive}）</p>\n'

    def _citation_texts(self, e: Entry) -> tuple[str, str]:
        c = Citation(e, self.site, self.regs)
        return c.bibtex(), c.csl_json()

    def citation_files(self):
        """(site path, text) of the BibTeX and CSL-JSON files of every citable public entry."""
        for e in self.kb.public:
            if e.kind.citable:
                files = self.failures.run(e, self._citation_texts, e)
                if files is not None:
                    yield f"{e.url}citation.bib", files[0]
                    yield f"{e.url}citation.json", files[1]

    def data_files(self):
        """(site path, text) of every file that is not a page: the search index, citation
        files and the data exports, one at a time (a caller writing them holds none)."""
        from .export import iter_export
        from .search import iter_index
        from .siteinfo import generated_at

        for path, text in iter_index(self):
            yield f"search/{path}", text
        yield from self.citation_files()
        yield from iter_export(self.kb, self.site, generated_at(), self.failures)

    # -- listings ----------------------------------------------------------------------
    def _item(self, e: Entry, from_src: str) -> str:
        facts = " · ".join(v for _, v in self.facts(e, from_src, brief=True))
        closed = '<span class="kb-closed-tag">已截止</span> ' if self.kb.is_closed(e) else ""
        return (f'<li>{closed}<strong>{link(from_src, e.rel, e.title)}</strong><br>\n'
                f'<span class="kb-facts">{e.date.isoformat()} · {e.kind.zh} · </span>{facts}<br>\n'
                f"{esc(e.data['summary'])}</li>")

    def _safe_item(self, e: Entry, from_src: str) -> str:
        return self.failures.run(e, self._item, e, from_src, default="")

    def _items(self, entries: list[Entry], from_src: str, group=None) -> str:
        """A list of entries; with ``group`` (entry -> heading), a heading before each run of entries."""
        if not entries:
            return "<p>目前還沒有條目。</p>"
        if group is None:
            return '<ul class="kb-list">\n' + "\n".join(self._safe_item(e, from_src) for e in entries) + "\n</ul>"
        out, current, run = [], None, []
        for e in entries + [None]:
            g = group(e) if e is not None else None
            if (e is None or g != current) and run:
                out.append(f"<h2>{esc(current)}</h2>\n" + '<ul class="kb-list">\n'
                           + "\n".join(self._safe_item(x, from_src) for x in run) + "\n</ul>")
                run = []
            current = g
            if e is not None:
                run.append(e)
        return "\n".join(out)

    def _pager(self, base_dir: str, page: int, pages: int, from_src: str) -> str:
        if pages <= 1:
            return ""
        parts = []
        if page > 1:
            parts.append(link(from_src, paged_src(base_dir, 1), "« 第一頁"))
            parts.append(link(from_src, paged_src(base_dir, page - 1), "‹ 上一頁"))
        parts.append(f"第 {page} / {pages} 頁")
        if page < pages:
            parts.append(link(from_src, paged_src(base_dir, page + 1), "下一頁 ›"))
            parts.append(link(from_src, paged_src(base_dir, pages), "最後一頁 »"))
        return '\n<nav class="kb-pager" aria-label="分頁">' + " · ".join(parts) + "</nav>\n"

    def paged_listing(self, base_dir: str, title: str, intro, entries: list[Entry],
                      in_nav: bool = False, lead=None, group=None) -> list[Page]:
        """Listing pages of ``size`` entries each. ``intro`` and ``lead`` (shown on page 1 only)
        may be text or a function of the page's source path (for relative links)."""
        size = self.kb.settings.page_size
        pages = max(1, math.ceil(len(entries) / size))
        wanted = None
        if self.listing_orders is not None:
            order = tuple(e.rel for e in entries)
            if self._scope is not None and self.listing_orders.get(base_dir) == order:
                # Same entries in the same order: only page 1 (its counts and featured block)
                # and the pages showing an edited entry can differ from the last build.
                wanted = {1} | {i // size + 1 for i, rel in enumerate(order) if rel in self._scope.entries}
            self.listing_orders[base_dir] = order
        out = []
        for n in range(1, pages + 1):
            if wanted is not None and n not in wanted:
                continue
            src = paged_src(base_dir, n)
            chunk = entries[(n - 1) * size: n * size]
            page_title = title if n == 1 else f"{title}（第 {n} 頁）"
            head = intro(src) if callable(intro) else intro
            first = (lead(src) if callable(lead) else lead) if lead and n == 1 else ""
            body = [_front(page_title, hide=("toc",)), head, first, f"\n<p>共 {len(entries)} 筆。</p>\n",
                    self._items(chunk, src, group), self._pager(base_dir, n, pages, src)]
            out.append(Page(src=src, title=page_title, markdown="\n".join(body) + "\n", in_nav=in_nav and n == 1))
        return out

    def _featured_block(self, entries: list[Entry], src: str, title: str = "精選") -> str:
        if not entries:
            return ""
        return (f'<section class="kb-featured" aria-label="精選條目"><h2>{title}</h2>\n'
                + self._items(entries, src) + "\n</section>\n")

    def _exchange_board(self, src: str) -> str:
        """Counts per category and kind of offer, as on the consortium's board, linking to the filters."""
        cats = self.kb.facet_index(FACETS_BY_ID["item-categories"])
        offers = self.kb.facet_index(FACETS_BY_ID["offer-types"])
        if not cats:
            return ""
        rows = "\n".join(f"<li>{self._facet_link(src, 'item-categories', c)}（{len(cats[c])}）</li>"
                         for c in V.ITEM_CATEGORY.ids() if c in cats)
        kinds = "\n".join(f"<li>{self._facet_link(src, 'offer-types', o)}（{len(offers[o])}）</li>"
                          for o in V.OFFER_TYPE.ids() if o in offers)
        return ('<div class="kb-board"><div><h2>依物品類別</h2>\n<ul>\n' + rows + "\n</ul></div>\n"
                '<div><h2>依刊登類型</h2>\n<ul>\n' + kinds + "\n</ul></div></div>\n")

    def _guides(self, kind: Kind, src: str) -> str:
        tag = kind.guide_tag
        guides = [e for e in self.kb.by_kind(KINDS["guide"]) if tag in e.data["tags"]] if tag else []
        if not guides:
            return ""
        return "<p>入門指南：" + "、".join(link(src, g.rel, g.title) for g in guides) + "</p>\n"

    def kind_listings(self, kinds: set[str] | None = None) -> list[Page]:
        out = []
        for kind in KINDS.values():
            if kinds is not None and kind.id not in kinds:
                continue
            base = listing_dir(kind)
            archive_src = paged_src(f"{base}/archive", 1)
            archived = self.kb.archived(kind) if kind.expires else []
            entries = self.kb.current(kind) if kind.expires else self.kb.by_kind(kind)

            def intro(src, kind=kind, archived=archived, archive_src=archive_src):
                text = f"<p>{esc(kind.description_zh)}</p>\n\n<p class=\"kb-en\">{esc(kind.description_en)}</p>\n"
                if kind.expires:
                    text += (f"<p>目前開放中的刊登；已截止的見{link(src, archive_src, kind.archive_zh)}"
                             f"（{len(archived)} 筆）。</p>\n")
                return text + self._guides(kind, src)

            def lead(src, kind=kind):
                board = self._exchange_board(src) if kind.id == "exchange" else ""
                return board + self._featured_block(self.kb.featured(kind), src)
            out += self.paged_listing(base, kind.zh, intro, entries, in_nav=True, lead=lead)
            if kind.expires:
                archive_intro = (f"<p>已過截止日期{'或已媒合' if kind.id == 'exchange' else ''}的{kind.zh}刊登，"
                                 "留存供參考，最近截止的在前。</p>\n"
                                 f"<p class=\"kb-en\">Closed {kind.en.lower()} postings, kept for reference.</p>\n")
                out += self.paged_listing(f"{base}/archive", f"{kind.zh}：{kind.archive_zh}", archive_intro, archived)
        return out

    def facet_pages(self, values_only: set[tuple[str, object]] | None = None) -> list[Page]:
        """Facet indexes and value pages; ``values_only`` limits value pages to those (facet, value)."""
        out = []
        for facet in FACETS:
            groups = self.kb.facet_index(facet)
            if facet.id == "organizations":
                out += self.organization_pages(groups, values_only)
                continue
            values = sorted(groups, key=lambda v: (-v, ) if facet.id == "years" else (-len(groups[v]), str(v)))
            index_src = f"{facet.id}/index.md"
            lines = [_front(facet.zh, hide=("toc",)), f"<span class=\"kb-en\">{facet.en}</span>\n"]
            if values:
                lines.append('<ul class="kb-facet-index">\n' + "\n".join(
                    f"<li>{link(index_src, paged_src(facet_value_dir(facet, v), 1), self.kb.facet_label(facet, v))}"
                    f"（{len(groups[v])}）</li>" for v in values) + "\n</ul>\n")
            else:
                lines.append("<p>目前還沒有條目。</p>")
            out.append(Page(src=index_src, title=facet.zh, markdown="\n".join(lines) + "\n", in_nav=True))
            for v in values:
                if values_only is not None and (facet.id, v) not in values_only:
                    continue
                label = self.kb.facet_label(facet, v)
                intro = f"<p>{facet.zh}：<strong>{esc(label)}</strong></p>\n"
                out += self.paged_listing(facet_value_dir(facet, v), f"{facet.zh}：{label}", intro, groups[v])
        return out

    # -- directories ------------------------------------------------------------------
    def organization_pages(self, groups: dict, values_only=None) -> list[Page]:
        """The organizations and conferences registry as a directory: every organization has a
        page with its names, website and description, and the reports about its meetings by year."""
        reg = self.regs["organizations"]
        index_src = "organizations/index.md"
        lines = [_front("國際組織與會議名錄", "圖書館界國際專業組織與學術會議，以及同道出席的報告。", hide=("toc",)),
                 "<p>圖書館界的國際專業組織與學術會議。點選組織可看到它的簡介，以及同道出席其會議所寫的報告（依年度排列）。</p>\n",
                 '<p class="kb-en">International library organizations and conference series, with the reports '
                 "colleagues wrote about their meetings.</p>\n"]
        for type_id in V.ORG_TYPE.ids():
            ids = sorted((i for i, a in reg.items.items() if a.get("type", "organization") == type_id),
                         key=lambda i: (-len(groups.get(i, [])), i))
            if not ids:
                continue
            lines.append(f"<h2>{esc(V.ORG_TYPE.label(type_id))}</h2>\n")
            lines.append('<table>\n<thead><tr><th>代碼</th><th>名稱</th><th>English name</th>'
                         "<th>報告數</th></tr></thead><tbody>\n" + "\n".join(
                             f"<tr><td>{link(index_src, paged_src(f'organizations/{i}', 1), i)}</td>"
                             f"<td>{esc(reg.items[i].get('name_zh', ''))}</td><td>{esc(reg.items[i].get('name_en', ''))}</td>"
                             f"<td>{len(groups.get(i, []))}</td></tr>" for i in ids) + "\n</tbody></table>\n")
        out = [Page(src=index_src, title="國際組織與會議名錄", markdown="\n".join(lines) + "\n", in_nav=True)]
        for i, org in reg.items.items():
            if values_only is not None and ("organizations", i) not in values_only:
                continue
            rows = [("代碼", esc(i)), ("中文名稱", esc(org.get("name_zh", ""))), ("English name", esc(org.get("name_en", ""))),
                    ("類型", esc(V.ORG_TYPE.label(org.get("type", "organization"))))]
            if org.get("website"):
                rows.append(("網站", anchor(org["website"], org["website"])))
            if org.get("description_zh"):
                rows.append(("簡介", esc(org["description_zh"])))
            if org.get("description_en"):
                rows.append(("About", esc(org["description_en"])))
            intro = ('<div class="kb-meta"><table>\n<thead><tr><th>項目</th><th>內容</th></tr></thead><tbody>\n'
                     + "\n".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows) + "\n</tbody></table></div>\n"
                     "<p>同道出席此組織會議所寫的研討會報告，依年度排列：</p>\n")
            entries = sorted(groups.get(i, []), key=lambda e: (entry_year(e), e.date, e.title), reverse=True)
            label = f"{i} {org.get('name_zh', '')}".strip()
            out += self.paged_listing(f"organizations/{i}", label, intro, entries,
                                      group=lambda e: f"{entry_year(e)} 年")
        return out

    # -- statistics ----------------------------------------------------------------------
    def statistics(self) -> dict[str, list[Table]]:
        return all_tables(self)

    @staticmethod
    def _table_html(t: Table) -> str:
        def cell(v):
            return f"{v:,}" if isinstance(v, (int, float)) and not isinstance(v, bool) else esc(v)
        head = "".join(f'<th scope="col">{esc(h)}</th>' for h in t.headers)
        body = "\n".join("<tr>" + f'<th scope="row">{esc(r[0])}</th>' + "".join(f"<td>{cell(v)}</td>" for v in r[1:])
                         + "</tr>" for r in t.rows)
        # No class on the table itself: Material styles only tables without one.
        return (f'<div class="kb-stats" id="kb-table-{t.id}"><table>\n<caption>{esc(t.title)}</caption>\n'
                f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>\n")

    def stats_pages(self) -> list[Page]:
        tables = self.statistics()
        index_src = "stats/index.md"
        lines = [_front("統計", "由條目的欄位自動計算的統計，每次建置都重新產生。", hide=("toc",)),
                 "<p>以下統計都由條目的欄位自動計算，每次網站建置時重新產生；只計入公開條目。</p>\n",
                 '<p class="kb-en">Counted from the entries\' metadata on every build; public entries only.</p>\n<ul>\n']
        lines += [f"<li>{link(index_src, f'stats/{sid}.md', title)}：{esc(desc)}</li>" for sid, title, desc, _ in STATS]
        lines.append("</ul>\n")
        pages = [Page(src=index_src, title="統計", markdown="\n".join(lines) + "\n", in_nav=True)]
        for sid, title, desc, _ in STATS:
            src = f"stats/{sid}.md"
            body = [_front(title, desc), f"<p>{esc(desc)}每張圖的數字都列在下方表格中。</p>\n"]
            for t in tables[sid]:
                body.append(f'<h2 id="{t.id}">{esc(t.title)}</h2>\n')
                chart_rows = t.chart_rows()
                total = sum(v for _, v in chart_rows)
                what = t.headers[t.chart_column]
                desc_text = (f"長條圖：{t.title}，{what}，共 {len(chart_rows)} 項、合計 {total:,}"
                             f"{t.unit}；數字見下方表格。")
                if len(chart_rows) > 1 or t.id != "totals":
                    body.append(f'<figure class="kb-chart-wrap">{bar_chart(f"kb-chart-{sid}-{t.id}", t.title, desc_text, chart_rows[:30], t.unit)}</figure>\n')
                body.append(self._table_html(t))
                body += [f"<p class=\"kb-note\">{esc(n)}</p>\n" for n in t.notes]
            pages.append(Page(src=src, title=title, markdown="\n".join(body) + "\n"))
        return pages

    # -- export --------------------------------------------------------------------------
    def export_page(self) -> Page:
        from .export import columns

        src = "export/index.md"
        counts = self.kb.counts()
        lines = [_front("資料匯出", "整個知識庫的公開內容，每種一個 JSON 與 CSV 檔。"),
                 "<p>每次建置都會把知識庫的所有公開條目寫成資料檔，每個種類一個 JSON 與一個 CSV："
                 "任何人都能下載、轉存或匯入其他系統，內容不會被任何主機綁住。"
                 "CSV 以 UTF-8（含 BOM）編碼，Excel 可直接開啟；清單欄位以「; 」分隔，"
                 "多層欄位（如聯絡方式）以 JSON 文字表示。電子郵件照網頁上的寫法隱寫，不含同意欄位。</p>\n",
                 '<p class="kb-en">Every build writes all public entries as one JSON and one CSV file per kind. '
                 "CSV is UTF-8 with a byte-order mark (opens in Excel); list values are joined by '; ', nested "
                 "values are JSON text. The full history is the Git repository itself.</p>\n",
                 '<table>\n<thead><tr><th>種類</th><th>筆數</th><th>JSON</th><th>CSV</th></tr></thead><tbody>\n'
                 + "\n".join(f"<tr><td>{esc(k.zh)}</td><td>{counts[k.id]}</td>"
                             f"<td>{anchor(f'{k.folder}.json', f'{k.folder}.json')}</td>"
                             f"<td>{anchor(f'{k.folder}.csv', f'{k.folder}.csv')}</td></tr>" for k in KINDS.values())
                 + "\n</tbody></table>\n",
                 "<h2>欄位說明</h2>\n"]
        for k in KINDS.values():
            lines.append(f"<h3>{esc(k.zh)} <span class=\"kb-en\">{esc(k.en)}</span></h3>\n")
            lines.append('<table>\n<thead><tr><th>欄位</th><th>說明</th><th>值</th><th>必有</th>'
                         "</tr></thead><tbody>\n" + "\n".join(
                             f"<tr><td><code>{esc(n)}</code></td><td>{esc(zh)}<br><span class=\"kb-en\">{esc(en)}</span></td>"
                             f"<td>{esc(zh_t)}</td><td>{'是' if req else '否'}</td></tr>"
                             for n, zh, en, zh_t, _, req in columns(k)) + "\n</tbody></table>\n")
        return Page(src=src, title="資料匯出", markdown="\n".join(lines) + "\n", in_nav=True)

    # -- home ---------------------------------------------------------------------------
    def home(self) -> Page:
        src = "index.md"
        counts = self.kb.counts()
        lines = [
            _front("圖書館員知識庫", "臺灣圖書館員共同整理的研討會報告、工具、推廣活動與教案。", hide=("toc",)),
            "# 圖書館員知識庫\n",
            "這是臺灣圖書館同道共同維護的知識庫：出國與國內研討會的報告、值得推薦的工具與網站、"
            "推廣活動的實作紀錄，以及資訊素養教案與教材，都能在這裡搜尋與重複使用。"
            "所有內容都是儲存在 Git 中的純文字檔，不會因為網站主機停止服務而消失。\n",
            "<span class=\"kb-en\">A knowledge base kept by Taiwan's librarians: conference reports, tools, "
            "outreach write-ups and lesson plans, searchable and stored as plain files in Git.</span>\n",
            "<table>\n<thead><tr><th>種類</th><th>條目數</th></tr></thead><tbody>\n"
            + "\n".join(f"<tr><td>{link(src, paged_src(listing_dir(k), 1), k.zh)}</td><td>{counts[k.id]}</td></tr>"
                        for k in KINDS.values())
            + "\n</tbody></table>\n",
        ]
        featured = self.kb.featured()[:HOME_FEATURED]
        if featured:
            lines.append(self._featured_block(featured, src, "精選條目"))
        for kind in KINDS.values():
            newest = (self.kb.current(kind) if kind.expires else self.kb.by_kind(kind))[:HOME_NEWEST]
            lines.append(f"## 最新{kind.zh}\n")
            lines.append(self._items(newest, src))
            lines.append(f"\n<p>{link(src, paged_src(listing_dir(kind), 1), f'看全部{kind.zh} ›')}</p>\n")
        lines.append("## 依主題瀏覽\n")
        lines.append("<p>" + " · ".join(link(src, f"{f.id}/index.md", f.zh) for f in FACETS) + "</p>\n")
        lines.append("## 統計與資料\n")
        lines.append(f"<p>{link(src, 'stats/index.md', '統計')} · {link(src, 'export/index.md', '資料匯出（JSON、CSV）')}</p>\n")
        return Page(src=src, title="首頁", markdown="\n".join(lines) + "\n", in_nav=True)

    # -- contributors -----------------------------------------------------------------
    def contributor_pages(self) -> list[Page]:
        from .recognition import activity_svg, contributors, monthly_additions

        people = contributors(self)
        index_src = "contributors/index.md"
        if self._scope is not None:
            # A preview's history is the one read at start: only the titles of edited entries
            # on their contributors' pages can have changed.
            return [self._contributor_page(c) for c in people
                    if any(e.rel in self._scope.entries for e in c.written + c.updated)]
        year = self.site.now_date().year
        lines = [_front("貢獻者", "感謝每一位分享知識的圖書館員。", hide=("toc",)),
                 "每一篇條目都來自同道的分享。這一頁依 Git 紀錄列出每位貢獻者撰寫與更新的條目。\n",
                 '<span class="kb-en">Everyone who wrote or updated an entry, from the Git history.</span>\n']
        if self.history is None or not self.history.available:
            lines.append("\n目前沒有 Git 歷史可用，無法列出貢獻者。\n")
            return [Page(src=index_src, title="貢獻者", markdown="\n".join(lines) + "\n", in_nav=True)]
        labels, counts = monthly_additions(self)
        lines.append("## 每月新增條目\n")
        lines.append(f'<div class="kb-chart-wrap">{activity_svg(labels, counts)}</div>\n')
        lines.append('<details class="kb-chart-data" markdown>\n<summary>圖表數據</summary>\n')
        lines.append("| 月份 | " + " | ".join(k.zh for k in KINDS.values()) + " | 合計 |")
        lines.append("|---|" + "---|" * (len(KINDS) + 1))
        for i, label in enumerate(labels):
            row = [counts[k][i] for k in KINDS]
            if sum(row):
                lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + f" | {sum(row)} |")
        lines.append("\n</details>\n")
        this_year = sorted((c for c in people if c.by_year.get(year)), key=lambda c: (-c.by_year[year], c.author.name))
        lines.append(f"## {year} 年貢獻排行\n")
        if this_year:
            lines.append("| 名次 | 貢獻者 | 今年參與的條目 |\n|---|---|---|")
            for rank, c in enumerate(this_year[:20], 1):
                lines.append(f"| {rank} | {link(index_src, f'contributors/{contributor_id(c.author)}.md', c.author.name)} "
                             f"| {c.by_year[year]} |")
        else:
            lines.append("今年還沒有新的貢獻，歡迎成為第一位！")
        lines.append("\n## 歷年貢獻排行\n")
        lines.append("| 名次 | 貢獻者 | 撰寫 | 更新 | 首次貢獻 |\n|---|---|---|---|---|")
        for rank, c in enumerate(people[:100], 1):
            lines.append(f"| {rank} | {link(index_src, f'contributors/{contributor_id(c.author)}.md', c.author.name)} "
                         f"| {len(c.written)} | {len(c.updated)} | {c.first.date().isoformat()} |")
        pages = [Page(src=index_src, title="貢獻者", markdown="\n".join(lines) + "\n", in_nav=True)]
        pages += [self._contributor_page(c) for c in people]
        return pages

    def _contributor_page(self, c) -> Page:
        src = f"contributors/{contributor_id(c.author)}.md"
        body = [_front(f"貢獻者：{c.author.name}", hide=("toc",)),
                f"首次貢獻：{c.first.date().isoformat()} · 撰寫 {len(c.written)} 篇 · 更新 {len(c.updated)} 篇\n"]
        for heading, entries in (("撰寫的條目", c.written), ("更新的條目", c.updated)):
            if not entries:
                continue
            body.append(f"## {heading}\n")
            for kind in KINDS.values():
                mine = sort_newest([e for e in entries if e.kind is kind])
                if mine:
                    body.append(f"### {kind.zh}（{len(mine)}）\n")
                    body += [f"- {link(src, e.rel, e.title)}（{e.date.isoformat()}）" for e in mine]
                    body.append("")
        return Page(src=src, title=c.author.name, markdown="\n".join(body) + "\n")

    # -- search ---------------------------------------------------------------------------
    def search_page(self) -> Page:
        years = sorted({entry_year(e) for e in self.kb.public}, reverse=True)
        tags = sorted({t for e in self.kb.public for t in e.data.get("tags", [])},
                      key=lambda t: self.regs["tags"].label(t))

        def options(pairs):
            return "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in pairs)

        form = (
            '<form id="kb-search-form" class="kb-search-form" role="search" action="." method="get" '
            'data-index="./" data-root="../">\n'
            '<label>搜尋詞 <input name="q" type="search" autocomplete="off" placeholder="例如：館際合作、姐妹館、Koha"></label>\n'
            f'<label>種類 <select name="kind"><option value="">全部</option>{options((k.id, k.zh) for k in KINDS.values())}</select></label>\n'
            f'<label>年度 <select name="year"><option value="">全部</option>{options((y, y) for y in years)}</select></label>\n'
            f'<label>標籤 <select name="tag"><option value="">全部</option>'
            f'{options((t, self.regs["tags"].label(t)) for t in tags)}</select></label>\n'
            '<button type="submit">搜尋</button>\n</form>\n'
            '<p id="kb-search-status" role="status" aria-live="polite">輸入詞彙開始搜尋。</p>\n'
            '<ol id="kb-search-results" class="kb-results"></ol>\n'
            '<p><button id="kb-search-more" type="button" hidden>顯示更多結果</button></p>\n'
            '<noscript><p>搜尋需要 JavaScript；也可以從各種類的列表與標籤頁瀏覽。</p></noscript>\n'
        )
        md = _front("搜尋", "搜尋知識庫的條目。", hide=("toc", "navigation"),
                    extra={"kb_search": True}) + form
        return Page(src="search/index.md", title="搜尋", markdown=md)

    def iter_pages(self, scope: "PreviewScope | None" = None):
        """Every page of the site, one at a time (a caller writing them out never holds them all).

        With a ``scope`` (a preview after an edit), only the pages that can show the edited
        entries: their own pages, home, their kinds' listings, the facet indexes and the facet
        pages of their values (old and new), and the contributors. Other pages are kept as
        they were; related lists elsewhere, statistics and the export page catch up when the
        preview restarts. Listings whose order is unchanged since the last build (with
        ``listing_orders``) yield only their first page and the pages showing the edited entries."""
        self._scope = scope
        yield self.home()
        yield from self.kind_listings(scope.kinds if scope else None)
        yield from self.facet_pages(scope.facet_values if scope else None)
        yield from self.contributor_pages()
        yield self.search_page()
        if scope is None:  # recounted over every entry: a preview keeps them until it restarts
            yield from self.stats_pages()
            yield self.export_page()
        for e in self.kb.public:
            if scope is None or e.rel in scope.entries:
                page = self.failures.run(e, self.entry_page, e)
                if page is not None:
                    yield page

    def build(self) -> list[Page]:
        return list(self.iter_pages())


@dataclass
class PreviewScope:
    entries: set[str]  # source paths of the edited entries
    kinds: set[str]
    facet_values: set[tuple[str, object]]


def facet_values_of(e: Entry) -> set[tuple[str, object]]:
    return {(f.id, v) for f in FACETS for v in f.values(e)}


def contributor_id(author) -> str:
    """A stable page name for a contributor that does not reveal their e-mail address."""
    return hashlib.sha1(author.key.encode("utf-8")).hexdigest()[:10]


def navigation() -> list[dict]:
    """The small, fixed navigation: home, one listing per kind, the facet indexes."""
    nav: list[dict] = [{"首頁": "index.md"}]
    nav.append({"知識分享": [{k.zh: paged_src(listing_dir(k), 1)} for k in KINDS.values() if k.group == "share"]})
    nav.append({"交流媒合": [{k.zh: paged_src(listing_dir(k), 1)} for k in KINDS.values() if k.group == "match"]})
    nav.append({"名錄": [{"國際組織與會議": "organizations/index.md"}]
                + [{k.zh: paged_src(listing_dir(k), 1)} for k in KINDS.values() if k.group == "directory"]})
    nav.append({"瀏覽": [{f.zh: f"{f.id}/index.md"} for f in FACETS if f.id != "organizations"]})
    nav.append({"統計": "stats/index.md"})
    nav.append({"資料匯出": "export/index.md"})
    nav.append({"貢獻者": "contributors/index.md"})
    return nav
