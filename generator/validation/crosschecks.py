"""Checks across entries: what no single file can tell (two tools at one address, a
public entry linking to an internal one, one thing entered twice)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from urllib.parse import urlsplit
from typing import Any

from ..core.problems import Level, Problem, problem
from ..kinds import KINDS_BY_FOLDER
from ..source.frontmatter import load_source
from .entry import Entry


def _norm_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"


def cross_checks(kb) -> list[Problem]:
    problems: list[Problem] = []
    by_rel = {e.rel: e for e in kb.entries}
    # Addresses no two entries of a kind may share (Kind.unique), e.g. two tools at one URL.
    seen: dict[tuple[str, str, str], Entry] = {}
    for e in sorted(kb.entries, key=lambda e: e.rel):
        for name in e.kind.unique:
            if name not in e.data:
                continue
            key = (e.kind.id, name, _norm_url(e.data[name]))
            if key in seen:
                line, col = e.positions.get(name, (1, 1))
                problems.append(problem(e.path, line, col, "duplicate-url", url=e.data[name], other=seen[key].path))
            else:
                seen[key] = e
    problems.extend(_likely_duplicates([e for e in kb.entries if e.public]))
    # Links (their targets exist: checked per entry): public entries must not link to internal ones.
    for e in kb.entries:
        if not e.public:
            continue
        for link in e.links:
            if not _target_public(kb, by_rel, link.target):
                problems.append(problem(e.path, link.line, link.column, "link-internal", target=link.target))
    return problems


def _target_public(kb, by_rel: dict[str, Entry], rel: str) -> bool:
    entry_file = rel if rel.endswith(".md") else _bundle_index(rel)
    if entry_file is None:
        return True
    owner = by_rel.get(entry_file)
    if owner is not None:
        return owner.public
    # Not validated in this run (kb validate PATH) or invalid: read its visibility directly.
    src = load_source(kb.content_dir / entry_file, entry_file)
    for key, value in (src.front_matter.value if src.front_matter is not None else []):
        if getattr(key, "value", None) == "visibility":
            return getattr(value, "value", "public") != "internal"
    return True


def _bundle_index(rel: str) -> str | None:
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] in KINDS_BY_FOLDER:
        return f"{parts[0]}/{parts[1]}/index.md"
    return None


# -- one thing entered twice -------------------------------------------------------------------
#
# Warnings, for the reviewer: the same identifying fields (Kind.identity), or a title equal or
# nearly equal to another's of the same kind, among public entries (an internal draft beside
# its published entry is no second page). Reported on the later entry (by date written,
# then path), naming the earlier one. Entries naming each other in ``related`` are told apart
# on purpose and not reported. Linear in the number of entries: values and titles are keys of
# dictionaries; near titles are compared only within small groups (same numbers, same first
# or last characters), against a bounded number of others each.

SIMILAR_RATIO = 0.9  # difflib's ratio of the normalised titles
SIMILAR_MIN_LENGTH = 8  # normalised characters: shorter titles must be equal
SIMILAR_AFFIX = 4  # near titles share their first or last characters
SIMILAR_CANDIDATES = 8  # others of each group compared with a title, at most
MAX_IDENTITY_KEYS = 64  # combinations of list items per entry, at most


def fields_read(kind) -> tuple[str, ...]:
    """The fields of an entry of ``kind`` the checks across entries read (kb validate keeps
    only these of each entry, see indexing._for_checks)."""
    own = {*kind.unique, *(name.split(".", 1)[0] for name in kind.identity)}
    return ("visibility", "title", "date", "related", *sorted(own))


_NOT_WORD_RE = re.compile(r"[\W_]+")
_NUMBER_RE = re.compile(r"\d+|[〇零一二三四五六七八九十百千萬兩]+")


def normalise_title(title: str) -> str:
    """NFKC, case folded, letters and digits only (no punctuation, spaces or symbols)."""
    return _NOT_WORD_RE.sub("", unicodedata.normalize("NFKC", title).casefold())


def _numbers(norm: str) -> tuple[str, ...]:
    """The numbers of a normalised title (digits, Chinese numerals): titles differing in one
    (2022 and 2023, 第一屆 and 第二屆) are different things, however alike otherwise."""
    return tuple(_NUMBER_RE.findall(norm))


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _values(data: dict, path: str) -> list[str]:
    """The normalised values of a field, dotted for a field inside an object or a list of them."""
    value = data.get(path)
    if isinstance(value, (str, dt.date)):  # the most common case, quickly
        return [value.isoformat() if isinstance(value, dt.date) else _plain(value)]
    values: list[Any] = [data]
    for name in path.split("."):
        nxt: list[Any] = []
        for v in values:
            v = v.get(name) if isinstance(v, dict) else None
            if isinstance(v, list):
                nxt.extend(v)
            elif v is not None:
                nxt.append(v)
        values = nxt
    out: list[str] = []
    for v in values:
        if isinstance(v, (dt.date, dt.datetime)):
            out.append(v.isoformat())
        elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
            text = _plain(str(v))
            if text:
                out.append(text)
    return sorted(set(out))


def _identity_keys(e: Entry) -> list[tuple]:
    keys: list[tuple] = [()]
    for name in e.kind.identity:
        values = _values(e.data, name)
        if not values:
            return []  # a field left out: nothing to compare
        keys = [(*k, v) for k in keys for v in values][:MAX_IDENTITY_KEYS]
    return [(e.kind.id, *k) for k in keys] if e.kind.identity else []


def compared_values(e: Entry) -> tuple:
    """What _likely_duplicates compares of an entry, from the entry alone: its order (date
    written, then path), its identity keys, its normalised title ("" when it has none) and,
    for a title long enough to be compared with others, its numbers. kb validate works them
    out on the workers' cores (indexing._for_checks), leaving the one pass over all entries
    less to do after them."""
    title = e.data.get("title")
    norm = normalise_title(title) if isinstance(title, str) else ""
    return ((str(e.data.get("date", "")), e.rel), _identity_keys(e), norm,
            _numbers(norm) if len(norm) >= SIMILAR_MIN_LENGTH else ())


def _told_apart(a: Entry, b: Entry) -> bool:
    return b.key in (a.data.get("related") or ()) or a.key in (b.data.get("related") or ())


def _likely_duplicates(entries: list[Entry]) -> list[Problem]:
    out: list[Problem] = []
    by_identity: dict[tuple, Entry] = {}
    by_title: dict[tuple[str, str], Entry] = {}
    groups: dict[tuple, list[tuple[str, Entry]]] = {}
    matcher = difflib.SequenceMatcher(autojunk=False)
    compared = sorted(((getattr(e, "compared", None) or compared_values(e), e) for e in entries), key=lambda c: c[0][0])
    for (_, identity, norm, numbers), e in compared:
        reported = False
        for key in identity:
            other = by_identity.get(key)
            if other is None:
                by_identity[key] = e
            elif not reported and not _told_apart(e, other):
                name = e.kind.identity[0].split(".", 1)[0]
                line, col = e.positions.get(name, (1, 1))
                out.append(problem(e.path, line, col, "duplicate-entry", level=Level.WARNING, other=other.path,
                                   keys="、".join(f"{e.kind.field(k).zh}（{k}）" for k in e.kind.identity)))
                reported = True
        if not norm:  # no title, or none of letters and digits
            continue
        other = by_title.setdefault((e.kind.id, norm), e)
        if other is not e:
            if not reported and not _told_apart(e, other):
                line, col = e.positions.get("title", (1, 1))
                out.append(problem(e.path, line, col, "duplicate-title", level=Level.WARNING, other=other.path))
            continue
        if len(norm) < SIMILAR_MIN_LENGTH:
            continue
        near = None
        matcher.set_seq2("")  # set to the title once there is another to compare it with
        for group in ((e.kind.id, numbers, "<", norm[:SIMILAR_AFFIX]),
                      (e.kind.id, numbers, ">", norm[-SIMILAR_AFFIX:])):
            members = groups.setdefault(group, [])
            if near is None and not reported:
                near = _nearest(matcher, norm, members, e)
            members.append((norm, e))
        if near is not None:
            line, col = e.positions.get("title", (1, 1))
            out.append(problem(e.path, line, col, "duplicate-title", level=Level.WARNING, other=near.path))
    return out


def _nearest(matcher: difflib.SequenceMatcher, norm: str, members: list[tuple[str, Entry]], e: Entry) -> Entry | None:
    """The first of the last few titles of a group at least SIMILAR_RATIO like ``norm``
    (the matcher's second sequence), unless told apart from ``e``."""
    n = len(norm)
    for other_norm, other in reversed(members[-SIMILAR_CANDIDATES:]):
        m = len(other_norm)
        if 2 * min(n, m) / (n + m) < SIMILAR_RATIO:
            continue  # the lengths alone rule it out
        if matcher.b != norm:  # type: ignore[attr-defined]  # set_seq2 sets .b; typeshed leaves it out
            matcher.set_seq2(norm)
        matcher.set_seq1(other_norm)
        if matcher.quick_ratio() >= SIMILAR_RATIO and matcher.ratio() >= SIMILAR_RATIO and not _told_apart(e, other):
            return other
    return None
