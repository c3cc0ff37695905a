"""The home page: counts per kind, featured entries, the newest of each kind, ways to browse."""

from __future__ import annotations

from ...kinds import KINDS, facets
from .. import markup
from ..render import render
from ..urls import listing_src
from .listing import featured

HOME_NEWEST = 5
HOME_FEATURED = 6


def home(kb, ctx, scope=None, preview=None):
    src = "index.md"
    counts = kb.counts()
    lang = ctx.lang
    kinds = [(k, counts[k.id], listing_src(k),
              markup.items((kb.current(k) if k.expires else kb.by_kind(k))[:HOME_NEWEST], kb, ctx, src))
             for k in KINDS.values()]
    site = ctx.site  # the site's own name and description (mkdocs.yml: site_name, site_description)
    if lang.english:  # the English home page: the site's English name and introduction (kb.yml site:)
        name, description = site.name_en or site.site_name, site.description_en or site.description
        values = dict(subtitle=site.site_name if site.name_en else "", intro=site.intro_en or description, intro_other="")
    else:
        name, description = site.site_name, site.description
        values = dict(subtitle=site.name_en, intro=site.intro or site.description,
                      intro_other=site.intro_en or site.description_en)
    yield render(ctx, "home.html", src, name, nav_title=lang.t("nav-home"), in_nav=True, hide=("toc",),
                 description=description, kinds=kinds, **values,
                 featured=featured(kb.featured()[:HOME_FEATURED], kb, ctx, src, lang.t("featured-entries")),
                 facets=[(f"{f.id}/index.md", lang.name(f)) for f in facets()])
