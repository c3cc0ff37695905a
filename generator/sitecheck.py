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
from html.parser import HTMLParser
from pathlib import Path

from .problems import Problem, problem

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EMBEDDING = {"iframe", "object", "embed", "applet", "frame", "frameset", "base"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")
_CONTROL = re.compile(r"[\x00-\x20]+")


@dataclass
class _Found:
    scripts: list[tuple[int, int, dict, str]] = field(default_factory=list)  # line, col, attrs, body
    bad: list[tuple[int, int, str, dict]] = field(default_factory=list)  # line, col, code, params


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = _Found()
        self._script: tuple[int, int, dict] | None = None
        self._body: list[str] = []

    def handle_starttag(self, tag, attrs):
        line, col = self.getpos()
        a = {k.lower(): (v or "") for k, v in attrs}
        for name, value in a.items():
            if name.startswith("on"):
                self.found.bad.append((line, col + 1, "site-event-handler", {"tag": tag, "attribute": name}))
            if name in URL_ATTRS:
                m = _SCHEME.match(_CONTROL.sub("", html.unescape(value)))
                if m and m.group(1).lower() in ("javascript", "vbscript", "data") and not (
                        tag == "img" and value.startswith("data:image/") and "svg" not in value[:20]):
                    self.found.bad.append((line, col + 1, "site-unsafe-url", {"tag": tag, "scheme": m.group(1).lower()}))
        if tag in EMBEDDING:
            self.found.bad.append((line, col + 1, "site-embed", {"tag": tag}))
        if tag == "script":
            self._script, self._body = (line, col + 1, a), []

    def handle_data(self, data):
        if self._script is not None:
            self._body.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            line, col, a = self._script
            self.found.scripts.append((line, col, a, "".join(self._body).strip()))
            self._script = None


def _scan(text: str) -> _Found:
    s = _Scanner()
    s.feed(text)
    s.close()
    return s.found


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
