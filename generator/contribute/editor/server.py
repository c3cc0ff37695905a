"""``kb edit``: the web editor on a contributor's own computer, no GitHub sign-in.

Three local servers, all on 127.0.0.1 (nothing is reachable from other machines):

1. ``decap-server`` (npm, pinned by package-lock.json) reads and writes the working copy, behind
   a check of who asks (``data/editor/kb-decap-server.js``: the Host must be 127.0.0.1 or
   localhost at its port, the Origin the editor's page: a page that rebinds its name to
   127.0.0.1 is refused);
   by default it writes files straight into ``content/`` (``MODE=fs``), so the contributor
   commits them as usual (GitHub Desktop); with ``--workflow`` it works as the published
   editor does, each entry a draft on its own branch (``cms/<kind>/<slug>``, ``MODE=git``);
2. the admin page (``/admin/``), written to a temporary folder by :mod:`generator.contribute.editor.admin`
   and served here; its configuration points Decap at the local server;
3. ``kb serve``: the live preview of the whole site, rebuilt as files change (a build that
   fails shows a page listing the problems, see generator/site/serveproblems.py).

The admin port also answers ``POST /api/kb-validate``: kb validate on one entry, as the form
would write it (before Decap saves it) or as it was saved (:mod:`generator.contribute.editor.checks`), for
the editor's own page only (the same Host and Origin check as decap-server's).

The admin page is served apart from the preview on purpose: the preview reloads every open
page after each rebuild, which would throw away a half-filled form.

Stopping: Ctrl+C or ``kill`` (SIGTERM) stops all three. Each child runs in a process group of
its own (on Windows, a process group too), which is stopped as a whole (the preview is
``kb serve``, which starts the engine as a child of its own: stopping only ``kb serve`` left the
engine serving port 8000), then waited for, and killed if it does not stop. Our servers reuse
their address at once, and a port counts as in use only when something listens on it (a
connection closed a moment ago leaves the port in TIME_WAIT, which a plain bind took for "in use").
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from ...model.registries import load_registries
from . import cms
from .admin import EditorUnavailable, node_modules, write_admin
from .checks import Checker, Refused

CHECK_PATH = "/api/kb-validate"
MAX_CHECK_BODY = 4 * 1024 * 1024  # bytes: an entry's text, as JSON


@dataclass(frozen=True)
class Ports:
    preview: int = 8000
    admin: int = 8001
    server: int = 8081


def admin_policy(server_port: int) -> str:
    """The admin page's Content-Security-Policy: its own scripts (Decap compiles its config
    schema with ``new Function`` and loads WebAssembly), decap-server, and the blob: URLs Decap
    shows files by; no plug-ins, no other page may frame it."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' blob: data: https: http:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        f"connect-src 'self' blob: http://127.0.0.1:{server_port}",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


class _AdminHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the admin page's own files, nothing else: no listing, no file of the working
    copy (the admin folder is a temporary copy), with headers no document can bypass."""

    # The base class's attribute of the same name, replaced for this handler (RUF012 would make it a
    # ClassVar, which the base class's type declaration does not allow).
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,  # noqa: RUF012
                      ".yml": "text/yaml; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                      ".wasm": "application/wasm", ".html": "text/html; charset=utf-8",
                      ".css": "text/css; charset=utf-8", ".txt": "text/plain; charset=utf-8"}
    policy = "default-src 'none'"
    files: frozenset[str] = frozenset()  # the URL paths served: /admin/ and its files
    checker: Checker | None = None  # kb validate for one entry (POST /api/kb-validate)
    hosts: frozenset[str] = frozenset()  # Host headers this server answers: 127.0.0.1 and localhost at its port
    origins: frozenset[str] = frozenset()  # the admin page's own origins

    def do_POST(self):
        if unquote(urlparse(self.path).path) != CHECK_PATH or self.checker is None:
            self._json(404, {"error": "not found"})
            return
        # As decap-server's guard: addressed to this computer, from the editor's own page.
        if self.headers.get("Host", "") not in self.hosts or self.headers.get("Origin") not in self.origins:
            self._json(403, {"error": "kb edit: only the editor's own page may ask"})
            return
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._json(415, {"error": "kb edit: JSON only"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_CHECK_BODY:
            self._json(413, {"error": "kb edit: the entry is missing or too long"})
            return
        try:
            ask = json.loads(self.rfile.read(length).decode("utf-8"))
            if not isinstance(ask, dict) or not ask.get("collection") or not ask.get("path"):
                raise Refused("a collection, a path and the entry's text")
            pending = ask.get("pending") or []
            text = ask.get("text")
            if not (text is None or isinstance(text, str)) or not isinstance(pending, list):
                raise Refused("a collection, a path and the entry's text")
            answer = self.checker.check(str(ask.get("collection")), str(ask.get("path")), text,
                                        [str(p) for p in pending])
        except (Refused, ValueError, UnicodeDecodeError, AttributeError) as exc:
            self._json(400, {"error": f"kb edit: {exc}"})
            return
        except Exception as exc:
            self._json(500, {"error": f"kb validate: {type(exc).__name__}: {exc}"})
            return
        self._json(200, answer)

    def _json(self, status: int, value) -> None:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_head(self):
        path = unquote(urlparse(self.path).path)
        if path == "/admin":
            return super().send_head()  # redirected to /admin/
        if path not in self.files:
            self.send_error(404)
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(404)
        return None

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        super().end_headers()

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True  # restarted at once: a port in TIME_WAIT is free to listen on
    daemon_threads = True


def _free(port: int) -> bool:
    """Nothing listens on the port. A bind with SO_REUSEADDR, as our servers, decap-server and
    the preview bind: a connection closed a moment ago (TIME_WAIT) does not make it "in use".
    (Windows' SO_REUSEADDR would let two servers share a port: there, whether one answers.)"""
    if sys.platform == "win32":
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", port)) != 0
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_for(port: int, proc: subprocess.Popen | None, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def _site_path(root: Path) -> str:
    """The path of mkdocs.yml's site_url (/library-kb/), where the preview serves the site."""
    try:
        text = (Path(root) / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return "/"
    m = re.search(r"^site_url:\s*['\"]?([^'\"\s]+)", text, re.M)
    path = urlparse(m.group(1)).path if m else "/"
    return path if path.endswith("/") else path + "/"


WRAPPER = Path(__file__).parents[2] / "data" / "editor" / "kb-decap-server.js"


def node_command(root: Path) -> list[str]:
    """decap-server's middlewares behind our Host and Origin check (kb-decap-server.js)."""
    node = shutil.which("node")
    script = node_modules(root) / "decap-server" / "dist" / "middlewares.js"
    if node is None:
        raise EditorUnavailable("找不到 Node.js：請先安裝 Node.js 20 以上（https://nodejs.org/），再執行 npm ci",
                                "Node.js not found: install Node.js 20 or later, then run npm ci")
    if not script.is_file():
        raise EditorUnavailable(f"找不到 decap-server（{script}）：請在專案資料夾執行 npm ci",
                                f"decap-server is not installed ({script}): run npm ci in the project folder")
    return [node, str(WRAPPER), str(node_modules(root))]


def editable_folders() -> list[str]:
    """What decap-server may read and write, relative to the repository: content/ (entries and
    their files), and the media folder config.yml names if it were outside content/."""
    folders = ["content"]
    if not (cms.SHARED_MEDIA + "/").startswith("content/"):
        folders.append(cms.SHARED_MEDIA)
    return folders


def start_child(argv: list[str], **kwargs) -> subprocess.Popen:
    """A child in a process group of its own, with everything it starts: stopped as a whole
    (:func:`stop_child`), and not sent the terminal's Ctrl+C, which kb edit handles itself."""
    if sys.platform == "win32":  # os.name "nt", said so that mypy knows which platform's names apply
        kwargs["creationflags"] = kwargs.get("creationflags", 0) | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        kwargs["start_new_session"] = True
    return subprocess.Popen(argv, **kwargs)


def stop_child(proc: subprocess.Popen, seconds: float = 10) -> None:
    """Stop a child and every process of its group: asked first (SIGINT, as Ctrl+C would; the
    preview's engine cleans up its temporary site), then waited for, then killed, group and all
    (a grandchild left behind kept the preview's port)."""
    if sys.platform == "win32":
        if proc.poll() is None:
            # taskkill /T: the child and every process it started (terminate() stops the child only).
            subprocess.run(["taskkill", "/PID", str(proc.pid), "/T", "/F"], capture_output=True)
        proc.wait(timeout=seconds)
        return
    for signum, wait in ((signal.SIGINT, seconds), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, signum)  # the group's id is the child's pid (start_new_session)
        except ProcessLookupError:
            break  # the whole group is gone
        except PermissionError:
            proc.send_signal(signum)
        if _group_gone(proc, wait):
            break
    if proc.poll() is None:
        proc.wait(timeout=5)


def _group_gone(proc: subprocess.Popen, seconds: float) -> bool:
    """Every process of the child's group has ended, within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        proc.poll()  # reaps the child itself
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return proc.poll() is not None
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def start_decap_server(root: Path, port: int, admin_port: int, *, workflow: bool) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(Path(root).resolve()),
           "MODE": "git" if workflow else "fs", "LOG_LEVEL": "warn",
           "KB_ALLOWED_ORIGINS": f"http://127.0.0.1:{admin_port} http://localhost:{admin_port}",
           "KB_EDITABLE": " ".join(editable_folders())}
    return start_child(node_command(root), cwd=root, env=env)


def serve_admin(directory: Path, port: int, server_port: int, root: Path | None = None) -> http.server.ThreadingHTTPServer:
    """Serve ``directory``/admin/ (written by :func:`generator.contribute.editor.admin.write_admin`) on ``port``,
    and kb validate for one entry of ``root``'s content/ (when given)."""
    admin = Path(directory) / "admin"
    files = {"/admin/"} | {"/admin/" + p.relative_to(admin).as_posix() for p in admin.rglob("*")
                           if p.is_file() and not p.is_symlink()}
    handler_class = type("AdminHandler", (_AdminHandler,), {
        "files": frozenset(files), "policy": admin_policy(server_port),
        "checker": Checker(root) if root is not None else None,
        "hosts": frozenset({f"127.0.0.1:{port}", f"localhost:{port}"}),
        "origins": frozenset({f"http://127.0.0.1:{port}", f"http://localhost:{port}"}),
    })
    handler = functools.partial(handler_class, directory=str(directory))
    server = _Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(root: Path, ports: Ports, *, workflow: bool = False, open_browser: bool = True, preview: bool = True,
        say=print) -> int:
    root = Path(root)
    options = {ports.admin: "--port", ports.server: "--server-port"}
    if preview:
        options[ports.preview] = "--preview-port"
    busy = [(p, option) for p, option in options.items() if not _free(p)]
    if busy:
        named = "、".join(f"{p}（{option}）" for p, option in busy)
        say(f"連接埠 {named} 已被使用：可能已有一個 kb edit 或 kb serve 在執行，請先關掉它，或用括號裡的選項換一個。"
            f" / Port(s) {named} in use: stop the other kb edit or kb serve, or choose others with those options.")
        return 2
    registries, problems = load_registries(root / "content")
    if any(p.level.value == "error" for p in problems):
        say("代碼表（content/registries/）有錯，請先執行 kb validate。 / The registries have errors: run kb validate.")
        return 1
    preview_url = f"http://127.0.0.1:{ports.preview}{_site_path(root)}"

    def stop(signum, frame):  # `kill` as well as Ctrl+C: stop decap-server and the preview too
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    hangup = signal.signal(signal.SIGHUP, stop) if hasattr(signal, "SIGHUP") else None  # the terminal closed
    try:
        return _run(root, ports, registries, workflow=workflow, open_browser=open_browser, preview=preview,
                    preview_url=preview_url, say=say)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if hangup is not None:
            signal.signal(signal.SIGHUP, hangup)


def _run(root: Path, ports: Ports, registries, *, workflow: bool, open_browser: bool, preview: bool,
         preview_url: str, say) -> int:
    backend = cms.Backend(local_url=f"http://127.0.0.1:{ports.server}/api/v1", editorial_workflow=workflow)
    with tempfile.TemporaryDirectory(prefix="kb-edit-") as tmp:
        admin_dir = Path(tmp) / "admin"
        write_admin(admin_dir, root, registries, backend, site_url=preview_url if preview else None,
                    check_url=CHECK_PATH)
        procs: list[subprocess.Popen] = []
        admin_server = None
        try:
            procs.append(start_decap_server(root, ports.server, ports.admin, workflow=workflow))
            if not _wait_for(ports.server, procs[0], 30):
                say("decap-server 沒有啟動（見上方訊息）。 / decap-server did not start (see above).")
                return 1
            admin_server = serve_admin(Path(tmp), ports.admin, ports.server, root)
            if preview:
                procs.append(start_child([sys.executable, "-m", "generator.cli", "serve",
                                          "--dev-addr", f"127.0.0.1:{ports.preview}"], cwd=root))
            admin_url = f"http://127.0.0.1:{ports.admin}/admin/"
            say(f"網頁編輯器 Web editor: {admin_url}")
            if preview:
                say(f"即時預覽 Live preview:   {preview_url}（第一次建置約需半分鐘 / the first build takes about half a minute）")
            say("存檔後，檔案寫入 " + ("各條目自己的分支 cms/…" if workflow else "content/，再用 GitHub Desktop 提交")
                + " / Saved files go " + ("to a branch per entry, cms/…" if workflow else "into content/; commit them as usual")
                + "。按 Ctrl+C 結束 / Ctrl+C stops.")
            if open_browser:
                webbrowser.open(admin_url)
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            say("有一個伺服器停止了，kb edit 結束。 / A server stopped; kb edit ends.")
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            # A second Ctrl+C or kill while stopping must not leave a child running: ignored until done.
            interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
            term = signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                if admin_server is not None:
                    admin_server.shutdown()
                    admin_server.server_close()
                for p in procs:  # each on its own: one that fails to stop must not keep the others running
                    with contextlib.suppress(OSError, subprocess.SubprocessError):
                        stop_child(p)
            finally:
                signal.signal(signal.SIGINT, interrupt)
                signal.signal(signal.SIGTERM, term)
