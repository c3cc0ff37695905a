"""Expert answers: practical questions from colleagues, answered by experienced librarians."""

from __future__ import annotations

from ..model.fields import Field, ListOf, Object, Ref, Text
from ..model.facts import in_language
from .base import Fact, Kind, Link, schema


def _expert(e, kb, brief, lang="zh-TW"):
    x = e.data["expert"]
    title = in_language(lang, f"（{x['title']}）", f" ({x['title']})") if x.get("title") else ""
    parts: list = [x["name"] + title]
    if x.get("institution"):
        parts += [in_language(lang, "，", ", "), Link(kb.facet_label("institutions", x["institution"], lang),
                                                     facet="institutions", value=x["institution"])]
    return parts


KIND = Kind(
    id="answer",
    folder="answers",
    zh="達人解答", en="Expert answers",
    description_zh="圖書館工作達人：同道提出的實務問題，與資深館員整理過的解答。",
    description_en="Practical questions from colleagues, answered by experienced practitioners and curated.",
    order=60,
    colour="#1565c0",
    schema=schema(
        Field("question", Text(max_length=500, multiline=True), required=True, zh="問題", en="Question"),
        Field("expert", Object(fields=[
            Field("name", Text(max_length=60), required=True, zh="姓名", en="Name", example="王小明"),
            Field("title", Text(max_length=80), zh="職稱", en="Title", example="採編組組長"),
            Field("institution", Ref("institutions"), zh="機構", en="Institution", example="nlpi"),
            Field("expertise", ListOf(Text(max_length=40)), zh="專長", en="Expertise", example=["館際合作"]),
        ]), required=True, zh="解答達人", en="Answered by"),
    ),
    facts=(
        Fact("expert", brief=True, show=_expert),
        Fact("question"),
        Fact("expert.expertise", show=lambda e, kb, brief, lang="zh-TW": [
            in_language(lang, "、", ", ").join(e.data["expert"].get("expertise", []))]
             if e.data["expert"].get("expertise") else None),
    ),
    body_hint=("解答", "the answer"),
    identity=("question", "expert.name"),
)
