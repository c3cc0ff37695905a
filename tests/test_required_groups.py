"""Required is required everywhere (issue #24): what kb validate requires, the schema says, the
issue forms mark, and the message's fix works for a form's user as for a file's; an empty
required section and a year no entry has are errors."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.knowledge.indexing import load_knowledge_base
from generator.contribute.issues.formspec import form_items
from generator.contribute.issues.report import render_report
from generator.model.fields import Object
from generator.kinds import KINDS
from generator.validation.messages import render
from generator.validation.reporting import message_of
from helpers import REGISTRIES, entry_text, new_content, write
from issuetrial import project, submit


@pytest.fixture
def content(tmp_path):
    return new_content(tmp_path)


def problems_of(content, text, rel="outreach/o.md"):
    write(content, rel, text)
    kb = load_knowledge_base(content)
    return [p for p in kb.problems if p.path == f"content/{rel}"]


# -- the schema says what is required -------------------------------------------------------------

def test_the_schema_names_the_required_group_of_a_contact():
    contact = KINDS["outreach"].field("contact")
    assert contact.required
    assert [f.name for f in contact.type.required_group(contact.required)] == ["email", "phone"]
    assert not any(f.required for f in contact.type.fields)  # each one alone is optional
    job = KINDS["job"].field("contact")  # an optional contact: nothing in it is required
    assert job.type.one_of == ("email", "phone") and job.type.required_group(job.required) == ()
    schema = contact.type.json_schema()
    assert schema["anyOf"] == [{"required": ["email"]}, {"required": ["phone"]}]


@pytest.mark.parametrize("contact", [None, "", {"name": "推廣服務組"}, {"email": None, "phone": None}])
def test_a_required_contact_without_email_or_phone_is_one_problem_its_fix_for_everyone(content, contact):
    if contact == "":
        text = entry_text("outreach", contact=None).replace("---\n\n", "contact:\n---\n\n", 1)
    else:
        text = entry_text("outreach", contact=contact)
    found = [p for p in problems_of(content, text) if p.level.value == "error"]
    assert [(p.code, p.args["field"]) for p in found] == [("one-of-missing", "contact")]
    msg, hint = message_of(found[0], "zh-TW")
    assert msg == "「contact」的電子郵件或電話至少要填一項"
    assert hint.startswith("填寫電子郵件或電話（至少一項）。")  # said for a form, an editor and a file alike
    assert "`  email: …`" in hint  # and, for a file, where it goes
    msg_en, hint_en = message_of(found[0], "en")
    assert "E-mail or Phone" in msg_en and "at least one" in hint_en


def test_a_missing_key_is_fixed_by_its_label_too(content):
    text = entry_text("outreach", attendance=None, start_date=None)
    found = [p for p in problems_of(content, text) if p.code == "key-missing"]
    assert [p.args["key"] for p in found] == ["start_date"]
    assert message_of(found[0], "zh-TW")[1] == "填寫「開始日期」（在檔案裡是加上一行 `start_date: ...`）。"


def test_a_budget_needs_an_amount_or_a_bracket_in_the_same_words(content):
    text = entry_text("outreach", budget={"source": "教育部計畫"})
    found = [p for p in problems_of(content, text) if p.code == "one-of-missing"]
    assert [p.args["names"] for p in found] == ["金額或級距"]


def test_the_issue_forms_mark_the_required_group_and_nothing_else():
    registries = load_registries()
    for kind in KINDS.values():
        groups = {f"{f.name}__{g.name}" for f in kind.schema.fields if isinstance(f.type, Object)
                  for g in f.type.required_group(f.required)}
        marked = {i.id for i in form_items(kind, registries) if i.description.startswith("必填：")}
        assert marked == groups, kind.id
    outreach = {i.id: i for i in form_items(KINDS["outreach"], registries)}
    for box in ("contact__email", "contact__phone"):
        assert outreach[box].description.startswith("必填：「電子郵件」與「電話」至少填一項。 / Required: at least one of")
        assert outreach[box].group == ("contact__email", "contact__phone")
    jobs = {i.id: i for i in form_items(KINDS["job"], registries)}
    assert not jobs["contact__email"].description.startswith("必填")


def test_the_generated_form_files_say_it():
    from pathlib import Path

    form = yaml.safe_load((Path(__file__).resolve().parents[1] / ".github/ISSUE_TEMPLATE/outreach.yml").read_text(
        encoding="utf-8"))
    boxes = {e.get("id"): e for e in form["body"]}
    assert boxes["contact__email"]["attributes"]["description"].startswith("必填：")


def test_a_form_without_email_or_phone_is_told_which_boxes_to_fill(tmp_path):
    res = submit(project(tmp_path), contact__email=None)
    assert [p.code for p in res.problems] == ["one-of-missing"]
    comment = render_report(res)
    assert "1. **聯絡方式 Contact：電子郵件 E\\-mail** (`one-of-missing`)" in comment
    assert "填寫表單的電子郵件或電話欄（至少一項）" in comment
    assert "在檔案裡" not in comment  # a form's user never sees the file's way


def load_registries():
    from generator.model.registries import load_registries as load

    return load(REGISTRIES.parent)[0]


# -- empty sections, implausible years --------------------------------------------------------------

def test_an_empty_required_section_is_an_error_that_refuses_the_entry(content):
    body = "## 活動規劃\n\n規劃內容。\n\n## 活動成果\n\n## 檢討與建議\n\n下次提早宣傳。\n"
    found = problems_of(content, entry_text("outreach", body=body))
    assert [(p.code, p.level.value) for p in found] == [("body-section-empty", "error")]
    kb = load_knowledge_base(content)
    assert not any(e.rel == "outreach/o.md" for e in kb.entries)


def test_a_section_of_unicode_white_space_only_is_empty_too(content):
    # an ideographic space, a no-break space, a line separator: nothing a reader would see
    body = "## 活動規劃\n\n規劃內容。\n\n## 活動成果\n\u3000\u00a0\n\u2028\n## 檢討與建議\n\n下次提早宣傳。\n"
    found = problems_of(content, entry_text("outreach", body=body))
    assert [(p.code, p.level.value) for p in found] == [("body-section-empty", "error")]


def test_squashing_white_space_is_what_the_regular_expression_did():
    import re

    from generator.validation.body import _squash

    every = "x".join(chr(i) for i in range(0x110000))  # each character between two letters
    runs = " \t\u3000 a \n\n\u00a0\u2028b\x1c\x1d\x1e\x1f\x85c\u200b\ufeffd  "
    for text in (every, runs, "", " \u3000 "):
        assert _squash(text) == re.sub(r"\s+", " ", text).strip()


def test_a_year_before_1950_is_an_error(content):
    found = problems_of(content, entry_text("outreach", start_date=dt.date(1905, 10, 5), end_date=dt.date(1905, 10, 11)))
    assert [(p.code, p.level.value) for p in found] == [("date-implausible", "error")] * 2


def test_dates_in_the_wrong_order_because_of_a_mistyped_year_say_so(content):
    found = problems_of(content, entry_text("outreach", start_date=dt.date(2026, 10, 5), end_date=dt.date(1905, 10, 11)))
    assert [(p.code, p.level.value) for p in found] == [("date-implausible", "error"), ("date-order-year", "error")]
    msg, hint = message_of(found[1], "zh-TW")
    assert "end_date 的年份 1905 多半打錯了" in msg and "是否填反" not in hint
    # and an order that is only the wrong way round still asks whether they are swapped
    found = problems_of(content, entry_text("outreach", start_date=dt.date(2026, 10, 11), end_date=dt.date(2026, 10, 5)))
    assert [p.code for p in found] == ["date-order"]
    assert "是否填反" in message_of(found[0], "zh-TW")[1]


def test_every_message_of_a_required_group_formats():
    msg, hint = render("one-of-missing", {"field": "contact", "names": "電子郵件或電話", "names_en": "E-mail or Phone",
                                          "keys": "email / phone", "first_key": "email"}, "zh-TW")
    assert "{" not in msg + hint
