"""What a view needs besides the knowledge base: where the site lives and when entries were
published (from Git history), and where to note an entry whose output fails."""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
from pathlib import Path

from ..core.problems import EntryFailures
from ..knowledge.history import FileHistory, History
from ..model.siteinfo import TAIPEI, SiteInfo
from .i18n import ZH, Language
from .markup import up
from .urls import DIRECTORY_LINKS, Links

IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


class SiteContext:
    def __init__(self, site: SiteInfo | None = None, history: History | None = None,
                 templates: Path | None = None, links: Links = DIRECTORY_LINKS, lang: Language = ZH,
                 languages: tuple[Language, ...] = (ZH,)):
        self.site = site or SiteInfo()
        self.lang = lang  # the pages' language: Chinese at the root, English under en/ (site/i18n.py)
        self.languages = languages  # the site's languages (kb.yml site.english)
        self.links = links  # directory or file URLs (kb build --offline): site/urls.py
        self.history = history
        self.templates = templates  # a site's own templates, overriding the generator's
        self.templates_read: dict = {}  # the templates this build has read (site/render.py)
        self.failures = EntryFailures()  # an entry whose page, item or record fails is named, not fatal
        self._histories: dict[str, FileHistory | None] = {}

    def translated(self, lang: Language) -> SiteContext:
        """The same build's context for the pages of another language: one history, one
        template cache, one list of failures."""
        other = copy.copy(self)
        other.lang = lang
        return other

    def page_src(self, src: str) -> str:
        """Where a page of this language is: its source path under the language's folder."""
        return self.lang.prefix + src

    def to_root(self, src: str, path: str) -> str:
        """The relative URL from a page of this language (``src`` as the views name it,
        without the language's folder) to a file at ``path`` from the site's root: the files
        both languages share (attachments, citation files, exports, the search index)."""
        return up(self.links, self.page_src(src)) + path

    @property
    def has_history(self) -> bool:
        return self.history is not None and self.history.available

    def entry_history(self, e) -> FileHistory | None:
        """The entry's Git history (its file and attachments), or None when unknown."""
        if not self.has_history:
            return None
        if e.rel not in self._histories:
            assert self.history is not None  # has_history
            folder = e.path.rsplit("/", 1)[0]
            paths = [e.path] + [f"{folder}/{n}" for n in e.bundle_files] if e.bundle_dir else [e.path]
            self._histories[e.rel] = self.history.for_paths(paths)
        return self._histories[e.rel]

    def published(self, e) -> dt.datetime:
        """When the entry was first published: its first commit, else the date it was written."""
        h = self.entry_history(e)
        if h is not None:
            return h.created.astimezone(TAIPEI)
        return dt.datetime.combine(e.date, dt.time(0, 0), TAIPEI)

    def published_fallback(self) -> dt.datetime:
        return dt.datetime.combine(self.site.now_date(), dt.time(0, 0), TAIPEI)

    def updated(self, e) -> dt.datetime:
        h = self.entry_history(e)
        return h.updated.astimezone(TAIPEI) if h is not None else self.published(e)

    def image(self, e) -> str | None:
        """Absolute URL of the entry's first image attachment, for social cards."""
        for a in e.attachments:
            if posixpath.splitext(a["file"])[1].lower() in IMAGE_TYPES:
                return self.site.absolute(e.url + a["file"])
        return None
