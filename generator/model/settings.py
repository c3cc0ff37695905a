"""Project settings (``kb.yml`` beside ``content/``), validated like everything else.

Limits, and whether the site carries the web editor (``editor:``, see ``contribute/editor/admin.py``);
defaults are documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.problems import Problem, problem
from ..source.frontmatter import load_yaml_file
from .fields import Boolean, Context, Field, Integer, Invalid, Object, Text, Url

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
    Field("editor", Object(fields=[
        Field("enabled", Boolean(), zh="在網站加上網頁編輯器（/admin/）", en="Publish the web editor at /admin/"),
        Field("repo", Text(max_length=140), zh="GitHub 儲存庫（擁有者/名稱）", en="GitHub repository (owner/name)"),
        Field("branch", Text(max_length=100), zh="分支", en="Branch"),
        Field("base_url", Url(), zh="GitHub 登入服務（OAuth）的網址", en="The GitHub sign-in (OAuth) service"),
        Field("auth_endpoint", Text(max_length=200), zh="登入服務的路徑", en="The sign-in service's path"),
        Field("site_domain", Text(max_length=200), zh="以 Netlify 登入時：Netlify 網站的網域",
              en="With Netlify as the sign-in service: the Netlify site's domain"),
    ]), zh="網頁編輯器", en="Web editor"),
])


@dataclass(frozen=True)
class Settings:
    max_file_bytes: int = 10 * MIB
    max_entry_bytes: int = 30 * MIB
    page_size: int = 20
    editor_enabled: bool = False
    editor_repo: str | None = None
    editor_branch: str = "main"
    editor_base_url: str | None = None
    editor_auth_endpoint: str | None = None
    editor_site_domain: str | None = None


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
    ed = values.get("editor", {})
    defaults = Settings()
    if ed.get("enabled") and not ed.get("repo"):  # reported on the editor: line
        key = next((k for k, _ in node.value if getattr(k, "value", None) == "editor"), node)
        problems.append(problem("kb.yml", *loc.pos(key), "editor-repo-missing"))
    return Settings(
        max_file_bytes=a.get("max_file_mb", defaults.max_file_bytes // MIB) * MIB,
        max_entry_bytes=a.get("max_entry_mb", defaults.max_entry_bytes // MIB) * MIB,
        page_size=values.get("listing", {}).get("page_size", defaults.page_size),
        editor_enabled=bool(ed.get("enabled")),
        editor_repo=ed.get("repo"),
        editor_branch=ed.get("branch", defaults.editor_branch),
        editor_base_url=ed.get("base_url"),
        editor_auth_endpoint=ed.get("auth_endpoint"),
        editor_site_domain=ed.get("site_domain"),
    ), problems
