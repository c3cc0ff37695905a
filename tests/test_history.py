"""History from real Git repositories: one pass, renames, .mailmap, and graceful degradation."""

import datetime as dt
import subprocess

from generator.history import read_history
from gitrepo import Repo
from helpers import entry_text, new_content, write


def make(tmp_path):
    repo = Repo(tmp_path / "kb")
    content = new_content(repo.path)
    return repo, content


def test_created_updated_and_authors_in_order(tmp_path):
    repo, content = make(tmp_path)
    write(content, "tools/a.md", entry_text("tools"))
    repo.commit("add a", "王小明", "wang@example.org", "2023-01-05")
    write(content, "tools/a.md", entry_text("tools", summary="改過。"))
    repo.commit("edit a", "李大華", "lee@example.org", "2023-03-10")
    write(content, "tools/a.md", entry_text("tools", summary="再改。"))
    repo.commit("edit a again", "王小明", "wang@example.org", "2024-02-01")
    h = read_history(repo.path)
    assert h.available and h.problems == []
    fh = h.files["content/tools/a.md"]
    assert fh.created == dt.datetime(2023, 1, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert fh.updated.date() == dt.date(2024, 2, 1)
    assert [a.name for a in fh.authors] == ["王小明", "李大華"]
    assert fh.first_author.name == "王小明" and fh.commits == 3


def test_mailmap_merges_identities(tmp_path):
    repo, content = make(tmp_path)
    write(content, "tools/a.md", entry_text("tools"))
    repo.commit("add", "xiaoming", "xm@old.example.org", "2023-01-05")
    write(content, "tools/a.md", entry_text("tools", summary="改。"))
    repo.commit("edit", "王小明", "wang@example.org", "2023-02-05")
    (repo.path / ".mailmap").write_text("王小明 <wang@example.org> xiaoming <xm@old.example.org>\n", encoding="utf-8")
    repo.commit("mailmap", "Setup", "setup@example.org", "2023-02-06")
    fh = read_history(repo.path).files["content/tools/a.md"]
    assert [(a.name, a.email) for a in fh.authors] == [("王小明", "wang@example.org")]


def test_renames_are_followed(tmp_path):
    repo, content = make(tmp_path)
    write(content, "tools/old-name.md", entry_text("tools"))
    repo.commit("add", "王小明", "wang@example.org", "2022-05-01")
    repo.git("mv", "content/tools/old-name.md", "content/tools/new-name.md")
    repo.commit("rename", "李大華", "lee@example.org", "2023-05-01")
    h = read_history(repo.path)
    fh = h.files["content/tools/new-name.md"]
    assert fh.created.date() == dt.date(2022, 5, 1)
    assert [a.name for a in fh.authors] == ["王小明", "李大華"]
    assert "content/tools/old-name.md" not in h.files


def test_no_repository_degrades_with_one_warning(tmp_path):
    new_content(tmp_path)
    h = read_history(tmp_path)
    assert not h.available and h.files == {}
    assert [p.code for p in h.problems] == ["history-no-repo"]
    assert h.problems[0].level.value == "warning"


def test_shallow_clone_degrades_with_one_warning(tmp_path):
    repo, content = make(tmp_path)
    for i in range(3):
        write(content, f"tools/t{i}.md", entry_text("tools", url=f"https://example.org/{i}"))
        repo.commit(f"c{i}", "王小明", "wang@example.org", f"2023-0{i + 1}-01")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True)
    h = read_history(clone)
    assert not h.available and h.files == {}
    assert [p.code for p in h.problems] == ["history-shallow"]


def test_untracked_file_has_no_history(tmp_path):
    repo, content = make(tmp_path)
    write(content, "tools/a.md", entry_text("tools"))
    repo.commit("add", "王小明", "wang@example.org", "2023-01-05")
    write(content, "tools/new.md", entry_text("tools", url="https://example.org/new"))
    h = read_history(repo.path)
    assert "content/tools/new.md" not in h.files and "content/tools/a.md" in h.files


def test_project_inside_a_larger_repository(tmp_path):
    repo = Repo(tmp_path / "mono")
    content = new_content(repo.path / "kb")
    write(content, "tools/a.md", entry_text("tools"))
    repo.commit("add", "王小明", "wang@example.org", "2023-01-05")
    h = read_history(repo.path / "kb")
    assert sorted(h.files)[-1] == "content/tools/a.md" and all(p.startswith("content/") for p in h.files)


def test_bundle_history_combines_its_files(tmp_path):
    repo, content = make(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach"))
    repo.commit("add", "王小明", "wang@example.org", "2023-01-05")
    write(content, "outreach/ev/photo.jpg", b"\xff\xd8\xff")
    repo.commit("photo", "李大華", "lee@example.org", "2023-06-05")
    h = read_history(repo.path)
    fh = h.for_paths(["content/outreach/ev/index.md", "content/outreach/ev/photo.jpg"])
    assert fh.created.date() == dt.date(2023, 1, 5) and fh.updated.date() == dt.date(2023, 6, 5)
    assert [a.name for a in fh.authors] == ["王小明", "李大華"] and fh.first_author.name == "王小明"
