"""Reading an entry file and its YAML front matter, keeping line positions.

We own front-matter parsing (MkDocs silently publishes a front matter it cannot
parse as page text). YAML is only *composed* into nodes here, never
constructed: each scalar keeps its source text, its quoting style and its
position, and :mod:`generator.model.fields` decides what it means according to the
schema. That is what lets us refuse what PyYAML would silently change
(``NO`` -> false, ``01234`` -> 668, a bare date -> ``datetime.date``, the last
of duplicate keys winning, alias bombs).

The file is read by :mod:`generator.source.textfiles`; the YAML composers are in
:mod:`generator.source.yamlcompose`. Names from both are importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from ..core.problems import Problem, exception_text, problem
from .textfiles import HARD_MAX_FILE_BYTES, MAX_FILE_BYTES, decode_source, read_bytes_safely  # noqa: F401 - re-exported
from .textfiles import read_source
from .yamlcompose import MAX_DEPTH, FastCLoader, Refused, StrictLoader, check_keys, compose_events
from .yamlcompose import RESOLVER as _RESOLVER  # noqa: F401 - importable from here, as tests do
from .yamlcompose import fast_resolve as _fast_resolve  # noqa: F401 - importable from here, as tests do
from .yamlhints import BULLETS, MISREAD, diagnose, reason_zh, root_scalar_hint
from .positions import YAML_ONLY_BREAKS, Located

MAX_FRONT_MATTER_BYTES = 64 * 1024

FENCE = "---"


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


def split_front_matter(src: SourceFile) -> None:
    """Find the front matter block; record problems on ``src``.

    Lines are found with ``str.find`` rather than by splitting the whole file (the body
    is most of it): the same lines as ``text.split("\n")``, as a test checks."""
    text = src.text
    if not text.strip():
        src.problems.append(problem(src.path, 1, 1, "file-empty"))
        return
    # Blank lines before the fence are tolerated; anything else is not front matter.
    start, at = 0, 0  # the line and its offset
    while True:
        nl = text.find("\n", at)
        opening = text[at:nl] if nl >= 0 else text[at:]
        if opening.strip() or nl < 0:  # (a text of blank lines only is empty, above)
            break
        start, at = start + 1, nl + 1
    if opening.rstrip() != FENCE:
        src.problems.append(problem(src.path, start + 1, 1, "fm-missing"))
        return
    first = nl + 1 if nl >= 0 else len(text) + 1  # the offset of the line after the fence
    close = _closing_fence(text, first)
    if close < 0:
        src.problems.append(problem(src.path, start + 1, 1, "fm-unclosed"))
        return
    end = start + 1 + text.count("\n", first, close)  # the closing fence's line (0-based)
    fm_text = text[first:close - 1] + "\n"
    src.fence_line = start + 1
    src.loc = Located(src.path, start + 2, fm_text)
    after = text.find("\n", close)
    src.body = text[after + 1:] if after >= 0 else ""
    src.body_line = end + 2
    if len(fm_text) > MAX_FRONT_MATTER_BYTES // 4 and len(fm_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
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
        hint = root_scalar_hint(fm_text, node.start_mark.index, node.end_mark.index) if (
            isinstance(node, ScalarNode) and node.style is None) else None
        if hint is not None:  # `title：…` on every line: one value for YAML, not what was meant
            at, code, params = hint
            line, col = src.loc.at(at)
            src.problems.append(problem(src.path, line, col, code, **params))
            return
        line, col = src.loc.pos(node)
        src.problems.append(problem(src.path, line, col, "yaml-not-mapping"))
        return
    src.front_matter = node


def _closing_fence(text: str, first: int) -> int:
    """The offset of the first line at or after offset ``first`` (a line's start) that is
    ``---`` or ``...`` (and white space after it), or -1. Only a line starting so can be one:
    those are found with str.find, the other lines never looked at."""
    at = first - 1  # the line break before that line
    while at < len(text):
        dash, dots = text.find("\n---", at), text.find("\n...", at)
        candidates = [c for c in (dash, dots) if c >= 0]
        if not candidates:
            return -1
        line = min(candidates) + 1
        nl = text.find("\n", line)
        if (text[line:nl] if nl >= 0 else text[line:]).rstrip() in (FENCE, "..."):
            return line
        at = line
    return -1


_TAB_HINT = "'\\t'"


# LibYAML's loader, or None where PyYAML was built without LibYAML: then PyYAML's own composer.
_CPARSER: type[yaml.CSafeLoader] | None = FastCLoader


# What lets block collections nest: indentation (each level deeper than its parent) and
# compact indicators at the start of a line (`- - - x`, `? ? x`; after `--- ` too, to be
# safe, though LibYAML refuses that): LibYAML refuses a block collection that starts after
# anything else on its line ("block sequence entries are not allowed in this context").
# Flow brackets are counted separately.
# (Searched in "\n" + text: a literal first character makes the search five times faster
# than a multi-line "^".)
_COMPACT_RUN = 10
_DEEP_RE = re.compile(rf"\n(?: {{{2 * MAX_DEPTH}}}|(?:---[ \t])?[ \t]*(?:[-?:][ \t]+){{{_COMPACT_RUN}}})")


def _plain_enough(text: str) -> bool:
    """Text that cannot hold an anchor, an alias or deep nesting: LibYAML may compose it
    whole, in C. Everything else goes through the event-by-event strict composer.

    LibYAML's composer recurses in C once per level: 25,000 levels (50 KB of `- - - …`)
    overflow the stack and kill the process. Here nesting is bounded before it runs: no
    line is indented 40 spaces or more and none has a run of 10 compact indicators, so
    every block collection starts before column 60 or so, which bounds the depth to about
    a hundred levels (at most two per column, a mapping and its indentless sequence), plus
    at most 20 brackets (tests/test_frontmatter.py checks the bound on arbitrary text).
    :func:`generator.source.yamlcompose.check_keys` then refuses anything deeper than MAX_DEPTH."""
    return ("&" not in text and "*" not in text and text.count("[") + text.count("{") <= MAX_DEPTH
            and not _DEEP_RE.search("\n" + text))


# LibYAML's scanner (in PyYAML's wheels from 6.0.4) refuses flow collections nested about a thousand
# deep by itself, while it looks ahead for a key: before any event reaches the composers' MAX_DEPTH.
_LIBYAML_NESTING = "exceeded maximum nesting depth"


def compose_yaml(text: str, loc: Located, *, libyaml: bool = True) -> tuple[Node | None, list[Problem]]:
    """Compose YAML text into nodes, or explain why not. Never raises."""
    if loc.text is None:
        loc.attach(text)
    loader: yaml.CSafeLoader | StrictLoader | None = None
    try:
        if libyaml and _CPARSER is not None and _plain_enough(text):
            loader = _CPARSER(text)
            node = loader.get_single_node()
        elif libyaml and _CPARSER is not None:
            node = compose_events(text, _CPARSER)
        else:
            loader = StrictLoader(text)
            node = loader.get_single_node()
    except Refused as exc:
        line, col = loc.pos(exc.mark)
        return None, [problem(loc.path, line, col, exc.code, **exc.params)]
    except yaml.MarkedYAMLError as exc:
        if libyaml and _LIBYAML_NESTING in (exc.problem or ""):
            # PyYAML's own scanner has no such limit: its composer refuses the nesting where it
            # passes MAX_DEPTH, as for any other deep entry (its scanner looks ahead 1,024 characters at most).
            return compose_yaml(text, loc, libyaml=False)
        mark = exc.problem_mark or exc.context_mark
        line, col = loc.pos(mark) if mark else (loc.first_line, 1)
        detail = (exc.problem or "").strip()
        if _TAB_HINT in detail or "\t" in detail or (mark and _tab_at(text, line - loc.first_line, col - 1)):
            if any(b in text for b in BULLETS):  # Word's "•<Tab>": the bullet is the mistake to name
                found = _syntax_problem(text, loc, exc, line, col, detail or str(exc))
                if found.code == "yaml-bullet":
                    return None, [found]
            return None, [problem(loc.path, line, col, "yaml-tab")]
        cause = _break_before(text, mark)
        if cause is not None:  # invisible, but a line break for YAML: most likely what broke it
            line, col = loc.at(cause)
            return None, [problem(loc.path, line, col, "yaml-control-char", char=f"U+{ord(text[cause]):04X}")]
        if "found another document" in str(exc):
            return None, [problem(loc.path, line, col, "fm-unclosed")]
        return None, [_syntax_problem(text, loc, exc, line, col, detail or str(exc))]
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        # LibYAML counts bytes, PyYAML characters: find the character itself.
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        before = text[: at if at >= 0 else exc.position]
        line = loc.first_line + before.count("\n")
        col = len(before) - (before.rfind("\n") + 1) + 1
        return None, [problem(loc.path, line, col, "yaml-control-char", char=f"U+{exc.character:04X}")]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:  # defensive: never a traceback
        return None, [problem(loc.path, loc.first_line, 1, "yaml-syntax", detail=type(exc).__name__,
                              reason=reason_zh(""))]
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, []
    problems: list[Problem] = []
    too_deep = check_keys(node, loc, problems)
    if too_deep is not None:  # as the event-by-event composer does: this one problem, no tree
        line, col = loc.pos(too_deep)
        return None, [problem(loc.path, line, col, "yaml-too-deep", limit=MAX_DEPTH)]
    if any(p.code in MISREAD for p in problems):  # not what was meant: as a syntax error, no tree
        return None, problems
    return node, problems


def _syntax_problem(text: str, loc: Located, exc: yaml.MarkedYAMLError, line: int, col: int, detail: str) -> Problem:
    """The mistake that stopped the parser, found in the contributor's lines
    (:func:`generator.source.yamlhints.diagnose`); else the parser's own words, in plain zh-TW too."""
    context = exc.context_mark if exc.problem_mark is not None else None
    hint = diagnose(text, loc.offset(line, col), detail, loc.offset(*loc.pos(context)) if context is not None else None)
    if hint is not None:
        at, code, params = hint
        hint_line, hint_col = loc.at(at)
        return problem(loc.path, hint_line, hint_col, code, **params)
    return problem(loc.path, line, col, "yaml-syntax", detail=detail, reason=reason_zh(detail))


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
    if index is None or not any(c in text for c in YAML_ONLY_BREAKS):
        return None
    start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, index)))  # the line before the error's
    found = [i for i in (text.rfind(c, start + 1, index + 1) for c in YAML_ONLY_BREAKS) if i >= 0]
    return max(found) if found else None


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
