"""The built index read back from files and searched exactly as ``kb-search.js`` does (for
tests and the benchmark)."""

from __future__ import annotations

import json
import math

from .build import BITS, LEVELS, key_shard
from .text import Unit, holds, units

_LEVEL = {ch: i for i, ch in enumerate(LEVELS)}
_BITS = {ch: i for i, ch in enumerate(BITS)}


def idf(df: int, docs: int) -> int:
    """A key's rarity, times 100, rounded half up (as Math.round: the browser must agree)."""
    return math.floor(100 * math.log(1 + (docs - df + 0.5) / (df + 0.5)) + 0.5)


def recency(doc_id: int, docs: int) -> int:
    """The tie-break, per mille: 1040 for the newest document (id 0), 1000 for the oldest."""
    return 1000 + (40 * (docs - 1 - doc_id)) // max(docs - 1, 1)


class LocalIndex:
    def __init__(self, files: dict[str, str]):
        self.files = files
        self.meta = json.loads(files["meta.json"])
        self.fetched: list[str] = []
        self._parsed: dict[str, dict] = {}

    def _get(self, path: str) -> str:
        self.fetched.append(path)
        return self.files[path]

    def _shard(self, n: int) -> dict:
        path = f"p/{n}.json"
        text = self._get(path)
        if path not in self._parsed:
            self._parsed[path] = json.loads(text)
        return self._parsed[path]

    def lookup(self, key: str) -> tuple[list[int], list[int]]:
        """The ids of the documents holding ``key`` and its level in each."""
        value = self._shard(key_shard(key, self.meta["shards"])).get(key)
        if not value:
            return [], []
        gaps, _, levels = value.partition("|")
        out, prev = [], 0
        if gaps[0] == "~":
            for at, ch in enumerate(gaps[1:]):
                bits = _BITS[ch]
                out += [at * 6 + b for b in range(6) if bits & (32 >> b)]
        else:
            for part in gaps.split(","):
                prev += int(part, 36)
                out.append(prev)
        return out, [_LEVEL[ch] for ch in levels]

    def postings(self, key: str) -> list[int]:
        return self.lookup(key)[0]

    def ranked(self, query: str) -> tuple[list[int], list[Unit]]:
        """The candidates, best first, and the units each must still be checked for: exact
        title matches first, then by score (the keys' rarity times their level in the
        document, summed, with the recency tie-break), then newest."""
        us = units(query)
        required = list(dict.fromkeys(t for u in us for t in u.required))
        optional = [t for t in dict.fromkeys(t for u in us for t in u.optional) if t not in required]
        if not required:
            return [], []
        docs = self.meta["docs"]
        found = {t: self.lookup(t) for t in [*required, *optional]}
        lists = sorted((found[t][0] for t in required), key=len)
        candidates = set(lists[0])
        for ids in lists[1:]:
            candidates.intersection_update(ids)
        score = dict.fromkeys(candidates, 0)
        impact = self.meta["impact"]
        for ids, levels in found.values():
            weight = idf(len(ids), docs)
            for doc_id, level in zip(ids, levels):
                if doc_id in score:
                    score[doc_id] += weight * impact[level]
        key = " ".join(run for u in us for run in u.runs)
        exact = set(self.postings("=" + key))
        final = {i: s * recency(i, docs) for i, s in score.items()}
        order = sorted(candidates, key=lambda i: (i not in exact, -final[i], i))
        return order, [u for u in us if u.checked]

    def search(self, query: str) -> list[int]:
        """Every result, in order, as a reader paging to the end sees them: the candidates whose
        text holds each phrase that needs checking."""
        order, checked = self.ranked(query)
        if not checked:
            return order
        return [i for i in order if all(holds(self._get(f"t/{i}.txt"), u) for u in checked)]
