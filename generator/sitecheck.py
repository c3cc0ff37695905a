"""Second layer of defence: a scan of the built site.

Whatever the validation missed, no page may run a script that is not the
theme's own: a ``<script>`` not found on the theme-only reference page (the
404 page), an event-handler attribute (``onerror=``), a ``javascript:`` URL,
or an embedding element. The scan reads HTML files only; it knows nothing of
the engine that wrote them.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, problem

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EMBEDDING = {"iframe", "object", "embed", "applet", "frame", "frameset", "base"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")
_CONTROL = re.compile(r"[\x00-\x20]+")


_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_ATTR_RE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


@dataclass
class _Found:
    scripts: list[tuple[int, int, dict, str]] = field(default_factory=list)  # line, col, attrs, body
    bad: list[tuple[int, int, str, dict]] = field(default_factory=list)  # line, col, code, params


def _attrs(raw: str) -> dict[str, str]:
    out = {}
    for m in _ATTR_RE.finditer(raw or ""):
        value = m.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        out[m.group(1).lower()] = html.unescape(value)
    return out


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_EVENT_RE = re.compile(r"<([a-zA-Z][\w:-]*)\b[^>]*?\s(on[a-zA-Z]+)\s*=", re.I)
_URL_ATTR_RE = re.compile(r"<([a-zA-Z][\w:-]*)\b[^>]*?\s(href|src|action|formaction|data|poster|xlink:href)\s*=\s*"
                          r"(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)
_EMBED_RE = re.compile(r"<(iframe|object|embed|applet|frame|frameset|base)\b", re.I)
_SAFE_URL_START = re.compile(r"^\s*(?:https?:|mailto:|tel:|[./#?]|[\w%-]+(?:[/.#?]|$))", re.I)


def _scan(text: str) -> _Found:
    """A few compiled regular expressions over the page: fast enough for every page of a
    large site; positions are computed only for what is reported."""
    found = _Found()
    for m in _SCRIPT_RE.finditer(text):
        line, col = _position(text, m.start())
        found.scripts.append((line, col, _attrs(m.group(1)), m.group(2).strip()))
    for m in _EMBED_RE.finditer(text):
        found.bad.append((*_position(text, m.start()), "site-embed", {"tag": m.group(1).lower()}))
    for m in _EVENT_RE.finditer(text):
        found.bad.append((*_position(text, m.start()), "site-event-handler",
                          {"tag": m.group(1).lower(), "attribute": m.group(2).lower()}))
    for m in _URL_ATTR_RE.finditer(text):
        value = m.group(3)
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        if _SAFE_URL_START.match(value) and "&" not in value[:12]:
            continue  # the common case: an ordinary link
        value = _CONTROL.sub("", html.unescape(value))
        sm = _SCHEME.match(value)
        tag = m.group(1).lower()
        if sm and sm.group(1).lower() in ("javascript", "vbscript", "data") and not (
                tag == "img" and value.startswith("data:image/") and "svg" not in value[:20]):
            found.bad.append((*_position(text, m.start()), "site-unsafe-url", {"tag": tag, "scheme": sm.group(1).lower()}))
    return found


_PATH_LITERAL = re.compile(r"\"(?:\.{1,2}/?)*\"|\"/(?:[^\"/]+/)*\"")


def _normalise(body: str) -> str:
    """Theme scripts differ per page only by the relative path to the site root."""
    return _PATH_LITERAL.sub('"<root>"', body)


def _script_src_ok(src: str) -> bool:
    # The theme's bundle and our worker live under assets/javascripts/ of this site.
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//", src) and "assets/javascripts/" in src


PARALLEL_FROM = 2000  # pages


def _scan_pages(site_dir: Path, pages: list[Path], baseline: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        found = _scan(page.read_text(encoding="utf-8", errors="replace"))
        for line, col, code, params in found.bad:
            problems.append(problem(f"site/{rel}", line, col, code, **params))
        for line, col, a, body in found.scripts:
            if a.get("type", "").lower() in DATA_SCRIPT_TYPES:
                continue
            if a.get("src"):
                if not _script_src_ok(a["src"]):
                    problems.append(problem(f"site/{rel}", line, col, "site-script", detail=a["src"][:80]))
            elif _normalise(body) not in baseline:
                problems.append(problem(f"site/{rel}", line, col, "site-script", detail=body[:60]))
    return problems


def scan_site(site_dir: Path, reference: str = "404.html") -> list[Problem]:
    """Problems for every page carrying script that is not the theme's own."""
    site_dir = Path(site_dir)
    ref = site_dir / reference
    baseline: set[str] = set()
    if ref.is_file():
        baseline = {_normalise(body) for _, _, a, body in _scan(ref.read_text(encoding="utf-8", errors="replace")).scripts
                    if body and not a.get("src")}
    pages = sorted(site_dir.rglob("*.html"))
    chunks = [pages[i:i + 500] for i in range(0, len(pages), 500)]
    if len(pages) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(min(os.cpu_count() or 1, 8)) as pool:
            parts = pool.starmap(_scan_pages, [(site_dir, c, baseline) for c in chunks])
    else:
        parts = [_scan_pages(site_dir, c, baseline) for c in chunks]
    problems = [p for part in parts for p in part]
    return problems


_LINK_RE = re.compile(r"""<(?:a|link|img|script)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"'#?]*)[^"']*["']""", re.I)


def broken_links(site_dir: Path) -> list[tuple[str, str]]:
    """(page, link) for every relative link in the site that leads to no file."""
    site_dir = Path(site_dir).resolve()
    out = []
    for page in sorted(site_dir.rglob("*.html")):
        base = page.parent
        for m in _LINK_RE.finditer(page.read_text(encoding="utf-8", errors="replace")):
            url = html.unescape(m.group(1))
            if not url or re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//|^/", url):
                continue
            target = (base / url).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                out.append((page.relative_to(site_dir).as_posix(), url))
    return out
