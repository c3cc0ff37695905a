"""Sister libraries: partnerships between a library here and libraries abroad."""

from __future__ import annotations

from ..model import vocab as V
from ..model.fields import Field, ListOf, Object, Text, Url, Year
from . import _schemaorg as S
from ..model.facts import in_language
from .base import CONTACT_FACT, Context, Fact, Kind, Link, choice, contact, lines, schema


def _years(values, nodes, node, ctx: Context, name):
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


def _partners(e, kb, brief, lang="zh-TW"):
    comma = in_language(lang, "，", ", ")
    out = []
    for p in e.data["partners"]:
        name = [Link(p["name"], url=p["website"])] if p.get("website") and not brief else [p["name"]]
        if p.get("name_zh"):
            name.append(in_language(lang, f"（{p['name_zh']}）", f" ({p['name_zh']})"))
        out.append(name + [comma + comma.join(x for x in (p.get("city"), p["country"]) if x)])
    return lines(out)


def _span(e, kb, brief, lang="zh-TW"):
    d = e.data
    status = V.PARTNERSHIP_STATUS.label(d.get("status", "active"), lang)
    if lang.startswith("zh"):
        span = f"{d['since']} 年起" + (f"至 {d['ended']} 年" if d.get("ended") else "")
        return [f"{span}（{status}）"]
    return [f"{d['since']}–{d['ended']}" if d.get("ended") else f"since {d['since']}", f" ({status})"]


def _organization(e, kb) -> dict | None:
    """schema.org Organization: the library here whose sister libraries the entry lists, as the
    institutions registry has it (its name, English name, website and city). Google's
    Organization structured data (developers.google.com/search/docs/appearance/structured-data/
    organization) requires no property and recommends name, url, sameAs, address, description.
    Its partners are named in the page's description; schema.org has no property for a partner."""
    return S.registered(kb.registries, "institutions", e.data["institution"])


KIND = Kind(
    id="partnership",
    folder="sister-libraries",
    zh="姐妹圖書館", en="Sister libraries",
    description_zh="國內圖書館與國外姐妹館的合作：夥伴、開始年份、共同辦過的活動與聯絡窗口。",
    description_en="Sister-library partnerships: partner libraries, since when, activities together, contact.",
    order=100,
    colour="#283593",
    schema=schema(
        Field("partners", ListOf(Object(fields=[
            Field("name", Text(max_length=120), required=True, zh="夥伴館名稱", en="Partner library",
                  example="Example Public Library"),
            Field("name_zh", Text(max_length=120), zh="中文名稱", en="Name in Chinese"),
            Field("city", Text(max_length=60), zh="城市", en="City", example="Portland"),
            Field("country", Text(max_length=60), required=True, zh="國家", en="Country", example="美國"),
            Field("website", Url(), zh="網站", en="Website"),
        ]), min_items=1), required=True, zh="夥伴館", en="Partner libraries"),
        Field("since", Year(), required=True, zh="開始年份", en="Partners since",
              example=2019),
        choice("status", V.PARTNERSHIP_STATUS, default="active", zh="狀態", en="Status",
               help_zh="active 合作中、ended 已結束", help_en="active or ended"),
        Field("ended", Year(), zh="結束年份", en="Ended in"),
        choice("agreement", V.AGREEMENT, zh="合作形式", en="Agreement",
               help_zh="formal 正式協議、informal 非正式", help_en="formal or informal", example="formal"),
        Field("activities", ListOf(Object(fields=[
            Field("year", Year(), required=True, zh="年份", en="Year", example=2020),
            Field("activity", Text(max_length=200), required=True, zh="活動", en="Activity", example="互贈館藏與文化展示"),
        ]), min_items=1), required=True, zh="共同活動", en="Activities together"),
        contact(),
        checks=[_years],
        override={"institution": {"required": True}},
    ),
    facts=(
        Fact("institution", brief=True, facet="institutions"),
        Fact("partners", brief=True, show=_partners),
        Fact(label="合作期間", label_en="Period", brief=True, show=_span),
        Fact("agreement"),
        Fact("activities", show=lambda e, kb, brief, lang="zh-TW": lines(
            [[f"{a['year']}{in_language(lang, '：', ': ')}{a['activity']}"]
             for a in sorted(e.data["activities"], key=lambda a: a["year"])])),
        CONTACT_FACT,
    ),
    group="directory",
    guide_tag="sister-library",
    body_hint=("合作緣起與經驗", "how the partnership began and what was learned"),
    identity=("institution", "partners.name"),
    structured_data=_organization,
)
