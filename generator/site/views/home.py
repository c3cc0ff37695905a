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
    kinds = [(k, counts[k.id], listing_src(k),
              markup.items((kb.current(k) if k.expires else kb.by_kind(k))[:HOME_NEWEST], kb, ctx, src))
             for k in KINDS.values()]
    site = ctx.site  # the site's own name and description (mkdocs.yml: site_name, site_description)
    yield render(ctx, "home.html", src, site.site_name, nav_title="首頁", in_nav=True, hide=("toc",),
                 description=site.description, name_en=site.name_en, intro=site.intro or site.description,
                 intro_en=site.intro_en or site.description_en, kinds=kinds,
                 featured=featured(kb.featured()[:HOME_FEATURED], kb, ctx, src, "精選條目"),
                 facets=[(f"{f.id}/index.md", f.zh) for f in facets()])
