"""kb sync [--check]: every generated file of a site in one step (issue forms, snippets, the
contributor guide's code table), forms of removed kinds deleted, hand-made forms kept."""

from __future__ import annotations

from generator.contribute.issues.forms import EARLIER_HEADERS, FORMS_DIR, HEADER
from generator.contribute.snippets import TARGET
from generator.kinds import KINDS
from generator.validation.catalogue_doc import END, START
from helpers import cli_project, run_kb


def test_sync_writes_every_generated_file_then_check_passes(tmp_path, capsys):
    root = cli_project(tmp_path)
    (root / "CONTRIBUTING.md").write_text(f"# 貢獻\n\n{START}\nOLD TABLE\n{END}\n\n手寫的說明。\n", encoding="utf-8")
    code, out, err = run_kb(capsys, "--root", str(root), "sync", "--check")
    assert code == 1 and f"{FORMS_DIR.as_posix()}/tools.yml: 需要更新" in err and "CONTRIBUTING.md" in err
    code, out, _ = run_kb(capsys, "--root", str(root), "--lang", "en", "sync")
    assert code == 0 and f"wrote {TARGET.as_posix()}" in out
    assert {p.stem for p in (root / FORMS_DIR).glob("*.yml")} == {k.folder for k in KINDS.values()} | {"config"}
    guide = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "OLD TABLE" not in guide and "`value-url`" in guide and guide.endswith("手寫的說明。\n")
    code, out, err = run_kb(capsys, "--root", str(root), "--lang", "en", "sync", "--check")
    assert (code, err) == (0, "") and "up to date" in out


def test_a_form_edited_by_hand_is_stale_and_sync_restores_it(tmp_path, capsys):
    root = cli_project(tmp_path)
    run_kb(capsys, "--root", str(root), "sync")
    form = root / FORMS_DIR / "tools.yml"
    written = form.read_text(encoding="utf-8")
    form.write_text(written.replace("工具", "器具"), encoding="utf-8")
    code, _, err = run_kb(capsys, "--root", str(root), "sync", "--check")
    assert code == 1 and err.splitlines() == [f"{FORMS_DIR.as_posix()}/tools.yml: 需要更新，請執行 kb sync 並提交結果 / "
                                              "stale: run kb sync and commit the result"]
    assert form.read_text(encoding="utf-8") != written  # --check writes nothing
    run_kb(capsys, "--root", str(root), "sync")
    assert form.read_text(encoding="utf-8") == written


def test_forms_of_removed_kinds_go_and_hand_made_forms_stay(tmp_path, capsys):
    root = cli_project(tmp_path)
    run_kb(capsys, "--root", str(root), "sync")
    forms = root / FORMS_DIR
    (forms / "retired-kinds.yml").write_text(HEADER + "name: 書評\n", encoding="utf-8")  # a kind removed since
    (forms / "old-style.yml").write_text(EARLIER_HEADERS[0] + "name: 舊\n", encoding="utf-8")  # written by an earlier version
    (forms / "bug.yml").write_text("name: 問題回報\n", encoding="utf-8")  # the site's own
    code, _, err = run_kb(capsys, "--root", str(root), "sync", "--check")
    assert code == 1 and "retired-kinds.yml: 已沒有這個種類" in err and "old-style.yml" in err and "bug.yml" not in err
    code, out, _ = run_kb(capsys, "--root", str(root), "--lang", "en", "sync")
    assert f"deleted {FORMS_DIR.as_posix()}/retired-kinds.yml" in out
    assert not (forms / "retired-kinds.yml").exists() and not (forms / "old-style.yml").exists()
    assert (forms / "bug.yml").read_text(encoding="utf-8") == "name: 問題回報\n"


def test_a_guide_without_the_markers_is_left_alone(tmp_path, capsys):
    root = cli_project(tmp_path)
    (root / "CONTRIBUTING.md").write_text("# 我們自己的貢獻說明\n", encoding="utf-8")
    run_kb(capsys, "--root", str(root), "sync")
    assert (root / "CONTRIBUTING.md").read_text(encoding="utf-8") == "# 我們自己的貢獻說明\n"
    assert run_kb(capsys, "--root", str(root), "sync", "--check")[0] == 0


def test_the_readme_table_of_kb_yml_options_is_written_from_the_declarations(tmp_path, capsys):
    from generator.model.settings import OPTIONS, OPTIONS_END, OPTIONS_START

    root = cli_project(tmp_path)
    (root / "README.md").write_text(f"# 說明\n\n{OPTIONS_START}\nold\n{OPTIONS_END}\n", encoding="utf-8")
    run_kb(capsys, "--root", str(root), "sync")
    text = (root / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{f.metadata['key']}` |" in text for f in OPTIONS) and "old" not in text
    assert "| `listing.page_size` | `20` |" in text and "| `editor.enabled` | `false` |" in text
    assert run_kb(capsys, "--root", str(root), "sync", "--check")[0] == 0


def test_a_broken_kb_yml_writes_nothing(tmp_path, capsys):
    """kinds: naming folders instead of ids once made kb sync delete the forms of the kinds the
    site does use: with kb.yml in error, nothing is planned from the defaults it fell back to."""
    root = cli_project(tmp_path)
    run_kb(capsys, "--root", str(root), "sync")
    before = sorted(p.name for p in (root / FORMS_DIR).iterdir())
    (root / "kb.yml").write_text("kinds: [tools, guides]\nlisting:\n  page_size: 1\n", encoding="utf-8")
    code, out, err = run_kb(capsys, "--root", str(root), "--lang", "en", "sync")
    assert code == 1 and "nothing was written" in out and "value-range" in err
    assert sorted(p.name for p in (root / FORMS_DIR).iterdir()) == before
    assert run_kb(capsys, "--root", str(root), "sync", "--check")[0] == 1


def test_a_site_is_told_when_a_template_it_overrides_changed_upstream(tmp_path, capsys, monkeypatch):
    """A site's own page template (overrides/kb/) hides the generator's, fixes included: kb sync
    records the generator's version it was looked at against, and --check says when it changes."""
    from generator.contribute import sync

    root = cli_project(tmp_path)
    (root / "overrides/kb").mkdir(parents=True)
    (root / "overrides/kb/home.html").write_text("# 我們的首頁\n", encoding="utf-8")
    run_kb(capsys, "--root", str(root), "sync")
    assert (root / ".kb-upstream.json").is_file()
    assert run_kb(capsys, "--root", str(root), "sync", "--check")[0] == 0
    upstream = tmp_path / "upstream"  # the generator's templates after an upgrade: home.html changed
    upstream.mkdir()
    for p in sync.GENERATOR_TEMPLATES.glob("*.html"):
        (upstream / p.name).write_text(p.read_text(encoding="utf-8") + ("\n{## fixed ##}\n" if p.name == "home.html" else ""),
                                       encoding="utf-8")
    monkeypatch.setattr(sync, "GENERATOR_TEMPLATES", upstream)
    code, _, err = run_kb(capsys, "--root", str(root), "sync", "--check")
    assert code == 1 and "home.html" in err and "compare your version" in err
    run_kb(capsys, "--root", str(root), "sync")  # looked at and recorded
    assert run_kb(capsys, "--root", str(root), "sync", "--check")[0] == 0
    assert (root / "overrides/kb/home.html").read_text(encoding="utf-8") == "# 我們的首頁\n"  # never touched
