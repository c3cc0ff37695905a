"""The site as Markdown pages: home, listings, facet pages and entry pages.

Everything here is plain strings keyed by source path, so any static-site
engine that reads Markdown can publish it; ``hooks/`` hands them to MkDocs.
Links between pages are relative ``.md`` paths, which the engine resolves and
checks. Contributor text is escaped: it can never become markup here.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import posixpath
from dataclasses import dataclass

from urllib.parse import quote

from .history import FileHistory, History
from .indexing import FACETS, Facet, KnowledgeBase, entry_year, sort_newest
from .siteinfo import TAIPEI, SiteInfo
from .models import KINDS, Kind
from .models import vocab as V
from .validation import Entry

HOME_NEWEST = 5
RELATED = 5


@dataclass
class Page:
    src: str  # source path, e.g. "tags/ifla/index.md"
    title: str
    markdown: str
    in_nav: bool = False


def esc(text) -> str:
    """Contributor text -> HTML that shows exactly that text.

    Generated lists and tables are raw HTML blocks: Python-Markdown stashes them
    instead of running its inline patterns over every link and word, which made
    listing pages the most expensive part of a 10,000-entry build."""
    return html.escape(str(text)).replace("\n", " ")


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
    return f'<a href="{html.escape(url)}">{esc(text)}</a>'


def link(from_src: str, to_src: str, text: str) -> str:
    return anchor(href(from_src, to_src), text)


def _front(title: str, description: str = "", hide: tuple[str, ...] = (), extra: dict | None = None) -> str:
    meta: dict = {"title": title, **(extra or {})}
    if description:
        meta["description"] = description
    if hide:
        meta["hide"] = list(hide)
    # JSON is YAML, and json.dumps is much faster than yaml.safe_dump over 13,000 pages.
    return "---\n" + json.dumps(meta, ensure_ascii=False, default=str) + "\n---\n\n"


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

    def __init__(self, kb: KnowledgeBase, site: SiteInfo | None = None, history: History | None = None):
        self.kb = kb
        self.site = site or SiteInfo()
        self.history = history
        self.regs = kb.registries
        self._histories: dict[str, FileHistory | None] = {}

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
        out = [_front(e.title, e.data["summary"], extra=self._social(e))]
        out.append(f'<p class="kb-summary">{esc(e.data["summary"])}</p>\n')
        kind_link = link(src, paged_src(listing_dir(e.kind), 1), e.kind.zh)
        rows = [("種類", kind_link), *self.facts(e, src), *self._history_rows(e)]
        out.append('<div class="kb-meta"><table>\n<thead><tr><th>項目</th><th>內容</th></tr></thead><tbody>\n'
                   + "\n".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in rows)
                   + "\n</tbody></table></div>\n")
        footer = " · ".join(x for x in (self._source_links(e), self._share_links(e)) if x)
        out.append(e.body.strip() + "\n")
        if e.attachments:
            out.append("\n## 附件 {#kb-attachments}\n")
            items = []
            for a in e.attachments:
                ext = posixpath.splitext(a["file"])[1].lstrip(".").upper() or "FILE"
                items.append(f"<li>{anchor(a['file'], a['title'])}（{V.ATTACHMENT_TYPE.label(a.get('type', 'other'))}，"
                             f"{ext}，{human_size(a['size'])}）</li>")
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>\n")
        related = self.kb.related(e, RELATED)
        if related:
            out.append("\n## 相關條目 {#kb-related}\n")
            out.append("<ul>\n" + "\n".join(
                f"<li>{link(src, r.rel, r.title)}（{r.kind.zh}，{r.date.isoformat()}）</li>" for r in related)
                + "\n</ul>\n")
        if footer:
            out.append(f'\n<p class="kb-source">{footer}</p>\n')
        return Page(src=src, title=e.title, markdown="\n".join(out) + "\n")

    # -- listings ----------------------------------------------------------------------
    def _item(self, e: Entry, from_src: str) -> str:
        facts = " · ".join(v for _, v in self.facts(e, from_src, brief=True))
        return (f'<li><strong>{link(from_src, e.rel, e.title)}</strong><br>\n'
                f'<span class="kb-facts">{e.date.isoformat()} · {e.kind.zh} · </span>{facts}<br>\n'
                f"{esc(e.data['summary'])}</li>")

    def _items(self, entries: list[Entry], from_src: str) -> str:
        if not entries:
            return "<p>目前還沒有條目。</p>"
        return '<ul class="kb-list">\n' + "\n".join(self._item(e, from_src) for e in entries) + "\n</ul>"

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

    def paged_listing(self, base_dir: str, title: str, intro: str, entries: list[Entry],
                      in_nav: bool = False) -> list[Page]:
        size = self.kb.settings.page_size
        pages = max(1, math.ceil(len(entries) / size))
        out = []
        for n in range(1, pages + 1):
            src = paged_src(base_dir, n)
            chunk = entries[(n - 1) * size: n * size]
            page_title = title if n == 1 else f"{title}（第 {n} 頁）"
            body = [_front(page_title, hide=("toc",)), intro, f"\n<p>共 {len(entries)} 筆。</p>\n",
                    self._items(chunk, src), self._pager(base_dir, n, pages, src)]
            out.append(Page(src=src, title=page_title, markdown="\n".join(body) + "\n", in_nav=in_nav and n == 1))
        return out

    def kind_listings(self, kinds: set[str] | None = None) -> list[Page]:
        out = []
        for kind in KINDS.values():
            if kinds is not None and kind.id not in kinds:
                continue
            intro = f"<p>{esc(kind.description_zh)}</p>\n\n<p class=\"kb-en\">{esc(kind.description_en)}</p>\n"
            out += self.paged_listing(listing_dir(kind), kind.zh, intro, self.kb.by_kind(kind), in_nav=True)
        return out

    def facet_pages(self, values_only: set[tuple[str, object]] | None = None) -> list[Page]:
        """Facet indexes and value pages; ``values_only`` limits value pages to those (facet, value)."""
        out = []
        for facet in FACETS:
            groups = self.kb.facet_index(facet)
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
                if facet.id == "organizations":
                    org = self.regs["organizations"].items.get(v, {})
                    if org.get("website"):
                        intro += f"\n<p>{esc(org['name_en'])}，{anchor(org['website'], '官方網站')}</p>\n"
                    if org.get("description_zh"):
                        intro += f"\n<p>{esc(org['description_zh'])}</p>\n"
                out += self.paged_listing(facet_value_dir(facet, v), f"{facet.zh}：{label}", intro, groups[v])
        return out

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
        for kind in KINDS.values():
            newest = self.kb.by_kind(kind)[:HOME_NEWEST]
            lines.append(f"## 最新{kind.zh}\n")
            lines.append(self._items(newest, src))
            lines.append(f"\n<p>{link(src, paged_src(listing_dir(kind), 1), f'看全部{kind.zh} ›')}</p>\n")
        lines.append("## 依主題瀏覽\n")
        lines.append("<p>" + " · ".join(link(src, f"{f.id}/index.md", f.zh) for f in FACETS) + "</p>\n")
        return Page(src=src, title="首頁", markdown="\n".join(lines) + "\n", in_nav=True)

    # -- contributors -----------------------------------------------------------------
    def contributor_pages(self) -> list[Page]:
        from .recognition import activity_svg, contributors, monthly_additions

        people = contributors(self)
        index_src = "contributors/index.md"
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
        for c in people:
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
            pages.append(Page(src=src, title=c.author.name, markdown="\n".join(body) + "\n"))
        return pages

    # -- search ---------------------------------------------------------------------------
    def search_page(self) -> Page:
        years = sorted({entry_year(e) for e in self.kb.public}, reverse=True)
        tags = sorted({t for e in self.kb.public for t in e.data.get("tags", [])},
                      key=lambda t: self.regs["tags"].label(t))

        def options(pairs):
            return "".join(f'<option value="{html.escape(str(v))}">{html.escape(str(label))}</option>' for v, label in pairs)

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
        they were; related lists elsewhere catch up when the preview restarts."""
        yield self.home()
        yield from self.kind_listings(scope.kinds if scope else None)
        yield from self.facet_pages(scope.facet_values if scope else None)
        yield from self.contributor_pages()
        yield self.search_page()
        for e in self.kb.public:
            if scope is None or e.rel in scope.entries:
                yield self.entry_page(e)

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
    import hashlib

    return hashlib.sha1(author.key.encode("utf-8")).hexdigest()[:10]


def navigation() -> list[dict]:
    """The small, fixed navigation: home, one listing per kind, the facet indexes."""
    nav: list[dict] = [{"首頁": "index.md"}]
    nav += [{k.zh: paged_src(listing_dir(k), 1)} for k in KINDS.values()]
    nav.append({"瀏覽": [{f.zh: f"{f.id}/index.md"} for f in FACETS]})
    nav.append({"貢獻者": "contributors/index.md"})
    return nav
