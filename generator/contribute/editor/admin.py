"""The web editor (Decap CMS) at ``/admin/``: which files make it, and writing them.

The admin page is ours (``data/admin/``: ``index.html``, ``kb-init.js``, ``kb-admin.js``, which
writes front matter that ``kb validate`` reads as it was typed); Decap's bundle and the ``yaml``
library kb-admin.js uses are copied from npm's packages in ``node_modules`` (installed by
``npm ci``, pinned by ``package-lock.json``), never loaded from a CDN; the configuration is
written from the kinds and registries (:mod:`generator.contribute.editor.cms`).

Two uses:

* **the published site**, when ``kb.yml`` says ``editor: {enabled: true, repo: …}``:
  ``kb build`` adds ``/admin/`` after the post-build scan has passed over every other page
  (the hook calls :func:`write_admin`); the editor signs in with GitHub and works through
  forks (open authoring) with the editorial workflow, so every entry becomes a pull request;
* **``kb edit``** on a contributor's own computer: ``decap-server`` on the working copy, and
  the admin page served beside the live preview (``generator/contribute/editor/server.py``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ...kinds import KINDS
from ...model.fields import Boolean, Date, Integer, ListOf, Number, Object
from ...validation.loading import RESERVED_SLUGS, SLUG_RE, WINDOWS_DEVICE_NAMES
from . import cms

ADMIN_DIR = "admin"
RULES_FILE = "kb-rules.json"
OURS = Path(__file__).parents[2] / "data" / "admin"
DECAP_PACKAGE = Path("node_modules") / "decap-cms"


ADMIN_NOTICE = """The web editor of this site is made of:

- Decap CMS (https://github.com/decaporg/decap-cms), MIT License, Copyright (c) the Decap CMS
  contributors; decap-cms.js.LICENSE.txt lists the licences of the libraries its bundle contains.
- yaml (https://github.com/eemeli/yaml), ISC License, Copyright Eemeli Aro: yaml/LICENSE.
- the page and scripts of library-kb (index.html, kb-*.js, kb-*.css), MIT License.
"""


class EditorUnavailable(Exception):
    """The editor's files are not installed (zh-TW, English)."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def node_modules(root: Path) -> Path:
    """The project's node_modules, or else the one beside kb's own source (an editable install
    used on another project folder, as the tests do)."""
    for base in (Path(root), Path(__file__).resolve().parents[3]):
        if (base / DECAP_PACKAGE).is_dir():
            return base / "node_modules"
    return Path(root) / "node_modules"


def decap_files(root: Path) -> list[Path]:
    """Decap's bundle, the chunks it loads on demand and its WebAssembly, from node_modules.

    The package ships the same build twice (``cms.js`` and ``decap-cms.js``) and source maps;
    one copy, without maps, is enough."""
    dist = node_modules(root) / "decap-cms" / "dist"
    main = dist / "decap-cms.js"
    if not main.is_file():
        raise EditorUnavailable(
            f"找不到 Decap CMS（{main}）：請在專案資料夾執行 npm ci",
            f"Decap CMS is not installed ({main}): run npm ci in the project folder")
    chunks = sorted(p for p in dist.glob("*.decap-cms.js") if p.name != "decap-cms.js")
    licence = dist / "decap-cms.js.LICENSE.txt"
    return [main, *chunks, *sorted(dist.glob("*.wasm")), *([licence] if licence.is_file() else [])]


def yaml_library(root: Path) -> Path:
    """The browser build of npm's ``yaml`` (ES modules), which kb-admin.js writes front matter with."""
    dist = node_modules(root) / "yaml" / "browser" / "dist"
    if not (dist / "index.js").is_file():
        raise EditorUnavailable(f"找不到 yaml（{dist}）：請在專案資料夾執行 npm ci",
                                f"the yaml package is not installed ({dist}): run npm ci in the project folder")
    return dist


def date_fields(kinds=None) -> list[str]:
    """The names of every date field of every kind (kb-admin.js keeps their values unquoted)."""
    return sorted({f.name for kind in kinds or KINDS.values() for f in _walk(kind.schema.fields)
                   if isinstance(_item(f), Date)})


def required_lists(kinds=None) -> dict[str, list[list[str]]]:
    """Per kind, the required list fields (tags, authors, audience…) and their labels."""
    out = {}
    for kind in kinds or KINDS.values():
        out[kind.id] = [[f.name, f.zh] for f in kind.schema.fields if f.required and isinstance(f.type, ListOf)]
    return out


def _item(f):
    """A field's type, or its items' type for a list."""
    return f.type.item if isinstance(f.type, ListOf) else f.type


def _walk(fields):
    """Every field, and every field inside objects and lists of objects."""
    for f in fields:
        yield f
        if isinstance(_item(f), Object):
            yield from _walk(_item(f).fields)


def typed_fields(kinds=None) -> tuple[dict[str, str], list[str]]:
    """Field names the schema declares numbers (int or float) and yes/no, at any depth: the
    editor reads every other value as text, as kb does."""
    numbers: dict[str, str] = {}
    booleans: set[str] = set()
    for kind in kinds or KINDS.values():
        for f in _walk(kind.schema.fields):
            if isinstance(f.type, (Integer, Number)):
                numbers[f.name] = "int" if isinstance(f.type, Integer) else "float"
            elif isinstance(f.type, Boolean):
                booleans.add(f.name)
    return dict(sorted(numbers.items())), sorted(booleans)


def required_in_objects(kinds=None) -> dict[str, list]:
    """Per kind, each object field (contact, budget, award) and the fields it must hold once
    anything in it is filled in."""
    out = {}
    for kind in kinds or KINDS.values():
        out[kind.id] = [[f.name, f.zh, [[sf.name, sf.zh] for sf in f.type.fields if sf.required]]
                        for f in kind.schema.fields if isinstance(f.type, Object)
                        and any(sf.required for sf in f.type.fields)]
    return out


def existing_slugs(content_dir: Path | None, kinds=None) -> dict[str, list[str]]:
    """Per kind, the slugs its folder holds (public or not): a new entry may not take one."""
    out: dict[str, list[str]] = {}
    for kind in kinds or KINDS.values():
        folder = Path(content_dir) / kind.folder if content_dir else None
        names = set()
        if folder is not None and folder.is_dir():
            for p in folder.iterdir():
                if p.suffix == ".md" and p.is_file():
                    names.add(p.stem)
                elif p.is_dir():
                    names.add(p.name)
        out[kind.id] = sorted(names)
    return out


def admin_script(content_dir: Path | None = None, *, simple: bool = False, check_url: str | None = None) -> str:
    """kb-admin.js, with the rules of ``kb validate`` it applies filled in from the kinds.

    ``simple``: Decap without the editorial workflow (``kb edit`` without ``--workflow``), whose
    "publish" writes the file into content/: the form says 儲存 (save) there. ``check_url``:
    where kb edit runs kb validate on an entry before it is saved (contribute/editor/server.py)."""
    text = (OURS / "kb-admin.js").read_text(encoding="utf-8")
    numbers, booleans = typed_fields()
    return (text.replace("__SIMPLE_MODE__", json.dumps(simple))
            .replace("__CHECK_URL__", json.dumps(check_url))
            .replace("__SLUG_PATTERN__", json.dumps(SLUG_RE.pattern))
            .replace("__RESERVED_SLUGS__", json.dumps(sorted(RESERVED_SLUGS)))
            .replace("__WINDOWS_DEVICE_NAMES__", json.dumps(sorted(WINDOWS_DEVICE_NAMES)))
            .replace("__DATE_FIELDS__", json.dumps(date_fields()))
            .replace("__COLLECTIONS__", json.dumps(list(KINDS)))
            .replace("__REQUIRED_LISTS__", json.dumps(required_lists(), ensure_ascii=False))
            .replace("__OBJECTS__", json.dumps(required_in_objects(), ensure_ascii=False))
            .replace("__NUMBER_FIELDS__", json.dumps(numbers))
            .replace("__BOOLEAN_FIELDS__", json.dumps(booleans))
            .replace("__EXISTING_SLUGS__", json.dumps(existing_slugs(content_dir))))


def backend_from_settings(settings, site=None) -> cms.Backend:
    """The published editor's backend: kb.yml's editor: options; the repository and branch are the
    site's own (``site``: SiteInfo, from mkdocs.yml's repo_url and edit_uri) unless kb.yml names others."""
    repo = settings.editor_repo or (site.repository if site is not None else None)
    branch = settings.editor_branch or (site.branch if site is not None else "main")
    return cms.Backend(repo=repo, branch=branch,
                       base_url=settings.editor_base_url, auth_endpoint=settings.editor_auth_endpoint,
                       site_domain=settings.editor_site_domain)


def write_admin(target: Path, root: Path, registries, backend: cms.Backend, *, site_url: str | None = None,
                check_url: str | None = None) -> int:
    """Write the admin page into ``target`` (``site/admin``); returns the bytes written.
    ``check_url``: kb edit's own kb validate for one entry (contribute/editor/server.py), none when published."""
    files = decap_files(root)
    yaml_dist = yaml_library(root)
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for f in files:
        shutil.copyfile(f, target / f.name)
    shutil.copytree(yaml_dist, target / "yaml", ignore=shutil.ignore_patterns("*.map", "*.d.ts"))
    # The licences of what is copied travel with it: yaml's own (ISC), Decap's bundle notices
    # (decap-cms.js.LICENSE.txt, among its files) and a NOTICE naming both.
    licence = node_modules(root) / "yaml" / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, target / "yaml" / "LICENSE")
    (target / "NOTICE.txt").write_text(ADMIN_NOTICE, encoding="utf-8")
    for name in ("index.html", "kb-init.js", "kb-admin.css", "kb-preview.css"):
        shutil.copyfile(OURS / name, target / name)
    (target / "kb-admin.js").write_text(admin_script(Path(root) / "content", simple=not backend.editorial_workflow,
                                                     check_url=check_url), encoding="utf-8")
    (target / "config.yml").write_text(cms.dump(cms.config(registries, backend, site_url=site_url)), encoding="utf-8")
    # What the form checks before a save (kb-admin.js reads it): kb validate's rules for one entry.
    (target / RULES_FILE).write_text(cms.dump_rules(registries), encoding="utf-8")
    return sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
