"""Reading an entry file and its YAML front matter, keeping line positions.

We own front-matter parsing (MkDocs silently publishes a front matter it cannot
parse as page text). YAML is only *composed* into nodes here, never
constructed: each scalar keeps its source text, its quoting style and its
position, and :mod:`generator.fields` decides what it means according to the
schema. That is what lets us refuse what PyYAML would silently change
(``NO`` -> false, ``01234`` -> 668, a bare date -> ``datetime.date``, the last
of duplicate keys winning, alias bombs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem, problem

MAX_FILE_BYTES = 1024 * 1024  # an entry's Markdown file
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 20  # entries nest two or three levels; anything deeper is a mistake or an attack

FENCE = "---"


@dataclass
class Located:
    """Line offset that maps YAML marks (0-based, relative) to file positions (1-based)."""

    path: str
    first_line: int  # file line number of the first YAML line

    def pos(self, node_or_mark) -> tuple[int, int]:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        return self.first_line + mark.line, mark.column + 1


@dataclass
class SourceFile:
    path: str  # display path (relative to project root, forward slashes)
    text: str  # decoded, BOM removed, line endings normalised to \n
    front_matter: MappingNode | None = None
    loc: Located | None = None
    fence_line: int = 1  # line of the opening fence
    body: str = ""
    body_line: int = 1  # file line of the first body line
    problems: list[Problem] = field(default_factory=list)


def read_source(abs_path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read and decode a text file; every failure is a problem, never an exception."""
    try:
        data = abs_path.read_bytes()
    except OSError as exc:
        return None, [problem(display, 1, 1, "file-unreadable", reason=str(exc))]
    return decode_source(data, display)


def decode_source(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    if len(data) > MAX_FILE_BYTES:
        return None, [problem(display, 1, 1, "file-too-large", size=len(data), limit=MAX_FILE_BYTES)]
    if b"\x00" in data[:8192]:
        return None, [problem(display, 1, 1, "file-binary")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [problem(display, line, col, "file-encoding")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def split_front_matter(src: SourceFile) -> None:
    """Find the front matter block; record problems on ``src``."""
    text = src.text
    if not text.strip():
        src.problems.append(problem(src.path, 1, 1, "file-empty"))
        return
    lines = text.split("\n")
    # Blank lines before the fence are tolerated; anything else is not front matter.
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if lines[start].rstrip() != FENCE:
        src.problems.append(problem(src.path, start + 1, 1, "fm-missing"))
        return
    end = None
    for i in range(start + 1, len(lines)):
        if lines[i].rstrip() in (FENCE, "..."):
            end = i
            break
    if end is None:
        src.problems.append(problem(src.path, start + 1, 1, "fm-unclosed"))
        return
    fm_text = "\n".join(lines[start + 1 : end]) + "\n"
    src.fence_line = start + 1
    src.loc = Located(src.path, start + 2)
    src.body = "\n".join(lines[end + 1 :])
    src.body_line = end + 2
    if len(fm_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        src.problems.append(
            problem(src.path, start + 1, 1, "fm-too-large", limit=MAX_FRONT_MATTER_BYTES)
        )
        return
    node, problems = compose_yaml(fm_text, src.loc)
    src.problems.extend(problems)
    if node is None:
        if not problems:
            src.problems.append(problem(src.path, start + 1, 1, "fm-empty"))
        return
    if not isinstance(node, MappingNode):
        line, col = src.loc.pos(node)
        src.problems.append(problem(src.path, line, col, "yaml-not-mapping"))
        return
    src.front_matter = node


class _Refused(Exception):
    def __init__(self, code: str, mark, **params):
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.params = params


class _StrictLoader(yaml.SafeLoader):
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
            raise _Refused("yaml-alias", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused("yaml-too-deep", event.start_mark, limit=MAX_DEPTH)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_TAB_HINT = "'\\t'"


_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_SEQ = yaml.resolver.Resolver.DEFAULT_SEQUENCE_TAG
_MAP = yaml.resolver.Resolver.DEFAULT_MAPPING_TAG
# First characters of every plain scalar YAML 1.1 could read as something other than text.
_MAYBE_TYPED = set("0123456789+-.~<=yYnNtTfFoO") | {""}
# Plain scalars starting with a letter can only be YAML 1.1 booleans or null besides text.
_WORDS = {w: "tag:yaml.org,2002:bool" for w in (
    "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF").split()}
_WORDS.update({w: "tag:yaml.org,2002:null" for w in ("null", "Null", "NULL")})


def _fast_resolve(self, kind, value, implicit):
    """PyYAML's resolver, without its regular expressions for plain text that cannot be
    anything but text (a value starting with a Han character or most letters, say)."""
    if kind is ScalarNode:
        if implicit[0]:
            first = value[:1]
            if first not in _MAYBE_TYPED:
                return _STR
            if first.isalpha():
                return _WORDS.get(value, _STR)
    elif kind is SequenceNode:
        return _SEQ
    elif kind is MappingNode:
        return _MAP
    return yaml.resolver.Resolver.resolve(self, kind, value, implicit)


if getattr(yaml, "__with_libyaml__", False):
    class _FastCLoader(yaml.CSafeLoader):
        resolve = _fast_resolve

    _CPARSER = _FastCLoader
else:  # pragma: no cover - PyYAML built without LibYAML
    _CPARSER = None


def _compose_events(text: str) -> Node | None:
    """Compose nodes from LibYAML's C event stream (ten times faster than PyYAML's scanner),
    refusing aliases, anchors and deep nesting as the events arrive."""
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

    for ev in yaml.parse(text, Loader=_CPARSER):
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused("fm-unclosed", ev.start_mark)
            continue
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
            raise _Refused("yaml-alias", ev.start_mark)
        if isinstance(ev, yaml.ScalarEvent):
            tag = ev.tag if ev.tag not in (None, "!") else _fast_resolve(_RESOLVER, ScalarNode, ev.value, ev.implicit)
            attach(ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, style=ev.style or None))  # LibYAML: "" = plain
        elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) + 1 > MAX_DEPTH:
                raise _Refused("yaml-too-deep", ev.start_mark, limit=MAX_DEPTH)
            cls = SequenceNode if isinstance(ev, yaml.SequenceStartEvent) else MappingNode
            tag = ev.tag if ev.tag not in (None, "!") else _RESOLVER.resolve(cls, None, ev.implicit)
            node = cls(tag, [], ev.start_mark, None, flow_style=ev.flow_style)
            attach(node)
            stack.append([node, None])
        elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()[0].end_mark = ev.end_mark
    return root


_INDENT_RE = re.compile(r"^ {%d,}" % (2 * MAX_DEPTH), re.M)


def _plain_enough(text: str) -> bool:
    """Text that cannot hold an anchor, an alias or deep nesting: LibYAML may compose it
    whole, in C. Everything else goes through the event-by-event strict composer."""
    return ("&" not in text and "*" not in text and text.count("[") + text.count("{") <= MAX_DEPTH
            and not _INDENT_RE.search(text))


def compose_yaml(text: str, loc: Located) -> tuple[Node | None, list[Problem]]:
    """Compose YAML text into nodes, or explain why not. Never raises."""
    loader = None
    try:
        if _CPARSER is not None and _plain_enough(text):
            loader = _CPARSER(text)
            node = loader.get_single_node()
        elif _CPARSER is not None:
            node = _compose_events(text)
        else:
            loader = _StrictLoader(text)
            node = loader.get_single_node()
    except _Refused as exc:
        line, col = loc.pos(exc.mark)
        return None, [problem(loc.path, line, col, exc.code, **exc.params)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = loc.pos(mark) if mark else (loc.first_line, 1)
        detail = (exc.problem or "").strip()
        if _TAB_HINT in detail or "\t" in detail or _tab_at(text, mark):
            return None, [problem(loc.path, line, col, "yaml-tab")]
        if "found another document" in str(exc):
            return None, [problem(loc.path, line, col, "fm-unclosed")]
        return None, [problem(loc.path, line, col, "yaml-syntax", detail=detail or str(exc))]
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        # LibYAML counts bytes, PyYAML characters: find the character itself.
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        before = text[: at if at >= 0 else exc.position]
        line = loc.first_line + before.count("\n")
        col = len(before) - (before.rfind("\n") + 1) + 1
        return None, [problem(loc.path, line, col, "yaml-control-char", char=f"U+{exc.character:04X}")]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:  # defensive: never a traceback
        return None, [problem(loc.path, loc.first_line, 1, "yaml-syntax", detail=type(exc).__name__)]
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, []
    problems: list[Problem] = []
    _check_keys(node, loc, problems)
    return node, problems


def _tab_at(text: str, mark) -> bool:
    """Whether the error points at (or just after) a tab: LibYAML's message does not say."""
    if mark is None:
        return False
    lines = text.split("\n")
    if mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return "\t" in line[: mark.column + 1] and not line[: mark.column].strip(" \t-")


def _check_keys(node: Node, loc: Located, problems: list[Problem]) -> None:
    """Duplicate keys and non-text keys, anywhere in the tree (one walk, which also gives
    LibYAML's plain scalars PyYAML's style None instead of "")."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ScalarNode):
            if n.style == "":
                n.style = None
        elif isinstance(n, MappingNode):
            seen: dict[str, int] = {}
            for key, value in n.value:
                if not isinstance(key, ScalarNode):
                    line, col = loc.pos(key)
                    problems.append(problem(loc.path, line, col, "yaml-complex-key"))
                    continue
                if key.style == "":
                    key.style = None
                if key.value in seen:
                    line, col = loc.pos(key)
                    problems.append(
                        problem(loc.path, line, col, "yaml-duplicate-key", key=key.value, first=seen[key.value])
                    )
                else:
                    seen[key.value] = loc.pos(key)[0]
                stack.append(value)
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)


def load_source(abs_path: Path, display: str) -> SourceFile:
    text, problems = read_source(abs_path, display)
    src = SourceFile(path=display, text=text or "", problems=list(problems))
    if text is not None:
        split_front_matter(src)
    return src


def load_yaml_file(abs_path: Path, display: str) -> tuple[Node | None, Located, list[Problem]]:
    """A whole YAML file (registries), composed with the same strictness."""
    loc = Located(display, 1)
    text, problems = read_source(abs_path, display)
    if text is None:
        return None, loc, problems
    node, more = compose_yaml(text, loc)
    return node, loc, problems + more
