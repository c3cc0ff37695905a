"""The resource exchange: libraries giving, swapping, selling or seeking items and duplicates."""

from __future__ import annotations

from ..model import vocab as V
from ..model.facets import Facet, vocabulary_label
from ..model.fields import Date, Field, Integer, Text
from ..model.tables import in_language, Table, totals
from .base import (
    CONTACT_FACT, TWD_UNITS, Context, Fact, Kind, StatsSection, choice, contact, dates_in_order, number, schema,
)


def _terms(values, nodes, node, ctx: Context, name):
    ok = True
    if values.get("offer_type") == "sell" and "price" not in values:
        ctx.report(nodes["offer_type"], "exchange-price", field="price")
        ok = False
    if values.get("offer_type") != "wanted" and "condition" not in values:
        ctx.report(nodes["offer_type"], "exchange-condition", offer=values.get("offer_type"))
        ok = False
    return ok


def _expires(e, kb, brief, lang="zh-TW"):
    status = (in_language(lang, "（已媒合）", " (taken)") if e.data.get("status") == "taken"
              else in_language(lang, "（已過期）", " (expired)") if kb.is_closed(e) else "")
    return [(in_language(lang, "期限 ", "until ") if brief else "") + e.data["expires"].isoformat() + status]


def _closed_notice(e) -> tuple[str, str]:
    if e.data.get("status") == "taken":
        return "此刊登已媒合完成，僅供參考。", "Taken: kept for reference."
    day = e.data["expires"].isoformat()
    return f"此刊登已於 {day} 過期，僅供參考。", f"Expired on {day}: kept for reference."


def tables(kb, lang: str = "zh-TW") -> list[Table]:
    def tr(zh: str, en: str) -> str:
        return in_language(lang, zh, en)

    offers = [e for e in kb.public if e.kind.id == KIND.id]
    out = []
    for tid, title, head, vocab, key in (
        ("by-category", tr("資源交換：依物品類別", "Resource exchange by category"), tr("類別", "Category"),
         V.ITEM_CATEGORY, "category"),
        ("by-offer-type", tr("資源交換：依刊登類型", "Resource exchange by type of posting"), tr("刊登類型", "Type of posting"),
         V.OFFER_TYPE, "offer_type"),
    ):
        rows = []
        for v in vocab.ids():
            mine = [e for e in offers if e.data[key] == v]
            if not mine:
                continue
            taken = sum(1 for e in mine if e.data.get("status") == "taken")
            open_now = sum(1 for e in mine if not kb.is_closed(e))
            rows.append([vocab.label(v, lang), len(mine), taken, open_now, len(mine) - taken - open_now])
        out.append(Table(tid, title, [head, tr("刊登數", "Postings"), tr("已媒合", "Taken"), tr("開放中", "Open"),
                                      tr("已過期", "Expired")], rows + [totals(rows, 5, lang)], unit=tr("筆", ""),
                         notes=[tr("已媒合：刊登者標示為 taken；已過期：超過刊登期限且未標示媒合。",
                                   "Taken: marked taken by whoever posted it; expired: past its date and not marked taken.")]))
    return out


KIND: Kind = Kind(
    id="exchange",
    folder="exchange",
    zh="資源交換", en="Resource exchange",
    description_zh="圖書館資源銀行：館際之間贈送、交換、出售或徵求二手物品與複本圖書。過期或已媒合的刊登會移到過往刊登。",
    description_en="Libraries giving, exchanging, selling or seeking second-hand items and duplicate books. "
                   "Expired or taken offers move to the archive.",
    order=90,
    colour="#8d6e00",
    schema=schema(
        choice("offer_type", V.OFFER_TYPE, required=True, zh="刊登類型", en="Kind of offer",
               help_zh="give 贈送、exchange 交換、sell 出售、wanted 徵求", help_en="give, exchange, sell or wanted",
               example="give"),
        choice("category", V.ITEM_CATEGORY, required=True, zh="物品類別", en="Item category", example="books"),
        Field("quantity", Integer(minimum=1, maximum=1000000), required=True, zh="數量", en="Quantity", example=120),
        Field("unit", Text(max_length=10), zh="單位", en="Unit", example="冊"),
        choice("condition", V.CONDITION, zh="狀況", en="Condition",
               help_zh="徵求以外必填：new、good、fair、worn", help_en="required unless wanted: new, good, fair, worn",
               example="good", in_template=True),
        Field("price", Integer(minimum=0, units=TWD_UNITS), zh="價格（新臺幣）", en="Price (TWD)", help_zh="出售時必填",
              help_en="required when selling", example=500),
        Field("location", Text(max_length=80), required=True, zh="所在地", en="Location", example="高雄市三民區"),
        Field("expires", Date(), required=True, zh="刊登期限", en="Offer expires",
              help_zh="過了這一天會自動移到過往刊登", help_en="after this day the offer moves to the archive"),
        choice("status", V.OFFER_STATUS, default="open", zh="狀態", en="Status",
               help_zh="open 開放中；媒合成功後改為 taken", help_en="open; set to taken once matched"),
        contact(),
        checks=[dates_in_order("date", "expires"), _terms],
        override={"institution": {"required": True}},
    ),
    facts=(
        Fact("offer_type", brief=True),
        Fact("category", brief=True),
        Fact("quantity", brief=True,
             show=lambda e, kb, brief: [f"{number(e.data['quantity'])} {e.data.get('unit', '')}".rstrip()]),
        Fact("condition", brief=True),
        Fact("price", brief=True, show=lambda e, kb, brief, lang="zh-TW": None if e.data.get("price") is None
             else [in_language(lang, f"新臺幣 {number(e.data['price'])} 元", f"NT$ {number(e.data['price'])}")]),
        Fact("location", brief=True),
        Fact("expires", brief=True, show=_expires),
        Fact("institution", facet="institutions"),
        CONTACT_FACT,
    ),
    facets=(
        Facet("item-categories", "交換物品類別", "Exchange categories",
              lambda e: [e.data["category"]] if e.kind.id == KIND.id else [], vocabulary_label(V.ITEM_CATEGORY),
              current_only=True, vocabulary=V.ITEM_CATEGORY),
        Facet("offer-types", "交換刊登類型", "Kinds of offer",
              lambda e: [e.data["offer_type"]] if e.kind.id == KIND.id else [], vocabulary_label(V.OFFER_TYPE),
              current_only=True, vocabulary=V.OFFER_TYPE),
    ),
    board=("item-categories", "offer-types"),
    expires="expires",
    closed_notice=_closed_notice,
    archive_zh="過往刊登",
    archive_intro_zh="已過截止日期或已媒合的資源交換刊登，留存供參考，最近截止的在前。",
    group="match",
    body_hint=("物品清單與交換方式", "what is offered and how to arrange the hand-over"),
    statistics=StatsSection("exchange", "資源交換統計", "資源交換的刊登類別，與媒合成功的數量。", tables,
                            title_en="Resource exchange", description_en="Postings by category, and how many found a taker."),
)
