"""Content tree -> raw entries with positions. Nothing here judges the content.

Layout: ``content/<kind folder>/<slug>.md`` or ``content/<kind folder>/<slug>/index.md``
(a bundle: the entry and its attachments). ``content/registries/`` holds the
registries. Anything else is reported, never silently published.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Problem, problem
from ..kinds import ALL_KINDS, KINDS_BY_FOLDER, Kind
from ..model.fields import did_you_mean
from ..model.registries import REGISTRY_DIR
from ..source.frontmatter import SourceFile, load_source

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
MEDIA_FOLDER = "uploads"  # content/uploads: the web editor's media library (generator/contribute/editor/cms.py), never published
RESERVED_SLUGS = {"index", "page", "pages", "feed", "search", "archive"}
# Names Windows keeps for devices, with any extension and in any letter case: Git for Windows
# cannot check out content/tools/aux.md or a folder named com1, so one such entry would stop
# every contributor on Windows from cloning the knowledge base. (COM0 and LPT0 are listed by
# Microsoft's "Naming files, paths, and namespaces" too.)
WINDOWS_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                                  *(f"lpt{i}" for i in range(10))})


def slug_problem_code(slug: str) -> str | None:
    """Why ``slug`` cannot name an entry (a problem code), or None: the one check of a slug,
    made wherever one is made (kb validate, kb new, the issue form, the web editor's rules)."""
    if not SLUG_RE.fullmatch(slug) or slug in RESERVED_SLUGS:  # fullmatch: "$" would accept "x\n"
        return "slug-invalid"
    if slug.lower() in WINDOWS_DEVICE_NAMES:
        return "slug-windows-name"
    return None


@dataclass
class RawEntry:
    kind: Kind
    slug: str
    rel: str  # path relative to content/, forward slashes: the page's source path
    abs_path: Path
    bundle_dir: Path | None  # the entry's folder when it is a bundle
    display: str = ""
    bundle_files: list[str] = field(default_factory=list)  # attachment paths relative to bundle_dir
    _source: SourceFile | None = None

    @property
    def source(self) -> SourceFile:
        """Read on first use, so that a cached validation need not read the file at all."""
        if self._source is None:
            self._source = load_source(self.abs_path, self.display)
        return self._source

    def forget_source(self) -> None:
        """Let the file's text and YAML nodes go once validated (read again if asked for): a
        worker validating thousands of entries then reuses the same memory instead of
        touching new pages for each."""
        self._source = None

    def signature(self) -> tuple:
        """What the entry's validation depends on from the file system."""
        files = [self.abs_path] + [self.bundle_dir / n for n in self.bundle_files] if self.bundle_dir else [self.abs_path]
        sig: list[tuple[str, int | None, int | None]] = []
        for f in files:
            try:
                st = f.lstat()
                sig.append((f.name, st.st_mtime_ns, st.st_size))
            except OSError:
                sig.append((f.name, None, None))
        return tuple(sig)


@dataclass
class ContentTree:
    content_dir: Path
    display_prefix: str
    entries: list[RawEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def display(self, rel: str) -> str:
        return f"{self.display_prefix}/{rel}" if self.display_prefix else rel


def _hidden(name: str) -> bool:
    return name.startswith(".") or name.startswith("_") or name == "__pycache__"


def _bundle_files(folder: Path) -> list[str]:
    """Files of a bundle, relative to it. Symbolic links are listed (to be refused), never followed."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        for d in list(dirnames):
            if _hidden(d):
                dirnames.remove(d)
            elif (base / d).is_symlink():
                dirnames.remove(d)
                out.append((base / d).relative_to(folder).as_posix())
        for name in filenames:
            rel = (base / name).relative_to(folder).as_posix()
            if not _hidden(name) and rel != "index.md":
                out.append(rel)
    return sorted(out)


def scan(content_dir: Path, display_prefix: str = "content", only: set[Path] | None = None) -> ContentTree:
    """Find every entry file and read it. ``only`` limits reading to some files (kb validate PATH)."""
    tree = ContentTree(content_dir=content_dir, display_prefix=display_prefix)
    if not content_dir.is_dir():
        tree.problems.append(problem(display_prefix or ".", 1, 1, "content-missing"))
        return tree
    try:
        tops = sorted(content_dir.iterdir())
    except OSError as exc:
        tree.problems.append(problem(display_prefix or ".", 1, 1, "file-unreadable", reason=exc.strerror or str(exc)))
        return tree
    for top in tops:
        if _hidden(top.name) or top.name == REGISTRY_DIR:
            continue
        kind = KINDS_BY_FOLDER.get(top.name)
        if kind is None:
            if top.name.lower() in ("readme.md",):
                continue
            if top.name == MEDIA_FOLDER and top.is_dir():
                # The web editor's media library writes here (Decap needs a folder); nothing here is
                # published or checked, so each file is refused by name with where it belongs.
                for f in sorted(top.rglob("*")):
                    if not f.is_dir():
                        tree.problems.append(problem(tree.display(f.relative_to(content_dir).as_posix()), 1, 1,
                                                     "media-folder-file", file=f.name))
                continue
            off = next((k for k in ALL_KINDS.values() if k.folder == top.name), None)
            if off is not None:  # a kind of the generator this site has not switched on (kb.yml kinds:)
                tree.problems.append(problem(tree.display(top.name), 1, 1, "kind-off", folder=top.name,
                                             kind=off.zh, kind_id=off.id))
                continue
            tree.problems.append(problem(
                tree.display(top.name), 1, 1, "kind-unknown", folder=top.name,
                suggestions=did_you_mean(top.name, KINDS_BY_FOLDER), kinds=", ".join(KINDS_BY_FOLDER)))
            continue
        if not top.is_dir():
            continue
        seen: dict[str, str] = {}
        # os.scandir: names and types come with the listing, with no stat call per entry
        # (10,000 entries: a tenth of the time of Path.iterdir, is_dir and is_symlink).
        try:
            with os.scandir(top) as it:
                items = sorted((d for d in it if not _hidden(d.name)), key=lambda d: d.name)
        except OSError as exc:  # an unreadable folder: reported, the others still checked
            tree.problems.append(problem(tree.display(top.name), 1, 1, "file-unreadable",
                                         reason=exc.strerror or str(exc)))
            continue
        top_resolved = top.resolve() if only is not None else top
        for item in items:
            rel_item = f"{top.name}/{item.name}"
            try:
                entry = _scan_item(tree, top, kind, item, rel_item, seen, top_resolved, only)
            except (OSError, RuntimeError) as exc:  # e.g. unreadable, or a loop of links: this item only
                tree.problems.append(problem(tree.display(rel_item), 1, 1, "file-unreadable",
                                             reason=getattr(exc, "strerror", None) or str(exc)))
                continue
            if entry is not None:
                tree.entries.append(entry)
    return tree


def _scan_item(tree: ContentTree, top: Path, kind: Kind, item: os.DirEntry, rel_item: str, seen: dict[str, str],
               top_resolved: Path, only: set[Path] | None) -> RawEntry | None:
    """One file or folder of a kind folder: an entry to read, or a problem (then None)."""
    if item.is_symlink():
        tree.problems.append(problem(tree.display(rel_item), 1, 1, "file-symlink"))
        return None
    if item.is_dir(follow_symlinks=False):
        folder = top / item.name
        index = folder / "index.md"
        if not index.is_file():
            tree.problems.append(problem(tree.display(rel_item), 1, 1, "bundle-no-index"))
            return None
        slug, rel, abs_path, bundle = item.name, f"{rel_item}/index.md", index, folder
        resolved = index.resolve() if only is not None else None
    elif item.name.lower().endswith(".md"):
        slug, rel, abs_path, bundle = item.name[:-3], rel_item, top / item.name, None
        resolved = top_resolved / item.name if only is not None else None  # (a path made for each file)
    else:
        tree.problems.append(problem(tree.display(rel_item), 1, 1, "stray-file", folder=top.name))
        return None
    code = slug_problem_code(slug)
    if code is not None:
        tree.problems.append(problem(tree.display(rel), 1, 1, code, slug=slug))
        return None
    if slug in seen:
        tree.problems.append(problem(tree.display(rel), 1, 1, "duplicate-slug", slug=slug,
                                     other=tree.display(seen[slug])))
        return None
    seen[slug] = rel
    if only is not None and resolved not in only:
        return None
    return RawEntry(
        kind=kind, slug=slug, rel=rel, abs_path=abs_path, bundle_dir=bundle, display=tree.display(rel),
        bundle_files=_bundle_files(bundle) if bundle else [],
    )
