"""Declared field types: each turns a YAML node into a typed value or problems.

Schemas (``generator.models``) are lists of :class:`Field`; the same
declarations drive validation, the JSON Schema (``kb schema``) and the
entry templates (``kb new``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlparse

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .frontmatter import Located
from .escape import NOT_TEXT_RE
from .problems import Problem, exception_text, problem

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
PLACEHOLDER_RE = re.compile(r"<請填寫[^>]*>|<fill in[^>]*>", re.IGNORECASE)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_RE = re.compile(r"^[+-]?\d+$")
NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
BAD_TEXT_RE = NOT_TEXT_RE  # no text value may hold these, however written (raw, or "\a", "\u202e")
BAD_LINE_RE = re.compile(BAD_TEXT_RE.pattern[:-1] + "\t]")  # and tabs, in a one-line value
SUGGESTIONS_PER_FILE = 20  # "did you mean" is worked out for this many problems of a file, no more
UNKNOWN_KEYS_LISTED = 20  # per mapping; the rest are counted in one problem
_YAML_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:timestamp": "date",
}


def did_you_mean(word: str, candidates, n: int = 3) -> list[str]:
    cands = list(dict.fromkeys(candidates))
    lowered = {c.lower(): c for c in cands}
    hits = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    out = [lowered[h] for h in hits]
    # Chinese labels are short: also offer those sharing characters with the word.
    if len(out) < n and any(ord(ch) > 0x2E80 for ch in word):
        scored = sorted(
            ((len(set(word) & set(c)), c) for c in cands if c not in out and set(word) & set(c)),
            key=lambda t: (-t[0], len(t[1])),
        )
        out += [c for _, c in scored[: n - len(out)]]
    return out


@dataclass
class Context:
    """What a conversion needs: where we are, where to report, what is known."""

    loc: Located
    problems: list[Problem]
    registries: Any = None  # generator.registries.Registries | None

    suggested: int = 0  # problems given "did you mean" candidates so far

    def report(self, node_or_mark, code: str, *, suggestions=(), **params) -> None:
        line, col = self.loc.pos(node_or_mark)
        self.problems.append(problem(self.loc.path, line, col, code, suggestions=suggestions, **params))

    def suggest(self, word: str, candidates: Callable[[], Any]) -> list[str]:
        """did_you_mean, for the first problems of a file only: a file with thousands of
        unknown keys or values must not cost thousands of fuzzy searches (nor thousands of
        lists of candidates: ``candidates`` is called only when needed)."""
        if self.suggested >= SUGGESTIONS_PER_FILE:
            return []
        self.suggested += 1
        return did_you_mean(word, candidates())


class Invalid(Exception):
    """Raised inside a conversion after the problem has been reported."""


class FieldType:
    json_type: str = "string"

    def convert(self, node: Node, ctx: Context, name: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        return {"type": self.json_type}

    def placeholder(self, label: str) -> Any:
        return f"<請填寫 Fill in: {label}>"

    def is_empty(self, node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag == NULL_TAG and node.value in ("", "~", "null", "Null", "NULL")

    # -- helpers shared by the scalar types --------------------------------
    def scalar_raw(self, node: Node, ctx: Context, name: str, expected: str) -> str:
        """A scalar's stripped source text (dates and numbers are read from it, not from YAML)."""
        if not isinstance(node, ScalarNode):
            ctx.report(node, "type-scalar", field=name, expected=expected)
            raise Invalid
        if PLACEHOLDER_RE.search(node.value):
            ctx.report(node, "placeholder", field=name)
            raise Invalid
        return node.value.strip()

    def scalar_text(self, node: Node, ctx: Context, name: str, expected: str = "text", *,
                    multiline: bool = False) -> str:
        """A scalar's text as YAML decoded it (escapes included): every text value passes here.
        Line breaks and tabs only where the field holds several lines of text."""
        if not isinstance(node, ScalarNode):
            ctx.report(node, "type-scalar", field=name, expected=expected)
            raise Invalid
        if node.style is None and node.tag not in (STR_TAG, NULL_TAG):
            ctx.report(node, "yaml-coerced", field=name, value=node.value,
                       yaml_type=_YAML_TYPE_NAMES.get(node.tag, node.tag))
            raise Invalid
        value = node.value
        if PLACEHOLDER_RE.search(value):
            ctx.report(node, "placeholder", field=name)
            raise Invalid
        if not value.isprintable():  # printable (most values): no such character, no line break, no tab
            bad = (BAD_TEXT_RE if multiline else BAD_LINE_RE).search(value)
            if bad is not None:
                _report_character(node, ctx, name, bad.group())
                raise Invalid
            if not multiline and "\n" in value.strip():
                ctx.report(node, "text-multiline", field=name)
                raise Invalid
        return value


def _report_character(node: ScalarNode, ctx: Context, name: str, ch: str) -> None:
    """At the character itself when it is written as it is; at the value when it is a YAML
    escape (the text then shows "\\a" or "\\u202e", not the character)."""
    text = ctx.loc.text
    end = getattr(node.end_mark, "index", None)
    at = text.find(ch, node.start_mark.index, end) if text is not None and end is not None else -1
    line, col = ctx.loc.at(at) if at >= 0 else ctx.loc.pos(node)
    ctx.problems.append(problem(ctx.loc.path, line, col, "text-control-char", field=name, char=f"U+{ord(ch):04X}"))


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
            return dt.date.fromisoformat(value)
        except ValueError:
            ctx.report(node, "date-invalid", field=name, value=value)
            raise Invalid

    def json_schema(self):
        return {"type": "string", "format": "date", "pattern": DATE_RE.pattern}

    def placeholder(self, label):
        return dt.date.today().isoformat()


@dataclass
class _Numeric(FieldType):
    """Numbers are read from the scalar's text, whatever YAML would make of it."""

    minimum: float | None = 0
    maximum: float | None = None
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
    """A value from a controlled vocabulary (``generator.models.vocab``)."""

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
    """Another entry, written as ``folder/slug`` (``conference-reports/ifla-wlic-2023-rotterdam``).

    Only the form is checked here; that the entry exists and is public is checked with
    the content tree (:mod:`generator.validation`, :mod:`generator.indexing`)."""

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


@dataclass
class ListOf(FieldType):
    item: FieldType = None  # type: ignore[assignment]
    min_items: int = 0
    unique: bool = True
    json_type = "array"

    def convert(self, node, ctx, name):
        if not isinstance(node, SequenceNode):
            ctx.report(node, "type-list", field=name)
            raise Invalid
        out, ok = [], True
        seen: set = set()  # a set, not `in out`: thousands of items must not cost their square
        for i, child in enumerate(node.value, 1):
            try:
                value = self.item.convert(child, ctx, f"{name}[{i}]")
            except Invalid:
                ok = False
                continue
            if self.unique and not isinstance(value, dict):
                key = _hashable(value)
                if key in seen:
                    ctx.report(child, "list-duplicate", field=name, value=value)
                    ok = False
                    continue
                seen.add(key)
            out.append(value)
        if ok and len(node.value) < self.min_items:
            ctx.report(node, "list-too-short", field=name, minimum=self.min_items)
            raise Invalid
        if not ok:
            raise Invalid
        return out

    def json_schema(self):
        s = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            s["minItems"] = self.min_items
        return s

    def placeholder(self, label):
        return [self.item.placeholder(label)]


def _hashable(value):
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


@dataclass
class Field:
    name: str
    type: FieldType
    required: bool = False
    default: Any = None
    zh: str = ""  # label shown to readers and contributors
    en: str = ""
    help_zh: str = ""
    help_en: str = ""
    example: Any = None  # shown in templates as a comment
    in_template: bool = False  # an optional field the template asks for anyway


@dataclass
class Object(FieldType):
    fields: list[Field] = field(default_factory=list)
    # cross-field checks: fn(values, node, ctx, name) reports problems itself
    checks: list[Callable] = field(default_factory=list)
    json_type = "object"

    def field_map(self) -> dict[str, Field]:
        fm = self.__dict__.get("_field_map")
        if fm is None:  # built once: conversions run for every entry
            fm = self.__dict__["_field_map"] = {f.name: f for f in self.fields}
        return fm

    def convert(self, node, ctx, name, *, missing_at=None):
        if not isinstance(node, MappingNode):
            ctx.report(node, "type-mapping", field=name or "front matter")
            raise Invalid
        known = self.field_map()
        values: dict[str, Any] = {}
        nodes: dict[str, Node] = {}
        ok = True
        unknown = 0
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                ok = False
                continue  # reported by the composer
            full = f"{name}.{key}" if name else key
            fdef = known.get(key)
            if fdef is None:
                unknown += 1
                if unknown <= UNKNOWN_KEYS_LISTED:
                    ctx.report(key_node, "key-unknown", field=full, key=key,
                               suggestions=ctx.suggest(key, lambda: [*known, *[f.zh for f in self.fields if f.zh]]))
                elif unknown == UNKNOWN_KEYS_LISTED + 1:
                    more = sum(1 for k, _ in node.value if isinstance(k, ScalarNode) and k.value not in known)
                    ctx.report(key_node, "key-unknown-more", field=name or "front matter",
                               count=more - UNKNOWN_KEYS_LISTED, shown=UNKNOWN_KEYS_LISTED)
                ok = False
                continue
            if key in nodes:
                continue  # duplicate key, already reported
            nodes[key] = value_node
            if fdef.type.is_empty(value_node):
                if fdef.required:
                    ctx.report(value_node if value_node.start_mark else key_node, "value-empty", field=full)
                    ok = False
                continue
            try:
                values[key] = fdef.type.convert(value_node, ctx, full)
            except Invalid:
                ok = False
            except Exception as exc:  # a bug of ours, met by this value: a problem here, the rest checked
                ctx.report(value_node, "file-check-error", error=exception_text(exc))
                ok = False
        for fdef in self.fields:
            if fdef.name not in nodes and fdef.required:
                full = f"{name}.{fdef.name}" if name else fdef.name
                where = missing_at if missing_at is not None else node
                ctx.report(where, "key-missing", field=full, key=fdef.name, label=fdef.zh)
                ok = False
            elif fdef.name not in values and fdef.default is not None and fdef.name not in nodes:
                values[fdef.name] = fdef.default
        if ok:
            for check in self.checks:
                try:
                    if check(values, nodes, node, ctx, name) is False:
                        ok = False
                except Exception as exc:  # as above
                    ctx.report(node, "file-check-error", error=exception_text(exc))
                    ok = False
        if not ok:
            raise Invalid
        return values

    def json_schema(self):
        props = {}
        for f in self.fields:
            s = dict(f.type.json_schema())
            desc = " / ".join(x for x in (f.zh, f.en) if x)
            if f.help_zh or f.help_en:
                desc += ": " + " / ".join(x for x in (f.help_zh, f.help_en) if x)
            if desc:
                s["description"] = desc
            if f.default is not None:
                s["default"] = f.default if not isinstance(f.default, dt.date) else f.default.isoformat()
            props[f.name] = s
        out = {"type": "object", "properties": props, "additionalProperties": False}
        req = [f.name for f in self.fields if f.required]
        if req:
            out["required"] = req
        return out

    def placeholder(self, label):
        return {f.name: f.type.placeholder(f.zh or f.name) for f in self.fields if f.required}
