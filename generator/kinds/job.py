"""Jobs: positions offered and sought; a posting leaves the listing after its closing date."""

from __future__ import annotations

from ..model import vocab as V
from ..model.facts import numbered
from ..model.fields import Date, Field, Integer, ListOf, Text
from . import _schemaorg as S
from ..model.facts import in_language
from .base import CONTACT_FACT, Context, Fact, Kind, choice, contact, dates_in_order, schema


def _employer(values, nodes, node, ctx: Context, name):
    if values.get("direction") == "offered" and "employer" not in values:
        ctx.report(nodes["direction"], "job-employer")
        return False
    return True


def _closing(e, kb, brief, lang="zh-TW"):
    return [(in_language(lang, "截止 ", "closes ") if brief else "") + e.data["closing_date"].isoformat()
            + (in_language(lang, "（已截止）", " (closed)") if kb.is_closed(e) else "")]


def _closed_notice(e) -> tuple[str, str]:
    day = e.data["closing_date"].isoformat()
    return f"此職缺已於 {day} 截止，僅供參考。", f"Closed on {day}: kept for reference."


def _job_posting(e, kb) -> dict | None:
    """Google's JobPosting (developers.google.com/search/docs/appearance/structured-data/job-posting):
    required title (the position, not the posting's title), description, datePosted,
    hiringOrganization and jobLocation; recommended employmentType and validThrough (the last
    moment one may apply). A position sought is no posting: its page is an article."""
    d = e.data
    if d["direction"] != "offered" or not d.get("employer"):
        return None
    inst = S.registered(kb.registries, "institutions", d.get("institution"))  # the employer, when registered
    # The full description Google asks for, in text with line breaks (which it reads as paragraphs).
    parts = [d["summary"], "資格條件 Requirements：\n" + "\n".join(f"{i}. {r}" for i, r in enumerate(d["requirements"], 1)),
             "應徵方式 How to apply：" + d["how_to_apply"]]
    if d.get("salary"):
        parts.append("待遇 Pay：" + d["salary"])
    return S.compact({
        "@type": "JobPosting",
        "title": d["position"],
        "description": "\n\n".join(parts),
        "datePosted": S.day(d["date"]),
        "validThrough": S.day_end(d["closing_date"]),
        "employmentType": S.EMPLOYMENT_TYPES.get(d["employment_type"]),
        "hiringOrganization": S.organization(d["employer"], inst.get("sameAs") if inst else None),
        "jobLocation": S.place(locality=d["location"]),
        "totalJobOpenings": d.get("positions"),
    })


KIND = Kind(
    id="job",
    folder="jobs",
    zh="求才求職", en="Jobs",
    description_zh="千里馬與伯樂：圖書館的徵才與求職資訊。過了截止日期的職缺會自動移到過往職缺。",
    description_en="Positions offered and sought in libraries. Postings past their closing date move to the archive.",
    order=80,
    colour="#455a64",
    schema=schema(
        choice("direction", V.JOB_DIRECTION, required=True, zh="徵才或求職", en="Offered or sought",
               help_zh="offered 徵才、sought 求職", help_en="offered or sought", example="offered"),
        Field("position", Text(max_length=80), required=True, zh="職稱", en="Position", example="約用館員（參考服務）"),
        Field("employer", Text(max_length=120), zh="徵才機構", en="Employer",
              help_zh="徵才時必填；若機構在 institutions.yml 中，也可填 institution 欄位",
              help_en="required for positions offered; also set institution when it is in institutions.yml",
              example="國立高雄科技大學圖書館", in_template=True),
        choice("employment_type", V.EMPLOYMENT_TYPE, required=True, zh="職務類型", en="Employment type",
               example="contract"),
        Field("location", Text(max_length=80), required=True, zh="工作地點", en="Location", example="高雄市燕巢區"),
        Field("positions", Integer(minimum=1, maximum=1000, units=("名", "人", "位", "個")), zh="名額", en="Openings",
              example=1),
        Field("salary", Text(max_length=120), zh="待遇", en="Pay", example="依本校約用人員薪資標準"),
        Field("requirements", ListOf(Text(max_length=200), min_items=1), required=True, zh="資格條件",
              en="Requirements", example=["圖書資訊學相關系所畢業"]),
        Field("how_to_apply", Text(max_length=500, multiline=True), required=True, zh="應徵方式", en="How to apply",
              example="請將履歷與自傳寄至 jobs@library.example.org，信件主旨註明應徵職稱"),
        Field("closing_date", Date(), required=True, zh="截止日期", en="Closing date",
              help_zh="每則職缺都必須有截止日期；過了這一天會自動移到過往職缺",
              help_en="every posting needs one; after it the posting moves to the archive"),
        contact(required=False),
        checks=[dates_in_order("date", "closing_date"), _employer],
    ),
    facts=(
        Fact(label="類型", label_en="Type", brief=True, show=lambda e, kb, brief, lang="zh-TW": [
            f"{V.JOB_DIRECTION.label(e.data['direction'], lang)}{in_language(lang, '・', ', ')}"
            f"{V.EMPLOYMENT_TYPE.label(e.data['employment_type'], lang)}"]),
        Fact("position", brief=True),
        Fact("employer", brief=True),
        Fact("location", brief=True),
        Fact("closing_date", brief=True, show=_closing),
        Fact("positions", unit=" 名", unit_en=" openings"),
        Fact("salary"),
        Fact("requirements", show=lambda e, kb, brief: numbered(e.data["requirements"])),
        Fact("how_to_apply"),
        CONTACT_FACT,
    ),
    expires="closing_date",
    closed_notice=_closed_notice,
    archive_zh="過往職缺",
    archive_intro_zh="已過截止日期的求才求職刊登，留存供參考，最近截止的在前。",
    group="match",
    body_hint=("工作內容與其他說明", "duties and anything else applicants should know"),
    identity=("direction", "position", "location", "closing_date"),
    structured_data=_job_posting,
)
