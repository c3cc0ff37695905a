"""The folder the engine reads: what the generator wrote for public entries, nothing else.

The engine is never pointed at ``content/``: a build that skips our hooks (a
plain ``zensical build``, a hook that fails to load, a contributor's own
MkDocs run) then finds only pages and attachments of public entries, never an
internal entry's file. Files are rewritten only when their bytes change (their
times tell a dirty preview what to render again), attachments are hard links
where the file system allows, and a full build removes whatever it did not
write.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

KEEP = ".gitkeep"  # committed, so that the folder exists in a fresh clone (MkDocs requires it)


def write_text(folder: Path, src: str, text: str) -> bool:
    """Write ``folder/src`` if its bytes differ; True when written."""
    path = folder / src
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def place_file(folder: Path, src: str, source: Path) -> None:
    """Put a copy of ``source`` (an attachment) at ``folder/src``: a hard link when possible."""
    target = folder / src
    try:
        st, tt = source.stat(), target.stat()
        if (st.st_ino, st.st_dev) == (tt.st_ino, tt.st_dev) or (
                st.st_size == tt.st_size and st.st_mtime_ns == tt.st_mtime_ns):
            return
        target.unlink()
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def remove_rendered(site_dir: Path, url: str) -> None:
    """What the engine rendered for an entry that left the site (its page and files), from
    an output folder that is not emptied between builds (a dirty preview)."""
    if url:
        shutil.rmtree(site_dir / url, ignore_errors=True)


def prune(folder: Path, keep: set[str]) -> None:
    """Delete every file below ``folder`` that is not in ``keep`` (source paths), and empty folders."""
    for dirpath, _dirnames, filenames in os.walk(folder, topdown=False):
        base = Path(dirpath)
        for name in filenames:
            rel = (base / name).relative_to(folder).as_posix()
            if rel not in keep and rel != KEEP:
                (base / name).unlink()
        if base != folder and not any(base.iterdir()):
            base.rmdir()


def check_separate(docs_dir: Path, content_dir: Path) -> str | None:
    """Why ``docs_dir`` cannot be the engine's folder, or None: it must sit inside a
    ``.kb-cache`` folder (every full build empties it of what it did not write), and not
    be, hold or sit inside ``content/``."""
    d, c = docs_dir.resolve(), content_dir.resolve()
    if d == c or d.is_relative_to(c) or c.is_relative_to(d) or ".kb-cache" not in d.parts:
        return (f"docs_dir ({docs_dir}) 必須是 .kb-cache/ 之中、與 content/ 不重疊的資料夾（例如 .kb-cache/docs）："
                f"引擎只讀取產生器為公開條目寫出的檔案，而每次完整建置都會清掉其中其他檔案。 / docs_dir ({docs_dir}) "
                f"must be a folder inside .kb-cache/ that does not overlap content/ (e.g. .kb-cache/docs): the engine "
                f"reads only what the generator writes for public entries, and every full build removes anything else.")
    return None
