"""A build is one plain function of the generator (generator/build.py), tested here with no
engine: what it writes, what it returns, and how it stops."""

from __future__ import annotations

import pytest

from generator.build import BuildOptions, BuildStopped, Session
from generator.site.urls import FILE_LINKS
from helpers import entry_text, new_content, write
from sitebuild import commit_all


class Log:
    def __init__(self):
        self.lines = []

    def error(self, text):
        self.lines.append(("error", text))

    def warning(self, text):
        self.lines.append(("warning", text))

    def info(self, text):
        self.lines.append(("info", text))

    def raw(self, text):
        self.lines.append(("raw", text))


def options(tmp_path, **kw):
    return BuildOptions(project_dir=tmp_path, docs_dir=tmp_path / ".kb-cache" / "docs", site_dir=tmp_path / "site", **kw)


def test_a_build_returns_its_pages_and_writes_them(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/atlas.md", entry_text("tools", title="地圖工具"))
    write(content, "tools/secret.md", entry_text("tools", title="內部工具", url="https://example.org/x",
                                                 visibility="internal"))
    commit_all(tmp_path)
    build = Session().generate(options(tmp_path), Log())
    pages = dict(build.pages)
    assert pages["index.md"] is True and pages["tools/atlas.md"] is False
    assert "tools/secret.md" not in pages and build.entries == {"tools/atlas.md": "content/tools/atlas.md"}
    assert "地圖工具" in (tmp_path / ".kb-cache/docs/tools/atlas.md").read_text(encoding="utf-8")
    assert not (tmp_path / ".kb-cache/docs/tools/secret.md").exists()
    assert "atom.xml" in build.feeds and "內部工具" not in "".join(build.feeds.values())
    assert (tmp_path / "site/search").is_dir() and build.full


def test_links_are_a_value_of_the_build(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/atlas.md", entry_text("tools", title="地圖工具"))
    commit_all(tmp_path)
    session = Session()
    files = session.generate(options(tmp_path, links=FILE_LINKS), Log())
    listing = (tmp_path / ".kb-cache/docs/tools/index.md").read_text(encoding="utf-8")
    assert 'href="../tools/atlas.html"' in listing or 'href="atlas.html"' in listing
    directory = session.generate(options(tmp_path), Log())  # the next build, in the same process
    listing = (tmp_path / ".kb-cache/docs/tools/index.md").read_text(encoding="utf-8")
    assert ".html" not in listing.split("kb-list", 1)[1] and "atlas/" in listing
    assert files.options.links.files and not directory.options.links.files


def test_content_errors_stop_the_build_with_their_problems_in_english(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/broken.md", entry_text("tools", url="not a url"))
    log = Log()
    with pytest.raises(BuildStopped) as stopped:
        Session().generate(options(tmp_path, lang="en"), log)
    assert [p.code for p in stopped.value.problems] == ["value-url"]
    assert "content error" in str(stopped.value)
    errors = [text for level, text in log.lines if level == "error"]
    assert len(errors) == 1 and "content/tools/broken.md:" in errors[0] and "URL" in errors[0]


def test_github_format_reaches_the_log_as_annotations(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/broken.md", entry_text("tools", url="not a url"))
    log = Log()
    with pytest.raises(BuildStopped):
        Session().generate(options(tmp_path, fmt="github"), log)
    [(level, text)] = [line for line in log.lines if line[0] != "info"]  # the phases' lines aside
    assert level == "raw" and text.startswith("::error file=content/tools/broken.md,line=")


def test_a_build_says_what_it_is_doing_phase_by_phase(tmp_path):
    """One line per phase with its count and seconds: a long build in CI is not minutes of silence."""
    content = new_content(tmp_path)
    write(content, "tools/atlas.md", entry_text("tools", title="地圖工具"))
    commit_all(tmp_path)
    log = Log()
    build = Session().generate(options(tmp_path, lang="en"), log)
    (tmp_path / "site").mkdir(exist_ok=True)
    build.after(tmp_path / "site", log)
    phases = [text for level, text in log.lines if level == "info"]
    assert [p.split(" in ")[0] for p in phases] == [
        "loaded and checked 1 entries", f"generated {len(build.pages)} pages, the feeds and data files",
        f"the engine rendered {len(build.pages)} pages", "scanned the built pages (0 problems)"]
    assert all(p.endswith(" s") for p in phases)
