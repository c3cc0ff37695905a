"""One build of the site as plain values, with no engine in sight.

:meth:`Session.generate` loads and checks the knowledge base, writes the pages of public
entries and their attachments into the engine's folder (only pages whose text changed), writes
the search index, citation files and data exports into the site folder, and returns a
:class:`Build`: what the engine is to render (pages in order, each in the navigation or not;
attachments; feeds) and the work the engine's page events hand back to the generator
(:meth:`Build.stash`, :meth:`Build.finish`, then :meth:`Build.after`). The engine's adapter
(``hooks/kb_hooks.py``) only turns these values into the engine's own objects.

A :class:`Session` lives as long as the engine's process. A published build keeps nothing in
it between runs. A preview (``kb serve``) keeps what makes a rebuild after an edit fast: the
validated entries (reused while their files and the registries are unchanged), the Git
history read at start, and the :class:`~generator.site.preview.Preview` (what the last build
produced), which says what an edit touches, so that only those pages are generated again.
After its first build what survived is frozen out of garbage collection
(:func:`~generator.knowledge.indexing.settle_long_lived_state`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .contribute.editor.admin import ADMIN_DIR, backend_from_settings, write_admin
from .core.problems import Level, Problem, problem
from .knowledge.history import History, read_history
from .knowledge.base import KnowledgeBase
from .knowledge.indexing import ValidationCache, load_knowledge_base, settle_long_lived_state
from .knowledge.project import Project, identity_problems
from .model.siteinfo import SiteInfo, with_settings
from .outputs.feeds import all_feeds
from .site import docsdir, rawblocks, sanitize
from .site.context import SiteContext
from .site.data import data_files
from .site.sitemap import english_sitemap
from .site.i18n import EN, languages
from .site.preview import Preview
from .site.sitecheck import scan_site
from .site.urls import DIRECTORY_LINKS, Links, page_url
from .site.views import iter_pages
from .validation.reporting import format_problems, format_text


class Log(Protocol):
    """Where a build's messages go (the engine's log): ``raw`` lines reach it as they are
    (GitHub annotations must not follow a log prefix)."""

    def error(self, text: str) -> None: ...
    def warning(self, text: str) -> None: ...
    def info(self, text: str) -> None: ...
    def raw(self, text: str) -> None: ...


class BuildStopped(Exception):
    """The build stops: the message for the log, the problems for kb serve's page that lists
    them (site/serveproblems.py) instead of a preview that hangs."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems: list[Problem] = list(problems)


@dataclass(frozen=True)
class BuildOptions:
    """What a build is given: where things are, the site, how pages link, the language and
    format of its messages."""

    project_dir: Path
    docs_dir: Path  # the engine's folder: the generator writes pages and attachments there
    site_dir: Path
    site: SiteInfo = field(default_factory=SiteInfo)
    links: Links = DIRECTORY_LINKS
    templates: Path | None = None  # a site's own page templates (overrides/kb/)
    lang: str = "zh-TW"
    fmt: str = "text"  # text, github or json (validation/reporting.py)
    nav_sources: frozenset[str] = frozenset()  # every page the engine's navigation names

    @property
    def content_dir(self) -> Path:
        """The entries: ``content/`` beside the project's configuration; the engine's own
        folder (docs_dir) is separate and never content/."""
        return self.project_dir / "content"


@dataclass
class Build:
    """What one build produced, and the per-page work the engine hands back."""

    options: BuildOptions
    kb: KnowledgeBase
    ctx: SiteContext
    pages: list[tuple[str, bool]]  # (page source, in the navigation) the engine renders, in order
    attachments: list[str]  # files of public entries, placed in docs_dir
    feeds: dict[str, str]  # site path -> text, rendered by the engine as files
    entries: dict[str, str]  # entry page source -> the entry's file (content/…)
    full: bool  # every page was given to the engine (not a preview's partial rebuild)
    token: str = field(default_factory=rawblocks.new_token)
    generated: float = field(default_factory=time.monotonic)  # when generation ended: the engine renders from here
    _blocks: dict[str, list] = field(default_factory=dict)

    def stash(self, markdown: str, src: str) -> str:
        """The generator's own HTML blocks skip the engine's Markdown parser (a fifth of the
        build at 2,000 entries); :meth:`finish` puts them back."""
        markdown, self._blocks[src] = rawblocks.stash(markdown, self.token)
        return markdown

    def finish(self, html: str, src: str, toc, log: Log) -> str:
        """A rendered page's HTML with the stashed blocks back, the entry's body cleaned to the
        allow-list (site/sanitize.py), and its table of contents (``toc``, the engine's items
        with ``title`` and ``children``) as text: the theme prints both as they are. A page that
        cannot be made clean stops the build (BuildStopped), naming the entry in the log."""
        source = self.entries.get(src)
        try:
            html = rawblocks.restore(html, self.token, self._blocks.pop(src, []))
            html = sanitize.clean_entry_page(html, has_body=source is not None)
        except (sanitize.UnsafePage, rawblocks.Unrestored):
            p = problem(source or src, 1, 1, "site-unclean", page=src, entry=f" ← {source}" if source else "")
            log.error(format_text([p], self.options.lang))
            raise BuildStopped(f"{src}: site-unclean", [p]) from None
        sanitize.clean_toc(toc)
        return html

    def after(self, site_dir: Path, log: Log, editor: bool = True) -> None:
        """After the engine wrote the site: every built page is scanned for script that is not
        the theme's own (the second line of defence), then the web editor is added (kb.yml:
        editor), after the scan: Decap's bundle is not a page of ours. ``editor`` false: a
        copy opened from disk, where it could not sign in or save."""
        lang = self.options.lang
        _phase(log, lang, "引擎繪製了 {n} 頁", "the engine rendered {n} pages", len(self.pages),
               time.monotonic() - self.generated)
        scanning = time.monotonic()
        sources = {self.options.links.page_file(src): path for src, path in self.entries.items()}
        problems = scan_site(site_dir, sources=sources)
        _phase(log, lang, "掃描了建置出的網頁（{n} 個問題）", "scanned the built pages ({n} problems)", len(problems),
               time.monotonic() - scanning)
        for p in problems[:50]:
            log.error(format_text([p], self.options.lang))
        if problems:
            raise BuildStopped(f"建置出的網頁有 {len(problems)} 處不安全的內容 / "
                               f"{len(problems)} unsafe item(s) in the built pages.", problems)
        settings = self.kb.settings
        if settings.editor_enabled and editor:
            size = write_admin(site_dir / ADMIN_DIR, self.options.project_dir, self.kb.registries,
                               backend_from_settings(settings, self.ctx.site), site_url=self.ctx.site.site_url or None)
            log.info(f"網頁編輯器已加入 /{ADMIN_DIR}/（{size / 1e6:.1f} MB） / web editor added at /{ADMIN_DIR}/")


@dataclass
class Session:
    """What lives as long as the engine's process: nothing for a published build; for a
    preview (``serve``), the caches that make a rebuild after an edit fast. ``dirty``: the
    engine renders again only the pages whose files changed (kb serve runs ``--dirty``)."""

    serve: bool = False
    dirty: bool = False
    caches: dict[str, ValidationCache] = field(default_factory=dict)
    preview: Preview | None = None
    history: History | None = None
    settled: bool = False

    def generate(self, options: BuildOptions, log: Log) -> Build:
        content_dir = options.content_dir
        docs_dir = options.docs_dir
        overlap = docsdir.check_separate(docs_dir, content_dir)
        if overlap:
            raise BuildStopped(overlap)
        lang = options.lang
        started = time.monotonic()
        cache = self.caches.setdefault(str(content_dir.resolve()), ValidationCache()) if self.serve else None
        try:
            kb = load_knowledge_base(content_dir, display_prefix="content", cache=cache,
                                     today=options.site.now_date())
        except Exception as exc:  # a bug of ours: say so plainly
            raise BuildStopped(f"知識庫載入時發生內部錯誤 / internal error while loading the knowledge base: "
                               f"{type(exc).__name__}: {exc}. Please report it; `mkdocs build -v` shows details.") from exc
        site = with_settings(options.site, kb.settings)  # the identity with what kb.yml adds
        # In GitHub Actions: the site's address, repository and editor must be this repository's.
        identity = identity_problems(Project(options.project_dir, kb.settings), site)
        _report([*kb.problems, *identity], options, log)
        loaded = time.monotonic()
        _phase(log, lang, "讀取並檢查了 {n} 個條目", "loaded and checked {n} entries", len(kb.entries), loaded - started)
        if kb.errors or identity:
            count = len(kb.errors) + len(identity)
            raise BuildStopped(
                f"知識庫內容有 {count} 個錯誤，網站未建置；請執行 `kb validate` 查看。"
                f" / {count} content error(s): the site was not built; run `kb validate`.",
                [*kb.problems, *identity])

        if self.serve and self.preview is None:
            self.preview = Preview()
        preview = self.preview
        rebuild = preview is not None and preview.built and cache is not None
        if rebuild and self.history is not None:
            history = self.history  # an edit in the preview is not committed: the history is the same
        else:
            history = read_history(options.project_dir, pathspec=os.path.relpath(content_dir, options.project_dir))
            for p in history.problems:
                log.warning(format_text([p], lang))
        ctx = SiteContext(site, history, templates=options.templates, links=options.links,
                          languages=languages(kb.settings))
        if preview is not None:
            preview.prefixes = tuple(lang.prefix for lang in ctx.languages)
        if not rebuild:
            untracked = [e.path for e in kb.public if history.available and ctx.entry_history(e) is None]
            if untracked:
                log.warning(format_text([problem(".", 1, 1, "history-untracked", level=Level.WARNING,
                                                 count=len(untracked), example=untracked[0])], lang))
        # A preview after an edit: only what can show the edited entries is generated again.
        scope = None
        if rebuild:
            assert preview is not None and cache is not None
            edited = {p.relative_to(content_dir).as_posix() for p in cache.changed if p.is_relative_to(content_dir)}
            scope = preview.scope(kb, edited)
        # Generated pages are written to docs_dir (only when their text changed) and the engine
        # reads them from there: held in memory they doubled the build's peak at 10,000 entries,
        # and under serve --dirty their file times tell which pages to render again.
        written: dict[str, bool] = {}
        for page in iter_pages(kb, ctx, scope, preview):
            docsdir.write_text(docs_dir, page.src, page.markdown)
            written[page.src] = page.in_nav
        if preview is not None:
            preview.record(kb, scope, written)
            # A dirty preview never empties its site folder: what was rendered for a page the edit
            # made obsolete (an entry deleted or made internal, with its attachments and citation
            # files; a listing page or facet value no longer there) goes now, not at restart.
            for src in preview.stale if rebuild else ():
                docsdir.remove_rendered(options.site_dir, page_url(src))
        registered = dict(preview.pages) if preview is not None else written
        placed: set[str] = set()  # attachments placed in docs_dir by this build
        for e in kb.public:
            if e.bundle_dir is not None and (scope is None or e.rel in scope.entries):
                for rel, name in zip(e.published_files(), e.bundle_files):
                    docsdir.place_file(docs_dir, rel, e.bundle_dir / name)
                    placed.add(rel)
        if scope is None or (preview is not None and preview.stale):  # everything else leaves (an entry made internal)
            docsdir.prune(docs_dir, set(registered) | {rel for e in kb.public for rel in e.published_files()})

        partial = rebuild and self.dirty
        if partial:
            # The engine makes a page object for every file it is given, on every build (a
            # second at 10,000 entries). A dirty rebuild renders only what was written again, so
            # it is given those, the navigation's pages and what the edited entries link to; the
            # other pages stay in the preview as they were built. (Without --dirty the engine
            # empties the site folder first and must be given every page.)
            assert scope is not None
            wanted = set(written) | {src for src in options.nav_sources if src in registered}
            wanted |= {link.target for e in kb.entries if e.rel in scope.entries
                       for link in e.links if link.target in registered}
        else:
            wanted = set(registered)
        pages = [(src, in_nav) for src, in_nav in registered.items() if src in wanted]  # in generation order
        attachments = sorted(placed) if partial else [rel for e in kb.public for rel in e.published_files()]
        if preview is not None:
            self.history = history
        feeds: dict[str, str] = {}
        # A dirty preview (kb serve) writes feeds and the search index on its first build only
        # (they take seconds at 10,000 entries and change nothing on the page being edited);
        # restarting kb serve refreshes them. Every other build, a plain mkdocs serve's included
        # (it empties the site folder each time), writes them.
        if not partial:
            feeds = all_feeds(kb, ctx)
            if EN in ctx.languages:
                feeds["en/sitemap.xml"] = english_sitemap(site, registered)
            # The search index, citation files and data exports are written straight into the
            # site folder (the engine has cleaned it before), so that thousands of files are not
            # held in memory while pages render.
            for path, text in data_files(kb, ctx):
                target = options.site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        _phase(log, lang, "產生了 {n} 頁、訂閱與資料檔", "generated {n} pages, the feeds and data files", len(pages),
               time.monotonic() - loaded)
        if ctx.failures.problems:  # an entry whose page, feed item or record failed: named, then stop
            for p in ctx.failures.problems:
                log.error(format_text([p], lang))
            raise BuildStopped(f"{len(ctx.failures.problems)} 個條目無法產生網頁 / "
                               f"{len(ctx.failures.problems)} entries could not be built.", ctx.failures.problems)
        return Build(options, kb, ctx, pages, attachments, feeds,
                     entries={e.rel: e.path for e in kb.public}, full=not partial)

    def built(self) -> None:
        """After a preview's build: what survived its first build is long-lived state."""
        if self.serve and not self.settled:
            settle_long_lived_state()
            self.settled = True


def _phase(log: Log, lang: str, zh: str, en: str, n: int, seconds: float) -> None:
    """One line per phase of a build, with its count and seconds: a long build in CI is not
    minutes of silence."""
    text = (zh if lang.startswith("zh") else en).format(n=f"{n:,}")
    log.info(f"{text}：{seconds:.1f} 秒" if lang.startswith("zh") else f"{text} in {seconds:.1f} s")


def _report(problems, options: BuildOptions, log: Log) -> None:
    """Content problems in the build's log. Errors stop the build; a content warning (a likely
    duplicate, an empty section) is advice for the reviewer, shown by `kb validate` and in the
    pull request's comment: it is logged as information, so that `--strict`, which CI builds
    with, never refuses to publish because of it."""
    for p in problems:
        text = format_text([p], options.lang) if options.fmt == "text" else format_problems([p], options.fmt, options.lang)
        if options.fmt == "github":
            log.raw(text)
        else:
            (log.error if p.level is Level.ERROR else log.info)(text)
