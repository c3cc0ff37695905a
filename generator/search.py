"""The search index: the same text folding and tokens at build time and in the browser.

Why: Material's lunr search cuts Chinese one way when indexing and another
way when the reader types, and ships the whole index to every reader (143 MB
at 10,000 pages). Here both sides

1. fold text the same way: Unicode NFKC, lower case, and Traditional ->
   Simplified character by character (``data/t2s.json``, from OpenCC), so
   图书馆 finds 圖書館;
2. cut it the same way: every run of Han characters into overlapping
   bigrams (as Lucene's CJK analyzer does) plus single characters, Latin
   letters and digits into words.

A query's tokens must all occur in a document (AND). Postings are sharded by
a hash of the token, so a query downloads only the shards of its own tokens;
document metadata comes in small chunks and excerpts one file per shown
result. ``overrides/assets/javascripts/kb-search.js`` is the browser half; a
test runs both on the same strings.

Files (under ``search/`` of the site):
  meta.json            shard and chunk counts, kinds, years, tags, the t2s subset
  facets.json          per document: kind and year (compact strings)
  tags.json            per document: tag indexes (loaded when filtering by tag)
  p/<shard>.json       token -> delta-encoded document ids (base 36); "^"+token: in the title
  d/<chunk>.json       [url, title, kind, date, summary(, 1 when closed)] for CHUNK documents
  t/<id>.txt           the document's plain text, for excerpts

A copy opened from disk (``kb build --offline``) has each of them also as a script,
``<name>.js`` beside it (``p/3.js`` for ``p/3.json``, ``t/5.js`` for ``t/5.txt``), which
hands the file to ``kbSearchFile(path, value)``: a browser reads no file from ``file://``
with fetch(), but runs the scripts a page adds. The search page loads them one by one, as
it fetches the files on a server: still only the shards a query needs. In these builds a
document's URL is its page's file (``tools/ifla.html``), as the pages link to it.
"""

from __future__ import annotations

import json
import math
import operator
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .facets import entry_year
from .facts import plain
from .kinds import KINDS
from .parallel import Crashed, map_chunks

FORMAT_VERSION = 1
CHUNK = 20  # documents per metadata chunk
SHARD_TARGET_BYTES = 12 * 1024
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(f"[{HAN}]+|[a-z0-9]+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_SYNTAX = re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`~|]+|^\s*[-=]{3,}\s*$", re.M)


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    return json.loads((Path(__file__).parent / "data" / "t2s.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _translation():
    return str.maketrans(t2s_table())


def fold(text: str) -> str:
    """NFKC, lower case, Traditional -> Simplified per character."""
    return unicodedata.normalize("NFKC", text).lower().translate(_translation())


def tokens(text: str, unigrams: bool = False) -> list[str]:
    """Query tokens (bigrams of Han runs, a lone Han character, Latin words); with
    ``unigrams``, also every Han character (for indexing)."""
    out: list[str] = []
    append, extend = out.append, out.extend
    for run in TOKEN_RE.findall(fold(text)):
        if run[0] < "\u3400" or len(run) == 1:  # a Latin word or number, or a lone Han character
            append(run)
        else:
            extend(map(operator.add, run[:-1], run[1:]))
            if unigrams:
                extend(run)
    return out


def shard_of(token: str, shards: int) -> int:
    """FNV-1a (32-bit) over code points; kb-search.js computes the same."""
    h = 0x811C9DC5
    for ch in token:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def plain_text(markdown: str) -> str:
    text = _MD_LINK.sub(r"\1", markdown)
    text = _MD_SYNTAX.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _b36_slow(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(digits[r])
    return "".join(reversed(out))


_B36 = [_b36_slow(i) for i in range(36 ** 3)]  # document-id gaps are nearly always small


def _b36(n: int) -> str:
    return _B36[n] if n < 46656 else _b36_slow(n)


def document_text(kb, e) -> str:
    """What a reader may search for in an entry: title, summary, key facts, body."""
    facts = " ".join(plain(parts) for _, parts in e.kind.fact_rows(e, kb))
    return "\n".join([e.title, e.data["summary"], facts, plain_text(e.body)])


def build_index(kb) -> dict[str, str]:
    """Every search file of the site: path (under search/) -> content."""
    return dict(iter_index(kb))


SCRIPT_CALL = "kbSearchFile"  # the function of kb-search.js each index script calls


def script_name(path: str) -> str:
    """The script holding an index file (``p/3.json`` -> ``p/3.js``)."""
    return path.rpartition(".")[0] + ".js"


def as_script(path: str, text: str) -> str:
    """An index file as a script that hands it to the search page: one call, a string and a
    JSON value (data, nothing that runs; ``kb-search.js`` parses what is still text). JSON
    text is a JavaScript expression; U+2028 and U+2029 are escaped for older parsers. No key
    is ``__proto__`` (keys are tokens, letters, digits, Han, or fixed names)."""
    value = text if path.endswith(".json") else json.dumps(text, ensure_ascii=False)
    value = value.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{SCRIPT_CALL}({json.dumps(path)},{value});\n"


def iter_index(kb, offline: bool = False, url_of=None):
    """(path under search/, content) for every search file, one at a time. ``offline``
    (``kb build --offline``): each file's script too, and documents' URLs from ``url_of``
    (an entry -> its page's file)."""
    for path, text in _iter_index(kb, url_of if offline and url_of is not None else None):
        yield path, text
        if offline:
            yield script_name(path), as_script(path, text)


def _iter_index(kb, url_of=None):
    entries = sorted(kb.public, key=lambda e: (e.date, e.title), reverse=True)  # id order: newest first
    kinds = list(KINDS.values())
    kind_index = {k.id: i for i, k in enumerate(kinds)}
    tag_reg = kb.registries["tags"]
    tag_ids = sorted({t for e in entries for t in e.data.get("tags", [])})
    tag_index = {t: i for i, t in enumerate(tag_ids)}
    years = [entry_year(e) for e in entries]
    min_year = min(years, default=2000)

    texts = [document_text(kb, e) for e in entries]
    titles = [e.title for e in entries]
    yield from ((f"t/{i}.txt", text) for i, text in enumerate(texts))
    encoded, chars = _encode_postings(texts, titles)
    del texts
    total = sum(len(tok.encode()) + len(value) + 6 for tok, value in encoded.items())
    shards = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES))))
    buckets: list[dict[str, str]] = [{} for _ in range(shards)]
    for tok, value in encoded.items():
        buckets[shard_of(tok.lstrip("^"), shards)][tok] = value
    del encoded
    for i, bucket in enumerate(buckets):
        # Sorted keys: token order otherwise follows set iteration, which changes with
        # Python's hash seed, and the same content must give the same files.
        yield f"p/{i}.json", json.dumps(bucket, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        buckets[i] = None
    for c in range(0, len(entries), CHUNK):
        # A sixth value, 1, marks a posting closed on the build's date (the site is rebuilt daily).
        rows = [[url_of(e) if url_of else e.url, e.title, kind_index[e.kind.id], e.date.isoformat(), e.data["summary"]]
                + ([1] if kb.is_closed(e) else []) for e in entries[c:c + CHUNK]]
        yield f"d/{c // CHUNK}.json", json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    yield "facets.json", json.dumps({
        "kind": "".join(_b36(kind_index[e.kind.id]) for e in entries),
        "year": "".join(_b36(y - min_year) for y in years),
        "min_year": min_year,
    }, separators=(",", ":"))
    yield "tags.json", json.dumps([[tag_index[t] for t in e.data.get("tags", [])] for e in entries],
                                  separators=(",", ":"))
    table = t2s_table()
    yield "meta.json", json.dumps({
        "version": FORMAT_VERSION,
        "docs": len(entries),
        "shards": shards,
        "chunk": CHUNK,
        "kinds": [{"id": k.id, "zh": k.zh} for k in kinds],
        "years": sorted(set(years), reverse=True),
        "tags": [{"id": t, "zh": tag_reg.label(t)} for t in tag_ids],
        "t2s": {ch: table[ch] for ch in sorted(chars) if ch in table},
    }, ensure_ascii=False, separators=(",", ":"))


PARALLEL_FROM = 2000  # documents
_WORK: dict = {}


def _postings_slice(bounds: tuple[int, int]):
    """Postings of documents [start, end): token -> (first id, base-36 gaps after it, last id)."""
    start, end = bounds
    texts, titles = _WORK["args"]
    postings: dict[str, list[int]] = {}
    chars: set[str] = set()
    for doc_id in range(start, end):
        text = texts[doc_id]
        chars.update(text)
        for tok in set(tokens(text, unigrams=True)):
            postings.setdefault(tok, []).append(doc_id)
        for tok in set(tokens(titles[doc_id], unigrams=True)):
            postings.setdefault("^" + tok, []).append(doc_id)
    out = {}
    for tok, ids in postings.items():
        gaps = [_b36(b - a) for a, b in zip(ids, ids[1:])]
        out[tok] = (ids[0], ",".join(gaps), ids[-1])
    return out, chars


def _encode_postings(texts: list[str], titles: list[str]) -> tuple[dict[str, str], set[str]]:
    """token -> base-36 gaps between the ids of the documents holding it; on every core for
    large sites (slices in id order, stitched together by the first id of each slice)."""
    n = len(texts)
    _WORK["args"] = (texts, titles)
    try:
        workers = min(os.cpu_count() or 1, 8)
        step = -(-n // (workers * 2)) if n else 1
        slices = [(i, min(i + step, n)) for i in range(0, n, step)]
        if n >= PARALLEL_FROM and workers > 1:
            parts = map_chunks(_postings_slice, slices, workers)
            # A worker that died (the out-of-memory killer) is not waited on: its slice is redone here.
            parts = [_postings_slice(s) if isinstance(part, Crashed) else part for s, part in zip(slices, parts)]
        else:
            parts = [_postings_slice(s) for s in slices]
    finally:
        _WORK.clear()
    encoded: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    chars: set[str] = set()
    for part, part_chars in parts:
        chars |= part_chars
        for tok, (first, gaps, end) in part.items():
            pieces = encoded.get(tok)
            if pieces is None:
                encoded[tok] = pieces = [_b36(first)]
            else:
                pieces.append(_b36(first - last[tok]))
            if gaps:
                pieces.append(gaps)
            last[tok] = end
    return {tok: ",".join(p) for tok, p in encoded.items()}, chars


class LocalIndex:
    """The built index read back from files, searched exactly as the browser does (for
    tests and the benchmark)."""

    def __init__(self, files: dict[str, str]):
        self.files = files
        self.meta = json.loads(files["meta.json"])
        self.fetched: list[str] = []

    def _get(self, path: str) -> str:
        self.fetched.append(path)
        return self.files[path]

    def postings(self, token: str) -> list[int]:
        shard = json.loads(self._get(f"p/{shard_of(token.lstrip('^'), self.meta['shards'])}.json"))
        value = shard.get(token)
        if not value:
            return []
        out, prev = [], 0
        for part in value.split(","):
            prev += int(part, 36)
            out.append(prev)
        return out

    def search(self, query: str) -> list[int]:
        """Document ids matching every token of the query: title matches first, then newest first."""
        toks = list(dict.fromkeys(tokens(query)))
        if not toks:
            return []
        result: set[int] | None = None
        for t in toks:
            ids = set(self.postings(t))
            result = ids if result is None else result & ids
            if not result:
                return []
        in_title = None
        for t in toks:
            ids = set(self.postings("^" + t))
            in_title = ids if in_title is None else in_title & ids
        return sorted(result, key=lambda i: (i not in in_title, i))
