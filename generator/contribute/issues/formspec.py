"""What an entry's issue form asks, element by element, worked out from the kind's schema.

One list of :class:`Item` per kind drives both directions: :mod:`generator.contribute.issues.forms`
writes it as a GitHub issue form (``.github/ISSUE_TEMPLATE/<folder>.yml``) and
:mod:`generator.contribute.issues.entry` reads a submitted issue back with it. Each item is one form
element; its ``path`` says where its value goes in the front matter (``contact.email``)
or, for the body, which section it is.

How a field becomes an element:

* one-line text, dates, numbers, addresses, entry references: an input;
* text of several lines: a textarea;
* a value from a vocabulary, or a registry of at most :data:`DROPDOWN_MAX` items: a
  dropdown (multi-select for a list); a longer registry: an input (a textarea, one id a
  line, for a list) whose help says where the ids are listed;
* a list of text: a textarea, one item a line;
* a list of objects (presentations, partners, results): a textarea, one item a line,
  its columns separated by ``|``, a list inside a column by ``、``;
* an object (contact, budget): one element per field inside it; the fields of a required
  group (a required contact's email and phone: at least one of them) are each optional, as a
  GitHub form cannot require one of two boxes, and each says so first in its description
  (``必填：…至少填一項``), where GitHub shows a required box's asterisk;
* a yes/no field (consent): one checkbox, explicit;
* ``featured`` (set by curators), ``attachments`` (files cannot come through a form) and
  ``slug`` (the file name, asked as the form's first box)
  are not asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import TypedDict

from ...kinds import Kind, Section
from ...model.fields import Boolean, Choice, Field, ListOf, Object, Ref, Text

DROPDOWN_MAX = 100  # options; a longer registry is typed as ids
NOT_ASKED = ("featured", "attachments", "slug")  # the slug is asked first, as the file name
SLUG_ID = "slug"
MORE_ID = "body_more"
BODY_ID = "body"
NO_RESPONSE = "_No response_"
COLUMN_SEP = "|"
INNER_SEPS = ("、", ";", "；")
CHECKED_OPTION = "是 Yes"

SLUG_HELP = ("這篇條目的英文短名，會成為檔名與網址的最後一段：只用小寫英文字母、數字與連字號（-），"
             "例如「會議-年份-場次」ala-2024-annual。"
             " / The entry's short name, used as its file name and URL: lower-case letters, digits and "
             "hyphens only, e.g. ala-2024-annual.")


@dataclass
class Item:
    id: str
    element: str  # input, textarea, dropdown, checkboxes
    label: str
    description: str = ""
    required: bool = False
    path: tuple[str, ...] = ()  # front-matter keys; () for the slug and the body
    field: Field | None = None
    shape: str = "scalar"  # scalar, lines, table, choice, choices, flag, slug, section, more, body
    options: list[str] = dc_field(default_factory=list)
    values: dict[str, str] = dc_field(default_factory=dict)  # dropdown option -> stored id
    default: int | None = None  # index of the preselected option
    columns: list[Field] = dc_field(default_factory=list)  # a table's columns
    section: Section | None = None  # the kind's section, for a body section
    group: tuple[str, ...] = ()  # the ids of a required group's elements (at least one answered)


class _Asks(TypedDict):
    """What every element asking for a field has: the arguments of :class:`Item` they share."""
    id: str
    label: str
    required: bool
    path: tuple[str, ...]
    field: Field


def _both(zh: str, en: str, sep: str = " / ") -> str:
    return sep.join(x for x in (zh, en) if x)


def label_of(f: Field, parent: Field | None = None) -> str:
    own = _both(f.zh, f.en, " ") or f.name
    return f"{_both(parent.zh, parent.en, ' ')}：{own}" if parent is not None else own


def _choice_options(ftype, registries) -> dict[str, str] | None:
    """Dropdown option -> id, zh-TW first; None for a registry too long for a dropdown."""
    if isinstance(ftype, Choice):
        return {f"{t.zh} {t.en} ({t.id})": t.id for t in ftype.vocabulary.terms}
    if isinstance(ftype, Ref):
        reg = registries.get(ftype.registry) if registries is not None else None
        if reg is None or not reg.items or len(reg.items) > DROPDOWN_MAX:
            return None  # typed as ids: GitHub refuses a dropdown without options (a new site's empty registry)
        return {f"{_both(reg.label(i), reg.label(i, 'en'), ' ')} ({i})": i for i in reg.items}
    return None


def _help(f: Field) -> str:
    return _both(f.hint_zh, f.hint_en)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def group_note(group: tuple[Field, ...]) -> str:
    """What a box of a required group says first: which boxes, at least one."""
    zh = "與".join(f"「{f.zh or f.name}」" for f in group)
    en = " and ".join(f.en or f.name for f in group)
    return f"必填：{zh}至少填一項。 / Required: at least one of {en}."


def field_items(f: Field, registries, parent: Field | None = None) -> list[Item]:
    """The form elements asking for one field (several for an object)."""
    path = (parent.name, f.name) if parent is not None else (f.name,)
    item_id = "__".join(path)
    required = f.required and (parent is None or parent.required)
    label = label_of(f, parent)
    t = f.type
    base = _Asks(id=item_id, label=label, required=required, path=path, field=f)
    if isinstance(t, Object):
        items = [it for sf in t.fields for it in field_items(sf, registries, f)]
        group = t.required_group(f.required)
        if group:
            ids = tuple(f"{f.name}__{g.name}" for g in group)
            for it in items:
                if it.id in ids:
                    it.group = ids
                    it.description = _join(group_note(group), it.description)
        return items
    if isinstance(t, Boolean):
        return [Item(element="checkboxes", shape="flag", options=[CHECKED_OPTION],
                     description=_join(_help(f), "勾選表示「是」。 / Tick for yes."), **(base | {"required": False}))]
    if isinstance(t, (Choice, Ref)):
        opts = _choice_options(t, registries)
        if opts is not None:
            option_ids = list(opts.values())
            default = option_ids.index(f.default) if f.default in option_ids else None
            return [Item(element="dropdown", shape="choice", options=list(opts), values=opts, default=default,
                         description=_help(f) if isinstance(t, Ref) else "", **base)]
        assert isinstance(t, Ref)  # a vocabulary's options always fit a dropdown
        return [Item(element="input", description=_join(_help(f), f"填代碼 / an id from content/registries/{t.registry}.yml"),
                     **base)]
    if isinstance(t, ListOf):
        item = t.item
        opts = _choice_options(item, registries) if isinstance(item, (Choice, Ref)) else None
        if opts is not None:
            return [Item(element="dropdown", shape="choices", options=list(opts), values=opts,
                         description=_help(f) if isinstance(item, Ref) else "",
                         **base)]
        if isinstance(item, Object):
            cols = item.fields
            names = " | ".join(label_of(c) + ("*" if c.required else "") + (
                f"（{'/'.join(c.type.vocabulary.ids())}）" if isinstance(c.type, Choice) else "") for c in cols)
            return [Item(element="textarea", shape="table", columns=cols, description=_join(
                _help(f), f"一行一項，欄位以 | 分隔（* 為必填；欄位內的多個值以「、」分隔）：{names}",
                f"/ One item a line, columns separated by | (* required; several values in a column separated by 、): {names}"),
                **base)]
        where = f"content/registries/{item.registry}.yml" if isinstance(item, Ref) else ""
        return [Item(element="textarea", shape="lines", description=_join(
            _help(f), "一行一項。 / One item a line.", f"（代碼見 ids from {where}）" if where else ""), **base)]
    multiline = isinstance(t, Text) and t.multiline
    return [Item(element="textarea" if multiline else "input", description=_help(f), **base)]


def form_items(kind: Kind, registries) -> list[Item]:
    """Every element of the kind's form, in the order GitHub renders them in the issue."""
    items = [Item(id=SLUG_ID, element="input", label="英文短名（網址） Slug", description=SLUG_HELP, required=True,
                  shape="slug")]
    for f in kind.schema.fields:
        if f.name not in NOT_ASKED:
            items += field_items(f, registries)
    if kind.sections:
        for i, s in enumerate(kind.sections, 1):
            items.append(Item(id=f"section_{i}", element="textarea", label=f"{s.zh} {s.en}", required=True,
                              shape="section", section=s, description=(
                                  f"正文「{s.zh}」一節，可用 Markdown。 / The body's section \"{s.en}\"; Markdown is fine.")))
        items.append(Item(id=MORE_ID, element="textarea", label="其他內容 More (optional)", shape="more",
                          description="其他段落，放在上述各節之後（可用 ## 標題）。 / Anything else, after the sections "
                                      "above (## headings are fine)."))
    else:
        zh, en = kind.body_hint
        items.append(Item(id=BODY_ID, element="textarea", label="正文 Body", required=True, shape="body",
                          description=f"{zh}，可用 Markdown（## 小標題）。 / The body: {en}; Markdown is fine (## headings)."))
    return items
