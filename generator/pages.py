"""The site as Markdown pages: home, listings, facet pages and entry pages.

Everything here is plain strings keyed by source path, so any static-site
engine that reads Markdown can publish it; ``hooks/`` hands them to MkDocs.
Links between pages are relative ``.md`` paths, which the engine resolves and
checks. Contributor text is escaped: it can never become markup here.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
from dataclasses import dataclass

import yaml

from .indexing import FACETS, Facet, KnowledgeBase
from .models import KINDS, Kind
from .models import vocab as V
from .validation import Entry

PAGE_SIZE = 20
HOME_NEWEST = 5
RELATED = 5


@dataclass
class Page:
    src: str  # source path, e.g. "tags/ifla/index.md"
    title: str
    markdown: str
    in_nav: bool = False


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def esc(text) -> str:
    """Contributor text -> Markdown that renders as exactly that text."""
    s = html.escape(str(text), quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("\n", " ")


def link(from_src: str, to_src: str, text: str) -> str:
    rel = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return f"[{esc(text)}]({rel})"


def _front(title: str, description: str = "", hide: tuple[str, ...] = (), searchable: bool = True) -> str:
    meta: dict = {"title": title}
    if description:
        meta["description"] = description
    if hide:
        meta["hide"] = list(hide)
    if not searchable:
        # Listings repeat entries' titles and summaries: search finds the entries themselves.
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def obfuscate_email(addr: str) -> str:
    """Shown as text for people, not as a mailto: link for harvesters."""
    user, _, domain = addr.partition("@")
    return f"{user} [at] {domain.replace('.', ' [dot] ')}"


def listing_dir(kind: Kind) -> str:
    return kind.folder


def facet_value_dir(facet: Facet, value) -> str:
    return f"{facet.id}/{value}"


def paged_src(base_dir: str, page: int) -> str:
    return f"{base_dir}/index.md" if page == 1 else f"{base_dir}/page/{page}.md"


class SiteBuilder:
    """Builds every page of the site from a loaded knowledge base."""

    def __init__(self, kb: KnowledgeBase, repo_url: str = ""):
        self.kb = kb
        self.repo_url = repo_url
        self.regs = kb.registries

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
                        parts.append(f"[全文]({r['url']})")
                    add(("原始報告", "，".join(parts)))
        elif e.kind.id == "tool":
            if not brief:
                add(("網址", f"[{esc(d['url'])}]({d['url']})"))
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
                for o in d.get("outcomes", []):
                    add((esc(o["metric"]), f"{o['value']:,}{esc(o.get('unit', ''))}"))
                c = d["contact"]
                parts = [esc(c["name"])] if c.get("name") else []
                if c.get("email"):
                    parts.append(esc(obfuscate_email(c["email"])))
                if c.get("phone"):
                    parts.append(esc(c["phone"]))
                add(("聯絡窗口", "，".join(parts)))
        elif e.kind.id == "lesson-plan":
            add(("對象", "、".join(fl(from_src, "audiences", a) for a in d["audience"])))
            add(("學科領域", esc(d["discipline"])))
            add(("時間", f"{d['duration_minutes']} 分鐘"))
            if not brief:
                add(("學習目標", "<br>".join(f"{i}. {esc(o)}" for i, o in enumerate(d["outcomes"], 1))))
                if d.get("frames"):
                    add(("ACRL 架構", "、".join(V.ACRL_FRAME.label(f) for f in d["frames"])))
                add(("授權", V.LICENSE.label(d.get("license", "CC-BY-4.0"))))
        if not brief:
            if d.get("institution") and e.kind.id != "outreach" and d["institution"] not in d.get("institutions", []):
                add(("所屬機構", fl(from_src, "institutions", d["institution"])))
            add(("作者", esc("、".join(d["authors"]))))
            add(("撰寫日期", e.date.isoformat()))
            add(("標籤", "、".join(fl(from_src, "tags", t) for t in d["tags"])))
            if d.get("language", "zh-TW") != "zh-TW":
                add(("語言", V.LANGUAGE.label(d["language"])))
        return rows

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
    def entry_page(self, e: Entry) -> Page:
        src = e.rel
        out = [_front(e.title, e.data["summary"])]
        out.append(f'<p class="kb-summary">{html.escape(e.data["summary"])}</p>\n')
        kind_link = link(src, paged_src(listing_dir(e.kind), 1), e.kind.zh)
        rows = [("種類", kind_link), *self.facts(e, src)]
        out.append('<div class="kb-meta" markdown>\n')
        out.append("| 項目 | 內容 |\n|---|---|")
        for label, value in rows:
            out.append(f"| {label} | {value} |")
        out.append("\n</div>\n")
        out.append(e.body.strip() + "\n")
        if e.attachments:
            out.append("\n## 附件 {#kb-attachments}\n")
            for a in e.attachments:
                ext = posixpath.splitext(a["file"])[1].lstrip(".").upper() or "FILE"
                out.append(f"- [{esc(a['title'])}]({a['file']})（{V.ATTACHMENT_TYPE.label(a.get('type', 'other'))}，"
                           f"{ext}，{human_size(a['size'])}）")
        related = self.kb.related(e, RELATED)
        if related:
            out.append("\n## 相關條目 {#kb-related data-search-exclude}\n")
            for r in related:
                out.append(f"- {link(src, r.rel, r.title)}（{r.kind.zh}，{r.date.isoformat()}）")
        return Page(src=src, title=e.title, markdown="\n".join(out) + "\n")

    # -- listings ----------------------------------------------------------------------
    def _item(self, e: Entry, from_src: str) -> str:
        facts = " · ".join(v for _, v in self.facts(e, from_src, brief=True))
        return (f"- **{link(from_src, e.rel, e.title)}**  \n"
                f"  <span class=\"kb-facts\">{e.date.isoformat()} · {e.kind.zh} · </span>{facts}  \n"
                f"  {esc(e.data['summary'])}")

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
        return '\n<nav class="kb-pager" aria-label="分頁" markdown>\n' + " · ".join(parts) + "\n</nav>\n"

    def paged_listing(self, base_dir: str, title: str, intro: str, entries: list[Entry],
                      in_nav: bool = False) -> list[Page]:
        pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
        out = []
        for n in range(1, pages + 1):
            src = paged_src(base_dir, n)
            chunk = entries[(n - 1) * PAGE_SIZE: n * PAGE_SIZE]
            page_title = title if n == 1 else f"{title}（第 {n} 頁）"
            body = [_front(page_title, hide=("toc",), searchable=False), intro, f"\n共 {len(entries)} 筆。\n"]
            body += [self._item(e, src) for e in chunk] or ["目前還沒有條目。"]
            body.append(self._pager(base_dir, n, pages, src))
            out.append(Page(src=src, title=page_title, markdown="\n".join(body) + "\n", in_nav=in_nav and n == 1))
        return out

    def kind_listings(self) -> list[Page]:
        out = []
        for kind in KINDS.values():
            intro = f"{esc(kind.description_zh)}\n\n<span class=\"kb-en\">{esc(kind.description_en)}</span>\n"
            out += self.paged_listing(listing_dir(kind), kind.zh, intro, self.kb.by_kind(kind), in_nav=True)
        return out

    def facet_pages(self) -> list[Page]:
        out = []
        for facet in FACETS:
            groups = self.kb.facet_index(facet)
            values = sorted(groups, key=lambda v: (-v, ) if facet.id == "years" else (-len(groups[v]), str(v)))
            index_src = f"{facet.id}/index.md"
            lines = [_front(facet.zh, hide=("toc",), searchable=False), f"<span class=\"kb-en\">{facet.en}</span>\n"]
            for v in values:
                label = self.kb.facet_label(facet, v)
                lines.append(f"- {link(index_src, paged_src(facet_value_dir(facet, v), 1), label)}（{len(groups[v])}）")
            if not values:
                lines.append("目前還沒有條目。")
            out.append(Page(src=index_src, title=facet.zh, markdown="\n".join(lines) + "\n", in_nav=True))
            for v in values:
                label = self.kb.facet_label(facet, v)
                intro = f"{facet.zh}：**{esc(label)}**\n"
                if facet.id == "organizations":
                    org = self.regs["organizations"].items.get(v, {})
                    if org.get("website"):
                        intro += f"\n{esc(org['name_en'])}，[官方網站]({org['website']})\n"
                    if org.get("description_zh"):
                        intro += f"\n{esc(org['description_zh'])}\n"
                out += self.paged_listing(facet_value_dir(facet, v), f"{facet.zh}：{label}", intro, groups[v])
        return out

    # -- home ---------------------------------------------------------------------------
    def home(self) -> Page:
        src = "index.md"
        counts = self.kb.counts()
        lines = [
            _front("圖書館員知識庫", "臺灣圖書館員共同整理的研討會報告、工具、推廣活動與教案。", hide=("toc",),
                   searchable=False),
            "# 圖書館員知識庫\n",
            "這是臺灣圖書館同道共同維護的知識庫：出國與國內研討會的報告、值得推薦的工具與網站、"
            "推廣活動的實作紀錄，以及資訊素養教案與教材，都能在這裡搜尋與重複使用。"
            "所有內容都是儲存在 Git 中的純文字檔，不會因為網站主機停止服務而消失。\n",
            "<span class=\"kb-en\">A knowledge base kept by Taiwan's librarians: conference reports, tools, "
            "outreach write-ups and lesson plans, searchable and stored as plain files in Git.</span>\n",
            "| 種類 | 條目數 |\n|---|---|",
        ]
        for kind in KINDS.values():
            lines.append(f"| {link(src, paged_src(listing_dir(kind), 1), kind.zh)} | {counts[kind.id]} |")
        lines.append("")
        for kind in KINDS.values():
            newest = self.kb.by_kind(kind)[:HOME_NEWEST]
            lines.append(f"## 最新{kind.zh}\n")
            lines += [self._item(e, src) for e in newest] or ["目前還沒有條目。"]
            lines.append(f"\n{link(src, paged_src(listing_dir(kind), 1), f'看全部{kind.zh} ›')}\n")
        lines.append("## 依主題瀏覽\n")
        lines.append(" · ".join(link(src, f"{f.id}/index.md", f.zh) for f in FACETS) + "\n")
        return Page(src=src, title="首頁", markdown="\n".join(lines) + "\n", in_nav=True)

    def build(self) -> list[Page]:
        pages = [self.home(), *self.kind_listings(), *self.facet_pages()]
        pages += [self.entry_page(e) for e in self.kb.public]
        return pages


def navigation() -> list[dict]:
    """The small, fixed navigation: home, one listing per kind, the facet indexes."""
    nav: list[dict] = [{"首頁": "index.md"}]
    nav += [{k.zh: paged_src(listing_dir(k), 1)} for k in KINDS.values()]
    nav.append({"瀏覽": [{f.zh: f"{f.id}/index.md"} for f in FACETS]})
    return nav
