"""Conference reports: what was learned at a conference, for colleagues who could not go."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from ..model import vocab as V
from ..model.fields import Date, Field, ListOf, Object, Ref, Text, Url, Year
from ..model.tables import in_language, Table, ranked, totals  # in_language: the English site's words
from . import _schemaorg as S
from .base import (
    CitationStyle, Fact, Kind, Link, Section, StatsSection, choice, dates_in_order, schema,
)


def _year_matches(values, nodes, node, ctx, name):
    if "year" in values and "start_date" in values and values["start_date"].year != values["year"]:
        ctx.report(nodes["year"], "year-mismatch", year=values["year"],
                   start=values["start_date"].isoformat())
        return False
    return True


def _conference(e, kb, brief, lang="zh-TW"):
    org = e.data["conference"]
    parts = [Link(kb.facet_label("organizations", org, lang), facet="organizations", value=org)]
    return parts + ([in_language(lang, "，", ", ") + e.data["edition"]] if e.data.get("edition") else [])


def _dates(e, kb, brief, lang="zh-TW"):
    return [f"{e.data['start_date'].isoformat()}{in_language(lang, ' 至 ', ' to ')}{e.data['end_date'].isoformat()}"]


def _place(e, kb, brief, lang="zh-TW"):
    d = e.data
    region = V.REGION.label(d["region"], lang)
    return [in_language(lang, f"{d['city']}，{d['country']}（{region}）", f"{d['city']}, {d['country']} ({region})")]


def _presentations(e, kb, lang="zh-TW"):
    return [(V.PRESENTATION_TYPE.label(p["type"], lang),
             [p["title"] + (f"（{'、'.join(p['presenters'])}）" if p.get("presenters") else "")])
            for p in e.data.get("presentations", [])]


def _original_report(e, kb, brief, lang="zh-TW"):
    r = e.data.get("original_report")
    if not r:
        return None
    parts: list = []
    if r.get("reference"):
        parts.append(in_language(lang, "編號 ", "No. ") + r["reference"])
    if r.get("url"):
        parts += [in_language(lang, "，", ", ")] * bool(parts) + [Link(in_language(lang, "全文", "Full text"), url=r["url"])]
    return parts


def _event(data: dict, regs) -> dict:
    org = data["conference"]
    return {"event-title": " ".join(x for x in (regs["organizations"].label(org), data.get("edition")) if x),
            "event-place": f"{data['city']}，{data['country']}"}


def _report(e, kb) -> dict:
    """schema.org Report (an Article: Google's Article structured data has no required
    properties and recommends author, datePublished and headline,
    developers.google.com/search/docs/appearance/structured-data/article), about the
    conference as an Event: its name, dates, city and country, how the authors took part, and
    the organization holding it. The reporting institutions are the report's source."""
    d, regs = e.data, kb.registries
    org = S.registered(regs, "organizations", d["conference"])
    original = d.get("original_report", {})
    return S.compact({
        "@type": "Report",
        "about": S.compact({
            "@type": "Event",
            "name": " ".join(x for x in (regs["organizations"].label(d["conference"]), d.get("edition")) if x),
            "startDate": S.day(d["start_date"]),
            "endDate": S.day(d["end_date"]),
            "location": S.place(locality=d["city"], country=d["country"]),
            "eventAttendanceMode": S.ATTENDANCE_MODES.get(d["mode"]),
            "organizer": org,
        }),
        "sourceOrganization": [o for i in d["institutions"] if (o := S.registered(regs, "institutions", i))],
        "reportNumber": original.get("reference"),
        "isBasedOn": S.web(original.get("url")),  # the full report the entry reports on
    })


def tables(kb, lang: str = "zh-TW") -> list[Table]:
    def tr(zh: str, en: str) -> str:
        return in_language(lang, zh, en)

    reports = [e for e in kb.public if e.kind.id == KIND.id]
    regions = [r for r in V.REGION.ids() if any(e.data["region"] == r for e in reports)]
    by_year: dict[int, Counter] = defaultdict(Counter)
    for e in reports:
        by_year[e.data["year"]][e.data["region"]] += 1
    rows = [[y, *(by_year[y][r] for r in regions), sum(by_year[y].values())] for y in sorted(by_year, reverse=True)]
    total = tr("合計", "Total")
    year_region = Table("by-year-region", tr("研討會報告：年度與地區", "Conference reports: year and region"),
                        [tr("年度", "Year"), *(V.REGION.label(r, lang) for r in regions), total],
                        rows + ([totals(rows, len(regions) + 2, lang)] if rows else []), chart_column=len(regions) + 1,
                        unit=tr("筆", ""))
    region = Counter(e.data["region"] for e in reports)
    region_rows = [[V.REGION.label(r, lang), region[r]] for r in V.REGION.ids() if region[r]]
    reports_head = tr("報告數", "Reports")
    by_region = Table("by-region", tr("研討會報告：依地區", "Conference reports by region"), [tr("地區", "Region"), reports_head],
                      region_rows + [totals(region_rows, 2, lang)], unit=tr("筆", ""))
    inst = Counter(i for e in reports for i in e.data["institutions"])
    inst_rows = ranked(inst, lambda i: kb.registries["institutions"].label(i, lang))
    by_inst = Table("by-institution", tr("研討會報告：依報告機構", "Conference reports by institution"),
                    [tr("機構", "Institution"), reports_head], inst_rows, total_row=False, unit=tr("筆", ""),
                    notes=[tr("一篇報告列有多個機構時，每個機構各計一次。",
                              "A report naming several institutions counts once for each.")])
    orgs = Counter(e.data["conference"] for e in reports)
    org_rows = ranked(orgs, lambda o: f"{o} {kb.registries['organizations'].label(o, lang)}")
    by_org = Table("by-organization", tr("研討會報告：依組織與會議", "Conference reports by organization and conference"),
                   [tr("組織或會議", "Organization or conference"), reports_head], org_rows + [totals(org_rows, 2, lang)],
                   unit=tr("筆", ""))
    return [year_region, by_region, by_inst, by_org]


KIND = Kind(
    id="conference-report",
    folder="conference-reports",
    zh="研討會報告", en="Conference reports",
    description_zh="出席國際與國內研討會的報告：目的、過程、心得與建議。",
    description_en="Reports from conferences: purpose, sessions attended, reflections, recommendations.",
    order=10,
    colour="#00796b",
    schema=schema(
        Field("conference", Ref("organizations"), required=True, zh="會議或主辦組織", en="Conference or organization",
              help_zh="content/registries/organizations.yml 中的代碼，如 IFLA、ALA",
              help_en="id from content/registries/organizations.yml, e.g. IFLA, ALA", example="ALA"),
        Field("edition", Text(max_length=120), zh="屆次", en="Edition", example="2022 年年會"),
        Field("year", Year(), required=True, zh="年度", en="Year", example=2022),
        Field("start_date", Date(), required=True, zh="開始日期", en="Start date", example=dt.date(2022, 6, 22)),
        Field("end_date", Date(), required=True, zh="結束日期", en="End date", example=dt.date(2022, 6, 28)),
        Field("city", Text(max_length=60), required=True, zh="城市", en="City", example="華盛頓特區"),
        Field("country", Text(max_length=60), required=True, zh="國家", en="Country", example="美國"),
        choice("region", V.REGION, required=True, zh="地區", en="World region", example="north-america"),
        choice("mode", V.MODE, required=True, zh="參與方式", en="Mode",
               help_zh="in-person 實體、virtual 線上、hybrid 混合", help_en="in-person, virtual or hybrid",
               example="virtual"),
        Field("institutions", ListOf(Ref("institutions"), min_items=1), required=True,
              zh="報告機構", en="Reporting institutions", example=["nlpi"]),
        Field("funding", Text(max_length=200), zh="經費來源", en="Funding source", example="教育部"),
        Field("presentations", ListOf(Object(fields=[
            choice("type", V.PRESENTATION_TYPE, required=True, zh="類型", en="Type", example="poster",
                   help_zh="", help_en=""),
            Field("title", Text(max_length=200), required=True, zh="題目", en="Title"),
            Field("presenters", ListOf(Text(max_length=60)), zh="發表人", en="Presenters"),
        ])), zh="發表或海報", en="Presentations and posters"),
        Field("original_report", Object(fields=[
            Field("reference", Text(max_length=120), zh="報告編號", en="Reference",
                  help_zh="如公務出國報告系統編號", help_en="e.g. the government travel-report number",
                  example="C11101234"),
            Field("url", Url(), zh="全文網址", en="URL"),
        ], one_of=("reference", "url")), zh="原始報告", en="Original report"),
        checks=[dates_in_order("start_date", "end_date"), _year_matches],
    ),
    facts=(
        Fact("conference", brief=True, show=_conference),
        Fact("year", brief=True, facet="years"),
        Fact(label="日期", label_en="Dates", brief=True, show=_dates),
        Fact(label="地點", label_en="Place", brief=True, show=_place),
        Fact("mode", brief=True),
        Fact("institutions", facet="institutions"),
        Fact("funding"),
        Fact(rows=_presentations),
        Fact("original_report", show=_original_report),
    ),
    citation=CitationStyle("研討會報告", "Conference report", report=True,
                           number=lambda d: d.get("original_report", {}).get("reference"), event=_event),
    sections=[
        Section("目的", "Purpose"),
        Section("過程", "Process", ("sessions", "議程", "經過")),
        Section("心得", "Reflections", ("reflection",)),
        Section("建議", "Recommendations", ("recommendation",)),
    ],
    identity=("conference", "start_date", "institutions"),
    structured_data=_report,
    statistics=StatsSection("conference-reports", "研討會報告統計", "出席研討會報告的年度、地區、報告機構與組織分布。",
                            tables, title_en="Conference reports",
                            description_en="Conference reports by year, region, institution and organization."),
)
