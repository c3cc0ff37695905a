"""Editor snippets, one per kind, written from the same templates as ``kb new``.

In VS Code, GitHub Codespaces and github.dev (the dev container opens the repository in
one), typing ``kb-`` in a Markdown file offers every kind; choosing one inserts its whole
template, with each ``<請填寫 Fill in: …>`` a tab stop (Tab moves to the next) and each
field's allowed values offered as a drop-down where the field is a choice::

    kb sync           # writes .vscode/kb.code-snippets (and every other generated file)
    kb sync --check   # exit 1 if a committed one is stale
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from ..kinds import KINDS, Kind
from ..model.fields import Choice
from .scaffold import template

TARGET = Path(".vscode/kb.code-snippets")
SENTINEL = dt.date(1900, 1, 1)
NOW = "${CURRENT_YEAR}-${CURRENT_MONTH}-${CURRENT_DATE}"  # the editor fills in the day the entry is written
_PLACEHOLDER = re.compile(r'"?<請填寫 Fill in: ([^>]*)>"?')


def _escaped(line: str) -> str:
    """Snippet syntax reads $, } and \\ : the template's own characters are written literally."""
    return line.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def _choices(kind: Kind) -> dict[str, list[str]]:
    """Top-level choice fields and their values."""
    return {f.name: list(f.type.vocabulary.ids()) for f in kind.schema.fields if isinstance(f.type, Choice)}


def body(kind: Kind, registries=None) -> list[str]:
    choices = _choices(kind)
    stop = 0
    out = []
    today = dt.date.today().isoformat()  # optional dates' examples; required ones get SENTINEL
    for line in template(kind, SENTINEL, registries).split("\n"):
        line = _escaped(line).replace(SENTINEL.isoformat(), NOW).replace(today, NOW)
        if line.startswith("#"):  # a comment: its placeholders are the explanation, not stops
            out.append(line)
            continue
        key = line.split(":", 1)[0] if not line.startswith((" ", "#", "-")) else None

        def stop_for(m: re.Match, key: str | None = key) -> str:  # key bound now, not at the loop's end
            nonlocal stop
            stop += 1
            values = choices.get(key or "")
            if values and all(re.fullmatch(r"[\w.-]+", v) for v in values):
                return f"${{{stop}|{','.join(values)}|}}"
            quote = '"' if m.group(0).startswith('"') else ""
            return f"{quote}${{{stop}:{m.group(1)}}}{quote}"

        out.append(_PLACEHOLDER.sub(stop_for, line))
    out.append("$0")
    return out


def snippets(registries=None) -> dict:
    return {f"kb {kind.id}": {
        "scope": "markdown",
        "prefix": [f"kb-{kind.id}", f"kb-{kind.folder}"],
        "description": f"{kind.zh} {kind.en}：新條目範本 new entry template",
        "body": body(kind, registries),
    } for kind in KINDS.values()}


def text(registries=None) -> str:
    """The snippets file; ``registries``: the site's, whose ids the examples show."""
    return json.dumps(snippets(registries), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path.cwd())
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed snippets are stale")
    args = ap.parse_args(argv)
    target = args.root / TARGET
    from ..knowledge.project import open_project
    from ..model.registries import load_registries

    open_project(args.root)
    wanted = text(load_registries(args.root / "content")[0])
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != wanted:
            print(f"{TARGET} 需要更新：執行 kb sync / is stale: run kb sync",
                  file=sys.stderr)
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(wanted, encoding="utf-8")
    print(f"已寫入 wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
