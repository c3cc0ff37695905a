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
    for facet in facets():
        groups = kb.facet_index(facet)
        if facet.directory:
            yield from organization_pages(kb, ctx, groups, scope, preview)
            continue
        values = sorted(groups, key=lambda v: (-v,) if facet.newest_first else (-len(groups[v]), str(v)))
        index_src = f"{facet.id}/index.md"
        yield render(ctx, "facet_index.html", index_src, facet.zh, hide=("toc",), in_nav=True, facet=facet,
                     values=[(facet_src(facet.id, v), kb.facet_label(facet, v), len(groups[v])) for v in values])
        for v in values:
            if scope is not None and (facet.id, v) not in scope.facet_values:
                continue
            label = kb.facet_label(facet, v)
            intro = Markup(f"<p>{markup.esc(facet.zh)}：<strong>{markup.esc(label)}</strong></p>\n")
            yield from pages(Listing(f"{facet.id}/{v}", f"{facet.zh}：{label}", groups[v], fixed(intro)),
                             kb, ctx, scope, preview)


def organization_pages(kb, ctx, groups: dict, scope=None, preview=None):
    """The organizations and conferences registry as a directory."""
    reg = kb.registries["organizations"]
    types = []
    for type_id in V.ORG_TYPE.ids():
        ids = sorted((i for i, a in reg.items.items() if a.get("type", "organization") == type_id),
                     key=lambda i: (-len(groups.get(i, [])), i))
        if ids:
            types.append((V.ORG_TYPE.label(type_id), [(i, reg.items[i], len(groups.get(i, []))) for i in ids]))
    yield render(ctx, "organizations.html", "organizations/index.md", "國際組織與會議名錄",
                 description="圖書館界國際專業組織與學術會議，以及同道出席的報告。", hide=("toc",), in_nav=True,
                 types=types, org_src=lambda i: facet_src("organizations", i))
    for i, org in reg.items.items():
        if scope is not None and ("organizations", i) not in scope.facet_values:
            continue
        entries = sorted(groups.get(i, []), key=lambda e: (entry_year(e), e.date, e.title), reverse=True)
        intro = fragment(ctx, "organization.html", org_id=i, org=org,
                                   org_type=V.ORG_TYPE.label(org.get("type", "organization")))
        label = f"{i} {org.get('name_zh', '')}".strip()
        yield from pages(Listing(f"organizations/{i}", label, entries, fixed(intro),
                                 group=lambda e: f"{entry_year(e)} 年"), kb, ctx, scope, preview)
