"""What every kind is made of: the :class:`Kind` value, the fields all entries share, and
the fields and checks several kinds use (a contact, measured results, a date range).

A kind module (``generator/kinds/<kind>.py``) declares one ``KIND`` from these parts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from collections.abc import Callable

from ..model import vocab as V
from ..model.facets import Facet
from ..model.facts import (
    BREAK, Fact, Link, Parts, Row, field_row, in_language, joined, lines, number, numbered, obfuscate_email, shown,
)
from ..model.fields import (
    Boolean, Choice, Context, Date, Email, EntryRef, Field, FilePath, ListOf, Number, Object, Ref, Text, Url,
)
from ..model.scalarfields import PLAUSIBLE_FROM, _Numeric

__all__ = ["BREAK", "Context", "Fact", "Link", "Parts", "Row", "joined", "lines", "number", "numbered", "obfuscate_email"]


@dataclass(frozen=True)
class Section:
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def matches(self, heading: str) -> bool:
        return self.matches_casefolded(heading.casefold())

    def matches_casefolded(self, heading: str) -> bool:
        """:meth:`matches` for a heading already casefolded (each heading of an entry is
        matched against every section: folded once)."""
        for name in self._needles:  # noqa: SIM110 - a loop, not any(): three times faster, for every heading
            if name in heading:
                return True
        return False

    @cached_property
    def _needles(self) -> tuple[str, ...]:
        """The names, casefolded once (every heading of every entry is matched against them)."""
        return tuple(a.casefold() for a in (self.zh, self.en, *self.aliases))


@dataclass(frozen=True)
class CitationStyle:
    """How a citable kind is cited: its genre, and whether it is a report (CSL ``report``,
    BibTeX ``@techreport``, Highwire ``citation_technical_report_*``) or a document."""

    genre_zh: str
    genre_en: str
    report: bool = False
    number: Callable[[dict], str | None] = lambda data: None  # the report's number, if any
    event: Callable[[dict, Any], dict] | None = None  # (data, registries) -> CSL event fields


@dataclass(frozen=True)
class StatsSection:
    """A statistics page: its tables are computed from the knowledge base's public entries."""

    id: str
    title: str
    description: str
    tables: Callable[..., list]  # (kb) or (kb, lang) -> list[statistics.Table]
    title_en: str = ""
    description_en: str = ""


@dataclass
class Kind:
    id: str
    folder: str
    zh: str
    en: str
    description_zh: str
    description_en: str
    schema: Object
    order: int = 100  # position in the navigation, listings and tables
    colour: str = "#455a64"  # in charts; at least 3:1 against white (WCAG 1.4.11, graphics)
    sections: list[Section] = field(default_factory=list)
    facts: tuple[Fact, ...] = ()  # the entry's fact panel; brief facts also show in listings
    # The date field after which an entry leaves the current listing for the archive.
    expires: str | None = None
    closed_notice: Callable[[Any], tuple[str, str]] | None = None  # entry -> (zh, en) on a closed entry's page
    archive_zh: str = "過往條目"  # the archive's name, for kinds that expire
    archive_intro_zh: str = ""  # what the archive holds
    # What the body should say, for templates of kinds without required sections.
    body_hint: tuple[str, str] = ("介紹與使用心得", "description and how you use it")
    group: str = "share"  # navigation group: share (knowledge), match (jobs, exchange) or directory
    citation: CitationStyle | None = None  # shows a suggested citation and offers BibTeX / CSL-JSON
    guide_tag: str | None = None  # the kind's listing points to the guides with this tag
    holds_guides: bool = False  # its entries are the guides other kinds' listings point to
    facets: tuple[Facet, ...] = ()  # facets of this kind's own fields
    board: tuple[str, ...] = ()  # facets whose counts head the kind's listing (the exchange board)
    statistics: StatsSection | None = None
    unique: tuple[str, ...] = ()  # URL fields no two entries of the kind may share
    # Fields that together tell one entry from another (dotted for a field inside an object or
    # a list of objects, e.g. partners.name): two entries of the kind with the same values (a
    # list: at least one item in common) are likely one thing entered twice, and warned of.
    identity: tuple[str, ...] = ()
    # What the entry's page says to search engines (schema.org, as JSON-LD): (entry, kb) -> the
    # page's main thing, "@type" and the properties the entry really has (generator/kinds/
    # _schemaorg.py has the pieces); None (or a function returning None): an Article.
    # generator/site/jsonld.py adds what every page has (url, language, site, licence, dates).
    structured_data: Callable[[Any, Any], dict | None] | None = None

    @property
    def citable(self) -> bool:
        return self.citation is not None

    def field(self, path: str) -> Field:
        """A field of the schema by name, or dotted for a field inside an object or inside the
        objects of a list (expert.name, partners.name). KeyError for a name the schema lacks."""
        cache = self.__dict__.setdefault("_fields", {})
        found = cache.get(path)
        if found is None:
            fields = self.schema.fields
            for name in path.split("."):
                found = next((f for f in fields if f.name == name), None)
                if found is None:
                    raise KeyError(f"{self.id}: no field {path!r}")
                inner = getattr(found.type, "item", found.type)  # a list of objects: its objects' fields
                fields = getattr(inner, "fields", [])
            cache[path] = found
        return found

    def sample(self, registries=None, today: dt.date | None = None) -> tuple[dict[str, Any], str]:
        """A valid entry of this kind, as (front matter, body): every required field from its
        ``example`` (or a plain value of its type), every required section with a sentence.
        Tests, templates and the benchmark's generator make their entries from it; a
        registry reference takes the first id of ``registries`` when given (a site's own),
        else the field's example. ``tests/test_kinds.py`` checks that it validates, for
        every kind, so a kind that cannot make one is caught where it is declared."""
        # an optional field the template asks for anyway (in_template) is one another value requires
        data = {f.name: sample_value(f, registries, today) for f in self.schema.fields if f.required or f.in_template}
        if self.sections:
            body = "".join(f"## {s.zh}\n\n{s.zh}的範例內容。\n\n" for s in self.sections)
        else:
            body = f"{self.body_hint[0]}的範例內容。\n"
        return data, body

    def fact_rows(self, e, kb, brief: bool = False, lang: str = "zh-TW") -> list[Row]:
        """The entry's facts as (label, parts): the kind's own, then (on its page) those of every
        entry. ``lang``: the labels, the names of values and the words a ``show`` puts around
        them in that language (what the contributor wrote stays as written)."""
        rows: list[Row] = []
        english = not lang.startswith("zh")
        for fact in self.facts if brief else (*self.facts, *BASE_FACTS):
            if (not fact.brief if brief else not fact.full):
                continue
            if fact.rows is not None:
                rows += fact.rows(e, kb, lang) if english else fact.rows(e, kb)
                continue
            if fact.field:
                row = field_row(fact, self.field(fact.field), e, kb, brief, lang)
            else:
                assert fact.show is not None  # a fact shows a field, its own rows or what show() says
                parts = shown(fact.show, e, kb, brief, lang)
                label = (fact.label_en or fact.label) if english else fact.label
                row = (label, parts) if parts is not None else None
            if row is not None:
                rows.append(row)
        return rows


def sample_value(f: Field, registries=None, today: dt.date | None = None) -> Any:
    """A valid value of a field for :meth:`Kind.sample`: its example, else a plain one of its type."""
    t = f.type
    if isinstance(t, Ref) and registries is not None and registries.get(t.registry) is not None:
        ids = list(registries.get(t.registry).items)
        if ids:
            return ids[0]
    if isinstance(t, ListOf) and isinstance(t.item, Ref) and registries is not None:
        reg = registries.get(t.item.registry)
        if reg is not None and reg.items:
            return [next(iter(reg.items))]
    if f.example is not None:
        return f.example
    if isinstance(t, Date):
        return today or dt.date(2024, 1, 10)
    if isinstance(t, Object):
        return {sf.name: sample_value(sf, registries, today) for sf in t.fields
                if sf.required or sf.in_template or sf.name in t.one_of[:1]}
    if isinstance(t, ListOf):
        # one item: a list that needs more (min_items) declares its example
        return [sample_value(Field(f.name, t.item, required=True, zh=f.zh, en=f.en), registries, today)]
    if isinstance(t, Choice):
        return t.vocabulary.ids()[0]
    if isinstance(t, Boolean):
        return False
    if isinstance(t, _Numeric):
        low = getattr(t, "minimum", None)
        return int(low) if low is not None and low > 0 else 1
    if isinstance(t, Email):
        return "service@library.example.org"
    if isinstance(t, Url):
        return "https://library.example.org/"
    text = f"{f.zh or f.name}範例"
    max_length = getattr(t, "max_length", None)
    return text[:max_length] if max_length else text


# -- fields several kinds declare ------------------------------------------------------------

# Units a person may type with a number in a form's box (generator.model.typed_values), left out of
# what is stored: amounts in New Taiwan dollars, years.
TWD_UNITS = ("元", "NT$", "NTD", "TWD", "新臺幣", "新台幣")


def choice(name: str, vocab: V.Vocabulary, *, zh: str, en: str, many: bool = False, min_items: int = 0,
           **kw) -> Field:
    """A field from a vocabulary (or a list of them); its help lists the allowed values
    unless a better one is given."""
    ftype = ListOf(Choice(vocab), min_items=min_items) if many else Choice(vocab)
    if "help_zh" not in kw and "help_en" not in kw:
        kw["help_lists"] = vocab  # the values as the open site has them, when shown
    return Field(name, ftype, zh=zh, en=en, **kw)


ROLE_WORDS = {
    "library", "libraries", "lib", "service", "services", "info", "information", "contact", "office", "admin",
    "reference", "ref", "ill", "circulation", "circ", "help", "helpdesk", "support", "webmaster", "events", "event",
    "outreach", "reader", "readers", "team", "desk", "ask", "inquiry", "enquiries", "secretariat", "secretary",
    "intl", "international", "media", "news", "noreply", "book", "books", "exchange", "program", "programs",
    "jobs", "job", "career", "careers", "hr", "personnel", "recruit", "recruiting",
    # library mailboxes as librarians name them (a trial's reading@… was taken for a person's)
    "reading", "kids", "children", "youth", "teen", "teens", "learning", "research", "archive", "archives",
    "collection", "collections", "acquisitions", "acq", "cataloging", "cataloguing", "lending", "loan", "loans",
    "system", "systems", "web", "marketing", "pr", "volunteer", "volunteers", "general", "public",
}
MOBILE_RE = re.compile(r"^\s*(?:\+?886[\s-]?|0)9\d{2}[\s-]?\d{3}[\s-]?\d{3}\s*$")


def is_role_address(email: str) -> bool:
    """A mailbox of a service (service@, library@, intl@), not of a person."""
    local = email.split("@", 1)[0].lower()
    return any(part in ROLE_WORDS for part in re.split(r"[._+\-]", local))


def dates_in_order(start: str, end: str):
    """The end on or after the start. When one of the two has a year no entry's date has (a
    date picker's 1905), that year is named as the likely mistake, not the order."""
    def check(values, nodes, node, ctx: Context, name):
        if start in values and end in values and values[end] < values[start]:
            a, b = values[start], values[end]
            wrong = next((k for k in (end, start) if values[k].year < PLAUSIBLE_FROM), None)
            if wrong is not None:
                ctx.report(nodes[end], "date-order-year", start=start, end=end, wrong=wrong, year=values[wrong].year,
                           start_value=a.isoformat(), end_value=b.isoformat())
            else:
                ctx.report(nodes[end], "date-order", start=start, end=end,
                           start_value=a.isoformat(), end_value=b.isoformat())
            return False
        return True
    return check


def _contact_privacy(values, nodes, node, ctx: Context, name):
    """Personal e-mail addresses and mobile numbers are published only with consent."""
    if values.get("consent"):
        return True
    ok = True
    if "email" in values and not is_role_address(values["email"]):
        ctx.report(nodes["email"], "personal-contact", field=f"{name}.email", value=values["email"])
        ok = False
    if "phone" in values and MOBILE_RE.match(values["phone"]):
        ctx.report(nodes["phone"], "personal-contact", field=f"{name}.phone", value=values["phone"])
        ok = False
    return ok


def contact(required: bool = True, zh: str = "聯絡方式", en: str = "Contact") -> Field:
    return Field("contact", Object(fields=[
        Field("name", Text(max_length=60), zh="聯絡窗口", en="Contact name", example="推廣服務組"),
        Field("email", Email(), zh="電子郵件", en="E-mail", in_template=True,
              help_zh="建議使用單位信箱", help_en="a role address (library mailbox) is preferred",
              example="service@library.example.org"),
        Field("phone", Text(max_length=40), zh="電話", en="Phone", help_zh="建議使用單位總機或分機",
              help_en="the library's number is preferred"),
        Field("consent", Boolean(), zh="當事人同意公開", en="Consent to publish",
              help_zh="個人信箱或手機須經當事人同意，並填 true", help_en="true when a person agreed to publish their own address or mobile number"),
    ], one_of=("email", "phone"), checks=[_contact_privacy]), required=required, zh=zh, en=en)


def show_contact(e, kb, brief, lang="zh-TW") -> Parts | None:
    c = e.data.get("contact")
    if not c:
        return None
    parts = [c["name"]] if c.get("name") else []
    if c.get("email"):
        parts.append(obfuscate_email(c["email"]))
    if c.get("phone"):
        parts.append(c["phone"])
    return [in_language(lang, "，", ", ").join(parts)]


CONTACT_FACT = Fact("contact", show=show_contact)


def measures(name: str, zh: str, en: str, example: tuple[str, float, str]) -> Field:
    """A list of measured results: metric, value, unit."""
    metric, value, unit = example
    return Field(name, ListOf(Object(fields=[
        Field("metric", Text(max_length=80), required=True, zh="指標", en="Metric", example=metric),
        Field("value", Number(), required=True, zh="數值", en="Value", example=value),
        Field("unit", Text(max_length=20), zh="單位", en="Unit", example=unit),
    ])), zh=zh, en=en)


def measure_rows(name: str) -> Fact:
    """One fact row per measured result, labelled by its metric."""
    return Fact(rows=lambda e, kb, lang="zh-TW": [(o["metric"], [f"{number(o['value'])}{o.get('unit', '')}"])
                                                  for o in e.data.get(name, [])])


def period(start: str, end: str, *, same_day: bool = False):
    """A fact showing a date range (one date when it starts and ends the same day, if ``same_day``)."""
    def show(e, kb, brief, lang="zh-TW"):
        a, b = e.data[start], e.data[end]
        return [a.isoformat() if same_day and a == b else f"{a.isoformat()}{in_language(lang, ' 至 ', ' to ')}{b.isoformat()}"]
    return show


# -- the fields and facts of every entry -------------------------------------------------------

ATTACHMENT = Object(fields=[
    Field("file", FilePath(), required=True, zh="檔名", en="File name",
          help_zh="與 index.md 放在同一資料夾", help_en="kept in the entry's folder beside index.md",
          example="flyer.pdf"),
    Field("title", Text(max_length=120), required=True, zh="說明", en="Title", example="活動海報"),
    Field("type", Choice(V.ATTACHMENT_TYPE), default="other", zh="類型", en="Type", example="flyer",
          help_zh="photo（活動照片）的 PNG、JPEG、GIF、WebP 會顯示在條目頁上",
          help_en="a photo (PNG, JPEG, GIF, WebP) is shown on the entry's page"),
    Field("alt", Text(max_length=300), zh="照片內容（替代文字）", en="Alt text",
          help_zh="照片裡有什麼，給看不到圖片的讀者（螢幕報讀軟體會唸出來），例如「家長與孩子坐在地墊上共讀繪本」；不填時用「說明」",
          help_en="what the photo shows, for readers who cannot see it (screen readers read it out); the title when left out"),
])

BASE_FIELDS = [
    Field("title", Text(max_length=120), required=True, zh="標題", en="Title"),
    Field("date", Date(), required=True, zh="撰寫日期", en="Date written",
          help_zh="格式 YYYY-MM-DD", help_en="format YYYY-MM-DD"),
    Field("summary", Text(max_length=300, multiline=True), required=True, zh="摘要", en="Summary",
          help_zh="一兩句話，會出現在列表與搜尋結果", help_en="one or two sentences shown in listings and search"),
    Field("tags", ListOf(Ref("tags"), min_items=1), required=True, zh="標籤", en="Tags",
          help_zh="使用 content/registries/tags.yml 中的標籤", help_en="from content/registries/tags.yml",
          example=["international-exchange"]),
    Field("authors", ListOf(Text(max_length=60), min_items=1), required=True, zh="作者", en="Authors",
          example=["王小明"]),
    Field("institution", Ref("institutions"), zh="所屬機構", en="Institution",
          help_zh="content/registries/institutions.yml 中的代碼", help_en="id from content/registries/institutions.yml",
          example="nlpi"),
    Field("visibility", Choice(V.VISIBILITY), default="public", zh="公開程度", en="Visibility",
          help_zh="internal 表示只存於儲存庫、不發布到網站", help_en="internal entries stay in the repository and are not published"),
    Field("language", Choice(V.LANGUAGE), default="zh-TW", zh="語言", en="Language"),
    # The English site (site/i18n.py) shows these; an entry without them shows its Chinese title and summary there.
    Field("title_en", Text(max_length=200), zh="英文標題", en="Title in English",
          help_zh="選填；網站的英文版顯示它，不填時顯示中文標題並註明條目以中文撰寫",
          help_en="optional; the English site shows it, and the Chinese title (marked as Chinese) without it",
          example="Book Swap Festival"),
    Field("summary_en", Text(max_length=600, multiline=True), zh="英文摘要", en="Summary in English",
          help_zh="選填；一兩句英文，給國外的夥伴圖書館看", help_en="optional; one or two sentences for partner libraries abroad",
          example="A weekend book swap run with the city's libraries."),
    Field("attachments", ListOf(ATTACHMENT), zh="附件", en="Attachments",
          help_zh="附件要與 index.md 放在同一資料夾", help_en="files in the entry folder beside index.md"),
    Field("related", ListOf(EntryRef()), zh="相關條目", en="Related entries",
          help_zh="其他條目的「資料夾/代稱」，如 outreach/summer-reading-club",
          help_en="other entries as folder/slug, e.g. outreach/summer-reading-club",
          example=["outreach/summer-reading-club"]),
    Field("slug", Text(max_length=100), zh="英文短名（網址）", en="Slug",
          help_zh="選填；填了就要與檔名（或資料夾名）相同。網頁編輯器用它為新條目命名。",
          help_en="optional; when given, the same as the file (or folder) name. The web editor names new entries by it."),
    Field("featured", Boolean(), default=False, zh="精選", en="Featured",
          help_zh="由編輯小組設定，精選條目會出現在首頁與列表頂端",
          help_en="set by curators; featured entries head the home page and their listing"),
]


def _own_institution(e, kb, brief, lang="zh-TW") -> Parts | None:
    """The author's institution, unless the kind's facts already name it."""
    d = e.data
    inst = d.get("institution")
    if not inst or inst in d.get("institutions", []) or any(f.field == "institution" for f in e.kind.facts):
        return None
    return [Link(kb.facet_label("institutions", inst, lang), facet="institutions", value=inst)]


BASE_FACTS = (
    Fact("institution", show=_own_institution),
    Fact("authors"),
    Fact("date"),
    Fact("tags", facet="tags"),
    Fact("language", show=lambda e, kb, brief, lang="zh-TW": None if e.data.get("language", "zh-TW") == "zh-TW"
         else [V.LANGUAGE.label(e.data["language"], lang)]),
)


def schema(*fields: Field, checks=(), override: dict[str, dict] | None = None) -> Object:
    """The fields of every entry, then the kind's own (``override`` changes a shared one, e.g. required)."""
    base = []
    for f in BASE_FIELDS:
        if override and f.name in override:
            f = Field(**{**f.__dict__, **override[f.name]})
        base.append(f)
    return Object(fields=[*base, *fields], checks=list(checks))
