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

import errno
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem, exception_text, problem

MAX_FILE_BYTES = 1024 * 1024  # an entry's Markdown file, as text (a BOM and CRLF line endings do not count)
HARD_MAX_FILE_BYTES = 2 * MAX_FILE_BYTES  # on disk: refused without reading or counting anything
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 20  # entries nest two or three levels; anything deeper is a mistake or an attack

FENCE = "---"


# Line breaks for YAML (1.1, and so for PyYAML and LibYAML) that are not line breaks for an
# editor, nor for us (we split lines on \n only, after turning \r\n and \r into \n).
_YAML_ONLY_BREAKS = ("\u2028", "\u2029", "\x85")


@dataclass
class Located:
    """Maps YAML marks (0-based, relative) to file positions (1-based), as an editor counts them."""

    path: str
    first_line: int  # file line number of the first YAML line
    text: str | None = field(default=None, repr=False, compare=False)  # the YAML text the marks point into
    _odd: bool = field(default=False, init=False, repr=False, compare=False)
    _starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.attach(self.text)

    def attach(self, text: str | None) -> None:
        """The YAML text the marks point into. YAML's own lines and columns are right unless
        it holds a line break YAML counts and an editor does not: then offsets are used."""
        self.text = text
        self._odd = text is not None and any(c in text for c in _YAML_ONLY_BREAKS)
        self._starts = None

    def pos(self, node_or_mark) -> tuple[int, int]:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        if not self._odd:
            return self.first_line + mark.line, mark.column + 1
        index = getattr(mark, "index", None)  # marks' offsets count characters, in LibYAML too
        return self.at(index) if index is not None else (self.first_line + mark.line, mark.column + 1)

    def at(self, index: int) -> tuple[int, int]:
        """File line and column (in characters) of a character offset into the YAML text."""
        starts = self._starts
        if starts is None:
            starts = self._starts = [0, *(m.end() for m in re.finditer("\n", self.text or ""))]
        i = bisect_right(starts, index) - 1
        return self.first_line + i, index - starts[i] + 1


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


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def read_bytes_safely(abs_path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, never through a symbolic link and never
    blocking (a FIFO named like an entry would block a plain read forever). Raises OSError,
    with errno ELOOP for a link and EINVAL for anything but a regular file."""
    fd = os.open(abs_path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb", buffering=0) as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        # readall sized from the file (read(limit) would allocate the limit for every file)
        return f.readall() if st.st_size < limit else f.read(limit)


def read_source(abs_path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read and decode a text file; every failure is a problem, never an exception.

    A file far over the size limit is refused without being read; a symbolic link is not
    followed and a FIFO or device named like an entry is refused."""
    try:
        data = read_bytes_safely(abs_path, HARD_MAX_FILE_BYTES + 1)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EMLINK and os.path.islink(abs_path)):
            return None, [problem(display, 1, 1, "file-symlink")]
        if exc.errno == errno.EINVAL and exc.strerror == "not a regular file":
            return None, [problem(display, 1, 1, "file-not-regular")]
        return None, [problem(display, 1, 1, "file-unreadable", reason=exc.strerror or str(exc))]
    if len(data) > HARD_MAX_FILE_BYTES:  # not read to the end: say how large it is
        try:
            size = os.stat(abs_path, follow_symlinks=False).st_size
        except OSError:
            size = len(data)
        return None, [problem(display, 1, 1, "file-too-large", size=size, limit=MAX_FILE_BYTES)]
    return decode_source(data, display)


def decode_source(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    # The limit is on the text as we read it: a BOM and CRLF line endings (a file saved on
    # Windows) count no more than in their clean twin. Far too large is refused before counting.
    size = len(data)
    if size <= HARD_MAX_FILE_BYTES:
        size -= data.count(b"\r\n") + 3 * data.startswith(b"\xef\xbb\xbf")
    if size > MAX_FILE_BYTES:
        return None, [problem(display, 1, 1, "file-too-large", size=size, limit=MAX_FILE_BYTES)]
    if b"\x00" in data[:8192]:
        return None, [problem(display, 1, 1, "file-binary")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line_start = before.rfind(b"\n") + 1
        line = before.count(b"\n") + 1
        # The column in characters, as an editor shows it (the bytes before it may be Chinese).
        col = len(before[line_start:].decode("utf-8", "replace")) + 1
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
    src.loc = Located(src.path, start + 2, fm_text)
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


# What lets block collections nest: indentation (each level deeper than its parent) and
# compact indicators at the start of a line (`- - - x`, `? ? x`; after `--- ` too, to be
# safe, though LibYAML refuses that): LibYAML refuses a block collection that starts after
# anything else on its line ("block sequence entries are not allowed in this context").
# Flow brackets are counted separately.
# (Searched in "\n" + text: a literal first character makes the search five times faster
# than a multi-line "^".)
_COMPACT_RUN = 10
_DEEP_RE = re.compile(r"\n(?: {%d}|(?:---[ \t])?[ \t]*(?:[-?:][ \t]+){%d})" % (2 * MAX_DEPTH, _COMPACT_RUN))


def _plain_enough(text: str) -> bool:
    """Text that cannot hold an anchor, an alias or deep nesting: LibYAML may compose it
    whole, in C. Everything else goes through the event-by-event strict composer.

    LibYAML's composer recurses in C once per level: 25,000 levels (50 KB of `- - - …`)
    overflow the stack and kill the process. Here nesting is bounded before it runs: no
    line is indented 40 spaces or more and none has a run of 10 compact indicators, so
    every block collection starts before column 60 or so, which bounds the depth to about
    a hundred levels (at most two per column, a mapping and its indentless sequence), plus
    at most 20 brackets (tests/test_frontmatter.py checks the bound on arbitrary text).
    :func:`_check_keys` then refuses anything deeper than MAX_DEPTH."""
    return ("&" not in text and "*" not in text and text.count("[") + text.count("{") <= MAX_DEPTH
            and not _DEEP_RE.search("\n" + text))


def compose_yaml(text: str, loc: Located) -> tuple[Node | None, list[Problem]]:
    """Compose YAML text into nodes, or explain why not. Never raises."""
    if loc.text is None:
        loc.attach(text)
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
        if _TAB_HINT in detail or "\t" in detail or (mark and _tab_at(text, line - loc.first_line, col - 1)):
            return None, [problem(loc.path, line, col, "yaml-tab")]
        cause = _break_before(text, mark)
        if cause is not None:  # invisible, but a line break for YAML: most likely what broke it
            line, col = loc.at(cause)
            return None, [problem(loc.path, line, col, "yaml-control-char", char=f"U+{ord(text[cause]):04X}")]
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
    too_deep = _check_keys(node, loc, problems)
    if too_deep is not None:  # as the event-by-event composer does: this one problem, no tree
        line, col = loc.pos(too_deep)
        return None, [problem(loc.path, line, col, "yaml-too-deep", limit=MAX_DEPTH)]
    return node, problems


def _tab_at(text: str, line_index: int, column: int) -> bool:
    """Whether the error (0-based line and column, as an editor counts) points at or just
    after a tab: LibYAML's message does not say."""
    lines = text.split("\n")
    if not 0 <= line_index < len(lines):
        return False
    line = lines[line_index]
    return "\t" in line[: column + 1] and not line[: column].strip(" \t-")


def _break_before(text: str, mark) -> int | None:
    """The offset of a U+2028, U+2029 or U+0085 on the error's line or the line before: a line
    break for YAML that an editor does not show (in a plain value it ends the line there)."""
    index = getattr(mark, "index", None)
    if index is None or not any(c in text for c in _YAML_ONLY_BREAKS):
        return None
    start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, index)))  # the line before the error's
    found = [i for i in (text.rfind(c, start + 1, index + 1) for c in _YAML_ONLY_BREAKS) if i >= 0]
    return max(found) if found else None


def _check_keys(node: Node, loc: Located, problems: list[Problem]) -> Node | None:
    """Duplicate keys and non-text keys, anywhere in the tree (one walk, which also gives
    LibYAML's plain scalars PyYAML's style None instead of ""). The walk goes level by level
    (iteratively: a tree composed in C may be deeper than Python's recursion allows) and
    returns the first collection, in the text's order, nested deeper than MAX_DEPTH."""
    level = [node]
    depth = 1
    while level:
        below: list[Node] = []
        deep = None
        for n in level:
            if isinstance(n, ScalarNode):
                if n.style == "":
                    n.style = None
                continue
            if depth > MAX_DEPTH:  # where the event-by-event composer would have stopped
                if deep is None or n.start_mark.index < deep.start_mark.index:
                    deep = n
                continue
            if isinstance(n, MappingNode):
                seen: dict[str, int] = {}
                for key, value in n.value:
                    below.append(value)
                    if not isinstance(key, ScalarNode):
                        line, col = loc.pos(key)
                        problems.append(problem(loc.path, line, col, "yaml-complex-key"))
                        below.append(key)  # composed, so walked: it may be the deep one
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
            elif isinstance(n, SequenceNode):
                below.extend(n.value)
        if deep is not None:
            return deep
        level = below
        depth += 1
    return None


def load_source(abs_path: Path, display: str) -> SourceFile:
    """An entry file read and its front matter composed. Never raises: an unexpected
    exception (a bug of ours, met by one file) is a problem on that file, and the run goes on."""
    try:
        text, problems = read_source(abs_path, display)
        src = SourceFile(path=display, text=text or "", problems=list(problems))
        if text is not None:
            split_front_matter(src)
        return src
    except Exception as exc:
        return SourceFile(path=display, text="", problems=[problem(display, 1, 1, "file-check-error",
                                                                   error=exception_text(exc))])


def load_yaml_file(abs_path: Path, display: str) -> tuple[Node | None, Located, list[Problem]]:
    """A whole YAML file (registries), composed with the same strictness."""
    loc = Located(display, 1)
    try:
        text, problems = read_source(abs_path, display)
        if text is None:
            return None, loc, problems
        node, more = compose_yaml(text, loc)
    except Exception as exc:  # never a traceback for one file
        return None, loc, [problem(display, 1, 1, "file-check-error", error=exception_text(exc))]
    return node, loc, problems + more
