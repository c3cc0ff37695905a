"""Loading the knowledge base: every file read, validated (on every core for a large
one) and checked across entries; a long-lived preview keeps validated entries between runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
from pathlib import Path

from ..core.parallel import Crashed, default_workers, map_chunks, map_isolated
from ..core.problems import Problem, problem
from ..model.registries import load_registries
from ..model.settings import Settings
from .project import open_project
from ..validation.crosschecks import compared_values, cross_checks, fields_read
from ..validation.entry import validate_entry
from ..validation.loading import scan
from .base import KnowledgeBase


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
                        cache: ValidationCache | None = None, check_only: bool = False,
                        today: dt.date | None = None) -> KnowledgeBase:
    """Load, validate and cross-check everything; collects every problem. ``today`` is the
    date expiry is judged on (a build's date); None: today in Taipei.

    ``check_only`` (``kb validate``): entries keep only what the checks across entries read
    (address, visibility, links), not their bodies and fields, which workers would otherwise
    pickle back to the main process (24 MB at 10,000 entries)."""
    # Loading allocates hundreds of thousands of small acyclic objects (YAML nodes);
    # the cyclic collector walking them again and again doubled the time at 10,000 entries.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(content_dir), display_prefix, only, settings, cache, check_only, today)
    finally:
        if was_enabled:
            gc.enable()


def _load(content_dir: Path, display_prefix: str, only, settings, cache, check_only: bool, today) -> KnowledgeBase:
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    if settings is None:  # the site opened: its kinds and vocabulary values applied
        project = open_project(content_dir.parent)
        settings = project.settings
        problems.extend(project.problems)
    registries, found = load_registries(content_dir, display_prefix)
    problems.extend(found)
    tree = scan(content_dir, display_prefix, only=only)
    problems.extend(tree.problems)
    kb = KnowledgeBase(content_dir=content_dir, registries=registries, problems=problems,
                       files_checked=len(tree.entries), settings=settings, today=today)
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
                raw.forget_source()
                if cache is not None:
                    cache.put(raw, context, *cached)
            results.append(_for_checks(cached, fresh=cache is None) if check_only else cached)  # a cache's is shared
    for entry, found in results:
        problems.extend(found)
        if entry is not None:
            kb.entries.append(entry)
    problems.extend(cross_checks(kb))
    kb.problems = sorted(set(problems), key=Problem.sort_key)
    return kb


PARALLEL_FROM = 2000  # entries; below this, starting processes costs more than it saves
_WORK: dict = {}


def _for_checks(result, fresh: bool = False):
    """An entry reduced to what cross_checks reads (crosschecks.fields_read). ``fresh``: the
    entry was just validated and nothing else holds it (a worker's), so it is reduced in
    place rather than copied (a third of the cost, for every entry of a large site)."""
    entry, problems = result
    if entry is not None:
        read = fields_read(entry.kind)
        data = {k: entry.data[k] for k in read if k in entry.data}
        positions = {k: entry.positions[k] for k in read if k in entry.positions}
        if fresh:
            entry.body, entry.headings, entry.attachments, entry.bundle_files = "", [], [], []
            entry.data, entry.positions = data, positions
        else:
            entry = dataclasses.replace(entry, body="", headings=[], attachments=[], bundle_files=[],
                                        data=data, positions=positions)
        entry.compared = compared_values(entry)  # on a worker's core, not after every worker is done
    return entry, problems


def _validate_slice(bounds: tuple[int, int]):
    entries, registries, settings, check_only = _WORK["args"]
    out = []
    for raw in entries[bounds[0]:bounds[1]]:
        result = validate_entry(raw, registries, settings)
        out.append(_for_checks(result, fresh=True) if check_only else result)
        raw.forget_source()  # its YAML nodes freed: the next entry's reuse their memory
    return out


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
    # Eight chunks per worker: the one that finishes first takes the next, so the run ends at most
    # a small chunk after the other (a worker slowed by another process no longer holds up the end).
    step = -(-len(entries) // (workers * 8))
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


