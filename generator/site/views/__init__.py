"""Every page type is one view: a function of the knowledge base and the site context
(with, in a preview, the edit's :class:`~generator.site.preview.Scope` and the
:class:`~generator.site.preview.Preview` state) yielding its pages, each rendered by a
template of ``generator/site/templates``.

Adding a page type is adding a view module and its template, and naming it in ``VIEWS``.
"""

from __future__ import annotations

from ...kinds import KINDS, facets
from ..i18n import EN, ZH, Language
from ..urls import listing_src
from .collection import collection_page
from .contributors import contributor_pages
from .entry import entry_pages
from .export import export_page
from .browse import facet_pages
from .home import home
from .listing import kind_listings
from .search import search_page
from .stats import stats_pages

# In the order pages are generated (the engine is given them in this order).
VIEWS = (home, kind_listings, facet_pages, contributor_pages, search_page, stats_pages, export_page, collection_page,
         entry_pages)


def iter_pages(kb, ctx, scope=None, preview=None):
    """Every page of the site, one at a time (a caller writing them out never holds them all).

    With a ``scope`` (a preview after an edit), only the pages that can show the edited
    entries: their own pages, home, their kinds' listings, the facet indexes and the facet
    pages of their values (old and new), and the contributors. Other pages are kept as
    they were; related lists elsewhere, statistics and the export page catch up when the
    preview restarts. With ``preview``, listings whose order is unchanged since the last
    build yield only their first page and the pages showing the edited entries."""
    for lang in ctx.languages:  # the Chinese pages, then (unless a site turns it off) the English ones
        here = ctx if lang == ctx.lang else ctx.translated(lang)
        for view in VIEWS:
            yield from view(kb, here, scope, preview)


def navigation(lang: Language = ZH) -> list[dict]:
    """The small, fixed navigation: home, one listing per kind by group, the facet indexes
    (in ``lang``, its pages in its folder)."""
    t, at = lang.t, lang.prefix

    def group(name):
        return [{lang.name(k): at + listing_src(k)} for k in KINDS.values() if k.group == name]

    # the organizations directory, where a kind names organizations (browse.organization_pages)
    directories = [{t("organizations-directory"): f"{at}{f.id}/index.md"} for f in facets() if f.directory]
    sections = [
        {t("nav-home"): at + "index.md"},
        {t("nav-share"): group("share")},
        {t("nav-match"): group("match")},
        {t("nav-directory"): directories + group("directory")},
        {t("nav-browse"): [{lang.name(f): f"{at}{f.id}/index.md"} for f in facets() if f.in_nav]},
        {t("nav-stats"): at + "stats/index.md"},
        {t("nav-export"): at + "export/index.md"},
        {t("nav-contributors"): at + "contributors/index.md"},
        {t("nav-collection"): at + "collection/index.md"},
    ]
    # A section the site's kinds leave empty is not shown (a site without jobs or exchange has no 交流媒合).
    return [s for s in sections if not isinstance(next(iter(s.values())), list) or next(iter(s.values()))]


# The navigation's section that holds the English site's: the engine's adapter gives English pages
# its items as their navigation, and Chinese pages the rest (hooks/kb_hooks.py).
ENGLISH_SECTION = "English"


def site_navigation(languages: tuple[Language, ...] = (ZH,)) -> list[dict]:
    """The engine's navigation: the Chinese site's, then the English site's as one section."""
    nav = navigation(ZH)
    return nav + [{ENGLISH_SECTION: navigation(EN)}] if EN in languages else nav
