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
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from test_editor import ROOT, _git, _port, _until, field, kb_edit, open_admin, project  # noqa: F401 - project: a fixture
from tests.browser import chromium, recording_page
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
