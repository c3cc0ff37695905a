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


def test_a_licence_the_site_adds_can_be_its_content_licence_whatever_was_opened_before(tmp_path):
    (tmp_path / "kb.yml").write_text(
        "license:\n  content: CC-BY-NC-SA-4.0\nvocabularies:\n  license:\n"
        "    CC-BY-NC-SA-4.0: {zh: 創用 CC 姓名標示-非商業性-相同方式分享 4.0, en: CC BY-NC-SA 4.0}\n"
        "    CC-BY-4.0: {zh: 姓名標示 4.0, en: CC BY 4.0}\n", encoding="utf-8")
    try:
        project = open_project(tmp_path)
        assert project.problems == [] and project.settings.content_license == "CC-BY-NC-SA-4.0"
        other = tmp_path / "other"
        other.mkdir()
        (other / "kb.yml").write_text("license:\n  content: CC-BY-NC-SA-4.0\n", encoding="utf-8")
        assert [p.code for p in open_project(other).problems] == ["value-choice"]  # not this site's
    finally:
        open_project(tmp_path / "none")
