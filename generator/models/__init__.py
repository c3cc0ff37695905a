"""Entry kinds: one declared schema each, on a shared base.

The folder is the kind: ``content/<folder>/<slug>.md`` or
``content/<folder>/<slug>/index.md`` (an entry with attachments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fields import (
    Boolean, Choice, Context, Date, Email, EntryRef, Field, FilePath, Integer, ListOf, Number, Object, Ref, Text, Url,
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
    # The date field after which an entry leaves the current listing for the archive.
    expires: str | None = None
    # What the body should say, for templates of kinds without required sections.
    body_hint: tuple[str, str] = ("介紹與使用心得", "description and how you use it")
    group: str = "share"  # navigation group: share (knowledge), match (jobs, exchange) or directory
    citable: bool = False  # shows a suggested citation and offers BibTeX / CSL-JSON
    archive_zh: str = "過往條目"  # the archive's name, for kinds that expire
    guide_tag: str | None = None  # the kind's listing points to the guides with this tag


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
    "jobs", "job", "career", "careers", "hr", "personnel", "recruit", "recruiting",
}
MOBILE_RE = re.compile(r"^\s*(?:\+?886[\s-]?|0)9\d{2}[\s-]?\d{3}[\s-]?\d{3}\s*$")


def is_role_address(email: str) -> bool:
    """A mailbox of a service (service@, library@, intl@), not of a person."""
    local = email.split("@", 1)[0].lower()
    return any(part in ROLE_WORDS for part in re.split(r"[._+\-]", local))


def obfuscate_email(addr: str) -> str:
    """How an address is published (pages, exports): text for people, not a mailto: for harvesters."""
    user, _, domain = addr.partition("@")
    return f"{user} [at] {domain.replace('.', ' [dot] ')}"


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


def _contact(required: bool = True, zh: str = "聯絡方式", en: str = "Contact") -> Field:
    return Field("contact", Object(fields=[
        Field("name", Text(max_length=60), zh="聯絡窗口", en="Contact name", example="推廣服務組"),
        Field("email", Email(), zh="電子郵件", en="E-mail", in_template=True,
              help_zh="建議使用單位信箱", help_en="a role address (library mailbox) is preferred",
              example="service@library.example.org"),
        Field("phone", Text(max_length=40), zh="電話", en="Phone", help_zh="建議使用單位總機或分機",
              help_en="the library's number is preferred"),
        Field("consent", Boolean(), zh="當事人同意公開", en="Consent to publish",
              help_zh="個人信箱或手機須經當事人同意，並填 true", help_en="true when a person agreed to publish their own address or mobile number"),
    ], checks=[_one_of("email", "phone"), _contact_privacy]), required=required, zh=zh, en=en)


def _measures(name: str, zh: str, en: str, example: tuple[str, float, str]) -> Field:
    """A list of measured results: metric, value, unit."""
    metric, value, unit = example
    return Field(name, ListOf(Object(fields=[
        Field("metric", Text(max_length=80), required=True, zh="指標", en="Metric", example=metric),
        Field("value", Number(), required=True, zh="數值", en="Value", example=value),
        Field("unit", Text(max_length=20), zh="單位", en="Unit", example=unit),
    ])), zh=zh, en=en)


def _exchange_terms(values, nodes, node, ctx: Context, name):
    ok = True
    if values.get("offer_type") == "sell" and "price" not in values:
        ctx.report(nodes["offer_type"], "exchange-price", field="price")
        ok = False
    if values.get("offer_type") != "wanted" and "condition" not in values:
        ctx.report(nodes["offer_type"], "exchange-condition", offer=values.get("offer_type"))
        ok = False
    return ok


def _job_employer(values, nodes, node, ctx: Context, name):
    if values.get("direction") == "offered" and "employer" not in values:
        ctx.report(nodes["direction"], "job-employer")
        return False
    return True


def _partnership_years(values, nodes, node, ctx: Context, name):
    ok = True
    if values.get("status") == "ended" and "ended" not in values:
        ctx.report(nodes["status"], "partnership-ended")
        ok = False
    if "ended" in values and "since" in values and values["ended"] < values["since"]:
        ctx.report(nodes["ended"], "date-order", start="since", end="ended",
                   start_value=values["since"], end_value=values["ended"])
        ok = False
    for a in values.get("activities", []):
        if "since" in values and a["year"] < values["since"]:
            ctx.report(nodes["activities"], "partnership-activity-year", year=a["year"], since=values["since"])
            ok = False
            break
    return ok


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
    Field("related", ListOf(EntryRef()), zh="相關條目", en="Related entries",
          help_zh="其他條目的「資料夾/代稱」，如 conference-reports/ifla-wlic-2023-rotterdam",
          help_en="other entries as folder/slug, e.g. conference-reports/ifla-wlic-2023-rotterdam",
          example=["conference-reports/ifla-wlic-2023-rotterdam"]),
    Field("featured", Boolean(), default=False, zh="精選", en="Featured",
          help_zh="由編輯小組設定，精選條目會出現在首頁與列表頂端",
          help_en="set by curators; featured entries head the home page and their listing"),
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
    citable=True,
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
        _measures("outcomes", "量化成果", "Outcomes in numbers", ("媒合成功冊數", 2994, "冊")),
        _contact(),
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
    citable=True,
    sections=[
        Section("教學活動", "Activities", ("活動流程", "activity")),
        Section("評量", "Assessment"),
    ],
)

JOB = Kind(
    id="job",
    folder="jobs",
    zh="求才求職", en="Jobs",
    description_zh="千里馬與伯樂：圖書館的徵才與求職資訊。過了截止日期的職缺會自動移到過往職缺。",
    description_en="Positions offered and sought in libraries. Postings past their closing date move to the archive.",
    schema=_schema(
        Field("direction", Choice(V.JOB_DIRECTION), required=True, zh="徵才或求職", en="Offered or sought",
              help_zh="offered 徵才、sought 求職", help_en="offered or sought", example="offered"),
        Field("position", Text(max_length=80), required=True, zh="職稱", en="Position", example="約用館員（參考服務）"),
        Field("employer", Text(max_length=120), zh="徵才機構", en="Employer",
              help_zh="徵才時必填；若機構在 institutions.yml 中，也可填 institution 欄位",
              help_en="required for positions offered; also set institution when it is in institutions.yml",
              example="國立高雄科技大學圖書館", in_template=True),
        Field("employment_type", Choice(V.EMPLOYMENT_TYPE), required=True, zh="職務類型", en="Employment type",
              help_zh="、".join(V.EMPLOYMENT_TYPE.ids()), help_en=", ".join(V.EMPLOYMENT_TYPE.ids()),
              example="contract"),
        Field("location", Text(max_length=80), required=True, zh="工作地點", en="Location", example="高雄市燕巢區"),
        Field("positions", Integer(minimum=1, maximum=1000), zh="名額", en="Openings", example=1),
        Field("salary", Text(max_length=120), zh="待遇", en="Pay", example="依本校約用人員薪資標準"),
        Field("requirements", ListOf(Text(max_length=200), min_items=1), required=True, zh="資格條件",
              en="Requirements", example=["圖書資訊學相關系所畢業"]),
        Field("how_to_apply", Text(max_length=500, multiline=True), required=True, zh="應徵方式", en="How to apply",
              example="請將履歷與自傳寄至 jobs@library.example.org，信件主旨註明應徵職稱"),
        Field("closing_date", Date(), required=True, zh="截止日期", en="Closing date",
              help_zh="每則職缺都必須有截止日期；過了這一天會自動移到過往職缺",
              help_en="every posting needs one; after it the posting moves to the archive"),
        _contact(required=False),
        checks=[_dates_in_order("date", "closing_date"), _job_employer],
    ),
    expires="closing_date",
    archive_zh="過往職缺",
    group="match",
    body_hint=("工作內容與其他說明", "duties and anything else applicants should know"),
)

EXCHANGE = Kind(
    id="exchange",
    folder="exchange",
    zh="資源交換", en="Resource exchange",
    description_zh="圖書館資源銀行：館際之間贈送、交換、出售或徵求二手物品與複本圖書。過期或已媒合的刊登會移到過往刊登。",
    description_en="Libraries giving, exchanging, selling or seeking second-hand items and duplicate books. "
                   "Expired or taken offers move to the archive.",
    schema=_schema(
        Field("offer_type", Choice(V.OFFER_TYPE), required=True, zh="刊登類型", en="Kind of offer",
              help_zh="give 贈送、exchange 交換、sell 出售、wanted 徵求", help_en="give, exchange, sell or wanted",
              example="give"),
        Field("category", Choice(V.ITEM_CATEGORY), required=True, zh="物品類別", en="Item category",
              help_zh="、".join(V.ITEM_CATEGORY.ids()), help_en=", ".join(V.ITEM_CATEGORY.ids()), example="books"),
        Field("quantity", Integer(minimum=1, maximum=1000000), required=True, zh="數量", en="Quantity", example=120),
        Field("unit", Text(max_length=10), zh="單位", en="Unit", example="冊"),
        Field("condition", Choice(V.CONDITION), zh="狀況", en="Condition",
              help_zh="徵求以外必填：new、good、fair、worn", help_en="required unless wanted: new, good, fair, worn",
              example="good", in_template=True),
        Field("price", Integer(minimum=0), zh="價格（新臺幣）", en="Price (TWD)", help_zh="出售時必填",
              help_en="required when selling", example=500),
        Field("location", Text(max_length=80), required=True, zh="所在地", en="Location", example="高雄市三民區"),
        Field("expires", Date(), required=True, zh="刊登期限", en="Offer expires",
              help_zh="過了這一天會自動移到過往刊登", help_en="after this day the offer moves to the archive"),
        Field("status", Choice(V.OFFER_STATUS), default="open", zh="狀態", en="Status",
              help_zh="open 開放中；媒合成功後改為 taken", help_en="open; set to taken once matched"),
        _contact(),
        checks=[_dates_in_order("date", "expires"), _exchange_terms],
        override={"institution": {"required": True}},
    ),
    expires="expires",
    archive_zh="過往刊登",
    group="match",
    body_hint=("物品清單與交換方式", "what is offered and how to arrange the hand-over"),
)

IDEA = Kind(
    id="idea",
    folder="ideas",
    zh="實務改善金點子", en="Practice-improvement ideas",
    description_zh="實務工作改善金點子：遇到的問題、想出的點子、實際做法與量得的成果。",
    description_en="Practice-improvement ideas: the problem, the idea, what was done and the measured result.",
    schema=_schema(
        Field("problem", Text(max_length=300, multiline=True), required=True, zh="問題", en="Problem"),
        Field("idea", Text(max_length=300, multiline=True), required=True, zh="點子", en="Idea"),
        Field("year", Integer(minimum=1900, maximum=2100), required=True, zh="年度", en="Year", example=2016),
        Field("institutions", ListOf(Ref("institutions"), min_items=1), required=True, zh="提案機構",
              en="Institutions", example=["nkust"]),
        Field("team", ListOf(Text(max_length=60)), zh="團隊成員", en="Team", example=["王小明"]),
        Field("award", Object(fields=[
            Field("name", Text(max_length=120), required=True, zh="獎項", en="Award", example="實務工作改善計畫"),
            Field("rank", Text(max_length=40), zh="名次", en="Rank", example="優勝"),
            Field("by", Text(max_length=120), zh="頒發單位", en="Awarded by", example="中華民國圖書館學會"),
        ]), zh="獲獎", en="Award"),
        _measures("results", "量化成果", "Measured results", ("處理天數", 3, "天")),
    ),
    sections=[
        Section("做法", "What was done", ("實施", "執行", "implementation")),
        Section("成果", "Results", ("result", "成效")),
    ],
)

ANSWER = Kind(
    id="answer",
    folder="answers",
    zh="達人解答", en="Expert answers",
    description_zh="圖書館工作達人：同道提出的實務問題，與資深館員整理過的解答。",
    description_en="Practical questions from colleagues, answered by experienced practitioners and curated.",
    schema=_schema(
        Field("question", Text(max_length=500, multiline=True), required=True, zh="問題", en="Question"),
        Field("expert", Object(fields=[
            Field("name", Text(max_length=60), required=True, zh="姓名", en="Name", example="王小明"),
            Field("title", Text(max_length=80), zh="職稱", en="Title", example="採編組組長"),
            Field("institution", Ref("institutions"), zh="機構", en="Institution", example="nlpi"),
            Field("expertise", ListOf(Text(max_length=40)), zh="專長", en="Expertise", example=["館際合作"]),
        ]), required=True, zh="解答達人", en="Answered by"),
    ),
    body_hint=("解答", "the answer"),
)

PARTNERSHIP = Kind(
    id="partnership",
    folder="sister-libraries",
    zh="姐妹圖書館", en="Sister libraries",
    description_zh="國內圖書館與國外姐妹館的合作：夥伴、開始年份、共同辦過的活動與聯絡窗口。",
    description_en="Sister-library partnerships: partner libraries, since when, activities together, contact.",
    schema=_schema(
        Field("partners", ListOf(Object(fields=[
            Field("name", Text(max_length=120), required=True, zh="夥伴館名稱", en="Partner library",
                  example="Example Public Library"),
            Field("name_zh", Text(max_length=120), zh="中文名稱", en="Name in Chinese"),
            Field("city", Text(max_length=60), zh="城市", en="City", example="Portland"),
            Field("country", Text(max_length=60), required=True, zh="國家", en="Country", example="美國"),
            Field("website", Url(), zh="網站", en="Website"),
        ]), min_items=1), required=True, zh="夥伴館", en="Partner libraries"),
        Field("since", Integer(minimum=1900, maximum=2100), required=True, zh="開始年份", en="Partners since",
              example=2019),
        Field("status", Choice(V.PARTNERSHIP_STATUS), default="active", zh="狀態", en="Status",
              help_zh="active 合作中、ended 已結束", help_en="active or ended"),
        Field("ended", Integer(minimum=1900, maximum=2100), zh="結束年份", en="Ended in"),
        Field("agreement", Choice(V.AGREEMENT), zh="合作形式", en="Agreement",
              help_zh="formal 正式協議、informal 非正式", help_en="formal or informal", example="formal"),
        Field("activities", ListOf(Object(fields=[
            Field("year", Integer(minimum=1900, maximum=2100), required=True, zh="年份", en="Year", example=2020),
            Field("activity", Text(max_length=200), required=True, zh="活動", en="Activity", example="互贈館藏與文化展示"),
        ]), min_items=1), required=True, zh="共同活動", en="Activities together"),
        _contact(),
        checks=[_partnership_years],
        override={"institution": {"required": True}},
    ),
    group="directory",
    guide_tag="sister-library",
    body_hint=("合作緣起與經驗", "how the partnership began and what was learned"),
)

GUIDE = Kind(
    id="guide",
    folder="guides",
    zh="實務指南", en="Guides",
    description_zh="編輯小組整理的實務指南，例如如何尋找與經營姐妹圖書館。",
    description_en="How-to guides curated by the editors, e.g. finding and working with a sister library.",
    schema=_schema(),
    body_hint=("指南內容", "the guide"),
)

KINDS: dict[str, Kind] = {k.id: k for k in (
    CONFERENCE_REPORT, TOOL, OUTREACH, LESSON_PLAN, IDEA, ANSWER, GUIDE, JOB, EXCHANGE, PARTNERSHIP)}
KINDS_BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS.values()}


def kind_named(name: str) -> Kind | None:
    """A kind by id, folder name or either label."""
    n = name.strip().casefold()
    for k in KINDS.values():
        if n in (k.id, k.folder, k.zh.casefold(), k.en.casefold()):
            return k
    return None
