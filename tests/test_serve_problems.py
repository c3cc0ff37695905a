"""``kb serve`` (the live preview ``kb edit`` runs) never hangs on a build that fails: every page
shows the problems, in Chinese first, with each file and line, and turns back into the site
once the file is fixed (issue #24: the trial's preview tab stayed blank for over 30 s)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from generator.contribute.editor.server import _site_path  # the preview's path: the site's own site_url

from tests.helpers import entry_text, new_content, write
from tests.sitebuild import commit_all, write_config

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="stops the preview's process group")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 20) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out: {what}")


def test_a_failed_build_shows_its_problems_and_the_fix_shows_the_site(tmp_path):
    project = tmp_path / "kb"
    content = new_content(project)
    write(content, "tools/ifla.md", entry_text("tools"))
    broken = write(content, "tools/broken.md", entry_text("tools", title="壞掉的工具", date="1905-02-30",
                                                          url="https://example.org/broken"))
    write_config(project)
    commit_all(project)
    port = _port()
    url = f"http://127.0.0.1:{port}{_site_path(project)}"
    log = open(project / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "--root", str(project), "serve",
                             "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        def listening():
            assert proc.poll() is None, "kb serve stopped at a failed first build"
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        _until(listening, 180, "the preview listening despite a failed first build")
        started = time.monotonic()
        status, page = _get(url)
        assert time.monotonic() - started < 10, "answered at once"
        assert status == 500 and "網站預覽無法建置" in page, page[:500]
        assert "content/tools/broken.md" in page and "第 3 行" in page, page
        zh = page.index("日期 1905-02-30")
        assert zh < page.index("the date 1905-02-30"), "Chinese first"
        for other in ("tools/broken/", "tools/ifla/", "search/"):  # every page says it
            assert "網站預覽無法建置" in _get(url + other)[1]

        broken.write_text(entry_text("tools", title="修好的工具", date="2024-05-01",
                                             url="https://example.org/broken"), encoding="utf-8")
        _until(lambda: _get(url + "tools/broken/")[0] == 200, 120, "the site after the fix")
        assert "修好的工具" in _get(url + "tools/broken/")[1]

        # A rebuild that fails: the pages say why at once (MkDocs held every request until a
        # build succeeded).
        broken.write_text(entry_text("tools", title="又壞了", url="www.example.org"), encoding="utf-8")
        _until(lambda: _get(url, timeout=10)[0] == 500, 120, "the problem page after a failed rebuild")
        status, page = _get(url + "tools/ifla/", timeout=10)
        assert status == 500 and "content/tools/broken.md" in page and "網址" in page, page[:800]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
