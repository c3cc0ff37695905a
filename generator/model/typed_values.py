"""Dates and numbers as people type them into a box, read into the values an entry stores.

One set of rules, pure (no files, no YAML, no schema), for every place a person types a value:
the issue form reads its answers with it (:mod:`generator.contribute.issues.body`), and the web editor's
widgets can mirror it rule for rule (the same accepted forms, the same codes). A file written
by hand is not read with it: there ``kb validate`` asks for ``YYYY-MM-DD`` and plain digits,
and says so.

Both functions return a :class:`Reading`, which unpacks as ``(value, note, problem)``:

* ``value``: the value to store (:class:`datetime.date`, ``int`` or ``float``), or None when
  the text is refused;
* ``note``: a :class:`Note` when the text was read from another form than the one stored
  (``115/10/5`` as 2026-10-05, ``NT$18,000`` as 18000): the person should check it. A notice,
  never an error. None when the text already was what is stored;
* ``problem``: a :class:`Note` saying why the text is refused (None when it is not).

A :class:`Note` is a problem code of :data:`generator.validation.messages.CATALOGUE` and its parameters;
the caller adds ``field`` (the key path), ``label`` and ``label_en`` (the box's name) before
rendering it.

**Dates** (:func:`parse_date_text`), year first, with ``-``, ``/`` or ``.`` (the same one
twice), or ``年 月 日`` (``號`` for ``日`` too); full-width digits and punctuation read as
their ASCII twins; spaces ignored:

===========================  ============  ==================================================
typed                        stored        note / problem
===========================  ============  ==================================================
``2026-10-05``               2026-10-05    (none: the stored form)
``2026-10-5`` ``2026/10/5``  2026-10-05    ``date-converted``
``2026.10.5`` ``20261005``   2026-10-05    ``date-converted``
``2026年10月5日``             2026-10-05    ``date-converted``
``115/10/5`` ``115年10月5日``  2026-10-05    ``date-roc-converted`` (a three-digit year is a
``民國115年10月5日``                         Minguo year: plus 1911; ``民國`` also before 1–2 digits)
``2026/10/5（一）``            2026-10-05    the weekday, if given, must be the date's:
                                           ``date-weekday``
``26/10/5``                  –             ``date-year-ambiguous`` (2026 or Minguo 26?)
``5/10/2026``                –             ``date-ambiguous`` (day and month cannot be told
                                           apart); ``15/10/2026`` (only one reading):
                                           2026-10-15, ``date-converted``
``2026/13/5`` ``2026/2/30``  –             ``date-no-month``, ``date-no-day`` (with the
                                           month's days)
``1905/2/2`` ``民國30年1月1日``  –           ``date-implausible`` (before :data:`PLAUSIBLE_FROM`)
anything else                –             ``type-date``
===========================  ============  ==================================================

**Numbers** (:func:`parse_number_text`): digits, a sign, a decimal point. Normalised, with
``number-converted`` saying what is stored: thousands separators (``1,200``, in groups of
three), a unit of the field's own (``units``: ``400 人`` in attendance, ``NT$18,000`` or
``18000元`` in an amount in New Taiwan dollars; before or after the number) and ``萬``
(``1.8萬`` is 18000). Refused: approximations (``約400``, ``400左右``, ``400多``,
``400以上``, ``~400``, ``400+``, ``300-400``): ``number-approximate``, as the figure is added
up and compared on the statistics pages and an estimate must not pass for a count; a word that
is not the field's unit (``400 本`` in attendance): ``number-unit``; a fraction in a whole
number: ``type-int``; more than :data:`MAX_DIGITS` digits: ``value-too-long``; anything else:
``type-int`` or ``type-number``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from .scalarfields import MAX_DIGITS, PLAUSIBLE_FROM

ROC_OFFSET = 1911  # Minguo year 1 is 1912
WEEKDAYS = "一二三四五六日"  # Monday first, as date.weekday() counts


@dataclass(frozen=True)
class Note:
    """A problem code of the catalogue and its parameters (the caller adds the field's)."""

    code: str
    params: dict = field(default_factory=dict)


class Reading(NamedTuple):
    value: object  # datetime.date, int, float, or None when refused
    note: Note | None  # read from another form: tell the person what is stored
    problem: Note | None  # refused, and why


def _clean(text: str) -> str:
    """Full-width digits and punctuation as ASCII; spaces beside anything but a digit removed
    (``2026 / 10 / 5``, ``400 人``), never between two digits (``400 412`` is not 400412)."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    return re.sub(r"\s+(?!\d)|(?<!\d)\s+", "", t)


# -- dates ----------------------------------------------------------------------------------------

_WEEKDAY_RE = re.compile(r"(?:\((?:週|周|星期|禮拜)?([一二三四五六日天])\)|(?:週|周|星期|禮拜)([一二三四五六日天]))$")
_ERA_RE = re.compile(r"^(?:(中華)?民國|(西元|公元))")
_SEP_RE = re.compile(r"^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,2})$")
_CJK_RE = re.compile(r"^(\d{1,4})年(\d{1,2})月(\d{1,2})[日號号]?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_LAST_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")


def parse_date_text(text: str) -> Reading:
    """A date as a person types it -> :class:`Reading` (see the module's table)."""
    raw = (text or "").strip()
    t = _clean(raw)
    weekday = None
    m = _WEEKDAY_RE.search(t)
    if m and m.start() > 0:
        weekday = (m.group(1) or m.group(2)).replace("天", "日")
        t = t[:m.start()]
    era = _ERA_RE.match(t)
    roc = bool(era and not era.group(2))
    western = bool(era and era.group(2))
    if era:
        t = t[era.end():]
    if m := _SEP_RE.match(t) or _CJK_RE.match(t):
        y, mo, d = m.group(1), m.group(m.re.groups - 1), m.group(m.re.groups)
    elif (m := _COMPACT_RE.match(t)) and not roc:
        y, mo, d = m.groups()
    elif (m := _YEAR_LAST_RE.match(t)) and not era:
        y, a, b = m.group(4), int(m.group(1)), int(m.group(3))
        if a <= 12 and b <= 12 and a != b:
            return Reading(None, None, Note("date-ambiguous", {"value": raw}))
        mo, d = (str(a), str(b)) if b > 12 or a == b else (str(b), str(a))  # the one reading there is
    else:
        return Reading(None, None, Note("type-date", {"value": raw}))
    if (roc and len(y) > 3) or (western and len(y) != 4):
        return Reading(None, None, Note("type-date", {"value": raw}))
    if len(y) <= 2 and not roc:
        return Reading(None, None, Note("date-year-ambiguous", {"value": raw, "year": y}))
    minguo = roc or len(y) == 3
    year = int(y) + ROC_OFFSET if minguo else int(y)
    month, day = int(mo), int(d)
    if not 1 <= month <= 12:
        return Reading(None, None, Note("date-no-month", {"value": raw, "month": month}))
    if year < PLAUSIBLE_FROM:  # 1905 from a date picker, or a Minguo year before 39
        return Reading(None, None, Note("date-implausible", {"value": raw}))
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return Reading(None, None, Note("date-no-day", {"value": raw, "year": year, "month": month, "day": day,
                                                        "days": days}))
    date = dt.date(year, month, day)
    if weekday is not None and WEEKDAYS[date.weekday()] != weekday:
        return Reading(None, None, Note("date-weekday", {"value": raw, "stored": date.isoformat(), "given": weekday,
                                                         "actual": WEEKDAYS[date.weekday()]}))
    if raw == date.isoformat():
        return Reading(date, None, None)
    if minguo:
        return Reading(date, Note("date-roc-converted", {"value": raw, "stored": date.isoformat(),
                                                         "roc": int(y), "year": year}), None)
    return Reading(date, Note("date-converted", {"value": raw, "stored": date.isoformat()}), None)


# -- numbers --------------------------------------------------------------------------------------

# Words and signs of an estimate, before or after the number; and a range (300-400, 300~400).
_APPROXIMATE_RE = re.compile(
    r"^(?:約|大約|大概|將近|接近|近|逾|超過|至少|不到|~|≈|±)|(?:左右|上下|多|餘|以上|以下|出頭|幾|\+|~)$"
    r"|\d(?:-|~|至|到)[\d]")
_THOUSANDS_RE = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+)(\.\d+)?$")
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_LEADING_NUMBER_RE = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
TEN_THOUSAND = "萬"


def _as_number(t: str, scale: int = 1):
    """The text's number times ``scale``, exactly (``1.1萬`` is 11000, not 11000.000000000002):
    an int when whole."""
    number = Decimal(t) * scale
    return int(number) if number == number.to_integral_value() else float(number)


def _is_unit(word: str) -> bool:
    """A word or a currency sign, as a unit is: not stray punctuation (``412.``)."""
    return any(ch.isalpha() or unicodedata.category(ch) == "Sc" for ch in word)


def parse_number_text(text: str, *, integer: bool = False, units: tuple[str, ...] = ()) -> Reading:
    """A number as a person types it -> :class:`Reading` (see the module's text). ``integer``:
    a whole number is wanted; ``units``: what may stand before or after the number in this
    field (its unit, as its label says: 人, 週, 元, NT$), left out of what is stored."""
    raw = (text or "").strip()
    t = _clean(raw)
    problem_code = "type-int" if integer else "type-number"
    if not t:
        return Reading(None, None, Note(problem_code, {"value": raw}))
    stripped = t
    for unit in sorted((_clean(u) for u in units), key=len, reverse=True):
        if unit and stripped.endswith(unit) and len(stripped) > len(unit):
            stripped = stripped[:-len(unit)]
            break
    for unit in sorted((_clean(u) for u in units), key=len, reverse=True):
        if unit and stripped.startswith(unit) and len(stripped) > len(unit):
            stripped = stripped[len(unit):]
            break
    if _APPROXIMATE_RE.search(stripped) or _APPROXIMATE_RE.search(t):
        return Reading(None, None, Note("number-approximate", {"value": raw}))
    scale = 1
    if stripped.endswith(TEN_THOUSAND) and len(stripped) > 1:
        stripped, scale = stripped[:-1], 10_000
    if m := _THOUSANDS_RE.match(stripped):
        stripped = m.group(1) + m.group(2).replace(",", "") + (m.group(3) or "")
    if not _NUMBER_RE.match(stripped):
        m = _LEADING_NUMBER_RE.search(t)
        if m and (m.start() == 0 or m.end() == len(t)) and _NUMBER_RE.match(m.group().replace(",", "")):
            unit = (t[m.end():] if m.start() == 0 else t[:m.start()]).strip()
            if _is_unit(unit) and not re.search(r"\d", unit):  # a number and a word not this field's unit
                return Reading(None, None, Note("number-unit", {"value": raw, "unit": unit,
                                                                "number": m.group().replace(",", "")}))
        return Reading(None, None, Note(problem_code, {"value": raw}))
    digits = sum(ch.isdigit() for ch in stripped)
    if digits > MAX_DIGITS:
        return Reading(None, None, Note("value-too-long", {"length": digits, "limit": MAX_DIGITS}))
    number = _as_number(stripped, scale)
    if integer and not isinstance(number, int):
        return Reading(None, None, Note("type-int", {"value": raw}))
    if raw == stripped and scale == 1:
        return Reading(number, None, None)
    return Reading(number, Note("number-converted", {"value": raw, "stored": number}), None)
