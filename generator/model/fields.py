"""Declared field types: each turns a YAML node into a typed value or problems.

Schemas (``generator.kinds``) are lists of :class:`Field`; the same
declarations drive validation, the JSON Schema (``kb schema``) and the
entry templates (``kb new``).

The shared base is :mod:`generator.model.fieldbase`, the types for single values are in
:mod:`generator.model.scalarfields`; this module holds the compound types (:class:`ListOf`,
:class:`Object` of :class:`Field`) and every name is importable from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.problems import exception_text
from .fieldbase import BAD_LINE_RE, BAD_TEXT_RE, NULL_TAG, PLACEHOLDER_RE, STR_TAG  # noqa: F401 - re-exported
from .fieldbase import SUGGESTIONS_PER_FILE, Context, FieldType, Invalid, did_you_mean  # noqa: F401 - re-exported
from .scalarfields import DATE_RE, EMAIL_RE, ENTRY_REF_RE, INT_RE, NUMBER_RE  # noqa: F401 - re-exported
from .scalarfields import Boolean, Choice, Date, Email, EntryRef, FilePath  # noqa: F401 - re-exported
from .scalarfields import Integer, Number, Ref, Text, Url, Year  # noqa: F401 - re-exported

UNKNOWN_KEYS_LISTED = 20  # per mapping; the rest are counted in one problem


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
        s: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
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
    # A choice whose help is the list of its values (choice()'s default): listed when shown, so
    # that a site's own values (kb.yml vocabularies:) are in it.
    help_lists: Any = None

    @property
    def hint_zh(self) -> str:
        return self.help_zh or ("、".join(self.help_lists.ids()) if self.help_lists is not None else "")

    @property
    def hint_en(self) -> str:
        return self.help_en or (", ".join(self.help_lists.ids()) if self.help_lists is not None else "")


@dataclass
class Object(FieldType):
    fields: list[Field] = field(default_factory=list)
    # cross-field checks: fn(values, node, ctx, name) reports problems itself
    checks: list[Callable] = field(default_factory=list)
    # A required group: the names of fields of which at least one must be filled in (a
    # contact's email or phone). The fields stay optional one by one; when the object's own
    # field is required, the group is, and forms and the web editor mark it so
    # (:meth:`required_group`). Refused as one-of-missing, naming the fields by their labels.
    one_of: tuple[str, ...] = ()
    # The code of an unknown key: kb.yml's (kb-key-unknown) names its own keys, not a kind's.
    unknown_code: str = "key-unknown"
    json_type = "object"

    def required_group(self, required: bool = True) -> tuple[Field, ...]:
        """The fields of the required group, in the schema's order: () when the object has
        none, or when the object is itself optional (``required`` false: its field's own)."""
        if not required or not self.one_of:
            return ()
        return tuple(f for f in self.fields if f.name in self.one_of)

    def report_group_missing(self, where, ctx, name) -> None:
        group = [f for f in self.fields if f.name in self.one_of]
        ctx.report(where, "one-of-missing", field=name, keys=" / ".join(f.name for f in group),
                   names="或".join(f.zh or f.name for f in group),
                   names_en=" or ".join(f.en or f.name for f in group), first_key=group[0].name)

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
        empty: set[str] = set()  # keys written with no value
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
                    ctx.report(key_node, self.unknown_code, field=full, key=key, keys=", ".join(known),
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
                empty.add(key)
                if fdef.required:
                    where = value_node if value_node.start_mark else key_node
                    if isinstance(fdef.type, Object) and fdef.type.one_of:  # `contact:` with nothing under it
                        fdef.type.report_group_missing(where, ctx, full)
                    else:
                        ctx.report(where, "value-empty", field=full)
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
                if isinstance(fdef.type, Object) and fdef.type.one_of:  # what is missing is the group
                    fdef.type.report_group_missing(where, ctx, full)
                else:
                    ctx.report(where, "key-missing", field=full, key=fdef.name, label=fdef.zh or fdef.name)
                ok = False
            elif fdef.name not in values and fdef.default is not None and fdef.name not in nodes:
                values[fdef.name] = fdef.default
        if self.one_of and not any(n in nodes and n not in empty for n in self.one_of):  # one given but wrong: reported as such
            self.report_group_missing(node, ctx, name)
            ok = False
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
            if f.hint_zh or f.hint_en:
                desc += ": " + " / ".join(x for x in (f.hint_zh, f.hint_en) if x)
            if desc:
                s["description"] = desc
            if f.default is not None:
                s["default"] = f.default if not isinstance(f.default, dt.date) else f.default.isoformat()
            props[f.name] = s
        out = {"type": "object", "properties": props, "additionalProperties": False}
        req = [f.name for f in self.fields if f.required]
        if req:
            out["required"] = req
        if self.one_of:
            out["anyOf"] = [{"required": [n]} for n in self.one_of]
        return out

    def placeholder(self, label):
        return {f.name: f.type.placeholder(f.zh or f.name) for f in self.fields if f.required}
