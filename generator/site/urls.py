"""Where pages are: source paths (``tags/ifla/index.md``), their URLs and links between them."""

from __future__ import annotations

import hashlib


def page_url(src: str) -> str:
    """The URL (directory style, relative to the site root) of a page's source path."""
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[:-3] + "/"


def href(from_src: str, to_src: str) -> str:
    """Relative URL from one page to another (site URLs have no '..': plain segment work,
    far cheaper than posixpath.relpath on hundreds of thousands of links)."""
    a = page_url(from_src).split("/")[:-1]
    b = page_url(to_src).split("/")[:-1]
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    rel = "../" * (len(a) - common) + "".join(seg + "/" for seg in b[common:])
    return rel or "./"


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
