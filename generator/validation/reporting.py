"""Problem formatters: pure functions of the problems (and, for humans, the source line)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import TypeGuard

import json
from ..core.escape import gfm_code_block, gfm_text
from ..core.problems import Level, Problem
from .messages import DID_YOU_MEAN, HINT_LABEL, normalise_lang, render

FORMATS = ("text", "parsable", "github", "markdown", "json")
LEVEL_WORD = {"zh-TW": {"error": "錯誤", "warning": "警告", "notice": "請確認"},
              "en": {"error": "error", "warning": "warning", "notice": "notice"}}


def default_format(env=os.environ) -> str:
    """GitHub annotations under GitHub Actions, human text elsewhere."""
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


# What a terminal, an editor or GitHub's log would act on rather than show: C0 and C1
# controls (line breaks and tabs included), the characters Unicode and YAML count as line
# breaks, bidirectional controls (which make text read backwards), noncharacters, and lone
# surrogates (a file name that is not UTF-8, as Python reads it, cannot be printed at all).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                         "\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _escaped(m: re.Match) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(value) -> str:
    """Text from the input (file names, values, keys) as it can be shown: every character a
    terminal or log would act on is written as an escape (a tab as \\x09, U+202E as \\u202e,
    a file name's byte 0xE9 that is not UTF-8 as \\xe9)."""
    s = str(value)
    return _UNSHOWABLE.sub(_escaped, s) if _UNSHOWABLE.search(s) else s


def message_of(p: Problem, lang: str) -> tuple[str, str]:
    """Message and hint, with every value taken from the input shown visibly: line breaks in
    them come from the catalogue only."""
    args = {k: visible(v) if isinstance(v, str) else v for k, v in p.params}
    msg, hint = render(p.code, args, lang)
    if p.suggestions:
        shown = [visible(s) for s in p.suggestions]
        msg = f"{msg}（{DID_YOU_MEAN[normalise_lang(lang)].format('、'.join(shown))}）" if normalise_lang(
            lang) == "zh-TW" else f"{msg} ({DID_YOU_MEAN['en'].format(', '.join(shown))})"
    return msg, hint


def format_text(problems: Iterable[Problem], lang: str = "zh-TW",
                source_line: Callable[[str, int], str | None] | None = None) -> str:
    lang = normalise_lang(lang)
    out = []
    for p in problems:
        msg, hint = message_of(p, lang)
        out.append(f"{visible(p.path)}:{p.line}:{p.column}: {LEVEL_WORD[lang][p.level.value]} [{p.code}] {msg}")
        line = source_line(p.path, p.line) if source_line else None
        if line is not None and line.strip():
            line = line.replace("\t", " ")
            shown = visible(line)
            out.append(f"    {p.line} | {shown}")
            prefix = visible(line[: max(0, p.column - 1)])  # the caret under the character, after escapes
            out.append("    " + " " * len(str(p.line)) + " | " + _caret_pad(prefix, len(prefix) + 1) + "^")
        if hint:
            label = HINT_LABEL[lang]
            sep = "：" if lang == "zh-TW" else ": "
            out.append(f"    {label}{sep}{hint}".replace("\n", "\n    "))
    return "\n".join(out)


def _caret_pad(line: str, column: int) -> str:
    # East Asian wide characters take two cells in a terminal.
    pad = 0
    for ch in line[: max(0, column - 1)]:
        pad += 2 if ord(ch) >= 0x1100 and _wide(ch) else 1
    return " " * pad


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def format_parsable(problems: Iterable[Problem], lang: str = "en") -> str:
    """One line per problem, as yamllint's parsable format: ``path:line:col: [error] message (code)``
    or ``[warning]``. The level is always the English word, whatever ``lang``, so that an editor's
    problem matcher (``.vscode/tasks.json``) can read it."""
    lines = []
    for p in problems:
        msg, _ = message_of(p, lang)
        lines.append(f"{visible(p.path)}:{p.line}:{p.column}: [{p.level.value}] {msg} ({p.code})".replace("\n", " "))
    return "\n".join(lines)


def _gh_escape_data(s: str) -> str:
    """A workflow command's message: GitHub's escapes, and every other character that would act
    (a U+2028 splits the line in the log as surely as \\n) written visibly."""
    return visible(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_escape_prop(s: str) -> str:
    return _gh_escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Iterable[Problem], lang: str = "zh-TW") -> str:
    """Workflow commands GitHub shows as annotations on the changed lines: the title is the
    message in ``lang`` (zh-TW unless asked otherwise), the text its hint, then the other
    language's message and hint. (GitHub shows ten annotations per step; the job summary
    and the pull request comment, :func:`format_markdown`, list every problem.)"""
    lang = normalise_lang(lang)
    other = "en" if lang == "zh-TW" else "zh-TW"
    lines = []
    for p in problems:
        msg, hint = message_of(p, lang)
        msg2, hint2 = message_of(p, other)
        kind = p.level.value  # error, warning, notice: GitHub's own three
        title = f"{LEVEL_WORD[lang][p.level.value]}{'：' if lang == 'zh-TW' else ': '}{msg}"
        props = f"file={_gh_escape_prop(visible(p.path))},line={p.line},col={p.column},title={_gh_escape_prop(title)}"
        body = (f"{HINT_LABEL[lang]}{'：' if lang == 'zh-TW' else ': '}{hint}\n" if hint else "") + \
            f"{msg2}" + (f"\n{HINT_LABEL[other]}{'：' if other == 'zh-TW' else ': '}{hint2}" if hint2 else "") + \
            f"\n[{p.code}]"
        lines.append(f"::{kind} {props}::{_gh_escape_data(body)}")
    return "\n".join(lines)


REPORT_MARKER = "<!-- kb-validation-report -->"  # finds the one comment to update in place


def _counts(problems: list[Problem]) -> tuple[int, int, int]:
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    return errors, len(problems) - errors, len({p.path for p in problems})


# Contributors of the web editor (/admin/) never see the file: the report names fields by
# their keys (contact.email) and lines, so it says how those map to the form (tried as a librarian).
WEB_EDITOR_NOTE = ("> 用網頁編輯器（`/admin/`）投稿的話：在「作業流程」點開這篇，改好後按「儲存」，這裡會重新檢查；"
                   "訊息裡的英文欄位名（如 contact.email）對應表單上每一欄標籤後面的英文（如「聯絡方式 Contact」裡的「電子郵件 E-mail」），"
                   "行號是檔案裡的，在表單上可以不管。  \n"
                   "> Using the web editor (`/admin/`): open the entry from 作業流程 (workflow), fix it and save; this check "
                   "runs again. Field names such as contact.email match the English in the form's labels; the line numbers "
                   "are the file's, which the form does not show.")


SUMMARY_MAX_BYTES = 1_000_000  # GitHub refuses a job summary over 1 MiB (it then shows none)


def format_markdown(problems: Iterable[Problem], lang: str = "zh-TW",
                    source_line: Callable[[str, int], str | None] | None = None,
                    title: str = "條目檢查結果 · Entry check", max_bytes: int | None = None) -> str:
    """Every problem, grouped by file, as GitHub Markdown for a job summary or a comment:
    ``lang``'s message, the line as written and how to fix it, then the other language.
    Values from the input are escaped (:func:`~generator.core.escape.gfm_text`): they cannot
    link, mention anyone, or add markup. Starts with :data:`REPORT_MARKER`. With
    ``max_bytes``, problems that would take it over are counted, not listed, and a last line
    says how many and where to see them all."""
    problems = list(problems)
    lang = normalise_lang(lang)
    other = "en" if lang == "zh-TW" else "zh-TW"
    errors, warnings, files = _counts(problems)
    out = [REPORT_MARKER, f"## {title}", ""]
    if not problems:
        out.append("✅ 沒有發現問題。 No problems found.")
        return "\n".join(out) + "\n"
    mark = "❌" if errors else "⚠️"
    out.append(f"{mark} {files} 個檔案有 {errors} 個錯誤、{warnings} 個警告；錯誤修正後才能合併。"
               f" {errors} error(s) and {warnings} warning(s) in {files} file(s); errors must be fixed before merging.")
    out += ["", WEB_EDITOR_NOTE]
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.path, []).append(p)
    sep = {"zh-TW": "：", "en": ": "}
    size = sum(len(x.encode("utf-8")) + 1 for x in out) + 600  # room for the closing note
    left_out = 0
    for path, found in by_file.items():
        if left_out:
            left_out += len(found)
            continue
        heading = ["", f"### {gfm_text(visible(path))}", ""]
        out += heading
        size += sum(len(x.encode("utf-8")) + 1 for x in heading)
        for i, p in enumerate(sorted(found, key=lambda p: (p.line, p.column, p.code, str(p.params))), 1):
            if left_out:
                left_out += 1
                continue
            start = len(out)
            msg, hint = message_of(p, lang)
            msg2, hint2 = message_of(p, other)
            where = {"zh-TW": f"第 {p.line} 行第 {p.column} 欄", "en": f"line {p.line}, column {p.column}"}
            # Two spaces end a line where the next should start below it (a hard line break).
            out.append(f"{i}. **{LEVEL_WORD[lang][p.level.value]} · {where[lang]}**{sep[lang]}{gfm_text(msg)}  ")
            if hint:  # the catalogue's own line breaks (a table's example) kept as line breaks
                out.append(f"    {HINT_LABEL[lang]}{sep[lang]}" + "  \n    ".join(gfm_text(h) for h in hint.split("\n")) + "  ")
            line = source_line(p.path, p.line) if source_line else None
            if line is not None and line.strip() not in ("", "---"):  # the line as written, where it says something
                block = gfm_code_block(f"{p.line} | {visible(line.rstrip())}")
                out.append("")
                out += ["    " + row for row in block.split("\n")]
                out.append("")
            english = f"{LEVEL_WORD[other][p.level.value]}, {where[other]}{sep[other]}{gfm_text(msg2)}"
            if hint2:
                english += f" — {HINT_LABEL[other]}{sep[other]}{gfm_text(hint2)}"
            out.append(f"    <sub>{english} (`{p.code}`)</sub>")
            added = sum(len(x.encode("utf-8")) + 1 for x in out[start:])
            if max_bytes is not None and size + added > max_bytes:
                del out[start:]
                left_out = 1
            size += added
    if left_out:
        out += ["", f"… 以及另外 {left_out} 個問題未列出（摘要的長度有上限）：在自己的電腦上執行 `kb validate` 可看到全部。"
                    f" … and {left_out} more not listed (the summary has a size limit): run `kb validate` to see them all."]
    return "\n".join(out) + "\n"


def summary(problems: list[Problem], files_checked: int, lang: str = "zh-TW") -> str:
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if normalise_lang(lang) == "zh-TW":
        if not problems:
            return f"檢查了 {files_checked} 個條目，沒有問題。"
        return f"檢查了 {files_checked} 個條目：{files} 個檔案有 {errors} 個錯誤、{warnings} 個警告。"
    if not problems:
        return f"Checked {files_checked} entries: no problems."
    return f"Checked {files_checked} entries: {errors} error(s), {warnings} warning(s) in {files} file(s)."


MAX_JSON_PROBLEMS = 2000
MAX_JSON_TEXT = 500  # characters of a value, a path or a source line in a JSON report


def format_json(problems: Iterable[Problem],
                source_line: Callable[[str, int], str | None] | None = None) -> str:
    """The problems as data (code, position, level, parameters, the line as written), for a
    report to be worded elsewhere: :func:`problems_from_json` reads it back."""
    out = []
    for p in problems:
        line = source_line(p.path, p.line) if source_line else None
        out.append({"path": p.path, "line": p.line, "column": p.column, "code": p.code, "level": p.level.value,
                    "params": dict(p.params), "suggestions": list(p.suggestions), "source": line})
    return json.dumps({"problems": out}, ensure_ascii=False, indent=1)


def _json_position(n: object) -> TypeGuard[int]:
    """A line or column read from JSON: a plain int, bounded."""
    return isinstance(n, int) and not isinstance(n, bool) and 0 < n < 10**7


def problems_from_json(text: str) -> tuple[list[Problem], dict[tuple[str, int], str]]:
    """(problems, source lines by (path, line)) from :func:`format_json`'s output, which may come
    from someone else's run: only known codes, levels and plain values are kept, each bounded."""
    from .messages import CATALOGUE

    def short(v) -> str:
        s = str(v)
        return s if len(s) <= MAX_JSON_TEXT else s[:MAX_JSON_TEXT] + "…"

    data = json.loads(text)
    items = data.get("problems") if isinstance(data, dict) else None
    problems, sources = [], {}
    for item in (items if isinstance(items, list) else [])[:MAX_JSON_PROBLEMS]:
        if not isinstance(item, dict) or item.get("code") not in CATALOGUE:
            continue
        line, column = item.get("line"), item.get("column")
        if not (_json_position(line) and _json_position(column)):
            continue
        given = item.get("params")
        params = {short(k): (v if isinstance(v, int) and not isinstance(v, bool) else short(v))
                  for k, v in list(given.items() if isinstance(given, dict) else ())[:20]
                  if isinstance(v, (str, int))}
        suggestions = [short(x) for x in (item.get("suggestions") or [])[:5] if isinstance(x, str)]
        levels: dict[object, Level] = {"warning": Level.WARNING, "notice": Level.NOTICE}
        level = levels.get(item.get("level"), Level.ERROR)
        p = Problem(short(item.get("path", "")), line, column, item["code"], tuple(sorted(params.items())), level,
                    tuple(suggestions))
        problems.append(p)
        if isinstance(item.get("source"), str):
            sources[(p.path, p.line)] = short(item["source"])
    return problems, sources


def format_problems(problems: list[Problem], fmt: str, lang: str,
                    source_line: Callable[[str, int], str | None] | None = None) -> str:
    if fmt == "parsable":
        return format_parsable(problems, lang)
    if fmt == "github":
        return format_github(problems, lang)
    if fmt == "markdown":
        return format_markdown(problems, lang, source_line)
    if fmt == "json":
        return format_json(problems, source_line)
    return format_text(problems, lang, source_line)


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.validation.reporting --from problems.json --format github``: a report saved
    by ``kb validate --format json`` in another format, without validating again (CI writes
    the annotations, the job summary and the comment's data from one run)."""
    import argparse
    from pathlib import Path

    ap = argparse.ArgumentParser(prog="python -m generator.validation.reporting",
                                 description=(main.__doc__ or "").partition("\n")[0])
    ap.add_argument("--from", dest="source", type=Path, required=True, help="kb validate --format json's output")
    ap.add_argument("--format", choices=[f for f in FORMATS if f != "json"], default="text")
    ap.add_argument("--lang", choices=["zh-TW", "en"], default="zh-TW")
    args = ap.parse_args(argv)
    problems, sources = problems_from_json(args.source.read_text(encoding="utf-8"))
    lookup = lambda path, line: sources.get((path, line))  # noqa: E731
    if args.format == "markdown":  # a job summary: bounded as GitHub requires
        text = format_markdown(problems, args.lang, lookup, max_bytes=SUMMARY_MAX_BYTES)
    else:
        text = format_problems(problems, args.format, args.lang, lookup)
    if text:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
