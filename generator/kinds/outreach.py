"""Outreach events and services: how they were run and what they achieved."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import vocab as V
from ..model.fields import Date, Field, Integer, ListOf, Number, Object, Text
from ..model.tables import in_language, Table
from . import _schemaorg as S
from .base import (
    CONTACT_FACT, Context, Fact, Kind, Section, StatsSection, choice, contact, dates_in_order, measure_rows,
    TWD_UNITS, measures, number, period, schema,
)


def _budget_check(values, nodes, node, ctx: Context, name):
    if "amount" in values and "currency" not in values:
        ctx.report(nodes["amount"], "budget-currency", field=name)
        return False
    return True


def _budget(e, kb, brief, lang="zh-TW"):
    b = e.data.get("budget")
    if not b:
        return None
    parts = []
    if "amount" in b:
        parts.append(f"{V.CURRENCY.label(b.get('currency', 'TWD'), lang)} {number(b['amount'])}")
    if "bracket" in b:
        parts.append(V.BUDGET_BRACKET.label(b["bracket"], lang))
    if b.get("source"):
        parts.append(in_language(lang, "來源：", "source: ") + b["source"])
    return [in_language(lang, "，", ", ").join(parts)]


def tables(kb, lang: str = "zh-TW") -> list[Table]:
    def tr(zh: str, en: str) -> str:
        return in_language(lang, zh, en)

    events = [e for e in kb.public if e.kind.id == KIND.id]
    out = []
    for tid, title, label_of, vocab, key in (
        ("by-audience", tr("推廣活動：依對象", "Outreach by audience"), tr("對象", "Audience"), V.AUDIENCE, "audience"),
        ("by-program-type", tr("推廣活動：依活動類型", "Outreach by type of programme"), tr("活動類型", "Type of programme"),
         V.PROGRAM_TYPE, "program_type"),
    ):
        count: Counter = Counter()
        people: Counter = Counter()
        for e in events:
            values = e.data[key] if isinstance(e.data[key], list) else [e.data[key]]
            for v in values:
                count[v] += 1
                people[v] += e.data.get("attendance") or 0
        rows: list[list[Any]] = [[vocab.label(v, lang), count[v], people[v]] for v in vocab.ids() if count[v]]
        rows.sort(key=lambda r: -r[1])
        notes = [tr("一場活動有多個對象時，每個對象各計一次（參與人次亦同）。",
                    "A programme with several audiences counts once for each (attendance too).")] if key == "audience" else []
        out.append(Table(tid, title, [label_of, tr("活動數", "Programmes"), tr("參與人次", "Attendance")], rows,
                         unit=tr("場", ""), total_row=False, notes=notes))
    with_attendance = [e for e in events if e.data.get("attendance") is not None]
    totals = Table("totals", tr("推廣活動：總計", "Outreach: totals"), [tr("項目", "Item"), tr("數值", "Value")], [
        [tr("活動數", "Programmes"), len(events)],
        [tr("有填參與人次的活動", "Programmes with attendance"), len(with_attendance)],
        [tr("參與人次合計", "Total attendance"), sum(e.data["attendance"] for e in with_attendance)],
    ], unit="", total_row=False)
    return [*out, totals]


def _event(e, kb) -> dict:
    """Google's Event (developers.google.com/search/docs/appearance/structured-data/event):
    required name, startDate and location (a Place with its address); recommended endDate,
    organizer, description. The place is the organising institution's, as the registry has it;
    partners organise with it. The kind records neither how people attended nor a cancellation,
    so eventAttendanceMode and eventStatus are left out."""
    d = e.data
    host = S.registered(kb.registries, "institutions", d["institution"])
    return S.compact({
        "@type": "Event",
        "startDate": S.day(d["start_date"]),
        "endDate": S.day(d["end_date"]),
        "location": S.place_of(host),
        "organizer": [o for o in (host, *(S.organization(p) for p in d.get("partners", []))) if o],
        "audience": S.audiences(V.AUDIENCE, d["audience"]),
    })


KIND = Kind(
    id="outreach",
    folder="outreach",
    zh="推廣活動", en="Outreach events",
    description_zh="圖書館推廣活動與服務的實作紀錄：規劃、對象、預算、夥伴、成果與聯絡窗口。",
    description_en="Outreach events and services: plan, audience, budget, partners, results, contact.",
    order=30,
    colour="#5e35b1",
    schema=schema(
        Field("start_date", Date(), required=True, zh="開始日期", en="Start date"),
        Field("end_date", Date(), required=True, zh="結束日期", en="End date"),
        choice("audience", V.AUDIENCE, many=True, min_items=1, required=True, zh="對象", en="Audience",
               example=["undergraduates"]),
        choice("program_type", V.PROGRAM_TYPE, required=True, zh="活動類型", en="Program type",
               example="book-exchange"),
        Field("partners", ListOf(Text(max_length=120)), zh="合作夥伴", en="Partners", example=["高雄市立圖書館"]),
        Field("budget", Object(fields=[
            Field("amount", Number(units=TWD_UNITS), zh="金額", en="Amount", example=30000),
            choice("currency", V.CURRENCY, zh="幣別", en="Currency", example="TWD", help_zh="", help_en=""),
            choice("bracket", V.BUDGET_BRACKET, zh="級距", en="Bracket",
                   help_zh="不便公開金額時使用", help_en="when the amount cannot be published", example="10k-50k"),
            Field("source", Text(max_length=120), zh="經費來源", en="Source", example="教育部計畫"),
        ], one_of=("amount", "bracket"), checks=[_budget_check]), zh="預算", en="Budget"),
        Field("lead_time_weeks", Integer(minimum=0, maximum=520, units=("週", "周", "星期", "個星期", "個禮拜")), zh="籌備週數", en="Planning lead time (weeks)",
              example=8),
        Field("staff", Integer(minimum=0, maximum=10000, units=("人", "位", "名")), zh="參與人力（人）", en="Staff involved", example=4),
        choice("marketing", V.MARKETING, many=True, zh="宣傳管道", en="Marketing channels",
               example=["poster", "facebook"]),
        Field("attendance", Integer(minimum=0, units=("人", "人次", "位")), zh="參與人次", en="Attendance", example=120),
        measures("outcomes", "量化成果", "Outcomes in numbers", ("媒合成功冊數", 2994, "冊")),
        contact(),
        checks=[dates_in_order("start_date", "end_date")],
        override={"institution": {"required": True}},
    ),
    facts=(
        Fact("institution", brief=True, facet="institutions"),
        Fact(label="日期", label_en="Dates", brief=True, show=period("start_date", "end_date", same_day=True)),
        Fact("program_type", brief=True),
        Fact("audience", brief=True, facet="audiences"),
        Fact("attendance", brief=True),
        Fact("partners"),
        Fact("budget", show=_budget),
        Fact("lead_time_weeks", unit=" 週", unit_en=" weeks"),
        Fact("staff", unit=" 人", unit_en=" staff"),
        Fact("marketing"),
        measure_rows("outcomes"),
        CONTACT_FACT,
    ),
    sections=[
        Section("規劃", "Plan", ("planning", "企劃")),
        Section("成果", "Results", ("result", "outcome")),
        Section("檢討", "Lessons learned", ("lessons", "反思", "建議")),
    ],
    statistics=StatsSection("outreach", "推廣活動統計", "推廣活動的對象、活動類型與參與人次。", tables,
                            title_en="Outreach", description_en="Outreach programmes by audience and type, with attendance."),
    structured_data=_event,
)
