"""The issue forms (.github/ISSUE_TEMPLATE/): what the generator writes from the kind modules,
valid against SchemaStore's JSON schema for GitHub issue forms and within GitHub's own rules.
(That the sample site's committed forms are up to date: test_sample_site.py.)"""

import json
import tempfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.contribute.issues import forms as issueforms
from generator.contribute.issues.formspec import form_items
from generator.kinds import KINDS
from helpers import new_content, registries

SCHEMAS = Path(__file__).resolve().parent / "schemas"


def _written_forms() -> dict[str, str]:
    """The forms the generator writes for a test site, by file name."""
    with tempfile.TemporaryDirectory() as tmp:
        new_content(Path(tmp))
        issueforms.write(Path(tmp))
        return {p.name: p.read_text(encoding="utf-8") for p in (Path(tmp) / issueforms.FORMS_DIR).glob("*.yml")}


FORMS = _written_forms()


def schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def test_a_form_for_every_kind_and_the_config():
    assert {name.removesuffix(".yml") for name in FORMS} == {k.folder for k in KINDS.values()} | {"config"}


def test_check_names_a_stale_file(tmp_path, capsys):
    new_content(tmp_path)
    assert issueforms.main(["--root", str(tmp_path)]) == 0
    assert issueforms.main(["--root", str(tmp_path), "--check"]) == 0
    stale = tmp_path / issueforms.FORMS_DIR / "tools.yml"
    stale.write_text(stale.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert issueforms.main(["--root", str(tmp_path), "--check"]) == 1
    assert "tools.yml" in capsys.readouterr().err


def test_the_form_of_a_removed_kind_is_deleted_and_a_sites_own_form_kept(tmp_path, capsys):
    """Regenerating once left the form of a kind that no longer exists, so --check stayed stale."""
    new_content(tmp_path)
    assert issueforms.main(["--root", str(tmp_path)]) == 0
    forms = tmp_path / issueforms.FORMS_DIR
    removed = forms / "retired-kinds.yml"  # a kind this generator once had
    removed.write_text((forms / "tools.yml").read_text(encoding="utf-8"), encoding="utf-8")
    own = forms / "bug-report.yml"  # written by the site, not by us
    own.write_text("name: Bug report\ndescription: x\nbody: []\n", encoding="utf-8")
    assert issueforms.main(["--root", str(tmp_path), "--check"]) == 1
    assert "retired-kinds.yml" in capsys.readouterr().err
    assert issueforms.main(["--root", str(tmp_path)]) == 0
    assert "deleted" in capsys.readouterr().out
    assert not removed.exists() and own.exists()
    assert issueforms.main(["--root", str(tmp_path), "--check"]) == 0


@pytest.mark.parametrize("name", sorted(n for n in FORMS if n != "config.yml"))
def test_each_form_is_valid_and_within_githubs_rules(name):
    data = yaml.safe_load(FORMS[name])
    jsonschema.validate(data, schema("github-issue-forms.json"))
    assert issueforms.limit_problems(name, data) == []
    assert data["labels"][0] == issueforms.ENTRY_LABEL


def test_the_config_is_valid():
    data = yaml.safe_load(FORMS["config.yml"])
    jsonschema.validate(data, schema("github-issue-config.json"))


def test_the_limits_check_catches_what_github_refuses():
    bad = {"body": [{"type": "input", "id": "a.b", "attributes": {"label": "x"}},
                    {"type": "dropdown", "id": "a.b", "attributes": {"label": "x", "options": ["None", "None"],
                                                                    "default": 5}}]}
    found = " ".join(issueforms.limit_problems("bad.yml", bad))
    for words in ("characters", "used twice", "distinct", "reserved", "default"):
        assert words in found


def test_every_required_field_and_section_is_asked_and_required():
    for kind in KINDS.values():
        items = {i.path: i for i in form_items(kind, registries()) if i.path}
        for f in kind.schema.fields:
            if f.required and not hasattr(f.type, "fields"):
                assert items[(f.name,)].required, (kind.id, f.name)
        sections = [i for i in form_items(kind, registries()) if i.shape == "section"]
        assert [i.label for i in sections] == [f"{s.zh} {s.en}" for s in kind.sections]
        assert all(i.required for i in sections)
