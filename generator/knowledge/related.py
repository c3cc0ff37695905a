"""Related entries: the public entries sharing the most tags with one, newest first among equals.

Entries sharing two or more tags are found through a tag-pair index; those sharing one,
from the per-tag lists (newest first). Shared tags are counted on bit masks. No scan of
every entry per entry. Everything is keyed by entry address (``rel``).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import combinations
from typing import Any

PAIR_CAP = 1000  # entries considered per pair of tags (newest first); ample for related lists


def sort_newest(entries: list) -> list:
    return sorted(entries, key=lambda e: (e.date, e.title), reverse=True)


def tag_indexes(public: list):
    """Public entries by tag and by pair of tags, newest first, with each entry's tags as
    a bit mask and its rank in that order."""
    newest = sort_newest(public)
    bits = {t: 1 << i for i, t in enumerate(sorted({t for e in newest for t in e.data.get("tags", [])}))}
    by_tag: dict[str, list] = defaultdict(list)
    by_pair: dict[tuple[str, str], list] = defaultdict(list)
    mask: dict[str, int] = {}
    rank: dict[str, int] = {}
    for r, e in enumerate(newest):
        tags = sorted(set(e.data.get("tags", [])))
        mask[e.rel] = sum(bits[t] for t in tags)
        rank[e.rel] = r
        for t in tags:
            by_tag[t].append(e)
        for pair in combinations(tags, 2):
            by_pair[pair].append(e)
    return by_tag, by_pair, mask, rank


def related_entries(indexes, entry, n: int = 5) -> list:
    by_tag, by_pair, mask, rank = indexes
    tags = sorted(set(entry.data.get("tags", [])))
    em = mask.get(entry.rel, 0)
    multi = {o.rel: o for pair in combinations(tags, 2) for o in by_pair.get(pair, [])[:PAIR_CAP]
             if o.rel != entry.rel}
    chosen = heapq.nlargest(n, multi.values(), key=lambda o: ((mask[o.rel] & em).bit_count(), -rank[o.rel]))
    if len(chosen) < n:
        seen = {o.rel for o in chosen} | {entry.rel}
        singles: dict[str, Any] = {}
        for t in tags:
            taken = 0
            for o in by_tag.get(t, []):
                if o.rel in seen:
                    continue
                singles[o.rel] = o
                taken += 1
                if taken >= n:
                    break
        chosen += sorted(singles.values(), key=lambda o: rank[o.rel])[: n - len(chosen)]
    return chosen
