"""Facet pages: each facet's index of values, and a paged listing per value. The organizations
facet is a directory: its index lists the registry by type, and each value page describes the
organization before its reports, grouped by year."""

from __future__ import annotations

from markupsafe import Markup

from ...kinds import facets
from ...model import vocab as V
from ...model.facets import entry_year
from .. import markup
from ..render import fragment, render
from ..urls import facet_src
from .listing import Listing, fixed, pages


def facet_pages(kb, ctx, scope=None, preview=None):
    lang = ctx.lang
    for facet in facets():
        groups = kb.facet_index(facet)
        if facet.directory:
            yield from organization_pages(kb, ctx, groups, scope, preview)
            continue
        values = sorted(groups, key=lambda v: (-v,) if facet.newest_first else (-len(groups[v]), str(v)))
        index_src = f"{facet.id}/index.md"
        yield render(ctx, "facet_index.html", index_src, lang.name(facet), hide=("toc",), in_nav=True, facet=facet,
                     values=[(facet_src(facet.id, v), kb.facet_label(facet, v, lang.code), len(groups[v])) for v in values])
        for v in values:
            if scope is not None and (facet.id, v) not in scope.facet_values:
                continue
            label = kb.facet_label(facet, v, lang.code)
            intro = Markup("<p>" + markup.esc(lang.t("facet-value", facet=lang.name(facet), value="KB-VALUE")).replace(
                "KB-VALUE", f"<strong>{markup.esc(label)}</strong>") + "</p>\n")
            yield from pages(Listing(f"{facet.id}/{v}", lang.t("facet-value", facet=lang.name(facet), value=label),
                                     groups[v], fixed(intro)), kb, ctx, scope, preview)


def organization_pages(kb, ctx, groups: dict, scope=None, preview=None):
    """The organizations and conferences registry as a directory."""
    reg = kb.registries["organizations"]
    types = []
    for type_id in V.ORG_TYPE.ids():
        ids = sorted((i for i, a in reg.items.items() if a.get("type", "organization") == type_id),
                     key=lambda i: (-len(groups.get(i, [])), i))
        if ids:
            types.append((V.ORG_TYPE.label(type_id, ctx.lang.code), [(i, reg.items[i], len(groups.get(i, []))) for i in ids]))
    t = ctx.lang.t
    yield render(ctx, "organizations.html", "organizations/index.md", t("organizations-title"),
                 description=t("organizations-description"), hide=("toc",), in_nav=True,
                 types=types, org_src=lambda i: facet_src("organizations", i))
    for i, org in reg.items.items():
        if scope is not None and ("organizations", i) not in scope.facet_values:
            continue
        entries = sorted(groups.get(i, []), key=lambda e: (entry_year(e), e.date, e.title), reverse=True)
        intro = fragment(ctx, "organization.html", org_id=i, org=org,
                                   org_type=V.ORG_TYPE.label(org.get("type", "organization"), ctx.lang.code))
        name = org.get("name_en") or org.get("name_zh", "") if ctx.lang.english else org.get("name_zh", "")
        label = f"{i} {name}".strip()
        yield from pages(Listing(f"organizations/{i}", label, entries, fixed(intro),
                                 group=lambda e: t("org-year", year=entry_year(e))), kb, ctx, scope, preview)
