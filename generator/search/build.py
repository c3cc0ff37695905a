"""Writing the index: postings with a score per document, shards, metadata, texts."""

from __future__ import annotations

import bisect
import json
import math
import operator
import re

from ..core.parallel import Crashed, default_workers, map_chunks
from ..kinds import KINDS
from ..model.facets import entry_year
from ..model.facts import plain
from ..model.vocab import text_language
from .text import anchor, field_counts, field_length, fold, t2s_table, title_key

FORMAT_VERSION = 2
CHUNK = 20  # documents per metadata chunk
SHARD_TARGET_BYTES = 6 * 1024  # smaller shards: a query fetches less besides its own keys
PARALLEL_FROM = 2000  # documents

# Ranking (BM25F-like). The fields of a document: title, summary, facts (tags included), body.
WEIGHTS = (5.0, 2.5, 2.0, 1.0)
K1, B = 1.2, 0.75
# A key's score in a document, sum over fields of weight * tf * (K1 + 1) / (tf + K1 * (1 - B + B *
# length / average length)), is stored as one character: level = round(SCALE * ln(1 + score)),
# 1..61; IMPACT[level] (in meta.json) is the score again, times 1000, for the browser to add up.
LEVELS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
SCALE = 19.0
IMPACT = [round(1000 * (math.exp(level / SCALE) - 1)) for level in range(len(LEVELS))]
_THRESHOLDS = [math.exp((level + 0.5) / SCALE) - 1 for level in range(len(LEVELS) - 1)]

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_SYNTAX = re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`~|]+|^\s*[-=]{3,}\s*$", re.M)


def plain_text(markdown: str) -> str:
    text = _MD_LINK.sub(r"\1", markdown)
    text = _MD_SYNTAX.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _line(text: str) -> str:
    return " ".join(text.split("\n")).strip()


def document_fields(kb, e) -> list[str]:
    """What a reader may search for in an entry: title, summary, key facts (one line each),
    then the body's plain text. The English title and summary, when the entry has them, are
    searched with the facts (on both languages' search pages)."""
    facts = " ".join(plain(parts) for _, parts in e.kind.fact_rows(e, kb))
    english = " ".join(e.data[k] for k in ("title_en", "summary_en") if e.data.get(k))
    return [_line(e.title), _line(e.data["summary"]), _line(f"{facts} {english}" if english else facts),
            plain_text(e.body)]


def document_text(kb, e) -> str:
    """The searchable text, one field a line."""
    return "\n".join(document_fields(kb, e))


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


def shard_of(token: str, shards: int) -> int:
    """FNV-1a (32-bit) over code points; kb-search.js computes the same."""
    h = 0x811C9DC5
    for ch in token:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def key_shard(key: str, shards: int) -> int:
    """An exact-title key ("=" + runs) lives in its anchor's shard; any other key in its own."""
    return shard_of(anchor(key[1:]) if key[0] == "=" else key, shards)


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


def build_index(kb) -> dict[str, str]:
    """Every search file of the site: path (under search/) -> content."""
    return dict(iter_index(kb))


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

    # A sixth value, 1, marks a posting closed on the build's date (the site is rebuilt daily).
    rows = [[url_of(e) if url_of else e.url, e.title, kind_index[e.kind.id], e.date.isoformat(), e.data["summary"]]
            + ([1] if kb.is_closed(e) else []) for e in entries]
    fields = [document_fields(kb, e) for e in entries]
    for i, (f, row) in enumerate(zip(fields, rows)):
        # For the English search page: the entry's English title and summary, and the language
        # it is written in when not Traditional Chinese (what its own title is marked with there).
        e = entries[i]
        extra = [e.data.get("title_en") or "", e.data.get("summary_en") or ""]
        if text_language(e) != "zh-Hant":
            extra.append(text_language(e))
        shown = json.dumps([row[0], row[2], row[3], len(row) > 5, *(extra if any(extra) else [])],
                           ensure_ascii=False, separators=(",", ":"))
        yield f"t/{i}.txt", "\n".join([*f[:3], shown, f[3]])
    chars = {ch for f in fields for text in f for ch in text}
    folded = [[fold(text) for text in f] for f in fields]
    del fields
    encoded = _encode_postings(folded)
    del folded
    total = sum(len(tok.encode()) + len(value) + 6 for tok, value in encoded.items())
    shards = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES))))
    buckets: list[dict[str, str]] = [{} for _ in range(shards)]
    for tok, value in encoded.items():
        buckets[key_shard(tok, shards)][tok] = value
    del encoded
    for i, bucket in enumerate(buckets):
        # Sorted keys: token order otherwise follows set iteration, which changes with
        # Python's hash seed, and the same content must give the same files.
        yield f"p/{i}.json", json.dumps(bucket, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        buckets[i] = {}  # written: its memory is freed
    for c in range(0, len(entries), CHUNK):
        yield f"d/{c // CHUNK}.json", json.dumps(rows[c:c + CHUNK], ensure_ascii=False, separators=(",", ":"))
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
        "impact": IMPACT,
        "kinds": [{"id": k.id, "zh": k.zh, "en": k.en} for k in kinds],
        "years": sorted(set(years), reverse=True),
        "tags": [{"id": t, "zh": tag_reg.label(t)} for t in tag_ids],
        "t2s": {ch: table[ch] for ch in sorted(chars) if ch in table},
        "t2s_source": "derived from OpenCC (https://github.com/BYVoid/OpenCC), Apache License 2.0",
    }, ensure_ascii=False, separators=(",", ":"))


_WORK: dict = {}


def _level(score: float) -> str:
    return LEVELS[max(1, bisect.bisect(_THRESHOLDS, score))]


def _document_levels(fields: list[str], averages: list[float]) -> dict[str, str]:
    """Every key of one document (its folded fields) -> its level character. The body's keys
    are most of them and their level depends on their count alone: worked out once a count."""
    counted = [field_counts(text) for text in fields]
    k1 = K1 + 1
    norms = [K1 * (1 - B + B * n / a) for (_, n), a in zip(counted, averages)]
    body, body_norm, w_body = counted[-1][0], norms[-1], WEIGHTS[-1]
    by_count = [_level(w_body * tf * k1 / (tf + body_norm)) for tf in range(max(body.values(), default=0) + 1)]
    levels = {tok: by_count[tf] for tok, tf in body.items()}
    others: dict[str, float] = {}
    for (counts, _), norm, weight in zip(counted[:-1], norms, WEIGHTS):
        for tok, tf in counts.items():
            others[tok] = others.get(tok, 0.0) + weight * tf * k1 / (tf + norm)
    for tok, score in others.items():
        in_body = body.get(tok)
        levels[tok] = _level(score + (w_body * in_body * k1 / (in_body + body_norm) if in_body else 0.0))
    return levels


def _postings_slice(bounds: tuple[int, int]):
    """Postings of documents [start, end): key -> (first id, base-36 gaps after it, last id,
    one level character per document)."""
    start, end = bounds
    folded, averages = _WORK["args"]
    postings: dict[str, list] = {}  # key -> [id, level, id, level, ...]
    titles: dict[str, list[int]] = {}
    get = postings.get
    for doc_id in range(start, end):
        fields = folded[doc_id]
        for tok, ch in _document_levels(fields, averages).items():
            entries = get(tok)
            if entries is None:
                postings[tok] = [doc_id, ch]
            else:
                entries += (doc_id, ch)
        key = title_key(fields[0])
        if key:
            titles.setdefault("=" + key, []).append(doc_id)
    out: dict[str, tuple[int, str, int, str | None]] = {}
    for tok, entries in postings.items():
        ids = entries[0::2]
        out[tok] = (ids[0], ",".join(map(_b36, map(operator.sub, ids[1:], ids[:-1]))), ids[-1], "".join(entries[1::2]))
    for key, ids in titles.items():
        out[key] = (ids[0], ",".join(map(_b36, map(operator.sub, ids[1:], ids[:-1]))), ids[-1], None)
    return out


def _encode_postings(folded: list[list[str]]) -> dict[str, str]:
    """key -> base-36 gaps between the ids of the documents holding it (or a bitmap when that
    is shorter), "|", a level character per document (exact-title keys, "=...", have no
    levels); on every core for large sites (slices in id order, stitched together by the first
    id of each slice)."""
    n = len(folded)
    averages = [max(1.0, sum(field_length(f[i]) for f in folded) / max(n, 1)) for i in range(len(WEIGHTS))]
    _WORK["args"] = (folded, averages)
    try:
        workers = default_workers()
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
    lv: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for part in parts:
        for tok, (first, gaps, end, levels) in part.items():
            pieces = encoded.get(tok)
            if pieces is None:
                encoded[tok] = pieces = [_b36(first)]
                lv[tok] = []
            else:
                pieces.append(_b36(first - last[tok]))
            if gaps:
                pieces.append(gaps)
            if levels is not None:
                lv[tok].append(levels)
            last[tok] = end
    out = {}
    for tok, pieces in encoded.items():
        gaps = ",".join(pieces)
        if tok[0] == "=":
            out[tok] = gaps
            continue
        if last[tok] // 6 + 2 < len(gaps):  # a key most documents hold: a bitmap is shorter
            gaps = _bitmap(gaps)
        out[tok] = gaps + "|" + "".join(lv[tok])
    return out


BITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"  # 6 ids a character


def _bitmap(gaps: str) -> str:
    """Base-36 gaps as "~" and a bitmap: character i, in BITS, holds ids 6i..6i+5, highest bit first."""
    ids, prev = [], 0
    for part in gaps.split(","):
        prev += int(part, 36)
        ids.append(prev)
    values = [0] * (ids[-1] // 6 + 1)
    for i in ids:
        values[i // 6] |= 32 >> (i % 6)
    return "~" + "".join(BITS[v] for v in values)

