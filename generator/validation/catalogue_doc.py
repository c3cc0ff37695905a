"""The problem-code table of CONTRIBUTING.md, written from the catalogue in :mod:`generator.validation.messages`.

The table sits between two marker comments in CONTRIBUTING.md; everything outside them is
hand-written prose. Regenerate it after changing a message with ``kb sync`` (which writes every
generated file; ``kb sync --check`` exits 1 if one is stale).

Every text of the catalogue is written into a table cell as plain text: Markdown and HTML
characters are escaped, so a message can neither break the table (``|``, a new line) nor
turn into a tag or a link. Spans in backticks stay code, as the messages mean them.
Placeholders such as ``{field}`` are shown as 〔欄位〕 in Chinese and ‹field› in English.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
from pathlib import Path

from .messages import CATALOGUE, HINT_LABEL

START = "<!-- problem-codes:start -->"
END = "<!-- problem-codes:end -->"
GENERATED_NOTE = ("<!-- Generated from generator/validation/messages.py: do not edit by hand, run "
                  "`kb sync` instead. -->")
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "CONTRIBUTING.md"

# Areas the table is grouped by, in reading order: (zh-TW, English, exact codes, code prefixes).
# A code no area claims is listed under the last heading, so none is ever left out.
AREAS: tuple[tuple[str, str, frozenset[str], tuple[str, ...]], ...] = (
    ("檔案與資料夾", "Files and folders",
     frozenset({"content-missing", "kind-unknown", "stray-file", "bundle-no-index", "slug-invalid",
                "slug-mismatch", "duplicate-slug", "duplicate-entry", "duplicate-title"}),
     ("file-",)),
    ("前置資料（YAML）", "Front matter (YAML)", frozenset({"text-control-char"}), ("fm-", "yaml-")),
    ("欄位與值", "Fields and values",
     frozenset({"placeholder", "entry-ref-form", "related-missing", "year-mismatch", "one-of-missing",
                "budget-currency", "personal-contact", "duplicate-url"}),
     ("key-", "value-", "type-", "text-", "date-", "number-", "list-", "exchange-", "job-", "partnership-")),
    ("登錄表（標籤、機構、組織）", "Registries (tags, institutions, organizations)", frozenset(),
     ("ref-", "registry-")),
    ("正文", "Body", frozenset({"section-missing", "attr-list"}), ("body-", "raw-html", "html-")),
    ("連結", "Links", frozenset(), ("link-", "image-")),
    ("附件", "Attachments", frozenset({"entry-too-large"}), ("attachment",)),
    ("建置出的網站", "The built site", frozenset({"entry-build-error"}), ("site-",)),
    ("Git 歷史", "Git history", frozenset(), ("history-",)),
    ("表單投稿", "Issue forms", frozenset(), ("issue-",)),
)
OTHER = ("其他", "Other")

# What a placeholder stands for, as a reader would say it: (zh-TW, English).
# A placeholder not listed here is shown by its own name.
PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "allowed": ("可用清單", "allowed list"), "attribute": ("屬性", "attribute"),
    "available": ("現有檔案", "files present"), "char": ("字元", "character"),
    "choices": ("可用的值", "allowed values"), "count": ("數量", "count"), "columns": ("欄數", "columns"),
    "comment": ("被當成註解的文字", "text read as a comment"), "row": ("行號", "line"), "depth": ("層數", "depth"),
    "detail": ("詳細說明", "detail"), "en": ("英文段落名稱", "English heading"),
    "zh": ("中文段落名稱", "Chinese heading"), "start": ("開始", "start"), "end": ("結束", "end"),
    "start_value": ("開始日期", "start date"), "end_value": ("結束日期", "end date"),
    "entry": ("條目", "entry"), "error": ("錯誤說明", "error"), "example": ("例子", "example"),
    "expected": ("應有的型態", "expected type"), "ext": ("副檔名", "extension"), "field": ("欄位", "field"),
    "file": ("檔名", "file name"), "first": ("行號", "line"), "folder": ("資料夾", "folder"),
    "key": ("欄位名稱", "key"), "keys": ("欄位名稱", "keys"), "kinds": ("種類清單", "kinds"),
    "label": ("欄位說明", "label"), "length": ("字數", "length"), "limit": ("上限", "limit"),
    "markup": ("標記", "markup"), "maximum": ("最大值", "maximum"), "minimum": ("最小值", "minimum"),
    "name": ("字元名稱", "character name"), "offer": ("刊登類型", "offer type"),
    "other": ("另一個條目", "other entry"), "page": ("網頁", "page"), "reason": ("原因", "reason"),
    "registry": ("登錄表名稱", "registry"), "scheme": ("連結開頭", "scheme"), "shown": ("列出數", "number shown"),
    "since": ("開始年份", "since"), "size": ("大小", "size"), "slug": ("代稱", "slug"),
    "tag": ("標籤", "tag"), "target": ("目標", "target"), "url": ("網址", "URL"), "value": ("值", "value"),
    "yaml_type": ("型態", "type"), "year": ("年份", "year"),
    "names": ("子欄位名稱", "names of the fields"), "names_en": ("子欄位名稱", "names of the fields"),
    "first_key": ("第一個子欄位", "first key"), "wrong": ("打錯的欄位", "mistyped key"),
    "stored": ("存下的值", "stored value"), "roc": ("民國年", "Minguo year"), "month": ("月", "month"),
    "day": ("日", "day"), "days": ("天數", "days"), "given": ("寫的星期", "weekday written"),
    "actual": ("實際的星期", "actual weekday"), "unit": ("單位", "unit"), "number": ("數字", "number"),
    "label_en": ("欄位說明", "label"),
}
SLOT = {"zh-TW": "〔{}〕", "en": "‹{}›"}

INTRO = (
    "每一列是一個問題代碼：它的意思（檢查時顯示的訊息）與修正方式。"
    "〔 〕中的字是訊息出現時會換成實際內容的部分，例如〔欄位〕會是出錯的欄位名稱。\n"
    "Each row is one problem code: what it means (the message the check prints) and how to fix it. "
    "Words in ‹ › stand for what the message will name, e.g. ‹field› is the key that has the problem."
)
HEADER = ("| 代碼 · code | 意思與修正方式 | meaning and how to fix |\n"
          "|---|---|---|")

# Characters Markdown or HTML would act on in running text (GitHub-flavoured Markdown):
# each is shown as itself. `&` and `<` `>` become entities, the rest a backslash escape.
_PLAIN = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|",
          "~": "\\~", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
_PLAIN_RE = re.compile("[" + re.escape("".join(_PLAIN)) + "]")
_BACKTICKS = re.compile(r"`+")


def _plain(text: str) -> str:
    return _PLAIN_RE.sub(lambda m: _PLAIN[m.group()], text)


def _code(text: str) -> str:
    """A code span: shown verbatim, only `|` escaped (a GFM table reads `\\|` as a pipe even in code)."""
    text = text.replace("|", "\\|")
    fence = "`" * (max((len(r) for r in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inline(text: str) -> str:
    """One line of a message as Markdown: backtick pairs stay code spans, everything else is text."""
    out, pos = [], 0
    runs = list(_BACKTICKS.finditer(text))
    i = 0
    while i < len(runs):
        opener = runs[i]
        closer = next((r for r in runs[i + 1:] if len(r.group()) == len(opener.group())), None)
        if closer is None or not text[opener.end():closer.start()].strip():
            i += 1
            continue
        out.append(_plain(text[pos:opener.start()]))
        out.append(_code(text[opener.end():closer.start()]))
        pos = closer.end()
        i = runs.index(closer) + 1
    out.append(_plain(text[pos:]))
    return "".join(out)


def _slots(text: str, lang: str) -> str:
    """The message with each ``{placeholder}`` replaced by its reader's name (``{{`` is a brace)."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            label = PLACEHOLDERS.get(name, (name, name.replace("_", " ")))[0 if lang == "zh-TW" else 1]
            parts.append(SLOT[lang].format(label))
    return "".join(parts)


def cell(text: str, lang: str) -> str:
    """A catalogue text as the content of one table cell: one line, nothing Markdown or HTML acts on.
    A new line in the text becomes ``<br>`` and its indentation non-breaking spaces."""
    lines = []
    for line in _slots(text, lang).splitlines() or [""]:
        stripped = line.lstrip(" ")
        lines.append("&nbsp;" * (len(line) - len(stripped)) + _inline(stripped))
    return "<br>".join(lines).strip()


def area_of(code: str) -> tuple[str, str]:
    for zh, en, exact, prefixes in AREAS:
        if code in exact or code.startswith(prefixes):
            return zh, en
    return OTHER


def render_table(catalogue: dict[str, tuple[str, str, str, str]] = CATALOGUE) -> str:
    """The whole catalogue as Markdown: one table per area, codes in catalogue order."""
    groups: dict[tuple[str, str], list[str]] = {(zh, en): [] for zh, en, _, _ in AREAS}
    groups[OTHER] = []
    for code in catalogue:
        groups[area_of(code)].append(code)
    out = [GENERATED_NOTE, "", INTRO]
    for (zh, en), codes in groups.items():
        if not codes:
            continue
        out += ["", f"### {zh} · {en}", "", HEADER]
        for code in codes:
            zh_msg, zh_hint, en_msg, en_hint = catalogue[code]
            zh_cell = f"{cell(zh_msg, 'zh-TW')}<br>**{HINT_LABEL['zh-TW']}**：{cell(zh_hint, 'zh-TW')}"
            en_cell = f"{cell(en_msg, 'en')}<br>**{HINT_LABEL['en']}**: {cell(en_hint, 'en')}"
            out.append(f"| {_code(code)} | {zh_cell} | {en_cell} |")
    return "\n".join(out) + "\n"


class MarkersMissing(ValueError):
    pass


def updated(document: str, table: str | None = None) -> str:
    """The document with the text between the markers replaced by the generated table."""
    start, end = document.find(START), document.find(END)
    if start < 0 or end < start:
        raise MarkersMissing(f"{START} … {END}")
    table = render_table() if table is None else table
    return document[:start + len(START)] + "\n" + table + document[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.validation.catalogue_doc",
        description="更新 CONTRIBUTING.md 的問題代碼表 · rewrite the problem-code table in CONTRIBUTING.md")
    parser.add_argument("--check", action="store_true",
                        help="只檢查，表格過期時結束代碼為 1 · only check; exit 1 if the table is stale")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    document = args.path.read_text(encoding="utf-8")
    try:
        new = updated(document)
    except MarkersMissing:
        print(f"{args.path} 中找不到標記 {START} 與 {END} · "
              f"the markers {START} and {END} are not in {args.path}", file=sys.stderr)
        return 2
    if new == document:
        if args.check:
            print(f"{args.path.name}：問題代碼表是最新的 · the problem-code table is up to date")
        return 0
    if args.check:
        print(f"{args.path.name} 的問題代碼表已過期：請執行 kb sync · "
              f"the problem-code table in {args.path.name} is stale: run kb sync",
              file=sys.stderr)
        return 1
    args.path.write_text(new, encoding="utf-8", newline="\n")
    print(f"已更新 {args.path.name} 的問題代碼表（{len(CATALOGUE)} 個代碼）· "
          f"updated the problem-code table in {args.path.name} ({len(CATALOGUE)} codes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
