"""The public attack corpora, whole, against validation, a real build and Chromium.

    .venv/bin/python benchmarks/attack_bench.py [--sample N]

Plants every payload of tests/attack/ (the Big List of Naughty Strings and two XSS lists,
see tests/attack/SOURCES.md) in every free-text front-matter field of every kind, in a body,
and as a link and an image target; validates; builds what validation accepted with the real
MkDocs build and its scan; opens every page that shows a planted string in Chromium with a
sentinel on every way to announce script; then renders every payload as a body, cleans it and
fires reader events on every element. Prints one row per placement: payloads tried, rejected
on the payload's own line, rejected without that position, published, executed, crashes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import test_attack as T  # noqa: E402
from helpers import new_content  # noqa: E402
from sitebuild import mkdocs_build  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", type=int, default=None, help="payloads per list (default: all)")
    args = ap.parse_args()
    payloads = T.corpus_payloads(args.sample)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        content = new_content(project)
        corpus, verdict, kb = T.attack(content, payloads)
        crashes = [p for p in kb.problems if p.code in ("file-check-error", "file-crashed")]
        result = mkdocs_build(project)
        build_ok = result.returncode == 0
        crashes += ["build traceback"] if "Traceback" in result.stderr else []
        executed, opened = T.open_pages(project / "site", verdict["accepted"]) if build_ok else (["no build"], 0)
        body_executed = T.run_bodies([p for _, p in payloads], T.clean_body)
        unclean = T.run_bodies([p for _, p in payloads], lambda html: html)  # the same, without cleaning
    figures = T.placement_figures(verdict)
    print(f"payloads: {len(payloads)} ({sum(1 for c, _ in payloads if c == 'xss')} XSS, "
          f"{sum(1 for c, _ in payloads if c == 'blns')} naughty strings)")
    print(f"{'placement':<16}{'tried':>8}{'rejected@line':>15}{'rejected else':>15}{'published':>11}")
    for where in ("front matter", "body", "link target", "image target"):
        row = [figures[(where, o)] for o in ("at line", "elsewhere", "accepted")]
        print(f"{where:<16}{sum(row):>8}{row[0]:>15}{row[1]:>15}{row[2]:>11}")
    print(f"build: {'passed, scan clean' if build_ok else 'FAILED'}")
    print(f"executed in Chromium, {opened} published pages opened: {len(executed)}")
    print(f"executed in Chromium, every payload as a body, events fired: {len(body_executed)} cleaned "
          f"/ {len(unclean)} without cleaning (what the sanitiser stops)")
    print(f"crashes (tracebacks, internal errors): {len(crashes)}")
    print(f"time: {time.perf_counter() - started:.0f} s")
    return 0 if build_ok and not crashes and not body_executed and not executed else 1


if __name__ == "__main__":
    sys.exit(main())
