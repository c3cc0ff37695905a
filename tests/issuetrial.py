"""A librarian's trial of the issue form (issue #24): an outreach write-up, 高雄市立圖書館左營分館
「親子共讀繪本週」, 2026-10-05 to 10-11, 412 participants, NT$18,000, answered box by box."""

from __future__ import annotations

from pathlib import Path

from generator.contribute.issues.entry import process
from generator.contribute.issues.formspec import CHECKED_OPTION, form_items
from generator.contribute.issues.forms import form_labels
from generator.kinds import KINDS
from helpers import example_content, registries

OUTREACH = KINDS["outreach"]

# What she typed, by the form's element ids (dropdowns by the option's id).
ANSWERS = {
    "slug": "picture-book-week-2026",
    "title": "親子共讀繪本週",
    "date": "2026-10-20",
    "summary": "左營分館為期一週的親子共讀活動，每天兩場繪本導讀。",
    "tags": ["reading-promotion"],
    "authors": "陳怡安",
    "institution": "ksml",
    "start_date": "2026-10-05",
    "end_date": "2026-10-11",
    "audience": ["children"],
    "program_type": "reading-promotion",
    "budget__amount": "18000",
    "budget__currency": "TWD",
    "attendance": "412",
    "contact__email": "service@library.example.org",
    "section_1": "每天上午、下午各一場繪本導讀。",
    "section_2": "七天共 412 人次參加。",
    "section_3": "週末場次報名踴躍，明年增加場次。",
}


def project(tmp_path: Path) -> Path:
    """The tests' knowledge base to submit into."""
    example_content(tmp_path)
    return tmp_path


def items():
    return form_items(OUTREACH, registries())


def issue_body(answers: dict) -> str:
    """The issue's body as GitHub writes a submitted form."""
    out = []
    for item in items():
        value = answers.get(item.id)
        if isinstance(value, (list, str)) and item.values:
            by_id = {v: o for o, v in item.values.items()}
            value = ", ".join(by_id[v] for v in ([value] if isinstance(value, str) else value))
        if item.shape == "flag":
            value = f"- [{'X' if value else ' '}] {CHECKED_OPTION}"
        out.append(f"### {item.label}\n\n{value or '_No response_'}")
    return "\n\n".join(out)


def submit(root: Path, **changes):
    """Submit the trial with ``changes`` to its answers (None: left empty)."""
    answers = {**ANSWERS, **changes}
    answers = {k: v for k, v in answers.items() if v is not None}
    body = issue_body(answers)
    return process({"number": 24, "body": body, "labels": [{"name": n} for n in form_labels(OUTREACH)]}, root)
