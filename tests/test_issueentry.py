"""A submitted issue form becomes an entry: the round trip from an entry of every kind (of the
tests' knowledge base, and the kind's own full sample), and hostile issues that must give clear
problems, never a crash."""

import re
import shutil
from pathlib import Path

import pytest

from generator.core.escape import gfm_text
from generator.model.fields import Integer, ListOf, Number
from generator.knowledge.indexing import load_knowledge_base
from generator.contribute.issues.body import MAX_BODY
from generator.contribute.issues.entry import process
from generator.contribute.issues.formspec import CHECKED_OPTION, form_items
from generator.contribute.issues.forms import form_labels
from generator.contribute.issues.report import MARKER, render_report
from generator.kinds import KINDS
from helpers import entry_file, example_content, full_sample

KB = None  # the tests' knowledge base, an entry of every kind (the module's fixture `site`)
HEADING_RE = re.compile(r"^## (.+)$", re.M)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return example_content(tmp_path_factory.mktemp("issue-site"), every_kind=True)


@pytest.fixture(scope="module", autouse=True)
def _kb(site):
    global KB
    KB = load_knowledge_base(site)
    yield
    KB = None


def sample(kind):
    """The kind's first entry without attachments (a form cannot carry files)."""
    return next(e for e in sorted(KB.entries, key=lambda e: e.rel)
                if e.kind is kind and not e.data.get("attachments") and e.bundle_dir is None)


def chunks(body):
    """(preamble, [(heading, text)]) of a body split at its ## headings."""
    parts = HEADING_RE.split(body)
    return parts[0].strip(), [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def _text(v):
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def answer(item, entry):
    """What a contributor would type or pick in the element, for the sample's value."""
    if item.shape == "slug":
        return entry.slug
    if item.shape in ("section", "more", "body"):
        pre, parts = chunks(entry.body)
        if item.shape == "body":
            return entry.body.strip()
        if item.shape == "section":
            return next((t for h, t in parts if item.section.matches(h)), "")
        rest = [f"## {h}\n\n{t}" for h, t in parts if not any(s.matches(h) for s in entry.kind.sections)]
        return "\n\n".join(x for x in [pre, *rest] if x)
    value = entry.data
    for key in item.path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return "- [ ] " + CHECKED_OPTION if item.shape == "flag" else ""
    option = {v: o for o, v in item.values.items()}
    if item.shape == "choice":
        return option[value]
    if item.shape == "choices":
        return ", ".join(option[v] for v in value)
    if item.shape == "flag":
        return f"- [{'X' if value else ' '}] {CHECKED_OPTION}"
    if item.shape == "lines":
        return "\n".join(_text(v) for v in value)
    if item.shape == "table":
        return "\n".join(" | ".join("、".join(map(_text, row.get(c.name, []))) if isinstance(c.type, ListOf)
                                    else _text(row.get(c.name, "")) for c in item.columns) for row in value)
    return _text(value)


def render_issue(items, answers):
    """The issue body exactly as GitHub writes a submitted form: ``### label``, a blank line,
    the answer or ``_No response_``, elements separated by a blank line."""
    return "\n\n".join(f"### {i.label}\n\n{answers.get(i.id) or '_No response_'}" for i in items)


@pytest.fixture
def root(tmp_path, site):
    shutil.copytree(site, tmp_path / "content")
    return tmp_path


def issue(kind, body, number=7):
    return {"number": number, "body": body, "labels": [{"name": n} for n in form_labels(kind)]}


@pytest.mark.parametrize("source", ["entry", "full-sample"])
@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda k: k.id)
def test_round_trip_of_every_kind(kind, source, root):
    """Fill the form with an entry's values (the kind's first in the tests' knowledge base, or
    its full sample: every field it declares that an entry alone can fill), render the issue as GitHub does, parse it back:
    the entry is valid, its front-matter data equal the sample's and each body section holds
    the same text.

    What differs textually (not in data): fields left at their default (``visibility: public``,
    ``language: zh-TW``…) are written out, as the form's dropdowns preselect them; lists are
    written in block style (``- a``) where a sample may use ``[a, b]``; section headings are the
    kind's own (``## 檢討 Lessons learned`` for a sample's ``## 檢討與建議``), and text before the
    first heading or under other headings moves after the required sections."""
    entry = sample(kind)
    if source == "full-sample":
        path = root / "content" / kind.folder / "full-sample.md"
        data, body = full_sample(kind.folder)
        # a title of its own: a kind with no entry in tests/data has its full sample there already
        path.write_text(entry_file({**data, "title": f"{data['title']}（完整範例）"}, body), encoding="utf-8")
        found = load_knowledge_base(root / "content")
        entry = next(e for e in found.entries if e.rel == f"{kind.folder}/full-sample.md")
        assert not [p for p in found.problems if p.path.endswith("full-sample.md")]
    (root / "content" / entry.rel).unlink()  # the slug is free again
    items = form_items(kind, KB.registries)
    body = render_issue(items, {i.id: answer(i, entry) for i in items})
    res = process(issue(kind, body), root)
    assert res.valid, render_report(res)
    assert (root / res.rel).read_text(encoding="utf-8") == res.text
    kb = load_knowledge_base(root / "content")
    back = next(e for e in kb.entries if e.rel == entry.rel)
    want = {k: v for k, v in entry.data.items() if k not in ("featured", "attachments")}
    got = {k: v for k, v in back.data.items() if k not in ("featured", "attachments")}
    assert got == want
    if kind.sections:
        for s in kind.sections:
            mine = [t for h, t in chunks(back.body)[1] if s.matches(h)]
            theirs = [t for h, t in chunks(entry.body)[1] if s.matches(h)]
            assert mine[:1] == theirs[:1], s.zh
    else:
        assert back.body.strip() == entry.body.strip()
    assert list(back.data)[:2] == ["title", "date"]


def _problems(res):
    return {p.code for p in res.problems}


def _base(kind, **over):
    items = form_items(kind, KB.registries)
    answers = {i.id: answer(i, sample(kind)) for i in items}
    answers.update(over)
    return items, render_issue(items, answers)


def test_hostile_issues_give_problems_never_a_crash(root):
    kind = KINDS["tool"]
    entry = sample(kind)
    (root / "content" / entry.rel).unlink()
    # huge
    res = process(issue(kind, "x" * (MAX_BODY + 1)), root)
    assert _problems(res) == {"issue-too-large"} and not res.text
    # a slug leaving the folder
    for bad in ("../../etc/passwd", "a/b", "UPPER", "index", "-x", "x\n../y"):
        res = process(issue(kind, _base(kind, slug=bad)[1]), root)
        assert "slug-invalid" in _problems(res), bad
        assert not list(root.glob("**/passwd"))
    # YAML injection in a value, and a fence in a textarea
    _, body = _base(kind, title="x\ntitle: y", purpose="a\n---\nb: c", body="---\nfeatured: true\n---\n")
    res = process(issue(kind, body), root)
    assert "text-multiline" in _problems(res)
    assert not res.valid and not (root / res.rel).exists()
    assert res.text.count("\n---\n") >= 2 and "\ntitle: y" not in res.text.split("\n---\n")[0]
    # no kind label, unknown options, a table with too many columns, a missing section
    assert _problems(process({"number": 1, "body": body, "labels": []}, root)) == {"issue-kind-unknown"}
    res = process(issue(KINDS["partnership"], _base(KINDS["partnership"], partners="a | b | c | d | e | f | g",
                                                    slug="fresh-one")[1]), root)
    assert "issue-table-columns" in _problems(res)
    res = process(issue(KINDS["conference-report"], _base(KINDS["conference-report"], section_1="",
                                                          region="Atlantis", slug="fresh-two")[1]), root)
    assert {"section-missing", "value-choice"} <= _problems(res)
    report = render_report(res)
    assert report.startswith(MARKER) and "修正方式" in report and "how to fix" in report
    assert "地區 World region" in report


def test_the_report_does_not_let_the_issue_speak(root):
    kind = KINDS["tool"]
    res = process(issue(kind, _base(kind, slug="ok-slug", title="@everyone <!-- kb-issue-entry --> <img src=x>")[1]),
                  root)
    report = render_report(res)
    shown = report.split("<details>")[0]  # the file's preview below is inside a code block
    assert report.startswith(MARKER) and shown.count(MARKER) == 1
    assert "@everyone" not in shown and "<img" not in shown


def test_a_report_submitted_twice_is_named_on_the_submission(root):
    """The same conference report again under another slug: a warning (not a refusal) on the
    submission, naming the entry already there, whichever of the two is dated later."""
    kind = KINDS["conference-report"]
    items, body = _base(kind, slug="ala-again")
    res = process(issue(kind, body), root)
    dupes = [p for p in res.problems if p.code in ("duplicate-entry", "duplicate-title")]
    assert res.valid and dupes and all(p.path == res.rel and p.level.value == "warning" for p in dupes)
    assert dupes[0].args["other"] == f"content/{sample(kind).rel}"
    from generator.core.escape import gfm_text
    assert gfm_text("content/" + sample(kind).rel) in render_report(res)


def test_problems_of_the_body_name_the_forms_box_never_a_line(root):
    """A form's contributor never sees the file: a table pasted into a section is reported on
    that section's box, with a hint about the form, not about lines or headings."""
    kind = KINDS["conference-report"]
    section = next(i for i in form_items(kind, KB.registries) if i.shape == "section")
    items, body = _base(kind, slug="table-in-a-box", **{section.id: "<table><tr><td>甲</td><td>乙</td></tr></table>"})
    res = process(issue(kind, body), root)
    report = render_report(res)
    assert "raw-html-table" in _problems(res)
    assert f"**{section.label}**" in report.replace("\\", "")
    head = report.split("<details>")[0]
    assert not re.search(r"第 \d+ 行|line \d+", head)
    assert "表單「目的 Purpose」欄" in head and "| 項目 | 說明 |" in head.replace("\\", "")


def test_word_bullets_in_a_list_box_are_list_marks_not_text(root):
    """A list typed one item a line, as pasted from Word: its bullets are dropped, not kept in
    the names."""
    kind = KINDS["conference-report"]
    authors = next(i for i in form_items(kind, KB.registries) if i.path == ("authors",))
    items, body = _base(kind, slug="bulleted-authors", **{authors.id: "• 王小明\n・李大華\n● 陳美玲\n- 林志明"})
    res = process(issue(kind, body), root)
    assert res.valid, render_report(res)
    kb = load_knowledge_base(root / "content")
    entry = next(e for e in kb.entries if e.rel == "conference-reports/bulleted-authors.md")
    assert entry.data["authors"] == ["王小明", "李大華", "陳美玲", "林志明"]


@pytest.mark.parametrize("box, digits", [("quantity", 4_301), ("price", 5_000)])
def test_a_number_too_long_to_convert_is_one_problem_on_its_box(root, box, digits):
    """4,301 digits exceed Python's integer conversion (ValueError): the report was then one
    issue-unreadable, hiding every other problem. It is one problem on that box, the rest
    reported with it."""
    kind = KINDS["exchange"]
    items, body = _base(kind, slug="long-number", title="一行\n兩行", **{box: "9" * digits})
    res = process(issue(kind, body), root)
    codes = [p.code for p in res.problems]
    assert "issue-unreadable" not in codes and "value-too-long" in codes and "text-multiline" in codes
    assert codes.count("value-too-long") == 1
    report = render_report(res)
    label = next(i.label for i in items if i.id == box)
    line = next(line for line in report.splitlines() if "value-too-long" in line)
    assert gfm_text(label) in line
    assert f"的數字有 {digits} 位" in report.replace("\u2060", "") and f"has {digits} digits" in report


def test_a_number_too_long_in_a_table_or_an_amount(root):
    kind = KINDS["outreach"]
    outcomes = next(i for i in form_items(kind, KB.registries) if i.id == "outcomes")
    row = " | ".join("9" * 5_000 if isinstance(c.type, (Integer, Number)) else "讀者" for c in outcomes.columns)
    items, body = _base(kind, slug="long-amount", budget__amount="9" * 400 + ".5", outcomes=row)
    res = process(issue(kind, body), root)
    codes = [p.code for p in res.problems]
    assert "issue-unreadable" not in codes and codes.count("value-too-long") == 2, codes


def test_a_report_of_a_thousand_problems_is_a_comment_github_accepts(root):
    """A 1,000-line list in a form's box, every line a problem: GitHub refuses a comment over
    65,536 characters. The comment holds the first problems in full, then how many more and
    where all of them are (the run's Summary page and the artifact issue-report); the whole
    report has every one."""
    from generator.contribute.ghcomment import MAX_BODY, comment_length
    from generator.contribute.issues.entry import REPORT_ARTIFACT

    kind = KINDS["exchange"]
    items, body = _base(kind, slug="a-thousand", related="\n".join(f"tools/no-such-{i}" for i in range(1_000)))
    res = process(issue(kind, body), root)
    assert [p.code for p in res.problems] == ["related-missing"] * 1_000
    url = "https://github.com/example-org/test-kb/actions/runs/5"
    comment = render_report(res, url, limit=MAX_BODY, artifact=REPORT_ARTIFACT)
    full = render_report(res)
    assert len(comment) <= comment_length(comment) <= MAX_BODY < 65_536 < len(full)
    shown = len(re.findall(r"(?m)^\d+\. \*\*", comment))
    assert 50 < shown < 1_000 and len(re.findall(r"(?m)^\d+\. \*\*", full)) == 1_000
    assert f"以及另外 {1_000 - shown} 個問題" in comment and f"and {1_000 - shown} more" in comment
    assert url in comment and "`issue-report`" in comment
    assert comment.split(f"\n{shown}. ", 1)[1].count("\n   - ") == 2, "the last problem shown is whole"
    related = next(i.label for i in items if i.id == "related")
    assert comment.count(f"**{gfm_text(related)}**") == shown, "named by its box, not the body's"
    print(f"\n1,000 problems in an issue: report {len(full):,} characters, comment {len(comment):,} ({shown} shown)")


def test_a_long_file_is_previewed_in_part(root):
    """The file as written follows the problems in the comment: cut, and said so, when the
    whole does not fit."""
    from generator.contribute.ghcomment import comment_length

    kind = KINDS["exchange"]
    items, body = _base(kind, slug="long-file", body="長" * 30_000 + "\n\n```\n" + "尾" * 20_000)
    res = process(issue(kind, body), root)
    assert res.valid
    comment = render_report(res, limit=40_000)
    assert comment_length(comment) <= 40_000 and "只顯示開頭" in comment and "only its beginning" in comment
    assert "長" * 30_000 in comment and "尾" * 20_000 not in comment and comment.rstrip().endswith("</details>")
    assert "\n````\n" in comment  # the fence outgrows the file's own ``` even when cut
    assert "尾" * 20_000 in render_report(res)


def test_the_entry_point_writes_files_for_the_next_job(root, tmp_path, monkeypatch):
    """python -m generator.contribute.issues.entry, as the workflow runs it: the comment, the result and the
    entry as files; "valid" alone as the step's output; every problem in the job summary."""
    import json

    from generator.contribute.issues import entry as issueentry

    kind = KINDS["exchange"]
    items, body = _base(kind, slug="entry-point", quantity="9" * 4_301, title="一\n二")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": issue(kind, body)}), encoding="utf-8")
    out, output, summary = tmp_path / "issue-entry", tmp_path / "output", tmp_path / "summary"
    monkeypatch.setenv("GITHUB_REPOSITORY", "example-org/test-kb")
    monkeypatch.setenv("GITHUB_RUN_ID", "77")
    assert issueentry.main(["--event", str(event), "--root", str(root), "--out", str(out),
                            "--report", str(tmp_path / "issue-report/report.md"),
                            "--summary", str(summary), "--github-output", str(output)]) == 0
    assert output.read_text() == "valid=false\n"
    assert json.loads((out / "result.json").read_text()) == {"valid": False, "path": ""}
    assert not (out / "entry.md").exists()
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER) and "value-too-long" in comment and "text-multiline" in comment
    assert "issue-unreadable" not in comment
    full = (tmp_path / "issue-report/report.md").read_text(encoding="utf-8")
    assert full == summary.read_text(encoding="utf-8") == comment  # short enough: the same everywhere


def test_the_job_summary_names_the_artifact_not_itself():
    from generator.contribute.issues.report import render_report as render
    from generator.contribute.issues.entry import Result
    from generator.core.problems import problem

    res = Result(problems=[problem("issue", 1, 1, "issue-too-large", size=70_000 + i, limit=65_536)
                           for i in range(200)])
    text = render(res, "https://github.com/o/r/actions/runs/5", limit=5_000,
                  measure=lambda s: len(s.encode("utf-8")), artifact="issue-report", summary=False)
    assert len(text.encode("utf-8")) <= 5_000 and "`issue-report`" in text
    assert "Summary" not in text and "actions/runs/5" not in text


def test_a_body_near_githubs_limit_is_read(root):
    """An issue's body may hold 65,536 characters (GitHub's limit); the comment's own bound
    (60,000) is not the body's."""
    kind = KINDS["exchange"]
    items, body = _base(kind, slug="near-the-limit", body="字" * 63_000)
    assert 60_000 < len(body) <= MAX_BODY
    res = process(issue(kind, body), root)
    assert res.valid and "issue-too-large" not in _problems(res)


def test_a_value_the_site_adds_is_taken_from_its_form(root):
    """The site's own vocabulary values (kb.yml) are on its forms (kb sync writes them with the
    site opened) and the entry read from a submitted form accepts them."""
    from generator.contribute.issues.forms import form
    from generator.knowledge.project import open_project
    from generator.model.registries import load_registries

    (root / "kb.yml").write_text("vocabularies:\n  audience:\n    elders: {zh: 長青, en: Elders}\n", encoding="utf-8")
    try:
        open_project(root)
        kind = KINDS["tool"]
        items = form_items(kind, load_registries(root / "content")[0])
        audience = next(i for i in items if i.path == ("audience",))
        assert "長青 Elders (elders)" in audience.values and "elders" in str(form(kind, load_registries(root / "content")[0]))
        entry = sample(kind)
        answers = {i.id: answer(i, entry) for i in items}
        answers[audience.id] = "長青 Elders (elders)"
        answers[next(i for i in items if i.shape == "slug").id] = "a-tool-for-elders"
        answers[next(i for i in items if i.path == ("title",)).id] = "給長青讀者的工具"
        open_project(root / "elsewhere")  # another site opened before: process() opens this one itself
        res = process(issue(kind, render_issue(items, answers)), root, write=False)
        assert _problems(res) == set() and res.valid and "- elders" in res.text
    finally:
        open_project(root / "elsewhere")
