"""Thin MkDocs adapter: the knowledge base is loaded, checked and turned into pages by
``generator.build``; this module only hands the values it returns to MkDocs.

MkDocs keeps a hook module, like a plugin object, for the whole process (under
``mkdocs serve`` too). Its state is the :class:`~generator.build.Session` made at startup,
which holds what a preview keeps between rebuilds (nothing for a published build), the
:class:`~generator.build.Build` in progress and the English site's navigation of that build. Everything else is a value: the link
style, the language and format of messages are the build's options, read from the
configuration and the environment ``kb`` sets (``KB_LANG``, ``KB_FORMAT``, offline).
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.build import Build, BuildOptions, BuildStopped, Session
from generator.contribute.editor.admin import EditorUnavailable
from generator.engine import OFFLINE_ENV
from generator.knowledge.project import open_project
from generator.model.siteinfo import SiteInfo, content_licence_html, date_from_env, english_licence_html, site_info
from generator.site.i18n import EN, engine_strings, languages
from generator.site.urls import DIRECTORY_LINKS, FILE_LINKS
from generator.site.views import ENGLISH_SECTION, site_navigation
from generator.validation.reporting import default_format

log = get_plugin_logger("kb")


class _Log:
    """The build's messages in MkDocs' log; GitHub annotations as they are."""

    error, warning, info = log.error, log.warning, log.info

    @staticmethod
    def raw(text: str) -> None:
        print(text)


_state: dict = {"session": Session(), "build": None, "english_nav": None}  # replaced on startup; see the docstring


def on_startup(command, dirty):
    # kb serve runs --dirty; a plain mkdocs serve rebuilds from scratch
    _state["session"] = Session(serve=command == "serve", dirty=bool(dirty))


def on_config(config):
    settings = open_project(_project(config)).settings  # the site's kinds and vocabulary values, before the navigation
    # The navigation is small and fixed: entries are reached through listings and facet pages,
    # so an entry page's HTML does not grow with the number of entries (Material renders the
    # whole nav on every page).
    site_languages = languages(settings)
    config.nav = site_navigation(site_languages)
    # kb build --offline: a copy opened from disk, where no server answers a folder with its
    # index.html. Every link names a file: the engine's (as Material's offline plugin does) and
    # the generator's, which follows the engine's setting (the build's options).
    if os.environ.get(OFFLINE_ENV) == "1":
        config.use_directory_urls = False
    # The footer says under which licence the content is (kb.yml license:), unless mkdocs.yml has its own words.
    site = _site_info(config, settings)
    if not config.copyright:
        config.copyright = content_licence_html(site)
    # What the theme's templates (overrides/) print in each language: the interface's strings,
    # and on the English site its name and licence line.
    config.extra["kb"] = {"strings": engine_strings(), "english": EN in site_languages,
                          "english_name": site.name_en or site.site_name, "english_copyright": english_licence_html(site)}
    return config


def on_nav(nav, config, files):
    """The English site's pages have their own navigation: the section the generator put them
    in becomes a navigation of its own (given to English pages in on_page_context), and the
    Chinese pages' navigation is the rest."""
    from mkdocs.structure.nav import Navigation

    _state["english_nav"] = None
    section = next((item for item in nav.items if item.is_section and item.title == ENGLISH_SECTION), None)
    if section is None:
        return nav
    for item in section.children:
        item.parent = None  # a top-level item of its own navigation
    english = [p for p in nav.pages if p.file.src_uri.startswith(EN.prefix)]
    english_nav = Navigation(section.children, english)
    english_nav.homepage = next((p for p in english if p.file.src_uri == EN.prefix + "index.md"), None)
    _state["english_nav"] = english_nav
    chinese = Navigation([item for item in nav.items if item is not section],
                         [p for p in nav.pages if not p.file.src_uri.startswith(EN.prefix)])
    chinese.homepage = nav.homepage
    # MkDocs linked every page to the next before this hook: no link crosses languages.
    for pages in (chinese.pages, english):
        if pages:
            pages[0].previous_page = None
            pages[-1].next_page = None
    return chinese


def on_page_context(context, page, config, nav):
    if _state["english_nav"] is not None and page.file.src_uri.startswith(EN.prefix):
        context["nav"] = _state["english_nav"]
    return context


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


def on_serve(server, config, builder):
    # The preview follows edits in content/; the generated folder changes only because of them.
    server.unwatch(config.docs_dir)
    server.watch(str(_options(config).content_dir))
    if (_project(config) / "kb.yml").is_file():  # the site's settings (kinds, vocabularies, intro) too
        server.watch(str(_project(config) / "kb.yml"))
    return server


def on_files(files: Files, config) -> Files:
    try:
        build = _state["build"] = _state["session"].generate(_options(config), _Log())
    except BuildStopped as exc:
        raise _stopped(exc) from exc.__cause__
    # The engine is given its theme's files and what the generator wrote: never a file of
    # content/ (MkDocs scanned docs_dir before this hook: its list is replaced).
    docs_dir = Path(config.docs_dir)
    docs_root = docs_dir.resolve()
    kept = Files([f for f in files if not (f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs_root))])
    for src, in_nav in build.pages:
        inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        kept.append(File.generated(config, src, abs_src_path=str(docs_dir / src), inclusion=inclusion))
    for rel in build.attachments:
        kept.append(File.generated(config, rel, abs_src_path=str(docs_dir / rel)))
    for path, text in build.feeds.items():
        kept.append(File.generated(config, path, content=text))
    return kept


def on_page_markdown(markdown, page, config, files):
    # Every generated page has its title in its metadata: a page without one is metadata the
    # engine could not read, which it would otherwise publish as Markdown text.
    if not (page.meta or {}).get("title"):
        raise PluginError(f"{page.file.src_uri}: 網頁的中繼資料無法讀取，未發布 / the page's metadata could not be "
                          "read; it was not published (please report this).")
    return _build().stash(markdown, page.file.src_uri)


def on_page_content(html, page, config, files):
    # Once a page is rendered MkDocs keeps its Markdown to the end of the build, though
    # nothing reads it again: at 10,000 entries that is tens of megabytes of peak memory.
    page.markdown = ""
    try:
        return _build().finish(html, page.file.src_uri, page.toc, _Log())
    except BuildStopped as exc:
        raise PluginError(str(exc)) from None


def on_post_build(config) -> None:
    # A preview publishes nothing: scanning every page on each save would slow it down.
    session, build = _state["session"], _build()
    if session.serve:
        session.built()
        return
    try:
        build.after(Path(config.site_dir), _Log(), editor=bool(config.use_directory_urls))
    except BuildStopped as exc:
        raise PluginError(str(exc)) from None
    except EditorUnavailable as exc:
        raise PluginError(str(exc)) from exc


def _build() -> Build:
    build = _state["build"]
    if build is None:
        raise PluginError("kb: a page event came before the build's files (on_files)")
    return build


def _stopped(exc: BuildStopped) -> PluginError:
    """The build stops: the problems go with the error, for kb serve's page that lists them
    (generator/site/serveproblems.py) instead of a preview that hangs."""
    error = PluginError(str(exc))
    error.kb_problems = exc.problems
    return error


def _options(config) -> BuildOptions:
    """The build's options, from mkdocs.yml and the environment kb sets."""
    return BuildOptions(project_dir=_project(config), docs_dir=Path(config.docs_dir), site_dir=Path(config.site_dir),
                        site=_site_info(config), links=FILE_LINKS if not config.use_directory_urls else DIRECTORY_LINKS,
                        templates=_templates_dir(config), lang=os.environ.get("KB_LANG", "zh-TW"),
                        fmt=os.environ.get("KB_FORMAT") or default_format(),
                        nav_sources=frozenset(_nav_sources(config.nav)))


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


def _site_info(config, settings=None) -> SiteInfo:
    """The site's identity from mkdocs.yml (site_name, site_description, site_url, repo_url,
    edit_uri) and, given its ``settings``, kb.yml (the build adds them itself)."""
    try:
        today = date_from_env()
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    return site_info(config, settings, today=today)


def _project(config) -> Path:
    return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
