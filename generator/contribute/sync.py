"""``kb sync [--check]``: every file the generator writes for a site, brought up to date in one step.

A site commits files made from its kinds, registries and messages, so that GitHub and the
editors read them as they are:

* the issue forms, one per kind, and their ``config.yml`` (``.github/ISSUE_TEMPLATE/``); the
  form of a kind there no longer is goes (a form the site wrote by hand stays);
* the editor snippets (``.vscode/kb.code-snippets``);
* the problem-code table of the contributor guide (between the markers of ``CONTRIBUTING.md``,
  when the guide has them);
* the table of kb.yml's options in ``README.md`` (between its markers, when it has them);
* in a site made by ``kb init``, its copies of the engine's files the generator owns
  (``hooks/kb_hooks.py``, ``overrides/``): after an upgrade, they follow the generator.

The web editor's configuration (Decap's ``config.yml`` and ``kb-rules.json``) is not committed:
every build writes it from the same declarations. ``--check`` writes nothing and names each
stale file (CI runs it: a kind added without ``kb sync`` fails the pull request).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..knowledge.project import open_project, refuse_broken
from ..model import settings
from ..model.registries import load_registries
from ..validation import catalogue_doc
from . import snippets
from .issues import forms

GUIDE = Path("CONTRIBUTING.md")
# Where the engine's files, workflows and configuration a site copies come from: the wheel carries
# them under generator/data/site/ (setup.py); a checkout (an editable install) has them where they are.
_PACKAGED = Path(__file__).resolve().parents[1] / "data" / "site"
CHECKOUT = Path(__file__).resolve().parents[2]
SOURCE = _PACKAGED if (_PACKAGED / "mkdocs.yml").is_file() else CHECKOUT
# The engine's files the generator owns, which a site made by kb init holds a copy of.
ENGINE_FILES = ("hooks/__init__.py", "hooks/kb_hooks.py", "overrides")
# The generator's dependencies locked with their hashes (its requirements/site.txt, made by
# `make lock`): a site's workflows install them from its copy with --require-hashes, then the
# generator itself from requirements.txt with --no-deps. The generator's, like the engine's files.
LOCK = Path("requirements/site.txt")
SITE_LOCK = Path("requirements-lock.txt")
SITE_LOCK_HEADER = (
    "# 產生器的相依套件，連同雜湊值鎖定（產生器的 requirements/site.txt）；kb sync 讓它跟著安裝的產生器，請勿手動修改。\n"
    "# The generator's dependencies, locked with their hashes by the generator (its requirements/site.txt).\n"
    "# CI installs them from here with --require-hashes, then the generator (requirements.txt) with --no-deps.\n"
    "# kb sync keeps this file equal to the installed generator's lock: do not edit it (README: Upgrading).\n")
README = Path("README.md")


@dataclass(frozen=True)
class Change:
    path: Path  # relative to the site's root
    text: str | None  # the file's new text; None: the file goes
    reason: tuple[str, str] | None = None  # what --check says instead of "stale" (zh-TW, English)

    @property
    def deletes(self) -> bool:
        return self.text is None


def _differs(root: Path, rel: Path, text: str) -> bool:
    path = root / rel
    return not path.is_file() or path.read_text(encoding="utf-8") != text


def changes(root: Path) -> list[Change]:
    """What ``kb sync`` would write or delete under ``root``: nothing when every file is current.
    BrokenSettings when kb.yml has errors (nothing is planned from defaults it fell back to)."""
    refuse_broken(open_project(root))
    out: list[Change] = []
    files = forms.expected_files(root)  # opens the site: its kinds and vocabulary values
    registries, _ = load_registries(root / "content")
    out += [Change(rel, text) for rel, text in files.items() if _differs(root, rel, text)]
    out += [Change(rel, None) for rel in forms.orphans(root, files)]
    wanted = snippets.text(registries)
    if _differs(root, snippets.TARGET, wanted):
        out.append(Change(snippets.TARGET, wanted))
    readme = root / README
    if readme.is_file():  # the generator's own README documents kb.yml from its declarations
        document = readme.read_text(encoding="utf-8")
        start, end = document.find(settings.OPTIONS_START), document.find(settings.OPTIONS_END)
        if 0 <= start < end:
            updated = document[:start + len(settings.OPTIONS_START)] + "\n" + settings.options_table() + document[end:]
            if updated != document:
                out.append(Change(README, updated))
    out += _engine_changes(root)
    out += _lock_changes(root)
    out += _override_changes(root)
    guide = root / GUIDE
    if guide.is_file():
        document = guide.read_text(encoding="utf-8")
        if catalogue_doc.START in document and catalogue_doc.END in document:
            updated = catalogue_doc.updated(document)
            if updated != document:
                out.append(Change(GUIDE, updated))
    return out


def _engine_changes(root: Path) -> list[Change]:
    """A site's copies of the engine's files (kb init wrote them) as the generator has them now:
    after an upgrade, its hook and theme overrides follow. The generator's own checkout is the
    source, never synced; a site without a copy (it builds from elsewhere) is left alone."""
    if root.resolve() in (SOURCE, CHECKOUT) or not (root / "hooks" / "kb_hooks.py").is_file():
        return []
    out = []
    for rel in ENGINE_FILES:
        source = SOURCE / rel
        for f in sorted(source.rglob("*")) if source.is_dir() else [source]:
            if f.is_file() and "__pycache__" not in f.parts:
                path = Path(rel) / f.relative_to(source) if source.is_dir() else Path(rel)
                text = f.read_text(encoding="utf-8")
                if _differs(root, path, text):
                    out.append(Change(path, text))
    return out


def site_lock() -> str | None:
    """The text of a site's requirements-lock.txt for the installed generator; None when the
    installed generator carries no lock."""
    source = SOURCE / LOCK
    return SITE_LOCK_HEADER + source.read_text(encoding="utf-8") if source.is_file() else None


def _lock_changes(root: Path) -> list[Change]:
    """A site made by kb init installs the generator's dependencies from its copy of the
    generator's lock: after an upgrade, the copy follows (a site made before there was a lock
    gets one, and its workflows' install step is the owner's to change: CHANGELOG)."""
    if root.resolve() in (SOURCE, CHECKOUT) or not (root / "hooks" / "kb_hooks.py").is_file():
        return []
    text = site_lock()
    return [Change(SITE_LOCK, text)] if text is not None and _differs(root, SITE_LOCK, text) else []


GENERATOR_TEMPLATES = Path(__file__).resolve().parents[1] / "site" / "templates"
OVERRIDES = Path("overrides") / "kb"  # a site's own page templates, over the generator's (site/render.py)
UPSTREAM_RECORD = Path(".kb-upstream.json")  # beside kb.yml: nothing in overrides/ but templates (the engine copies that folder)


def _override_changes(root: Path) -> list[Change]:
    """A site's own page templates (overrides/kb/) hide the generator's of the same name, and
    with them any fix made upstream. kb sync records which version of the generator's template
    each override was last looked at against (.kb-upstream.json); --check says when the
    generator's has changed since, so that the owner compares the two before recording it again."""
    import hashlib
    import json

    folder = root / OVERRIDES
    overridden = sorted(p.name for p in folder.glob("*.html") if (GENERATOR_TEMPLATES / p.name).is_file()) \
        if folder.is_dir() else []
    if not overridden:
        return []
    current = {n: hashlib.sha256((GENERATOR_TEMPLATES / n).read_bytes()).hexdigest() for n in overridden}
    record = root / UPSTREAM_RECORD
    try:
        recorded = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    except ValueError:
        recorded = {}
    if recorded == current:
        return []
    changed = [n for n in overridden if n in recorded and recorded[n] != current[n]]
    text = json.dumps(current, indent=2, sort_keys=True) + "\n"
    if changed:
        names = ", ".join(changed)
        reason = (f"產生器的頁面範本 {names} 在您覆寫之後改過了：請比對 overrides/kb/ 裡您的版本與產生器的新版本"
                  f"（{GENERATOR_TEMPLATES}），再執行 kb sync 記錄",
                  f"the generator's page template {names} changed since you overrode it: compare your version in "
                  f"overrides/kb/ with the generator's ({GENERATOR_TEMPLATES}), then run kb sync to record it")
        return [Change(UPSTREAM_RECORD, text, reason)]
    return [Change(UPSTREAM_RECORD, text)]


def engine_files_unavailable(root: Path) -> bool:
    """A site holding copies of the engine's files while the installed generator does not carry
    them (installed from a wheel, not a checkout): kb sync cannot bring them up to date."""
    return (root.resolve() not in (SOURCE, CHECKOUT) and (root / "hooks" / "kb_hooks.py").is_file()
            and not all((SOURCE / rel).exists() for rel in ENGINE_FILES))


def apply(root: Path, planned: list[Change]) -> None:
    for change in planned:
        path = root / change.path
        if change.text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change.text, encoding="utf-8", newline="\n")
