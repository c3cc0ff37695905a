"""Scale benchmark: our build against plain Material with jieba search, side by side, in one run.

    make bench                                  # 2,000 and 10,000 entries (several minutes)
    .venv/bin/python benchmarks/scale_bench.py --entries 1000 --skip-serve

Prints each figure next to its target (issue "Scale to 10,000 entries"):
- full build time, ours (kb build) / plain Material + jieba on the same Markdown   <= 0.6
- page generation alone (no engine), this tree / the tree before views and
  templates (--before, default 9f45bfd), CPU time                                 <= 1.1
- peak memory (max RSS of any process), ours / plain Material + jieba             <= 1.0
- an entry page's HTML size at 2,000 entries / at 50 entries                      <= 1.1
- the largest listing page (pagination keeps it bounded)
- kb validate over all entries                                                     <= 1.5 s
- kb validate of one file                                                          well under 1 s
- kb serve: seconds from saving an edited entry to the preview showing it          <= 3 s
  (three entries of different kinds edited in turn; the slowest counts)
Figures are ratios measured side by side on the same machine, which is shared
and noisy: run it more than once before drawing conclusions.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import make  # noqa: E402

PY = sys.executable
KB = str(Path(PY).parent / "kb")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def measured(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB of any process of the command, exit code), run in a fresh
    wrapper so that RUSAGE_CHILDREN covers this command alone."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)")
    out = subprocess.run([PY, "-c", wrapper, *cmd], cwd=cwd, env=ENV, capture_output=True, text=True, check=True)
    seconds, rss_kb, rc = out.stdout.split()
    return float(seconds), int(rss_kb) // 1024, int(rc)


def plain_material(ours: Path, out: Path) -> Path:
    """The same Markdown entries as a plain Material site: pruned navigation, built-in search
    (which segments Chinese with jieba when jieba is installed)."""
    docs = out / "docs"
    shutil.copytree(ours / "content", docs, ignore=shutil.ignore_patterns("registries"))
    (docs / "index.md").write_text("# 首頁\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: plain\ntheme:\n  name: material\n  language: zh-TW\n  font: false\n"
        "  features: [navigation.prune]\nplugins:\n  - search\n", encoding="utf-8")
    return out


def serve_latency(project: Path, port: int = 8941, timeout: float = 900, edits: int = 3) -> list[float]:
    """Seconds from saving an edited entry to the kb serve preview showing the change, for
    ``edits`` entries of different kinds edited one after another in one preview."""
    proc = subprocess.Popen([KB, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    folders = ["tools", "conference-reports", "jobs", "outreach", "lesson-plans"][:edits]
    entries = [sorted((project / "content" / f).glob("*.md"))[1] for f in folders]
    originals = {e: e.read_text(encoding="utf-8") for e in entries}
    base = f"http://127.0.0.1:{port}/library-kb"
    out = []
    try:
        started = time.time()
        while time.time() - started < timeout:
            try:
                urllib.request.urlopen(f"{base}/tools/{entries[0].stem}/", timeout=5).read()
                break
            except Exception:
                time.sleep(1)
        time.sleep(2)  # let the watcher settle after the first build
        for n, entry in enumerate(entries):
            url = f"{base}/{entry.parent.name}/{entry.stem}/"
            marker = f"PREVIEW-EDIT-MARKER-{n}"
            edited = re.sub(r"^title: .*$", f"title: 預覽測試 {marker}", originals[entry], count=1, flags=re.M)
            t = time.time()
            entry.write_text(edited, encoding="utf-8")
            seconds = float("inf")
            while time.time() - t < 120:
                try:
                    if marker in urllib.request.urlopen(url, timeout=5).read().decode():
                        seconds = time.time() - t
                        break
                except Exception:
                    pass
                time.sleep(0.05)
            out.append(seconds)
            time.sleep(1)
        return out
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        for entry, text in originals.items():
            entry.write_text(text, encoding="utf-8")


def page_size(n: int, tmp: Path) -> int:
    project = make(tmp / f"weight-{n}", n)
    subprocess.run([KB, "build"], cwd=project, env=ENV, capture_output=True, check=True)
    return len((project / "site/conference-reports/synthetic-00000/index.html").read_bytes())


def page_generation(project: Path, before: str, tmp: Path) -> tuple[float, float]:
    """CPU seconds to generate every page (benchmarks/pagegen.py) with this tree's code and with
    commit ``before``'s, alternated three times; the lowest of each."""
    old = tmp / "before"
    subprocess.run(["git", "-C", str(HERE.parent), "worktree", "add", "--detach", "-q", str(old), before], check=True)
    try:
        runs: dict[str, list[float]] = {"now": [], "then": []}
        for _ in range(3):
            for key, tree in (("now", HERE.parent), ("then", old)):
                out = subprocess.run([PY, str(HERE / "pagegen.py"), str(project)], capture_output=True, text=True,
                                     check=True, env={**ENV, "PYTHONPATH": str(tree)}, cwd=tree)
                runs[key].append(float(out.stdout.split()[0]))
        return min(runs["now"]), min(runs["then"])
    finally:
        subprocess.run(["git", "-C", str(HERE.parent), "worktree", "remove", "--force", str(old)], check=False)


def report(rows: list[tuple[str, str, str, bool]]) -> None:
    """Every figure next to its target."""
    print()
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    twidth = max(len(r[2]) for r in rows)
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:>{vwidth}}  target {target:<{twidth}}  {'ok' if ok else 'MISSED'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--skip-serve", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--runs", type=int, default=1,
                    help="builds of each site, alternating ours and plain; the median of each counts")
    ap.add_argument("--before", default="9f45bfd",
                    help="commit to compare page generation with (default: the last before page views)")
    args = ap.parse_args()
    try:
        import jieba  # noqa: F401
    except ImportError:
        print("jieba is needed for the baseline: pip install jieba (make bench installs it)")
        return 2
    n = args.entries
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        t = time.perf_counter()
        ours = make(tmp / "ours", n)
        print(f"corpus: {n} entries with a Git history ({time.perf_counter() - t:.0f} s to make)")

        # Absolute times on a shared machine: the median of three runs.
        secs = statistics.median(measured([KB, "validate"], ours)[0] for _ in range(3))
        rows.append(("kb validate, all entries (median of 3)", f"{secs:.2f} s", "<= 1.5 s", secs <= 1.5))
        one = sorted((ours / "content/tools").glob("*.md"))[0]
        secs1 = statistics.median(measured([KB, "validate", str(one)], ours)[0] for _ in range(3))
        rows.append(("kb validate, one file (median of 3)", f"{secs1:.2f} s", "well under 1 s", secs1 < 1))

        plain = None if args.skip_baseline else plain_material(ours, tmp / "plain")
        ours_runs, plain_runs = [], []
        for _ in range(max(1, args.runs)):  # alternating, so that a noisy minute hits both
            ours_runs.append(measured([KB, "build"], ours))
            assert ours_runs[-1][2] == 0, "our build failed"
            if plain is not None:
                plain_runs.append(measured([PY, "-m", "mkdocs", "build", "-q"], plain))
                assert plain_runs[-1][2] == 0, "plain Material build failed"
        ours_s = statistics.median(r[0] for r in ours_runs)
        ours_rss = max(r[1] for r in ours_runs)
        pages = sum(1 for _ in (ours / "site").rglob("*.html"))
        runs = f" (median of {len(ours_runs)}: {', '.join(f'{r[0]:.1f}' for r in ours_runs)})" if len(ours_runs) > 1 else ""
        print(f"ours:  {ours_s:7.1f} s{runs}, peak {ours_rss} MB, {pages} pages ({ours_s / pages * 1000:.1f} ms/page)")
        if plain is not None:
            base_s = statistics.median(r[0] for r in plain_runs)
            base_rss = max(r[1] for r in plain_runs)
            bpages = sum(1 for _ in (plain / "site").rglob("*.html"))
            index = (plain / "site/search/search_index.json").stat().st_size / 1e6
            runs = f" (median of {len(plain_runs)}: {', '.join(f'{r[0]:.1f}' for r in plain_runs)})" \
                if len(plain_runs) > 1 else ""
            print(f"plain Material + jieba: {base_s:7.1f} s{runs}, peak {base_rss} MB, {bpages} pages "
                  f"({base_s / bpages * 1000:.1f} ms/page), search index the browser downloads: {index:.0f} MB")
            rows.append(("build time, ours / plain Material + jieba", f"{ours_s / base_s:.2f}", "<= 0.6",
                         ours_s / base_s <= 0.6))
            rows.append(("peak memory, ours / plain Material + jieba", f"{ours_rss / base_rss:.2f}", "<= 1.0",
                         ours_rss <= base_rss))
        if args.before:
            now, then = page_generation(ours, args.before, tmp)
            rows.append((f"page generation (CPU, best of 2), this tree / {args.before}: {now:.2f} s / {then:.2f} s",
                         f"{now / then:.2f}", "<= 1.1", now / then <= 1.1))
        listing = max((p.stat().st_size for p in (ours / "site").rglob("page/*/index.html")), default=0)
        first = max(p.stat().st_size for p in (ours / "site").glob("*/index.html"))
        rows.append(("largest listing page", f"{max(listing, first) / 1024:.0f} KB", "bounded (20 per page)", True))
        small, large = page_size(50, tmp), page_size(2000, tmp)
        rows.append(("entry page HTML, 2,000 / 50 entries", f"{large / small:.2f} ({large // 1024} KB)", "<= 1.1",
                     large / small <= 1.1))
        if not args.skip_serve:
            lat = serve_latency(ours)
            rows.append(("kb serve: edit -> preview shows it (slowest of "
                         f"{len(lat)}: {', '.join(f'{x:.1f}' for x in lat)})", f"{max(lat):.1f} s", "<= 3 s", max(lat) <= 3))
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
