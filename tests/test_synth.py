"""The benchmark's synthetic corpus is a real knowledge base: valid, every kind, a Git history."""

import datetime as dt
import subprocess
import sys

from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from helpers import REGISTRIES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import make  # noqa: E402


def test_synthetic_corpus_is_valid_covers_every_kind_and_has_history(tmp_path):
    project = make(tmp_path / "kb", 100, seed=3, registries_dir=REGISTRIES)
    kb = load_knowledge_base(project / "content", "content")
    assert kb.problems == []
    assert len(kb.entries) == 100
    assert {e.kind.id for e in kb.entries} == set(KINDS)
    kb.today = dt.date(2026, 1, 1)
    # Postings of past years are closed, so the archives are exercised too.
    assert any(kb.is_closed(e) for e in kb.entries if e.kind.id == "job")
    authors = subprocess.run(["git", "log", "--format=%an"], cwd=project, capture_output=True, text=True,
                             check=True).stdout.split("\n")
    assert len({a for a in authors if a}) >= 3
    again = make(tmp_path / "again", 100, seed=3, with_git=False, registries_dir=REGISTRIES)
    for f in (project / "content").rglob("*.md"):
        assert f.read_bytes() == (again / f.relative_to(project)).read_bytes()  # deterministic for a seed
