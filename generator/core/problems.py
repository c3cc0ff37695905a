"""A problem is a small value: where, what (a stable code) and the facts to explain it.

Messages are not stored in the problem: they are rendered from the catalogue in
:mod:`generator.validation.messages` in the reader's language, so one run can report in
zh-TW for a librarian and in English for a CI log.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any
from collections.abc import Callable


class Level(str, Enum):  # noqa: UP042 - StrEnum would change str(level); every output uses .value
    ERROR = "error"
    WARNING = "warning"
    # What was done to a value, for the person to check (a form's "115/10/5" stored as
    # 2026-10-05): never a reason to refuse anything.
    NOTICE = "notice"


@dataclass(frozen=True)
class Problem:
    path: str  # path as the contributor knows it, relative to the project root
    line: int  # 1-based
    column: int  # 1-based
    code: str  # stable identifier, see generator.validation.messages.CATALOGUE
    params: tuple[tuple[str, Any], ...] = ()
    level: Level = Level.ERROR
    suggestions: tuple[str, ...] = ()  # "did you mean" candidates

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.params)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code)


def problem(
    path: str,
    line: int,
    column: int,
    code: str,
    *,
    level: Level = Level.ERROR,
    suggestions: list[str] | tuple[str, ...] = (),
    **params: Any,
) -> Problem:
    return Problem(
        path=path,
        line=max(1, int(line)),
        column=max(1, int(column)),
        code=code,
        params=tuple(sorted(params.items())),
        level=level,
        suggestions=tuple(suggestions),
    )


def exception_text(exc: BaseException) -> str:
    """An exception in a problem's message: ``Type: message (file.py:line)`` of where it was
    raised, short enough for a report."""
    text = f"{type(exc).__name__}: {exc}"
    if len(text) > 200:
        text = text[:199] + "…"
    frames = traceback.extract_tb(exc.__traceback__)
    return text + (f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else "")


class EntryFailures:
    """The per-entry steps of a build (its page, listing item, feed item, export record,
    citation files): an unexpected exception becomes a problem on the entry's file, and
    the build goes on with the other entries, so that every failing entry is named."""

    def __init__(self):
        self.problems: list[Problem] = []

    def run(self, entry, fn: Callable, *args, default=None):
        try:
            return fn(*args)
        except Exception as exc:
            self.problems.append(problem(entry.path, 1, 1, "entry-build-error", error=exception_text(exc)))
            return default
