"""Run the bad-input corpus (tests/corpus/cases.yml) through the real loader and validator."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.knowledge.indexing import load_knowledge_base
from helpers import new_content

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass
class Outcome:
    name: str
    expected: tuple
    found: list[tuple]
    crashed: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.crashed is None and self.expected in self.found


def cases() -> dict[str, dict]:
    return yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))


def run_case(name: str, spec: dict, tmp: Path) -> Outcome:
    content = new_content(tmp)
    src = CORPUS / name
    slug = "case"
    if src.is_dir():
        shutil.copytree(src, content / spec["kind"] / slug)
        entry_dir = f"content/{spec['kind']}/{slug}"
        entry_file = f"{entry_dir}/index.md"
    else:
        shutil.copy(src, content / spec["kind"] / f"{slug}.md")
        entry_dir = f"content/{spec['kind']}"
        entry_file = f"{entry_dir}/{slug}.md"
    for other in spec.get("others", ()):  # more entries of the kind beside it (cross-entry cases)
        shutil.copy(CORPUS / other, content / spec["kind"] / Path(other).name)
    at = f"{entry_dir}/{spec['at']}" if spec.get("at") else entry_file
    expected = (at, spec["line"], spec["column"], spec["code"])
    started = time.perf_counter()
    try:
        kb = load_knowledge_base(content, "content")
        found = [(p.path, p.line, p.column, p.code) for p in kb.problems]
        crashed = None
    except Exception as exc:  # the figure we report: must stay 0
        found, crashed = [], f"{type(exc).__name__}: {exc}"
    return Outcome(name, expected, found, crashed, time.perf_counter() - started)
