"""History for N entries: one pass over the log vs one `git log` per file, side by side.

    .venv/bin/python benchmarks/history_bench.py [--entries 10000] [--per-file-sample 1000]

Builds a throwaway repository with N entry files written over many commits
by several authors, then times generator.knowledge.history.read_history (one git log)
and the per-file approach (one git log per file, as plugins that ask git per
page do). With --per-file-sample S < N, the per-file time is measured on S
files and scaled to N (its cost is linear in the number of files); the line
says so.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.knowledge.history import read_history  # noqa: E402

AUTHORS = [("王小明", "wang@example.org"), ("李大華", "lee@example.org"), ("陳美玲", "chen@example.org"),
           ("林志明", "lin@example.org"), ("張淑芬", "chang@example.org")]


def git(repo: Path, *args: str, env=None) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout


def make_repo(path: Path, n: int, batch: int = 100) -> list[str]:
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "bench@example.org")
    git(path, "config", "user.name", "bench")
    files = [f"content/tools/t{i:05d}.md" for i in range(n)]
    (path / "content/tools").mkdir(parents=True)
    commit = 0
    for start in range(0, n, batch):  # additions
        for f in files[start:start + batch]:
            (path / f).write_text(f"---\ntitle: 工具 {f}\n---\n內容\n", encoding="utf-8")
        commit += 1
        name, email = AUTHORS[commit % len(AUTHORS)]
        stamp = "2024-01-01T00:00:00+08:00"
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", f"add {start}", f"--author={name} <{email}>",
            env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    for round_ in range(3):  # edits by other authors
        for start in range(0, n, batch * 2):
            for f in files[start:start + batch]:
                with (path / f).open("a", encoding="utf-8") as fh:
                    fh.write(f"更新 {round_}\n")
            commit += 1
            name, email = AUTHORS[(commit + round_) % len(AUTHORS)]
            git(path, "commit", "-q", "-am", f"edit {round_} {start}", f"--author={name} <{email}>")
    return files


def per_file(repo: Path, files: list[str]) -> int:
    import git as gitpython

    r = gitpython.Repo(repo)
    found = 0
    for f in files:
        out = r.git.log("--follow", "--format=%aI%x1f%aN%x1f%aE", "--", f)
        found += bool(out)
    return found


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=2000)
    ap.add_argument("--per-file-sample", type=int, default=0, help="time per-file on a sample and scale (0: all)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        t = time.perf_counter()
        files = make_repo(repo, args.entries)
        print(f"repository: {args.entries} entries, {git(repo, 'rev-list', '--count', 'HEAD').strip()} commits "
              f"(made in {time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        hist = read_history(repo)
        one_pass = time.perf_counter() - t
        assert len(hist.files) == args.entries, len(hist.files)
        sample = files if not args.per_file_sample else files[: args.per_file_sample]
        t = time.perf_counter()
        per_file(repo, sample)
        per = (time.perf_counter() - t) * (len(files) / len(sample))
        scaled = "" if len(sample) == len(files) else f" (measured on {len(sample)} files, scaled)"
        print(f"one pass (generator.knowledge.history):   {one_pass:8.2f} s")
        print(f"one git log per file:           {per:8.2f} s{scaled}")
        print(f"ratio per-file / one-pass:      {per / one_pass:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
