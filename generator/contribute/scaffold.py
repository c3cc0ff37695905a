"""Entry templates (``kb new KIND``), written from the kind's declared schema.

Required fields get a ``<請填寫 Fill in: FIELD …>`` placeholder that fails
validation until it is replaced; optional fields appear as comments with an
example, so a contributor sees everything the kind can hold.
"""

from __future__ import annotations

import datetime as dt

import yaml

from ..model.fields import Choice, Date, Field, ListOf, Object, Ref
from ..kinds import Kind
from ..model.fieldbase import PLACEHOLDER_END, PLACEHOLDER_START, body_placeholder


# The file name is the slug: the template does not repeat it (the web editor writes it, cms.py).
NOT_IN_TEMPLATE = ("slug",)


def _placeholder(path: str, f: Field) -> str:
    return f"{PLACEHOLDER_START} {path} {f.zh}{PLACEHOLDER_END}"


def body_placeholders(kind: Kind) -> list[str]:
    """Every body placeholder the template of ``kind`` writes."""
    return [body_placeholder(s.zh, s.en) for s in kind.sections] or [body_placeholder(*kind.body_hint)]


def _comment(f: Field) -> str:
    need = "必填 required" if f.required else "選填 optional"
    text = f"# {f.zh} {f.en}（{need}）"
    helps = " / ".join(x for x in (f.hint_zh, f.hint_en) if x)
    if helps:
        text += f"：{helps}"
    return text


def _dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=False, sort_keys=False).rstrip("\n")


def _example_value(f: Field, registries=None):
    """A field's example for the template's comments: from the site's own registries for a
    reference (the example a kind declares names another site's institution or tag)."""
    t = f.type
    ref = t.item if isinstance(t, ListOf) and isinstance(t.item, Ref) else t
    if isinstance(ref, Ref):
        reg = registries.get(ref.registry) if registries is not None else None
        first = next(iter(reg.items), None) if reg is not None else None
        if first is not None:
            return [first] if ref is not t else first
        if registries is not None:
            return [f"<{ref.registry}>"] if ref is not t else f"<{ref.registry}>"
    if f.example is not None:
        return f.example
    if isinstance(f.type, Date):
        return dt.date.today().isoformat()
    if isinstance(f.type, Object):
        return {sf.name: _example_value(sf, registries) for sf in f.type.fields if sf.example is not None or sf.required}
    if isinstance(f.type, ListOf) and isinstance(f.type.item, Object):
        return [{sf.name: _example_value(sf, registries) for sf in f.type.item.fields
                 if sf.example is not None or sf.required}]
    return "…"


def _field_lines(f: Field, path: str, indent: str, today: str, registries=None) -> list[str]:
    lines = [indent + _comment(f)]
    t = f.type
    wanted = f.required or f.in_template
    if not wanted:
        example = _dump({f.name: _example_value(f, registries)})
        lines += [f"{indent}# {line}" for line in example.split("\n")]
        return lines
    if isinstance(t, Date):
        lines.append(f"{indent}{f.name}: {today}")
    elif isinstance(t, Object):
        lines.append(f"{indent}{f.name}:")
        for sf in t.fields:
            lines += _field_lines(sf, f"{path}.{sf.name}", indent + "  ", today, registries)
    elif isinstance(t, ListOf) and isinstance(t.item, Object):
        lines.append(f"{indent}{f.name}:")
        first = True
        for sf in t.item.fields:
            sub = _field_lines(sf, f"{path}.{sf.name}", indent + "    ", today, registries)
            if first and sf.required:
                # the first required key of the item carries the list's "- "
                head = next(i for i, line in enumerate(sub) if not line.lstrip().startswith("#"))
                sub[head] = f"{indent}  - " + sub[head].lstrip()
                first = False
            lines += sub
    elif isinstance(t, ListOf):
        lines.append(f"{indent}{f.name}:")
        lines.append(f'{indent}  - "{_placeholder(path, f)}"')
    else:
        if isinstance(t, Choice):
            lines[-1] += f"（可用值 values: {', '.join(t.vocabulary.ids())}）" if not (f.hint_zh or f.hint_en) else ""
        lines.append(f'{indent}{f.name}: "{_placeholder(path, f)}"')
    return lines


def template(kind: Kind, today: dt.date | None = None, registries=None) -> str:
    """The template of a new entry; ``registries``: the site's, whose ids the examples of
    references show (without them, the kinds' declared examples)."""
    today_s = (today or dt.date.today()).isoformat()
    out = [
        "---",
        f"# {kind.zh} {kind.en}",
        "# 把每個 <請填寫 Fill in: …> 換成實際內容；以 # 開頭的選填欄位，要用時刪掉 # 。",
        "# Replace every <請填寫 Fill in: …>; to use an optional field, remove its leading #.",
        "# 完成後執行 Then run: kb validate",
    ]
    for f in kind.schema.fields:
        if f.name in NOT_IN_TEMPLATE:
            continue
        if f.default is not None and not f.required:
            out.append(_comment(f))
            out.append(f"# {_dump({f.name: f.default})}")  # as YAML: "featured: false", valid once uncommented
            continue
        out += _field_lines(f, f.name, "", today_s, registries)
    out.append("---")
    out.append("")
    if kind.sections:
        for s, text in zip(kind.sections, body_placeholders(kind)):
            out += [f"## {s.zh} {s.en}", "", text, ""]
    else:
        out += [*body_placeholders(kind), ""]
    return "\n".join(out)
