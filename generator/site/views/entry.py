"""An entry's page: summary, fact panel, the body as written, attachments, related entries,
the suggested citation and links to edit or share it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ...model import vocab as V
from ...model.siteinfo import TAIPEI
from ...outputs.citations import Citation
from ...validation.attachments import RASTER, image_size
from .. import jsonld, sanitize
from .. import markup
from ..render import render
from ..urls import archive_src, contributor_src, listing_src
from .listing import archive_name

RELATED = 5


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class Photo:
    """A photo attachment as the entry's page shows it."""

    src: str  # relative to the page's folder, percent-encoded
    alt: str  # the text alternative: the attachment's alt, else its title
    caption: str  # its title
    width: int | None = None  # from the file's header, when it says
    height: int | None = None


def photos(e) -> list[Photo]:
    """The entry's photo attachments a browser shows (raster pictures only: an SVG can hold
    script and is never an attachment anyway), in the order listed."""
    out = []
    for a in e.attachments:
        ext = posixpath.splitext(a["file"])[1].lstrip(".").lower()
        if a.get("type") != "photo" or ext not in RASTER:
            continue
        size = image_size(e.bundle_dir / a["file"]) if e.bundle_dir is not None else None
        out.append(Photo(src=quote(a["file"]), alt=a.get("alt") or a["title"], caption=a["title"],
                         width=size[0] if size else None, height=size[1] if size else None))
    return out


def _history_rows(e, ctx) -> list:
    h = ctx.entry_history(e)
    if h is None:
        return []
    t = ctx.lang.t
    rows = [(t("first-published"), h.created.astimezone(TAIPEI).date().isoformat()),
            (t("last-updated"), h.updated.astimezone(TAIPEI).date().isoformat())]
    if h.authors:
        rows.append((t("contributors"), t("list-separator").join(
            markup.a_html(ctx.links.href(e.rel, contributor_src(a)), a.name) for a in h.authors)))
    return rows


def _share(e, ctx) -> list[tuple[str, str]]:
    site = ctx.site
    if not site.site_url:
        return []
    url = quote(site.absolute(ctx.lang.prefix + e.url), safe="")
    title = quote(ctx.lang.entry_text(e, "title")[0], safe="")
    return [
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
        ("X", f"https://x.com/intent/post?url={url}&text={title}"),
        ("LINE", f"https://social-plugins.line.me/lineit/share?url={url}"),
        (ctx.lang.t("share-email"), f"mailto:?subject={title}&body={url}"),
    ]


COLLECTION_SRC = "collection/index.md"  # the reader's own collection (views/collection.py)


def _collect(e, ctx) -> dict:
    """What the 收藏 button keeps of the entry in the reader's browser (kb-reader.js): enough to
    show its card on 我的收藏 after the page is gone. ``url`` is relative to the site's root, as
    the search index names pages, so that 我的收藏 finds the entry there."""
    lang = ctx.lang
    return {"url": ctx.links.link_url(e.rel), "title": lang.entry_text(e, "title")[0], "kind": lang.name(e.kind),
            "summary": lang.entry_text(e, "summary")[0], "date": e.date.isoformat(),
            "root": ctx.links.href(e.rel, "index.md"), "collection": ctx.links.href(e.rel, COLLECTION_SRC),
            # one collection for both languages: kept under the site's root, not the language's
            "store": ctx.to_root(e.rel, "")}


def discussion_term(e, site, mapping: str, prefix: str = "") -> str:
    """The discussion's title, as Giscus finds it: the entry's id (``specific``: one discussion
    for both languages' pages), or the page's path without its first slash (``pathname``:
    Giscus's own rule, location.pathname.substring(1); the English page, under ``prefix``
    en/, has a discussion of its own)."""
    if mapping == "pathname":
        url = prefix + e.url
        return urlsplit(site.absolute(url)).path.lstrip("/") if site.site_url else url
    return e.key


def _discussion(e, kb, ctx) -> dict | None:
    """The entry's discussion (kb.yml: discussion), off by default: Giscus's settings, read by
    kb-reader.js only when the reader asks, and the plain link to the discussion on GitHub."""
    settings = kb.settings
    repo = settings.discussion_repo or ctx.site.repository
    if not (settings.discussion_enabled and repo and settings.discussion_repo_id and settings.discussion_category
            and settings.discussion_category_id):
        return None
    term = discussion_term(e, ctx.site, settings.discussion_mapping, ctx.lang.prefix)
    attrs = [("repo", repo), ("repo-id", settings.discussion_repo_id), ("category", settings.discussion_category),
             ("category-id", settings.discussion_category_id), ("mapping", settings.discussion_mapping)]
    if settings.discussion_mapping == "specific":
        attrs.append(("term", term))
    # strict: the discussion is matched by its term's hash, never by a title that merely contains it;
    # light: the site has one colour scheme (mkdocs.yml palette), which a dark widget would not match
    attrs += [("strict", "1"), ("reactions-enabled", "1"), ("emit-metadata", "0"), ("input-position", "bottom"),
              ("theme", "light"), ("lang", ctx.lang.code)]  # Giscus speaks zh-TW and en, as the pages do
    link = f"https://github.com/{repo}/discussions?discussions_q=" + quote(f'in:title "{term}"', safe="")
    return {"attrs": attrs, "link": link}


def _meta(e, kb, ctx, citation) -> dict:
    site = ctx.site
    lang = ctx.lang
    social = {"title": lang.entry_text(e, "title")[0], "description": lang.entry_text(e, "summary")[0], "type": "article",
              "url": site.absolute(lang.prefix + e.url) if site.site_url else "", "published": ctx.published(e).isoformat()}
    image = ctx.image(e)
    if image:
        social["image"] = image
    meta = {"kb_social": social, "kb_jsonld": jsonld.entry_script(e, kb, ctx),  # escaped once, for its <script>
            "kb_reader": True}  # kb_reader: the page loads kb-reader.js
    if citation is not None:
        pdf = next((a["file"] for a in e.attachments if a["file"].lower().endswith(".pdf")), "")
        meta["kb_citation"] = citation.meta_tags(site.absolute(e.url + pdf) if pdf and site.site_url else "")
    return meta


def entry_page(e, kb, ctx):
    src = e.rel
    lang = ctx.lang
    t = lang.t
    citation = Citation(e, ctx.site, kb.registries) if e.kind.citable else None
    named = kb.named_related(e)
    related = named + [r for r in kb.related(e, RELATED + len(named)) if r not in named][:RELATED]
    attachments = [(a, V.ATTACHMENT_TYPE.label(a.get("type", "other"), lang.code),
                    posixpath.splitext(a["file"])[1].lstrip(".").upper() or "FILE", human_size(a["size"]))
                   for a in e.attachments]
    closed = e.kind.closed_notice(e) if kb.is_closed(e) and e.kind.closed_notice else None
    title, title_tag = lang.entry_text(e, "title")
    # The English page: the entry's English title and summary (or its own, marked with their
    # language), its facts in English and a link to the full text on the Chinese page; the body
    # is not repeated (it is the contributor's, in the entry's own language).
    english = None
    if lang.english:
        written = e.data.get("language", "zh-TW")
        language = V.LANGUAGE.label(written, lang.code)
        shows_other = title_tag or lang.entry_text(e, "summary")[1]
        english = {"h1": lang.entry_html(e, "title"), "note": t("written-in", language=language) if shows_other else "",
                   "full": t("read-full") if written == "en" else t("read-in", language=language),
                   "full_href": ctx.to_root(src, ctx.links.link_url(src))}
    meta = _meta(e, kb, ctx, citation)
    if title_tag:  # the theme's header shows the title: marked with its language there too
        meta["kb_title_lang"] = title_tag
    return render(ctx, "entry.html", src, title, description=lang.entry_text(e, "summary")[0],
                  meta=meta,
                  e=e, closed=closed, archive_src=archive_src(e.kind) if closed else "", english=english,
                  archive_name=archive_name(e.kind, lang),
                  summary=lang.entry_html(e, "summary"),
                  meta_table=markup.meta_table([(t("kind"), markup.a_html(ctx.links.href(src, listing_src(e.kind)), lang.name(e.kind))),
                                                *markup.fact_rows(e, kb, src, ctx.links, lang=lang), *_history_rows(e, ctx)],
                                               lang),
                  body=markup.Markup(f"{sanitize.BODY_START}\n\n{e.body.strip()}\n\n{sanitize.BODY_END}") if english is None else "",
                  attachments=attachments, photos=photos(e), citation=citation,
                  # its files' folder: beside its page; the English page links to the same files
                  own=ctx.to_root(src, e.url) if lang.english else ctx.links.own_folder(src),
                  lists=[(heading, anchor, markup.entry_list(entries, src, ctx.links, lang)) for heading, anchor, entries in (
                      (t("related"), "kb-related", related), (t("cited-by"), "kb-cited-by", kb.referenced_by(e)))
                      if entries],
                  repo=bool(ctx.site.repo_url), edit_url=ctx.site.edit_url(e.rel), history_url=ctx.site.history_url(e.rel),
                  share=_share(e, ctx), collect=_collect(e, ctx), discussion=_discussion(e, kb, ctx))


def entry_pages(kb, ctx, scope=None, preview=None):
    for e in kb.public:
        if scope is None or e.rel in scope.entries:
            page = ctx.failures.run(e, entry_page, e, kb, ctx)
            if page is not None:
                yield page
