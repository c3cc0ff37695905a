"""Figures for the hardening work: run the bad-input corpus and a planted-marker leak check.

    .venv/bin/python benchmarks/corpus_report.py

Prints: cases tried, rejected with the right code at the right position,
crashes, and leaks (files of a built site containing a marker planted in
every field and attachment of an internal entry).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from corpus_cases import cases, run_case  # noqa: E402
from helpers import entry_text, new_content, write  # noqa: E402
from sitebuild import mkdocs_build  # noqa: E402


def main() -> int:
    specs = cases()
    right = crashes = 0
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, spec) in enumerate(sorted(specs.items())):
            outcome = run_case(name, spec, Path(tmp) / str(i))
            right += outcome.ok
            crashes += outcome.crashed is not None
            slowest = max(slowest, outcome.seconds)
            if not outcome.ok:
                print(f"  MISSED {name}: expected {outcome.expected}, got {outcome.found[:3]} {outcome.crashed or ''}")
        marker = "LEAK-CHECK-MARKER-91c2"
        project = Path(tmp) / "leak"
        content = new_content(project)
        write(content, "tools/public.md", entry_text("tools", title="公開"))
        write(content, "outreach/secret/index.md", entry_text(
            "outreach", visibility="internal", title=f"T{marker}", summary=f"S{marker}", authors=[f"A{marker}"],
            partners=[f"P{marker}"], contact={"email": "service@library.example.org", "name": f"N{marker}"},
            attachments=[{"file": "notes.txt", "title": f"F{marker}"}],
            body=f"## 活動規劃\n\n{marker}\n\n## 活動成果\n\n{marker}\n\n## 檢討與建議\n\n{marker}\n"))
        write(content, "outreach/secret/notes.txt", marker)
        started = time.perf_counter()
        result = mkdocs_build(project)
        built = time.perf_counter() - started
        files = [p for p in (project / "site").rglob("*") if p.is_file()]
        leaks = [p for p in files if marker.encode() in p.read_bytes()]
    print(f"bad-input cases tried:                 {len(specs)}")
    print(f"rejected with the right code/position: {right}")
    print(f"crashes (exceptions):                  {crashes}")
    print(f"slowest case:                          {slowest:.3f} s")
    print(f"leak check: build ok={result.returncode == 0}, files scanned={len(files)}, files with the marker={len(leaks)}"
          f" ({built:.1f} s)")
    return 0 if right == len(specs) and crashes == 0 and not leaks and result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
