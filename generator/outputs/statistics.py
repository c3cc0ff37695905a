"""Statistics from the metadata, the tables seed 002 once counted by hand.

Each table is plain data (tested against known counts); the statistics view renders it
as an HTML table next to a static SVG chart of one of its columns. A kind declares the
statistics page it feeds (:attr:`generator.kinds.Kind.statistics`); the one page every
kind feeds (entries added per year) is declared here.
"""

from __future__ import annotations

import inspect
from collections import Counter, defaultdict
from ..model.tables import Table, in_language, totals


def entry_tables(kb, published, lang: str = "zh-TW") -> list[Table]:
    """Entries added per year by kind: the year an entry was first published (its first
    commit, ``published``), or the date it was written when there is no Git history."""
    from ..kinds import KINDS

    by_year: dict[int, Counter] = defaultdict(Counter)
    for e in kb.public:
        by_year[published(e).year][e.kind.id] += 1
    kinds = list(KINDS.values())
    rows = [[y, *(by_year[y][k.id] for k in kinds), sum(by_year[y].values())] for y in sorted(by_year, reverse=True)]
    zh = lang.startswith("zh")
    return [Table("by-year-kind", in_language(lang, "每年新增條目（依種類）", "New entries per year, by kind"),
                  [in_language(lang, "年度", "Year"), *((k.zh if zh else k.en) for k in kinds), in_language(lang, "合計", "Total")],
                  rows + ([totals(rows, len(kinds) + 2, lang)] if rows else []), chart_column=len(kinds) + 1,
                  unit=in_language(lang, "筆", ""))]


def _tables(make, kb, lang: str) -> list[Table]:
    """A kind's tables in ``lang`` when its function takes one (``tables(kb, lang)``), else as it writes them."""
    return make(kb, lang) if len(inspect.signature(make).parameters) > 1 else make(kb)


def sections(kb, published, lang: str = "zh-TW") -> list[tuple[str, str, str, list[Table]]]:
    """Every statistics page, (id, title, description, tables): each kind's, then entries per year."""
    from ..kinds import KINDS

    zh = lang.startswith("zh")
    out = [(k.statistics.id, k.statistics.title if zh else k.statistics.title_en or k.statistics.title,
            k.statistics.description if zh else k.statistics.description_en or k.statistics.description,
            _tables(k.statistics.tables, kb, lang))
           for k in KINDS.values() if k.statistics is not None]
    out.append(("entries", in_language(lang, "條目成長統計", "Growth"),
                in_language(lang, "每年新增的條目，依種類。", "Entries added each year, by kind."),
                entry_tables(kb, published, lang)))
    return out
