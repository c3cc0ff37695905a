"""Dates and numbers as librarians type them into a form (issue #24): read into what an entry
stores with a notice saying what was converted, or refused with the reason; one set of rules
(generator/model/typed_values.py) for the issue form and, mirrored, the web editor."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.contribute.issues.report import render_report
from generator.model.typed_values import Reading, parse_date_text, parse_number_text
from generator.validation.messages import CATALOGUE, render
from issuetrial import project, submit

D = dt.date(2026, 10, 5)


@pytest.mark.parametrize("text, note", [
    ("2026-10-05", None),
    ("2026/10/5", "date-converted"),
    ("2026-10-5", "date-converted"),
    ("2026.10.5", "date-converted"),
    ("2026 / 10 / 05", "date-converted"),
    ("２０２６／１０／５", "date-converted"),  # typed with a Chinese input method's full-width digits
    ("20261005", "date-converted"),
    ("2026年10月5日", "date-converted"),
    ("2026年10月5號", "date-converted"),
    ("西元2026年10月5日", "date-converted"),
    ("2026/10/5（一）", "date-converted"),  # a weekday that is the date's own
    ("2026/10/5 週一", "date-converted"),
    ("115/10/5", "date-roc-converted"),
    ("115-10-05", "date-roc-converted"),
    ("115年10月5日", "date-roc-converted"),
    ("民國115年10月5日", "date-roc-converted"),
    ("中華民國115年10月5日", "date-roc-converted"),
])
def test_a_date_typed_in_any_common_form_is_read(text, note):
    value, got_note, problem = parse_date_text(text)
    assert (value, problem) == (D, None)
    assert (got_note.code if got_note else None) == note
    if note:
        assert got_note.params["value"] == text and got_note.params["stored"] == "2026-10-05"


def test_a_minguo_year_is_said_as_such():
    _, note, _ = parse_date_text("民國99年1月2日")
    assert note.code == "date-roc-converted" and note.params["stored"] == "2010-01-02"
    msg, hint = render(note.code, {**note.params, "label": "開始日期"}, "zh-TW")
    assert msg == "開始日期「民國99年1月2日」是民國 99 年，已換算為 2010-01-02，請確認"
    assert "1911" in hint


def test_only_one_reading_of_day_and_month_is_accepted():
    assert parse_date_text("15/10/2026").value == dt.date(2026, 10, 15)
    assert parse_date_text("10/15/2026").value == dt.date(2026, 10, 15)
    assert parse_date_text("5/10/2026").problem.code == "date-ambiguous"


@pytest.mark.parametrize("text, code, params", [
    ("2026/2/30", "date-no-day", {"year": 2026, "month": 2, "day": 30, "days": 28}),
    ("2028/2/30", "date-no-day", {"days": 29}),
    ("115/4/31", "date-no-day", {"year": 2026, "month": 4, "days": 30}),
    ("2026/13/5", "date-no-month", {"month": 13}),
    ("2026/10/5（日）", "date-weekday", {"given": "日", "actual": "一"}),
    ("26/10/5", "date-year-ambiguous", {"year": "26"}),
    ("1905-02-02", "date-implausible", {}),
    ("民國30年1月1日", "date-implausible", {}),
    ("下週一", "type-date", {}),
    ("2026/10", "type-date", {}),
    ("2026/10/5 14:00", "type-date", {}),
    ("2026/10-5", "type-date", {}),
    ("2026 1005", "type-date", {}),  # two numbers are not joined into one
    ("", "type-date", {}),
])
def test_an_impossible_or_unclear_date_is_refused_with_the_reason(text, code, params):
    value, note, problem = parse_date_text(text)
    assert value is None and note is None
    assert problem.code == code
    assert params.items() <= problem.params.items()
    assert problem.code in CATALOGUE


ATTENDANCE = ("人", "人次", "位")
TWD = ("元", "NT$", "NTD", "TWD", "新臺幣", "新台幣")


@pytest.mark.parametrize("text, units, stored, converted", [
    ("412", ATTENDANCE, 412, False),
    ("412人", ATTENDANCE, 412, True),
    ("412 人次", ATTENDANCE, 412, True),
    ("1,200", ATTENDANCE, 1200, True),
    ("１，２００", ATTENDANCE, 1200, True),
    ("NT$18,000", TWD, 18000, True),
    ("NT$ 18,000 元", TWD, 18000, True),
    ("18000元", TWD, 18000, True),
    ("新臺幣18,000元", TWD, 18000, True),
    ("1.8萬元", TWD, 18000, True),
    ("1.1萬", TWD, 11000, True),
])
def test_separators_and_the_fields_own_unit_are_left_out_with_a_notice(text, units, stored, converted):
    value, note, problem = parse_number_text(text, integer=True, units=units)
    assert (value, problem) == (stored, None) and type(value) is int
    assert (note is not None) == converted
    if converted:
        assert note.code == "number-converted" and note.params == {"value": text, "stored": stored}


@pytest.mark.parametrize("text", ["約400人", "大約400", "400人左右", "400多人", "400餘人", "400人以上", "~400", "～400",
                                  "400+", "300-400", "300～400人", "將近400", "超過400人"])
def test_an_approximation_is_refused_the_real_figure_is_wanted(text):
    value, note, problem = parse_number_text(text, integer=True, units=ATTENDANCE)
    assert value is None and problem.code == "number-approximate"
    msg, hint = render(problem.code, {**problem.params, "label": "參與人次"}, "zh-TW")
    assert "只填數字" in msg and "實際的數字" in hint and "加總" in hint  # and why


@pytest.mark.parametrize("text, units, code", [
    ("400本", ATTENDANCE, "number-unit"),  # not this field's unit
    ("18000美元", TWD, "number-unit"),
    ("400人", (), "number-unit"),  # a field with no unit of its own (a measure's value: its unit is a column)
    ("四百", ATTENDANCE, "type-int"),
    ("412.5", ATTENDANCE, "type-int"),
    ("1,20", ATTENDANCE, "type-int"),
    ("400 412", ATTENDANCE, "type-int"),
    ("9" * 101, ATTENDANCE, "value-too-long"),
])
def test_other_numbers_are_refused_with_the_reason(text, units, code):
    value, note, problem = parse_number_text(text, integer=True, units=units)
    assert value is None and problem.code == code


def test_a_fraction_is_a_number_not_a_whole_number():
    assert parse_number_text("2.5", units=TWD) == Reading(2.5, None, None)
    assert parse_number_text("2.5", integer=True).problem.code == "type-int"


# -- the issue form ----------------------------------------------------------------------------------

def test_the_trial_as_typed_is_stored_in_the_stored_forms_with_notices(tmp_path):
    """The librarian's outreach write-up, typed as she types: ROC and slashed dates, a unit, a
    currency and thousands separators. Valid; every conversion is a notice on its box."""
    root = project(tmp_path)
    res = submit(root, start_date="115/10/5", end_date="2026/10/11", attendance="412 人",
                 budget__amount="NT$18,000")
    assert res.valid, render_report(res)
    assert {(p.code, p.level.value, p.args["field"]) for p in res.problems} == {
        ("date-roc-converted", "notice", "start_date"), ("date-converted", "notice", "end_date"),
        ("number-converted", "notice", "attendance"), ("number-converted", "notice", "budget.amount")}
    assert "start_date: 2026-10-05\nend_date: 2026-10-11\n" in res.text
    assert "attendance: 412\n" in res.text and "  amount: 18000\n" in res.text
    comment = render_report(res)
    assert "條目檢查通過" in comment
    assert "開始日期「115/10/5」是民國 115 年，已換算為 2026\\-10\\-05，請確認" in comment
    assert "參與人次「412 人」已存為 412，請確認" in comment


def test_an_approximation_in_the_form_is_one_problem_on_its_box(tmp_path):
    res = submit(project(tmp_path), attendance="約400人")
    assert not res.valid
    assert [(p.code, p.args.get("field")) for p in res.problems] == [("number-approximate", "attendance")]
    comment = render_report(res)
    assert "**參與人次 Attendance** (`number-approximate`)" in comment
    assert "只填數字" in comment and "type-int" not in comment  # validation's own word is not said again


def test_an_impossible_date_in_the_form_is_refused_with_the_reason(tmp_path):
    res = submit(project(tmp_path), end_date="2026/2/30")
    assert [(p.code, p.args.get("field")) for p in res.problems] == [("date-no-day", "end_date")]
    assert "2026 年 2 月只有 28 天" in render_report(res)


def test_a_value_in_a_table_of_the_form_is_read_by_the_same_rules(tmp_path):
    res = submit(project(tmp_path), outcomes="借閱冊數 | 1,250 | 冊\n滿意度 | 九成")
    assert [(p.code, p.level.value, p.args["field"]) for p in res.problems] == [
        ("number-converted", "notice", "outcomes[1].value"), ("type-number", "error", "outcomes[2].value")]
    assert "**量化成果 Outcomes in numbers** (`type-number`)" in render_report(res)
