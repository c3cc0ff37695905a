"""Entry kinds: one declared schema each, on a shared base.

The folder is the kind: ``content/<folder>/<slug>.md`` or
``content/<folder>/<slug>/index.md`` (an entry with attachments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fields import (
    Boolean, Choice, Context, Date, Email, Field, FilePath, Integer, ListOf, Number, Object, Ref, Text, Url,
)
from . import vocab as V


@dataclass(frozen=True)
class Section:
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def matches(self, heading: str) -> bool:
        h = heading.casefold()
        return any(a.casefold() in h for a in (self.zh, self.en, *self.aliases))


@dataclass
class Kind:
    id: str
    folder: str
    zh: str
    en: str
    description_zh: str
    description_en: str
    schema: Object
    sections: list[Section] = field(default_factory=list)


# -- cross-field checks ------------------------------------------------------

def _dates_in_order(start: str, end: str):
    def check(values, nodes, node, ctx: Context, name):
        if start in values and end in values and values[end] < values[start]:
            ctx.report(nodes[end], "date-order", start=start, end=end,
                       start_value=values[start].isoformat(), end_value=values[end].isoformat())
            return False
        return True
    return check


def _year_matches(values, nodes, node, ctx: Context, name):
    if "year" in values and "start_date" in values and values["start_date"].year != values["year"]:
        ctx.report(nodes["year"], "year-mismatch", year=values["year"],
                   start=values["start_date"].isoformat())
        return False
    return True


def _one_of(*names: str):
    def check(values, nodes, node, ctx: Context, name):
        if not any(n in values for n in names):
            ctx.report(node, "one-of-missing", field=name, keys=" / ".join(names))
            return False
        return True
    return check


ROLE_WORDS = {
    "library", "libraries", "lib", "service", "services", "info", "information", "contact", "office", "admin",
    "reference", "ref", "ill", "circulation", "circ", "help", "helpdesk", "support", "webmaster", "events", "event",
    "outreach", "reader", "readers", "team", "desk", "ask", "inquiry", "enquiries", "secretariat", "secretary",
    "intl", "international", "media", "news", "noreply", "book", "books", "exchange", "program", "programs",
}
MOBILE_RE = re.compile(r"^\s*(?:\+?886[\s-]?|0)9\d{2}[\s-]?\d{3}[\s-]?\d{3}\s*$")


def is_role_address(email: str) -> bool:
    """A mailbox of a service (service@, library@, intl@), not of a person."""
    local = email.split("@", 1)[0].lower()
    return any(part in ROLE_WORDS for part in re.split(r"[._+\-]", local))


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


def _budget(values, nodes, node, ctx: Context, name):
    if "amount" in values and "currency" not in values:
        ctx.report(nodes["amount"], "budget-currency", field=name)
        return False
    if "amount" not in values and "bracket" not in values:
        ctx.report(node, "one-of-missing", field=name, keys="amount / bracket")
        return False
    return True


# -- base --------------------------------------------------------------------

ATTACHMENT = Object(fields=[
    Field("file", FilePath(), required=True, zh="檔名", en="File name",
          help_zh="與 index.md 放在同一資料夾", help_en="kept in the entry's folder beside index.md",
          example="flyer.pdf"),
    Field("title", Text(max_length=120), required=True, zh="說明", en="Title", example="活動海報"),
    Field("type", Choice(V.ATTACHMENT_TYPE), default="other", zh="類型", en="Type", example="flyer"),
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
    Field("attachments", ListOf(ATTACHMENT), zh="附件", en="Attachments",
          help_zh="附件要與 index.md 放在同一資料夾", help_en="files in the entry folder beside index.md"),
]


def _schema(*fields: Field, checks=(), override: dict[str, dict] | None = None) -> Object:
    base = []
    for f in BASE_FIELDS:
        if override and f.name in override:
            f = Field(**{**f.__dict__, **override[f.name]})
        base.append(f)
    return Object(fields=[*base, *fields], checks=list(checks))


CONFERENCE_REPORT = Kind(
    id="conference-report",
    folder="conference-reports",
    zh="研討會報告", en="Conference reports",
    description_zh="出席國際與國內研討會的報告：目的、過程、心得與建議。",
    description_en="Reports from conferences: purpose, sessions attended, reflections, recommendations.",
    schema=_schema(
        Field("conference", Ref("organizations"), required=True, zh="會議或主辦組織", en="Conference or organization",
              help_zh="content/registries/organizations.yml 中的代碼，如 IFLA、ALA",
              help_en="id from content/registries/organizations.yml, e.g. IFLA, ALA", example="ALA"),
        Field("edition", Text(max_length=120), zh="屆次", en="Edition", example="2022 年年會"),
        Field("year", Integer(minimum=1900, maximum=2100), required=True, zh="年度", en="Year", example=2022),
        Field("start_date", Date(), required=True, zh="開始日期", en="Start date"),
        Field("end_date", Date(), required=True, zh="結束日期", en="End date"),
        Field("city", Text(max_length=60), required=True, zh="城市", en="City", example="華盛頓特區"),
        Field("country", Text(max_length=60), required=True, zh="國家", en="Country", example="美國"),
        Field("region", Choice(V.REGION), required=True, zh="地區", en="World region",
              help_zh="、".join(V.REGION.ids()), help_en=", ".join(V.REGION.ids()), example="north-america"),
        Field("mode", Choice(V.MODE), required=True, zh="參與方式", en="Mode",
              help_zh="in-person 實體、virtual 線上、hybrid 混合", help_en="in-person, virtual or hybrid",
              example="virtual"),
        Field("institutions", ListOf(Ref("institutions"), min_items=1), required=True,
              zh="報告機構", en="Reporting institutions", example=["nlpi"]),
        Field("funding", Text(max_length=200), zh="經費來源", en="Funding source", example="教育部"),
        Field("presentations", ListOf(Object(fields=[
            Field("type", Choice(V.PRESENTATION_TYPE), required=True, zh="類型", en="Type", example="poster"),
            Field("title", Text(max_length=200), required=True, zh="題目", en="Title"),
            Field("presenters", ListOf(Text(max_length=60)), zh="發表人", en="Presenters"),
        ])), zh="發表或海報", en="Presentations and posters"),
        Field("original_report", Object(fields=[
            Field("reference", Text(max_length=120), zh="報告編號", en="Reference",
                  help_zh="如公務出國報告系統編號", help_en="e.g. the government travel-report number",
                  example="C11101234"),
            Field("url", Url(), zh="全文網址", en="URL"),
        ], checks=[_one_of("reference", "url")]), zh="原始報告", en="Original report"),
        checks=[_dates_in_order("start_date", "end_date"), _year_matches],
    ),
    sections=[
        Section("目的", "Purpose"),
        Section("過程", "Process", ("sessions", "議程", "經過")),
        Section("心得", "Reflections", ("reflection",)),
        Section("建議", "Recommendations", ("recommendation",)),
    ],
)

TOOL = Kind(
    id="tool",
    folder="tools",
    zh="工具與網站", en="Tools and websites",
    description_zh="同道推薦的工具、網站與合作管道，附用途與推薦人。",
    description_en="Tools, websites and partnership channels recommended by colleagues.",
    schema=_schema(
        Field("url", Url(), required=True, zh="網址", en="URL", example="https://www.ifla.org/"),
        Field("purpose", Text(max_length=300, multiline=True), required=True, zh="用途", en="What it is for"),
        Field("category", Choice(V.TOOL_CATEGORY), required=True, zh="類別", en="Category",
              help_zh="、".join(V.TOOL_CATEGORY.ids()), help_en=", ".join(V.TOOL_CATEGORY.ids()),
              example="professional-organization"),
        Field("recommended_by", Text(max_length=120), required=True, zh="推薦人", en="Recommended by",
              example="王小明（國立公共資訊圖書館）"),
        Field("cost", Choice(V.COST), required=True, zh="費用", en="Cost",
              help_zh="free 免費、freemium 部分免費、paid 付費", help_en="free, freemium or paid", example="free"),
        Field("interface_languages", ListOf(Choice(V.LANGUAGE), min_items=1), required=True,
              zh="介面語言", en="Interface languages", example=["en"]),
        Field("audience", ListOf(Choice(V.AUDIENCE), min_items=1), required=True, zh="適用對象", en="Audience",
              help_zh="、".join(V.AUDIENCE.ids()), help_en=", ".join(V.AUDIENCE.ids()), example=["librarians"]),
        Field("checked", Date(), required=True, zh="連結檢查日期", en="Link last checked"),
    ),
)

OUTREACH = Kind(
    id="outreach",
    folder="outreach",
    zh="推廣活動", en="Outreach events",
    description_zh="圖書館推廣活動與服務的實作紀錄：規劃、對象、預算、夥伴、成果與聯絡窗口。",
    description_en="Outreach events and services: plan, audience, budget, partners, results, contact.",
    schema=_schema(
        Field("start_date", Date(), required=True, zh="開始日期", en="Start date"),
        Field("end_date", Date(), required=True, zh="結束日期", en="End date"),
        Field("audience", ListOf(Choice(V.AUDIENCE), min_items=1), required=True, zh="對象", en="Audience",
              help_zh="、".join(V.AUDIENCE.ids()), help_en=", ".join(V.AUDIENCE.ids()), example=["undergraduates"]),
        Field("program_type", Choice(V.PROGRAM_TYPE), required=True, zh="活動類型", en="Program type",
              help_zh="、".join(V.PROGRAM_TYPE.ids()), help_en=", ".join(V.PROGRAM_TYPE.ids()),
              example="book-exchange"),
        Field("partners", ListOf(Text(max_length=120)), zh="合作夥伴", en="Partners", example=["高雄市立圖書館"]),
        Field("budget", Object(fields=[
            Field("amount", Number(), zh="金額", en="Amount", example=30000),
            Field("currency", Choice(V.CURRENCY), zh="幣別", en="Currency", example="TWD"),
            Field("bracket", Choice(V.BUDGET_BRACKET), zh="級距", en="Bracket",
                  help_zh="不便公開金額時使用", help_en="when the amount cannot be published", example="10k-50k"),
            Field("source", Text(max_length=120), zh="經費來源", en="Source", example="教育部計畫"),
        ], checks=[_budget]), zh="預算", en="Budget"),
        Field("lead_time_weeks", Integer(minimum=0, maximum=520), zh="籌備週數", en="Planning lead time (weeks)",
              example=8),
        Field("staff", Integer(minimum=0, maximum=10000), zh="參與人力（人）", en="Staff involved", example=4),
        Field("marketing", ListOf(Choice(V.MARKETING)), zh="宣傳管道", en="Marketing channels",
              help_zh="、".join(V.MARKETING.ids()), help_en=", ".join(V.MARKETING.ids()),
              example=["poster", "facebook"]),
        Field("attendance", Integer(minimum=0), zh="參與人次", en="Attendance", example=120),
        Field("outcomes", ListOf(Object(fields=[
            Field("metric", Text(max_length=80), required=True, zh="指標", en="Metric", example="媒合成功冊數"),
            Field("value", Number(), required=True, zh="數值", en="Value", example=2994),
            Field("unit", Text(max_length=20), zh="單位", en="Unit", example="冊"),
        ])), zh="量化成果", en="Outcomes in numbers"),
        Field("contact", Object(fields=[
            Field("name", Text(max_length=60), zh="聯絡窗口", en="Contact name", example="推廣服務組"),
            Field("email", Email(), zh="電子郵件", en="E-mail", in_template=True,
                  help_zh="建議使用單位信箱", help_en="a role address (library mailbox) is preferred",
                  example="service@library.example.org"),
            Field("phone", Text(max_length=40), zh="電話", en="Phone", help_zh="建議使用單位總機或分機",
                  help_en="the library's number is preferred"),
            Field("consent", Boolean(), zh="當事人同意公開", en="Consent to publish",
                  help_zh="個人信箱或手機須經當事人同意，並填 true", help_en="true when a person agreed to publish their own address or mobile number"),
        ], checks=[_one_of("email", "phone"), _contact_privacy]), required=True, zh="聯絡方式", en="Contact"),
        checks=[_dates_in_order("start_date", "end_date")],
        override={"institution": {"required": True}},
    ),
    sections=[
        Section("規劃", "Plan", ("planning", "企劃")),
        Section("成果", "Results", ("result", "outcome")),
        Section("檢討", "Lessons learned", ("lessons", "反思", "建議")),
    ],
)

LESSON_PLAN = Kind(
    id="lesson-plan",
    folder="lesson-plans",
    zh="資訊素養教案", en="Lesson plans",
    description_zh="資訊素養教學的教案與教材：對象、學習目標、活動、評量與可下載的教材。",
    description_en="Information-literacy lesson plans with outcomes, activities, assessment and materials.",
    schema=_schema(
        Field("audience", ListOf(Choice(V.AUDIENCE), min_items=1), required=True, zh="對象", en="Audience level",
              help_zh="、".join(V.AUDIENCE.ids()), help_en=", ".join(V.AUDIENCE.ids()), example=["undergraduates"]),
        Field("discipline", Text(max_length=80), required=True, zh="學科領域", en="Discipline", example="通識教育"),
        Field("duration_minutes", Integer(minimum=1, maximum=6000), required=True, zh="時間（分鐘）",
              en="Duration (minutes)", example=100),
        Field("outcomes", ListOf(Text(max_length=200), min_items=1), required=True, zh="學習目標",
              en="Learning outcomes"),
        Field("frames", ListOf(Choice(V.ACRL_FRAME)), zh="ACRL 架構", en="ACRL Framework frames",
              help_zh="、".join(V.ACRL_FRAME.ids()), help_en=", ".join(V.ACRL_FRAME.ids()),
              example=["exploration"]),
        Field("license", Choice(V.LICENSE), default="CC-BY-4.0", zh="授權", en="Licence",
              help_zh="、".join(V.LICENSE.ids()), help_en=", ".join(V.LICENSE.ids())),
    ),
    sections=[
        Section("教學活動", "Activities", ("活動流程", "activity")),
        Section("評量", "Assessment"),
    ],
)

KINDS: dict[str, Kind] = {k.id: k for k in (CONFERENCE_REPORT, TOOL, OUTREACH, LESSON_PLAN)}
KINDS_BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS.values()}


def kind_named(name: str) -> Kind | None:
    """A kind by id, folder name or either label."""
    n = name.strip().casefold()
    for k in KINDS.values():
        if n in (k.id, k.folder, k.zh.casefold(), k.en.casefold()):
            return k
    return None
