"""The knowledge base as a whole: cross-entry checks, listings, facets, related entries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import heapq
import os
from collections import Counter, defaultdict
from itertools import combinations
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from .loading import scan
from .parallel import Crashed, default_workers, map_chunks, map_isolated
from .frontmatter import load_source
from .models import KINDS, KINDS_BY_FOLDER, Kind
from .models.vocab import AUDIENCE, ITEM_CATEGORY, OFFER_TYPE
from .problems import Problem, problem
from .registries import Registries, load_registries
from .settings import Settings, load_settings
from .validation import Entry, validate_entry


def entry_year(e: Entry) -> int:
    if "year" in e.data:
        return e.data["year"]
    if "start_date" in e.data:
        return e.data["start_date"].year
    return e.date.year


def _institutions(e: Entry) -> list[str]:
    out = [e.data.get("institution"), *e.data.get("institutions", [])]
    return list(dict.fromkeys(i for i in out if i))


@dataclass(frozen=True)
class Facet:
    id: str  # also the URL folder
    zh: str
    en: str
    values: Callable[[Entry], list]
    current_only: bool = False  # lists only entries not past their expiry (exchange board filters)


FACETS: list[Facet] = [
    Facet("tags", "標籤", "Tags", lambda e: e.data.get("tags", [])),
    Facet("years", "年度", "Years", lambda e: [entry_year(e)]),
    Facet("organizations", "組織與會議", "Organizations", lambda e: [e.data["conference"]] if "conference" in e.data else []),
    Facet("institutions", "機構", "Institutions", _institutions),
    Facet("audiences", "對象", "Audiences", lambda e: e.data.get("audience", [])),
    Facet("item-categories", "交換物品類別", "Exchange categories",
          lambda e: [e.data["category"]] if e.kind.id == "exchange" else [], current_only=True),
    Facet("offer-types", "交換刊登類型", "Kinds of offer",
          lambda e: [e.data["offer_type"]] if e.kind.id == "exchange" else [], current_only=True),
]
FACETS_BY_ID = {f.id: f for f in FACETS}
PAIR_CAP = 1000  # entries considered per pair of tags (newest first); ample for related lists


def sort_newest(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.date, e.title), reverse=True)


@dataclass
class KnowledgeBase:
    content_dir: Path
    registries: Registries
    entries: list[Entry] = field(default_factory=list)  # every valid entry, internal ones too
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    settings: Settings = field(default_factory=Settings)
    today: dt.date | None = None  # the build's date (expiry); None: today in Taipei

    def now(self) -> dt.date:
        if self.today is None:
            from .siteinfo import TAIPEI

            self.today = dt.datetime.now(TAIPEI).date()
        return self.today

    def is_closed(self, e: Entry) -> bool:
        """Past its closing date / expiry (the day itself is still open), or marked taken."""
        if e.kind.expires is None:
            return False
        return e.data[e.kind.expires] < self.now() or e.data.get("status") == "taken"

    def current(self, kind: Kind) -> list[Entry]:
        return [e for e in self.by_kind(kind) if not self.is_closed(e)]

    def archived(self, kind: Kind) -> list[Entry]:
        """Closed entries, the most recently closed first."""
        closed = [e for e in self.public if e.kind is kind and self.is_closed(e)]
        return sorted(closed, key=lambda e: (e.data[kind.expires], e.date, e.title), reverse=True)

    def featured(self, kind: Kind | None = None) -> list[Entry]:
        return sort_newest([e for e in self.public if e.data.get("featured") and (kind is None or e.kind is kind)
                            and not self.is_closed(e)])

    @property
    def public(self) -> list[Entry]:
        return self._memo("public", lambda: [e for e in self.entries if e.public])

    def _memo(self, key, compute):
        """Values derived from every entry, computed once per state of the knowledge base
        (a page build asks for the same ones hundreds of times)."""
        state = (len(self.entries), self.today)
        memo = self.__dict__.get("_memo_store")
        if memo is None or memo[0] != state:
            memo = (state, {})
            self.__dict__["_memo_store"] = memo
        if key not in memo[1]:
            memo[1][key] = compute()
        return memo[1][key]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level.value == "error"]

    def by_kind(self, kind: Kind) -> list[Entry]:
        return list(self._memo(("kind", kind.id), lambda: sort_newest([e for e in self.public if e.kind is kind])))

    def facet_index(self, facet: Facet) -> dict[object, list[Entry]]:
        def compute():
            groups: dict[object, list[Entry]] = defaultdict(list)
            for e in self.public:
                if facet.current_only and self.is_closed(e):
                    continue
                for v in facet.values(e):
                    groups[v].append(e)
            return {k: sort_newest(v) for k, v in groups.items()}
        return dict(self._memo(("facet", facet.id), compute))

    def facet_label(self, facet: Facet, value, lang: str = "zh-TW") -> str:
        if facet.id == "tags":
            return self.registries["tags"].label(value, lang)
        if facet.id == "organizations":
            reg = self.registries["organizations"]
            return f"{value} {reg.label(value, lang)}" if lang.startswith("zh") else reg.label(value, lang)
        if facet.id == "institutions":
            return self.registries["institutions"].label(value, lang)
        if facet.id == "audiences":
            return AUDIENCE.label(value, lang)
        if facet.id == "item-categories":
            return ITEM_CATEGORY.label(value, lang)
        if facet.id == "offer-types":
            return OFFER_TYPE.label(value, lang)
        return str(value)

    def _tag_indexes(self):
        """Public entries by tag and by pair of tags, newest first, with each entry's tags as
        a bit mask and its rank in that order (built once)."""
        def compute():
            newest = sort_newest(self.public)
            bits = {t: 1 << i for i, t in enumerate(sorted({t for e in newest for t in e.data.get("tags", [])}))}
            by_tag: dict[str, list[Entry]] = defaultdict(list)
            by_pair: dict[tuple[str, str], list[Entry]] = defaultdict(list)
            mask: dict[int, int] = {}
            rank: dict[int, int] = {}
            for r, e in enumerate(newest):
                tags = sorted(set(e.data.get("tags", [])))
                mask[id(e)] = sum(bits[t] for t in tags)
                rank[id(e)] = r
                for t in tags:
                    by_tag[t].append(e)
                for pair in combinations(tags, 2):
                    by_pair[pair].append(e)
            return by_tag, by_pair, mask, rank
        return self._memo("tag-indexes", compute)

    def related(self, entry: Entry, n: int = 5) -> list[Entry]:
        """Public entries sharing the most tags, newest first among equals.

        Entries sharing two or more tags are found through the tag-pair index;
        those sharing one, from the per-tag lists (newest first). Shared tags are
        counted on bit masks. No scan of every entry.
        """
        by_tag, by_pair, mask, rank = self._tag_indexes()
        tags = sorted(set(entry.data.get("tags", [])))
        em = mask.get(id(entry), 0)
        multi = {id(o): o for pair in combinations(tags, 2) for o in by_pair.get(pair, [])[:PAIR_CAP]
                 if o is not entry}
        chosen = heapq.nlargest(n, multi.values(), key=lambda o: ((mask[id(o)] & em).bit_count(), -rank[id(o)]))
        if len(chosen) < n:
            seen = set(map(id, chosen)) | {id(entry)}
            singles: dict[int, Entry] = {}
            for t in tags:
                taken = 0
                for o in by_tag.get(t, []):
                    if id(o) in seen:
                        continue
                    singles[id(o)] = o
                    taken += 1
                    if taken >= n:
                        break
            chosen += sorted(singles.values(), key=lambda o: rank[id(o)])[: n - len(chosen)]
        return chosen

    def _keyed(self) -> tuple[dict[str, Entry], dict[str, list[Entry]]]:
        """Public entries by key, and the entries naming each one in ``related`` (built once)."""
        def compute():
            by_key = {e.key: e for e in self.public}
            back: dict[str, list[Entry]] = defaultdict(list)
            for e in sort_newest([e for e in self.public if e.data.get("related")]):
                for ref in e.data["related"]:
                    if ref in by_key and ref != e.key:
                        back[ref].append(e)
            return by_key, back
        return self._memo("keyed", compute)

    def named_related(self, e: Entry) -> list[Entry]:
        """The public entries an entry names in ``related``, in its order."""
        by_key, _ = self._keyed()
        return [by_key[r] for r in e.data.get("related", []) if r in by_key and r != e.key]

    def referenced_by(self, e: Entry) -> list[Entry]:
        """Public entries naming this one in their ``related`` (e.g. expert answers citing a report)."""
        return self._keyed()[1].get(e.key, [])

    def counts(self) -> dict[str, int]:
        c = Counter(e.kind.id for e in self.public)
        return {k: c.get(k, 0) for k in KINDS}


class ValidationCache:
    """Validated entries kept between runs of a long-lived process (``kb serve``): an entry
    whose files, the registries and the settings are unchanged is not read again."""

    def __init__(self):
        self._items: dict[Path, tuple[tuple, object, list[Problem]]] = {}
        self.hits = self.misses = 0
        self.changed: set[Path] = set()  # files validated again in the last run

    def get(self, raw, context: tuple):
        hit = self._items.get(raw.abs_path)
        if hit is not None and hit[0] == (raw.signature(), context):
            self.hits += 1
            return hit[1], hit[2]
        self.misses += 1
        self.changed.add(raw.abs_path)
        return None

    def put(self, raw, context: tuple, entry, problems: list[Problem]) -> None:
        self._items[raw.abs_path] = ((raw.signature(), context), entry, problems)


def _context_signature(content_dir: Path, settings: Settings) -> tuple:
    regs = []
    for f in sorted((content_dir / "registries").glob("*.yml")):
        st = f.stat()
        regs.append((f.name, st.st_mtime_ns, st.st_size))
    return tuple(regs), settings


def settle_long_lived_state() -> None:
    """For a long-running process (the preview) once its first build is done: collect once,
    then leave what survived (the loaded entries, the history) out of later collections.
    Otherwise the first full collection after an edit walks every object of the 10,000-entry
    site: half a second added to the first preview after an edit, measured."""
    gc.collect()
    gc.freeze()


def load_knowledge_base(content_dir: Path, display_prefix: str = "content",
                        only: set[Path] | None = None, settings: Settings | None = None,
                        cache: ValidationCache | None = None, check_only: bool = False) -> KnowledgeBase:
    """Load, validate and cross-check everything; collects every problem.

    ``check_only`` (``kb validate``): entries keep only what the checks across entries read
    (address, visibility, links), not their bodies and fields, which workers would otherwise
    pickle back to the main process (24 MB at 10,000 entries)."""
    # Loading allocates hundreds of thousands of small acyclic objects (YAML nodes);
    # the cyclic collector walking them again and again doubled the time at 10,000 entries.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(content_dir), display_prefix, only, settings, cache, check_only)
    finally:
        if was_enabled:
            gc.enable()


def _load(content_dir: Path, display_prefix: str, only, settings, cache, check_only: bool) -> KnowledgeBase:
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    if settings is None:
        settings, found = load_settings(content_dir.parent)
        problems.extend(found)
    registries, found = load_registries(content_dir, display_prefix)
    problems.extend(found)
    tree = scan(content_dir, display_prefix, only=only)
    problems.extend(tree.problems)
    kb = KnowledgeBase(content_dir=content_dir, registries=registries, problems=problems,
                       files_checked=len(tree.entries), settings=settings)
    context = _context_signature(content_dir, settings) if cache is not None else ()
    if cache is not None:
        cache.changed = set()
    if cache is None and len(tree.entries) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        results = _validate_in_parallel(tree.entries, registries, settings, check_only)
    else:
        results = []
        for raw in tree.entries:
            cached = cache.get(raw, context) if cache is not None else None
            if cached is None:
                cached = validate_entry(raw, registries, settings)
                if cache is not None:
                    cache.put(raw, context, *cached)
            results.append(_for_checks(cached) if check_only else cached)
    for entry, found in results:
        problems.extend(found)
        if entry is not None:
            kb.entries.append(entry)
    problems.extend(_cross_checks(kb))
    kb.problems = sorted(set(problems), key=Problem.sort_key)
    return kb


PARALLEL_FROM = 2000  # entries; below this, starting processes costs more than it saves
_WORK: dict = {}


_CROSS_CHECKED = ("url", "visibility")  # the fields _cross_checks reads


def _for_checks(result):
    """An entry reduced to what _cross_checks reads."""
    entry, problems = result
    if entry is not None:
        entry = dataclasses.replace(
            entry, body="", headings=[], attachments=[], bundle_files=[],
            data={k: entry.data[k] for k in _CROSS_CHECKED if k in entry.data},
            positions={k: entry.positions[k] for k in _CROSS_CHECKED if k in entry.positions})
    return entry, problems


def _validate_slice(bounds: tuple[int, int]):
    entries, registries, settings, check_only = _WORK["args"]
    results = (validate_entry(raw, registries, settings) for raw in entries[bounds[0]:bounds[1]])
    return [_for_checks(r) if check_only else r for r in results]


def _validate_one(index: int):
    return _validate_slice((index, index + 1))[0]


def _validate_in_parallel(entries, registries, settings, check_only: bool = False):
    """Validate on every core: forked workers inherit the entries and registries, and send
    back validated entries (in this process where fork is not available).

    A file that kills its worker (a crash in a C library: LibYAML's composer recursing
    25,000 levels did) must neither hang the run nor lose the other files' problems: the
    entries of a chunk whose worker died are validated again one by one in isolated
    processes, and the file that kills its process is reported as such."""
    workers = default_workers()
    _WORK["args"] = (entries, registries, settings, check_only)
    step = -(-len(entries) // (workers * 4))
    slices = [(i, min(i + step, len(entries))) for i in range(0, len(entries), step)]
    try:
        parts = map_chunks(_validate_slice, slices, workers)
        lost = [i for (start, end), part in zip(slices, parts) if isinstance(part, Crashed)
                for i in range(start, end)]
        redone = dict(zip(lost, map_isolated(_validate_one, lost, workers)))
    finally:
        _WORK.clear()
    results = []
    for (start, end), part in zip(slices, parts):
        if not isinstance(part, Crashed):
            results.extend(part)
            continue
        for i in range(start, end):
            result = redone[i]
            if isinstance(result, Crashed):
                result = (None, [problem(entries[i].display, 1, 1, "file-crashed", reason=result.reason)])
            results.append(result)
    return results


def _norm_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"


def _cross_checks(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    by_rel = {e.rel: e for e in kb.entries}
    # Duplicate tool URLs
    seen: dict[str, Entry] = {}
    for e in sorted((e for e in kb.entries if "url" in e.data and e.kind.id == "tool"), key=lambda e: e.rel):
        key = _norm_url(e.data["url"])
        if key in seen:
            line, col = e.positions.get("url", (1, 1))
            problems.append(problem(e.path, line, col, "duplicate-url", url=e.data["url"], other=seen[key].path))
        else:
            seen[key] = e
    # Links (their targets exist: checked per entry): public entries must not link to internal ones.
    for e in kb.entries:
        if not e.public:
            continue
        for link in e.links:
            if not _target_public(kb, by_rel, link.target):
                problems.append(problem(e.path, link.line, link.column, "link-internal", target=link.target))
    return problems


def _target_public(kb: KnowledgeBase, by_rel: dict[str, Entry], rel: str) -> bool:
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
