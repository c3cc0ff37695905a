"""kb.yml's discussion: settings (GitHub Discussions through Giscus), off by default: each value
checked, with a message in Chinese and English naming the key and its line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from generator.model.settings import Settings, load_settings, options_table
from generator.model.siteinfo import SiteInfo
from generator.site.views.entry import discussion_term
from generator.validation.reporting import format_text

GOOD = ("discussion:\n  enabled: true\n  repo: hill-libraries/kb\n  repo_id: R_kgDOabcd\n"
        "  category: 條目討論\n  category_id: DIC_kwDOabcd4Cxyz\n")


def load(tmp_path, text, mkdocs=""):
    (tmp_path / "kb.yml").write_text(text, encoding="utf-8")
    if mkdocs:
        (tmp_path / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return load_settings(tmp_path)


def found(problems):
    return [(p.line, p.column, p.code) for p in problems]


def test_off_by_default():
    s = Settings()
    assert not s.discussion_enabled and s.discussion_mapping == "specific"
    assert s.discussion_repo is s.discussion_repo_id is s.discussion_category is s.discussion_category_id is None


def test_the_settings_giscus_needs_are_read(tmp_path):
    s, problems = load(tmp_path, GOOD + "  mapping: pathname\n")
    assert problems == []
    assert (s.discussion_enabled, s.discussion_repo, s.discussion_repo_id, s.discussion_category,
            s.discussion_category_id, s.discussion_mapping) == (
        True, "hill-libraries/kb", "R_kgDOabcd", "條目討論", "DIC_kwDOabcd4Cxyz", "pathname")


def test_the_repository_defaults_to_the_sites(tmp_path):
    s, problems = load(tmp_path, GOOD.replace("  repo: hill-libraries/kb\n", ""),
                       mkdocs="site_name: x\nrepo_url: https://github.com/hill-libraries/kb\n")
    assert problems == [] and s.discussion_repo is None


@pytest.mark.parametrize(("text", "expected", "zh", "en"), [
    (GOOD.replace("R_kgDOabcd", "kgDOabcd"), [(4, 12, "kb-giscus-id")],
     "「discussion.repo_id」要寫 giscus.app 顯示的代碼（以 R_ 開頭），「kgDOabcd」不是",
     "'discussion.repo_id' takes the id giscus.app shows (starting with R_); 'kgDOabcd' is not one"),
    (GOOD.replace("DIC_kwDOabcd4Cxyz", "DIC_<script>"), [(6, 16, "kb-giscus-id")],
     "「discussion.category_id」要寫 giscus.app 顯示的代碼（以 DIC_ 開頭）",
     "'discussion.category_id' takes the id giscus.app shows (starting with DIC_)"),
    (GOOD.replace("hill-libraries/kb", "https://github.com/hill-libraries/kb"), [(3, 9, "kb-repository-form")],
     "「discussion.repo」要寫 GitHub 的「擁有者/名稱」", "'discussion.repo' takes a GitHub owner/name"),
    (GOOD + "  mapping: title\n", [(7, 12, "value-choice")],
     "可用的值：specific, pathname", "allowed values: specific, pathname"),
    (GOOD + "  reactions: true\n", [(7, 3, "kb-key-unknown")],
     "kb.yml 沒有「reactions」這項設定", "kb.yml has no setting 'reactions'"),
    (GOOD.replace("enabled: true", "enabled: yes please"), [(2, 12, "type-bool")], "enabled", "enabled"),
    # Turned on without what Giscus needs: said once, on the discussion: line, naming what is missing.
    ("discussion:\n  enabled: true\n  category: 條目討論\n", [(1, 1, "discussion-incomplete")],
     "kb.yml 開啟了條目討論，卻缺少：repo, repo_id, category_id",
     "kb.yml turns discussion on but lacks: repo, repo_id, category_id"),
    # A wrong value is reported as wrong, not again as missing.
    ("discussion:\n  enabled: true\n  repo: a/b\n  repo_id: x\n  category: c\n  category_id: DIC_abcde\n",
     [(4, 12, "kb-giscus-id")], "以 R_ 開頭", "starting with R_"),
])
def test_a_wrong_value_is_named_in_both_languages(tmp_path, text, expected, zh, en):
    _, problems = load(tmp_path, text)
    assert found(problems) == expected
    assert zh in format_text(problems, "zh-TW") and en in format_text(problems, "en")


def test_off_it_needs_nothing(tmp_path):
    _, problems = load(tmp_path, "discussion:\n  enabled: false\n")
    assert problems == []


def test_the_readme_lists_every_discussion_option():
    table = options_table()
    for key in ("enabled", "repo", "repo_id", "category", "category_id", "mapping"):
        assert f"| `discussion.{key}` |" in table
    assert "| `discussion.mapping` | `specific` |" in table


def test_the_term_giscus_looks_for():
    entry = SimpleNamespace(key="tools/ifla", url="tools/ifla/")
    site = SiteInfo(site_url="https://hill-libraries.github.io/kb/")
    assert discussion_term(entry, site, "specific") == "tools/ifla"
    # Giscus's pathname: location.pathname without its first slash (a project site's path included).
    assert discussion_term(entry, site, "pathname") == "kb/tools/ifla/"
    assert discussion_term(entry, SiteInfo(site_url="https://kb.example.org"), "pathname") == "tools/ifla/"
    # the English page: its own path (pathname), the same discussion as the Chinese page's (specific)
    assert discussion_term(entry, site, "pathname", "en/") == "kb/en/tools/ifla/"
    assert discussion_term(entry, site, "specific", "en/") == "tools/ifla"
