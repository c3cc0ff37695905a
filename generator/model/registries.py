"""Registries: organizations and conferences, institutions, the tag vocabulary.

Each is one YAML file in ``content/registries/``, a mapping from an id to its
attributes, validated like an entry. Entries refer to registry items by id or
by either label; references are checked with "did you mean" suggestions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode

from .fields import Choice, Context, Field, Invalid, Object, Text, Url
from ..source.frontmatter import load_yaml_file
from .vocab import INSTITUTION_TYPE, ORG_TYPE
from ..core.problems import Problem, problem

REGISTRY_DIR = "registries"
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")

SCHEMAS: dict[str, Object] = {
    "organizations": Object(fields=[
        Field("name_zh", Text(max_length=120), required=True, zh="中文名稱", en="Chinese name"),
        Field("name_en", Text(max_length=200), required=True, zh="英文名稱", en="English name"),
        Field("type", Choice(ORG_TYPE), required=True, zh="類型", en="Type"),
        Field("website", Url(), required=True, zh="網站", en="Website"),
        Field("description_zh", Text(max_length=600, multiline=True), zh="中文簡介", en="Description (zh-TW)"),
        Field("description_en", Text(max_length=600, multiline=True), zh="英文簡介", en="Description (English)"),
    ]),
    "institutions": Object(fields=[
        Field("name_zh", Text(max_length=120), required=True, zh="中文名稱", en="Chinese name"),
        Field("name_en", Text(max_length=200), required=True, zh="英文名稱", en="English name"),
        Field("type", Choice(INSTITUTION_TYPE), required=True, zh="類型", en="Type"),
        Field("city", Text(max_length=60), zh="城市", en="City"),
        Field("website", Url(), zh="網站", en="Website"),
    ]),
    "tags": Object(fields=[
        Field("zh", Text(max_length=40), required=True, zh="中文標籤", en="zh-TW label"),
        Field("en", Text(max_length=60), required=True, zh="英文標籤", en="English label"),
    ]),
}


@dataclass
class Registry:
    name: str
    path: str
    items: dict[str, dict] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)

    def add(self, item_id: str, values: dict, line: int) -> None:
        self.items[item_id] = values
        self.lines[item_id] = line
        for n in (item_id, *self._labels(values)):
            self._names.setdefault(n.casefold(), item_id)

    @staticmethod
    def _labels(values: dict) -> list[str]:
        return [values[k] for k in ("zh", "en", "name_zh", "name_en") if values.get(k)]

    def resolve(self, value: str) -> str | None:
        return self._names.get(value.strip().casefold())

    def all_names(self) -> list[str]:
        return [n for i, v in self.items.items() for n in (i, *self._labels(v))]

    def label(self, item_id: str, lang: str = "zh-TW") -> str:
        v = self.items.get(item_id)
        if not v:
            return item_id
        if lang.startswith("zh"):
            return v.get("zh") or v.get("name_zh") or item_id
        return v.get("en") or v.get("name_en") or item_id

    def __contains__(self, item_id: str) -> bool:
        return item_id in self.items


@dataclass
class Registries:
    by_name: dict[str, Registry] = field(default_factory=dict)

    def get(self, name: str) -> Registry | None:
        return self.by_name.get(name)

    def __getitem__(self, name: str) -> Registry:
        return self.by_name[name]


def load_registries(content_dir: Path, display_prefix: str = "content") -> tuple[Registries, list[Problem]]:
    regs = Registries()
    problems: list[Problem] = []
    for name, schema in SCHEMAS.items():
        rel = f"{REGISTRY_DIR}/{name}.yml"
        display = f"{display_prefix}/{rel}" if display_prefix else rel
        reg = Registry(name=name, path=display)
        regs.by_name[name] = reg
        abs_path = content_dir / rel
        if not abs_path.is_file():
            problems.append(problem(display, 1, 1, "registry-missing", registry=name))
            continue
        node, loc, found = load_yaml_file(abs_path, display)
        problems.extend(found)
        if node is None:
            continue
        if not isinstance(node, MappingNode):
            line, col = loc.pos(node)
            problems.append(problem(display, line, col, "registry-not-mapping", registry=name))
            continue
        ctx = Context(loc=loc, problems=problems)
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            item_id = key_node.value
            line, col = loc.pos(key_node)
            if item_id in seen:
                continue  # duplicate key already reported by the composer
            seen.add(item_id)
            if not ID_RE.fullmatch(item_id):
                problems.append(problem(display, line, col, "registry-id", value=item_id))
                continue
            try:
                values = schema.convert(value_node, ctx, item_id)
            except Invalid:
                continue
            reg.add(item_id, values, line)
    return regs, problems
