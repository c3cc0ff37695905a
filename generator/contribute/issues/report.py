"""The report a submitted issue gets as a comment: every problem in zh-TW and English, with
the form field to change and how, then a preview of the file. It begins with
:data:`MARKER`, by which the workflow finds its own comment and edits it in place.

Every problem, those that only reading an issue meets (``issue-*``) included, has its
messages in the catalogue (:mod:`generator.validation.messages`); values from the issue are escaped for
GitHub Markdown by :func:`generator.core.escape.gfm_text`.
"""

from __future__ import annotations

import re

from ...core.escape import gfm_code_block, gfm_text
from ...core.problems import Problem
from ...validation.messages import FORM_HINTS, HINT_LABEL, form_hint
from ...validation.reporting import message_of, visible

MARKER = "<!-- kb-issue-entry -->"
LEVEL_ORDER = {"error": 0, "warning": 1, "notice": 2}



def _field_label(p: Problem, items: list) -> str:
    name = p.args.get("field") or p.args.get("key") or ""
    path = tuple(re.sub(r"\[\d+\]", "", str(name)).split(".")) if name else ()
    if p.code == "section-missing":
        return f"{p.args.get('zh', '')} {p.args.get('en', '')}".strip()
    if p.code == "one-of-missing":  # the group's first box, not the object's first
        found = next((i.label for i in items if i.group and i.path[:len(path)] == path), None)
        if found:
            return found
    for item in items:
        if item.id == name or (path and item.path and path[:len(item.path)] == item.path):
            return item.label
    for item in items:
        if path and item.path and item.path[0] == path[0]:
            return item.label
    return ""


_KEY_RE = re.compile(r"^( {0,2})([A-Za-z_][\w-]*):")


def _front_matter_box(p: Problem, items: list, lines: list[str]) -> str | None:
    """The box of a problem on a line of the front matter that names no field (a related entry
    that does not exist, a condition an offer needs): the key the line is under. None when the
    line is not in the front matter."""
    end = next((i for i, line in enumerate(lines[1:], 2) if line == "---"), 0)  # the closing fence's line
    if not (lines and lines[0] == "---" and 1 < p.line < end):
        return None
    sub = None
    for line in reversed(lines[1:p.line]):
        m = _KEY_RE.match(line)
        if m and m.group(1):
            sub = sub or m.group(2)
        elif m:
            path = (m.group(2), sub) if sub else (m.group(2),)
            return next((i.label for i in items if i.path == path), None) or \
                next((i.label for i in items if i.path[:1] == path[:1]), "")
    return ""


def _box_of(p: Problem, items: list, text: str) -> str:
    """The form's box a problem of the body came from: the section its line is under."""
    box = _front_matter_box(p, items, (text or "").split("\n"))
    if box is not None:
        return box
    lines = (text or "").split("\n")[: max(0, p.line - 1)]
    heading = next((line[3:].strip() for line in reversed(lines) if line.startswith("## ")), None)
    if heading is None:
        return next((i.label for i in items if i.shape == "body"), "")
    for item in items:
        if item.shape == "section" and item.section.matches(heading):
            return item.label
    return next((i.label for i in items if i.shape == "more"), heading)


def _problem_lines(n: int, p: Problem, items: list, text: str) -> list[str]:
    label = _field_label(p, items)
    if not label and p.path != "issue" and p.line > 1:
        label = _box_of(p, items, text)  # the body: a form has boxes, not lines
    where = f"**{gfm_text(label)}**" if label else "issue"
    level = {"error": "", "notice": " 請確認 please check"}.get(p.level.value, " 警告 warning")
    out = [f"{n}. {where}{level} (`{p.code}`)"]
    for lang in ("zh-TW", "en"):
        msg, hint = message_of(p, lang)
        if p.code in FORM_HINTS and label:
            hint = form_hint(p.code, {k: visible(v) if isinstance(v, str) else v for k, v in p.params}, lang, label)
        sep = "：" if lang == "zh-TW" else ": "
        shown = gfm_text(msg) + (f" — {HINT_LABEL[lang]}{sep}{gfm_text(hint)}" if hint else "")
        out.append(f"   - {shown}")
    return out


PREVIEW_MIN = 2_000  # characters left for the file's preview below which it is not shown at all


def _preview(res, room: int, measure, url: str) -> list[str]:
    """The file as written, in a code block, within ``room``: only its beginning (and said so)
    if the whole does not fit."""
    text = res.text.rstrip("\n")
    head = ["", "<details><summary>產生的檔案 The file as written</summary>", ""]
    whole = head + [gfm_code_block(text, "markdown"), "", "</details>"]
    if measure("\n".join(whole)) + 1 <= room:
        return whole
    page_zh = f"這次檢查的 Summary 頁面（{url}）" if url else "這次檢查的 Summary 頁面"
    page_en = f"the check's Summary page ({url})" if url else "the check's Summary page"
    where_zh, where_en = ("合併請求的「Files changed」", "the pull request's Files changed") if res.valid else (page_zh, page_en)
    frame = head + ["", f"（檔案很長，這裡只顯示開頭；完整的檔案在{where_zh}。） (The file is long: only its beginning"
                        f" is shown here; all of it is in {where_en}.)", "", "</details>"]
    room_for_block = room - measure("\n".join(frame)) - 2
    if room_for_block < PREVIEW_MIN:
        short = ["", f"產生的檔案放不下這則留言，請見{where_zh}。 The file does not fit in this comment: see {where_en}."]
        return short if measure("\n".join(short)) <= room else []
    budget = room_for_block
    while True:  # the fence grows with the text's own backticks: measure the block itself
        block = gfm_code_block(text[:budget], "markdown")
        over = measure(block) - room_for_block
        if over <= 0:
            return head + [block] + frame[len(head):]
        budget -= over


def render_report(res, url: str = "", limit: int | None = None, measure=None, artifact: str = "",
                  summary: bool = True) -> str:
    """The report for the issue. ``limit`` (characters as ``measure`` counts them; GitHub's:
    :func:`generator.contribute.ghcomment.comment_length`): the first problems in full, then how many more
    and where they all are (``url``, the run's page, and its ``artifact``), then the file, cut
    if it does not fit (``summary``: whether the note names the Summary page, which the job
    summary itself does not). Without a limit: every problem and the whole file."""
    from ..ghcomment import comment_length, more_note

    measure = measure or comment_length
    out = [MARKER]
    errors = [p for p in res.problems if p.level.value == "error"]
    if res.valid:
        out += ["## ✅ 條目檢查通過 The entry is valid", "",
                f"檔案 File: `{res.rel}`。編輯小組會在合併請求中審閱。 The editors review it in the pull request."]
    else:
        out += [f"## ❌ 有 {len(errors)} 個問題要修正 {len(errors)} problem(s) to fix", "",
                "請編輯這個 issue（右上角 ··· → Edit）修正下列欄位；存檔後會自動重新檢查。",
                "Edit this issue (··· → Edit, top right) and correct the fields below; it is checked again when saved.",
                ""]
    items = getattr(res, "items", [])
    size = measure("\n".join(out)) + 1
    problems = sorted(res.problems, key=lambda p: LEVEL_ORDER.get(p.level.value, 0))  # what to fix first
    for n, p in enumerate(problems, 1):
        lines = _problem_lines(n, p, items, res.text)
        grow = measure("\n".join(lines)) + 1
        rest = len(problems) - n  # a note on those left out must fit after this one
        after = measure(more_note(rest, url, artifact, summary)) + 2 if rest else 0
        if limit is not None and size + grow + after > limit:
            note = more_note(rest + 1, url, artifact, summary)
            out += ["", note]
            size += measure(note) + 2
            break
        out += lines
        size += grow
    if res.text:
        out += _preview(res, (limit - size - 1) if limit is not None else 10**12, measure, url)
    return "\n".join(out) + "\n"
