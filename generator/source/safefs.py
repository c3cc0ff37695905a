"""Questions to the file system about paths a contributor wrote, that never raise."""

from __future__ import annotations

from pathlib import Path

# A path a contributor wrote can be one the file system refuses to look at (a name longer
# than it allows, which a few hundred Thai or Arabic letters already are; a folder we may
# not read): for these checks that is a file that is not there, never an exception.

def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def is_symlink(path: Path) -> bool:
    try:
        return path.is_symlink()
    except (OSError, ValueError):
        return False


def names_in(folder: Path) -> list[str]:
    try:
        return [p.name for p in folder.iterdir()]
    except (OSError, ValueError):
        return []


def file_size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except (OSError, ValueError):
        return None
