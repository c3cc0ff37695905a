"""Opening a site: its settings (``kb.yml``) applied before anything reads its kinds or values.

A site says which kinds it uses (``kinds:``) and adds values to the vocabularies
(``vocabularies:``); :func:`open_project` makes the generator's registries follow, so that
validation, pages, forms, snippets and the editor see the same site. One process works on one
site at a time: every command and every build opens its site first (a test opening several
sites in turn gets each as it is written).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Problem, problem
from ..kinds import ALL_KINDS, select
from ..model import vocab
from ..model.settings import Settings, load_settings, positions
from ..model.siteinfo import ENGINE_CONFIG, SiteInfo


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings
    problems: list[Problem] = field(default_factory=list)


def open_project(root: Path) -> Project:
    """The site at ``root`` with its settings applied; the problems of kb.yml (a kind that does
    not exist named on its own line). A kb.yml with errors applies nothing of what it says
    (its settings are the defaults): commands that write files refuse to go on (:func:`refuse_broken`)."""
    root = Path(root)
    vocab.use_site_terms({})  # the defaults: nothing of a site opened before
    settings, problems = load_settings(root)
    if settings.vocabularies:  # its own values first, then kb.yml again: license: may name one it adds
        vocab.use_site_terms(settings.vocabularies)
        settings, problems = load_settings(root)
    unknown = select(settings.kinds)
    if unknown:
        where = positions(root, "kinds")
        ids = list(settings.kinds or ())
        for kind_id in unknown:
            line, col = where[ids.index(kind_id)] if len(where) == len(ids) else (1, 1)
            problems.append(problem("kb.yml", line, col, "kb-kind-unknown", value=kind_id,
                                    kinds=", ".join(ALL_KINDS)))
    vocab.use_site_terms(settings.vocabularies or {})
    return Project(root, settings, problems)


def _engine_line(root: Path, key: str) -> int:
    """The line of ``key:`` at the top level of mkdocs.yml (1 when not found)."""
    try:
        lines = (root / ENGINE_CONFIG).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)


def pages_address(repository: str, domain: str | None = None) -> str:
    """Where GitHub Pages publishes ``owner/name``: its custom domain, the owner's own site
    (a repository named owner.github.io) or the project site below it."""
    if domain:
        return f"https://{domain}/"
    owner, _, name = repository.partition("/")
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"


def identity_problems(project: Project, site: SiteInfo, environ=None) -> list[Problem]:
    """In GitHub Actions (GITHUB_REPOSITORY set), the site must say it is this repository's: its
    address where this repository publishes (or its custom domain), its repository this one,
    the web editor saving here. A copy of another site left unchanged would otherwise publish
    feeds, sitemap and share links pointing at the other site, and an editor saving there."""
    env = os.environ if environ is None else environ
    here = (env.get("GITHUB_REPOSITORY") or "").strip()
    if not here or env.get("GITHUB_ACTIONS") != "true":
        return []
    out: list[Problem] = []
    root = project.root
    named = site.repository
    if named is not None and named.lower() != here.lower():
        out.append(problem(ENGINE_CONFIG, _engine_line(root, "repo_url"), 1, "site-repository-mismatch",
                           repo=named, expected=here))
    expected = pages_address(here, project.settings.domain)
    if site.site_url.rstrip("/").lower() + "/" != expected.lower():
        out.append(problem(ENGINE_CONFIG, _engine_line(root, "site_url"), 1, "site-url-mismatch",
                           url=site.site_url or "（未設定 unset）", expected=expected))
    editor = project.settings.editor_repo
    if project.settings.editor_enabled and editor and editor.lower() != here.lower():
        line, col = (positions(root, "editor.repo") or [(1, 1)])[0]
        out.append(problem("kb.yml", line, col, "editor-repo-mismatch", repo=editor, expected=here))
    return out


class BrokenSettings(Exception):
    """kb.yml has errors: a command that writes files from it stops (the problems are attached)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("kb.yml 有錯誤 / kb.yml has errors")
        self.problems = problems


def refuse_broken(project: Project) -> Project:
    """The project, or BrokenSettings when its kb.yml has errors: writing forms or snippets from
    defaults it fell back to would delete the forms of the kinds it names, or list none of its values."""
    errors = [p for p in project.problems if p.level.value == "error"]
    if errors:
        raise BrokenSettings(errors)
    return project
