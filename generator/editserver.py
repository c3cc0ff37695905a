"""``kb edit``: the web editor on a contributor's own computer, no GitHub sign-in.

Three local servers, all on 127.0.0.1 (nothing is reachable from other machines):

1. ``decap-server`` (npm, pinned by package-lock.json) reads and writes the working copy, behind
   a check of who asks (``data/editor/kb-decap-server.js``: the Host must be 127.0.0.1 or
   localhost at its port, the Origin the editor's page: a page that rebinds its name to
   127.0.0.1 is refused);
   by default it writes files straight into ``content/`` (``MODE=fs``), so the contributor
   commits them as usual (GitHub Desktop); with ``--workflow`` it works as the published
   editor does, each entry a draft on its own branch (``cms/<kind>/<slug>``, ``MODE=git``);
2. the admin page (``/admin/``), written to a temporary folder by :mod:`generator.editor`
   and served here; its configuration points Decap at the local server;
3. ``kb serve``: the live preview of the whole site, rebuilt as files change.

The admin page is served apart from the preview on purpose: the preview reloads every open
page after each rebuild, which would throw away a half-filled form.
"""

from __future__ import annotations

import functools
import http.server
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

from . import cms
from .editor import EditorUnavailable, node_modules, write_admin
from .registries import load_registries


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

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".yml": "text/yaml; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                      ".wasm": "application/wasm", ".html": "text/html; charset=utf-8",
                      ".css": "text/css; charset=utf-8", ".txt": "text/plain; charset=utf-8"}
    policy = "default-src 'none'"
    files: frozenset[str] = frozenset()  # the URL paths served: /admin/ and its files

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


def _free(port: int) -> bool:
    with socket.socket() as s:
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


WRAPPER = Path(__file__).parent / "data" / "editor" / "kb-decap-server.js"


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


def start_decap_server(root: Path, port: int, admin_port: int, *, workflow: bool) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(Path(root).resolve()),
           "MODE": "git" if workflow else "fs", "LOG_LEVEL": "warn",
           "KB_ALLOWED_ORIGINS": f"http://127.0.0.1:{admin_port} http://localhost:{admin_port}",
           "KB_EDITABLE": " ".join(editable_folders())}
    return subprocess.Popen(node_command(root), cwd=root, env=env)


def serve_admin(directory: Path, port: int, server_port: int) -> http.server.ThreadingHTTPServer:
    """Serve ``directory``/admin/ (written by :func:`generator.editor.write_admin`) on ``port``."""
    admin = Path(directory) / "admin"
    files = {"/admin/"} | {"/admin/" + p.relative_to(admin).as_posix() for p in admin.rglob("*")
                           if p.is_file() and not p.is_symlink()}
    handler_class = type("AdminHandler", (_AdminHandler,), {"files": frozenset(files),
                                                            "policy": admin_policy(server_port)})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
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
    try:
        return _run(root, ports, registries, workflow=workflow, open_browser=open_browser, preview=preview,
                    preview_url=preview_url, say=say)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(root: Path, ports: Ports, registries, *, workflow: bool, open_browser: bool, preview: bool,
         preview_url: str, say) -> int:
    backend = cms.Backend(local_url=f"http://127.0.0.1:{ports.server}/api/v1", editorial_workflow=workflow)
    with tempfile.TemporaryDirectory(prefix="kb-edit-") as tmp:
        admin_dir = Path(tmp) / "admin"
        write_admin(admin_dir, root, registries, backend, site_url=preview_url if preview else None)
        procs: list[subprocess.Popen] = []
        admin_server = None
        try:
            procs.append(start_decap_server(root, ports.server, ports.admin, workflow=workflow))
            if not _wait_for(ports.server, procs[0], 30):
                say("decap-server 沒有啟動（見上方訊息）。 / decap-server did not start (see above).")
                return 1
            admin_server = serve_admin(Path(tmp), ports.admin, ports.server)
            if preview:
                procs.append(subprocess.Popen([sys.executable, "-m", "generator.cli", "serve",
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
            if admin_server is not None:
                admin_server.shutdown()
                admin_server.server_close()
            for p in procs:  # each on its own: one that fails to stop must not keep the others running
                try:
                    if p.poll() is None:
                        # Windows has no SIGINT for a child (send_signal raises): terminate there.
                        p.terminate() if os.name == "nt" else p.send_signal(signal.SIGINT)
                except OSError:
                    pass
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
