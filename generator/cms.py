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
  pattern; dates are ``datetime`` widgets storing ``YYYY-MM-DD`` (Decap's default ISO
  timestamp is refused by the validator); numbers store integers or decimals as declared;
* vocabularies and registries (tags, institutions, organizations) are selects, labelled in
  zh-TW then English, storing the id; lists of them are multi-selects;
* ``visibility`` is a choice written into every new entry (公開 preselected, 內部 beside
  it); ``consent`` is a switch that is off until turned on and written either way;
  ``featured`` (set by curators) is hidden;
* the body is the Markdown editor, pre-filled with the kind's required section headings.

Labels and hints are zh-TW first, then English; the editor's own interface is ``zh_Hant``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .fields import Boolean, Choice, Date, Email, EntryRef, Field, FilePath, Integer, ListOf, Number, Object, Ref, Text, Url
from .kinds import KINDS, Kind
from .loading import MEDIA_FOLDER, SLUG_RE
from .scalarfields import EMAIL_RE, ENTRY_REF_RE

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
    "date": "寫這篇的日期（通常按「現在」）；活動、會議的日期填在下方各自的欄位。 / The day you write this "
            "(usually 現在, today); event dates go in their own fields below.",
    "amount": "只填數字；填了金額，請一併選「幣別」。 / Digits only; with an amount, choose the currency too.",
}
DATE_HINT = ("按日曆圖示選日期；要改已填的日期，先按「清除」再選。 / Pick the date from the calendar; to change "
             "one, press 清除 (clear) first.")
NUMBER_HINT = "只填數字（約略即可）。 / Digits only (an estimate will do)."
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
    return " ".join(x for x in (zh, en) if x)


def _hint(f: Field) -> str | None:
    parts = [p for p in (f.help_zh, f.help_en) if p]
    return " / ".join(parts) or None


def _lists_ids(f: Field, t) -> bool:
    """A choice whose help only lists its ids (choice()'s default): the options name them already."""
    return isinstance(t, Choice) and f.help_zh == "、".join(t.vocabulary.ids())


def _options_vocab(vocab) -> list[dict[str, str]]:
    return [{"label": f"{_both(t.zh, t.en)} ({t.id})", "value": t.id} for t in vocab.terms]


def _options_registry(ref: Ref, registries) -> list[dict[str, str]] | None:
    reg = registries.get(ref.registry) if registries is not None else None
    if reg is None or not reg.items:
        return None
    return [{"label": f"{_both(reg.label(i), reg.label(i, 'en'))} ({i})", "value": i} for i in reg.items]


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
        # Stored as the date alone: Decap's default (an ISO timestamp) is not a date to us.
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False,
                "picker_utc": True}
    if isinstance(t, (Integer, Number)):
        limits = t.json_schema()  # the validator's own bounds
        out = {"widget": "number", "value_type": "int" if isinstance(t, Integer) else "float"}
        out.update({ours: limits[theirs] for theirs, ours in (("minimum", "min"), ("maximum", "max")) if theirs in limits})
        return out
    if isinstance(t, Boolean):
        return {"widget": "boolean", "default": False}
    if isinstance(t, Url):
        return {"widget": "string", "pattern": [URL_PATTERN, "以 https:// 或 http:// 開頭的網址 / a web address starting with https://"]}
    if isinstance(t, Email):
        return {"widget": "string", "pattern": [EMAIL_PATTERN, "電子郵件，如 service@library.example.org / an e-mail address"]}
    if isinstance(t, Choice):
        return {"widget": "select", "options": _options_vocab(t.vocabulary)}
    if isinstance(t, Ref):
        options = _options_registry(t, registries)
        if options is None:  # an empty or missing registry: typed as an id
            return {"widget": "string"}
        return {"widget": "select", "options": options}
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
    elif isinstance(t, ListOf):
        item = t.item
        spec = _scalar(item, registries) if not isinstance(item, Object) else None
        if spec is not None and spec["widget"] == "select":
            out.update(spec, multiple=True)
            if _lists_ids(f, item):
                hint = None
        elif isinstance(item, Object):
            first = item.fields[0].name
            out.update(widget="list", collapsed=False, summary=f"{{{{fields.{first}}}}}",
                       fields=[widget(sf, registries) for sf in item.fields])
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
    if isinstance(t, Ref) or (isinstance(t, ListOf) and isinstance(t.item, Ref)):
        if out.get("widget") == "select":  # the help names the registry file: here, its items are the options
            hint = REGISTRY_HINT
    if hint:
        out["hint"] = hint
    return out


def body_default(kind: Kind) -> str:
    """The body a new entry starts with: the kind's required section headings, in order."""
    if not kind.sections:
        return ""
    return "\n\n".join(f"## {s.zh} {s.en}" for s in kind.sections) + "\n"


def collection(kind: Kind, registries) -> dict[str, Any]:
    fields = [widget(f, registries) for f in kind.schema.fields]
    # The slug first: a new entry's folder and URL. Not required by the form, or entries
    # written before the editor could not be saved; kb-admin.js requires it of a new entry.
    slug = next(i for i, f in enumerate(fields) if f["name"] == "slug")
    own = {k: v for k, v in fields.pop(slug).items() if k != "pattern"}  # its length: SLUG_RE's too
    fields.insert(0, {**own, **SLUG_WIDGET})
    body_hint = ("請在每個標題下寫內容；標題請保留。 / Write under each heading; keep the headings."
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
        "public_folder": "/uploads",
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
