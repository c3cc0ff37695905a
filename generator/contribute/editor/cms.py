"""The web editor's configuration (Decap CMS), written from the kind modules and registries.

Decap CMS edits Markdown files with YAML front matter through a form per collection. Its
``config.yml`` is never kept by hand: this module writes it from the same kinds, vocabularies
and registries ``kb validate`` checks against, so a form can only offer what validation
accepts, and a new field, tag or kind reaches the editor at the next build.

How the schema becomes a form (see :func:`widget`):

* every kind is one folder collection in its folder under ``content/``; an entry is saved as
  a bundle (``<slug>/index.md``) with its uploads beside it (``media_folder: ""``), so a
  picture in the body is ``![說明](photo.jpg)`` and an attachment's ``file`` is ``flyer.pdf``;
* the file name is typed by the contributor in the form's first field, ``slug`` (lower-case
  letters, digits and hyphens, checked in the form with ``kb validate``'s pattern); the
  collection's slug template is that field, never a Chinese title. Decap's ``meta.path``
  would keep it out of the file, but it moves a single-file entry (``tools/ifla.md``) to
  ``tools/index.md`` when edited; ``slug:`` in the front matter is checked against the file
  name instead (``slug-mismatch``);
* text is ``string`` (``text`` when it may hold several lines), with its length limit as a
  pattern; dates and numbers are our own text boxes (``kb-date``, ``kb-number`` in
  kb-admin.js), not Decap's: a date typed as 2026/10/5 or 115/10/5 is stored as 2026-10-05 and
  the box says so, a number typed as 1,234 is stored as 1234, and what cannot be read (約400人,
  a month 13, a year before 1950) is refused in place with the reason (Decap's date picker
  stored 1905-02-02 for 2026/10/5, its number box 400 for 約400人, without a word);
* vocabularies and registries (tags, institutions, organizations) are selects (``kb-select``:
  Decap's, in Chinese, where a backspace in the filter no longer removes a chosen value),
  labelled in zh-TW then English (once when the two are the same), storing the id; lists of
  them are multi-selects;
* ``visibility`` is a choice written into every new entry (公開 preselected, 內部 beside
  it); ``consent`` is a switch that is off until turned on and written either way;
  ``featured`` (set by curators) is hidden;
* the body is the Markdown editor, pre-filled with the kind's required section headings, each
  with the template's placeholder under it (``<請填寫 Fill in: body …>``, which kb validate
  refuses if it is left);
* the form's first field is ``kb_checks`` (the ``kb-checks`` widget, never written to the file):
  before a save it lists every problem kb validate would report, by the label of the box it
  concerns, and marks each box; :func:`rules` writes what it checks (``kb-rules.json``).

Labels and hints are zh-TW first, then English; the editor's own interface is ``zh_Hant``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from ...core.escape import NOT_TEXT_RE
from ...kinds import KINDS, Kind
from ...model.fieldbase import PLACEHOLDER_RE, body_placeholder
from ...model.fields import (
    Boolean,
    Choice,
    Date,
    Email,
    EntryRef,
    Field,
    FilePath,
    Integer,
    ListOf,
    Number,
    Object,
    Ref,
    Text,
    Url,
)
from ...model.scalarfields import EMAIL_RE, ENTRY_REF_RE, MAX_DIGITS, PLAUSIBLE_FROM
from ...validation import messages
from ...validation.loading import MEDIA_FOLDER

LOCAL_BACKEND_URL = "http://127.0.0.1:8081/api/v1"
# There is no shared media library: files an entry uses are uploaded from its own form, beside
# its index.md, where kb validate checks them as attachments (type by content, size, name).
# Decap's schema still requires a top-level media_folder (its header's "media" button opens
# it; kb-admin.css hides the button): it is this folder inside content/, where kb validate
# refuses any file (media-folder-file), and kb edit's decap-server reads and writes nothing outside
# content/. A folder outside content/ (as "uploads" was) is read by no check, and Decap showed
# its files on the editor's origin.
SHARED_MEDIA = f"content/{MEDIA_FOLDER}"
HIDDEN = ("featured",)  # set by curators in review, never by the form
EMAIL_PATTERN = EMAIL_RE.pattern  # kb validate's own (it reads the same in JavaScript)
URL_PATTERN = r"^https?://[^\s/?#]+\S*$"  # a host is required, as kb validate requires
ENTRY_REF_PATTERN = ENTRY_REF_RE.pattern
DATE_FORMAT = "YYYY-MM-DD"
SELECT = "kb-select"  # Decap's select, in Chinese (kb-admin.js)
# Where the form says it better than the file-oriented help of the schema.
CMS_HINTS = {
    "visibility": "公開：發布到網站；內部：只存在儲存庫，不發布。 / Public: published on the site; internal: kept in "
                  "the repository only.",
    "attachments": "按「選擇一個檔案」上傳；檔案會和這篇條目放在同一個資料夾。圖片也可以從內文工具列的「+」插入。 / "
                   "Upload with “choose a file”: files are kept in the entry's own folder. Pictures can also be "
                   "inserted in the body with the “+” button.",
    "file": "只選這篇條目自己的檔案（剛上傳的那一個）。 / Choose this entry's own file (the one just uploaded).",
    "consent": "當事人同意公開自己的個人信箱或手機時，打開這個開關。 / Turn it on when the person agreed to publish "
               "their own e-mail address or mobile number.",
    "authors": "填您的姓名；多位作者請按「新增作者」。 / Your name; add co-authors with the button.",
    "date": "寫這篇的日期（通常按「今天」）；活動、會議的日期填在下方各自的欄位。 / The day you write this "
            "(usually 今天, today); event dates go in their own fields below.",
    "amount": "只填阿拉伯數字；填了金額，請一併選「幣別」。 / Digits only; with an amount, choose the currency too.",
}
DATE_HINT = ("寫成 2026-10-05、2026/10/5 或民國 115/10/5 都可以；框的下方會顯示要儲存的日期，請確認。 / Type "
             "2026-10-05, 2026/10/5 or a Minguo date (115/10/5): the date to be stored is shown below the box.")
NUMBER_HINT = ("只填阿拉伯數字，例如 412（可以有千分位逗號）；不要加單位或「約」。 / Digits only, e.g. 412 (thousands "
               "separators are fine); no unit, no “about”.")
GROUP_HINT = "{names}至少要填一項。 / At least one of {names_en}."
# The form's first field: the summary of every check (kb-admin.js's kb-checks widget; never saved).
CHECKS_FIELD = {"name": "kb_checks", "label": "檢查結果 Checks", "widget": "kb-checks", "required": False}
REGISTRY_HINT = ("可以打字篩選。清單裡沒有時，請在合併請求留言請編輯小組新增，新增後再回來選。 / Type to filter. If it is "
                 "not listed, ask the editors in the pull request to add it, then choose it.")
# No "pattern": kb-admin.js's kb-slug widget checks SLUG_RE itself, with one message (Decap
# would list its pattern message beside it: two for one mistake).
SLUG_WIDGET = {
    "widget": "kb-slug",  # kb-admin.js: required of a new entry, read-only on an existing one
    "label": "英文短名（網址） Slug",
    "hint": "新條目必填：會成為資料夾名與網址的最後一段，如 zotero-guide；只用小寫英文字母、數字與連字號。已有的條目"
            "顯示它的檔名，不能更改。 / Required for a new entry: its folder name and the end of its URL. An existing "
            "entry shows its file name, which cannot change here.",
}


@dataclass(frozen=True)
class Backend:
    """Where the editor reads and writes: the local ``decap-server`` (``kb edit``, tests) or
    GitHub, through the site owner's sign-in service (``kb.yml``'s ``editor``)."""

    repo: str | None = None  # owner/name on GitHub; None: the local decap-server only
    branch: str = "main"
    base_url: str | None = None  # the OAuth service (https://…) GitHub sign-in goes through
    auth_endpoint: str | None = None
    site_domain: str | None = None  # with Netlify as the sign-in service: the Netlify site's domain
    local_url: str | None = None  # the local decap-server's API, e.g. LOCAL_BACKEND_URL
    editorial_workflow: bool = True  # drafts become pull requests (branches, locally)

    def config(self) -> dict[str, Any]:
        if self.repo:
            out: dict[str, Any] = {"name": "github", "repo": self.repo, "branch": self.branch,
                                   "open_authoring": True, "always_fork": False}
            if self.base_url:
                out["base_url"] = self.base_url
            if self.auth_endpoint:
                out["auth_endpoint"] = self.auth_endpoint
            if self.site_domain:
                out["site_domain"] = self.site_domain
        else:
            # Only the local backend is reachable: a "proxy" backend pointing at it.
            out = {"name": "proxy", "proxy_url": self.local_url or LOCAL_BACKEND_URL, "branch": self.branch}
        out["commit_messages"] = {
            "create": "新增{{collection}}：{{slug}} (Create {{collection}} “{{slug}}”)",
            "update": "修改{{collection}}：{{slug}} (Update {{collection}} “{{slug}}”)",
            "delete": "刪除{{collection}}：{{slug}} (Delete {{collection}} “{{slug}}”)",
            "uploadMedia": "上傳附件 {{path}} (Upload “{{path}}”)",
            "deleteMedia": "刪除附件 {{path}} (Delete “{{path}}”)",
            "openAuthoring": "{{message}}",
        }
        return out


def _both(zh: str, en: str) -> str:
    """zh-TW then English, once when they are the same (LINE, not LINE LINE)."""
    if zh and en and zh.casefold() == en.casefold():
        return zh
    return " ".join(x for x in (zh, en) if x)


def _option(shown: str, value: str) -> dict[str, str]:
    """An option's label ends with its id, unless the label already is the id (LINE, line)."""
    if shown.casefold() == value.casefold():
        return {"label": shown, "value": value}
    return {"label": f"{shown} ({value})", "value": value}


def _hint(f: Field) -> str | None:
    parts = [p for p in (f.hint_zh, f.hint_en) if p]
    return " / ".join(parts) or None


def _lists_ids(f: Field, t) -> bool:
    """A choice whose help only lists its ids (choice()'s default): the options name them already."""
    return isinstance(t, Choice) and f.help_lists is not None and not f.help_zh


def _options_vocab(vocab) -> list[dict[str, str]]:
    return [_option(_both(t.zh, t.en), t.id) for t in vocab.terms]


def _options_registry(ref: Ref, registries) -> list[dict[str, str]] | None:
    reg = registries.get(ref.registry) if registries is not None else None
    if reg is None or not reg.items:
        return None
    return [_option(_both(reg.label(i), reg.label(i, "en")), i) for i in reg.items]


def _pattern_max(n: int) -> list[str]:
    return [f"^[\\s\\S]{{0,{n}}}$", f"最多 {n} 個字 / at most {n} characters"]


def _scalar(t, registries) -> dict[str, Any]:
    """The widget settings of a single value of type ``t`` (no name, label or required)."""
    if isinstance(t, Text):
        out: dict[str, Any] = {"widget": "text" if t.multiline else "string"}
        if t.max_length:
            out["pattern"] = _pattern_max(t.max_length)
        return out
    if isinstance(t, Date):
        # A text box that reads the ways dates are written and stores YYYY-MM-DD (kb-admin.js).
        return {"widget": "kb-date", "format": DATE_FORMAT}
    if isinstance(t, (Integer, Number)):
        limits = t.json_schema()  # the validator's own bounds
        out = {"widget": "kb-number", "value_type": "int" if isinstance(t, Integer) else "float"}
        out.update({ours: limits[theirs] for theirs, ours in (("minimum", "min"), ("maximum", "max")) if theirs in limits})
        if getattr(t, "units", ()):  # the field's own unit, read and left out (400人 in attendance: 400, said)
            out["units"] = list(t.units)
        return out
    if isinstance(t, Boolean):
        return {"widget": "boolean", "default": False}
    if isinstance(t, Url):
        return {"widget": "string", "pattern": [URL_PATTERN, "以 https:// 或 http:// 開頭的網址 / a web address starting with https://"]}
    if isinstance(t, Email):
        return {"widget": "string", "pattern": [EMAIL_PATTERN, "電子郵件，如 service@library.example.org / an e-mail address"]}
    if isinstance(t, Choice):
        return {"widget": SELECT, "options": _options_vocab(t.vocabulary)}
    if isinstance(t, Ref):
        options = _options_registry(t, registries)
        if options is None:  # an empty or missing registry: typed as an id
            return {"widget": "string"}
        return {"widget": SELECT, "options": options}
    if isinstance(t, FilePath):
        return {"widget": "file", "choose_url": False, "media_folder": "", "public_folder": ""}
    if isinstance(t, EntryRef):
        return {"widget": "string", "pattern": [ENTRY_REF_PATTERN, "資料夾/代稱，如 tools/zotero / folder/slug, e.g. tools/zotero"]}
    raise TypeError(f"no widget for {type(t).__name__}")


def widget(f: Field, registries, *, optional: bool = False) -> dict[str, Any]:
    """One field as a Decap widget. ``optional``: inside an object that is itself optional."""
    t = f.type
    out: dict[str, Any] = {"name": f.name, "label": _both(f.zh, f.en) or f.name,
                           "required": bool(f.required) and not optional}
    hint = CMS_HINTS.get(f.name, _hint(f))
    if f.name in HIDDEN:
        return {"name": f.name, "label": out["label"], "widget": "hidden", "required": False}
    if isinstance(t, Object):
        out.update(widget="object", collapsed=False,
                   fields=[widget(sf, registries, optional=not f.required) for sf in t.fields])
        group = _group(t, bool(f.required) and not optional)
        if group:  # at least one of them: said first, on the object and on each of them
            names = "或".join(f"「{g.zh}」" for g in group)
            names_en = " or ".join(g.en for g in group)
            hint = GROUP_HINT.format(names=names, names_en=names_en) + (f" {hint}" if hint else "")
            for sub, sf in zip(out["fields"], t.fields):
                if sf in group:
                    zh = f"{names}至少要填一項" + (f"；{sf.hint_zh}" if sf.hint_zh else "。")
                    en = f"at least one of {names_en}" + (f"; {sf.hint_en}" if sf.hint_en else ".")
                    sub["hint"] = f"{zh} / {en[0].upper()}{en[1:]}"
    elif isinstance(t, ListOf):
        item = t.item
        if isinstance(item, Object):
            first = item.fields[0].name
            out.update(widget="list", collapsed=False, summary=f"{{{{fields.{first}}}}}",
                       fields=[widget(sf, registries) for sf in item.fields])
        else:
            spec = _scalar(item, registries)
            if spec["widget"] == SELECT:
                out.update(spec, multiple=True)
                if _lists_ids(f, item):
                    hint = None
            else:
                out.update(widget="list", field={"name": "item", "label": out["label"], **spec})
        if out["widget"] == "list":
            # Without it, a list of objects one of whose fields has a default starts with one
            # half-empty item, which then blocks saving (Decap's createEmptyDraftData).
            out["default"] = []
        if t.min_items:
            out["min"] = t.min_items
        hint = f"{hint}（可加多項 / add as many as needed）" if hint else "可加多項 / add as many as needed"
    else:
        out.update(_scalar(t, registries))
        if _lists_ids(f, t):
            hint = None
        if isinstance(t, Date):  # the picker writes the format the schema's help describes
            hint = CMS_HINTS.get(f.name, DATE_HINT)
        if isinstance(t, (Integer, Number)) and not hint:
            hint = NUMBER_HINT
        if f.default is not None and not isinstance(t, Boolean):
            out["default"] = f.default
    # The help names the registry file: in a select, its items are the options.
    if (isinstance(t, Ref) or (isinstance(t, ListOf) and isinstance(t.item, Ref))) and out.get("widget") == SELECT:
        hint = REGISTRY_HINT
    if hint:
        out["hint"] = hint
    return out


def _group(t: Object, required: bool) -> tuple[Field, ...]:
    """The fields of an object of which at least one must be filled in (a contact's e-mail or
    phone), when the object is required: fields.Object's ``one_of`` (required_group)."""
    group = getattr(t, "required_group", None)
    if group is not None:
        return tuple(group(required))
    names = getattr(t, "one_of", ()) or next((r["fields"] for r in _checks(t) if r["type"] == "one_of"), ())
    return tuple(f for f in t.fields if f.name in names) if required else ()


def body_default(kind: Kind) -> str:
    """The body a new entry starts with: each required section's heading, in order, with the
    template's placeholder under it as a paragraph of its own (the place to click and write;
    kb validate refuses it if it is left, body-section-template)."""
    if not kind.sections:
        return ""
    return "\n\n".join(f"## {s.zh} {s.en}\n\n{body_placeholder(s.zh, s.en)}" for s in kind.sections) + "\n"


def collection(kind: Kind, registries) -> dict[str, Any]:
    fields = [widget(f, registries) for f in kind.schema.fields]
    # The slug first: a new entry's folder and URL. Not required by the form, or entries
    # written before the editor could not be saved; kb-admin.js requires it of a new entry.
    slug = next(i for i, f in enumerate(fields) if f["name"] == "slug")
    own = {k: v for k, v in fields.pop(slug).items() if k != "pattern"}  # its length: SLUG_RE's too
    fields.insert(0, {**own, **SLUG_WIDGET})
    fields.insert(0, dict(CHECKS_FIELD))
    body_hint = ("在每個標題下，把「<請填寫 …>」換成這一段的內容；標題請保留。要把標題改回一般文字，按工具列的「內文」。 / "
                 "Under each heading, replace the <請填寫 …> placeholder with the section; keep the headings. The "
                 "toolbar's 內文 turns a heading back into text."
                 if kind.sections else f"{kind.body_hint[0]} / {kind.body_hint[1]}")
    # sanitize_preview: a draft's body is a stranger's HTML too; Decap's preview pane shares the
    # editor's origin (and its GitHub token), so it is cleaned there (DOMPurify), as on the site.
    fields.append({"name": "body", "label": "內文 Body", "widget": "markdown", "required": True,
                   "sanitize_preview": True,
                   "default": body_default(kind), "hint": body_hint,
                   "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                               "bulleted-list", "numbered-list"],
                   "editor_components": ["image"]})
    return {
        "name": kind.id,
        "label": _both(kind.zh, kind.en),
        "label_singular": kind.zh,
        "description": f"{kind.description_zh} {kind.description_en}",
        "folder": f"content/{kind.folder}",
        "create": True,
        "delete": False,
        "extension": "md",
        # YAML front matter, written so that kb validate reads it as typed (kb-admin.js).
        "format": "kb-frontmatter",
        # One folder per entry: content/<kind>/<slug>/index.md, uploads beside it. The slug
        # is the form's first field (SLUG_WIDGET); existing entries keep their file.
        "path": "{{slug}}/index",
        "slug": "{{fields.slug}}",
        "media_folder": "",
        "public_folder": "",
        "identifier_field": "title",
        "summary": "{{title}} ({{date}})",
        "sortable_fields": ["date", "title"],
        "fields": fields,
    }


def config(registries, backend: Backend, *, site_url: str | None = None, kinds=None) -> dict[str, Any]:
    """The whole ``config.yml`` for ``/admin/``."""
    out: dict[str, Any] = {
        "backend": backend.config(),
        "locale": "zh_Hant",
        "media_folder": SHARED_MEDIA,
        "public_folder": f"/{MEDIA_FOLDER}",
        # Unicode: uploads keep their names (海報.png); an ASCII slug config dropped every Han
        # character from them and the upload failed without a word. Entry slugs are the slug field.
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "show_preview_links": bool(site_url),
        "editor": {"preview": True},
    }
    if backend.editorial_workflow:
        out["publish_mode"] = "editorial_workflow"
    if backend.local_url:
        out["local_backend"] = {"url": backend.local_url}
    if site_url:
        out["site_url"] = site_url
        out["display_url"] = site_url
    out["collections"] = [collection(k, registries) for k in (kinds or KINDS.values())]
    return out


# -- the rules the form applies before a save (kb-rules.json) -------------------------------------
#
# kb-admin.js checks an entry with these before Decap saves it, and says each problem in the
# form beside the box it concerns, by its label: they are kb validate's rules for one entry,
# written from the same schema (types, requiredness, lengths, ranges, allowed values, patterns,
# required groups, required body sections) and worded from the same catalogue. Checks of a
# kind that are Python functions are mirrored when they are known (below); the others are
# left to kb validate itself, which kb edit runs on the entry before it is saved
# (generator/contribute/editor/checks.py) and CI runs on every pull request.

# Where the catalogue's words speak of files and lines, the form says it in its own terms.
EDITOR_WORDS: dict[str, tuple[str, str, str, str]] = {
    "key-missing": ("「{field}」必填", "請填寫這一欄。", "'{field}' is required", "fill it in."),
    "value-empty": ("「{field}」必填", "請填寫這一欄。", "'{field}' is required", "fill it in."),
    "list-too-short": ("「{field}」至少要填 {minimum} 項", "按這一欄下方的「新增」按鈕，或從選單選。",
                       "'{field}' needs at least {minimum} item(s)", "add one with the button below the box, or choose from the list."),
    "section-missing": ("內文缺少「{zh}」段落", "在內文加上標題「{zh} {en}」（工具列的「標題」→「標題 2」），並在標題下寫這一段。",
                        "the body lacks the section '{en}'", "add the heading '{zh} {en}' (toolbar: 標題 → 標題 2) and write the section under it."),
    "body-section-empty": ("「{zh}」段落是空的", "在「{zh}」標題下寫這一段的內容；真的沒有可寫的，也請寫一句說明（例如「本次沒有建議事項」）。",
                           "the section '{en}' is empty", "write the section under its heading; if there is nothing to say, say so in a sentence."),
    "body-section-template": ("「{zh}」段落還是範本的提示文字", "把「{zh}」標題下的「<請填寫 …>」整段刪掉，換成這一段的內容。",
                              "the section '{en}' still holds the template's text", "replace the <請填寫 …> paragraph under the heading with the section itself."),
    "placeholder": ("「{field}」還是範本的提示文字", "把「<請填寫 …>」刪掉，換成實際的內容。",
                    "'{field}' still holds the template's placeholder", "replace the <請填寫 …> text with the real content."),
    "personal-contact": ("「{field}」看起來是個人聯絡方式：{value}", "建議改用單位信箱或總機；若當事人同意公開，請打開「當事人同意公開」開關。",
                         "'{field}' looks like personal contact data: {value}", "use a role address or the library's number; if the person agreed, turn on 當事人同意公開 (consent)."),
    "budget-currency": ("「{field}」有金額但沒有幣別", "在「預算」選「幣別」。", "'{field}' has an amount but no currency",
                        "choose the currency in Budget."),
    "attachment-missing": ("找不到附件 {file}", "按「選擇一個檔案」重新上傳，或選這篇條目自己的檔案。",
                           "the attachment {file} is not there", "upload it again with 選擇一個檔案, or choose one of this entry's own files."),
    "attachment-outside": ("附件「{value}」不在這篇條目的資料夾裡", "按「選擇一個檔案」上傳，檔案會放在條目自己的資料夾。",
                           "the attachment '{value}' is not in the entry's folder", "upload it with 選擇一個檔案: it is kept in the entry's folder."),
    "type-date": ("「{field}」的日期「{value}」看不出是哪一天", "寫成 2026-10-05、2026/10/5 或民國 115/10/5（會自動換算）。",
                  "'{field}': '{value}' is not a date", "write 2026-10-05, 2026/10/5 or a Minguo date, 115/10/5."),
    "date-implausible": ("「{field}」的日期 {value} 年份不對：知識庫沒有 {from_year} 年以前的日期",
                         "改成正確的西元年；民國年寫三位數（例如 115/10/5），會自動換算。",
                         "the year of the date {value} in '{field}' is wrong: the knowledge base holds no date before {from_year}",
                         "write the right year; a Minguo year in three digits (115/10/5) is converted."),
    "date-order-year": ("結束日期 {end_value} 早於開始日期 {start_value}：{wrong} 的年份 {year} 多半打錯了",
                        "把「{wrong}」改成正確的西元年；民國年寫三位數（例如 115/10/5），會自動換算。",
                        "the end date {end_value} is before the start date {start_value}: the year {year} of {wrong} is most likely mistyped",
                        "correct the year of {wrong}; a Minguo year in three digits (115/10/5) is converted."),
    "slug-mismatch": ("英文短名「{value}」與檔名「{slug}」不同", "請回報這個問題：已存在的條目不能在這裡改英文短名。",
                      "the slug '{value}' differs from the file name '{slug}'", "please report it: an existing entry's slug cannot change here."),
}
# The typed-value checks of dates and numbers (kb-admin.js's kb-date and kb-number), in case the
# catalogue lacks one (it holds the issue form's, which they mirror).
TYPED_WORDS: dict[str, tuple[str, str, str, str]] = {
    "number-approximate": ("{label}「{value}」是約略的數字", "只填數字（阿拉伯數字），不要加單位或「約」。",
                           "{label_en}: '{value}' is an approximation: write the number only", "digits only: no unit, no “about”."),
    "number-unit": ("{label}「{value}」的「{unit}」不是這一欄的單位", "只填數字（阿拉伯數字），不要加單位或「約」，例如 {number}。",
                    "{label_en}: '{unit}' in '{value}' is not this box's unit: write the number only", "digits only, e.g. {number}."),
    "number-converted": ("{label}「{value}」將存為 {stored}", "數字不對的話，請改正這一欄。",
                         "{label_en}: '{value}' is stored as {stored}", "if it is wrong, correct the box."),
    "date-converted": ("{label}「{value}」將存為 {stored}", "換算得不對的話，請改正這一欄。",
                       "{label_en}: '{value}' is stored as {stored}", "if it is wrong, correct the box."),
    "date-roc-converted": ("{label}「{value}」是民國 {roc} 年，將存為 {stored}", "民國年加 1911 是西元年；換算得不對的話，請改正這一欄。",
                           "{label_en}: '{value}' is Minguo year {roc}, stored as {stored}", "a Minguo year plus 1911 is the Common Era year."),
    "date-ambiguous": ("{label}「{value}」看不出哪個是月、哪個是日", "依「年/月/日」的順序寫，例如 2026/10/5 或 2026-10-05。",
                       "{label_en}: '{value}' does not say which is the month and which the day", "write year, month, day, e.g. 2026/10/5."),
    "date-year-ambiguous": ("{label}「{value}」的年份「{year}」只有兩位數，看不出是西元還是民國", "西元年寫四位數（2026/10/5）；民國年寫三位數，或在前面加「民國」（115/10/5）。",
                            "{label_en}: the year '{year}' of '{value}' has two digits", "write a Common Era year in four digits, a Minguo year in three."),
    "date-no-month": ("{label}「{value}」的月份 {month} 不存在", "月份是 1 到 12，依「年/月/日」的順序寫，例如 2026/10/5。",
                      "{label_en}: '{value}' has no month {month}", "months run from 1 to 12."),
    "date-no-day": ("{label}「{value}」不存在：{year} 年 {month} 月只有 {days} 天", "檢查日期是否打錯。",
                    "{label_en}: '{value}' does not exist: month {month} of {year} has {days} days", "check the day."),
    "date-weekday": ("{label}「{value}」寫的是星期{given}，但 {stored} 是星期{actual}", "檢查日期或星期是否打錯；只寫日期就好。",
                     "{label_en}: '{value}' says weekday {given}, but {stored} is weekday {actual}", "check the date; the date alone is enough."),
}
FORM_HINT_CODES = ("one-of-missing",)  # the issue form's hint (messages.FORM_HINTS) suits the editor
# Every code the form's own checks can report (kb-admin.js), worded from the catalogue.
FORM_CODES = (
    "key-missing", "value-empty", "text-too-long", "text-multiline", "text-control-char", "placeholder", "type-date",
    "date-invalid", "date-implausible", "type-int", "type-number", "value-range", "value-too-long", "value-url",
    "value-email", "value-choice", "list-duplicate", "list-too-short", "entry-ref-form", "attachment-outside",
    "one-of-missing", "date-order", "date-order-year", "budget-currency", "personal-contact", "section-missing",
    "body-section-empty", "body-section-template", "slug-invalid", "slug-windows-name", "duplicate-slug",
)


def words(code: str) -> tuple[str, str, str, str] | None:
    """A problem's (zh message, zh hint, en message, en hint) as the form says it."""
    if code in EDITOR_WORDS:
        zh, zh_hint, en, en_hint = (w.replace("{from_year}", str(PLAUSIBLE_FROM)) for w in EDITOR_WORDS[code])
        return zh, zh_hint, en, en_hint
    entry = messages.CATALOGUE.get(code) or TYPED_WORDS.get(code)
    if entry is None:
        return None
    hint = getattr(messages, "FORM_HINTS", {}).get(code) if code in FORM_HINT_CODES else None
    if hint:  # the issue form's words fit the web editor's boxes too
        return (entry[0], hint[0].replace("{box}", "{field}"), entry[2], hint[1].replace("{box}", "{field}"))
    return entry


def _closure(check) -> dict[str, Any]:
    code, cells = getattr(check, "__code__", None), getattr(check, "__closure__", None) or ()
    return dict(zip(code.co_freevars, (c.cell_contents for c in cells))) if code is not None else {}


def _checks(t: Object) -> list[dict[str, Any]]:
    """An object's checks the form can apply, as data: those the kinds build from a known
    function (kinds/base.py's dates_in_order, the contact's privacy check, a budget's currency)."""
    from ...kinds import base

    out: list[dict[str, Any]] = []
    for check in t.checks:
        name = getattr(check, "__qualname__", "")
        found = _closure(check)
        if name.startswith("dates_in_order.") and {"start", "end"} <= set(found):
            out.append({"type": "date_order", "start": found["start"], "end": found["end"]})
        elif name.startswith("one_of.") and "names" in found:  # before Object.one_of existed
            out.append({"type": "one_of", "fields": list(found["names"])})
        elif check is getattr(base, "_contact_privacy", None):
            out.append({"type": "personal_contact", "email": "email", "phone": "phone", "consent": "consent"})
        elif name == "_budget_check":
            out.append({"type": "requires", "if": "amount", "then": "currency", "code": "budget-currency"})
        else:
            out.append({"type": "kb-validate", "name": name})  # left to kb validate (and kb edit's check)
    return out


def _rule_type(t, registries) -> dict[str, Any]:
    if isinstance(t, Text):
        return {"type": "text", "max_length": t.max_length, "multiline": t.multiline}
    if isinstance(t, Date):
        return {"type": "date"}
    if isinstance(t, (Integer, Number)):
        return {"type": "int" if isinstance(t, Integer) else "number", "min": t.minimum, "max": t.maximum,
                "units": list(getattr(t, "units", ()))}
    if isinstance(t, Boolean):
        return {"type": "bool"}
    if isinstance(t, Url):
        return {"type": "url", "pattern": URL_PATTERN}
    if isinstance(t, Email):
        return {"type": "email", "pattern": EMAIL_PATTERN}
    if isinstance(t, Choice):
        return {"type": "choice", "values": t.vocabulary.ids()}
    if isinstance(t, Ref):
        reg = registries.get(t.registry) if registries is not None else None
        return {"type": "ref", "registry": t.registry, "values": list(reg.items) if reg is not None and reg.items else None}
    if isinstance(t, FilePath):
        return {"type": "file"}
    if isinstance(t, EntryRef):
        return {"type": "entryref", "pattern": ENTRY_REF_PATTERN}
    if isinstance(t, ListOf):
        return {"type": "list", "item": _rule_type(t.item, registries), "min_items": t.min_items, "unique": t.unique}
    if isinstance(t, Object):
        one_of = list(getattr(t, "one_of", ()) or next((r["fields"] for r in _checks(t) if r["type"] == "one_of"), ()))
        return {"type": "object", "fields": [_rule(f, registries) for f in t.fields if f.name not in HIDDEN],
                "one_of": one_of, "checks": [r for r in _checks(t) if r["type"] != "one_of"]}
    raise TypeError(f"no rule for {type(t).__name__}")


def _rule(f: Field, registries) -> dict[str, Any]:
    return {"name": f.name, "label": f.zh or f.en or f.name, "label_en": f.en or f.name,
            "required": bool(f.required), **_rule_type(f.type, registries)}


def _js_pattern(pattern: str) -> str:
    """A regular expression's characters outside printable ASCII as \\u{…} escapes (JSON holds no
    lone surrogate; JavaScript reads the escapes with its "u" flag)."""
    return "".join(c if 0x20 <= ord(c) < 0x7f else f"\\u{{{ord(c):x}}}" for c in pattern)


def rules(registries, kinds=None) -> dict[str, Any]:
    """``kb-rules.json``: what kb validate checks of one entry, as data the form applies."""
    from ...kinds.base import MOBILE_RE, ROLE_WORDS

    used = {*FORM_CODES, *TYPED_WORDS}
    return {
        "plausible_from": PLAUSIBLE_FROM,
        "max_digits": MAX_DIGITS,
        "placeholder": PLACEHOLDER_RE.pattern,  # case-insensitive
        "not_text": _js_pattern(NOT_TEXT_RE.pattern),  # read with the "u" flag
        "role_words": sorted(ROLE_WORDS),
        "mobile": MOBILE_RE.pattern,
        "words": {code: words(code) for code in sorted(used) if words(code) is not None},
        "kinds": {
            kind.id: {
                "label": kind.zh, "label_en": kind.en, "folder": kind.folder,
                **_rule_type(kind.schema, registries),
                "sections": [{"zh": s.zh, "en": s.en, "aliases": list(s.aliases),
                              "placeholder": body_placeholder(s.zh, s.en)} for s in kind.sections],
            } for kind in (kinds or KINDS.values())
        },
    }


def dump_rules(registries, kinds=None) -> str:
    import json

    return json.dumps(rules(registries, kinds), ensure_ascii=False, indent=1, default=str)


HEADER = ("# 網頁編輯器（Decap CMS）的設定：由 kb cms-config 依條目類型與代碼表產生，請勿手改。\n"
          "# The web editor's (Decap CMS) configuration, written by `kb cms-config` from the kinds and\n"
          "# registries: do not edit by hand.\n")


# What YAML 1.2's core schema reads as a null, a boolean or a number. Decap reads config.yml as
# YAML 1.2 (npm's yaml), PyYAML writes it as YAML 1.1, which quotes 0x1F but not 1e3 or 0o17:
# registry ids (valid ids) that reached the form's options as the numbers 1000 and 15, and
# were saved so, which kb validate refuses. Such text is written in quotes.
YAML12_NOT_TEXT = re.compile(r"""(?x)(?:
    ~ | null | Null | NULL | true | True | TRUE | false | False | FALSE
  | [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
  | [-+]?(?:\.[0-9]+ | [0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
  | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
)""")


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting text that YAML 1.2 would read as something else."""


def _text(dumper: yaml.SafeDumper, value: str):
    if YAML12_NOT_TEXT.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _text)


def dump(cfg: dict[str, Any]) -> str:
    return HEADER + yaml.dump(cfg, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
