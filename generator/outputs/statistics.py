"""Statistics from the metadata, the tables seed 002 once counted by hand.

Each table is plain data (tested against known counts); the statistics view renders it
as an HTML table next to a static SVG chart of one of its columns. A kind declares the
statistics page it feeds (:attr:`generator.kinds.Kind.statistics`); the one page every
kind feeds (entries added per year) is declared here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from ..model.tables import Table, totals


def entry_tables(kb, published) -> list[Table]:
    """Entries added per year by kind: the year an entry was first published (its first
    commit, ``published``), or the date it was written when there is no Git history."""
    from ..kinds import KINDS

    by_year: dict[int, Counter] = defaultdict(Counter)
    for e in kb.public:
        by_year[published(e).year][e.kind.id] += 1
    kinds = list(KINDS.values())
    rows = [[y, *(by_year[y][k.id] for k in kinds), sum(by_year[y].values())] for y in sorted(by_year, reverse=True)]
    return [Table("by-year-kind", "每年新增條目（依種類）", ["年度", *(k.zh for k in kinds), "合計"],
                  rows + ([totals(rows, len(kinds) + 2)] if rows else []), chart_column=len(kinds) + 1)]


def sections(kb, published) -> list[tuple[str, str, str, list[Table]]]:
    """Every statistics page, (id, title, description, tables): each kind's, then entries per year."""
    from ..kinds import KINDS

    out = [(k.statistics.id, k.statistics.title, k.statistics.description, k.statistics.tables(kb))
           for k in KINDS.values() if k.statistics is not None]
    out.append(("entries", "條目成長統計", "每年新增的條目，依種類。", entry_tables(kb, published)))
    return out
