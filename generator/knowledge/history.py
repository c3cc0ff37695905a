"""Who wrote what and when, from Git, in one pass over the log.

One ``git log`` over ``content/`` gives every commit with the files it
touched; walking it newest first (following renames) yields, for every
entry, its first-published date, last update and contributors. Asking git
once per file instead costs one process per entry and reads the history
again each time (``benchmarks/history_bench.py`` prints both side by side).

The log is read NUL-separated (``-z``): paths come out byte for byte, never
quoted, so a file named ``簡報.pdf``, ``暑期閱讀 海報.pdf`` or one with a tab,
a quote, a backslash or a newline in its name counts like any other.

Authors are read with ``%aN``/``%aE``, so ``.mailmap`` is respected.
A shallow clone, a file not yet committed, or no repository at all
degrade to "no history" with one warning each, never a wrong date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Level, Problem, problem

try:  # GitPython finds and runs git; keep it in this module only
    import git
    HAVE_GIT = True
except ImportError:  # pragma: no cover - a declared dependency
    HAVE_GIT = False

# With -z, git ends every commit header, status and path with NUL; a header is told from a
# status by its first character, and a status says how many paths follow it (two for a rename
# or copy, else one), so a path may hold any character but NUL, these two included.
RECORD = "\x1e"  # starts a commit header
UNIT = "\x1f"  # between fields of a commit header (the name last: it takes whatever is left)
HEADER = f"{RECORD}%H{UNIT}%aI{UNIT}%aE{UNIT}%aN"


@dataclass(frozen=True)
class Author:
    name: str
    email: str

    @property
    def key(self) -> str:
        return self.email.lower() or self.name


@dataclass
class FileHistory:
    created: dt.datetime  # first commit that added the file (author date, with its offset)
    updated: dt.datetime  # last commit that touched it
    authors: list[Author] = field(default_factory=list)  # in order of first contribution
    commits: int = 0
    first_author: Author | None = None
    contributions: list[tuple[Author, dt.datetime]] = field(default_factory=list)  # every commit, newest first


@dataclass
class History:
    files: dict[str, FileHistory] = field(default_factory=dict)  # path relative to the repo root
    available: bool = False
    problems: list[Problem] = field(default_factory=list)

    def for_paths(self, paths: list[str]) -> FileHistory | None:
        """Combined history of several files (an entry and its attachments)."""
        found = [self.files[p] for p in paths if p in self.files]
        if not found:
            return None
        created = min(f.created for f in found)
        updated = max(f.updated for f in found)
        main = self.files.get(paths[0])
        authors: list[Author] = []
        seen = set()
        for f in sorted(found, key=lambda f: f.created):
            for a in f.authors:
                if a.key not in seen:
                    seen.add(a.key)
                    authors.append(a)
        first = main.first_author if main else found[0].first_author
        contributions = sorted((c for f in found for c in f.contributions), key=lambda c: c[1], reverse=True)
        return FileHistory(created=created, updated=updated, authors=authors,
                           commits=sum(f.commits for f in found), first_author=first, contributions=contributions)


def _warn(code: str, **params) -> Problem:
    return problem(".", 1, 1, code, level=Level.WARNING, **params)


def read_history(repo_dir: Path, pathspec: str = "content") -> History:
    """Read the history of everything under ``pathspec`` in one ``git log``."""
    hist = History()
    if not HAVE_GIT:
        hist.problems.append(_warn("history-no-repo"))
        return hist
    try:
        repo = git.Repo(repo_dir, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        hist.problems.append(_warn("history-no-repo"))
        return hist
    try:
        if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
            hist.problems.append(_warn("history-shallow"))
            return hist
        if repo.working_tree_dir is None:  # a bare repository: no files to date
            hist.problems.append(_warn("history-no-repo"))
            return hist
        root = Path(repo.working_tree_dir).resolve()
        base = Path(repo_dir).resolve().relative_to(root).as_posix()
        spec = (Path(repo_dir).resolve() / pathspec).relative_to(root).as_posix()
        raw = repo.git.log(
            "-z", "--no-color", "--no-show-signature", "-M", "--name-status", "--date=iso-strict",
            f"--format={HEADER}",
            "--", spec,
        )
    except git.GitCommandError as exc:
        if "does not have any commits" in str(exc) or "bad default revision" in str(exc):
            hist.available = True  # an empty repository: nothing is published yet
            return hist
        hist.problems.append(_warn("history-failed", detail=str(exc).splitlines()[-1][:200]))
        return hist
    except ValueError:
        hist.problems.append(_warn("history-no-repo"))
        return hist
    hist.available = True
    _parse(raw, hist, "" if base in ("", ".") else base + "/")
    return hist


def _records(raw: str):
    """``(name, email, date, [(status, paths), ...])`` per commit of ``git log -z --name-status``.

    The stream is ``header NUL [LF status NUL path NUL [path NUL] ...]`` per commit: a commit
    that lists no file (a merge) is its header alone, directly followed by the next header.
    """
    tokens = raw.split("\0")
    i, n = 0, len(tokens)
    while i < n:
        header = tokens[i]
        i += 1
        if not header.startswith(RECORD):
            continue  # not a header where one is due (nothing git prints with these options)
        parts = header[1:].split(UNIT, 3)
        changes: list[tuple[str, list[str]]] = []
        while i < n:
            status = tokens[i].lstrip("\n")  # git puts a newline between the header and its files
            if tokens[i].startswith(RECORD) or not status[:1].isalpha() or not status.isalnum():
                break  # the next commit (or the end)
            count = 2 if status[0] in "RC" else 1
            changes.append((status, tokens[i + 1:i + 1 + count]))
            i += 1 + count
        if len(parts) == 4:
            _, date, email, name = parts
            yield name, email, date, changes


def _parse(raw: str, hist: History, prefix: str = "") -> None:
    """Fill ``hist`` from ``git log -z --name-status`` output; paths made relative to the project."""
    renamed_to: dict[str, str] = {}  # older name -> its current name (walking newest first)

    def current(path: str) -> str:
        seen = set()
        while path in renamed_to and path not in seen:
            seen.add(path)
            path = renamed_to[path]
        return path

    for name, email, date, changes in _records(raw):
        when = dt.datetime.fromisoformat(date)
        author = Author(name=name, email=email)
        for status, paths in changes:
            if status.startswith("R") and len(paths) == 2:
                old, new = paths
                path = current(new)
                renamed_to[old] = path
            elif paths and paths[-1]:
                path = current(paths[-1])
            else:
                continue
            if status.startswith("D"):
                continue  # a deletion is not a contribution to what is published
            if prefix:
                if not path.startswith(prefix):
                    continue
                path = path[len(prefix):]
            fh = hist.files.get(path)
            if fh is None:
                fh = hist.files[path] = FileHistory(created=when, updated=when)
            # newest first: every older commit moves "created" back and adds authors at the front
            fh.created = when if when < fh.created else fh.created
            fh.updated = when if when > fh.updated else fh.updated
            fh.commits += 1
            fh.contributions.append((author, when))
            if author.key in {a.key for a in fh.authors}:
                fh.authors = [a for a in fh.authors if a.key != author.key]
            fh.authors.insert(0, author)
            fh.first_author = author  # the oldest commit seen so far
