"""``kb serve`` when a build fails: every page of the preview says why, in Chinese first, with
each problem's file and line, instead of the preview hanging.

MkDocs' ``serve`` stops at a failed first build (``kb edit``'s preview went with it) and, after a
failed rebuild, holds every request until a build succeeds ("the server will appear stuck"): a
contributor's preview tab stayed blank for minutes after a save the checks refused. Here, in the
engine's own process (``python -m generator.engine NAME serve``), the build ``serve`` calls is
wrapped: a failure is caught and remembered, so that the server starts (or goes on) and shows
every HTML page as a page listing the problems; the next build that succeeds (the contributor
saves the fix) reloads the page into the site, as any rebuild does.

The problems come from the exception: the hook (hooks/kb_hooks.py) attaches the knowledge base's
problems to the PluginError it raises (``kb_problems``); a failure of another kind is shown by
its message.
"""

from __future__ import annotations

import html
import importlib
import logging
import os
from typing import Any

from ..core.problems import Problem
from ..validation.messages import HINT_LABEL
from ..validation.reporting import message_of

log = logging.getLogger("kb.serve")
STATE: dict = {"page": None}  # the problem page of the last build, None when it succeeded


def problems_of(exc: BaseException) -> list[Problem] | None:
    """The knowledge base's problems a failed build carries (the hook's PluginError, which
    MkDocs re-raises as an Abort with the PluginError as its context)."""
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = getattr(current, "kb_problems", None)
        if found is not None:
            return list(found)
        current = current.__cause__ or current.__context__
    return None


def _detail(exc: BaseException) -> str:
    """The most telling message of a failure: the innermost that says anything."""
    texts = []
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if str(current):
            texts.append(f"{type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    return texts[-1] if texts else "BuildError"


def problem_page(exc: BaseException) -> bytes:
    """The page shown at every address of the preview while the site cannot be built."""
    problems = problems_of(exc)
    errors = [p for p in problems or [] if p.level.value == "error"]
    rest = [p for p in problems or [] if p.level.value != "error"]
    items = []
    for p in [*errors, *rest]:
        zh, zh_hint = message_of(p, "zh-TW")
        en, en_hint = message_of(p, "en")
        level = "錯誤" if p.level.value == "error" else "提醒"
        items.append(
            f'<li class="{p.level.value}"><p class="where"><code>{html.escape(p.path)}</code> 第 {p.line} 行'
            f'（{level}，<code>{html.escape(p.code)}</code>）</p>'
            f'<p lang="zh-Hant">{html.escape(zh)}'
            + (f"<br><span class=hint>{HINT_LABEL['zh-TW']}：{html.escape(zh_hint)}</span>" if zh_hint else "")
            + f'</p><p lang="en" class="en">{html.escape(en)}'
            + (f"<br><span class=hint>{HINT_LABEL['en']}: {html.escape(en_hint)}</span>" if en_hint else "")
            + "</p></li>")
    if problems is None:
        body = (f"<p>建置時發生錯誤（不是某個條目的檢查問題）：</p><pre>{html.escape(_detail(exc))}</pre>"
                "<p>終端機裡有完整的訊息。 / The build failed; the terminal shows the whole message.</p>")
    else:
        body = (f"<p>有 {len(errors)} 個錯誤要改；改好存檔後，這一頁會自動換成網站。"
                f" / {len(errors)} error(s) to fix; once saved, this page turns back into the site.</p>"
                f"<ol>{''.join(items)}</ol>")
    return (
        "<!doctype html><html lang=zh-Hant><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        "<title>預覽無法建置 Preview not built</title><style>"
        "body{font-family:system-ui,'Noto Sans CJK TC','Microsoft JhengHei',sans-serif;line-height:1.6;"
        "max-width:50rem;margin:2rem auto;padding:0 1rem;color:#212121}"
        "h1{font-size:1.5rem;color:#b71c1c}li{margin:.75rem 0}li p{margin:.15rem 0}.where{font-weight:600}"
        ".en{color:#555}.hint{color:#37474f}.warning .where{color:#8d6e00}code{background:#f5f5f5;padding:0 .2rem}"
        "</style></head><body>"
        "<h1>網站預覽無法建置 · The preview could not be built</h1>"
        f"{body}</body></html>"
    ).encode()


def install(module: str) -> None:
    """Wrap the engine's ``serve`` (``module``: mkdocs, properdocs) before it runs."""
    try:
        serve = importlib.import_module(f"{module}.commands.serve")
    except ImportError:  # an engine without MkDocs' layout: its own behaviour
        return
    build = serve.build
    base: Any = serve.LiveReloadServer  # MkDocs' class, subclassed below (typed as Any: a base found at run time)

    def guarded_build(config, *args, **kwargs):
        try:
            build(config, *args, **kwargs)
        except Exception as exc:
            STATE["page"] = problem_page(exc)
            log.error("網站預覽無法建置：瀏覽器裡的預覽頁面列出了原因。 / The preview could not be built: "
                      "the preview's pages list why.")
            return
        STATE["page"] = None

    class ProblemPageServer(base):
        def _serve_request(self, environ, start_response):
            page = STATE["page"]
            path = environ.get("PATH_INFO", "")
            if page is not None and not path.startswith("/livereload/") and (
                    path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]):
                with self._epoch_cond:
                    epoch = self._visible_epoch
                content = self._inject_js_into_html(page, epoch)  # reloads when a build succeeds
                start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                             ("Content-Length", str(len(content))),
                                                             ("Cache-Control", "no-store")])
                return [content]
            return super()._serve_request(environ, start_response)

    setattr(serve, "build", guarded_build)  # noqa: B010 - MkDocs' serve module, patched for the preview
    setattr(serve, "LiveReloadServer", ProblemPageServer)  # noqa: B010


def wanted(argv: list[str]) -> bool:
    """``serve`` is being run (not build), and not turned off (KB_SERVE_PROBLEM_PAGE=0)."""
    return bool(argv) and argv[0] == "serve" and os.environ.get("KB_SERVE_PROBLEM_PAGE", "1") != "0"
