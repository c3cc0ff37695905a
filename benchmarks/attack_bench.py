"""Every public attack list of ../shared/attack/, whole, against validation, a real build and Chromium.

    .venv/bin/python benchmarks/attack_bench.py [--sample N]

Plants every payload of every list (the Big List of Naughty Strings, payloadbox's XSS list,
PayloadsAllTheThings' XSS pages, DOMPurify's test payloads: see ../shared/attack/SOURCES.md) in
every free-text front-matter field of every kind, in a body (inside a paragraph and on a line of
its own), and as a link and an image target; puts every case of the YAML test suite in front
matter; validates; judges every accepted body with the build's own page pipeline (would the
build refuse the page and stop?); builds what validation accepted with the real MkDocs build and
its scan; opens every page that shows a planted string in Chromium with a sentinel on every way
to announce script; then renders every payload as a body, cleans it and fires reader events on
every element. Prints one row per placement and one per list.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import attack_corpus  # noqa: E402
import test_attack as T  # noqa: E402
from generator.knowledge.indexing import load_knowledge_base  # noqa: E402
from helpers import entry_text, new_content  # noqa: E402
from sitebuild import mkdocs_build  # noqa: E402

COLUMNS = ("tried", "refused@line", "refused else", "published", "executed", "stops build")


def _row(label: str, figures: list[int]) -> str:
    return f"{label:<16}" + "".join(f"{n:>{len(c) + 2}}" for n, c in zip(figures, COLUMNS))


def yaml_suite(project: Path) -> tuple[int, int, int, int]:
    """Every YAML test suite case as an entry's whole front matter: (tried, refused with a line
    inside the front matter, accepted, crashes)."""
    content = new_content(project)
    cases = attack_corpus.yaml_cases()
    body = entry_text("answers").split("\n---\n", 1)[1]
    for i, case in enumerate(cases):
        (content / f"answers/yaml-{i:04d}.md").write_text(f"---\n{case['yaml']}\n---\n{body}", encoding="utf-8",
                                                         newline="\n")
    kb = load_knowledge_base(content, "content")
    errors: dict[str, list] = {}
    for p in kb.problems:
        if p.level.value == "error":
            errors.setdefault(p.path.removeprefix("content/"), []).append(p)
    crashes = sum(p.code in ("file-check-error", "file-crashed") for p in kb.problems)
    refused = accepted = 0
    for i, case in enumerate(cases):
        found = errors.get(f"answers/yaml-{i:04d}.md", [])
        last = case["yaml"].count("\n") + 3  # the closing ---
        refused += any(1 <= p.line <= last for p in found)
        accepted += not found
    return len(cases), refused, accepted, crashes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", type=int, default=None, help="payloads per list (default: all)")
    args = ap.parse_args()
    payloads = T.corpus_payloads(args.sample)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "site"
        content = new_content(project)
        corpus, verdict, kb = T.attack(content, payloads)
        crashes = [p for p in kb.problems if p.code in ("file-check-error", "file-crashed")]
        validated = time.perf_counter()
        early = T.placement_figures(verdict)
        print(f"validated in {validated - started:.0f} s; before the build, per placement "
              f"(tried / refused@line / refused else / published / stops build):", flush=True)
        for where in T.PLACEMENTS:
            row = [early[(where, o)] for o in ("at line", "elsewhere", "accepted", "stops the build")]
            print(f"  {where:<14} {sum(row[:3]):>7} {row[0]:>7} {row[1]:>7} {row[2]:>7} {row[3]:>7}", flush=True)
        result = mkdocs_build(project)
        build_ok = result.returncode == 0
        print(f"build: {'passed' if build_ok else 'FAILED'} after {time.perf_counter() - validated:.0f} s; "
              f"opening the published pages in Chromium", flush=True)
        crashes += ["build traceback"] if "Traceback" in result.stderr else []
        executed, opened = T.open_pages(project / "site", verdict["accepted"]) if build_ok else (["no build"], 0)
        built = time.perf_counter()
        body_executed = T.run_bodies([p for _, p in payloads], T.clean_body)
        unclean = T.run_bodies([p for _, p in payloads], lambda html: html)  # the same, without cleaning
        yaml_figures = yaml_suite(Path(tmp) / "yaml")
    figures = T.placement_figures(verdict)
    # An execution names its page: every placement published on that page counts it.
    pages_run = {m.split()[-1].rstrip("/").rsplit("/", 1)[-1] for m in executed if m.startswith(T.EXECUTED)}
    on_run = [pl for pl in verdict["accepted"] if Path(pl.rel).stem in pages_run or Path(pl.rel).parent.name in pages_run]
    ran = Counter(pl.where.split(":")[0] for pl in on_run)
    ran_list = Counter(pl.corpus for pl in on_run)
    by_list = Counter((pl.corpus, o) for o in ("at line", "elsewhere", "accepted", "stops the build")
                      for pl in verdict[o])
    print(f"payloads: {len(payloads)} from {len(attack_corpus.LISTS)} lists "
          f"({', '.join(f'{n} {sum(1 for c, _ in payloads if c == n)}' for n in attack_corpus.LISTS)}), "
          f"{sum(figures[(w, o)] for w in T.PLACEMENTS for o in ('at line', 'elsewhere', 'accepted'))} placements")
    print(f"{'placement':<16}" + "".join(f"{c:>{len(c) + 2}}" for c in COLUMNS))
    for where in T.PLACEMENTS:
        row = [figures[(where, o)] for o in ("at line", "elsewhere", "accepted")]
        print(_row(where, [sum(row), *row, ran[where], figures[(where, "stops the build")]]))
    for name in attack_corpus.LISTS:
        row = [by_list[(name, o)] for o in ("at line", "elsewhere", "accepted")]
        print(_row(f"list {name}", [sum(row), *row, ran_list[name], by_list[(name, "stops the build")]]))
    tried, refused, accepted, yaml_crashes = yaml_figures
    print(f"YAML test suite as front matter: {tried} cases, {refused} refused on a line of the front matter, "
          f"{accepted} accepted, {yaml_crashes} crashes")
    print(f"build: {'passed, scan clean' if build_ok else 'FAILED (stopped)'}; builds aborted: {0 if build_ok else 1}")
    print(f"executed in Chromium, {opened} published pages opened: {len(executed)}")
    print(f"executed in Chromium, every payload as a body, events fired: {len(body_executed)} cleaned "
          f"/ {len(unclean)} without cleaning (what the sanitiser stops)")
    print(f"crashes (tracebacks, internal errors): {len(crashes) + yaml_crashes}")
    print(f"time: {time.perf_counter() - started:.0f} s (validation {validated - started:.0f} s, "
          f"build and pages {built - validated:.0f} s)")
    stops = len(verdict["stops the build"])
    return 0 if build_ok and not crashes and not yaml_crashes and not body_executed and not executed and not stops else 1


if __name__ == "__main__":
    sys.exit(main())
