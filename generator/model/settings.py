"""Project settings (``kb.yml`` beside ``content/``), validated like everything else.

Each option is declared once, as a field of :class:`Settings` made by :func:`option`: its key
in ``kb.yml``, its field type with labels, its default and how the written value is stored.
The schema ``kb.yml`` is validated against (:data:`SCHEMA`) and the loading are derived from
those declarations; the README documents each option and its default.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from ..core.problems import Problem, problem
from ..source.frontmatter import load_yaml_file
from yaml.nodes import MappingNode, SequenceNode

from .fields import Boolean, Choice, Context, Field, FieldType, Integer, Invalid, ListOf, Object, Text, Url
from .siteinfo import repository_of
from .vocab import LICENSE as LICENSES
from .vocab import Vocabulary

MIB = 1024 * 1024

# The groups of kb.yml, in order, with their labels; an option without a group is a key of its own.
GROUPS = {
    "site": ("網站", "Site"),
    "license": ("授權", "Licence"),
    "attachments": ("附件", "Attachments"),
    "listing": ("列表", "Listings"),
    "editor": ("網頁編輯器", "Web editor"),
    "discussion": ("條目討論（GitHub Discussions，經 Giscus）", "Discussion of entries (GitHub Discussions through Giscus)"),
}
REPOSITORY_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class Repository(Text):
    """A GitHub repository as owner/name."""

    def convert(self, node, ctx, name):
        value = super().convert(node, ctx, name).strip()
        if not REPOSITORY_RE.match(value) or value.endswith((".git", "/")):
            ctx.report(node, "kb-repository-form", field=name, value=value)
            raise Invalid
        return value


class Domain(Text):
    """A host name, as a custom domain of GitHub Pages is given (kb.example.org)."""

    def convert(self, node, ctx, name):
        value = super().convert(node, ctx, name).strip().lower().rstrip(".")
        if not DOMAIN_RE.match(value):
            ctx.report(node, "kb-domain-form", field=name, value=value)
            raise Invalid
        return value


@dataclass
class GiscusId(Text):
    """A GitHub node id as giscus.app shows it for the repository (``R_…``) or the category (``DIC_…``)."""

    prefix: str = "R_"

    def convert(self, node, ctx, name):
        value = super().convert(node, ctx, name)
        if not re.fullmatch(re.escape(self.prefix) + r"[A-Za-z0-9_-]{4,76}", value):
            ctx.report(node, "kb-giscus-id", field=name, value=value, prefix=self.prefix)
            raise Invalid
        return value


# How a page finds its discussion (Giscus's data-mapping): by the entry's id (the same discussion
# wherever the page moves, and for every language of it), or by the page's path.
DISCUSSION_MAPPING = Vocabulary("discussion_mapping", [
    ("specific", "條目代碼（例如 jobs/librarian-2024），網址改了也不變", "the entry's id (e.g. jobs/librarian-2024), kept when addresses change"),
    ("pathname", "網頁的路徑", "the page's path"),
])


class SiteTerms(FieldType):
    """``vocabularies:``: a site's own values and labels, vocabulary -> id -> {zh, en}."""

    json_type = "object"

    def convert(self, node, ctx, name):
        from . import vocab as V

        if not isinstance(node, MappingNode):
            ctx.report(node, "type-mapping", field=name)
            raise Invalid
        out: dict[str, dict[str, tuple[str, str]]] = {}
        ok = True
        for key_node, value_node in node.value:
            vocab_name = str(key_node.value)
            if vocab_name not in V.VOCABULARIES or vocab_name in V.FIXED:
                ctx.report(key_node, "kb-vocabulary-unknown", field=f"{name}.{vocab_name}", key=vocab_name,
                           keys=", ".join(n for n in V.VOCABULARIES if n not in V.FIXED),
                           suggestions=ctx.suggest(vocab_name, lambda: [n for n in V.VOCABULARIES if n not in V.FIXED]))
                ok = False
                continue
            try:
                out[vocab_name] = _TERMS.convert(value_node, ctx, f"{name}.{vocab_name}")
            except Invalid:
                ok = False
        if not ok:
            raise Invalid
        return out


class _Terms(FieldType):
    """One vocabulary's site values: id -> {zh, en}."""

    def convert(self, node, ctx, name):
        if not isinstance(node, MappingNode):
            ctx.report(node, "type-mapping", field=name)
            raise Invalid
        out: dict[str, tuple[str, str]] = {}
        ok = True
        for key_node, value_node in node.value:
            term = str(key_node.value)
            if not TERM_ID_RE.match(term):
                ctx.report(key_node, "kb-term-id", field=f"{name}.{term}", value=term)
                ok = False
                continue
            try:
                labels = _LABELS.convert(value_node, ctx, f"{name}.{term}")
            except Invalid:
                ok = False
                continue
            out[term] = (labels["zh"], labels["en"])
        if not ok:
            raise Invalid
        return out


TERM_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,60}$")  # CC-BY-4.0 is an id
_TERMS = _Terms()
_LABELS = Object(fields=[
    Field("zh", Text(max_length=60), required=True, zh="中文名稱", en="zh-TW label"),
    Field("en", Text(max_length=80), required=True, zh="英文名稱", en="English label"),
], unknown_code="kb-key-unknown")


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
    # The site's identity is the engine's configuration (mkdocs.yml: site_name, site_description,
    # site_url, repo_url, edit_uri), where MkDocs users look for it; kb.yml adds what it lacks.
    site_name_en: str | None = option("site.name_en", Text(max_length=80), None, "英文網站名稱", "Site name in English")
    site_description_en: str | None = option("site.description_en", Text(max_length=300), None,
                                             "英文網站簡介", "Description in English")
    site_intro: str | None = option("site.intro", Text(max_length=600, multiline=True), None,
                                    "首頁的介紹文字", "The home page's introduction")
    site_intro_en: str | None = option("site.intro_en", Text(max_length=800, multiline=True), None,
                                       "首頁的英文介紹", "The home page's introduction in English")
    domain: str | None = option("site.domain", Domain(max_length=253), None,
                                "自訂網域（GitHub Pages）", "Custom domain (GitHub Pages)")
    content_license: str = option("license.content", Choice(LICENSES), "CC-BY-4.0",
                                  "內容的授權", "Licence of the content")
    # The kinds this site uses (ids, `kb new` names); unset: every kind of the generator.
    kinds: tuple[str, ...] | None = option("kinds", ListOf(Text(max_length=40), min_items=1), None,
                                           "使用的種類", "Kinds this site uses", tuple)
    vocabularies: dict | None = option("vocabularies", SiteTerms(), None, "自訂的詞彙", "The site's own vocabulary values")
    max_file_bytes: int = option("attachments.max_file_mb", Integer(minimum=1, maximum=1024), 10 * MIB,
                                 "單一附件上限（MB）", "Largest attachment (MB)", _mib, _in_mib)
    max_entry_bytes: int = option("attachments.max_entry_mb", Integer(minimum=1, maximum=4096), 30 * MIB,
                                  "每個條目附件總量上限（MB）", "Largest total of one entry's attachments (MB)",
                                  _mib, _in_mib)
    english: bool = option("site.english", Boolean(), True,
                           "網站的英文版（/en/）", "The site in English (under /en/)")
    page_size: int = option("listing.page_size", Integer(minimum=2, maximum=200), 20,
                            "每頁條目數", "Entries per listing page")
    editor_enabled: bool = option("editor.enabled", Boolean(), False,
                                  "在網站加上網頁編輯器（/admin/）", "Publish the web editor at /admin/")
    # Unset: the site's repository and branch (mkdocs.yml: repo_url, edit_uri).
    editor_repo: str | None = option("editor.repo", Repository(max_length=140), None,
                                     "GitHub 儲存庫（擁有者/名稱）", "GitHub repository (owner/name)")
    editor_branch: str | None = option("editor.branch", Text(max_length=100), None, "分支", "Branch")
    editor_base_url: str | None = option("editor.base_url", Url(), None,
                                         "GitHub 登入服務（OAuth）的網址", "The GitHub sign-in (OAuth) service")
    editor_auth_endpoint: str | None = option("editor.auth_endpoint", Text(max_length=200), None,
                                              "登入服務的路徑", "The sign-in service's path")
    editor_site_domain: str | None = option("editor.site_domain", Text(max_length=200), None,
                                            "以 Netlify 登入時：Netlify 網站的網域",
                                            "With Netlify as the sign-in service: the Netlify site's domain")
    # Off by default: nothing of it is on a page, and no page asks giscus.app or github.com anything.
    discussion_enabled: bool = option("discussion.enabled", Boolean(), False,
                                      "在條目頁加上討論（讀者按下按鈕才載入）",
                                      "Discussion on entry pages (loaded when the reader asks)")
    # Unset: the site's repository (mkdocs.yml: repo_url).
    discussion_repo: str | None = option("discussion.repo", Repository(max_length=140), None,
                                         "存放討論的 GitHub 儲存庫（擁有者/名稱）",
                                         "GitHub repository of the discussions (owner/name)")
    discussion_repo_id: str | None = option("discussion.repo_id", GiscusId(max_length=80, prefix="R_"), None,
                                            "儲存庫的代碼（giscus.app 顯示的 data-repo-id）",
                                            "The repository's id (data-repo-id, shown by giscus.app)")
    discussion_category: str | None = option("discussion.category", Text(max_length=100), None,
                                             "討論分類的名稱", "The discussion category's name")
    discussion_category_id: str | None = option("discussion.category_id", GiscusId(max_length=80, prefix="DIC_"), None,
                                                "討論分類的代碼（data-category-id）",
                                                "The category's id (data-category-id)")
    discussion_mapping: str = option("discussion.mapping", Choice(DISCUSSION_MAPPING), "specific",
                                     "頁面對應討論的方式：specific（條目代碼）或 pathname（網頁路徑）",
                                     "How a page finds its discussion: specific (the entry's id) or pathname")


OPTIONS = tuple(f for f in dataclasses.fields(Settings) if "key" in f.metadata)


def _schema() -> Object:
    groups: dict[str, list[Field]] = {g: [] for g in GROUPS}
    top: list[Field] = []
    for f in OPTIONS:
        group, dot, _ = f.metadata["key"].partition(".")
        (groups[group] if dot else top).append(f.metadata["field"])
    return Object(fields=[*(Field(g, Object(fields=fields, unknown_code="kb-key-unknown"), zh=GROUPS[g][0], en=GROUPS[g][1])
                            for g, fields in groups.items()), *top], unknown_code="kb-key-unknown")


SCHEMA = _schema()


OPTIONS_START = "<!-- kb-options:start -->"
OPTIONS_END = "<!-- kb-options:end -->"


def options_table() -> str:
    """Every option of kb.yml as a Markdown table, written from the declarations (kb sync puts it
    into the README between OPTIONS_START and OPTIONS_END)."""
    rows = ["| key | default | 說明 | meaning |", "|---|---|---|---|"]
    for f in OPTIONS:
        field = f.metadata["field"]
        default = f.metadata["written"](f.default)
        if default is None:
            shown = "(all)" if f.name == "kinds" else ""
        else:
            shown = f"`{str(default).lower() if isinstance(default, bool) else default}`"
        rows.append(f"| `{f.metadata['key']}` | {shown} | {field.zh} | {field.en} |")
    return "\n".join(rows) + "\n"


def load_settings(project_dir: Path) -> tuple[Settings, list[Problem]]:
    path = Path(project_dir) / "kb.yml"
    if not path.is_file():
        return Settings(), []
    node, loc, problems = load_yaml_file(path, "kb.yml")
    if node is None:
        return Settings(), problems
    try:
        values = SCHEMA.convert(node, Context(loc=loc, problems=problems), "")
    except Invalid:  # reported; what is valid still counts (a wrong page size keeps the site's kinds)
        values = _valid_parts(node, loc)
    given = {}
    for f in OPTIONS:
        group, dot, name = f.metadata["key"].partition(".")
        if dot and name in values.get(group, {}):
            given[f.name] = f.metadata["stored"](values[group][name])
        elif not dot and group in values:
            given[f.name] = f.metadata["stored"](values[group])
    settings = Settings(**given)
    if settings.editor_enabled and not (settings.editor_repo or repository_of(project_dir)):  # on the editor: line
        key = next((k for k, _ in node.value if getattr(k, "value", None) == "editor"), node)
        problems.append(problem("kb.yml", *loc.pos(key), "editor-repo-missing"))
    if settings.discussion_enabled:  # on the discussion: line, naming what it lacks (a wrong value is reported already)
        key, group = next(((k, v) for k, v in node.value if getattr(k, "value", None) == "discussion"), (node, None))
        written = {getattr(k, "value", None) for k, _ in group.value} if isinstance(group, MappingNode) else set()
        missing = [name for name, value in (("repo", settings.discussion_repo or repository_of(project_dir)),
                                            ("repo_id", settings.discussion_repo_id),
                                            ("category", settings.discussion_category),
                                            ("category_id", settings.discussion_category_id))
                   if not value and name not in written]
        if missing:
            problems.append(problem("kb.yml", *loc.pos(key), "discussion-incomplete", missing=", ".join(missing)))
    return settings, problems


def _valid_parts(node, loc) -> dict[str, Any]:
    """The top-level keys of kb.yml that convert without a problem (those with one are reported
    by the whole conversion already), and within a group its valid options."""
    out: dict[str, Any] = {}
    if not isinstance(node, MappingNode):
        return out
    known = SCHEMA.field_map()
    for key_node, value_node in node.value:
        f = known.get(str(getattr(key_node, "value", "")))
        if f is None:
            continue
        try:
            out[f.name] = f.type.convert(value_node, Context(loc=loc, problems=[]), f.name)
        except Invalid:
            if isinstance(f.type, Object) and isinstance(value_node, MappingNode):
                inner = f.type.field_map()
                part = {}
                for k, v in value_node.value:
                    g = inner.get(str(getattr(k, "value", "")))
                    if g is not None:
                        with contextlib.suppress(Invalid):
                            part[g.name] = g.type.convert(v, Context(loc=loc, problems=[]), f"{f.name}.{g.name}")
                out[f.name] = part
    return out


def positions(project_dir: Path, key: str) -> list[tuple[int, int]]:
    """Where kb.yml writes ``key`` (``kinds``: each item; ``editor.repo``: the value), for checks made
    above this layer (a kind's id, the site's address); [] when kb.yml does not write it."""
    path = Path(project_dir) / "kb.yml"
    if not path.is_file():
        return []
    node, loc, _ = load_yaml_file(path, "kb.yml")
    for part in key.split("."):
        if not isinstance(node, MappingNode):
            return []
        node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
    if node is None:
        return []
    items = node.value if isinstance(node, SequenceNode) else [node]
    return [loc.pos(n) for n in items]
