"""Text as both halves of the search see it: folding, a query's units and tokens, a document's
tokens, and whether a phrase stands in a text. ``kb-search.js`` does the same, line for line;
``tests/test_search.py`` runs both on the same strings."""

from __future__ import annotations

import json
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(f"[{HAN}]+|[a-z0-9]+")
QUOTES = "\"\u201c\u201d\u300c\u300d\u300e\u300f"  # " “ ” 「 」 『 』 (after NFKC, ＂ is ")
QUOTE_RE = re.compile(f"[{QUOTES}]")
NGRAM = 4  # the longest run of Han characters indexed as one key
PREFIX_MIN, PREFIX_MAX = 2, 15  # a Latin word's prefixes indexed as "koh*", 2 to 15 letters
_add = operator.add


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    return json.loads((Path(__file__).parent.parent / "data" / "t2s.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _translation():
    return str.maketrans(t2s_table())


def fold(text: str) -> str:
    """NFKC, lower case, Traditional -> Simplified per character."""
    return unicodedata.normalize("NFKC", text).lower().translate(_translation())


def is_han(run: str) -> bool:
    return run[0] >= "\u3400"


def run_tokens(run: str) -> list[str]:
    """The index keys a query looks up for one run: a word, or up to NGRAM Han characters, as
    they are; a longer Han run as NGRAM-character pieces covering it (at 0, 4, 8, ... and the
    last four)."""
    if not is_han(run) or len(run) <= NGRAM:
        return [run]
    starts = list(range(0, len(run) - NGRAM + 1, NGRAM))
    if starts[-1] != len(run) - NGRAM:
        starts.append(len(run) - NGRAM)
    return [run[i:i + NGRAM] for i in starts]


@dataclass(frozen=True)
class Unit:
    """What one part of a query asks for: a Han run (a phrase), a word, or a quoted phrase
    (several runs, one after the other, anything but letters, digits and Han between them).
    ``prefix``: the query ends in this word, still being typed: it matches words it begins."""

    runs: tuple[str, ...]
    quoted: bool = False
    prefix: bool = False

    @property
    def required(self) -> list[str]:
        """Keys every match holds (their postings are ANDed)."""
        if self.prefix:
            return [self.runs[0][:PREFIX_MAX] + "*"]
        return list(dict.fromkeys(t for run in self.runs for t in run_tokens(run)))

    @property
    def optional(self) -> list[str]:
        """Keys that only add to the score: the word itself, for a prefix."""
        return [self.runs[0]] if self.prefix else []

    @property
    def checked(self) -> bool:
        """Whether the postings may hold documents without the phrase (then each is checked
        against its text): quoted runs, Han runs longer than NGRAM, prefixes longer than indexed."""
        run = self.runs[0]
        return len(self.runs) > 1 or (is_han(run) and len(run) > NGRAM) or (self.prefix and len(run) > PREFIX_MAX)


def units(query: str) -> list[Unit]:
    """A query's units, in order, each once. Outside quotes every run is a unit of its own
    (spaces mean AND, and so does punctuation); inside quotes (an unclosed one runs to the
    end) the runs form one phrase. A word the query ends in, outside quotes, is a prefix."""
    s = fold(query)
    out: list[Unit] = []
    parts = QUOTE_RE.split(s)
    for i, part in enumerate(parts):
        if i % 2:
            runs = tuple(TOKEN_RE.findall(part))
            if runs:
                out.append(Unit(runs, quoted=True))
            continue
        for m in TOKEN_RE.finditer(part):
            run = m.group()
            prefix = (i == len(parts) - 1 and m.end() == len(part) and not is_han(run) and len(run) >= PREFIX_MIN)
            out.append(Unit((run,), prefix=prefix))
    return list(dict.fromkeys(out))


def tokens(query: str) -> list[str]:
    """Every index key a query looks up, each once, in order (their shards are what it fetches)."""
    return list(dict.fromkeys(t for u in units(query) for t in (*u.required, *u.optional)))


def title_key(folded: str) -> str:
    """A folded title (or query) as the runs it holds: what an exact title match compares."""
    return " ".join(TOKEN_RE.findall(folded))


def anchor(key: str) -> str:
    """The key whose shard holds an exact-title key: its first run's first token (a query
    equal to the title looks that token up first, so the title key costs no extra file)."""
    return run_tokens(key.split(" ", 1)[0])[0]


def field_counts(folded: str) -> tuple[Counter, int]:
    """The index keys of one folded field with their counts, and the field's length (Han
    characters and words): every Han character, and every run of 2 to NGRAM inside a run; every word, and
    its prefixes from PREFIX_MIN to PREFIX_MAX letters (the whole word too) with a "*"."""
    counts: Counter = Counter()
    length = 0
    update = counts.update
    for run in TOKEN_RE.findall(folded):
        if run[0] < "\u3400":
            length += 1
            counts[run] += 1
            update([run[:k] + "*" for k in range(PREFIX_MIN, min(len(run), PREFIX_MAX) + 1)])
            continue
        length += len(run)
        update(run)
        if len(run) > 1:
            update(map(_add, run[:-1], run[1:]))
        if len(run) > 2:
            update(map(_add, map(_add, run[:-2], run[1:-1]), run[2:]))
        if len(run) > 3:
            update(map(_add, map(_add, map(_add, run[:-3], run[1:-2]), run[2:-1]), run[3:]))
    return counts, length


def field_length(folded: str) -> int:
    return sum(len(run) if run[0] >= "\u3400" else 1 for run in TOKEN_RE.findall(folded))


def _fits(run: str, q: str, first: bool, last: bool, prefix: bool) -> bool:
    if is_han(q):
        if first and last:
            return q in run
        if first:
            return run.endswith(q)
        return run.startswith(q) if last else run == q
    return run.startswith(q) if (last and prefix) else run == q


def unit_in_runs(runs: list[str], unit: Unit) -> bool:
    """Whether ``unit`` stands in a line's runs: its first run ends one of them, the next ones
    follow it whole, its last begins the run after (a single Han run: anywhere inside one)."""
    q, k = unit.runs, len(unit.runs)
    for i in range(len(runs) - k + 1):
        if all(_fits(runs[i + j], q[j], j == 0, j == k - 1, unit.prefix) for j in range(k)):
            return True
    return False


TEXT_ROW = 3  # the line of t/<id>.txt that is no text: [url, kind, date, closed]


def holds(text: str, unit: Unit) -> bool:
    """Whether a document's text (``t/<id>.txt``: title, summary, facts, the row shown, then
    the body's paragraphs, a line each) holds the unit within one line of text."""
    lines = fold(text).split("\n")
    del lines[TEXT_ROW:TEXT_ROW + 1]
    return any(unit_in_runs(TOKEN_RE.findall(line), unit) for line in lines)
