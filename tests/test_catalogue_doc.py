"""The problem-code table in CONTRIBUTING.md is the catalogue, written by generator.validation.catalogue_doc."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validation import catalogue_doc
from generator.validation.catalogue_doc import END, START, cell, render_table, updated
from generator.validation.messages import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"

# A cell separator: a `|` not escaped by a backslash (GFM reads `\|` as a pipe inside a cell).
SEPARATOR = re.compile(r"(?<!\\)\|")


def generated_part(text: str) -> str:
    return text[text.index(START) + len(START):text.index(END)]


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| `")]


def cells(row: str) -> list[str]:
    return [c.strip() for c in SEPARATOR.split(row)[1:-1]]


def test_committed_guide_is_what_the_generator_writes():
    text = GUIDE.read_text(encoding="utf-8")
    assert updated(text) == text, "CONTRIBUTING.md is stale: run python -m generator.validation.catalogue_doc"


def test_check_command_agrees(tmp_path):
    stale = tmp_path / "CONTRIBUTING.md"
    stale.write_text(f"# Guide\n\nprose before\n\n{START}\nold table\n{END}\n\nprose after\n", encoding="utf-8")
    run = [sys.executable, "-m", "generator.validation.catalogue_doc"]
    assert subprocess.run(run + ["--check", str(stale)], cwd=ROOT, capture_output=True).returncode == 1
    assert subprocess.run(run + [str(stale)], cwd=ROOT, capture_output=True).returncode == 0
    assert subprocess.run(run + ["--check", str(stale)], cwd=ROOT, capture_output=True).returncode == 0
    written = stale.read_text(encoding="utf-8")
    assert written.startswith("# Guide\n\nprose before\n\n" + START) and written.endswith(END + "\n\nprose after\n")
    assert "old table" not in written


def test_missing_markers_are_reported_not_guessed(tmp_path):
    guide = tmp_path / "CONTRIBUTING.md"
    guide.write_text("# Guide without markers\n", encoding="utf-8")
    assert catalogue_doc.main([str(guide)]) == 2
    assert guide.read_text(encoding="utf-8") == "# Guide without markers\n"


def test_every_code_appears_once_with_both_languages():
    rows = table_rows(generated_part(GUIDE.read_text(encoding="utf-8")))
    codes = [cells(r)[0].strip("`") for r in rows]
    assert sorted(codes) == sorted(CATALOGUE)
    assert len(codes) == len(set(codes)) == len(CATALOGUE)
    for row in rows:
        code, zh, en = cells(row)
        assert "修正方式" in zh and "how to fix" in en, code


def test_the_guide_links_to_the_table():
    text = GUIDE.read_text(encoding="utf-8")
    assert '<a id="problem-codes"></a>' in text
    assert text.count("(#problem-codes)") >= 3  # top of the guide, the zh-TW and the English sections
    assert "`kb sync`" in text[text.index(END):]  # the maintainer note


def test_placeholders_are_shown_by_name_not_as_format_fields():
    table = render_table()
    assert not re.search(r"{\w+}", table)
    assert "〔欄位〕" in table and "‹field›" in table
    assert "{#anchor}" in table  # a doubled brace in the catalogue is one brace


HOSTILE = {
    "x-pipe": ("甲|乙\n丙", "提示 | 二\n  縮排", "a|b\nc", "hint `a|b` here"),
    "x-html": ("<script>alert(1)</script> & <b>", "<img src=x onerror=alert(1)>", "<!-- c -->", "<br>"),
    "x-md": ("**粗** _斜_ [連結](javascript:x) ~~刪~~", "`碼` 與 ` 單個", "\\| escaped?", "```fence"),
}


@pytest.mark.parametrize("code", sorted(HOSTILE))
def test_cells_cannot_be_broken_by_the_text(code):
    rows = table_rows(render_table({code: HOSTILE[code]}))
    assert len(rows) == 1  # a new line in a message does not end the row
    row = rows[0]
    assert len(cells(row)) == 3  # a `|` in a message does not add a cell
    outside_code = re.sub(r"(`+).+?\1", "", row)
    # no tag but the table's own line breaks, no emphasis, link or strike-through left active
    assert not re.search(r"<(?!br>)", outside_code)
    assert not re.search(r"(?<!\\)[*_\[\]~]", outside_code.replace("**修正方式**", "").replace("**how to fix**", ""))


def test_cell_escapes():
    assert cell("a|b", "en") == "a\\|b"
    assert cell("a\nb", "en") == "a<br>b"
    assert cell("<i>", "en") == "&lt;i&gt;"
    assert cell("use `a|b`", "en") == "use `a\\|b`"
    assert cell("one ` tick", "en") == "one \\` tick"
    assert cell("{field}: `{field}: x`", "zh-TW") == "〔欄位〕: `〔欄位〕: x`"
    assert cell("back\\slash", "en") == "back\\\\slash"
