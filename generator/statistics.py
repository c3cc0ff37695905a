"""Statistics from the metadata, the tables seed 002 once counted by hand.

Each table is plain data (tested against known counts); :mod:`generator.pages`
renders it as an HTML table next to a static SVG chart of one of its columns.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .models import KINDS
from .models import vocab as V


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


def _totals(rows: list[list], width: int) -> list:
    return ["合計", *(sum(r[i] for r in rows) for i in range(1, width))]


def _ranked(counter: Counter, label) -> list[list]:
    return [[label(k), n] for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], label(kv[0])))]


def conference_tables(kb) -> list[Table]:
    reports = [e for e in kb.public if e.kind.id == "conference-report"]
    regions = [r for r in V.REGION.ids() if any(e.data["region"] == r for e in reports)]
    by_year: dict[int, Counter] = defaultdict(Counter)
    for e in reports:
        by_year[e.data["year"]][e.data["region"]] += 1
    rows = [[y, *(by_year[y][r] for r in regions), sum(by_year[y].values())] for y in sorted(by_year, reverse=True)]
    year_region = Table("by-year-region", "研討會報告：年度與地區", ["年度", *(V.REGION.label(r) for r in regions), "合計"],
                        rows + ([_totals(rows, len(regions) + 2)] if rows else []), chart_column=len(regions) + 1)
    region = Counter(e.data["region"] for e in reports)
    region_rows = [[V.REGION.label(r), region[r]] for r in V.REGION.ids() if region[r]]
    by_region = Table("by-region", "研討會報告：依地區", ["地區", "報告數"], region_rows + [_totals(region_rows, 2)])
    inst = Counter(i for e in reports for i in e.data["institutions"])
    inst_rows = _ranked(inst, kb.registries["institutions"].label)
    by_inst = Table("by-institution", "研討會報告：依報告機構", ["機構", "報告數"], inst_rows, total_row=False,
                    notes=["一篇報告列有多個機構時，每個機構各計一次。"])
    orgs = Counter(e.data["conference"] for e in reports)
    org_rows = _ranked(orgs, lambda o: f"{o} {kb.registries['organizations'].label(o)}")
    by_org = Table("by-organization", "研討會報告：依組織與會議", ["組織或會議", "報告數"], org_rows + [_totals(org_rows, 2)])
    return [year_region, by_region, by_inst, by_org]


def outreach_tables(kb) -> list[Table]:
    events = [e for e in kb.public if e.kind.id == "outreach"]
    out = []
    for tid, title, label_of, vocab, key in (
        ("by-audience", "推廣活動：依對象", "對象", V.AUDIENCE, "audience"),
        ("by-program-type", "推廣活動：依活動類型", "活動類型", V.PROGRAM_TYPE, "program_type"),
    ):
        count: Counter = Counter()
        people: Counter = Counter()
        for e in events:
            values = e.data[key] if isinstance(e.data[key], list) else [e.data[key]]
            for v in values:
                count[v] += 1
                people[v] += e.data.get("attendance") or 0
        rows = [[vocab.label(v), count[v], people[v]] for v in vocab.ids() if count[v]]
        rows.sort(key=lambda r: -r[1])
        notes = ["一場活動有多個對象時，每個對象各計一次（參與人次亦同）。"] if key == "audience" else []
        out.append(Table(tid, title, [label_of, "活動數", "參與人次"], rows, unit="場", total_row=False, notes=notes))
    with_attendance = [e for e in events if e.data.get("attendance") is not None]
    totals = Table("totals", "推廣活動：總計", ["項目", "數值"], [
        ["活動數", len(events)],
        ["有填參與人次的活動", len(with_attendance)],
        ["參與人次合計", sum(e.data["attendance"] for e in with_attendance)],
    ], unit="", total_row=False)
    return [*out, totals]


def entry_tables(builder) -> list[Table]:
    """Entries added per year by kind: the year an entry was first published (its first
    commit), or the date it was written when there is no Git history."""
    kb = builder.kb
    by_year: dict[int, Counter] = defaultdict(Counter)
    for e in kb.public:
        by_year[builder.published(e).year][e.kind.id] += 1
    kinds = list(KINDS.values())
    rows = [[y, *(by_year[y][k.id] for k in kinds), sum(by_year[y].values())] for y in sorted(by_year, reverse=True)]
    return [Table("by-year-kind", "每年新增條目（依種類）", ["年度", *(k.zh for k in kinds), "合計"],
                  rows + ([_totals(rows, len(kinds) + 2)] if rows else []), chart_column=len(kinds) + 1)]


def exchange_tables(kb) -> list[Table]:
    offers = [e for e in kb.public if e.kind.id == "exchange"]
    out = []
    for tid, title, head, vocab, key in (
        ("by-category", "資源交換：依物品類別", "類別", V.ITEM_CATEGORY, "category"),
        ("by-offer-type", "資源交換：依刊登類型", "刊登類型", V.OFFER_TYPE, "offer_type"),
    ):
        rows = []
        for v in vocab.ids():
            mine = [e for e in offers if e.data[key] == v]
            if not mine:
                continue
            taken = sum(1 for e in mine if e.data.get("status") == "taken")
            open_now = sum(1 for e in mine if not kb.is_closed(e))
            rows.append([vocab.label(v), len(mine), taken, open_now, len(mine) - taken - open_now])
        out.append(Table(tid, title, [head, "刊登數", "已媒合", "開放中", "已過期"], rows + [_totals(rows, 5)],
                         notes=["已媒合：刊登者標示為 taken；已過期：超過刊登期限且未標示媒合。"]))
    return out


# The statistics pages: (page id, title, description, tables), in the order shown.
SECTIONS = (
    ("conference-reports", "研討會報告統計", "出席研討會報告的年度、地區、報告機構與組織分布。", lambda b: conference_tables(b.kb)),
    ("outreach", "推廣活動統計", "推廣活動的對象、活動類型與參與人次。", lambda b: outreach_tables(b.kb)),
    ("entries", "條目成長統計", "每年新增的條目，依種類。", entry_tables),
    ("exchange", "資源交換統計", "資源交換的刊登類別，與媒合成功的數量。", lambda b: exchange_tables(b.kb)),
)


def all_tables(builder) -> dict[str, list[Table]]:
    """Every statistics table, by page id (``builder`` gives the entries and their history)."""
    return {sid: tables(builder) for sid, _, _, tables in SECTIONS}
