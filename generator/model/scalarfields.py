"""Field types for single values: text, dates, numbers, booleans, URLs, e-mail addresses,
choices from a vocabulary, references to a registry or to another entry, and file names."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from yaml.nodes import ScalarNode

from .fieldbase import FieldType, Invalid

# Earlier years in a date are refused: none of the knowledge base's dates is that old, and
# typing a year into a date picker's field can leave 1905 (tried as a librarian, #16), which a
# warning let through into the published page (#24).
PLAUSIBLE_FROM = 1950

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_RE = re.compile(r"^[+-]?\d+$")
NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
# Digits a number may have. Far more than any count, year or amount; far fewer than Python
# converts (4,300: a longer integer raises ValueError) or a float holds (309: a longer one is inf).
MAX_DIGITS = 100


def digit_count(text: str) -> int:
    """The digits of a number as written (sign and decimal point left out)."""
    return sum(ch.isdigit() for ch in text)
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")


@dataclass
class Text(FieldType):
    max_length: int | None = None
    multiline: bool = False

    def convert(self, node, ctx, name):
        value = self.scalar_text(node, ctx, name, multiline=self.multiline).strip()
        if not value:
            ctx.report(node, "value-empty", field=name)
            raise Invalid
        if self.max_length and len(value) > self.max_length:
            ctx.report(node, "text-too-long", field=name, length=len(value), limit=self.max_length)
            raise Invalid
        return value

    def json_schema(self):
        s = {"type": "string", "minLength": 1}
        if self.max_length:
            s["maxLength"] = self.max_length
        return s


@dataclass
class Date(FieldType):
    def convert(self, node, ctx, name):
        value = self.scalar_raw(node, ctx, name, "date")
        if not DATE_RE.match(value):
            ctx.report(node, "type-date", field=name, value=value)
            raise Invalid
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            ctx.report(node, "date-invalid", field=name, value=value)
            raise Invalid from None
        if date.year < PLAUSIBLE_FROM:  # a slip of the keyboard in a date picker gives 1905
            ctx.report(node, "date-implausible", field=name, value=value)
        return date

    def json_schema(self):
        return {"type": "string", "format": "date", "pattern": DATE_RE.pattern}

    def placeholder(self, label):
        return dt.date.today().isoformat()


@dataclass
class _Numeric(FieldType):
    """Numbers are read from the scalar's text, whatever YAML would make of it."""

    minimum: float | None = 0
    maximum: float | None = None
    # What a person may type before or after the number in a form's box, the field's own unit
    # (人, 週, 元, NT$): left out of the stored value, with a notice (generator.model.typed_values).
    # A file holds the number alone, and kb validate asks for it so.
    units: tuple[str, ...] = ()
    pattern = NUMBER_RE
    code = "type-number"
    expected = "number"

    def parse(self, value: str):
        number = float(value)
        return int(number) if number.is_integer() else number

    def convert(self, node, ctx, name):
        value = self.scalar_raw(node, ctx, name, self.expected)
        if not self.pattern.match(value):
            ctx.report(node, self.code, field=name, value=value)
            raise Invalid
        if digit_count(value) > MAX_DIGITS:
            ctx.report(node, "value-too-long", field=name, length=digit_count(value), limit=MAX_DIGITS)
            raise Invalid
        number = self.parse(value)
        if (self.minimum is not None and number < self.minimum) or (
                self.maximum is not None and number > self.maximum):
            ctx.report(node, "value-range", field=name, value=number,
                       minimum=self.minimum if self.minimum is not None else "-",
                       maximum=self.maximum if self.maximum is not None else "-")
            raise Invalid
        return number

    def json_schema(self):
        s: dict = {"type": self.json_type}
        if self.minimum is not None:
            s["minimum"] = self.minimum
        if self.maximum is not None:
            s["maximum"] = self.maximum
        return s

    def placeholder(self, label):
        return 0


@dataclass
class Integer(_Numeric):
    json_type = "integer"
    pattern = INT_RE
    code = "type-int"
    expected = "integer"

    def parse(self, value: str):
        return int(value, 10)


@dataclass
class Year(Integer):
    """A calendar year (Western): a field type of its own, so that every output shows it as a year
    (2023, never "2,023") whatever its range, and a form reads 2023年 as 2023."""

    minimum: float | None = 1900
    maximum: float | None = 2100
    units: tuple[str, ...] = ("年", "西元")


@dataclass
class Number(_Numeric):
    json_type = "number"


@dataclass
class Boolean(FieldType):
    json_type = "boolean"

    def convert(self, node, ctx, name):
        if isinstance(node, ScalarNode) and node.style is None and node.value in ("true", "false"):
            return node.value == "true"
        ctx.report(node, "type-bool", field=name, value=getattr(node, "value", ""))
        raise Invalid

    def placeholder(self, label):
        return False


@dataclass
class Url(FieldType):
    def convert(self, node, ctx, name):
        value = self.scalar_text(node, ctx, name, "URL").strip()
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
            ctx.report(node, "value-url", field=name, value=value)
            raise Invalid
        return value

    def json_schema(self):
        return {"type": "string", "format": "uri", "pattern": "^https?://"}


@dataclass
class Email(FieldType):
    def convert(self, node, ctx, name):
        value = self.scalar_text(node, ctx, name, "e-mail").strip()
        if not EMAIL_RE.match(value):
            ctx.report(node, "value-email", field=name, value=value)
            raise Invalid
        return value

    def json_schema(self):
        return {"type": "string", "format": "email"}


@dataclass
class Choice(FieldType):
    """A value from a controlled vocabulary (``generator.model.vocab``)."""

    vocabulary: Any = None  # Vocabulary

    def convert(self, node, ctx, name):
        value = self.scalar_text(node, ctx, name).strip()
        resolved = self.vocabulary.resolve(value)
        if resolved is None:
            ctx.report(node, "value-choice", field=name, value=value,
                       choices=", ".join(self.vocabulary.ids()),
                       suggestions=ctx.suggest(value, self.vocabulary.all_names))
            raise Invalid
        return resolved

    def json_schema(self):
        return {"type": "string", "enum": self.vocabulary.ids()}

    def placeholder(self, label):
        return self.vocabulary.ids()[0]


@dataclass
class Ref(FieldType):
    """A reference to a registry entry (organizations, institutions, tags)."""

    registry: str = ""

    def convert(self, node, ctx, name):
        value = self.scalar_text(node, ctx, name).strip()
        reg = ctx.registries.get(self.registry) if ctx.registries is not None else None
        if reg is None:  # registry itself broken: reported where it is
            return value
        resolved = reg.resolve(value)
        if resolved is None:
            ctx.report(node, f"ref-{self.registry}", field=name, value=value,
                       suggestions=ctx.suggest(value, reg.all_names))
            raise Invalid
        return resolved

    def placeholder(self, label):
        return f"<請填寫 Fill in: {label}>"


@dataclass
class FilePath(FieldType):
    """A file inside the entry's own folder."""

    def convert(self, node, ctx, name):
        value = self.scalar_text(node, ctx, name, "file name").strip()
        if value.startswith("/") or "\\" in value or any(part == ".." for part in value.split("/")):
            ctx.report(node, "attachment-outside", field=name, value=value)
            raise Invalid
        return value


ENTRY_REF_RE = re.compile(r"^([a-z0-9-]+)/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)$")


@dataclass
class EntryRef(FieldType):
    """Another entry, written as ``folder/slug`` (``outreach/summer-reading-club``).

    Only the form is checked here; that the entry exists and is public is checked with
    the content tree (:mod:`generator.validation.entry`, :mod:`generator.knowledge.indexing`)."""

    def convert(self, node, ctx, name):
        raw = self.scalar_text(node, ctx, name, "entry path").strip()
        value = raw.removesuffix("/index.md").removesuffix(".md").strip("/")
        for prefix in ("content/", "./", "../"):
            value = value.removeprefix(prefix)
        if not ENTRY_REF_RE.match(value):
            ctx.report(node, "entry-ref-form", field=name, value=raw)
            raise Invalid
        return value

    def json_schema(self):
        return {"type": "string", "pattern": ENTRY_REF_RE.pattern}
