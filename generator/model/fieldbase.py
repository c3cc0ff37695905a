"""What every field type shares: the context a conversion reports into (with "did you mean"
suggestions), the :class:`Invalid` signal, and :class:`FieldType` with the checks every
scalar's text passes (placeholders, values YAML would coerce, characters no text may hold)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from yaml.nodes import Node, ScalarNode

from ..core.escape import NOT_TEXT_RE
from ..core.problems import Level, Problem, problem
from ..source.positions import Located

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
PLACEHOLDER_RE = re.compile(r"<請填寫[^>]*>|<fill in[^>]*>", re.IGNORECASE)
BAD_TEXT_RE = NOT_TEXT_RE  # no text value may hold these, however written (raw, or "\a", "\u202e")
BAD_LINE_RE = re.compile(BAD_TEXT_RE.pattern[:-1] + "\t]")  # and tabs, in a one-line value
SUGGESTIONS_PER_FILE = 20  # "did you mean" is worked out for this many problems of a file, no more
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
    registries: Any = None  # generator.model.registries.Registries | None

    suggested: int = 0  # problems given "did you mean" candidates so far

    def report(self, node_or_mark, code: str, *, suggestions=(), level: Level = Level.ERROR, **params) -> None:
        line, col = self.loc.pos(node_or_mark)
        self.problems.append(problem(self.loc.path, line, col, code, suggestions=suggestions, level=level, **params))

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
        if "<" in node.value and PLACEHOLDER_RE.search(node.value):  # (every placeholder starts with "<")
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
        if "<" in value and PLACEHOLDER_RE.search(value):  # "<" first: every value of every entry passes here
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


# Every placeholder the template writes starts so: validation recognises it (an error in a
# field, a warning or error on the heading of a required section still holding it).
PLACEHOLDER_START = "<請填寫 Fill in:"
PLACEHOLDER_END = ">"


def body_placeholder(zh: str, en: str) -> str:
    """The text the template puts under a required section (or in a body without sections)."""
    return f"{PLACEHOLDER_START} body {zh} {en}{PLACEHOLDER_END}"
