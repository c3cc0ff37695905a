"""Information-literacy lesson plans with their materials."""

from __future__ import annotations

from ..model import vocab as V
from ..model.facts import numbered
from ..model.fields import Field, Integer, ListOf, Text
from ..model.siteinfo import LICENSE_URLS
from . import _schemaorg as S
from .base import CitationStyle, Fact, Kind, Section, choice, schema

ACRL_FRAMEWORK = "ACRL Framework for Information Literacy for Higher Education"


def _learning_resource(e, kb) -> dict:
    """schema.org LearningResource: what it teaches (its outcomes), for whom (educationalLevel),
    what it is (learningResourceType: schema.org's own example says "lesson plan"), how long,
    and the ACRL frames it is aligned with. Google reads LearningResource only beside a video
    (developers.google.com/search/docs/appearance/structured-data/learning-video), and there
    asks for learningResourceType and educationalLevel; both are here. The plan's own licence
    is its licence (none with a deed: all rights reserved)."""
    d = e.data
    licence = d.get("license", "CC-BY-4.0")
    return {**S.compact({
        "@type": "LearningResource",
        "learningResourceType": "lesson plan",
        "educationalLevel": [V.AUDIENCE.label(a) for a in d["audience"]],
        "teaches": d["outcomes"],
        "about": d["discipline"],
        "timeRequired": f"PT{d['duration_minutes']}M",
        "educationalAlignment": [{"@type": "AlignmentObject", "alignmentType": "teaches",
                                  "educationalFramework": ACRL_FRAMEWORK, "targetName": V.ACRL_FRAME.label(f, "en")}
                                 for f in d.get("frames", [])],
    }), "license": LICENSE_URLS.get(licence)}  # None: no licence lets anyone reuse it, not even the site's


KIND = Kind(
    id="lesson-plan",
    folder="lesson-plans",
    zh="資訊素養教案", en="Lesson plans",
    description_zh="資訊素養教學的教案與教材：對象、學習目標、活動、評量與可下載的教材。",
    description_en="Information-literacy lesson plans with outcomes, activities, assessment and materials.",
    order=40,
    colour="#c2185b",
    schema=schema(
        choice("audience", V.AUDIENCE, many=True, min_items=1, required=True, zh="對象", en="Audience level",
               example=["undergraduates"]),
        Field("discipline", Text(max_length=80), required=True, zh="學科領域", en="Discipline", example="通識教育"),
        Field("duration_minutes", Integer(minimum=1, maximum=6000, units=("分鐘", "分")), required=True, zh="時間（分鐘）",
              en="Duration (minutes)", example=100),
        Field("outcomes", ListOf(Text(max_length=200), min_items=1), required=True, zh="學習目標",
              en="Learning outcomes"),
        choice("frames", V.ACRL_FRAME, many=True, zh="ACRL 架構", en="ACRL Framework frames",
               example=["exploration"]),
        choice("license", V.LICENSE, default="CC-BY-4.0", zh="授權", en="Licence"),
    ),
    facts=(
        Fact("audience", brief=True, facet="audiences"),
        Fact("discipline", brief=True),
        Fact("duration_minutes", brief=True, unit=" 分鐘", unit_en=" minutes"),
        Fact("outcomes", show=lambda e, kb, brief: numbered(e.data["outcomes"])),
        Fact("frames"),
        Fact("license"),
    ),
    citation=CitationStyle("教案", "Lesson plan"),
    sections=[
        Section("教學活動", "Activities", ("活動流程", "activity")),
        Section("評量", "Assessment"),
    ],
    structured_data=_learning_resource,
)
