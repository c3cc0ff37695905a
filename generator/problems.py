"""A problem is a small value: where, what (a stable code) and the facts to explain it.

Messages are not stored in the problem: they are rendered from the catalogue in
:mod:`generator.messages` in the reader's language, so one run can report in
zh-TW for a librarian and in English for a CI log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: str  # path as the contributor knows it, relative to the project root
    line: int  # 1-based
    column: int  # 1-based
    code: str  # stable identifier, see generator.messages.CATALOGUE
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


@dataclass
class ProblemList:
    """Collects problems; nothing stops at the first one."""

    items: list[Problem] = field(default_factory=list)

    def add(self, p: Problem) -> None:
        self.items.append(p)

    def extend(self, ps) -> None:
        self.items.extend(ps)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level is Level.ERROR]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=Problem.sort_key)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)
