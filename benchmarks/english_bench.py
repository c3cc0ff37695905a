"""What the English site adds to a build: the same synthetic knowledge base built with and
without it (kb.yml ``site: english: false``), side by side in one run.

    .venv/bin/python benchmarks/english_bench.py [--entries 2000] [--runs 3]

Both builds run ``kb build`` on one copy of the content (benchmarks/synth.py), alternating run by
run so that the machine's noise falls on both; each figure is the median wall time of ``--runs``
runs. Prints both, the ratio, and the target (the English site adds at most 60 %: ratio <= 1.6),
with the number of pages each build wrote.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import make  # noqa: E402

KB = str(Path(sys.executable).with_name("kb"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TARGET = 1.6


def build(project: Path, english: bool) -> tuple[float, int]:
    (project / "kb.yml").write_text(f"site:\n  english: {'true' if english else 'false'}\n", encoding="utf-8")
    shutil.rmtree(project / "site", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([KB, "build"], cwd=project, env=ENV, capture_output=True, check=True, timeout=3600)
    seconds = time.perf_counter() - started
    return seconds, sum(1 for _ in (project / "site").rglob("index.html"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = make(Path(tmp) / "kb", args.entries)
        times: dict[bool, list[float]] = {False: [], True: []}
        pages: dict[bool, int] = {}
        build(project, True)  # warm the file cache and Python's bytecode for both
        for _ in range(args.runs):
            for english in (False, True):
                seconds, pages[english] = build(project, english)
                times[english].append(seconds)
        chinese, both = statistics.median(times[False]), statistics.median(times[True])
        ratio = both / chinese
        print(f"entries: {args.entries:,}; runs: {args.runs} each, alternating")
        print(f"{'build':<28}{'median s':>10}{'pages':>9}")
        print(f"{'Chinese only':<28}{chinese:>10.1f}{pages[False]:>9,}")
        print(f"{'Chinese + English':<28}{both:>10.1f}{pages[True]:>9,}")
        print(f"ratio (target <= {TARGET}): {ratio:.2f}  {'OK' if ratio <= TARGET else 'OVER'}")
        return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
