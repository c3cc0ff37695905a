"""Statistics tables as plain data: what a kind's statistics page returns (:class:`Table`),
with its totals and rankings. The statistics pages (:mod:`generator.outputs.statistics`) draw
and print them."""

from __future__ import annotations

from .facts import in_language
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Table:
    id: str
    title: str
    headers: list[str]
    rows: list[list]  # first cell a label, then numbers
    chart_column: int = 1  # which column the chart draws
    unit: str = "筆"
    total_row: bool = True  # the last row is a total (not drawn)
    notes: list[str] = field(default_factory=list)

    def chart_rows(self) -> list[tuple[str, float]]:
        rows = self.rows[:-1] if self.total_row and self.rows else self.rows
        return [(str(r[0]), r[self.chart_column]) for r in rows]

    def cell(self, label, header: str):
        """The value in a row (by its label) and column (by its header); for tests and readers."""
        col = self.headers.index(header)
        return next(r[col] for r in self.rows if str(r[0]) == str(label))


def totals(rows: list[list], width: int, lang: str = "zh-TW") -> list:
    return [in_language(lang, "合計", "Total"), *(sum(r[i] for r in rows) for i in range(1, width))]





def ranked(counter: Counter, label) -> list[list]:
    return [[label(k), n] for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], label(kv[0])))]
