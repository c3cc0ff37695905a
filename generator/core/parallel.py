"""Work on every core that survives a worker dying.

``multiprocessing.Pool`` never notices a worker killed by a signal (a segmentation fault
in a C extension, the out-of-memory killer): ``map`` then waits forever. Here:

- :func:`map_chunks` runs ``fn(chunk)`` for each chunk in forked workers
  (``concurrent.futures.ProcessPoolExecutor``, which does notice) and gives, per chunk,
  the result or a :class:`Crashed`;
- :func:`map_isolated` runs ``fn(item)`` for each item in forked processes that send every
  result back as soon as it is ready, so that when one dies the item it was working on is
  known: that item gets a :class:`Crashed`, a new process goes on with the items after it.

The usual pattern: ``map_chunks`` on everything, then ``map_isolated`` on the items of the
chunks that crashed (a broken pool also loses the chunks other workers were running; they
are simply done again). Forked workers inherit the parent's memory, so ``fn`` reads its
data from module globals set before the call and only chunk descriptions (e.g. index
bounds) and results cross between processes. Where ``fork`` is not available everything
runs in this process, without the protection.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, cast
from collections.abc import Callable, Sequence


@dataclass(frozen=True)
class Crashed:
    """The process doing this piece of work died before it finished."""

    reason: str  # e.g. "signal SIGSEGV", "exit code 1"


def default_workers() -> int:
    return min(os.cpu_count() or 1, 8)


def _fork():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - Windows
        return None


# No piece of work is waited on for ever: a worker still busy after this (an endless loop
# in a library, say) is stopped and its work reported as crashed. Far above what any real
# input costs (a file validates in well under a second), so it never stops honest work.
CHUNK_TIMEOUT = 600.0  # seconds for all the chunks of one map_chunks call
ITEM_TIMEOUT = 120.0  # seconds for one item of map_isolated


def map_chunks(fn: Callable[[Any], Any], chunks: Sequence, workers: int | None = None) -> list:
    """``[fn(c) for c in chunks]`` on forked workers; a chunk whose worker died, that was lost
    with it, or that was not done after :data:`CHUNK_TIMEOUT` gives ``Crashed``. An exception
    raised by ``fn`` is raised here."""
    ctx = _fork()
    if ctx is None or not chunks:
        return [fn(c) for c in chunks]
    results: list = []
    with ProcessPoolExecutor(max_workers=min(workers or default_workers(), len(chunks)), mp_context=ctx) as pool:
        futures = [pool.submit(fn, c) for c in chunks]
        done, late = futures_wait(futures, timeout=CHUNK_TIMEOUT)
        if late:  # stop the workers: what they were doing is lost, and redone item by item
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        for future in futures:
            try:
                results.append(future.result() if future in done else Crashed(f"no answer after {CHUNK_TIMEOUT:.0f} s"))
            except BrokenProcessPool:
                results.append(Crashed("worker died"))
            future.cancel()
    return results


class WorkerError(RuntimeError):
    """``fn`` raised in an isolated process and its exception could not be sent back as it was."""


def _serve(fn, items, start: int, end: int, conn) -> None:  # in the child
    code = 0
    try:
        for i in range(start, end):
            try:
                conn.send((True, fn(items[i])))
            except BaseException as exc:  # sent back, raised in the parent
                try:
                    conn.send((False, exc))
                except BaseException:
                    conn.send((False, WorkerError(f"{type(exc).__name__}: {exc}")))
                code = 1
                break
        conn.close()
    finally:
        os._exit(code)  # never the parent's exit handlers (nor pytest's) in a forked child


def describe_exit(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


def map_isolated(fn: Callable[[Any], Any], items: Sequence, workers: int | None = None) -> list:
    """``[fn(i) for i in items]``, where an item whose process dies gives ``Crashed`` and
    costs no other item its result. An exception raised by ``fn`` is raised here."""
    ctx = _fork()
    if ctx is None or not items:
        return [fn(i) for i in items]
    workers = max(1, min(workers or default_workers(), len(items)))
    results: list = [None] * len(items)
    step = -(-len(items) // workers)
    todo = deque((i, min(i + step, len(items))) for i in range(0, len(items), step))
    running: dict[Connection, list[Any]] = {}  # connection -> [process, next index, end, when the item was started]
    timed_out: set[Connection] = set()
    try:
        while todo or running:
            while todo and len(running) < workers:
                start, end = todo.popleft()
                reader, writer = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_serve, args=(fn, items, start, end, writer), daemon=True)
                process.start()
                writer.close()
                running[reader] = [process, start, end, time.monotonic()]
            # wait() gives back some of the objects it was given: here, the readers
            ready = cast("list[Connection]", wait(list(running), timeout=1.0))
            now = time.monotonic()
            for conn, state in list(running.items()):
                if conn not in ready and now - state[3] > ITEM_TIMEOUT:  # an endless item: stopped
                    state[0].kill()
                    timed_out.add(conn)
                    ready.append(conn)
            for conn in ready:
                state = running[conn]
                process, i, end, _ = state
                try:
                    ok, value = conn.recv()
                except (EOFError, OSError):  # the process died on item i
                    process.join()
                    results[i] = Crashed(f"no answer after {ITEM_TIMEOUT:.0f} s" if conn in timed_out
                                         else describe_exit(process.exitcode))
                    conn.close()
                    del running[conn]
                    if i + 1 < end:
                        todo.append((i + 1, end))
                    continue
                if not ok:
                    raise value
                results[i] = value
                state[1], state[3] = i + 1, time.monotonic()
                if state[1] == end:
                    conn.close()
                    process.join()
                    del running[conn]
    finally:
        for conn, (process, *_) in running.items():  # only after an exception
            process.kill()
            process.join()
            conn.close()
    return results
