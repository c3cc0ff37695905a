"""Serve a built site on localhost and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium calls Google's hosts at start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _Quiet):
    """The built site on localhost (``handler_class``: how files are sent; quietly, as they are)."""
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def require_chromium() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not path:
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium.")
    return path


@contextmanager
def chromium(extra_args=()):
    """Debian's Chromium, driven by Playwright (both installed by make test)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS + list(extra_args))
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def recording_page(browser):
    """A page in a fresh context, with ``page.requests``: every URL it asked for."""
    context = browser.new_context()
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    try:
        yield page
    finally:
        context.close()


def module_browser():
    """A module-scoped ``browser`` fixture: ``browser = module_browser()`` in a test module."""
    import pytest

    @pytest.fixture(scope="module")
    def browser():
        with chromium() as b:
            yield b
    return browser
