"""kb validate over a large synthetic site: this tree and another commit, side by side in one run.

    .venv/bin/python benchmarks/validate_bench.py [--entries 10000] [--before COMMIT] [--runs 5]

Both trees validate the same generated content (benchmarks/synth.py) with the same Python and
libraries, alternating run by run so that the machine's noise falls on both; each figure is the
median wall time of ``--runs`` runs of the whole command (process start, imports, validation,
report), with the median CPU time beside it (user and system, the workers' included: on a
machine shared with others it varies far less than the wall time). Prints both, their ratios,
the target (<= 1.5 s at 10,000 entries), and the slowest entries to validate (one process,
timed per entry), so a regression can be traced to a file.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from synth import make  # noqa: E402

CMD = "import sys; from generator.cli import main; sys.exit(main())"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(tree: Path, site: Path) -> tuple[float, float]:
    """Wall time and CPU time (user and system, the workers' included) of one kb validate."""
    env = {**os.environ, "PYTHONPATH": str(tree), "NO_MKDOCS_2_WARNING": "1"}
    # The first run writes both trees' bytecode, as a contributor's first kb validate does:
    # with PYTHONDONTWRITEBYTECODE set (as in some shells and containers) every run compiled
    # the tree that had none (the fresh worktree of --before) and not the other, unevenly.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-c", CMD, "validate", "--root", str(site)], env=env, cwd=site,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return time.perf_counter() - started, _children_cpu() - cpu


def slowest(site: Path, n: int = 5) -> list[tuple[float, str]]:
    """The entries that take longest to validate alone (this tree, one process)."""
    sys.path.insert(0, str(ROOT))
    from generator.validation.loading import scan
    from generator.model.registries import load_registries
    from generator.validation.entry import validate_entry

    content = site / "content"
    tree = scan(content, "content")
    registries = load_registries(content / "registries")
    timed = []
    import gc

    gc.collect()
    gc.disable()  # a collection falling on one entry would be counted as that entry's cost
    for raw in tree.entries:
        started = time.perf_counter()
        validate_entry(raw, registries)
        timed.append((time.perf_counter() - started, raw.rel))
    gc.enable()
    return sorted(timed, reverse=True)[:n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--before", default="fc8b5e9", help="commit to compare with (default: before issue #23)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        site = make(tmp_path / "site", args.entries, with_git=False)
        old = tmp_path / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old), args.before], check=True)
        try:
            run(ROOT, site), run(old, site)  # warm the file cache and bytecode of both
            ours, theirs = [], []
            for _ in range(args.runs):
                ours.append(run(ROOT, site))
                theirs.append(run(old, site))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
        worst = slowest(site)
    a, b = statistics.median(w for w, _ in ours), statistics.median(w for w, _ in theirs)
    # CPU time varies far less than wall time when other processes share the machine.
    ca, cb = statistics.median(c for _, c in ours), statistics.median(c for _, c in theirs)
    print(f"kb validate, {args.entries:,} entries, median of {args.runs} (alternated):")
    print(f"  this tree        {a:6.2f} s   (target <= 1.5 s at 10,000: {'met' if a <= 1.5 else 'MISSED'})"
          f"   CPU {ca:5.2f} s")
    print(f"  {args.before:<16} {b:6.2f} s{' ' * 41}CPU {cb:5.2f} s")
    print(f"  ratio this/before {a / b:5.2f}{' ' * 42}CPU {ca / cb:5.2f}")
    print("slowest entries to validate (this tree, alone):")
    for seconds, rel in worst:
        print(f"  {seconds * 1000:7.1f} ms  {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
