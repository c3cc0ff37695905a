"""GitHub issue forms, one per kind, written from the kind modules: a librarian with only a
browser fills in a form, and the ``issue-entry`` workflow turns the issue into a pull request
(:mod:`generator.contribute.issues.entry`).

``kb sync`` (generator/contribute/sync.py) writes ``.github/ISSUE_TEMPLATE/<folder>.yml`` and
``config.yml`` and deletes the forms of kinds there no longer are; ``kb sync --check`` writes
nothing and exits 1 naming every stale or missing file (a kind, a vocabulary or a registry
changed: run it again and commit the result).

The config keeps blank issues on: the repository also takes bug reports, questions and
suggestions, which fit none of the entry forms, and the workflow acts only on issues carrying
the ``new-entry`` label a form adds, so a blank issue is never mistaken for an entry.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from ...kinds import KINDS, Kind
from ...model.fields import Date, Integer, Number
from ...knowledge.project import open_project
from ...model.registries import load_registries
from ...model.siteinfo import SiteInfo, engine_config, site_info
from .formspec import NOT_ASKED, Item, form_items

FORMS_DIR = Path(".github/ISSUE_TEMPLATE")
ENTRY_LABEL = "new-entry"
ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
RESERVED_OPTIONS = {"none"}  # GitHub adds "None" to optional dropdowns itself
HEADER = ("# 由 kb sync 從各種類的定義產生，請勿手改。\n"
          "# Written by `kb sync` from the kinds' declarations: do not edit by hand.\n")
# What earlier versions wrote at the top of a form: theirs too are recognised as generated.
EARLIER_HEADERS = ("# 由 python -m generator.contribute.issues.forms 從 generator/kinds/ 產生，請勿手改。\n",)
CONFIG = {"blank_issues_enabled": True}


def form_labels(kind: Kind) -> list[str]:
    return [ENTRY_LABEL, kind.folder]


def _intro(kind: Kind) -> str:
    return (f"**{kind.zh} {kind.en}**：{kind.description_zh}\n\n{kind.description_en}\n\n"
            "送出後，機器人會檢查內容並在這裡留言；沒有問題就會自動開一個合併請求（pull request），由編輯小組審閱。"
            "要修正時，編輯這個 issue 即可。\n\n"
            "After you submit, a bot checks the entry and comments here; when it is valid it opens a pull request "
            "for the editors to review. To fix something, edit this issue.\n\n"
            f"不在表單中的欄位 Not asked here: {', '.join(f'`{n}`' for n in NOT_ASKED if n != 'slug')}（由編輯小組處理 set by the editors）。")


def _element(item: Item) -> dict:
    attrs: dict = {"label": item.label}
    if item.description:
        attrs["description"] = item.description
    if item.element == "dropdown":
        if item.shape == "choices":
            attrs["multiple"] = True
        attrs["options"] = list(item.options)
        if item.default is not None:
            attrs["default"] = item.default
    elif item.element == "checkboxes":
        attrs["options"] = [{"label": o} for o in item.options]
    elif item.field is not None and isinstance(item.field.type, Date):
        attrs["placeholder"] = "YYYY-MM-DD"
    elif item.field is not None and isinstance(item.field.type, (Integer, Number)):
        example = item.field.example
        attrs["placeholder"] = str(example) if isinstance(example, (int, float)) else "0"  # 年度: 2022, not 0
    out: dict = {"type": item.element, "id": item.id, "attributes": attrs}
    if item.element != "checkboxes":
        out["validations"] = {"required": item.required}
    return out


def form(kind: Kind, registries, site: SiteInfo | None = None) -> dict:
    grant = (site or SiteInfo()).licence_grant()
    return {
        "name": f"{kind.zh} {kind.en}",
        "description": f"新增一則{kind.zh}。 / Add an entry: {kind.en}.",
        "title": f"[{kind.zh}] ",
        "labels": form_labels(kind),
        "body": [{"type": "markdown", "attributes": {"value": _intro(kind)}},
                 *(_element(i) for i in form_items(kind, registries)),
                 # what a contributor grants, the site's licence (kb.yml license: content)
                 {"type": "markdown", "attributes": {"value": f"**授權 · Licence**：{grant[0]}\n\n{grant[1]}"}}],
    }


def dump(data: dict) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def limit_problems(name: str, data: dict) -> list[str]:
    """GitHub's rules for a form that its JSON schema does not state: unique ids and labels,
    ids of letters, digits, - and _, distinct non-empty options other than "None", and at
    least one element that is not Markdown."""
    out = []
    ids, labels = set(), set()
    fields = [e for e in data.get("body", []) if e.get("type") != "markdown"]
    if not fields:
        out.append(f"{name}: no element other than markdown")
    for e in fields:
        attrs = e.get("attributes", {})
        label, eid = attrs.get("label", ""), e.get("id")
        if eid is not None:
            if not ID_RE.match(eid):
                out.append(f"{name}: id {eid!r} has characters other than letters, digits, - and _")
            if eid in ids:
                out.append(f"{name}: id {eid!r} is used twice")
            ids.add(eid)
        if label in labels:
            out.append(f"{name}: label {label!r} is used twice")
        labels.add(label)
        opts = [o["label"] if isinstance(o, dict) else o for o in attrs.get("options", [])]
        if len(set(opts)) != len(opts) or not all(o.strip() for o in opts):
            out.append(f"{name}: {label}: options must be distinct and not empty")
        if e.get("type") == "dropdown" and any(o.strip().casefold() in RESERVED_OPTIONS for o in opts):
            out.append(f"{name}: {label}: 'None' is reserved")
        if e.get("type") == "dropdown" and "default" in attrs and not 0 <= attrs["default"] < len(opts):
            out.append(f"{name}: {label}: default is not an option's index")
    return out


def expected_files(root: Path) -> dict[Path, str]:
    """Every file this module writes, relative to the root, with its text."""
    project = open_project(root)  # the site's kinds and vocabulary values
    registries, _ = load_registries(root / "content")
    site = site_info(engine_config(root), project.settings)
    files = {FORMS_DIR / f"{k.folder}.yml": dump(form(k, registries, site)) for k in KINDS.values()}
    files[FORMS_DIR / "config.yml"] = HEADER + yaml.safe_dump(CONFIG, allow_unicode=True, sort_keys=False, width=120)
    return files


def orphans(root: Path, files: dict[Path, str]) -> list[Path]:
    """Forms this module wrote (they start with HEADER) for a kind there no longer is. A form a
    site wrote by hand (a bug report, say) is the site's own, and left alone."""
    out = []
    for p in sorted((root / FORMS_DIR).glob("*.yml")):
        rel = p.relative_to(root)
        if rel not in files and p.read_text(encoding="utf-8", errors="replace").startswith((HEADER, *EARLIER_HEADERS)):
            out.append(rel)
    return out


def stale_files(root: Path) -> list[Path]:
    """Files missing or different from what would be written, and forms of no kind."""
    files = expected_files(root)
    out = [rel for rel, text in files.items()
           if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text]
    return out + orphans(root, files)


def write(root: Path) -> list[Path]:
    """Write every form that is missing or stale, and delete the forms of removed kinds."""
    (root / FORMS_DIR).mkdir(parents=True, exist_ok=True)
    written = []
    files = expected_files(root)
    for rel, text in files.items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(rel)
    for rel in orphans(root, files):
        (root / rel).unlink()
        written.append(rel)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.contribute.issues.forms", description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=Path("."), help="the project's root (default: .)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a form is stale")
    args = ap.parse_args(argv)
    if args.check:
        stale = stale_files(args.root)
        for rel in stale:
            print(f"{rel}: stale; run kb sync and commit the result", file=sys.stderr)
        return 1 if stale else 0
    for rel in write(args.root):
        print(f"{'wrote' if (args.root / rel).exists() else 'deleted'} {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
