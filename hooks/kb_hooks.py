"""Thin MkDocs adapter: the knowledge base is loaded, checked and turned into
pages by ``generator``; this module only hands them to MkDocs.

MkDocs does not reload hook modules under ``mkdocs serve``. State kept between
rebuilds is deliberate and lives in ``_SERVE``, used only under ``serve``: the
validated entries (reused while their files and the registries are unchanged),
the Git history read at start, and the :class:`~generator.site.preview.Preview`
(what the last build produced), which says what an edit touches, so that only
those pages are generated again. After the first build what survived is frozen out
of garbage collection (``settle_long_lived_state``). Generated pages are written to
the engine's folder only when their text changes, so that ``mkdocs serve --dirty``
(what ``kb serve`` runs) re-renders only those. Published builds keep nothing between runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.site import docsdir, sanitize
from generator.outputs.feeds import all_feeds
from generator.knowledge.history import read_history
from generator.knowledge.indexing import ValidationCache, load_knowledge_base, settle_long_lived_state
from generator.core.problems import Level, problem
from generator.validation.reporting import default_format, format_problems, format_text
from generator.site.context import SiteContext
from generator.site.data import data_files
from generator.site import rawblocks
from generator.site.preview import Preview
from generator.engine import OFFLINE_ENV
from generator.site.urls import page_file, page_url, use_file_urls
from generator.site.views import iter_pages, navigation
from generator.contribute.editor.admin import ADMIN_DIR, EditorUnavailable, backend_from_settings, write_admin
from generator.site.sitecheck import scan_site
from generator.model.siteinfo import SiteInfo, date_from_env

log = get_plugin_logger("kb")
_SERVE: dict = {"active": False, "caches": {}}
_BUILD: dict = {}  # this build's entry pages: page source -> entry file, for cleaning and the scan


def on_startup(command, dirty):
    _SERVE["active"] = command == "serve"
    _SERVE["dirty"] = bool(dirty)  # kb serve runs --dirty; a plain mkdocs serve rebuilds from scratch


def on_config(config):
    # The navigation is small and fixed: entries are reached through listings
    # and facet pages, so an entry page's HTML does not grow with the number
    # of entries (Material renders the whole nav on every page).
    config.nav = navigation()
    # kb build --offline: a copy opened from disk, where no server answers a folder with its
    # index.html. Every link names a file: the engine's (as Material's offline plugin does) and
    # the generator's, which follows the engine's setting (generator/site/urls.py).
    if os.environ.get(OFFLINE_ENV) == "1":
        config.use_directory_urls = False
    use_file_urls(not config.use_directory_urls)
    return config


def on_env(env, config, files):
    _render_nav_once_per_folder(env)
    return env


def _render_nav_once_per_folder(env) -> None:
    """Material renders the whole navigation into every page: half of the theme's time at
    2,000 entries. On a page the navigation does not list (an entry, a listing's second
    page) nothing in it is active, and its links, relative to the page, are the same for
    every page in the same folder; there it is rendered once per folder and reused. Pages
    the navigation lists are rendered as Material renders them."""
    template = env.get_template("partials/nav.html")
    render = template.root_render_func  # what {% include %} calls
    rendered: dict[str, str] = {}

    def root_render_func(context):
        page, nav = context.get("page"), context.get("nav")
        folder = _shared_nav_folder(page, nav)
        if folder is None:
            yield from render(context)
            return
        if folder not in rendered:
            rendered[folder] = "".join(render(context))
        yield rendered[folder]

    template.root_render_func = root_render_func


def _shared_nav_folder(page, nav) -> str | None:
    """The folder of a page whose navigation is the same as its neighbours', else None:
    a page the navigation lists (or an ancestor of one) renders its own."""
    url = getattr(page, "url", None)
    if url is not None and url.endswith(".html"):  # file URLs (kb build --offline)
        if nav is None or getattr(page, "ancestors", None):
            return None
        as_folder = _folder_url(url)
        if not as_folder or any(p is page or _folder_url(p.url).startswith(as_folder) for p in nav.pages):
            return None
        return url.rpartition("/")[0] + "/"  # links are relative to the file's own folder
    if url is None or nav is None or not url.endswith("/") or url == "/" or not url.strip("/"):
        return None
    if getattr(page, "ancestors", None) or any(p is page or p.url.startswith(url) for p in nav.pages):
        return None
    return url.rstrip("/").rpartition("/")[0] + "/"


def _folder_url(url: str) -> str:
    """A page's file URL as its directory URL: ``tools/a.html`` -> ``tools/a/``."""
    if url == "index.html" or url.endswith("/index.html"):
        return url[: -len("index.html")]
    return url[: -len(".html")] + "/" if url.endswith(".html") else url


def _project_dir(config) -> Path:
    return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()


def _content_dir(config) -> Path:
    """The entries: ``content/`` beside mkdocs.yml. The engine's docs_dir is the generated
    folder (.kb-cache/docs): it never reads content/ itself."""
    return _project_dir(config) / "content"


def on_serve(server, config, builder):
    # The preview follows edits in content/; the generated folder changes only because of them.
    server.unwatch(config.docs_dir)
    server.watch(str(_content_dir(config)))
    return server


def on_files(files: Files, config) -> Files:
    docs_dir = Path(config.docs_dir)  # the generated folder: pages and attachments of public entries
    content_dir = _content_dir(config)
    overlap = docsdir.check_separate(docs_dir, content_dir)
    if overlap:
        raise PluginError(overlap)
    site = _site_info(config)
    cache = _SERVE["caches"].setdefault(str(content_dir.resolve()), ValidationCache()) if _SERVE["active"] else None
    try:
        kb = load_knowledge_base(content_dir, display_prefix="content", cache=cache, today=site.now_date())
    except Exception as exc:  # a bug of ours: say so plainly, full detail with --verbose
        log.debug("knowledge base loading failed", exc_info=True)
        raise PluginError(f"知識庫載入時發生內部錯誤 / internal error while loading the knowledge base: "
                          f"{type(exc).__name__}: {exc}. Please report it; `mkdocs build -v` shows details.") from exc
    lang = os.environ.get("KB_LANG", "zh-TW")
    _report(kb.problems, lang)
    if kb.errors:
        raise _stopped(
            f"知識庫內容有 {len(kb.errors)} 個錯誤，網站未建置；請執行 `kb validate` 查看。"
            f" / {len(kb.errors)} content error(s): the site was not built; run `kb validate`.", kb.problems)

    # The engine is given its theme's files and what the generator writes below: never a
    # file of content/ (MkDocs scanned docs_dir before this hook: its list is replaced).
    docs_root = docs_dir.resolve()
    kept = Files([f for f in files if not (f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs_root))])

    project_dir = _project_dir(config)
    preview: Preview | None = _SERVE.setdefault("preview", Preview()) if _SERVE["active"] else None
    rebuild = preview is not None and preview.built and cache is not None
    if rebuild and "history" in _SERVE:
        history = _SERVE["history"]  # an edit in the preview is not committed: the history is the same
    else:
        history = read_history(project_dir, pathspec=os.path.relpath(content_dir, project_dir))
        for p in history.problems:
            log.warning(format_text([p], lang))
    ctx = SiteContext(site, history, templates=_templates_dir(config))
    if not rebuild:
        untracked = [e.path for e in kb.public if history.available and ctx.entry_history(e) is None]
        if untracked:
            log.warning(format_text([problem(".", 1, 1, "history-untracked", level=Level.WARNING,
                                             count=len(untracked), example=untracked[0])], lang))
    # A preview after an edit: only what can show the edited entries is generated again.
    scope = None
    if rebuild:
        edited = {p.relative_to(content_dir).as_posix() for p in cache.changed if p.is_relative_to(content_dir)}
        scope = preview.scope(kb, edited)
    # Generated pages are written to docs_dir (only when their text changed) and MkDocs
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
            docsdir.remove_rendered(Path(config.site_dir), page_url(src))
    registered = dict(preview.pages) if preview is not None else written
    attachments: set[str] = set()  # placed in docs_dir by this build
    for e in kb.public:
        if scope is None or e.rel in scope.entries:
            for rel, name in zip(e.published_files(), e.bundle_files):
                docsdir.place_file(docs_dir, rel, e.bundle_dir / name)
                attachments.add(rel)
    if scope is None or preview.stale:  # everything else leaves the engine's folder (an entry made internal)
        docsdir.prune(docs_dir, set(registered) | {rel for e in kb.public for rel in e.published_files()})
    _BUILD.clear()
    _BUILD.update(entries={e.rel: e.path for e in kb.public}, token=rawblocks.new_token(), blocks={},
                  kb=kb, project=content_dir.parent)
    if rebuild and _SERVE.get("dirty"):
        # MkDocs makes a page object for every file it is given, on every build (a second at
        # 10,000 entries). A dirty rebuild renders only what was written again, so it is given
        # those, the navigation's pages and what the edited entries link to; the other pages
        # stay in the preview as they were built. (Without --dirty MkDocs empties the site
        # folder first and must be given every page.)
        wanted = set(written) | {src for src in _nav_sources(config.nav) if src in registered}
        wanted |= {link.target for e in kb.entries if e.rel in scope.entries
                   for link in e.links if link.target in registered}
    else:
        wanted = set(registered)
    for src in (src for src in registered if src in wanted):  # in generation order: same site, same files
        inclusion = InclusionLevel.INCLUDED if registered[src] else InclusionLevel.NOT_IN_NAV
        kept.append(File.generated(config, src, abs_src_path=str(docs_dir / src), inclusion=inclusion))
    if not rebuild or not _SERVE.get("dirty"):
        attachments = {rel for e in kb.public for rel in e.published_files()}
    for rel in attachments:
        kept.append(File.generated(config, rel, abs_src_path=str(docs_dir / rel)))
    if preview is not None:
        _SERVE["history"] = history
    # A dirty preview (kb serve) writes feeds and the search index on its first build only
    # (they take seconds at 10,000 entries and change nothing on the page being edited);
    # restarting kb serve refreshes them. Every other build, a plain mkdocs serve's included
    # (it empties the site folder each time), writes them.
    if not (rebuild and _SERVE.get("dirty")):
        for path, text in all_feeds(kb, ctx).items():
            kept.append(File.generated(config, path, content=text))
        # The search index, citation files and data exports are written straight into the
        # site folder (MkDocs has cleaned it before on_files), so that thousands of files
        # are not held in memory while pages render.
        site_dir = Path(config.site_dir)
        for path, text in data_files(kb, ctx):
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if ctx.failures.problems:  # an entry whose page, feed item or record failed: named, then stop
        for p in ctx.failures.problems:
            log.error(format_text([p], lang))
        raise _stopped(f"{len(ctx.failures.problems)} 個條目無法產生網頁 / "
                       f"{len(ctx.failures.problems)} entries could not be built.", ctx.failures.problems)
    return kept


def _stopped(message: str, problems) -> PluginError:
    """The build stops: the problems go with the error, for kb serve's page that lists them
    (generator/site/serveproblems.py) instead of a preview that hangs."""
    error = PluginError(message)
    error.kb_problems = list(problems)
    return error


def _report(problems, lang: str) -> None:
    """Content problems in the build's log. Errors stop the build (on_files); a content warning
    (a likely duplicate, an empty section) is advice for the reviewer, shown by `kb validate`
    and in the pull request's comment: it is logged as information, so that `--strict`, which
    CI builds with, never refuses to publish because of it."""
    fmt = os.environ.get("KB_FORMAT") or default_format()
    for p in problems:
        text = format_problems([p], fmt, lang) if fmt != "text" else format_text([p], lang)
        if fmt == "github":
            print(text)  # annotations must reach the log as they are, not behind a log prefix
        else:
            (log.error if p.level.value == "error" else log.info)(text)


def _templates_dir(config) -> Path | None:
    """A site's own page templates: ``overrides/kb/`` beside Material's overrides."""
    custom = config.theme.custom_dir
    folder = Path(custom) / "kb" if custom else None
    return folder if folder is not None and folder.is_dir() else None


def _nav_sources(nav) -> set[str]:
    """Every page named in the navigation configuration."""
    out: set[str] = set()
    for item in nav or []:
        values = item.values() if isinstance(item, dict) else [item]
        for v in values:
            if isinstance(v, str):
                out.add(v)
            elif isinstance(v, list):
                out |= _nav_sources(v)
    return out


def _site_info(config) -> SiteInfo:
    """Site and repository locations from mkdocs.yml (site_url, repo_url, edit_uri)."""
    edit_uri = (config.edit_uri or "").strip("/")  # e.g. edit/main/content
    parts = edit_uri.split("/")
    branch = parts[1] if len(parts) >= 2 and parts[0] in ("edit", "blob") else "main"
    content_path = "/".join(parts[2:]) if len(parts) > 2 else "content"
    try:
        today = date_from_env()
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    return SiteInfo(site_url=config.site_url or "", site_name=config.site_name, repo_url=config.repo_url or "",
                    branch=branch, content_path=content_path, today=today)


def on_post_build(config) -> None:
    # Second line of defence: no built page may carry script that is not the theme's own.
    # (A preview publishes nothing; scanning every page on each save would slow it down.)
    if _SERVE["active"]:
        if not _SERVE.get("settled"):
            settle_long_lived_state()
            _SERVE["settled"] = True
        return
    sources = {page_file(src): path for src, path in _BUILD.get("entries", {}).items()}
    problems = scan_site(Path(config.site_dir), sources=sources)
    lang = os.environ.get("KB_LANG", "zh-TW")
    for p in problems[:50]:
        log.error(format_text([p], lang))
    if problems:
        raise PluginError(f"建置出的網頁有 {len(problems)} 處不安全的內容 / {len(problems)} unsafe item(s) in the built pages.")
    # The web editor (kb.yml: editor), after the scan: Decap's bundle is not a page of ours.
    # Not in a copy opened from disk, where it cannot sign in or save.
    kb = _BUILD.get("kb")
    if kb is not None and kb.settings.editor_enabled and config.use_directory_urls:
        try:
            size = write_admin(Path(config.site_dir) / ADMIN_DIR, _BUILD["project"], kb.registries,
                               backend_from_settings(kb.settings), site_url=config.site_url or None)
        except EditorUnavailable as exc:
            raise PluginError(str(exc)) from exc
        log.info(f"網頁編輯器已加入 /{ADMIN_DIR}/（{size / 1e6:.1f} MB） / web editor added at /{ADMIN_DIR}/")


def on_page_markdown(markdown, page, config, files):
    # Every generated page has its title in its metadata: a page without one is metadata the
    # engine could not read, which it would otherwise publish as Markdown text.
    if not (page.meta or {}).get("title"):
        raise PluginError(f"{page.file.src_uri}: 網頁的中繼資料無法讀取，未發布 / the page's metadata could not be "
                          "read; it was not published (please report this).")
    # The generator's own HTML blocks skip the engine's Markdown parser (a fifth of the build
    # at 2,000 entries) and are put back in on_page_content; the body is rendered as before.
    markdown, _BUILD["blocks"][page.file.src_uri] = rawblocks.stash(markdown, _BUILD["token"])
    return markdown


def on_page_content(html, page, config, files):
    # Once a page is rendered MkDocs keeps its Markdown to the end of the build, though
    # nothing reads it again: at 10,000 entries that is tens of megabytes of peak memory.
    page.markdown = ""
    # The entry's body as rendered, cleaned to the allow-list (generator/site/sanitize.py), and
    # the table of contents as text: the theme prints both as they are.
    source = _BUILD.get("entries", {}).get(page.file.src_uri)
    try:
        html = rawblocks.restore(html, _BUILD["token"], _BUILD["blocks"].pop(page.file.src_uri, []))
        html = sanitize.clean_entry_page(html, has_body=source is not None)
    except (sanitize.UnsafePage, rawblocks.Unrestored):
        lang = os.environ.get("KB_LANG", "zh-TW")
        p = problem(source or page.file.src_uri, 1, 1, "site-unclean", page=page.file.src_uri,
                    entry=f" ← {source}" if source else "")
        log.error(format_text([p], lang))
        raise PluginError(f"{page.file.src_uri}: site-unclean") from None
    sanitize.clean_toc(page.toc)
    return html
