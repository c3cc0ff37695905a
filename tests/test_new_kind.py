"""A new kind is its module plus `kb sync`: in a copy of this repository, a book-review kind is
added as one module, `kb sync` writes its form and snippet, and every kind-parametrised test of
the suite runs on it, with no test edited."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from test_renamed_empty_site import ROOT, tracked_copy

pytestmark = pytest.mark.build

BOOK_REVIEW = '''"""Book reviews: a colleague's reading of a book about libraries."""

from __future__ import annotations

from ..model.fields import Field, Text, Year
from .base import Fact, Kind, Section, schema

KIND = Kind(
    id="book-review",
    folder="book-reviews",
    zh="書評", en="Book reviews",
    description_zh="同道讀過的圖書館學著作與心得。",
    description_en="Colleagues' reviews of books about libraries.",
    order=95,
    colour="#5d4037",
    schema=schema(
        Field("book_title", Text(max_length=200), required=True, zh="書名", en="Book title", example="圖書館的未來"),
        Field("book_author", Text(max_length=120), required=True, zh="作者", en="Author", example="王大明"),
        Field("published", Year(), required=True, zh="出版年", en="Year published", example=2021),
    ),
    sections=[Section("內容摘要", "Summary"), Section("讀後心得", "Review")],
    facts=(Fact("book_title", brief=True), Fact("book_author", brief=True), Fact("published")),
)
'''


def test_a_new_kind_needs_its_module_and_kb_sync_only(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs the Git repository (git ls-files)")
    project = tracked_copy(tmp_path / "repo")
    (project / "generator/kinds/book_review.py").write_text(BOOK_REVIEW, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    if (ROOT / "node_modules").is_dir():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    from attack_corpus import ATTACK  # the public attack lists some test modules read at import

    if ATTACK.is_dir():
        env["KB_ATTACK_DIR"] = str(ATTACK)
    stale = subprocess.run([sys.executable, "-m", "generator.cli", "sync", "--check"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    assert stale.returncode == 1 and "book-reviews.yml" in stale.stderr
    subprocess.run([sys.executable, "-m", "generator.cli", "sync"], cwd=project, env=env, check=True,
                   capture_output=True, timeout=300)
    assert (project / ".github/ISSUE_TEMPLATE/book-reviews.yml").is_file()
    # Every test parametrised by kind, run on the new one (its ids hold book-review or book-reviews),
    # then the modules whose tests go through every kind (forms, snippets, the editor's
    # configuration, charts, samples, a site with one entry of each kind).
    runs = {"parametrised": ["-k", "book"],
            "every kind": ["tests/test_cms.py", "tests/test_issueforms.py", "tests/test_snippets.py",
                           "tests/test_charts.py", "tests/test_kind_sample.py", "tests/test_sync.py",
                           "tests/test_admin_format.py", "tests/test_kinds.py"]}
    for name, selection in runs.items():
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "not browser", *selection,
                               "-p", "no:cacheprovider", f"--basetemp={tmp_path / name.replace(' ', '-')}"],
                              cwd=project, env=env, capture_output=True, text=True, timeout=800)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        print(f"\n{name} tests on the new kind: {summary}")
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
        passed = int(summary.split(" passed")[0].split()[-1]) if " passed" in summary else 0
        assert passed >= (5 if name == "parametrised" else 100), summary
