"""kb serve: after an edit, only what it touched is generated again (the hook driven as MkDocs
would, and the real preview server)."""

import datetime as dt
import gc
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from helpers import entry_text, new_content, write
from sitebuild import SITE_PATH, commit_all, write_config


@contextmanager
def preview(dirty=True):
    """The hook module as kb serve (or, dirty=False, a plain mkdocs serve) runs it; its state reset after."""
    hooks = importlib.import_module("hooks.kb_hooks")
    hooks.on_startup(command="serve", dirty=dirty)
    try:
        yield hooks
    finally:
        hooks.on_startup(command="build", dirty=False)  # a new, empty session


def run_files(hooks, config_path):
    config = load_config(config_file=str(config_path))
    config.plugins._current_plugin = "kb"  # what MkDocs sets while it runs an event
    config = hooks.on_config(config)
    files = hooks.on_files(get_files(config), config)
    return {f.src_uri: f for f in files}


def test_preview_rebuild_writes_only_the_edited_entry_page(tmp_path):
    content = new_content(tmp_path)
    for i in range(6):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}"))
    commit_all(tmp_path)
    edit = lambda: write(content, "tools/t3.md", entry_text(  # noqa: E731
        "tools", title="改過的工具", url="https://example.org/3"))
    [(rewritten, second, texts)], first = _serving(tmp_path, [edit])
    pages = lambda fs: {k for k in fs if k.endswith(".md")}  # noqa: E731
    # The rebuild is given what it renders again, the navigation's pages and nothing else:
    # the other pages stay in the preview as the first build made them.
    assert "tools/t3.md" in second and "tools/index.md" in second
    assert {"index.md", "tags/index.md", "stats/index.md", "contributors/index.md"} <= pages(second)
    assert not {f"tools/t{i}.md" for i in (0, 1, 2, 4, 5)} & pages(second)
    assert pages(second) < pages(first)
    assert "tools/t3.md" in rewritten
    assert not {f"tools/t{i}.md" for i in (0, 1, 2, 4, 5)} & rewritten
    assert "改過的工具" in texts["tools/t3.md"]
    assert "改過的工具" in texts["tools/index.md"]  # the listing follows


def _serving(tmp_path, edits, dirty=True):
    """Build once as kb serve would, apply each edit in turn with a rebuild after it; returns
    for each rebuild the generated pages rewritten, the files given to MkDocs and the page
    texts, and the files of the first build."""
    cfg = write_config(tmp_path)
    cache = tmp_path / ".kb-cache" / "docs"
    out = []
    with preview(dirty) as hooks:
        first = run_files(hooks, cfg)
        for edit in edits:
            before = {p: p.stat().st_mtime_ns for p in cache.rglob("*.md")}
            time.sleep(0.05)
            edit()
            files = run_files(hooks, cfg)
            after = {p: p.stat().st_mtime_ns for p in cache.rglob("*.md")}
            texts = {p.relative_to(cache).as_posix(): p.read_text(encoding="utf-8") for p in after}
            out.append(({p.relative_to(cache).as_posix() for p in after if after[p] != before.get(p)}, files, texts))
    return out, first


def test_plain_mkdocs_serve_is_given_every_page_on_a_rebuild(tmp_path):
    """Without --dirty MkDocs empties the site folder before each build: every page must come back."""
    content = new_content(tmp_path)
    for i in range(4):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}"))
    commit_all(tmp_path)
    edit = lambda: write(content, "tools/t2.md", entry_text(  # noqa: E731
        "tools", title="改過", url="https://example.org/2"))
    [(_, files, texts)], first = _serving(tmp_path, [edit], dirty=False)
    assert set(files) == set(first)
    assert "改過" in texts["tools/t2.md"]


def test_preview_redoes_only_the_listing_page_showing_the_entry_unless_the_order_changes(tmp_path):
    content = new_content(tmp_path)
    (tmp_path / "kb.yml").write_text("listing:\n  page_size: 2\n", encoding="utf-8")
    for i in range(7):  # newest first: t6 t5 | t4 t3 | t2 t1 | t0
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}",
                                                    date=dt.date(2024, 3, 10 + i)))
    commit_all(tmp_path)
    retitle = lambda: write(content, "tools/t1.md", entry_text(  # noqa: E731
        "tools", title="改名的工具", url="https://example.org/1", date=dt.date(2024, 3, 11)))
    redate = lambda: write(content, "tools/t1.md", entry_text(  # noqa: E731
        "tools", title="改名的工具", url="https://example.org/1", date=dt.date(2024, 3, 19)))
    [(retitled, files, first), (redated, _, second)], _ = _serving(tmp_path, [retitle, redate])
    # Same order: page 3 shows t1 and is redone; pages 2 and 4 are neither written nor given to MkDocs.
    assert "tools/page/3.md" in retitled and not {"tools/page/2.md", "tools/page/4.md"} & retitled
    assert "tools/page/3.md" in files and "tools/page/2.md" not in files
    assert "改名的工具" in first["tools/page/3.md"] and "工具 2" in first["tools/page/3.md"]
    # A new date moves t1 to the front: the listing is generated again and the pages that
    # shifted are redone (page 4 still shows only t0).
    assert {"tools/index.md", "tools/page/2.md", "tools/page/3.md"} <= redated
    assert "改名的工具" in second["tools/index.md"] and "改名的工具" not in second["tools/page/3.md"]
    assert "工具 2" in second["tools/page/3.md"] and "工具 0" in second["tools/page/4.md"]


def test_preview_rebuild_follows_a_changed_tag_and_a_removed_entry(tmp_path):
    content = new_content(tmp_path)
    for i in range(4):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}",
                                                    tags=["e-books"]))
    commit_all(tmp_path)

    def edit():
        write(content, "tools/t1.md", entry_text("tools", title="工具 1", url="https://example.org/1", tags=["sdgs"]))
        (content / "tools/t2.md").unlink()
    [(_, second, texts)], _ = _serving(tmp_path, [edit])
    assert "tools/t2.md" not in second
    assert "工具 1" in texts["tags/sdgs/index.md"]
    assert "工具 1" not in texts["tags/e-books/index.md"]  # the old tag page too
    assert "工具 2" not in texts["tools/index.md"]


def test_an_entry_made_internal_leaves_the_preview_at_once(tmp_path):
    """A dirty preview never empties its site folder: the entry's rendered page and files go
    when it turns internal, and its page and attachments leave the engine's folder."""
    content = new_content(tmp_path)
    write(content, "outreach/ev/index.md", entry_text("outreach", attachments=[{"file": "a.pdf", "title": "傳單"}]))
    write(content, "outreach/ev/a.pdf", b"%PDF-1.4\n%%EOF\n")
    write(content, "tools/t.md", entry_text("tools"))
    commit_all(tmp_path)
    rendered = tmp_path / "site/outreach/ev"

    def edit():
        write(rendered, "index.html", "<p>rendered before</p>")
        write(content, "outreach/ev/index.md", entry_text(
            "outreach", visibility="internal", attachments=[{"file": "a.pdf", "title": "傳單"}]))
    [(_, second, _)], first = _serving(tmp_path, [edit])
    assert "outreach/ev/a.pdf" in first and "outreach/ev/a.pdf" not in second
    assert not rendered.exists()
    assert not (tmp_path / ".kb-cache/docs/outreach/ev").exists()


def test_preview_leaves_the_first_build_out_of_later_collections(tmp_path):
    """After the preview's first build, what survived is frozen once (gc.freeze): the first
    collection after an edit would otherwise walk every object of a large site."""
    new_content(tmp_path)
    config = load_config(config_file=str(write_config(tmp_path)))
    gc.unfreeze()
    try:
        with preview() as hooks:
            hooks.on_post_build(config)
            frozen = gc.get_freeze_count()
            hooks.on_post_build(config)  # later rebuilds do not freeze again (their garbage must go)
            assert frozen > 0 and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_kb_serve_shows_an_edit_and_keeps_every_other_page(tmp_path):
    """The real preview server: after an edit the page shows it, its listing follows, and the
    pages that rebuild was not given are still served as the first build made them."""
    content = new_content(tmp_path)
    for i in range(5):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}"))
    write(content, "conference-reports/r.md", entry_text("conference-reports", title="年會報告"))
    commit_all(tmp_path)
    write_config(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kb = str(Path(sys.executable).parent / "kb")
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([kb, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=tmp_path,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=log, stderr=log,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}{SITE_PATH}"

    def get(path):
        try:
            with urllib.request.urlopen(base + path, timeout=5) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, ""
        except OSError:
            return None, ""

    def wait_for(path, text, seconds=60):
        end = time.time() + seconds
        while time.time() < end:
            status, body = get(path)
            if status == 200 and text in body:
                return True
            time.sleep(0.2)
        return False

    try:
        assert wait_for("tools/t2/", "工具 2"), (tmp_path / "serve.log").read_text()
        time.sleep(1.5)  # the watcher's first look at the folder
        write(content, "tools/t2.md", entry_text("tools", title="預覽改過的工具", url="https://example.org/2"))
        assert wait_for("tools/t2/", "預覽改過的工具", 30)
        assert wait_for("tools/", "預覽改過的工具", 10)
        for path, text in (("tools/t0/", "工具 0"), ("conference-reports/r/", "年會報告"), ("tags/", "標籤"),
                           ("search/", "kb-search-form"), ("search/meta.json", '"version"'),
                           ("feed.xml", "<rss")):
            status, body = get(path)
            assert status == 200 and text in body, path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
