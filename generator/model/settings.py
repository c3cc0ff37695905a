"""Project settings (``kb.yml`` beside ``content/``), validated like everything else.

Each option is declared once, as a field of :class:`Settings` made by :func:`option`: its key
in ``kb.yml``, its field type with labels, its default and how the written value is stored.
The schema ``kb.yml`` is validated against (:data:`SCHEMA`) and the loading are derived from
those declarations; the README documents each option and its default.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from ..core.problems import Problem, problem
from ..source.frontmatter import load_yaml_file
from .fields import Boolean, Context, Field, FieldType, Integer, Invalid, Object, Text, Url

MIB = 1024 * 1024

# The groups of kb.yml, in order, with their labels.
GROUPS = {
    "attachments": ("附件", "Attachments"),
    "listing": ("列表", "Listings"),
    "editor": ("網頁編輯器", "Web editor"),
}


def option(key: str, ftype: FieldType, default: Any, zh: str, en: str,
           stored: Callable[[Any], Any] | None = None, written: Callable[[Any], Any] | None = None) -> Any:
    """One option: ``key`` is ``group.name`` in kb.yml. ``stored`` turns the written value into
    the setting (MB into bytes), ``written`` the default back into what kb.yml would say."""
    return dataclasses.field(default=default, metadata={
        "key": key, "field": Field(key.rpartition(".")[2], ftype, zh=zh, en=en),
        "stored": stored or (lambda v: v), "written": written or (lambda v: v)})


def _mib(v: int) -> int:
    return v * MIB


def _in_mib(v: int) -> int:
    return v // MIB


@dataclass(frozen=True)
class Settings:
    max_file_bytes: int = option("attachments.max_file_mb", Integer(minimum=1, maximum=1024), 10 * MIB,
                                 "單一附件上限（MB）", "Largest attachment (MB)", _mib, _in_mib)
    max_entry_bytes: int = option("attachments.max_entry_mb", Integer(minimum=1, maximum=4096), 30 * MIB,
                                  "每個條目附件總量上限（MB）", "Largest total of one entry's attachments (MB)",
                                  _mib, _in_mib)
    page_size: int = option("listing.page_size", Integer(minimum=2, maximum=200), 20,
                            "每頁條目數", "Entries per listing page")
    editor_enabled: bool = option("editor.enabled", Boolean(), False,
                                  "在網站加上網頁編輯器（/admin/）", "Publish the web editor at /admin/")
    editor_repo: str | None = option("editor.repo", Text(max_length=140), None,
                                     "GitHub 儲存庫（擁有者/名稱）", "GitHub repository (owner/name)")
    editor_branch: str = option("editor.branch", Text(max_length=100), "main", "分支", "Branch")
    editor_base_url: str | None = option("editor.base_url", Url(), None,
                                         "GitHub 登入服務（OAuth）的網址", "The GitHub sign-in (OAuth) service")
    editor_auth_endpoint: str | None = option("editor.auth_endpoint", Text(max_length=200), None,
                                              "登入服務的路徑", "The sign-in service's path")
    editor_site_domain: str | None = option("editor.site_domain", Text(max_length=200), None,
                                            "以 Netlify 登入時：Netlify 網站的網域",
                                            "With Netlify as the sign-in service: the Netlify site's domain")


OPTIONS = tuple(f for f in dataclasses.fields(Settings) if "key" in f.metadata)


def _schema() -> Object:
    groups: dict[str, list[Field]] = {g: [] for g in GROUPS}
    for f in OPTIONS:
        groups[f.metadata["key"].partition(".")[0]].append(f.metadata["field"])
    return Object(fields=[Field(g, Object(fields=fields), zh=GROUPS[g][0], en=GROUPS[g][1])
                          for g, fields in groups.items()])


SCHEMA = _schema()


def defaults_as_written() -> dict[str, dict[str, Any]]:
    """Every option's default as kb.yml would say it (for documentation and ``kb init``)."""
    out: dict[str, dict[str, Any]] = {}
    for f in OPTIONS:
        group, _, name = f.metadata["key"].partition(".")
        out.setdefault(group, {})[name] = f.metadata["written"](f.default)
    return out


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
    given = {}
    for f in OPTIONS:
        group, _, name = f.metadata["key"].partition(".")
        if name in values.get(group, {}):
            given[f.name] = f.metadata["stored"](values[group][name])
    settings = Settings(**given)
    if settings.editor_enabled and not settings.editor_repo:  # reported on the editor: line
        key = next((k for k, _ in node.value if getattr(k, "value", None) == "editor"), node)
        problems.append(problem("kb.yml", *loc.pos(key), "editor-repo-missing"))
    return settings, problems
