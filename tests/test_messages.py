"""Every problem code the code can raise has a message and a hint in both languages."""

import json
import re
from pathlib import Path

import pytest

from generator.core.problems import Level, problem
from generator.validation.messages import CATALOGUE, render
from generator.validation.reporting import format_github, format_parsable, format_text

ROOT = Path(__file__).resolve().parents[1]
GEN = ROOT / "generator"


def raised_codes() -> set[str]:
    codes = set()
    for f in GEN.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        codes |= set(re.findall(r"problem\([^\n]*?,\s*\"([a-z][a-z0-9-]+)\"", text))
        codes |= set(re.findall(r"report\([^,\n]+,\s*\"([a-z][a-z0-9-]+)\"", text))
        codes |= set(re.findall(r"_Refused\(\"([a-z-]+)\"", text))
        for a, b in re.findall(r"code = \"([a-z-]+)\" if [^\n]+ else \"([a-z-]+)\"", text):
            codes |= {a, b}
        if 'f"ref-{self.registry}"' in text:
            codes |= {"ref-tags", "ref-organizations", "ref-institutions"}
    return codes


def test_every_raised_code_is_in_the_catalogue():
    codes = raised_codes()
    assert len(codes) > 40
    assert codes - set(CATALOGUE) == set()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_messages_format_in_both_languages(code):
    params = set()
    for text in CATALOGUE[code]:
        params |= set(re.findall(r"{(\w+)}", text))
    values = {p: f"<{p}>" for p in params}
    for lang in ("zh-TW", "en"):
        msg, hint = render(code, values, lang)
        assert msg and hint
        assert not re.search(r"{\w+}", msg + hint)
    zh_msg, _ = render(code, values, "zh-TW")
    en_msg, _ = render(code, values, "en")
    assert zh_msg != en_msg


def test_parsable_lines_say_error_or_warning_as_yamllint_does():
    """``path:line:col: [level] message (code)``, the level in English whatever the language."""
    problems = [problem("content/tools/a.md", 3, 7, "value-choice", field="cost", value="gratis", choices="free",
                        suggestions=["free"]),
                problem("content/tools/a.md", 9, 1, "body-section-empty", level=Level.WARNING, zh="目的", en="Purpose")]
    assert format_parsable(problems, "en").split("\n") == [
        "content/tools/a.md:3:7: [error] 'cost' does not accept 'gratis' (did you mean: free?) (value-choice)",
        "content/tools/a.md:9:1: [warning] the 'Purpose' section is empty (body-section-empty)"]
    assert format_parsable(problems, "zh-TW").split("\n") == [
        "content/tools/a.md:3:7: [error] 「cost」不接受「gratis」（您是不是要寫：free？） (value-choice)",
        "content/tools/a.md:9:1: [warning] 「目的」段落是空的 (body-section-empty)"]


def test_the_vscode_problem_matcher_reads_the_level_from_each_line():
    """.vscode/tasks.json's pattern (a JavaScript regular expression Python reads alike) takes the
    file, position, severity, message and code from every parsable line."""
    tasks = json.loads((ROOT / ".vscode/tasks.json").read_text(encoding="utf-8"))["tasks"]
    (task,) = [t for t in tasks if t["args"][:3] == ["validate", "--format", "parsable"]]
    pattern = task["problemMatcher"]["pattern"]
    problems = [problem("content/tools/a: b (1).md", 3, 7, "value-choice", field="cost", value="gratis",
                        choices="free", suggestions=["free"]),
                problem("content/tools/a.md", 9, 1, "body-section-empty", level=Level.WARNING, zh="目的", en="Purpose"),
                problem(".", 1, 1, "history-shallow", level=Level.WARNING)]
    for lang in ("en", "zh-TW"):
        lines = format_parsable(problems, lang).split("\n")
        got = []
        for line in lines:
            m = re.fullmatch(pattern["regexp"], line)
            assert m, line
            got.append(tuple(m.group(pattern[k]) for k in ("file", "line", "column", "severity", "code")))
        assert got == [("content/tools/a: b (1).md", "3", "7", "error", "value-choice"),
                       ("content/tools/a.md", "9", "1", "warning", "body-section-empty"),
                       (".", "1", "1", "warning", "history-shallow")]


def test_formats():
    p = problem("content/tools/a.md", 3, 7, "value-choice", field="cost", value="gratis", choices="free",
                suggestions=["free"])
    assert format_parsable([p], "en") == (
        "content/tools/a.md:3:7: [error] 'cost' does not accept 'gratis' (did you mean: free?) (value-choice)")
    gh = format_github([p], "en")
    assert gh.startswith("::error file=content/tools/a.md,line=3,col=7,title=error%3A 'cost' does not accept 'gratis' "
                         "(did you mean%3A free?)::how to fix: allowed values: free.%0A「cost」不接受「gratis」")
    assert gh.endswith("%0A[value-choice]")
    assert "%0A" in gh and "\n" not in gh
    text = format_text([p], "zh-TW", lambda path, line: "cost: gratis")
    assert "錯誤 [value-choice]" in text and "您是不是要寫：free？" in text
    assert text.splitlines()[2].endswith("^") and text.splitlines()[2].index("^") == text.splitlines()[1].index("g")


def test_github_escaping_of_properties():
    p = problem("content/a,b:c.md", 1, 1, "file-empty")
    assert format_github([p]).startswith("::error file=content/a%2Cb%3Ac.md,")


def test_a_job_summary_stays_under_githubs_limit_and_says_how_many_it_left_out(tmp_path, capsys):
    """GitHub shows no job summary over 1 MiB: the report lists what fits and counts the rest."""
    from generator.validation import reporting
    from generator.core.problems import problem

    many = [problem(f"content/tools/t{i:04d}.md", 3, 7, "value-choice", field="cost", value="喔" * 400,
                    choices="free, freemium, paid") for i in range(2000)]
    source = tmp_path / "problems.json"
    source.write_text(reporting.format_json(many, lambda path, line: "cost: " + "喔" * 400), encoding="utf-8")
    assert reporting.main(["--from", str(source), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert len(out.encode("utf-8")) <= reporting.SUMMARY_MAX_BYTES
    shown = out.count("(`value-choice`)")
    assert 100 < shown < 2000
    assert f"… 以及另外 {2000 - shown} 個問題未列出" in out and f"and {2000 - shown} more not listed" in out
    full = reporting.format_markdown(many, "zh-TW")  # no limit asked: every problem
    assert full.count("(`value-choice`)") == 2000
