"""Positions in a file: YAML marks mapped to the lines and columns an editor shows.

Below both the YAML composers (:mod:`generator.source.yamlcompose`) and the front matter
reader (:mod:`generator.source.frontmatter`), which both use it."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field


# Line breaks for YAML (1.1, and so for PyYAML and LibYAML) that are not line breaks for an
# editor, nor for us (we split lines on \n only, after turning \r\n and \r into \n).
YAML_ONLY_BREAKS = ("\u2028", "\u2029", "\x85")


@dataclass
class Located:
    """Maps YAML marks (0-based, relative) to file positions (1-based), as an editor counts them."""

    path: str
    first_line: int  # file line number of the first YAML line
    text: str | None = field(default=None, repr=False, compare=False)  # the YAML text the marks point into
    _odd: bool = field(default=False, init=False, repr=False, compare=False)
    _starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.attach(self.text)

    def attach(self, text: str | None) -> None:
        """The YAML text the marks point into. YAML's own lines and columns are right unless
        it holds a line break YAML counts and an editor does not: then offsets are used."""
        self.text = text
        self._odd = text is not None and any(c in text for c in YAML_ONLY_BREAKS)
        self._starts = None

    def pos(self, node_or_mark) -> tuple[int, int]:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        if not self._odd:
            return self.first_line + mark.line, mark.column + 1
        index = getattr(mark, "index", None)  # marks' offsets count characters, in LibYAML too
        return self.at(index) if index is not None else (self.first_line + mark.line, mark.column + 1)

    def key_positions(self, mapping) -> dict[str, tuple[int, int]]:
        """Each text key of a mapping node -> its (line, column): :meth:`pos` of every key, in one loop."""
        if self._odd:
            return {k.value: self.pos(k) for k, _ in mapping.value if isinstance(k.value, str)}
        first = self.first_line
        out = {}
        for key, _ in mapping.value:
            if isinstance(key.value, str):  # a mapping or list as a key (refused) has no place here
                mark = key.start_mark
                out[key.value] = (first + mark.line, mark.column + 1)
        return out

    def at(self, index: int) -> tuple[int, int]:
        """File line and column (in characters) of a character offset into the YAML text."""
        starts = self._starts
        if starts is None:
            starts = self._starts = [0, *(m.end() for m in re.finditer("\n", self.text or ""))]
        i = bisect_right(starts, index) - 1
        return self.first_line + i, index - starts[i] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset into the YAML text of a file line and column (the inverse of :meth:`at`)."""
        self.at(0)
        starts = self._starts or [0]
        i = max(0, min(len(starts) - 1, line - self.first_line))
        return starts[i] + column - 1
