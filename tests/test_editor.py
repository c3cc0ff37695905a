"""The web editor, really started: ``kb edit`` runs npm's decap-server on a temporary copy of
the knowledge base, Decap's admin page is driven in Debian's Chromium, and what it writes is
checked with ``kb validate`` and a real build (issue #16)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.browser import chromium, recording_page
from tests.helpers import example_content
from tests.sitebuild import SITE_PATH, commit_all, mkdocs_build, write_config

ROOT = Path(__file__).resolve().parents[1]
POSTER = ROOT / "tests" / "data" / "poster.png"
ARTIFACTS = ROOT / "test-artifacts"
SHOTS = ARTIFACTS / "editor-screens"  # the screenshots in CONTRIBUTING come from here

pytestmark = pytest.mark.skipif(not (ROOT / "node_modules" / "decap-server").is_dir(),
                                reason="npm ci installs decap-server (make test does)")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, seconds: float = 60, log=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise AssertionError(f"kb edit stopped: {log.read()[-3000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def _until(check, seconds: float = 30, what: str = "", page=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    if page is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "editor-failure.png"), full_page=True)
        what += ": " + " | ".join(page.get_by_text(re.compile("必須|不符|無法|錯誤|失敗")).all_inner_texts())
    raise AssertionError(f"timed out: {what}")


def _git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path):
    """The tests' knowledge base (an entry of every kind) in a Git repository of its own."""
    example_content(tmp_path, every_kind=True)
    write_config(tmp_path)
    commit_all(tmp_path)
    return tmp_path


@contextlib.contextmanager
def kb_edit(project: Path, *, workflow: bool, preview: int | None = None, stop=signal.SIGINT):
    admin, server = _port(), _port()
    argv = [sys.executable, "-m", "generator.cli", "--root", str(project), "edit", "--no-browser",
            "--port", str(admin), "--server-port", str(server)] + (["--workflow"] if workflow else [])
    argv += ["--preview-port", str(preview)] if preview else ["--no-preview"]
    log = open(project / "kb-edit.log", "w+", encoding="utf-8")  # a file: a full pipe would stall the servers
    proc = subprocess.Popen(argv, cwd=project, stdout=log, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "KB_LANG": "zh-TW"})
    try:
        _wait_port(admin, proc, log=log)
        yield f"http://127.0.0.1:{admin}/admin/"
    finally:
        proc.send_signal(stop)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    # decap-server went with it
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", server)) != 0


def field(page, label: str):
    """A form field by its label (Decap adds 「(選填)」 to optional ones)."""
    return page.get_by_label(re.compile("^" + re.escape(label)))


def pick(page, label: str, *options: str) -> None:
    box = field(page, label)
    for option in options:
        box.fill(option)
        page.keyboard.press("Enter")


def open_admin(page, url: str, route: str) -> None:
    """Open a page of the editor, signing in (to the local server: one click) the first time."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.set_default_timeout(15000)
    page.goto("about:blank")  # a new load: Decap's router does not follow a changed hash alone
    page.goto(url + route)
    try:
        page.get_by_role("button", name="登入").click(timeout=5000)
    except PlaywrightTimeout:
        pass  # still signed in


def fill_common(page, slug: str, title: str, date: str, summary: str, tags: list[str], author: str) -> None:
    page.wait_for_selector("text=英文短名")
    field(page, "英文短名").fill(slug)
    field(page, "標題").fill(title)
    field(page, "撰寫日期").fill(date)
    field(page, "摘要").fill(summary)
    pick(page, "標籤", *tags)
    page.get_by_role("button", name="新增作者 Authors").click()
    field(page, "作者").last.fill(author)
    pick(page, "公開程度", "公開")


def write_body(page, text: str) -> None:
    page.locator("[data-slate-editor]").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def save(page, workflow: bool = True) -> None:
    """Save: a draft in the editorial workflow; without it, Decap's publish, which kb edit
    labels 儲存 → 立即儲存 (it writes the file into content/: nothing is published)."""
    if workflow:
        page.get_by_role("button", name="儲存", exact=True).click()
        return
    try:
        page.get_by_role("button", name="儲存", exact=True).first.click()
        page.get_by_text("立即儲存", exact=True).click()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "editor-failure.png"))
        raise


def test_two_kinds_written_in_the_browser_pass_validation_and_build(project, tmp_path_factory):
    timings = {}
    poster = tmp_path_factory.mktemp("upload") / "暑期閱讀 海報.png"  # as a phone or Word names it
    shutil.copyfile(POSTER, poster)
    with chromium() as browser, recording_page(browser) as page, kb_edit(project, workflow=True) as admin:
        started = time.monotonic()
        open_admin(page, admin, "#/collections/tool/new")
        # Saved without a slug: the form says why, in the slug's own place, as written.
        save(page)
        message = page.get_by_text("英文短名（網址）新條目必填").first
        message.wait_for()
        assert message.evaluate("e => getComputedStyle(e).textTransform") == "none"
        optional_mark = page.locator("label[for^='slug-field-'] > span")
        assert optional_mark.evaluate("e => getComputedStyle(e).display") == "none", "not marked optional"
        assert "zotero-guide" in message.inner_text()
        fill_common(page, "zotero", "Zotero 書目管理工具", "2024-05-01", "免費的書目管理工具，適合帶讀者整理參考文獻。",
                    ["資訊素養", "數位圖書館"], "王小明")
        field(page, "網址").fill("https://www.zotero.org/")
        field(page, "用途").fill("整理參考文獻並產生引用格式。")
        pick(page, "類別", "資料庫")
        field(page, "推薦人").fill("李小華（參考服務組）")
        pick(page, "費用", "免費")
        pick(page, "介面語言", "英文", "繁體中文")
        pick(page, "適用對象", "館員", "大學部")
        field(page, "連結檢查日期").fill("2024-05-02")
        write_body(page, "我們用它整理館員研習的參考書目。")
        SHOTS.mkdir(parents=True, exist_ok=True)
        field(page, "英文短名").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "2-form.png"))
        save(page)
        _until(lambda: "cms/tool/zotero/index" in _git(project, "branch", "--list", "cms/*"), what="the tool's branch", page=page)
        timings["tool"] = time.monotonic() - started

        started = time.monotonic()
        open_admin(page, admin, "#/collections/guide/new")
        fill_common(page, "event-posters", "活動海報製作指南", "2024-06-01", "怎麼做一張讓人一眼看懂的活動海報。",
                    ["推廣服務"], "陳美玲")
        page.get_by_role("button", name="新增附件 Attachments").click()
        page.get_by_role("button", name="選擇一個檔案").click()
        page.locator("input[type=file]").set_input_files(str(poster))
        page.get_by_text("海報.png").first.wait_for()
        page.screenshot(path=str(SHOTS / "3-attachment.png"))
        page.get_by_role("button", name="選擇已選擇的項目").click()
        field(page, "說明").fill("海報範例")
        pick(page, "類型", "海報")
        write_body(page, "先決定主標，再放日期與地點。")
        save(page)
        _until(lambda: "cms/guide/event-posters/index" in _git(project, "branch", "--list", "cms/*"),
               what="the guide's branch", page=page)
        timings["guide"] = time.monotonic() - started
        open_admin(page, admin, "#/workflow")
        page.get_by_text("活動海報製作指南").first.wait_for()
        page.screenshot(path=str(SHOTS / "4-workflow.png"))
        open_admin(page, admin, "#/collections/tool")
        page.get_by_text("Zotero 書目管理工具").first.wait_for()
        page.screenshot(path=str(SHOTS / "1-collections.png"))
        local = ("http://127.0.0.1:", "blob:http://127.0.0.1:", "about:blank", "data:")
        outside = [u for u in page.requests if not u.startswith(local)]
    assert not outside, f"the editor asked for something off this machine: {outside[:5]}"

    tool = _git(project, "show", "cms/tool/zotero/index:content/tools/zotero/index.md")
    fm, body = _split(tool)
    assert fm == {
        "slug": "zotero", "title": "Zotero 書目管理工具", "date": dt.date(2024, 5, 1),
        "summary": "免費的書目管理工具，適合帶讀者整理參考文獻。", "tags": ["information-literacy", "digital-library"],
        "authors": ["王小明"], "visibility": "public", "language": "zh-TW", "url": "https://www.zotero.org/",
        "purpose": "整理參考文獻並產生引用格式。", "category": "database", "recommended_by": "李小華（參考服務組）",
        "cost": "free", "interface_languages": ["en", "zh-TW"], "audience": ["librarians", "undergraduates"],
        "checked": dt.date(2024, 5, 2),
    }
    assert body.strip() == "我們用它整理館員研習的參考書目。"
    guide_files = _git(project, "-c", "core.quotepath=false", "ls-tree", "-r", "--name-only",
                       "cms/guide/event-posters/index", "content/guides")
    uploaded = [f for f in guide_files.splitlines() if f.endswith(".png")]
    assert len(uploaded) == 1 and uploaded[0].startswith("content/guides/event-posters/") and "海報" in uploaded[0], uploaded
    name = uploaded[0].rsplit("/", 1)[1]
    fm, _ = _split(_git(project, "show", "cms/guide/event-posters/index:content/guides/event-posters/index.md"))
    assert fm["attachments"] == [{"type": "flyer", "file": name, "title": "海報範例"}]

    for branch in ("cms/tool/zotero/index", "cms/guide/event-posters/index"):
        _git(project, "checkout", "-q", branch)
        check = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(project), "--lang", "en", "validate"],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    _git(project, "checkout", "-q", "main")
    for branch in ("cms/tool/zotero/index", "cms/guide/event-posters/index"):
        _git(project, "merge", "-q", "--no-edit", branch)
    build = mkdocs_build(project, git=False)
    assert build.returncode == 0, build.stderr[-3000:]
    site = project / "site"
    assert "Zotero 書目管理工具" in (site / "tools" / "zotero" / "index.html").read_text(encoding="utf-8")
    assert (site / "guides" / "event-posters" / name).read_bytes() == POSTER.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "editor-timings.txt").write_text(
        "".join(f"{k}: {v:.1f} s from opening the form to the saved branch\n" for k, v in timings.items()))


def test_the_admin_page_is_in_the_site_only_when_kb_yml_turns_it_on(tmp_path):
    from tests.helpers import entry_text, new_content, write

    content = new_content(tmp_path)
    write(content, "tools/zotero.md", entry_text("tools"))
    built = mkdocs_build(tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    assert not (tmp_path / "site" / "admin").exists(), "off unless kb.yml turns it on"

    (tmp_path / "kb.yml").write_text("editor:\n  enabled: true\n  repo: taiwan-libraries/kb\n"
                                     "  base_url: https://auth.example.org\n", encoding="utf-8")
    built = mkdocs_build(tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    admin = tmp_path / "site" / "admin"
    names = {p.name for p in admin.iterdir()}
    assert {"index.html", "config.yml", "kb-admin.js", "decap-cms.js", "kb-rules.json"} <= names
    assert not any(n.endswith(".map") for n in names), "no source maps"
    dist = ROOT / "node_modules" / "decap-cms" / "dist"
    assert (admin / "decap-cms.js").read_bytes() == (dist / "decap-cms.js").read_bytes(), "npm's file, as locked"
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert "<script src=\"decap-cms.js\"></script>" in page and "http" not in page.replace("http-equiv", "")
    cfg = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert cfg["backend"] == {**cfg["backend"], "name": "github", "repo": "taiwan-libraries/kb", "open_authoring": True,
                              "base_url": "https://auth.example.org"}
    assert cfg["publish_mode"] == "editorial_workflow" and "local_backend" not in cfg
    assert '"index"' in (admin / "kb-admin.js").read_text(encoding="utf-8"), "the reserved slugs filled in"
    assert "const CHECK_URL = null;" in (admin / "kb-admin.js").read_text(encoding="utf-8"), "no kb edit server there"
    rules = json.loads((admin / "kb-rules.json").read_text(encoding="utf-8"))
    assert set(rules["kinds"]) == set(cfg_kinds(cfg)), "the form's rules for every collection"
    assert (admin / "yaml" / "index.js").is_file(), "the yaml library kb-admin.js imports"
    files = [p for p in admin.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "editor-admin-size.txt").write_text(f"/admin/: {len(files)} files, {size / 1e6:.2f} MB\n")
    # A copy opened from disk cannot sign in or save: no editor there.
    built = mkdocs_build(tmp_path, env={"KB_OFFLINE": "1"})
    assert built.returncode == 0, built.stderr[-2000:]
    assert not (tmp_path / "site" / "admin").exists()


def cfg_kinds(cfg) -> list[str]:
    return [c["name"] for c in cfg["collections"]]


def _get(url: str) -> str:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def _split(text: str):
    assert text.startswith("---\n")
    fm, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(fm), body


@pytest.mark.parametrize("rel, route", [
    ("tools/ifla.md", "#/collections/tool/entries/ifla"),
    ("outreach/nkust-book-swap-festival/index.md", "#/collections/outreach/entries/nkust-book-swap-festival/index"),
])
def test_editing_one_field_changes_only_that_field(project, rel, route):
    path = project / "content" / rel
    # A comment, as contributors who write files by hand leave them: is it kept?
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n# 由編輯小組審閱 reviewed by the editors\n", 1),
                    encoding="utf-8")
    commit_all(project)
    before = path.read_text(encoding="utf-8")
    label, new_value, key = (("連結檢查日期", "2026-11-20", "checked") if rel.startswith("tools")
                             else ("參與人次", "1234", "attendance"))
    preview = _port() if rel.startswith("tools") else None  # the live preview beside it, once
    with chromium() as browser, recording_page(browser) as page, kb_edit(project, workflow=False,
                                                                         preview=preview) as admin:
        url = f"http://127.0.0.1:{preview}{SITE_PATH}tools/ifla/"
        if preview:  # the preview's first build done: it watches for changes from then on
            _until(lambda: "2024-03-01" in _get(url), seconds=180, what="the live preview")
        open_admin(page, admin, route)
        field(page, label).fill(new_value)
        save(page, workflow=False)
        _until(lambda: path.read_text(encoding="utf-8") != before, what="the saved file", page=page)
        if preview:
            _until(lambda: new_value in _get(url), seconds=180, what="the live preview showing the edit")
    after = path.read_text(encoding="utf-8")
    fm_before, body_before = _split(before)
    fm_after, body_after = _split(after)
    expected = dt.date.fromisoformat(new_value) if key == "checked" else int(new_value)
    assert fm_after == {**fm_before, key: expected}, "only the edited field's value changed"
    assert body_after.strip() == body_before.strip()
    check = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(project), "--lang", "en", "validate"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    # What Decap rewrote besides the value: kept for the record (see README, "The web editor").
    diff = subprocess.run(["git", "diff", "--no-color", "-U0", "--", f"content/{rel}"], cwd=project,
                          capture_output=True, text=True).stdout
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"editor-rewrites-{Path(rel).parts[0]}.diff").write_text(diff, encoding="utf-8")


def _entry_route(kind_id: str, rel: str) -> str:
    name = rel.split("/", 1)[1]
    slug = name.removesuffix("/index.md") + "/index" if name.endswith("/index.md") else name.removesuffix(".md")
    return f"#/collections/{kind_id}/entries/{slug}"


def test_an_entry_of_every_kind_round_trips_through_the_form(project):
    """One sample entry of each kind, opened in the form, its title changed and saved: every
    other value and the body as before (only formatting may change; it is recorded)."""
    from generator.kinds import KINDS

    samples = {}
    for kind in KINDS.values():
        folder = project / "content" / kind.folder
        first = sorted(p for p in folder.iterdir() if p.suffix == ".md" or (p / "index.md").is_file())[0]
        samples[kind.id] = f"{kind.folder}/{first.name}" + ("/index.md" if first.is_dir() else "")
    before = {k: (project / "content" / rel).read_text(encoding="utf-8") for k, rel in samples.items()}
    with chromium() as browser, recording_page(browser) as page, \
            kb_edit(project, workflow=False, stop=signal.SIGTERM) as admin:  # `kill` stops decap-server too
        for kind_id, rel in samples.items():
            path = project / "content" / rel
            stamp = path.stat().st_mtime_ns
            open_admin(page, admin, _entry_route(kind_id, rel))
            title = field(page, "標題")
            title.press("End")
            title.type("（修訂）")
            save(page, workflow=False)
            _until(lambda: path.stat().st_mtime_ns != stamp, what=f"{rel} saved", page=page)
    report = []
    for kind_id, rel in samples.items():
        after = (project / "content" / rel).read_text(encoding="utf-8")
        fm_before, body_before = _split(before[kind_id])
        fm_after, body_after = _split(after)
        assert fm_after == {**fm_before, "title": fm_before["title"] + "（修訂）"}, rel
        assert body_after.strip() == body_before.strip(), rel
        old, new = before[kind_id].splitlines(), after.splitlines()
        report.append(f"{rel}: {sum(1 for line in old if line not in new)} of {len(old)} lines rewritten")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "editor-roundtrip.txt").write_text("\n".join(report) + "\n", encoding="utf-8")


# Strings that mean something else to YAML 1.1 (which kb reads) or 1.2 (which Decap writes),
# to Markdown or to HTML; several from the Big List of Naughty Strings.
NAUGHTY = ["yes", "no", "null", "~", "12:30", "010", "1e3", "0x1F", "2024-01-01", "#不是註解", "- 清單",
           "'單引號'", '"雙引號"', ": 冒號", "a: b", "[括號]", "{大括號}", "&anchor", "*alias", "!tag",
           "%percent", "@at", "`反引號`", "｜全形｜", "<script>alert(1)</script>", "--- ", "…"]
# (A bidirectional control such as U+202E passes through the form too, and kb validate refuses it
# with text-control-char, as it does in any file: tests/test_validation.py.)


def test_what_a_contributor_types_is_what_kb_reads(project):
    from generator.knowledge.indexing import load_knowledge_base

    with chromium() as browser, recording_page(browser) as page, kb_edit(project, workflow=False) as admin:
        open_admin(page, admin, "#/collections/guide/new")
        fill_common(page, "naughty-strings", "2024-01-01", "2024-06-01", "no", ["推廣服務"], NAUGHTY[0])
        for value in NAUGHTY[1:]:
            page.get_by_role("button", name="新增作者 Authors").click()
            field(page, "作者").last.fill(value)
        write_body(page, "內文。")
        save(page, workflow=False)
        path = project / "content" / "guides" / "naughty-strings" / "index.md"
        _until(path.is_file, what="the new entry", page=page)
    kb = load_knowledge_base(project / "content", display_prefix="content")
    errors = [p for p in kb.problems if p.level.value == "error"]
    assert not errors, [(p.code, p.line, p.args) for p in errors]
    entry = next(e for e in kb.entries if e.slug == "naughty-strings")
    assert entry.data["title"] == "2024-01-01" and entry.data["summary"] == "no"
    assert entry.data["authors"] == [v.strip() for v in NAUGHTY]


def test_a_strangers_draft_runs_no_script_in_the_editor(project):
    """A contributor's entry opened by a maintainer: its title, fields and body (raw HTML, a
    javascript: link) are shown in the form, the preview pane and the list, and run nothing."""
    hostile = '<img src=x onerror="window.kbXss=(window.kbXss||0)+1">'
    path = project / "content" / "tools" / "hostile.md"
    text = (project / "content" / "tools" / "ifla.md").read_text(encoding="utf-8")
    text = text.replace("title: 國際圖書館協會聯盟（IFLA）", f"title: '{hostile}'", 1)
    text = text.replace("url: https://www.ifla.org/", "url: https://hostile.example.org/", 1)
    text += f"\n{hostile}\n\n<script>window.kbXss=(window.kbXss||0)+1</script>\n\n[連結](javascript:window.kbXss=1)\n"
    path.write_text(text, encoding="utf-8")
    commit_all(project)
    with chromium() as browser, recording_page(browser) as page, kb_edit(project, workflow=False) as admin:
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_admin(page, admin, "#/collections/tool")
        page.get_by_text(hostile).first.wait_for()  # the title, shown as text in the list
        open_admin(page, admin, "#/collections/tool/entries/hostile")
        field(page, "標題").wait_for()
        time.sleep(2)  # the preview pane renders the body
        frames = page.frames
        assert len(frames) > 1, "the preview pane is a frame"
        assert all(f.evaluate("window.kbXss === undefined") for f in frames)
        for f in frames[1:]:
            assert f.locator("script").count() == 0 and f.locator("[onerror]").count() == 0
            assert f.locator("a[href^='javascript:' i]").count() == 0
        assert not dialogs


def test_a_required_list_left_empty_is_named_before_saving(project):
    """Decap lets an empty required list through; the form says which one, and writes nothing."""
    with chromium() as browser, recording_page(browser) as page, kb_edit(project, workflow=False) as admin:
        open_admin(page, admin, "#/collections/guide/new")
        page.wait_for_selector("text=英文短名")
        field(page, "英文短名").fill("no-author")
        field(page, "標題").fill("沒有作者的指南")
        field(page, "撰寫日期").fill("2024-06-01")
        field(page, "摘要").fill("忘了填作者。")
        pick(page, "標籤", "推廣服務")
        write_body(page, "內文。")
        save(page, workflow=False)
        page.locator(".kb-checks").get_by_text("「作者」至少要填 1 項").first.wait_for()
        # A slug another entry has: Decap would save it as …/index-1.md; the form says so instead.
        page.get_by_role("button", name="新增作者 Authors").click()
        field(page, "作者").last.fill("王小明")
        field(page, "英文短名").fill("finding-a-sister-library")
        save(page, workflow=False)
        page.get_by_text("已經有條目在用了").first.wait_for()
    assert not (project / "content" / "guides" / "no-author").exists()
    assert not (project / "content" / "guides" / "finding-a-sister-library").exists()


def test_only_the_editors_own_page_may_use_decap_server(project):
    """A page that rebinds its name to 127.0.0.1 reaches the port under its own Host header
    (DNS rebinding), or a page on another port sends its own Origin: both are refused, and
    nothing is written; the editor's own requests get through."""
    import http.client
    import json as jsonlib

    with kb_edit(project, workflow=False) as admin:
        log = (project / "kb-edit.log").read_text(encoding="utf-8")
        port = int(re.search(r"decap-server on 127\.0\.0\.1:(\d+)", log).group(1))
        admin_origin = admin.removesuffix("/admin/")
        body = jsonlib.dumps({"action": "persistMedia", "params": {
            "branch": "main", "asset": {"path": ".git/hooks/kb-test", "content": "eA==", "encoding": "base64"},
            "options": {"commitMessage": "x"}}})

        def ask(host: str, origin: str | None) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Host": host, "Content-Type": "application/json", **({"Origin": origin} if origin else {})}
            conn.request("POST", "/api/v1", body=body, headers=headers)
            status = conn.getresponse().status
            conn.close()
            return status

        assert ask(f"attacker.example:{port}", None) == 403
        assert ask(f"127.0.0.1:{port}", "http://127.0.0.1:1") == 403
        assert not (project / ".git" / "hooks" / "kb-test").exists()
        info = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        info.request("POST", "/api/v1", body=jsonlib.dumps({"action": "info"}),
                      headers={"Content-Type": "application/json", "Origin": admin_origin})
        assert info.getresponse().status == 200


def test_kb_validate_for_one_entry_answers_the_editors_own_page_only(project):
    """kb edit's POST /api/kb-validate (the check the form runs before a save): kb validate on
    the entry as it would be written, its problems by the form's labels; refused to another
    page's Origin or a rebinding Host, as decap-server is; nothing is written."""
    import http.client
    import json as jsonlib

    text = (project / "content" / "tools" / "ifla.md").read_text(encoding="utf-8")
    text = text.replace("checked: 2024-03-01", "checked: 1905-02-02\nrelated: [tools/nowhere]")
    body = jsonlib.dumps({"collection": "tool", "path": "content/tools/ifla.md", "text": text, "pending": []})
    before = (project / "content" / "tools" / "ifla.md").read_text(encoding="utf-8")
    with kb_edit(project, workflow=False) as admin:
        port = int(admin.split(":")[2].split("/")[0])
        origin = f"http://127.0.0.1:{port}"

        def ask(host: str, origin: str | None, payload: str = body) -> tuple[int, dict]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Host": host, "Content-Type": "application/json", **({"Origin": origin} if origin else {})}
            conn.request("POST", "/api/kb-validate", body=payload.encode("utf-8"), headers=headers)
            response = conn.getresponse()
            answer = jsonlib.loads(response.read() or b"{}")
            conn.close()
            return response.status, answer

        assert ask(f"attacker.example:{port}", origin)[0] == 403
        assert ask(f"127.0.0.1:{port}", "http://127.0.0.1:1")[0] == 403
        assert ask(f"127.0.0.1:{port}", None)[0] == 403
        outside = jsonlib.dumps({"collection": "tool", "path": "content/../.git/config", "text": "x"})
        assert ask(f"127.0.0.1:{port}", origin, outside)[0] == 400
        status, answer = ask(f"127.0.0.1:{port}", origin)
    assert status == 200, answer
    found = {(p["path"], p["label"]) for p in answer["problems"] if p["level"] == "error"}
    assert ("checked", "連結檢查日期") in found and ("related", "相關條目") in found, answer
    assert all("checked" not in p["message"] and "related" not in p["message"] for p in answer["problems"])
    assert (project / "content" / "tools" / "ifla.md").read_text(encoding="utf-8") == before
