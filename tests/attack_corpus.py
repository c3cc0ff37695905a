"""Loaders for the public attack corpora in tests/attack/.

Provenance, commits and licences of every file are recorded in
tests/attack/SOURCES.md. Files are read as UTF-8 and split on "\\n" only
(not str.splitlines), because several payloads contain U+2028, U+0085 or
other characters that splitlines would treat as line breaks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

ATTACK = Path(__file__).resolve().parent / "attack"
XSS_FILES = ("IntrudersXSS.txt", "XSSDetection.txt")
PRIORITY = ("<svg/onload", "onerror", "ontoggle", "javascript:", "</title>", '"><')


def _lines(name: str) -> list[str]:
    return (ATTACK / name).read_text(encoding="utf-8").split("\n")


def _dedup(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def blns() -> list[str]:
    """Big List of Naughty Strings: non-empty, non-comment lines, file order, deduplicated."""
    return _dedup(line for line in _lines("blns.txt") if line and not line.startswith("#"))


def xss_payloads() -> list[str]:
    """All non-empty lines of the XSS lists, file order, deduplicated."""
    return _dedup(line for name in XSS_FILES for line in _lines(name) if line.strip())


def sample(items: Sequence[str], n: int, seed: str = "kb") -> list[str]:
    """Deterministic subset of n items, ordered by sha1(seed + item).

    First one item per PRIORITY substring (so even a small n covers every such
    vector present), then the other items containing a PRIORITY substring,
    then everything else.
    """

    def digest(item: str) -> str:
        return hashlib.sha1((seed + item).encode("utf-8", "surrogatepass")).hexdigest()

    ordered = sorted(_dedup(items), key=digest)
    firsts = [next((i for i in ordered if p in i), None) for p in PRIORITY]
    marked = [i for i in ordered if any(p in i for p in PRIORITY)]
    return _dedup([i for i in firsts if i is not None] + marked + ordered)[:n]
