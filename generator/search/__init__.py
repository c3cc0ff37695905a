"""The search index: the same text folding and tokens at build time and in the browser.

Why: Material's lunr search cuts Chinese one way when indexing and another
way when the reader types, and ships the whole index to every reader (143 MB
at 10,000 pages). Here both sides

1. fold text the same way: Unicode NFKC, lower case, and Traditional ->
   Simplified character by character (``data/t2s.json``, from OpenCC), so
   图书馆 finds 圖書館;
2. cut it the same way (``text.py``): the index holds every run of one to four Han
   characters inside a run of Han characters (character, pairs, triples, quadruples), every
   Latin word or number, and its prefixes ("koh*", 2 to 15 letters).

A query is a list of units (``text.units``), all of which must match (AND): each run of
Han characters is a phrase, each word a word (the last one also a prefix while it is
typed), and text in quotes one phrase. A phrase of one to four Han characters is one key
of the index, so its postings are exact; a longer one is looked up as quadruples covering it
(at 0, 4, 8 ... and the last four), and each candidate is then checked against the
document's folded text (``t/<id>.txt``, fetched anyway for the excerpt), so that only
documents where the characters stand together are shown. The browser checks candidates
in rank order as far as the page shown (and one more); until all are checked the count
it shows is an upper bound ("約").

Ranking (``build.py``, BM25F-like): each posting carries a level, one character, of the
key's weight in that document: title 5, summary 2.5, facts and tags 2, body 1, term
frequency saturated (k1 = 1.2) and normalised by the field's length (b = 0.75). A query
adds, for each of its keys, the key's rarity (idf) times the document's level
(``meta.json`` "impact" turns a level back into a number); a small recency tie-break
(newest +4 %) multiplies it. Entries whose title is exactly the query (as runs) come
first: "=" + the title's runs is a key of its own, kept in the shard of its first key
so that it costs no extra file.

Postings are sharded by a hash of the key, so a query downloads only the shards of its
own keys; document metadata comes in small chunks and texts one file per shown (or
checked) result. ``overrides/assets/javascripts/kb-search.js`` is the browser half;
tests run both on the same strings and the same index.

Files (under ``search/`` of the site):
  meta.json            shard and chunk counts, the level -> impact table, kinds, years, tags,
                       the t2s subset
  facets.json          per document: kind and year (compact strings)
  tags.json            per document: tag indexes (loaded when filtering by tag)
  p/<shard>.json       key -> base-36 gaps between document ids, "|", a level character per
                       document; "=" + title runs -> ids
  d/<chunk>.json       [url, title, kind, date, summary(, 1 when closed)] for CHUNK documents
                       (for tools and tests: the search page reads t/ instead)
  t/<id>.txt           a line each: title, summary, facts, then [url, kind, date, closed] (what a
                       result shows, so that a page of results needs no d/ chunk), then the
                       body's plain text: for checking phrases and, from the body only, excerpts

A copy opened from disk (``kb build --offline``) has each of them also as a script,
``<name>.js`` beside it (``p/3.js`` for ``p/3.json``, ``t/5.js`` for ``t/5.txt``), which
hands the file to ``kbSearchFile(path, value)``: a browser reads no file from ``file://``
with fetch(), but runs the scripts a page adds. The search page loads them one by one, as
it fetches the files on a server: still only the shards a query needs. In these builds a
document's URL is its page's file (``tools/ifla.html``), as the pages link to it.
"""

from __future__ import annotations

from . import build
from .build import (CHUNK, FORMAT_VERSION, IMPACT, LEVELS, PARALLEL_FROM, SCRIPT_CALL, SHARD_TARGET_BYTES, WEIGHTS,
                    as_script, build_index, document_fields, document_text, iter_index, key_shard, plain_text,
                    script_name, shard_of)
from .local import LocalIndex
from .text import HAN, TOKEN_RE, Unit, fold, holds, t2s_table, title_key, tokens, units

__all__ = ["CHUNK", "FORMAT_VERSION", "HAN", "IMPACT", "LEVELS", "PARALLEL_FROM", "SCRIPT_CALL", "SHARD_TARGET_BYTES",
           "TOKEN_RE", "WEIGHTS", "LocalIndex", "Unit", "as_script", "build", "build_index", "document_fields",
           "document_text", "fold", "holds", "iter_index", "key_shard", "plain_text", "script_name", "shard_of",
           "t2s_table", "title_key", "tokens", "units"]
