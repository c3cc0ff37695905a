"""Project settings (``kb.yml`` beside ``content/``), validated like everything else.

Only limits live here; defaults are documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fields import Context, Field, Integer, Invalid, Object
from .frontmatter import load_yaml_file
from .problems import Problem

MIB = 1024 * 1024

SCHEMA = Object(fields=[
    Field("attachments", Object(fields=[
        Field("max_file_mb", Integer(minimum=1, maximum=1024), zh="單一附件上限（MB）", en="Largest attachment (MB)"),
        Field("max_entry_mb", Integer(minimum=1, maximum=4096), zh="每個條目附件總量上限（MB）",
              en="Largest total of one entry's attachments (MB)"),
    ]), zh="附件", en="Attachments"),
    Field("listing", Object(fields=[
        Field("page_size", Integer(minimum=2, maximum=200), zh="每頁條目數", en="Entries per listing page"),
    ]), zh="列表", en="Listings"),
])


@dataclass(frozen=True)
class Settings:
    max_file_bytes: int = 10 * MIB
    max_entry_bytes: int = 30 * MIB
    page_size: int = 20


def load_settings(project_dir: Path) -> tuple[Settings, list[Problem]]:
    path = Path(project_dir) / "kb.yml"
    if not path.is_file():
        return Settings(), []
    node, loc, problems = load_yaml_file(path, "kb.yml")
    if node is None:
        return Settings(), problems
    try:
        values = SCHEMA.convert(node, Context(loc=loc, problems=problems), "")
    except Invalid:
        return Settings(), problems
    a = values.get("attachments", {})
    defaults = Settings()
    return Settings(
        max_file_bytes=a.get("max_file_mb", defaults.max_file_bytes // MIB) * MIB,
        max_entry_bytes=a.get("max_entry_mb", defaults.max_entry_bytes // MIB) * MIB,
        page_size=values.get("listing", {}).get("page_size", defaults.page_size),
    ), problems
