"""Guides the editors curate; a kind's listing points to those carrying its guide tag."""

from __future__ import annotations

from .base import Kind, schema

KIND = Kind(
    id="guide",
    folder="guides",
    zh="實務指南", en="Guides",
    description_zh="編輯小組整理的實務指南，例如如何尋找與經營姐妹圖書館。",
    description_en="How-to guides curated by the editors, e.g. finding and working with a sister library.",
    order=70,
    colour="#6d4c41",
    schema=schema(),
    body_hint=("指南內容", "the guide"),
    holds_guides=True,
)
