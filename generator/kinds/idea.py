"""Practice-improvement ideas: a problem, an idea, what was done and what it changed."""

from __future__ import annotations

from ..model.fields import Field, ListOf, Object, Ref, Text, Year
from .base import Fact, Kind, Section, measure_rows, measures, schema


def _award(e, kb, brief):
    a = e.data.get("award")
    return [" ".join(x for x in (a.get("by"), a["name"], a.get("rank")) if x)] if a else None


KIND = Kind(
    id="idea",
    folder="ideas",
    zh="實務改善金點子", en="Practice-improvement ideas",
    description_zh="實務工作改善金點子：遇到的問題、想出的點子、實際做法與量得的成果。",
    description_en="Practice-improvement ideas: the problem, the idea, what was done and the measured result.",
    order=50,
    colour="#2e7d32",
    schema=schema(
        Field("problem", Text(max_length=300, multiline=True), required=True, zh="問題", en="Problem"),
        Field("idea", Text(max_length=300, multiline=True), required=True, zh="點子", en="Idea"),
        Field("year", Year(), required=True, zh="年度", en="Year", example=2016),
        Field("institutions", ListOf(Ref("institutions"), min_items=1), required=True, zh="提案機構",
              en="Institutions", example=["nkust-lib"]),
        Field("team", ListOf(Text(max_length=60)), zh="團隊成員", en="Team", example=["王小明"]),
        Field("award", Object(fields=[
            Field("name", Text(max_length=120), required=True, zh="獎項", en="Award", example="實務工作改善計畫"),
            Field("rank", Text(max_length=40), zh="名次", en="Rank", example="優勝"),
            Field("by", Text(max_length=120), zh="頒發單位", en="Awarded by", example="中華民國圖書館學會"),
        ]), zh="獲獎", en="Award"),
        measures("results", "量化成果", "Measured results", ("處理天數", 3, "天")),
    ),
    facts=(
        Fact("year", brief=True, facet="years"),
        Fact("institutions", brief=True, facet="institutions"),
        Fact("award", brief=True, show=_award),
        Fact("problem"),
        Fact("idea"),
        Fact("team"),
        measure_rows("results"),
    ),
    sections=[
        Section("做法", "What was done", ("實施", "執行", "implementation")),
        Section("成果", "Results", ("result", "成效")),
    ],
    identity=("year", "institutions", "idea"),
)
