"""The site's files that are not pages: the search index, citation files and data exports,
written by the generator after the engine (they read entries, never HTML)."""

from __future__ import annotations

from ..model.siteinfo import generated_at
from ..outputs.citations import Citation
from ..outputs.export import iter_export
from ..search import iter_index


def _citation_texts(e, kb, ctx) -> tuple[str, str]:
    c = Citation(e, ctx.site, kb.registries)
    return c.bibtex(), c.csl_json()


def citation_files(kb, ctx):
    """(site path, text) of the BibTeX and CSL-JSON files of every citable public entry."""
    for e in kb.public:
        if e.kind.citable:
            files = ctx.failures.run(e, _citation_texts, e, kb, ctx)
            if files is not None:
                yield f"{e.url}citation.bib", files[0]
                yield f"{e.url}citation.json", files[1]


def data_files(kb, ctx):
    """(site path, text) of every file that is not a page, one at a time (a caller writing
    them holds none)."""
    # Opened from disk (file URLs): the index as scripts too, results linking to pages' files.
    for path, text in iter_index(kb, offline=ctx.links.files, url_of=lambda e: ctx.links.link_url(e.rel)):
        yield f"search/{path}", text
    yield from citation_files(kb, ctx)
    yield from iter_export(kb, ctx.site, generated_at(), ctx.failures)
