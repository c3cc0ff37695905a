"""Editor snippets (generator/contribute/snippets.py) and the dev container that uses them."""

from __future__ import annotations

import datetime as dt
import json
import re

from generator.contribute import snippets
from generator.contribute.scaffold import template
from generator.kinds import KINDS
from helpers import ROOT


def test_committed_snippets_are_current():
    assert snippets.main(["--root", str(ROOT), "--check"]) == 0, "run: python -m generator.contribute.snippets"


def _expanded(body: list[str], day: str) -> str:
    """The snippet as inserted with every stop left at its placeholder (a choice: its first value)."""
    text = "\n".join(body)
    text = text.replace(snippets.NOW, day)
    text = re.sub(r"\$\{\d+\|([^,|]+)[^|]*\|\}", r"\1", text)
    text = re.sub(r"\$\{\d+:([^}]*)\}", r"<請填寫 Fill in: \1>", text)
    return text.replace("$0", "").replace("\\$", "$").replace("\\}", "}").replace("\\\\", "\\")


def test_each_snippet_is_the_kb_new_template_with_tab_stops():
    day = dt.date.today().isoformat()
    data = snippets.snippets()
    assert len(data) == len(KINDS)
    for kind in KINDS.values():
        snip = data[f"kb {kind.id}"]
        assert snip["scope"] == "markdown" and f"kb-{kind.id}" in snip["prefix"]
        stops = [int(n) for n in re.findall(r"\$\{(\d+)[:|]", "\n".join(snip["body"]))]
        assert stops == list(range(1, len(stops) + 1)) and stops, kind.id  # Tab visits them in order
        want = template(kind, dt.date.today())
        got = _expanded(snip["body"], day)
        # A choice is offered as a list (its first value shown here) where kb new has a placeholder.
        for f in kind.schema.fields:
            if f.name in snippets._choices(kind) and (f.required or f.in_template):
                want = re.sub(rf'^{f.name}: "<請填寫[^>]*>"$', f"{f.name}: {f.type.vocabulary.ids()[0]}", want,
                              flags=re.M)
        assert got.rstrip("\n") == want.rstrip("\n"), kind.id


def test_dev_container_installs_kb_and_forwards_the_preview():
    text = (ROOT / ".devcontainer/devcontainer.json").read_text(encoding="utf-8")
    config = json.loads(re.sub(r"(?m)^\s*//.*$", "", text))  # JSON with comments
    assert "python:1-3.11" in config["image"]
    assert "pip install" in config["postCreateCommand"] and "-c constraints.txt -e ." in config["postCreateCommand"]
    assert 8000 in config["forwardPorts"]
    assert "kb serve --dev-addr 0.0.0.0:8000" in json.dumps(config, ensure_ascii=False)
    assert (ROOT / snippets.TARGET).is_file()
