"""The markup pages repeat thousands of times, written in Python for speed: a fact's value,
an entry in a list. Every contributor string passes through :func:`generator.escape.text`
and every address through :func:`generator.escape.url` here, as in the templates.

Generated lists are raw HTML blocks: Python-Markdown stashes them instead of running its
inline patterns over every link and word (which made listing pages the most expensive part
of a 10,000-entry build).
"""

from __future__ import annotations

from markupsafe import Markup

from .. import escape
from ..facts import BREAK, Link
from .urls import facet_src, href

esc = escape.text


def anchor(url: str, text) -> Markup:
    return Markup(f'<a href="{escape.url(url)}">{esc(text)}</a>')


def link(from_src: str, to_src: str, text) -> Markup:
    return anchor(href(from_src, to_src), text)


def parts_html(parts, from_src: str) -> str:
    out = []
    for p in parts:
        if p is BREAK:
            out.append("<br>")
        elif isinstance(p, Link):
            target = href(from_src, facet_src(p.facet, p.value)) if p.facet else p.url
            out.append(f'<a href="{escape.url(target)}">{esc(p.text)}</a>')
        else:
            out.append(esc(p))
    return "".join(out)


def fact_rows(e, kb, from_src: str, brief: bool = False) -> list[tuple[str, Markup]]:
    """The entry's facts as (label, value markup)."""
    return [(label, Markup(parts_html(parts, from_src))) for label, parts in e.kind.fact_rows(e, kb, brief)]


def item(e, kb, from_src: str) -> str:
    facts = " · ".join(parts_html(parts, from_src) for _, parts in e.kind.fact_rows(e, kb, brief=True))
    closed = '<span class="kb-closed-tag">已截止</span> ' if kb.is_closed(e) else ""
    return (f'<li>{closed}<strong>{link(from_src, e.rel, e.title)}</strong><br>\n'
            f'<span class="kb-facts">{e.date.isoformat()} · {esc(e.kind.zh)} · </span>{facts}<br>\n'
            f"{esc(e.data['summary'])}</li>")


def items(entries, kb, ctx, from_src: str, group=None) -> Markup:
    """A list of entries; with ``group`` (entry -> heading), a heading before each run of entries.
    An entry whose item fails is named in ``ctx.failures`` and left out."""
    def one(e):
        return ctx.failures.run(e, item, e, kb, from_src, default="")

    if not entries:
        return Markup("<p>目前還沒有條目。</p>")
    if group is None:
        return Markup('<ul class="kb-list">\n' + "\n".join(one(e) for e in entries) + "\n</ul>")
    out, current, run = [], None, []
    for e in [*entries, None]:
        g = group(e) if e is not None else None
        if (e is None or g != current) and run:
            out.append(f"<h2>{esc(current)}</h2>\n" + '<ul class="kb-list">\n'
                       + "\n".join(one(x) for x in run) + "\n</ul>")
            run = []
        current = g
        if e is not None:
            run.append(e)
    return Markup("\n".join(out))
