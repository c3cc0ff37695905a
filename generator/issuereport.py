"""The report a submitted issue gets as a comment: every problem in zh-TW and English, with
the form field to change and how, then a preview of the file. It begins with
:data:`MARKER`, by which the workflow finds its own comment and edits it in place.

Every problem, those that only reading an issue meets (``issue-*``) included, has its
messages in the catalogue (:mod:`generator.messages`); values from the issue are escaped for
GitHub Markdown by :func:`generator.escape.gfm_text`.
"""

from __future__ import annotations

import re

from .escape import gfm_code_block, gfm_text
from .messages import FORM_HINTS, HINT_LABEL
from .problems import Problem
from .reporting import message_of

MARKER = "<!-- kb-issue-entry -->"



def _field_label(p: Problem, items: list) -> str:
    name = p.args.get("field") or p.args.get("key") or ""
    path = tuple(re.sub(r"\[\d+\]", "", str(name)).split(".")) if name else ()
    if p.code == "section-missing":
        return f"{p.args.get('zh', '')} {p.args.get('en', '')}".strip()
    for item in items:
        if item.id == name or (path and item.path and path[:len(item.path)] == item.path):
            return item.label
    for item in items:
        if path and item.path and item.path[0] == path[0]:
            return item.label
    return ""


def _box_of(p: Problem, items: list, text: str) -> str:
    """The form's box a problem of the body came from: the section its line is under."""
    lines = (text or "").split("\n")[: max(0, p.line - 1)]
    heading = next((line[3:].strip() for line in reversed(lines) if line.startswith("## ")), None)
    if heading is None:
        return next((i.label for i in items if i.shape == "body"), "")
    for item in items:
        if item.shape == "section" and item.section.matches(heading):
            return item.label
    return next((i.label for i in items if i.shape == "more"), heading)


def render_report(res) -> str:
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
    for n, p in enumerate(res.problems, 1):
        label = _field_label(p, items)
        if not label and p.path != "issue" and p.line > 1:
            label = _box_of(p, items, res.text)  # the body: a form has boxes, not lines
        where = f"**{gfm_text(label)}**" if label else "issue"
        level = "" if p.level.value == "error" else " 警告 warning"
        out.append(f"{n}. {where}{level} (`{p.code}`)")
        for lang in ("zh-TW", "en"):
            msg, hint = message_of(p, lang)
            if p.code in FORM_HINTS and label:
                hint = FORM_HINTS[p.code][0 if lang == "zh-TW" else 1].format(box=label)
            sep = "：" if lang == "zh-TW" else ": "
            text = gfm_text(msg) + (f" — {HINT_LABEL[lang]}{sep}{gfm_text(hint)}" if hint else "")
            out.append(f"   - {text}")
    if res.text:
        out += ["", "<details><summary>產生的檔案 The file as written</summary>", "",
                gfm_code_block(res.text.rstrip("\n"), "markdown"), "", "</details>"]
    return "\n".join(out) + "\n"
