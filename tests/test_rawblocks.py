"""The generator's HTML blocks skip the engine's Markdown parser (generator/site/rawblocks.py).

Every page of a hostile site converts the same either way (tests/test_templates.py); these
are the edges: what is stashed, what never is, and a page whose blocks cannot be put back."""

from __future__ import annotations

import markdown
import pytest

from generator.site import rawblocks
from generator.site.sanitize import BODY_END, BODY_START

TOKEN = rawblocks.new_token()
MD = markdown.Markdown(extensions=["toc", "tables", "attr_list", "md_in_html", "admonition", "def_list"])


def both(page: str) -> tuple[str, str, list[str]]:
    """(Markdown's HTML, the HTML with blocks stashed and restored, the blocks)."""
    text, blocks = rawblocks.stash(page, TOKEN)
    return MD.reset().convert(page), rawblocks.restore(MD.reset().convert(text), TOKEN, blocks), blocks


@pytest.mark.parametrize("page", [
    '<p class="a">x</p>\n\n<ul>\n<li>1</li>\n</ul>\n',
    '<p>a</p>\n\n\n\n<p>b</p>\n\n## Heading {#h}\n\n<p>c</p>\n',
    f'<div class="kb-meta"><table><tr><td>x</td></tr></table></div>\n\n{BODY_START}\n\n## 目的\n\n'
    f'文字 *強調*\n\n{BODY_END}\n\n## 相關 {{#kb-related}}\n\n<ul>\n<li>y</li>\n</ul>\n',
    f'{BODY_START}\n\n本文\n\n{BODY_END}\n\n<p class="kb-source">z</p>',
    '<details markdown>\n<summary>s</summary>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n</details>\n',
    '文字段落\n\n<p>x</p>\n\n<!-- comment -->\n\n<p>y</p>\n',
    '<a href="x">inline, so a paragraph</a>\n\n<span>also inline</span>\n',
])
def test_same_html_as_markdown_alone(page):
    plain, stashed, _ = both(page)
    assert stashed == plain


def test_the_body_is_never_stashed():
    body = '<div class="admonition note">raw in the body</div>\n\n<p>also raw</p>'
    page = f'<p>before</p>\n\n{BODY_START}\n\n{body}\n\n{BODY_END}\n\n<p>after</p>\n'
    text, blocks = rawblocks.stash(page, TOKEN)
    assert body in text
    assert blocks == ["<p>before</p>\n", "<p>after</p>"]


def test_markdown_inside_a_block_is_left_to_markdown():
    page = '<details markdown>\n<summary>s</summary>\n\n*x*\n\n</details>\n'
    assert rawblocks.stash(page, TOKEN) == (page, [])


def test_markers_out_of_order_leave_the_page_as_it_is():
    page = f'<p>a</p>\n\n{BODY_END}\n\nx\n\n{BODY_START}\n\n<p>b</p>\n'
    assert rawblocks.stash(page, TOKEN) == (page, [])


def test_a_missing_placeholder_refuses_the_page():
    text, blocks = rawblocks.stash("<p>a</p>\n\nx\n\n<p>b</p>\n", TOKEN)
    html = MD.reset().convert(text).replace(f"<p>{TOKEN}1</p>", "")
    with pytest.raises(rawblocks.Unrestored):
        rawblocks.restore(html, TOKEN, blocks)


def test_a_placeholder_of_another_build_is_text():
    """A page's text cannot call up a block: the token is drawn for each build."""
    other = rawblocks.new_token()
    assert other != TOKEN
    text, blocks = rawblocks.stash("<p>a</p>\n", TOKEN)
    html = MD.reset().convert(text + f"\n{other}0\n\n{TOKEN}7\n")
    out = rawblocks.restore(html, TOKEN, blocks)
    assert f"<p>{other}0</p>" in out and f"<p>{TOKEN}7</p>" in out and "<p>a</p>" in out
