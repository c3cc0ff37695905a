"""kb serve: after an edit, only what it touched is generated again (the hook driven as MkDocs would)."""

import importlib
import time

from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from helpers import entry_text, new_content, write
from sitebuild import commit_all, write_config


def run_files(hooks, config_path):
    config = load_config(config_file=str(config_path))
    config.plugins._current_plugin = "kb"  # what MkDocs sets while it runs an event
    config = hooks.on_config(config)
    files = hooks.on_files(get_files(config), config)
    return {f.src_uri: f for f in files}


def test_preview_rebuild_writes_only_the_edited_entry_page(tmp_path):
    hooks = importlib.import_module("hooks.kb_hooks")
    content = new_content(tmp_path)
    for i in range(6):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}"))
    commit_all(tmp_path)
    cfg = write_config(tmp_path)
    hooks.on_startup(command="serve", dirty=True)
    try:
        first = run_files(hooks, cfg)
        cache = tmp_path / ".kb-cache" / "pages"
        before = {p: p.stat().st_mtime_ns for p in cache.rglob("*.md")}
        time.sleep(0.05)
        write(content, "tools/t3.md", entry_text("tools", title="改過的工具", url="https://example.org/3"))
        second = run_files(hooks, cfg)
        after = {p: p.stat().st_mtime_ns for p in cache.rglob("*.md")}
    finally:
        hooks.on_startup(command="build", dirty=False)
        hooks._SERVE.clear()
        hooks._SERVE.update({"active": False, "caches": {}})
    pages = lambda fs: {k for k in fs if k.endswith(".md")}  # noqa: E731
    assert pages(first) == pages(second)  # every page is still part of the site (feeds stay from the first build)
    rewritten = {p.relative_to(cache).as_posix() for p in after if after[p] != before.get(p)}
    assert "tools/t3.md" in rewritten
    assert not {f"tools/t{i}.md" for i in (0, 1, 2, 4, 5)} & rewritten
    assert "改過的工具" in (cache / "tools/t3.md").read_text(encoding="utf-8")
    assert "改過的工具" in (cache / "tools/index.md").read_text(encoding="utf-8")  # the listing follows


def test_preview_rebuild_follows_a_changed_tag_and_a_removed_entry(tmp_path):
    hooks = importlib.import_module("hooks.kb_hooks")
    content = new_content(tmp_path)
    for i in range(4):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}",
                                                    tags=["e-books"]))
    commit_all(tmp_path)
    cfg = write_config(tmp_path)
    hooks.on_startup(command="serve", dirty=True)
    try:
        run_files(hooks, cfg)
        write(content, "tools/t1.md", entry_text("tools", title="工具 1", url="https://example.org/1", tags=["sdgs"]))
        (content / "tools/t2.md").unlink()
        second = run_files(hooks, cfg)
    finally:
        hooks.on_startup(command="build", dirty=False)
        hooks._SERVE.clear()
        hooks._SERVE.update({"active": False, "caches": {}})
    cache = tmp_path / ".kb-cache" / "pages"
    assert "tools/t2.md" not in second
    assert "工具 1" in (cache / "tags/sdgs/index.md").read_text(encoding="utf-8")
    assert "工具 1" not in (cache / "tags/e-books/index.md").read_text(encoding="utf-8")  # the old tag page too
    assert "工具 2" not in (cache / "tools/index.md").read_text(encoding="utf-8")
