"""Where pages are: source paths (``tags/ifla/index.md``), their URLs and links between them.

Two ways to link, one per build: a :class:`Links` value on the build's context
(``SiteContext.links``), chosen from the engine's setting before pages are generated:

* **directory URLs** (the published site): a page is a folder, ``tools/ifla/``; the web
  server answers with its ``index.html``;
* **file URLs** (``kb build --offline``, a copy opened from disk): no server resolves a
  folder, so every link names the file the engine writes for the page, as MkDocs does with
  ``use_directory_urls: false``: ``tools/ifla.md`` is ``tools/ifla.html``,
  ``tools/a/index.md`` is ``tools/a/index.html``.

:func:`page_url` is always the published (directory) URL: feeds, exports and citations
point at the published site whatever the build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def page_url(src: str) -> str:
    """The URL (directory style, relative to the site root) of a page's source path."""
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[:-3] + "/"


@dataclass(frozen=True)
class Links:
    """How this build's pages link to each other: directory URLs (``files`` false, the
    published site) or file URLs (``kb build --offline``)."""

    files: bool = False

    def page_file(self, src: str) -> str:
        """The file (relative to the site root) the engine writes for a page's source path."""
        if self.files:
            return src[:-3] + ".html"
        return page_url(src) + "index.html"

    def link_url(self, src: str) -> str:
        """What a link to a page names, relative to the site root: its URL, or (file URLs) its file."""
        return src[:-3] + ".html" if self.files else page_url(src)

    def own_folder(self, src: str) -> str:
        """The way from a page to the folder of its URL, where its own files are (an entry's
        attachments and citation files): nothing, except for a page ``x/y.md`` written as the
        file ``x/y.html`` (file URLs), whose files are in ``y/``."""
        if self.files and src != "index.md" and not src.endswith("/index.md"):
            return src[:-3].rpartition("/")[2] + "/"
        return ""

    def href(self, from_src: str, to_src: str) -> str:
        """Relative URL from one page to another (site URLs have no '..': plain segment work,
        far cheaper than posixpath.relpath on hundreds of thousands of links)."""
        a = self.link_url(from_src).split("/")[:-1]
        b = self.link_url(to_src).split("/")
        name = b.pop()  # "" for a directory URL
        common = 0
        for x, y in zip(a, b):
            if x != y:
                break
            common += 1
        rel = "../" * (len(a) - common) + "".join(seg + "/" for seg in b[common:]) + name
        return rel or "./"


DIRECTORY_LINKS = Links(files=False)
FILE_LINKS = Links(files=True)


def paged_src(base_dir: str, page: int = 1) -> str:
    return f"{base_dir}/index.md" if page == 1 else f"{base_dir}/page/{page}.md"


def listing_src(kind, page: int = 1) -> str:
    return paged_src(kind.folder, page)


def archive_src(kind, page: int = 1) -> str:
    return paged_src(f"{kind.folder}/archive", page)


def facet_src(facet_id: str, value, page: int = 1) -> str:
    return paged_src(f"{facet_id}/{value}", page)


def contributor_id(author) -> str:
    """A stable page name for a contributor that does not reveal their e-mail address."""
    return hashlib.sha1(author.key.encode("utf-8")).hexdigest()[:10]


def contributor_src(author) -> str:
    return f"contributors/{contributor_id(author)}.md"
