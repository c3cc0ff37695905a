"""A site's identity: one place (mkdocs.yml's site_name, site_description, site_url, repo_url and
kb.yml's site:), checked in GitHub Actions against the repository that builds it."""

from __future__ import annotations

import pytest

from generator.knowledge.project import Project, identity_problems, open_project, pages_address
from generator.model.settings import Settings, load_settings
from generator.model.siteinfo import engine_config, repository_of, site_info

CI = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "hill-libraries/kb"}


def write_site(tmp_path, mkdocs: str, kb: str = ""):
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    if kb:
        (tmp_path / "kb.yml").write_text(kb, encoding="utf-8")
    return tmp_path


MKDOCS = ("site_name: 山丘學校圖書館知識庫\nsite_description: 山丘市學校圖書館員的共筆。\n"
          "site_url: https://hill-libraries.github.io/kb/\nrepo_url: https://github.com/hill-libraries/kb\n"
          "edit_uri: edit/trunk/content/\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
          "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")


def codes(problems):
    return [(p.path, p.line, p.code) for p in problems]


def test_the_identity_is_read_from_mkdocs_yml_and_kb_yml(tmp_path):
    root = write_site(tmp_path, MKDOCS, "site:\n  name_en: Hill School Libraries KB\n  description_en: Notes.\n")
    settings, problems = load_settings(root)
    assert problems == []
    site = site_info(engine_config(root), settings)
    assert (site.site_name, site.description, site.name_en, site.branch) == (
        "山丘學校圖書館知識庫", "山丘市學校圖書館員的共筆。", "Hill School Libraries KB", "trunk")
    assert site.repository == repository_of(root) == "hill-libraries/kb"
    assert site.content_license == "CC-BY-4.0"


@pytest.mark.parametrize(("repository", "domain", "address"), [
    ("hill-libraries/kb", None, "https://hill-libraries.github.io/kb/"),
    ("Hill-Libraries/hill-libraries.github.io", None, "https://hill-libraries.github.io/"),
    ("hill-libraries/kb", "kb.hill.example.org", "https://kb.hill.example.org/"),
])
def test_where_github_pages_publishes(repository, domain, address):
    assert pages_address(repository, domain) == address


def test_a_site_that_is_this_repository_passes_in_ci(tmp_path):
    root = write_site(tmp_path, MKDOCS)
    project = open_project(root)
    assert identity_problems(project, site_info(engine_config(root), project.settings), CI) == []


def test_outside_github_actions_nothing_is_checked(tmp_path):
    root = write_site(tmp_path, MKDOCS.replace("hill-libraries.github.io/kb/", "elsewhere.example.org/"))
    project = open_project(root)
    site = site_info(engine_config(root), project.settings)
    assert identity_problems(project, site, {"GITHUB_REPOSITORY": "hill-libraries/kb"}) == []
    assert identity_problems(project, site, {}) == []


def test_a_copied_site_left_unchanged_fails_naming_each_line(tmp_path):
    """A community copies another site and forgets its address and repository: every feed,
    sitemap and share link would point at the other site."""
    root = write_site(tmp_path, MKDOCS, "editor:\n  enabled: true\n  repo: hill-libraries/old-kb\n")
    project = open_project(root)
    site = site_info(engine_config(root), project.settings)
    found = identity_problems(project, site, {**CI, "GITHUB_REPOSITORY": "river-libraries/wiki"})
    assert codes(found) == [("mkdocs.yml", 4, "site-repository-mismatch"), ("mkdocs.yml", 3, "site-url-mismatch"),
                            ("kb.yml", 3, "editor-repo-mismatch")]
    url = found[1]
    assert url.args["expected"] == "https://river-libraries.github.io/wiki/"


def test_a_custom_domain_is_where_the_site_must_be(tmp_path):
    root = write_site(tmp_path, MKDOCS, "site:\n  domain: KB.Hill.example.org\n")
    project = open_project(root)
    assert project.settings.domain == "kb.hill.example.org"
    site = site_info(engine_config(root), project.settings)
    [wrong] = identity_problems(project, site, CI)
    assert wrong.code == "site-url-mismatch" and wrong.args["expected"] == "https://kb.hill.example.org/"
    root2 = tmp_path / "second"
    root2.mkdir()
    write_site(root2, MKDOCS.replace("https://hill-libraries.github.io/kb/", "https://kb.hill.example.org/"),
               "site:\n  domain: kb.hill.example.org\n")
    project2 = open_project(root2)
    assert identity_problems(project2, site_info(engine_config(root2), project2.settings), CI) == []


def test_kb_yml_identity_values_are_checked(tmp_path):
    root = write_site(tmp_path, MKDOCS, "site:\n  domain: https://kb.example.org/\n  nmae_en: x\n"
                                        "editor:\n  repo: https://github.com/a/b\n")
    _, problems = load_settings(root)
    assert codes(problems) == [("kb.yml", 2, "kb-domain-form"), ("kb.yml", 3, "kb-key-unknown"),
                               ("kb.yml", 5, "kb-repository-form")]
    unknown = problems[1]
    assert "name_en" in unknown.suggestions and "domain" in unknown.args["keys"]


def test_the_editor_saves_to_the_site_repository_unless_kb_yml_names_another(tmp_path):
    from generator.contribute.editor.admin import backend_from_settings

    root = write_site(tmp_path, MKDOCS, "editor:\n  enabled: true\n")
    settings, problems = load_settings(root)
    assert problems == []  # the repository comes from mkdocs.yml's repo_url
    backend = backend_from_settings(settings, site_info(engine_config(root), settings))
    assert (backend.repo, backend.branch) == ("hill-libraries/kb", "trunk")
    assert backend_from_settings(Settings(editor_repo="a/b", editor_branch="x")).repo == "a/b"


def test_an_editor_with_no_repository_anywhere_is_refused(tmp_path):
    root = write_site(tmp_path, "site_name: x\n", "editor:\n  enabled: true\n")
    _, problems = load_settings(root)
    assert codes(problems) == [("kb.yml", 1, "editor-repo-missing")]


def test_project_problems_name_unknown_kinds_on_their_lines(tmp_path):
    root = write_site(tmp_path, MKDOCS, "kinds:\n  - tool\n  - toool\n  - job\n")
    project = open_project(root)
    try:
        assert codes(project.problems) == [("kb.yml", 3, "kb-kind-unknown")]
        from generator.kinds import KINDS
        assert set(KINDS) == {"tool", "job"}
    finally:
        open_project(tmp_path / "nowhere")  # every kind again for the tests after


def test_project_type_is_plain_values(tmp_path):
    root = write_site(tmp_path, MKDOCS)
    assert isinstance(open_project(root), Project)


def test_kb_validate_reports_the_identity_in_ci(tmp_path, capsys, monkeypatch):
    from helpers import new_content, run_kb

    new_content(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_REPOSITORY", "river-libraries/wiki")
    code, out, _ = run_kb(capsys, "--root", str(tmp_path), "--format", "parsable", "validate")
    assert code == 1 and "(site-url-mismatch)" in out and "(site-repository-mismatch)" in out
    monkeypatch.setenv("GITHUB_REPOSITORY", "hill-libraries/kb")
    assert run_kb(capsys, "--root", str(tmp_path), "validate")[0] == 0
