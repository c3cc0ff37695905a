"""History from real Git repositories: one pass, renames, .mailmap, and graceful degradation."""

import datetime as dt
import subprocess

import pytest

from generator.knowledge.history import read_history
from generator.knowledge.indexing import load_knowledge_base
from generator.model.siteinfo import SiteInfo
from generator.site.context import SiteContext
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


# Names git quotes in its usual output ("\347\260\241..." in double quotes, \t, \", \\, \n);
# the history reads them NUL-separated, byte for byte. The last one holds the separators the
# commit header uses, which a path may hold too.
ODD_NAMES = ["簡報.pdf", "暑期閱讀 海報.pdf", "tab\there.pdf", 'say "hi".pdf', "back\\slash.pdf",
             "new\nline.pdf", "both \"\\\t\n 混合.pdf", "sep\x1e\x1f.pdf"]


@pytest.mark.parametrize("name", ODD_NAMES, ids=lambda n: n.encode("unicode_escape").decode("ascii"))
def test_commit_adding_only_a_quoted_name_to_a_bundle_counts(tmp_path, name):
    repo, content = make(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach"))
    repo.commit("add", "王小明", "wang@example.org", "2023-01-05")
    write(content, f"outreach/ev/{name}", b"%PDF-1.4\n")
    repo.commit("attach", "李大華", "lee@example.org", "2023-06-05")
    h = read_history(repo.path)
    assert h.problems == []
    fh = h.for_paths(["content/outreach/ev/index.md", f"content/outreach/ev/{name}"])
    assert fh.updated.date() == dt.date(2023, 6, 5) and fh.created.date() == dt.date(2023, 1, 5)
    assert [a.name for a in fh.authors] == ["王小明", "李大華"] and fh.commits == 2
    assert h.files[f"content/outreach/ev/{name}"].first_author.name == "李大華"


def test_entry_updated_and_credited_through_its_bundle(tmp_path):
    """What a page shows: the entry's last update and its contributors, one commit per odd name."""
    repo, content = make(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach"))
    repo.commit("add", "王小明", "wang@example.org", "2023-01-05")
    for i, name in enumerate(ODD_NAMES[:6]):
        write(content, f"outreach/ev/{name}", b"%PDF-1.4\n")
        repo.commit(f"attach {i}", f"作者{i}", f"a{i}@example.org", f"2023-0{i + 2}-01")
    kb = load_knowledge_base(repo.path / "content")
    (entry,) = [e for e in kb.entries if e.rel.startswith("outreach/ev")]
    assert sorted(entry.bundle_files) == sorted(ODD_NAMES[:6])
    ctx = SiteContext(SiteInfo(today=dt.date(2024, 1, 1)), read_history(repo.path))
    assert ctx.updated(entry).date() == dt.date(2023, 7, 1)
    assert ctx.published(entry).date() == dt.date(2023, 1, 5)
    assert [a.name for a in ctx.entry_history(entry).authors] == ["王小明"] + [f"作者{i}" for i in range(6)]


def test_renamed_quoted_names_are_followed(tmp_path):
    """With -z a rename is a status and two paths; odd names on both sides."""
    repo, content = make(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach"))
    write(content, "outreach/ev/舊 名\t稱.pdf", b"%PDF-1.4\n" + b"x" * 200)
    repo.commit("add", "王小明", "wang@example.org", "2022-05-01")
    repo.git("mv", "content/outreach/ev/舊 名\t稱.pdf", 'content/outreach/ev/新"名\n稱\\.pdf')
    repo.commit("rename", "李大華", "lee@example.org", "2023-05-01")
    assert "R100" in repo.git("log", "-1", "-M", "--name-status", "--format=")
    h = read_history(repo.path)
    fh = h.files['content/outreach/ev/新"名\n稱\\.pdf']
    assert fh.created.date() == dt.date(2022, 5, 1) and fh.updated.date() == dt.date(2023, 5, 1)
    assert [a.name for a in fh.authors] == ["王小明", "李大華"]
    assert {p for p in h.files if p.startswith("content/outreach/")} == {
        "content/outreach/ev/index.md", 'content/outreach/ev/新"名\n稱\\.pdf'}


def test_merges_list_no_files_and_do_not_disturb_the_others(tmp_path):
    """A merge is a header with no files, directly followed by the next commit's header."""
    repo, content = make(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach"))
    repo.commit("add", "王小明", "wang@example.org", "2023-01-05")
    repo.git("checkout", "-q", "-b", "side")
    write(content, "outreach/ev/海報 A.pdf", b"%PDF-1.4\n")
    repo.commit("poster", "李大華", "lee@example.org", "2023-03-01")
    repo.git("checkout", "-q", "main")
    write(content, "tools/a.md", entry_text("tools"))
    repo.commit("tool", "陳美玲", "chen@example.org", "2023-04-01")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "side",
             env={"GIT_AUTHOR_DATE": "2023-05-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2023-05-01T10:00:00+08:00"})
    write(content, "outreach/ev/海報 B.pdf", b"%PDF-1.4\n")
    repo.commit("second poster", "林志明", "lin@example.org", "2023-06-01")
    h = read_history(repo.path)
    assert h.problems == []
    assert {p for p in h.files if not p.startswith("content/registries/")} == {
        "content/outreach/ev/index.md", "content/outreach/ev/海報 A.pdf",
        "content/outreach/ev/海報 B.pdf", "content/tools/a.md"}
    assert [a.name for a in h.files["content/outreach/ev/海報 A.pdf"].authors] == ["李大華"]
    assert [a.name for a in h.files["content/tools/a.md"].authors] == ["陳美玲"]
    assert h.files["content/outreach/ev/海報 B.pdf"].updated.date() == dt.date(2023, 6, 1)
    assert all(f.commits == 1 for f in h.files.values())  # the merge credits nobody twice
