"""Numbers longer than Python converts (4,300 digits) or a float holds (309): one problem on
their line, never a crash of the file's check that hides its other problems."""

import pytest

from generator.knowledge.indexing import load_knowledge_base
from generator.model.scalarfields import MAX_DIGITS
from helpers import cli_project, entry_text, run_kb, write


@pytest.mark.parametrize("folder, key, value", [
    ("exchange", "quantity", "9" * 5_000),  # Integer with a maximum
    ("exchange", "price", "1" + "0" * 4_999),  # Integer without one
    ("sister-libraries", "since", "-" + "2" * 5_000),
    ("outreach", "attendance", "7" * 4_301),
    ("outreach", "budget", None),  # Number: 400 digits is inf as a float
])
def test_a_5000_digit_number_is_one_problem_and_the_rest_is_checked(tmp_path, capsys, folder, key, value):
    project = cli_project(tmp_path)
    content = project / "content"
    text = entry_text(folder, title="")  # a second problem in the same file
    lines = [line for line in text.split("\n") if not line.startswith(f"{key}:")]
    end = lines.index("---", 1)  # the front matter's closing line
    if key == "budget":
        lines[end:end] = ["budget:", "  amount: " + "9" * 400 + ".25", "  currency: TWD"]
        line_no = end + 2
    else:
        lines.insert(end, f"{key}: {value}")
        line_no = end + 1
    write(content, f"{folder}/long.md", "\n".join(lines))
    kb = load_knowledge_base(content, "content")
    found = [(p.code, p.line) for p in kb.problems if p.path.endswith("long.md")]
    assert not any(code in ("file-check-error", "file-crashed") for code, _ in found), found
    assert ("value-empty", 2) in found
    long = [p for p in kb.problems if p.code == "value-too-long"]
    assert len(long) == 1 and long[0].args["limit"] == MAX_DIGITS
    assert long[0].line == line_no
    code, out, _ = run_kb(capsys, "validate", "--root", str(project))
    assert code == 1 and "value-too-long" in out and "file-check-error" not in out


def test_the_longest_number_allowed_is_still_read(tmp_path):
    content = cli_project(tmp_path) / "content"
    write(content, "exchange/max.md", entry_text("exchange", price=int("9" * MAX_DIGITS)))
    kb = load_knowledge_base(content, "content")
    assert not [p for p in kb.problems if p.path.endswith("max.md")]
