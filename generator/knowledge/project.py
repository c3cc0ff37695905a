"""Opening a site: its settings (``kb.yml``) applied before anything reads its kinds or values.

A site says which kinds it uses (``kinds:``) and adds values to the vocabularies
(``vocabularies:``); :func:`open_project` makes the generator's registries follow, so that
validation, pages, forms, snippets and the editor see the same site. One process works on one
site at a time: every command and every build opens its site first (a test opening several
sites in turn gets each as it is written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Problem, problem
from ..kinds import ALL_KINDS, select
from ..model import vocab
from ..model.settings import Settings, load_settings, positions


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings
    problems: list[Problem] = field(default_factory=list)


def open_project(root: Path) -> Project:
    """The site at ``root`` with its settings applied; the problems of kb.yml (a kind that does
    not exist named on its own line)."""
    root = Path(root)
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
