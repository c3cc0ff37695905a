"""Second layer of defence: a scan of the built site.

Whatever the validation missed, no page may run a script that is not the
theme's own: a ``<script>`` not found on the theme-only reference page (the
404 page), an event-handler attribute (``onerror=``), a ``javascript:`` URL,
or an embedding element. The scan reads HTML files only; it knows nothing of
the engine that wrote them.
"""

from __future__ import annotations

import html
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
_TAG_RE = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>")
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


def _scan(text: str) -> _Found:
    """Compiled regular expressions over the page: fast enough for every page of a large
    site; positions are computed only for what is reported."""
    found = _Found()
    for m in _SCRIPT_RE.finditer(text):
        line, col = _position(text, m.start())
        found.scripts.append((line, col, _attrs(m.group(1)), m.group(2).strip()))
    for m in _TAG_RE.finditer(text):
        tag, raw = m.group(1).lower(), m.group(2)
        if tag in EMBEDDING:
            found.bad.append((*_position(text, m.start()), "site-embed", {"tag": tag}))
        if not raw:
            continue
        for name, value in _attrs(raw).items():
            if name.startswith("on"):
                found.bad.append((*_position(text, m.start()), "site-event-handler", {"tag": tag, "attribute": name}))
            elif name in URL_ATTRS:
                sm = _SCHEME.match(_CONTROL.sub("", value))
                if sm and sm.group(1).lower() in ("javascript", "vbscript", "data") and not (
                        tag == "img" and value.startswith("data:image/") and "svg" not in value[:20]):
                    found.bad.append((*_position(text, m.start()), "site-unsafe-url",
                                      {"tag": tag, "scheme": sm.group(1).lower()}))
    return found


_PATH_LITERAL = re.compile(r"\"(?:\.{1,2}/?)*\"|\"/(?:[^\"/]+/)*\"")


def _normalise(body: str) -> str:
    """Theme scripts differ per page only by the relative path to the site root."""
    return _PATH_LITERAL.sub('"<root>"', body)


def _script_src_ok(src: str) -> bool:
    # The theme's bundle and our worker live under assets/javascripts/ of this site.
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//", src) and "assets/javascripts/" in src


def scan_site(site_dir: Path, reference: str = "404.html") -> list[Problem]:
    """Problems for every page carrying script that is not the theme's own."""
    site_dir = Path(site_dir)
    ref = site_dir / reference
    baseline: set[str] = set()
    if ref.is_file():
        baseline = {_normalise(body) for _, _, a, body in _scan(ref.read_text(encoding="utf-8", errors="replace")).scripts
                    if body and not a.get("src")}
    problems: list[Problem] = []
    for page in sorted(site_dir.rglob("*.html")):
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
