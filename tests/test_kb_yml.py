"""kb.yml as the README shows it: the example validates, and what it says takes effect."""

from __future__ import annotations

import re
from pathlib import Path

from generator.knowledge.project import open_project

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## `kb.yml`: the site's settings", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_is_a_valid_kb_yml_and_takes_effect(tmp_path):
    from generator.kinds import KINDS
    from generator.model import vocab as V

    every_kind = list(KINDS)
    (tmp_path / "kb.yml").write_text(readme_example(), encoding="utf-8")
    try:
        project = open_project(tmp_path)
        assert project.problems == []
        assert list(KINDS) == ["tool", "outreach", "lesson-plan", "job"]
        assert V.INSTITUTION_TYPE.label("government", "en") == "Government agency"
        assert project.settings.domain == "kb.hill.example.org"
    finally:
        open_project(tmp_path / "none")
    assert "government" not in V.INSTITUTION_TYPE and list(KINDS) == every_kind
