"""Windows keeps some names for devices (con, prn, aux, nul, com0–com9, lpt0–lpt9, with any
extension): Git for Windows cannot check out content/tools/aux.md, so one such entry would keep
every contributor on Windows from cloning the knowledge base. Each place a slug is made refuses
them and says why: kb validate, kb new, the issue form (the web editor: test_admin_format.py)."""

from __future__ import annotations

import pytest

from generator.contribute.issues.entry import process
from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from generator.validation.loading import WINDOWS_DEVICE_NAMES, slug_problem_code
from generator.validation.messages import render
from helpers import cli_project, entry_text, new_content, run_kb, write
from test_issueentry import _base, _kb, _problems, issue, root, site  # noqa: F401 - _kb, root and site are fixtures

DEVICES = ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9", "com0", "lpt0"]
NOT_DEVICES = ["auxiliary", "con-2024", "com10", "lpt", "nul1x", "my-aux"]


def test_every_device_name_is_known_and_nothing_else():
    assert set(DEVICES) <= WINDOWS_DEVICE_NAMES and len(WINDOWS_DEVICE_NAMES) == 24
    for name in DEVICES:
        assert slug_problem_code(name) == "slug-windows-name", name
    for name in NOT_DEVICES:
        assert slug_problem_code(name) is None, name
    assert slug_problem_code("Aux") == "slug-invalid"  # capitals: refused already, as before


def test_kb_validate_refuses_a_device_name_as_file_or_folder(tmp_path):
    content = new_content(tmp_path)
    for name in DEVICES:
        write(content, f"tools/{name}.md", entry_text("tools"))
        write(content, f"guides/{name}/index.md", entry_text("guides"))
    for name in NOT_DEVICES:
        write(content, f"tools/{name}.md", entry_text("tools", url=f"https://example.org/{name}"))
    kb = load_knowledge_base(content, display_prefix="content")
    found = {(p.path, p.code) for p in kb.problems if p.code.startswith("slug-")}
    want = {(f"content/tools/{n}.md", "slug-windows-name") for n in DEVICES}
    want |= {(f"content/guides/{n}/index.md", "slug-windows-name") for n in DEVICES}
    assert found == want
    assert sorted(e.slug for e in kb.entries) == sorted(NOT_DEVICES)
    zh, zh_hint = render("slug-windows-name", {"slug": "aux"}, "zh-TW")
    en, en_hint = render("slug-windows-name", {"slug": "aux"}, "en")
    assert "Windows" in zh and "aux" in zh and "aux-guide" in zh_hint
    assert "Windows" in en and "check out" in en_hint


@pytest.mark.parametrize("name", ["aux", "nul", "com1", "lpt9"])
def test_kb_new_refuses_a_device_name_and_says_why(tmp_path, capsys, name):
    project = cli_project(tmp_path)
    code, _, err = run_kb(capsys, "new", "tools", name, "--root", str(project))
    assert code == 2
    assert "Windows" in err and "裝置" in err and err.index("Windows（") < err.index("Windows (")  # Chinese first
    assert not (project / "content" / "tools" / f"{name}.md").exists()
    assert run_kb(capsys, "new", "tools", f"{name}-guide", "--root", str(project))[0] == 0


@pytest.mark.parametrize("name", ["aux", "con", "com1"])
def test_the_issue_form_refuses_a_device_name(root, name):  # noqa: F811 - the fixture
    kind = KINDS["tool"]
    res = process(issue(kind, _base(kind, slug=name)[1]), root)
    assert _problems(res) == {"slug-windows-name"}
    assert not res.valid and not (root / "content" / kind.folder / f"{name}.md").exists()
