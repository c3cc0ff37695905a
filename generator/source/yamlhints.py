"""Why YAML could not read the front matter, in the contributor's words.

PyYAML and LibYAML say what *they* expected (``could not find expected ':'``), often on the
line after the mistake. Here the source lines at and before the parser's mark are read again
to find the mistake a person pasting from Word makes: a full-width colon, no space after a
colon, ``: `` inside a value, a quote YAML does not know, a bullet ``•`` or ``-item``, an item
indented unlike its siblings. Pure functions: text and offsets in, ``(offset, code, params)``
out; :mod:`generator.source.frontmatter` turns the offset into a line and column.

Every hint carries the offending text (``char``, ``key``, ``value``) and the corrected line
(``example``), which the messages in :mod:`generator.validation.messages` show as the fix.
"""

from __future__ import annotations

import re
from bisect import bisect_right

Hint = tuple[int, str, dict]  # (character offset into the YAML text, problem code, parameters)

_KEY = r"[A-Za-z_][A-Za-z0-9_.-]*"
# A `key: value` line as a person writes it, with the colon they typed (half- or full-width).
_KEY_LINE = re.compile(rf"^(?P<lead> *(?:- +)?)(?P<key>{_KEY})(?P<gap> *)(?P<colon>[:：])(?P<after>.*)$")
_ITEM_LINE = re.compile(r"^(?P<indent> *)-(?: +|$)")
BULLETS = "•·‧●▪◦・∙"
_BULLET_LINE = re.compile(rf"^(?P<indent> *)(?P<char>[{BULLETS}])[ \t\u3000]*(?P<rest>.*)$")
_DASH_LINE = re.compile(r"^(?P<indent> *)-(?P<rest>[^\s\d.\-].*)$")
# Quotes YAML does not know, with the straight quote a person meant by them.
SMART_QUOTES = {"“": '"', "”": '"', "＂": '"', "〝": '"', "〞": '"', "‘": "'", "’": "'", "＇": "'"}
CORNER_QUOTES = "「『"
# Characters that start something other than text when a plain value begins with them.
INDICATORS = "[]{}*&!|>@`%?-,#"

# PyYAML's and LibYAML's problems in plain words (the English text stays for the English message).
_REASONS = (
    ("mapping values are not allowed", "這裡不該出現「: 」（冒號加空格）：值裡有冒號時，整個值要用雙引號括起來"),
    ("could not find expected ':'", "找不到欄位名稱後面的冒號「:」"),
    ("did not find expected key", "這一行的縮排或寫法和上面的欄位對不上"),
    ("did not find expected '-' indicator", "清單項目「- 」的縮排和同一清單的其他項目不同"),
    ("block sequence entries are not allowed", "這裡不能開始一個清單（「- 」）"),
    ("mapping keys are not allowed", "值不能以「? 」開頭"),
    ("cannot start any token", "值不能以這個符號開頭"),
    ("unexpected end of stream", "前置資料結束時，引號或括號還沒有結束"),
    ("expected ',' or ']'", "清單的「[」沒有對應的「]」，或項目之間少了半形逗號「,」"),
    ("expected ',' or '}'", "「{」沒有對應的「}」，或項目之間少了半形逗號「,」"),
    ("unknown escape character", "雙引號裡的反斜線「\\」後面接了 YAML 不認得的字元（要寫反斜線本身請寫成「\\\\」）"),
    ("escape code", "雙引號裡的「\\u」或「\\x」不是有效的字元代碼"),
    ("hexdecimal", "雙引號裡的反斜線「\\」會被當成跳脫字元（例如 C:\\Users 裡的「\\U」）：要寫反斜線本身請寫成「\\\\」，或改用單引號括起來"),
    ("expected comment or line break", "值結束之後，同一行還有多餘的文字"),
    ("alphabetic or numeric character", "「&」或「*」開頭的值會被當成 YAML 的錨點或別名"),
    ("tag", "「!」開頭的值會被當成 YAML 的標記"),
    ("found unexpected ':'", "這裡不該出現冒號「:」"),
    ("expected <document start>", "前置資料裡有多餘的內容"),
    ("expected <block end>", "這一行的縮排和上面的欄位對不上"),
    ("directive", "「%」開頭的行會被當成 YAML 指令"),
    ("found character", "這裡有 YAML 不接受的字元"),
)


def reason_zh(problem: str) -> str:
    """A parser's problem, said in plain zh-TW (the generic fallback message)."""
    for english, chinese in _REASONS:
        if english in problem:
            return chinese
    return "無法解讀這一行；請檢查冒號、引號、括號與縮排"


def quoted(value: str) -> str:
    """The value in YAML quotes, as a person would type it."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def _blank(line: str) -> bool:
    stripped = line.strip(" \u3000")
    return not stripped or stripped.startswith("#")


def _well_formed(line: str) -> bool:
    """A line that reads as a complete `key: value`, `key:` or `- item` line."""
    m = _KEY_LINE.match(line)
    if m and m["colon"] == ":" and not m["gap"] and (not m["after"] or m["after"][0] == " "):
        return True
    return bool(_ITEM_LINE.match(line))


def _item_indent(lines: list[str], i: int, default: int) -> int:
    """Where a list item on line ``i`` belongs: under the item before it, or two spaces under its key."""
    for j in range(i - 1, max(-1, i - 50), -1):
        if _blank(lines[j]):
            continue
        item = _ITEM_LINE.match(lines[j])
        if item:
            return len(item["indent"])
        key = _KEY_LINE.match(lines[j])
        if key and not key["after"].strip():
            return len(key["lead"]) + 2
        return default
    return default


# -- the line the mistake is on ------------------------------------------------------------------

def _structure(lines: list[str], i: int) -> tuple[int, str, dict] | None:
    """Mistakes that keep a line from being `key: value` or `- item` at all: (column, code, params)."""
    line = lines[i]
    m = _KEY_LINE.match(line)
    if m and m["colon"] == "：":
        value = m["after"].lstrip(" \u3000")
        return m.start("colon"), "yaml-fullwidth-colon", {
            "key": m["key"], "example": f"{m['lead']}{m['key']}: {value}".rstrip()}
    if m and m["after"][:1] == "\u3000":
        return m.end("colon"), "yaml-fullwidth-space", {
            "key": m["key"], "example": f"{m['lead']}{m['key']}: {m['after'].lstrip(' ' + chr(0x3000))}"}
    if m and m["after"] and not m["after"][0].isspace() and not m["after"].startswith(("//", ":")):
        return m.start("colon"), "yaml-colon-space", {
            "key": m["key"], "char": m["after"][0], "example": f"{m['lead']}{m['key']}: {m['after']}"}
    b = _BULLET_LINE.match(line)
    if b:
        indent = " " * _item_indent(lines, i, len(b["indent"]))
        return len(b["indent"]), "yaml-bullet", {"char": b["char"], "example": f"{indent}- {b['rest']}".rstrip()}
    d = _DASH_LINE.match(line)
    if d:
        indent = " " * _item_indent(lines, i, len(d["indent"]))
        return len(d["indent"]), "yaml-dash-space", {
            "value": "-" + d["rest"].rstrip(), "example": f"{indent}- {d['rest']}".rstrip()}
    return None


def _value(lines: list[str], i: int, stop: int) -> tuple[int, str, dict] | None:
    """Mistakes in the value of a `key: value` line, when the parser stopped (at column
    ``stop``) in the value, not before it."""
    m = _KEY_LINE.match(lines[i])
    if not m or m["colon"] != ":" or m["after"][:1] != " ":
        return None
    value = m["after"].strip(" ")
    col = len(lines[i]) - len(m["after"].lstrip(" "))
    if not value or stop < col:
        return None
    key, lead = m["key"], f"{m['lead']}{m['key']}: "
    first = value[0]
    if first in SMART_QUOTES or first in CORNER_QUOTES:
        if first in CORNER_QUOTES:
            fixed = quoted(value)
        else:
            inner = value[1:-1] if len(value) > 1 and value[-1] in SMART_QUOTES else value[1:]
            fixed = quoted(inner)
        return col, "yaml-smart-quote", {"key": key, "char": first, "example": lead + fixed}
    if first in "\"'":
        close = _closing_quote(value)
        if close is not None and value[close + 1:].strip() and not value[close + 1:].strip().startswith("#"):
            inner = value[1:-1] if value[-1] == first and len(value) > 1 else value
            return col, "yaml-quoted-part", {"key": key, "char": first, "example": lead + quoted(inner)}
        return None
    if first in INDICATORS and first != "#" and not (first in "-?" and value[1:2] not in (" ", "")):
        if first in "[{" and (not _closes(value) or not value[_closes(value):].strip(" ")):
            return None  # a whole (or unclosed) flow list or mapping: not text that starts with a bracket
        return col, "yaml-indicator", {"key": key, "char": first, "example": lead + quoted(value)}
    inner = value.find(": ")
    if inner > 0:
        return col + inner, "yaml-value-colon", {"key": key, "example": lead + quoted(value)}
    return None


def _closing_quote(value: str) -> int | None:
    """Where the quote the value opens with closes (YAML's rules: '' and \\" do not close)."""
    q, i = value[0], 1
    while i < len(value):
        c = value[i]
        if q == '"' and c == "\\":
            i += 2
            continue
        if c == q:
            if q == "'" and value[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _closes(value: str) -> int:
    """The offset after the bracket that closes the value's first one, or 0."""
    depth = 0
    for i, c in enumerate(value):
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
    return 0


def _indent(lines: list[str], i: int) -> tuple[int, str, dict] | None:
    """A list item or a key indented unlike the one before it (on the parser's line)."""
    line = lines[i]
    prev = next((j for j in range(i - 1, -1, -1) if not _blank(lines[j])), None)
    if prev is None:
        return None
    item, before = _ITEM_LINE.match(line), _ITEM_LINE.match(lines[prev])
    if item and before and item["indent"] != before["indent"]:
        want = len(before["indent"])
        return len(item["indent"]), "yaml-list-indent", {
            "value": line.strip(), "count": want, "example": " " * want + line.lstrip(" ")}
    key, above = _KEY_LINE.match(line), _KEY_LINE.match(lines[prev])
    if (key and above and key["colon"] == ":" and not key["lead"].strip() and not above["lead"].strip()
            and above["after"].strip() and len(key["lead"]) != len(above["lead"])):
        want = len(above["lead"])
        return len(key["lead"]), "yaml-key-indent", {
            "key": key["key"], "count": want, "example": " " * want + line.lstrip(" ")}
    return None


def diagnose(text: str, offset: int, problem: str = "", context: int | None = None) -> Hint | None:
    """The mistake that made the parser stop at ``offset`` (``context``: where what it was
    reading started), or None when the cause is not one we know."""
    lines = text.split("\n")
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    at = max(0, min(len(lines) - 1, _line_of(starts, offset)))
    if context is not None:  # a quote or a bracket opened there and never closed
        c = _line_of(starts, context)
        line, col = lines[c], context - starts[c]
        char = line[col:col + 1]
        if "end of stream" in problem and char in ("\"", "'"):
            return context, "yaml-quote-unclosed", {"char": char, "example": line.rstrip() + char}
        if "expected ',' or ']'" in problem and char == "[" and "]" not in line[col:]:
            return context, "yaml-bracket-unclosed", {"example": line.rstrip() + "]"}
    for i in range(at, max(-1, at - 50), -1):
        if _blank(lines[i]):
            continue
        found = _structure(lines, i)
        while found is not None and i > 0 and (earlier := _structure(lines, i - 1)) and earlier[1] == found[1]:
            i, found = i - 1, earlier  # the first of a run of bullets (or of full-width colons)
        if found is None and i == at:
            found = _value(lines, i, offset - starts[i]) or _indent(lines, i)
        if found is not None:
            col, code, params = found
            return starts[i] + col, code, params
        if i != at and _well_formed(lines[i]):
            break
    # Above a well-formed line: a Word bullet or a full-width colon, which no YAML line holds,
    # is the likeliest cause wherever it is (`• 多元文化` between two `  - ` items).
    for i in range(max(0, at - 50), at + 1):
        found = _structure(lines, i)
        if found is not None and found[1] in ("yaml-bullet", "yaml-fullwidth-colon"):
            return starts[i] + found[0], found[1], found[2]
    return None


# -- what YAML reads without complaint, but not as the person meant ------------------------------

def _window(text: str, start: int, end: int, before: int = 50) -> tuple[int, list[str], int]:
    """The lines from ``before`` lines above ``start`` to the line of ``end``: (offset of the
    window's first line, its lines, index of ``start``'s line in them). Only this much of the
    text is looked at, so that a hint costs what its value costs, however long the file."""
    first = text.rfind("\n", 0, start) + 1
    top, above = first, 0
    while top > 0 and above < before:
        top = text.rfind("\n", 0, top - 1) + 1
        above += 1
    stop = text.find("\n", max(start, end - 1))
    return top, text[top:len(text) if stop < 0 else stop].split("\n"), above


def plain_scalar_hint(text: str, start: int, end: int) -> Hint | None:
    """A plain value that swallowed what was meant as list items: a continuation line starting
    with `- ` (an item indented unlike its siblings), a bullet `•` or `-item`; or a value on a
    line of its own that starts with a bullet or `-item`."""
    top, lines, first = _window(text, start, end)
    base = top
    prefix = text[text.rfind("\n", 0, start) + 1:start]
    own_line = not prefix.strip(" ")
    if not own_line and not re.fullmatch(r" *- +", prefix):
        return None  # a value begun after its key (`summary: …`): its next lines are its own text
    for i, line in enumerate(lines):
        if i < first or (i == first and not own_line):
            base += len(line) + 1
            continue
        item = _ITEM_LINE.match(line)
        if item and i > first:
            sibling = _ITEM_LINE.match(lines[first])
            if sibling is None:
                return None
            want = len(sibling["indent"])
            return base + len(item["indent"]), "yaml-list-indent", {
                "value": line.strip(), "count": want, "example": " " * want + line.lstrip(" ")}
        found = _structure(lines, i) if (_BULLET_LINE.match(line) or _DASH_LINE.match(line)) else None
        if found is not None:
            col, code, params = found
            return base + col, code, params
        base += len(line) + 1
    return None


def root_scalar_hint(text: str, start: int, end: int) -> Hint | None:
    """Front matter YAML read as one plain value, not `key: value` lines: every key was
    followed by a full-width colon, say. The first line that is not a `key: value` line."""
    top, lines, _first = _window(text, start, end, before=0)
    base = top
    for i, line in enumerate(lines):
        found = _structure(lines, i)
        if found is not None:
            return base + found[0], found[1], found[2]
        base += len(line) + 1
    return None


def flow_comma_hint(text: str, key: str, items: list[tuple[int, int, str]]) -> Hint | None:
    """A flow list `[a，b]` whose plain items hold a full-width comma: ``items`` are the plain
    items' (start, end, value)."""
    bad = [(s, e, v) for s, e, v in items if "，" in v]
    if not bad:
        return None
    start, end, value = bad[0]
    at = start + text[start:end].index("，")
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    commas = {o for s, e, _ in bad for o in range(max(s, line_start), min(e, line_end)) if text[o] == "，"}
    fixed = "".join(", " if line_start + k in commas else ch for k, ch in enumerate(text[line_start:line_end]))
    fixed = re.sub(r", [ \u3000]+", ", ", fixed)
    return at, "yaml-fullwidth-comma", {"key": key, "value": value, "example": fixed.rstrip()}


# Codes for what YAML read without complaint but not as meant: the front matter is not used
# (as after a syntax error), so that the mistake gets this one message, not a second one
# about the value YAML made of it.
MISREAD = frozenset({"yaml-list-indent", "yaml-bullet", "yaml-dash-space", "yaml-fullwidth-comma"})
