"""Last line of defence: every built page parsed as a browser parses it.

Whatever escaping or sanitising missed, no page may carry anything able to run
script: a ``<script>`` that is not the theme's own (compared with the
theme-only 404 page) or data whose whole text parses as JSON (structured data,
``application/ld+json``; the theme's ``application/json`` configuration), an event-handler attribute however it is written
(``<svg/onload=…>``, ``<img src/onerror=…>``), a ``javascript:``,
``vbscript:`` or ``data:`` URL in any URL-bearing attribute (after entity
decoding and the whitespace browsers drop), an embedding element, ``<base>``,
``<meta http-equiv=refresh>``, ``srcdoc``, or an SVG animation that writes a
link. Nor may a page load a picture from another site: every reader's browser
would ask that site for it. Pages are parsed with Lexbor (``selectolax``), an
HTML5 parser that builds the tree the HTML standard prescribes, so what is checked is what a
browser would build. The scan knows nothing of the engine that wrote the pages.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from ..core.escape import as_browser_reads, url_scheme
from ..core.parallel import Crashed, map_chunks, map_isolated
from ..core.problems import Problem, problem

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "fencedframe"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "cite",
             "codebase", "longdesc", "usemap", "ping", "manifest", "icon", "profile", "lowsrc", "dynsrc",
             "archive", "classid", "itemtype"}
SRCSET_ATTRS = {"srcset", "imagesrcset"}
UNSAFE_SCHEMES = {"javascript", "vbscript", "data", "livescript", "mocha"}
# Attributes, exactly as the parser reports them, that neither run script nor hold a URL
# (event handlers, URLs and style are checked below; any other name is checked as well).
_PLAIN_ATTRS = frozenset({
    "class", "id", "title", "lang", "dir", "role", "tabindex", "hidden", "type", "name", "for", "rel",
    "width", "height", "viewbox", "d", "fill", "stroke", "stroke-width", "x", "y", "x1", "x2", "y1", "y2",
    "text-anchor", "font-family", "font-size", "content", "charset", "property", "aria-label",
    "aria-hidden", "aria-labelledby", "aria-describedby", "aria-current", "aria-expanded", "autocomplete",
    "spellcheck", "placeholder", "required", "checked", "value", "colspan", "rowspan", "align", "start",
    "data-md-component", "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent",
    "data-md-scrollfix", "data-md-level", "data-md-state", "data-md-type", "data-md-toggle", "translate",
    "viewBox", "xmlns", "method", "target",
})
SVG_ANIMATION = {"animate", "set", "animatetransform", "animatemotion", "animatecolor"}
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpe?g|gif|webp|avif);", re.I)


def _unsafe_url(tag: str, value: str) -> str | None:
    scheme = url_scheme(value)
    if scheme in UNSAFE_SCHEMES:
        if scheme == "data" and tag == "img" and _SAFE_DATA_IMAGE.match(as_browser_reads(value)):
            return None  # a raster image inline: shown, never run
        return scheme
    return None


def _third_party(src: str) -> bool:
    """An address on another site (``https://…``, ``//host/…``): a request from every reader."""
    s = as_browser_reads(src).replace("\\", "/")
    return url_scheme(s) in ("http", "https") or s.startswith("//")


_PATH_LITERAL = re.compile(r"\"(?:\.{1,2}/?)*\"|\"/(?:[^\"/]+/)*\"")


def _normalise(body: str) -> str:
    """Theme scripts differ per page only by the relative path to the site root."""
    return _PATH_LITERAL.sub('"<root>"', body.strip())


# the search page's, and the reader's on entry pages and 我的收藏 (overrides/)
OUR_SCRIPTS = {"assets/javascripts/kb-search.js", "assets/javascripts/kb-reader.js"}
# No page names the search index's scripts (kb build --offline; generator/search/): the
# search script adds them when it runs from disk, so a page's <script src> to one is refused
# as any other. The files themselves are checked instead: each is one call handing its own
# index file, as data, to the search script, and nothing else.
INDEX_SCRIPTS = "search"  # the folder they are in
_INDEX_SCRIPT = re.compile(r'kbSearchFile\(("[a-z0-9/]+\.(?:json|txt)"),(.*)\);\n?', re.S)
_UP = re.compile(r"^(?:\.\./|\./)*")


def _script_path(src: str) -> str:
    at = src.find("assets/javascripts/")
    return src[at:] if at >= 0 else src


def _script_src_ok(src: str, theme_srcs: set[str]) -> bool:
    """A script the theme's reference page loads (the same address, or the same file
    relative to this page), or ours; never one from elsewhere."""
    s = as_browser_reads(src)
    if url_scheme(s) is not None or s.startswith(("//", "\\", "/\\")):
        return False
    return s in theme_srcs or _UP.sub("", s) in {_script_path(t) for t in theme_srcs} | OUR_SCRIPTS


def _bad_data_script(body: str, has_src: bool) -> str | None:
    """Why a ``<script type="application/ld+json">`` (or the theme's ``application/json``) is not
    the data it claims to be, or None: it is inline, and its whole text parses as JSON."""
    if has_src:
        return "資料腳本不得載入檔案 / a data script loading a file"
    try:
        json.loads(body)
    except ValueError:
        return f"資料腳本不是 JSON / a data script that is not JSON: {body.strip()[:40]}"
    return None


_NOSCRIPT = re.compile(r"<(/?)noscript", re.I)


def _findings(text: str, baseline: tuple[set[str], set[str]], depth: int = 0) -> list[tuple[str, str, dict]]:
    """(code, needle for the line, params) for everything in one page able to run script.
    ``baseline``: the theme's inline scripts and script addresses."""
    out: list[tuple[str, str, dict]] = []
    inline_ok, srcs_ok = baseline
    tree = LexborHTMLParser(text)
    for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
        tag = (node.tag or "").lower()
        if tag.startswith("-"):  # #comment, #document…
            continue
        attrs = node.attributes
        if tag in EMBEDDING:
            out.append(("site-embed", f"<{tag}", {"tag": tag}))
        elif tag == "script":
            kind = (attrs.get("type") or "").strip().lower()
            if kind in DATA_SCRIPT_TYPES:
                # A data block never runs, but one that is not JSON is the sign of a value that
                # broke out of it (a "</script>" ending it early) or of a script smuggled in.
                bad = _bad_data_script(node.text(deep=True), "src" in attrs)
                if bad:
                    out.append(("site-script", f'type="{kind}"', {"detail": bad}))
            elif "src" in attrs:
                src = attrs.get("src") or ""
                if not _script_src_ok(src, srcs_ok):
                    out.append(("site-script", src or "<script", {"detail": src[:80]}))
            else:
                body = node.text(deep=True)
                if _normalise(body) not in inline_ok:
                    out.append(("site-script", body.strip()[:40] or "<script", {"detail": body.strip()[:60]}))
        elif tag == "meta" and (attrs.get("http-equiv") or "").strip().lower() == "refresh":
            out.append(("site-refresh", "http-equiv", {"tag": tag}))
        elif tag == "img" and _third_party(attrs.get("src") or ""):
            src = attrs.get("src") or ""
            out.append(("site-third-party-image", src[:80] or "<img", {"url": src[:80]}))
        elif tag == "template" and depth < 3:
            # A template's content is parsed on its own too: a declarative shadow root is live.
            for fragment in node.template_fragments() or ():
                out += _findings(fragment.html or "", baseline, depth + 1)
        for name, value in attrs.items():
            if name in _PLAIN_ATTRS:  # most of a page: nothing in them can run or load anything
                continue
            lname = name.lower()
            value = value or ""
            if lname.startswith("on"):
                out.append(("site-event-handler", name, {"tag": tag, "attribute": lname}))
            elif lname == "srcdoc":
                out.append(("site-embed", name, {"tag": f"{tag} srcdoc"}))
            elif lname in URL_ATTRS or lname.endswith(":href"):
                # The parser has decoded entities; without a colon there is no scheme.
                scheme = _unsafe_url(tag, value) if ":" in value else None
                if scheme:
                    out.append(("site-unsafe-url", name, {"tag": tag, "scheme": scheme}))
            elif lname in SRCSET_ATTRS:
                for part in value.split(","):
                    scheme = _unsafe_url(tag, part.strip())
                    if scheme:
                        out.append(("site-unsafe-url", name, {"tag": tag, "scheme": scheme}))
                        break
            elif lname == "style" and re.search(r"expression\s*\(|javascript\s*:|behavior\s*:|-moz-binding",
                                                as_browser_reads(value), re.I):
                out.append(("site-unsafe-url", name, {"tag": tag, "scheme": "style"}))
        if tag in SVG_ANIMATION and (attrs.get("attributeName") or attrs.get("attributename") or "").strip().lower() \
                in ("href", "xlink:href"):
            for key in ("values", "to", "from", "by"):
                for part in (attrs.get(key) or "").split(";"):
                    scheme = url_scheme(part)
                    if scheme in UNSAFE_SCHEMES:
                        out.append(("site-unsafe-url", key, {"tag": tag, "scheme": scheme}))
    if depth == 0 and "noscript" in text.lower():
        # A browser running script reads <noscript> as raw text up to </noscript>, this parser
        # (scripting off) as markup: parsed again the browser's way (xmp is raw text for both).
        seen = {(c, n, tuple(sorted(p.items()))) for c, n, p in out}
        for c, n, p in _findings(_NOSCRIPT.sub(r"<\1xmp", text), baseline, depth + 1):
            if (c, n, tuple(sorted(p.items()))) not in seen:
                out.append((c, n, p))
    return out


def _line_of(text: str, needle: str, after: int) -> tuple[int, int, int]:
    """A person's position of a finding: the next occurrence of what was found (tags and
    attributes are found in document order), else the start of the page."""
    at = text.lower().find(needle.lower(), after) if needle else -1
    if at < 0:
        at = text.lower().find(needle.lower()) if needle else -1
    if at < 0:
        return 1, 1, after
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1, at + 1


def _scan_pages(site_dir: Path, pages: list[Path], baseline: tuple[set[str], set[str]],
                sources: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        text = page.read_text(encoding="utf-8", errors="replace")
        after = 0
        for code, needle, params in _findings(text, baseline):
            line, col, after = _line_of(text, needle, after)
            source = sources.get(rel)
            problems.append(problem(f"site/{rel}", line, col, code,
                                    **params, entry=f" ← {source}" if source else ""))
    return problems


def theme_scripts(reference: Path) -> tuple[set[str], set[str]]:
    """The inline scripts (normalised) and script addresses of the theme-only reference page."""
    if not reference.is_file():
        return set(), set()
    tree = LexborHTMLParser(reference.read_text(encoding="utf-8", errors="replace"))
    scripts = [n for n in tree.css("script") if (n.attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES]
    return ({_normalise(n.text(deep=True)) for n in scripts if "src" not in n.attributes},
            {src for n in scripts if (src := n.attributes.get("src"))})


def _index_script_ok(rel: str, text: str) -> bool:
    """Whether ``rel`` (``p/3.js`` under search/) is exactly the script of its own index file:
    ``kbSearchFile("p/3.json", <JSON>);`` (a JSON text is a JavaScript value, never code)."""
    m = _INDEX_SCRIPT.fullmatch(text)
    if m is None:
        return False
    try:
        path, _ = json.loads(m.group(1)), json.loads(m.group(2))
    except ValueError:
        return False
    return isinstance(path, str) and path.rpartition(".")[0] + ".js" == rel


def scan_index_scripts(site_dir: Path) -> list[Problem]:
    """A problem for every script in the search index's folder that is not one of its own."""
    folder = Path(site_dir) / INDEX_SCRIPTS
    problems = []
    for f in sorted(folder.rglob("*.js")) if folder.is_dir() else ():
        rel = f.relative_to(folder).as_posix()
        if not _index_script_ok(rel, f.read_text(encoding="utf-8", errors="replace")):
            problems.append(problem(f"site/{INDEX_SCRIPTS}/{rel}", 1, 1, "site-script", entry="",
                                    detail=f"{INDEX_SCRIPTS}/{rel}"))
    return problems


PARALLEL_FROM = 2000  # pages
_WORK: dict = {}  # what forked workers read: (site_dir, baseline, sources)


def _scan_chunk(pages: list[Path]) -> list[Problem]:
    site_dir, baseline, sources = _WORK["args"]
    return _scan_pages(site_dir, pages, baseline, sources)


def scan_site(site_dir: Path, reference: str = "404.html", sources: dict[str, str] | None = None) -> list[Problem]:
    """Problems for every page carrying anything able to run script that is not the theme's
    own. ``sources`` maps a page (``tools/a/index.html``) to the entry file it was made from.
    A page that crashes the parser is a problem on that page; it never stops the scan."""
    site_dir = Path(site_dir)
    baseline = theme_scripts(site_dir / reference)
    sources = sources or {}
    pages = sorted(site_dir.rglob("*.html"))
    index_scripts = scan_index_scripts(site_dir)
    if len(pages) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return _scan_pages(site_dir, pages, baseline, sources) + index_scripts
    chunks = [pages[i:i + 500] for i in range(0, len(pages), 500)]
    _WORK["args"] = (site_dir, baseline, sources)
    try:
        parts = map_chunks(_scan_chunk, chunks)
        problems = [p for part in parts if not isinstance(part, Crashed) for p in part]
        lost = [page for chunk, part in zip(chunks, parts) if isinstance(part, Crashed) for page in chunk]
        for page, part in zip(lost, map_isolated(lambda page: _scan_chunk([page]), lost)):
            if isinstance(part, Crashed):
                problems.append(problem(f"site/{page.relative_to(site_dir).as_posix()}", 1, 1, "file-crashed",
                                        reason=part.reason))
            else:
                problems += part
    finally:
        _WORK.clear()
    return problems + index_scripts


_LINK_TAGS = {"a": "href", "link": "href", "img": "src", "script": "src"}


def broken_links(site_dir: Path) -> list[tuple[str, str]]:
    """(page, link) for every relative link in the site that leads to no file."""
    site_dir = Path(site_dir).resolve()
    out = []
    for page in sorted(site_dir.rglob("*.html")):
        base = page.parent
        tree = LexborHTMLParser(page.read_text(encoding="utf-8", errors="replace"))
        for node in tree.css("a[href], link[href], img[src], script[src]"):
            url = (node.attributes.get(_LINK_TAGS[node.tag or ""]) or "").split("#", 1)[0].split("?", 1)[0]
            if not url or re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//|^/", url):
                continue
            target = (base / url).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                out.append((page.relative_to(site_dir).as_posix(), url))
    return out
