"""Statistics from the metadata, the tables seed 002 once counted by hand.

Each table is plain data (tested against known counts); the statistics view renders it
as an HTML table next to a static SVG chart of one of its columns. A kind declares the
statistics page it feeds (:attr:`generator.kinds.Kind.statistics`); the one page every
kind feeds (entries added per year) is declared here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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


def totals(rows: list[list], width: int) -> list:
    return ["合計", *(sum(r[i] for r in rows) for i in range(1, width))]


def ranked(counter: Counter, label) -> list[list]:
    return [[label(k), n] for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], label(kv[0])))]


def entry_tables(kb, published) -> list[Table]:
    """Entries added per year by kind: the year an entry was first published (its first
    commit, ``published``), or the date it was written when there is no Git history."""
    from .kinds import KINDS

    by_year: dict[int, Counter] = defaultdict(Counter)
    for e in kb.public:
        by_year[published(e).year][e.kind.id] += 1
    kinds = list(KINDS.values())
    rows = [[y, *(by_year[y][k.id] for k in kinds), sum(by_year[y].values())] for y in sorted(by_year, reverse=True)]
    return [Table("by-year-kind", "每年新增條目（依種類）", ["年度", *(k.zh for k in kinds), "合計"],
                  rows + ([totals(rows, len(kinds) + 2)] if rows else []), chart_column=len(kinds) + 1)]


def sections(kb, published) -> list[tuple[str, str, str, list[Table]]]:
    """Every statistics page, (id, title, description, tables): each kind's, then entries per year."""
    from .kinds import KINDS

    out = [(k.statistics.id, k.statistics.title, k.statistics.description, k.statistics.tables(kb))
           for k in KINDS.values() if k.statistics is not None]
    out.append(("entries", "條目成長統計", "每年新增的條目，依種類。", entry_tables(kb, published)))
    return out
