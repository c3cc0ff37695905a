"""``kb edit`` stops everything it started, and starts again at once (issue #24).

A librarian stopped ``kb edit`` three times and each time found the preview's server still on
port 8000; started again within a minute, it said a port was in use when nothing listened
there. Here kb edit runs with its live preview on a tiny knowledge base, its servers are asked
for pages (closed connections leave their ports in TIME_WAIT), it is stopped with Ctrl+C
(SIGINT) and with ``kill`` (SIGTERM), no process it started is left (found in /proc by
parentage, before it is stopped), and it starts again at once on the same ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from generator.contribute.editor.server import _site_path  # the preview's path: the site's own site_url

from tests.helpers import entry_text, new_content, write
from tests.sitebuild import commit_all, write_config

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.skipif(not (ROOT / "node_modules" / "decap-server").is_dir(), reason="npm ci installs decap-server"),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc"),
]


def _ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _parents() -> dict[int, int]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":  # a zombie is gone but for its parent's wait
                out[int(entry)] = int(fields[1])
    return out


def descendants(pid: int) -> set[int]:
    parents = _parents()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    return pids & set(_parents())


@pytest.fixture
def tiny(tmp_path):
    project = tmp_path / "kb"
    content = new_content(project)
    write(content, "tools/ifla.md", entry_text("tools"))
    write_config(project)
    commit_all(project)
    return project


def _start(project: Path, ports: list[int], log):
    admin, server, preview = ports
    argv = [sys.executable, "-m", "generator.cli", "--root", str(project), "edit", "--no-browser",
            "--port", str(admin), "--server-port", str(server), "--preview-port", str(preview)]
    return subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)


def _wait(check, seconds: float, what: str, log=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    tail = ""
    if log is not None:
        log.flush()
        log.seek(0)
        tail = log.read()[-3000:]
    raise AssertionError(f"timed out: {what}\n{tail}")


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_kb_edit_stops_all_it_started_and_restarts_at_once(tiny, stop):
    ports = _ports(3)
    admin, server, preview = ports
    with open(tiny / "kb-edit.log", "w+", encoding="utf-8") as log:
        proc = _start(tiny, ports, log)
        try:
            _wait(lambda: all(_listening(p) for p in ports), 180, "kb edit and its preview listening", log)
            # Pages asked for, connections closed: their ports in TIME_WAIT.
            assert _get(f"http://127.0.0.1:{admin}/admin/") == 200
            assert _get(f"http://127.0.0.1:{preview}{_site_path(tiny)}") in (200, 500)
            started = descendants(proc.pid)
            assert len(started) >= 3, f"decap-server, kb serve and its engine: {started}"
            proc.send_signal(stop)
            assert proc.wait(timeout=60) == 0, "stopped as asked"
        finally:
            if proc.poll() is None:
                proc.kill()
        _wait(lambda: not _alive(started), 15, f"every process kb edit started gone: {_alive(started)}")
        assert not [p for p in ports if _listening(p)], "nothing listens on its ports"

        # Started again at once, on the same ports.
        log.seek(0)
        log.truncate()
        again = _start(tiny, ports, log)
        try:
            _wait(lambda: _listening(admin) or again.poll() is not None, 60, "kb edit started again", log)
            log.flush()
            log.seek(0)
            said = log.read()
            assert again.poll() is None and "已被使用" not in said and "in use" not in said, said
        finally:
            children = descendants(again.pid)
            again.send_signal(signal.SIGINT)
            again.wait(timeout=60)
            _wait(lambda: not _alive(children), 15, "stopped again")
