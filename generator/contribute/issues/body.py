"""Reading a submitted issue form: GitHub writes each element as ``### <label>``, a blank
line and the answer (``_No response_`` when empty; a multi-select dropdown as ``a, b``;
checkboxes as ``- [X] label``). :func:`split_body` finds the form's own labels, in the
form's order, and :func:`build` turns the answers into front-matter data and a body.

Nothing here raises for what an issue holds: an answer that is not what its element asks
becomes a problem, or is passed on as text for validation to explain.

Dates and numbers are read as people type them (:mod:`generator.model.typed_values`: ``115/10/5``,
``NT$18,000``): what was converted is a notice on its box (``Level.NOTICE``), what is refused
(``約400人``, ``2026/2/30``) an error on its box saying why. A refused answer is still passed on
as text, and :mod:`generator.contribute.issues.entry` drops validation's own problem on the same field.
"""

from __future__ import annotations

import re
from typing import Any

from ...core.problems import Level, Problem, problem
from ...kinds import KINDS, Kind
from ...model.fields import Date, Field, Integer, ListOf, Number
from ...model.typed_values import parse_date_text, parse_number_text
from ...source.yamlhints import BULLETS
from .formspec import (
    COLUMN_SEP, INNER_SEPS, NO_RESPONSE, Item,
)

MAX_BODY = 65_536  # characters: GitHub's own limit for an issue's body
MAX_LINES_PER_ANSWER = 1_000  # items of one list or table
CHECKED_RE = re.compile(r"^\s*[-*]\s*\[[xX]\]\s*(.*)$")
# A list item's mark, as typed or pasted from Word: "- ", "* ", "1. ", "•", "・", "●"…
BULLET_RE = re.compile(rf"^\s*(?:(?:[-*+]|\d+[.)])\s+|[{BULLETS}]\s*)")
_INNER_RE = re.compile("|".join(re.escape(s) for s in INNER_SEPS))


def kind_of(labels: list[str]) -> Kind | None:
    """The kind a form's labels name (its folder); None unless exactly one."""
    found = [k for k in KINDS.values() if k.folder in labels]
    return found[0] if len(found) == 1 else None


def split_body(body: str, items: list[Item]) -> dict[str, str | None]:
    """Each element's answer by id (None: no response, or the heading is not there). The
    headings are looked for in the form's order, so a ``### …`` line inside an answer is
    part of it unless it is the next element's own label."""
    lines = body.split("\n")
    starts: list[tuple[int, Item]] = []
    at = 0
    for item in items:
        heading = f"### {item.label}"
        for i in range(at, len(lines)):
            if lines[i].rstrip() == heading:
                starts.append((i, item))
                at = i + 1
                break
    out: dict[str, str | None] = {item.id: None for item in items}
    for n, (i, item) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        value = "\n".join(lines[i + 1:end]).strip("\n")
        out[item.id] = None if value.strip() in ("", NO_RESPONSE) else value.strip()
    return out


def _scalar(f: Field, text: str, found: list[Problem], name: str):
    """A typed value where the text reads as one (so the file reads as ``kb new`` writes it),
    with a notice when it was converted; else the text itself, with the reason it is refused
    as a problem on the field ``name`` (a number too long to convert included: 4,301 digits
    raise ValueError in ``int``; value-too-long)."""
    text = text.strip()
    ftype = f.type
    if isinstance(ftype, Date):
        reading = parse_date_text(text)
    elif isinstance(ftype, (Integer, Number)):
        reading = parse_number_text(text, integer=isinstance(ftype, Integer), units=ftype.units)
    else:
        return text
    value, note, refused = reading
    for n, level in ((note, Level.NOTICE), (refused, Level.ERROR)):
        if n is not None:
            found.append(problem("issue", 1, 1, n.code, level=level, field=name, label=f.zh or f.name,
                                 label_en=f.en or f.name, **n.params))
    return text if value is None else value


def _lines(text: str) -> list[str]:
    out = []
    for line in text.split("\n")[:MAX_LINES_PER_ANSWER]:
        line = BULLET_RE.sub("", line, count=1).strip()
        if line:
            out.append(line)
    return out


def _choices(item: Item, text: str) -> list[str]:
    """A multi-select answer, ``a, b``: options are matched whole (an option may hold a comma);
    a part that is no option is kept as written."""
    parts, out, buf = text.split(", "), [], ""
    for part in parts:
        buf = f"{buf}, {part}" if buf else part
        if buf in item.values:
            out.append(item.values[buf])
            buf = ""
    if buf:
        out += [p.strip() for p in buf.split(",") if p.strip()]
    return out


def _table(item: Item, text: str, found: list[Problem]) -> list[dict]:
    rows: list[dict[str, Any]] = []
    name = ".".join(item.path)
    for n, line in enumerate(_lines(text), 1):
        cells = [c.strip() for c in line.strip().strip(COLUMN_SEP).split(COLUMN_SEP)]
        if len(cells) > len(item.columns):
            found.append(problem("issue", 1, 1, "issue-table-columns", field=item.id, row=n,
                                 count=len(cells), columns=len(item.columns)))
            continue
        row: dict[str, Any] = {}
        for col, cell in zip(item.columns, cells):
            if not cell:
                continue
            where = f"{name}[{len(rows) + 1}].{col.name}"  # its place in the list written
            if isinstance(col.type, ListOf):
                row[col.name] = [_scalar(Field(col.name, col.type.item, zh=col.zh, en=col.en), v, found, f"{where}[{i}]")
                                 for i, v in enumerate((v for v in _INNER_RE.split(cell) if v.strip()), 1)]
            else:
                row[col.name] = _scalar(col, cell, found, where)
        rows.append(row)
    return rows


def _value(item: Item, text: str, found: list[Problem]):
    if item.shape == "choice":
        return item.values.get(text, text)
    if item.shape == "choices":
        return _choices(item, text)
    if item.shape == "flag":
        return True if any(CHECKED_RE.match(line) for line in text.split("\n")) else None
    if item.shape == "table":
        return _table(item, text, found) or None
    name = ".".join(item.path)
    f = item.field
    assert f is not None  # the elements without a field (slug, sections, body) are read by build()
    if item.shape == "lines":
        assert isinstance(f.type, ListOf)  # a list of text, one item a line
        return [_scalar(Field(f.name, f.type.item, zh=f.zh, en=f.en), v, found, f"{name}[{i}]")
                for i, v in enumerate(_lines(text), 1)] or None
    return _scalar(f, text, found, name)


def build(kind: Kind, items: list[Item], answers: dict[str, str | None]) -> tuple[str, dict, str, list[Problem]]:
    """(slug, front-matter data in the schema's order, body, problems) from the answers."""
    found: list[Problem] = []
    values: dict[tuple, object] = {}
    slug, sections, more = "", [], ""
    for item in items:
        text = answers.get(item.id)
        if text is None:
            continue
        if item.shape == "slug":
            slug = text.strip()
        elif item.shape == "section":
            section = item.section
            assert section is not None  # a section's element names it (formspec.form_items)
            sections.append(f"## {section.zh} {section.en}\n\n{text.strip()}\n")
        elif item.shape in ("more", "body"):
            more = text.strip() + "\n"
        else:
            value = _value(item, text, found)
            if value is not None:
                values[item.path] = value
    data: dict = {}
    for f in kind.schema.fields:  # the schema's order, objects' fields in theirs
        if (f.name,) in values:
            data[f.name] = values[(f.name,)]
        sub = {sf.name: values[(f.name, sf.name)] for sf in getattr(f.type, "fields", [])
               if (f.name, sf.name) in values}
        if sub:
            data[f.name] = sub
    # A section left empty has no heading either: validation names it (section-missing).
    body = "\n".join([*sections, more] if more else sections)
    return slug, data, body, found
