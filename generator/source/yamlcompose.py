"""Composing YAML into nodes, strictly: never constructing values, refusing anchors and
aliases (an alias bomb is never expanded), nesting deeper than MAX_DEPTH, duplicate keys and
keys that are not text. The composers here are PyYAML's (:class:`StrictLoader`) and LibYAML's,
whole or event by event; :func:`generator.source.frontmatter.compose_yaml` chooses between them and
turns what they raise into problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.problems import Level, Problem, problem
from .yamlhints import BULLETS, flow_comma_hint, plain_scalar_hint

if TYPE_CHECKING:
    from .positions import Located

MAX_DEPTH = 20  # entries nest two or three levels; anything deeper is a mistake or an attack


class Refused(Exception):
    def __init__(self, code: str, mark, **params):
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.params = params


class StrictLoader(yaml.SafeLoader):
    """A composer that refuses anchors, aliases and deep nesting.

    Refusing at compose time means an alias bomb is never expanded: the first
    anchor stops it.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused("yaml-alias", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Refused("yaml-too-deep", event.start_mark, limit=MAX_DEPTH)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_SEQ = yaml.resolver.Resolver.DEFAULT_SEQUENCE_TAG
_MAP = yaml.resolver.Resolver.DEFAULT_MAPPING_TAG
# First characters of every plain scalar YAML 1.1 could read as something other than text.
_MAYBE_TYPED = set("0123456789+-.~<=yYnNtTfFoO") | {""}
# Plain scalars starting with a letter can only be YAML 1.1 booleans or null besides text.
_WORDS = {w: "tag:yaml.org,2002:bool" for w in ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"]}
_WORDS.update({w: "tag:yaml.org,2002:null" for w in ("null", "Null", "NULL")})


def fast_resolve(self, kind, value, implicit):
    """PyYAML's resolver, without its regular expressions for plain text that cannot be
    anything but text (a value starting with a Han character or most letters, say), and
    asking them once only for each value that could be typed (dates, years, numbers repeat
    from entry to entry). Only for PyYAML's own implicit resolvers and no path resolvers, as
    every loader of ours has (a test checks)."""
    if kind is ScalarNode:
        if not implicit[0]:
            return _STR  # quoted (or tagged "!"): PyYAML's default, there being no path resolvers
        first = value[:1]
        if first not in _MAYBE_TYPED:
            return _STR
        if first.isalpha():
            return _WORDS.get(value, _STR)
        tag = _TYPED.get(value)
        if tag is None:
            tag = yaml.resolver.Resolver.resolve(self, kind, value, implicit)
            if len(_TYPED) < _TYPED_MAX:
                _TYPED[value] = tag
        return tag
    if kind is SequenceNode:
        return _SEQ
    if kind is MappingNode:
        return _MAP
    return yaml.resolver.Resolver.resolve(self, kind, value, implicit)


# The tags of plain values that could be typed, as PyYAML's resolver gave them (a few
# thousand dates and numbers: bounded, so that no file can grow it without end).
_TYPED: dict[str, str] = {}
_TYPED_MAX = 4096


# LibYAML's loader with the fast resolver, or None where PyYAML was built without LibYAML.
FastCLoader: type[yaml.CSafeLoader] | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastCLoader(yaml.CSafeLoader):
        resolve = fast_resolve

        # LibYAML's composer calls these twice per node for path resolvers, which no loader of
        # ours has (a test checks): no calls into Python that find nothing.
        def descend_resolver(self, current_node, current_index):
            pass

        def ascend_resolver(self):
            pass

    FastCLoader = _FastCLoader


def compose_events(text: str, parser) -> Node | None:
    """Compose nodes from LibYAML's C event stream (ten times faster than PyYAML's scanner),
    refusing aliases, anchors and deep nesting as the events arrive. ``parser`` is the LibYAML
    loader class to parse with (:class:`FastCLoader`)."""
    root = None
    stack: list[list] = []  # [node, pending mapping key]
    documents = 0

    def attach(node):
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent[0], SequenceNode):
            parent[0].value.append(node)
        elif parent[1] is None:
            parent[1] = node
        else:
            parent[0].value.append((parent[1], node))
            parent[1] = None

    for ev in yaml.parse(text, Loader=parser):
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise Refused("fm-unclosed", ev.start_mark)
            continue
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
            raise Refused("yaml-alias", ev.start_mark)
        if isinstance(ev, yaml.ScalarEvent):
            tag = ev.tag if ev.tag not in (None, "!") else fast_resolve(RESOLVER, ScalarNode, ev.value, ev.implicit)
            # LibYAML's events carry its own Mark (yaml._yaml.Mark), which nodes take at run time as
            # CSafeLoader's composer does; the stubs name only yaml.error.Mark.
            attach(ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark,  # type: ignore[arg-type]
                              style=ev.style or None))  # LibYAML: "" = plain
        elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) + 1 > MAX_DEPTH:
                raise Refused("yaml-too-deep", ev.start_mark, limit=MAX_DEPTH)
            cls = SequenceNode if isinstance(ev, yaml.SequenceStartEvent) else MappingNode
            tag = ev.tag if ev.tag not in (None, "!") else RESOLVER.resolve(cls, None, ev.implicit)
            node = cls(tag, [], ev.start_mark, None, flow_style=ev.flow_style)  # type: ignore[arg-type]  # as above
            attach(node)
            stack.append([node, None])
        elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()[0].end_mark = ev.end_mark
    return root


def _trailing_comment(n: ScalarNode, text: str, loc: Located, problems: list[Problem]) -> None:
    """A plain value followed on its line by " #…": YAML reads the rest as a comment and drops
    it without a word (`title: 第 #3 期` is 「第」). A warning on the "#", saying to quote."""
    end = n.end_mark.index  # a character offset, in LibYAML's marks too
    if n.start_mark.line != n.end_mark.line or end is None:
        return
    stop = text.find("\n", end)
    rest = text[end: stop if stop >= 0 else len(text)]
    stripped = rest.lstrip(" \t")
    if not stripped.startswith("#") or stripped == rest:
        return
    line_no, col = loc.at(end + len(rest) - len(stripped))
    problems.append(problem(loc.path, line_no, col, "yaml-comment-in-value", level=Level.WARNING,
                            value=n.value, comment=stripped))


def check_keys(node: Node, loc: Located, problems: list[Problem]) -> Node | None:
    """Duplicate keys and non-text keys, anywhere in the tree (one walk, which also gives
    LibYAML's plain scalars PyYAML's style None instead of ""). The walk goes level by level
    (iteratively: a tree composed in C may be deeper than Python's recursion allows) and
    returns the first collection, in the text's order, nested deeper than MAX_DEPTH."""
    text = loc.text
    source = text or ""  # what the hints below read: only when there is a text
    # A comment after a value needs a "#": without one, no plain value is looked at for it
    # (the walk visits every node of every entry, so what it does for each counts).
    comments = text is not None and "#" in text
    level = [node]
    depth = 1
    while level:
        below: list[Node] = []
        deep = None
        for n in level:
            if isinstance(n, ScalarNode):
                if n.style == "":
                    n.style = None
                if comments and n.style is None and n.value:
                    _trailing_comment(n, source, loc, problems)
                continue
            if depth > MAX_DEPTH:  # where the event-by-event composer would have stopped
                if deep is None or n.start_mark.index < deep.start_mark.index:
                    deep = n
                continue
            block = text is not None and not getattr(n, "flow_style", False)  # values that may have swallowed list items
            if isinstance(n, MappingNode):
                seen: dict[str, Node] = {}  # key -> its first node (its line is worked out if needed)
                for key, value in n.value:
                    below.append(value)
                    if block and _may_swallow(value):
                        _hint(plain_scalar_hint(source, value.start_mark.index, value.end_mark.index), loc, problems)
                    if isinstance(value, SequenceNode) and value.flow_style and text is not None:
                        items = [(v.start_mark.index, v.end_mark.index, v.value) for v in value.value
                                 if isinstance(v, ScalarNode) and v.style in (None, "")]
                        _hint(flow_comma_hint(text, getattr(key, "value", ""), items), loc, problems)
                    if not isinstance(key, ScalarNode):
                        line, col = loc.pos(key)
                        problems.append(problem(loc.path, line, col, "yaml-complex-key"))
                        below.append(key)  # composed, so walked: it may be the deep one
                        continue
                    if key.style == "":
                        key.style = None
                    first = seen.get(key.value)
                    if first is not None:
                        line, col = loc.pos(key)
                        problems.append(
                            problem(loc.path, line, col, "yaml-duplicate-key", key=key.value, first=loc.pos(first)[0])
                        )
                    else:
                        seen[key.value] = key
            elif isinstance(n, SequenceNode):
                below.extend(n.value)
                if block:
                    for item in n.value:
                        if _may_swallow(item):
                            _hint(plain_scalar_hint(source, item.start_mark.index, item.end_mark.index), loc, problems)
        if deep is not None:
            return deep
        level = below
        depth += 1
    return None


_SWALLOWING_STARTS = BULLETS + "-"


def _may_swallow(node: Node) -> bool:
    """A plain value of a block mapping or list that may have swallowed list items: it spans
    lines or starts with `-` or a bullet (:func:`generator.source.yamlhints.plain_scalar_hint`
    says whether it did)."""
    return (isinstance(node, ScalarNode) and node.style in (None, "")
            and (node.start_mark.line != node.end_mark.line or node.value[:1] in _SWALLOWING_STARTS))


def _hint(hint, loc: Located, problems: list[Problem]) -> None:
    """A mistake YAML read without complaint (:mod:`generator.source.yamlhints`), as a problem."""
    if hint is not None:
        at, code, params = hint
        line, col = loc.at(at)
        problems.append(problem(loc.path, line, col, code, **params))
