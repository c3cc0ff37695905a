"""Tools and websites colleagues recommend, with what each is for."""

from __future__ import annotations

from ..model import vocab as V
from ..model.fields import Date, Field, Text, Url
from . import _schemaorg as S
from .base import Fact, Kind, choice, schema


def _about(e, kb) -> dict:
    """An article (the colleague's recommendation) about a website, known by its address."""
    site = S.web(e.data["url"])
    return {"@type": "Article", **({"about": {"@type": "WebSite", "url": site}} if site else {})}


KIND = Kind(
    id="tool",
    folder="tools",
    zh="工具與網站", en="Tools and websites",
    description_zh="同道推薦的工具、網站與合作管道，附用途與推薦人。",
    description_en="Tools, websites and partnership channels recommended by colleagues.",
    order=20,
    colour="#e65100",
    schema=schema(
        Field("url", Url(), required=True, zh="網址", en="URL", example="https://www.ifla.org/"),
        Field("purpose", Text(max_length=300, multiline=True), required=True, zh="用途", en="What it is for"),
        choice("category", V.TOOL_CATEGORY, required=True, zh="類別", en="Category",
               example="professional-organization"),
        Field("recommended_by", Text(max_length=120), required=True, zh="推薦人", en="Recommended by",
              example="王小明（國立公共資訊圖書館）"),
        choice("cost", V.COST, required=True, zh="費用", en="Cost",
               help_zh="free 免費、freemium 部分免費、paid 付費", help_en="free, freemium or paid", example="free"),
        choice("interface_languages", V.LANGUAGE, many=True, min_items=1, required=True,
               zh="介面語言", en="Interface languages", example=["en"], help_zh="", help_en=""),
        choice("audience", V.AUDIENCE, many=True, min_items=1, required=True, zh="適用對象", en="Audience",
               example=["librarians"]),
        Field("checked", Date(), required=True, zh="連結檢查日期", en="Link last checked"),
    ),
    facts=(
        Fact("url"),
        Fact("purpose"),
        Fact("category", brief=True),
        Fact("cost", brief=True),
        Fact("recommended_by", brief=True),
        Fact("interface_languages"),
        Fact("audience", facet="audiences"),
        Fact("checked"),
    ),
    unique=("url",),
    structured_data=_about,
)
