"""A contributor's files in the web editor (issue #23): an SVG with a script beside an entry
(in the repository, or on a pull request's branch, which a maintainer opens in the editor before
it is merged) or in the media folder must run nothing on the editor's origin, however it is
opened; and kb edit's decap-server reads and writes only under content/, never .git/, never
outside the repository, never through a symbolic link."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from generator.contribute.editor.server import _site_path  # the preview's path: the site's own site_url

from test_editor import ARTIFACTS, ROOT, _git, _port, _until, field, kb_edit, open_admin, project  # noqa: F401 - project: a fixture
from tests.browser import chromium
from tests.helpers import ENTRIES
from tests.sitebuild import commit_all

POSTER = ROOT / "tests" / "data" / "poster.png"

pytestmark = pytest.mark.skipif(not (ROOT / "node_modules" / "decap-server").is_dir(),
                                reason="npm ci installs decap-server (make test does)")


def _server_port(project: Path) -> int:
    import re

    log = (project / "kb-edit.log").read_text(encoding="utf-8")
    return int(re.search(r"decap-server on 127\.0\.0\.1:(\d+)", log).group(1))


def _post(port: int, origin: str, body: dict) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1", body=json.dumps(body), headers={"Content-Type": "application/json", "Origin": origin})
    response = conn.getresponse()
    out = response.status, response.read().decode("utf-8", "replace")
    conn.close()
    return out


def _snapshot(project: Path) -> dict[str, str]:
    """Every file outside content/ and its hash (.git/ included): what must not change."""
    out = {}
    for p in sorted(project.rglob("*")):
        rel = p.relative_to(project).as_posix()
        if rel.startswith("content/") or rel == "kb-edit.log" or not p.is_file() or p.is_symlink():
            continue
        if rel.startswith(".git/") and not rel.startswith((".git/config", ".git/hooks/", ".git/HEAD")):
            continue  # git's own bookkeeping (index, objects, logs) moves when decap-server commits
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _bad_paths(project: Path) -> list[str]:
    return [".git/config", ".git/hooks/pre-commit", "../outside.md", "content/../.git/config", "uploads/x.png",
            "/etc/passwd", str(project / ".git" / "config"), str(project / "content" / "guides" / "x.md"),
            "content/escape/config",  # content/escape -> ../.git (a linked folder)
            "content/guides/leak.md",  # -> ../../.git/config (a linked file)
            "content/guides/away/index.md",  # content/guides/away -> the folder above the repository
            "content\\..\\.git\\config", "content/.hidden.md", ""]


def _requests(path: str) -> list[dict]:
    """Every action of decap-server's API that names a file or folder, naming ``path``."""
    options = {"commitMessage": "x", "useWorkflow": False, "status": "draft", "collectionName": "guide"}
    raw = "---\ntitle: x\n---\n"
    asset = {"path": path, "content": "eA==", "encoding": "base64"}
    return [
        {"action": "entriesByFolder", "params": {"branch": "main", "folder": path, "extension": "md", "depth": 2}},
        {"action": "entriesByFiles", "params": {"branch": "main", "files": [{"path": path}]}},
        {"action": "getEntry", "params": {"branch": "main", "path": path}},
        {"action": "getMedia", "params": {"branch": "main", "mediaFolder": path}},
        {"action": "getMediaFile", "params": {"branch": "main", "path": path}},
        {"action": "persistMedia", "params": {"branch": "main", "asset": asset, "options": {"commitMessage": "x"}}},
        {"action": "persistEntry", "params": {"branch": "main", "assets": [],
                                              "dataFiles": [{"slug": "x", "path": path, "raw": raw}], "options": options}},
        {"action": "persistEntry", "params": {"branch": "main", "assets": [asset], "options": options,
                                              "dataFiles": [{"slug": "ok", "path": "content/guides/ok/index.md", "raw": raw}]}},
        {"action": "persistEntry", "params": {"branch": "main", "assets": [], "options": options,
                                              "entry": {"slug": "x", "path": "content/guides/ok/index.md", "raw": raw,
                                                        "newPath": path}}},
        {"action": "deleteFile", "params": {"branch": "main", "path": path, "options": {"commitMessage": "x"}}},
        {"action": "deleteFiles", "params": {"branch": "main", "paths": ["content/guides/finding-a-sister-library.md", path],
                                             "options": {"commitMessage": "x"}}},
        {"action": "unpublishedEntryDataFile", "params": {"branch": "main", "collection": "guide", "slug": "x/index",
                                                          "id": "guide/x/index", "path": path}},
        {"action": "unpublishedEntryMediaFile", "params": {"branch": "main", "collection": "guide", "slug": "x/index",
                                                           "id": "guide/x/index", "path": path}},
    ]


@pytest.mark.parametrize("workflow", [False, True], ids=["fs", "workflow"])
def test_decap_server_reads_and_writes_only_under_content(project, tmp_path_factory, workflow):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text("---\ntitle: OUTSIDE-SECRET\n---\n", encoding="utf-8")
    os.symlink(outside, project / "content" / "guides" / "away")
    os.symlink("../.git", project / "content" / "escape")
    os.symlink("../../.git/config", project / "content" / "guides" / "leak.md")
    os.symlink("../../../.git/config", project / "content" / "guides" / "finding-a-sister-library-leak.png")
    (project / "uploads").mkdir()
    (project / "uploads" / "x.png").write_bytes(POSTER.read_bytes())
    commit_all(project)
    # A contributor's branch holding a link the working copy does not have: decap-server checks
    # the branch out before it reads (the workflow), past any check of the request's paths.
    _git(project, "checkout", "-q", "-b", "cms/guide/sneaky/index")
    (project / "content" / "guides" / "sneaky").mkdir()
    (project / "content" / "guides" / "sneaky" / "index.md").write_text("---\ntitle: 偷看\n---\n", encoding="utf-8")
    os.symlink("../../../.git/config", project / "content" / "guides" / "sneaky" / "photo.png")
    commit_all(project)
    _git(project, "checkout", "-q", "main")
    _git(project, "config", "branch.cms/guide/sneaky/index.description", "decap-cms/pending_review")
    secret = (project / ".git" / "config").read_text(encoding="utf-8")
    before = _snapshot(project)
    with kb_edit(project, workflow=workflow) as admin:
        port, origin = _server_port(project), admin.removesuffix("/admin/")
        for bad in _bad_paths(project):
            for body in _requests(bad):
                status, text = _post(port, origin, body)
                assert status == 403, (bad, body["action"], status, text[:300])
                assert "kb edit" in json.loads(text)["error"], text
        for name in ("--orphan", "main\nx", "../main", "cms/../../x"):
            for action in ("getMedia", "unpublishedEntry", "deleteUnpublishedEntry", "updateUnpublishedEntryStatus"):
                params = {"branch": "main", "mediaFolder": "content/guides", "collection": "guide", "slug": "x/index",
                          "newStatus": "pending_review"}
                key = "branch" if action == "getMedia" else "slug"
                status, text = _post(port, origin, {"action": action, "params": {**params, key: name}})
                assert status == 403, (name, action, status, text[:300])
        status, text = _post(port, origin, {"action": "updateUnpublishedEntryStatus", "params": {
            "branch": "main", "collection": "guide", "slug": "sneaky/index", "newStatus": "x\n[core]\nfsmonitor = touch /tmp/x"}})
        assert status == 403, text
        # The folder listings leave links out; the branch's link is refused when read.
        status, text = _post(port, origin, {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "content/guides"}})
        assert status == 200 and "[core]" not in text and "leak" not in text, text[:500]
        status, text = _post(port, origin, {"action": "entriesByFolder", "params": {
            "branch": "main", "folder": "content/guides", "extension": "md", "depth": 3}})
        assert status == 200 and "[core]" not in text and "OUTSIDE-SECRET" not in text, text[:500]
        if workflow:
            status, text = _post(port, origin, {"action": "unpublishedEntryMediaFile", "params": {
                "branch": "main", "collection": "guide", "slug": "sneaky/index", "id": "guide/sneaky/index",
                "path": "content/guides/sneaky/photo.png"}})
            assert status == 500 and "[core]" not in text and "W2NvcmVd" not in text, (status, text[:300])
            status, text = _post(port, origin, {"action": "unpublishedEntryDataFile", "params": {
                "branch": "main", "collection": "guide", "slug": "sneaky/index", "id": "guide/sneaky/index",
                "path": "content/guides/sneaky/index.md"}})
            assert status == 200 and "偷看" in text, "the draft's own files are read from its branch"
        # What the editor does still works.
        raw = "---\ntitle: 正常的條目\n---\n內文。\n"
        status, text = _post(port, origin, {"action": "persistEntry", "params": {
            "branch": "main", "assets": [{"path": "content/guides/ok/海報.png", "content": "eA==", "encoding": "base64"}],
            "dataFiles": [{"slug": "ok", "path": "content/guides/ok/index.md", "raw": raw}],
            "options": {"commitMessage": "ok", "useWorkflow": False, "status": "draft", "collectionName": "guide"}}})
        assert status == 200, text
        status, text = _post(port, origin, {"action": "getEntry", "params": {"branch": "main", "path": "content/guides/ok/index.md"}})
        assert status == 200 and json.loads(text)["data"] == raw
        status, text = _post(port, origin, {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "content/guides/ok"}})
        assert status == 200 and "海報.png" in text
        status, _ = _post(port, origin, {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "content/uploads"}})
        assert status == 200, "the media folder config.yml names (content/uploads) may be listed, empty"
    if workflow:
        assert "content/guides/ok/index.md" in _git(project, "show", "--name-only", "--format=", "main")
    else:
        assert (project / "content" / "guides" / "ok" / "index.md").read_text(encoding="utf-8") == raw
    assert (project / ".git" / "config").read_text(encoding="utf-8") == secret
    assert _snapshot(project) == before, "nothing outside content/ was written"
    assert [p.name for p in outside.iterdir()] == ["secret.md"]
    assert (project / "content" / "guides" / "finding-a-sister-library.md").is_file()


# Every blob: URL the page makes, with the type it was made with and its first bytes (Playwright
# runs this before any script of the page, so it sees what Decap hands over after kb-init.js).
RECORDER = """
(() => {
  const make = URL.createObjectURL;
  window.kbBlobs = [];
  URL.createObjectURL = function (object) {
    const url = make.call(URL, object);
    if (object && typeof object.slice === "function") {
      const record = { url, type: object.type, head: null };
      window.kbBlobs.push(record);
      object.slice(0, 400).text().then((text) => { record.head = text; }, () => { record.head = ""; });
    }
    return url;
  };
})();
"""


def _svg(marker: str) -> str:
    """An SVG whose script, if it ever runs, says so in three ways (title, storage, a request)."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" '
            'onload="document.title=\'KB-PWNED onload\'">'
            f'<script>document.title = "KB-PWNED {marker}";'
            f'try {{ localStorage.setItem("kb-pwned", "{marker}"); }} catch (e) {{}}'
            f'fetch("/kb-pwned-{marker}").catch(() => 0);</script><text y="15">KB-SVG-{marker}</text></svg>')


def _bundle(folder: Path, title: str, marker: str) -> None:
    text = (ENTRIES / "guides" / "finding-a-sister-library.md").read_text(encoding="utf-8")
    text = text.replace("title: 如何尋找與經營姐妹圖書館", f"title: {title}", 1).replace("featured: true\n", "", 1)
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text + "\n![海報](poster.png)\n\n![圖](evil.svg)\n", encoding="utf-8")
    (folder / "evil.svg").write_text(_svg(marker), encoding="utf-8")
    shutil.copyfile(POSTER, folder / "poster.png")
    # HTML as it is, and HTML named as a picture: a browser that sniffs would run either.
    page = f"<!doctype html><title>t</title><script>document.title = 'KB-PWNED {marker} html'</script>"
    (folder / "page.html").write_text(page, encoding="utf-8")
    (folder / "trick.png").write_text(page, encoding="utf-8")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return 0


def _pictures_shown(page) -> int:
    """PNGs (and any picture) shown from blob: URLs, in the page and its preview pane."""
    count = 0
    for f in page.frames:
        try:
            count += f.evaluate("() => [...document.images].filter(i => i.src.startsWith('blob:') && i.complete"
                                " && i.naturalWidth > 0).length")
        except Exception:  # noqa: BLE001 - a frame that went away
            pass
    return count


def _open_every_blob(page, context, marker: str) -> list[dict]:
    """Open each blob: URL the page made in a tab of its own, as a reviewer's "open in new tab"
    does; the SVG carrying ``marker`` must be among them. Returns what each tab showed."""
    blobs = _until(lambda: [b for b in page.evaluate("window.kbBlobs") if b["head"] is not None
                            and f"KB-SVG-{marker}" in b["head"]] and page.evaluate("window.kbBlobs"),
                   what=f"the blob: URL of the SVG ({marker})", page=page)
    shown = []
    for blob in blobs:
        tab = context.new_page()
        try:
            tab.goto(blob["url"], timeout=10000)
            time.sleep(0.3)
            shown.append({**blob, "title": tab.title(), "as": tab.evaluate("document.contentType")})
        except Exception as e:  # noqa: BLE001 - a download (application/octet-stream) is no document
            shown.append({**blob, "title": "", "as": f"not shown: {str(e)[:60]}"})
        finally:
            tab.close()
    return shown


def _direct_urls(context, origins: list[str], paths: list[str]) -> None:
    """Each path at each origin is refused or missing, and shown in a tab runs nothing."""
    for origin in origins:
        for rel in paths:
            assert _status(origin + rel) in (403, 404), origin + rel
    tab = context.new_page()
    for origin in origins:
        for rel in paths:
            tab.goto(origin + rel)
            assert "KB-PWNED" not in tab.title(), origin + rel
    tab.close()


def _check_opened(opened: list[dict], markers: set[str]) -> None:
    """Every SVG planted (``markers``) was among the blob: URLs opened, none ran, none was shown as
    an SVG document; what each showed is kept in test-artifacts/ for the record."""
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "editor-untrusted-blobs.txt").open("a", encoding="utf-8") as f:
        for o in opened:
            what = "SVG " + o["head"].split("KB-SVG-")[1].split("<")[0] if o["head"] and "KB-SVG-" in o["head"] else \
                repr((o["head"] or "")[:12])
            f.write(f"{what}: made as {o['type']}, shown as {o['as']}, title {o['title']!r}\n")
    svgs = [o for o in opened if o["head"] and "KB-SVG-" in o["head"]]
    assert {m for o in svgs for m in markers if f"KB-SVG-{m}" in o["head"]} == markers, "each SVG was opened"
    ran = [(o["head"][-40:], o["title"], o["as"]) for o in opened if "KB-PWNED" in o["title"]]
    assert not ran, ran
    assert all(o["type"] in ("text/plain", "image/png", "image/jpeg", "image/gif", "image/webp") for o in opened), \
        sorted({o["type"] for o in opened})
    assert all(o["as"] != "image/svg+xml" for o in svgs), [o["as"] for o in svgs]


def _watched(browser):
    """A context recording every blob: URL its pages make and any request the SVG's script sends."""
    context = browser.new_context()
    context.add_init_script(RECORDER)
    context.kb_hits = []
    context.on("request", lambda r: "kb-pwned" in r.url and context.kb_hits.append(r.url))
    page = context.new_page()
    page.kb_dialogs = []
    # Leaving a form with changes asks first (beforeunload): yes. Any other dialog is the SVG's.
    page.on("dialog", lambda d: d.accept() if d.type == "beforeunload"
            else (page.kb_dialogs.append(d.message), d.dismiss()))
    return context, page


def test_an_svg_beside_an_entry_or_in_the_media_folder_runs_no_script(project):
    """Reproduces issue #23 in the working copy: the SVG beside an entry, shown by Decap in the
    preview pane and the media library, and the one in the media folder config.yml names, each
    opened from its blob: URL in a new tab of the same browser; the PNG beside it still shows.
    Then every direct URL the admin page and decap-server answer."""
    _bundle(project / "content" / "guides" / "svg-attack", "SVG 測試", "entry")
    for folder, marker in ((project / "content" / "uploads", "media"), (project / "uploads", "root")):
        folder.mkdir(parents=True)
        (folder / "evil.svg").write_text(_svg(marker), encoding="utf-8")
    commit_all(project)
    with chromium() as browser, kb_edit(project, workflow=False) as admin:
        context, page = _watched(browser)
        try:
            open_admin(page, admin, "#/collections/guide/entries/svg-attack/index")
            field(page, "標題").wait_for()
            _until(lambda: _pictures_shown(page) >= 1, what="the PNG in the preview pane", page=page)
            page.get_by_role("button", name="新增附件 Attachments").click()
            page.get_by_role("button", name="選擇一個檔案").click()
            page.get_by_text("evil.svg").first.wait_for()
            _until(lambda: _pictures_shown(page) >= 2, what="the PNG in the media library", page=page)
            _check_opened(_open_every_blob(page, context, "entry"), {"entry"})
            # The shared media library: no button for it; shown anyway, it lists content/uploads.
            open_admin(page, admin, "#/collections/guide")
            page.get_by_text("SVG 測試").first.wait_for()
            media = page.locator("button[class*='-AppHeaderButton']")
            assert media.count() == 1 and not media.is_visible(), "the header's media button is hidden"
            page.add_style_tag(content="button[class*='-AppHeaderButton'] { display: inline-flex !important; }")
            media.click()
            page.get_by_text("evil.svg").first.wait_for()
            _check_opened(_open_every_blob(page, context, "media"), {"media"})
            assert page.evaluate("localStorage.getItem('kb-pwned')") is None
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "editor-failure.png"))
            raise
        admin_origin = admin.removesuffix("/admin/")
        _direct_urls(context, [admin_origin + "/", f"http://127.0.0.1:{_server_port(project)}/"], [
            "admin/evil.svg", "content/guides/svg-attack/evil.svg", "guides/svg-attack/evil.svg", "uploads/evil.svg",
            "content/uploads/evil.svg", "admin/../content/guides/svg-attack/evil.svg",
            "admin/..%2fcontent/guides/svg-attack/evil.svg", "admin/..%2f..%2fuploads/evil.svg", "kb-edit.log",
            ".git/config", "", "admin/yaml/"])
        response = context.new_page().goto(admin)
        assert "object-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert _status(admin_origin + "/admin/kb-admin.js") == 200 and _status(admin_origin + "/admin") in (200, 301)
        assert not context.kb_hits and not page.kb_dialogs, (context.kb_hits, page.kb_dialogs)
        context.close()


def test_an_svg_in_a_pull_requests_draft_runs_no_script_nor_reaches_the_preview(project):
    """The pull request's case (issue #23): a contributor's draft on its branch, with an SVG
    beside it, opened in the editor's workflow before it is merged; its blob: URLs opened in
    new tabs, and the SVG asked for at the live preview (kb serve) and the other servers."""
    (project / "uploads").mkdir()
    (project / "uploads" / "evil.svg").write_text(_svg("root"), encoding="utf-8")  # read by no check
    commit_all(project)
    _git(project, "checkout", "-q", "-b", "cms/guide/pr-attack/index")
    _bundle(project / "content" / "guides" / "pr-attack", "合併請求裡的 SVG", "branch")
    commit_all(project)
    _git(project, "checkout", "-q", "main")
    _git(project, "config", "branch.cms/guide/pr-attack/index.description", "decap-cms/pending_review")
    preview = _port()
    with chromium() as browser, kb_edit(project, workflow=True, preview=preview) as admin:
        preview_site = f"http://127.0.0.1:{preview}{_site_path(project)}"
        _until(lambda: _status(preview_site) == 200, seconds=300, what="the live preview's first build")
        context, page = _watched(browser)
        try:
            open_admin(page, admin, "#/workflow")
            page.get_by_text("合併請求裡的 SVG").first.click()
            field(page, "標題").wait_for()
            _until(lambda: _pictures_shown(page) >= 1, what="the draft's PNG in the preview pane", page=page)
            _check_opened(_open_every_blob(page, context, "branch"), {"branch"})
            assert page.evaluate("localStorage.getItem('kb-pwned')") is None
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "editor-failure.png"))
            raise
        time.sleep(3)  # a rebuild the branch's checkout may have started
        admin_origin = admin.removesuffix("/admin/")
        _direct_urls(context, [preview_site, admin_origin + "/", f"http://127.0.0.1:{_server_port(project)}/"], [
            "guides/pr-attack/evil.svg", "content/guides/pr-attack/evil.svg", "uploads/evil.svg", "../uploads/evil.svg",
            "admin/evil.svg", ".git/config", "kb-edit.log"])
        assert not context.kb_hits and not page.kb_dialogs, (context.kb_hits, page.kb_dialogs)
        context.close()
