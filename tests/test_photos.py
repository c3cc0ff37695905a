"""Photos (issue #24): a photo attachment is shown on the entry's page as a picture, with its
caption and a text alternative; and no page asks another site for a picture: a Markdown image
must be one of the entry's own files, in a file and in a form."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from generator.contribute.issues.report import render_report
from generator.knowledge.indexing import load_knowledge_base
from generator.site.sanitize import clean_body
from generator.site.sitecheck import scan_site
from generator.validation.attachments import image_size
from generator.validation.reporting import message_of
from helpers import entry_text, new_content, write
from issuetrial import project, submit
from sitebuild import mkdocs_build

ROOT = Path(__file__).resolve().parents[1]
POSTER = (ROOT / "tests/data/poster.png").read_bytes()  # 40 x 30


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """A JPEG's headers as a camera writes them: EXIF (with its orientation), then the frame."""
    out = b"\xff\xd8"
    if orientation is not None:
        ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\x00\x00\x00\x00"
        tiff = b"MM\x00\x2a\x00\x00\x00\x08" + ifd
        app1 = b"Exif\x00\x00" + tiff
        out += b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    out += b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(64)
    out += b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return out + b"\xff\xd9"


# -- a picture's size from its header ------------------------------------------------------------------

@pytest.mark.parametrize("data, size", [
    (POSTER, (40, 30)),
    (png(3, 2), (3, 2)),
    (b"GIF89a" + struct.pack("<HH", 320, 200) + b"\x00" * 20, (320, 200)),
    (b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x0a\x00\x00\x00" + b"\x00" * 4 + (1279).to_bytes(3, "little")
     + (719).to_bytes(3, "little"), (1280, 720)),
    (jpeg(1600, 1200), (1600, 1200)),
    (jpeg(1600, 1200, orientation=1), (1600, 1200)),
    (jpeg(1600, 1200, orientation=6), (1200, 1600)),  # a phone held upright: shown turned
    (b"\xff\xd8\xff\xe0\x00", None),  # cut short
    (b"%PDF-1.4\n", None),
])
def test_the_size_of_a_picture_is_read_from_its_header(tmp_path, data, size):
    path = tmp_path / "p"
    path.write_bytes(data)
    assert image_size(path) == size


# -- the entry's page shows its photos -----------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    content = new_content(root)
    write(content, "outreach/picture-book-week/index.md", entry_text(
        "outreach", title="親子共讀繪本週", attachments=[
            {"file": "繪本週 現場.png", "title": "親子共讀現場", "type": "photo",
             "alt": "家長與孩子坐在地墊上，一起看志工手上的繪本"},
            {"file": "closing.jpg", "title": "閉幕合照", "type": "photo"},
            {"file": "flyer.pdf", "title": "活動海報", "type": "flyer"},
            {"file": "poster.png", "title": "海報圖檔", "type": "flyer"},  # a picture, but not a photo: listed only
        ],
        body="## 活動規劃\n\n每天兩場。\n\n![導讀志工](<繪本週 現場.png>)\n\n## 活動成果\n\n412 人次。\n\n## 檢討與建議\n\n增加場次。\n"))
    write(content, "outreach/picture-book-week/繪本週 現場.png", POSTER)
    write(content, "outreach/picture-book-week/closing.jpg", jpeg(1600, 1200, orientation=6))
    write(content, "outreach/picture-book-week/flyer.pdf", b"%PDF-1.4\n%%EOF\n")
    write(content, "outreach/picture-book-week/poster.png", POSTER)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def figures(site: Path):
    page = (site / "outreach/picture-book-week/index.html").read_text(encoding="utf-8")
    return LexborHTMLParser(page).css("figure.kb-photo")


def test_a_photo_attachment_is_shown_with_its_caption_and_text_alternative(built):
    shown = figures(built)
    assert len(shown) == 2  # the two photos; the flyer and the poster are listed, not shown
    img = shown[0].css_first("img").attributes
    assert img["alt"] == "家長與孩子坐在地墊上，一起看志工手上的繪本"
    assert shown[0].css_first("figcaption").text() == "親子共讀現場"
    assert img["src"] == "%E7%B9%AA%E6%9C%AC%E9%80%B1%20%E7%8F%BE%E5%A0%B4.png"
    assert (built / "outreach/picture-book-week/繪本週 現場.png").is_file()  # where the address leads
    assert (img["width"], img["height"], img["loading"]) == ("40", "30", "lazy")


def test_without_an_alt_text_the_title_is_the_alternative_and_a_turned_photo_keeps_its_shape(built):
    img = figures(built)[1].css_first("img").attributes
    assert img["alt"] == "閉幕合照" and (img["width"], img["height"]) == ("1200", "1600")


def test_photos_are_responsive_and_the_page_passes_the_scan(built):
    css = (ROOT / "overrides/assets/stylesheets/kb.css").read_text(encoding="utf-8")
    assert ".md-typeset .kb-photo img { display: block; max-width: 100%; height: auto; }" in css
    assert scan_site(built) == []
    page = (built / "outreach/picture-book-week/index.html").read_text(encoding="utf-8")
    assert 'href="flyer.pdf"' in page  # still listed with the attachments
    # the body's own picture, one of the entry's files, is kept by the sanitiser
    assert LexborHTMLParser(page).css_first('img[alt="導讀志工"]').attributes["src"].endswith(".png")


# -- no picture from another site ------------------------------------------------------------------------

def body_problems(content: Path, body: str, rel: str = "outreach/ev/index.md"):
    """(line counted from the body's first line, column, code) of the entry's problems."""
    text = entry_text("outreach", body=f"{body}\n\n## 規劃\n\n好。\n\n## 成果\n\n好。\n\n## 檢討\n\n無。\n")
    write(content, rel, text)
    first = text.split("\n").index("---", 1) + 3  # the closing fence, a blank line, the body
    kb = load_knowledge_base(content)
    return [(p.line - first + 1, p.column, p.code) for p in kb.problems if p.path == f"content/{rel}"]


@pytest.fixture
def content(tmp_path):
    c = new_content(tmp_path)
    write(c, "outreach/ev/photo.png", POSTER)
    write(c, "outreach/other/index.md", entry_text("outreach", title="另一場"))
    write(c, "outreach/other/p.png", POSTER)
    return c


@pytest.mark.parametrize("body, column", [
    ("![現場](https://github.com/user-attachments/assets/0b7c1e2a-5f3d-4c9e-8a61-2d4f7e9b1c30)", 7),
    ("看這張 ![現場](http://example.org/a.png) 照片", 11),
    ("![](//cdn.example.org/a.png)", 5),
    ("![現場](HTTPS://example.org/a.png \"標題\")", 7),
])
def test_a_picture_on_another_site_is_refused_on_its_line_and_column(content, body, column):
    assert body_problems(content, body) == [(1, column, "image-external")]


def test_a_reference_picture_is_refused_at_its_definition_and_links_stay_allowed(content):
    body = "![現場][p] 與 [IFLA](https://www.ifla.org/) 和 [說明][r]\n\n[p]: https://example.org/a.png\n[r]: https://example.org/"
    assert body_problems(content, body) == [(3, 6, "image-external")]


def test_a_picture_must_be_the_entrys_own_file(content):
    assert body_problems(content, "![現場](photo.png)") == []
    assert body_problems(content, "![現場](../other/p.png)") == [(1, 7, "image-not-own")]
    # a single-file entry has no files of its own
    assert body_problems(content, "![現場](../ev/photo.png)", rel="outreach/single.md") == [(1, 7, "image-not-own")]


def test_the_message_says_how_a_photo_gets_in_chinese_first(content):
    write(content, "outreach/ev/index.md", entry_text(
        "outreach", body="## 規劃\n\n![](https://github.com/user-attachments/assets/x)\n\n## 成果\n\n好。\n\n## 檢討\n\n無。\n"))
    p = next(p for p in load_knowledge_base(content).problems if p.code == "image-external")
    msg, hint = message_of(p, "zh-TW")
    assert msg.startswith("正文的圖片 https://github.com/user-attachments/assets/x 放在別的網站上")
    assert "index.md 旁邊" in hint and "attachments:" in hint and "type: photo" in hint
    assert "another site" in message_of(p, "en")[0]


def test_a_photo_dropped_into_the_form_is_refused_and_the_comment_says_how_a_photo_gets_in(tmp_path):
    res = submit(project(tmp_path), section_2="七天共 412 人次參加。\n\n![image](https://github.com/user-attachments/assets/0b7c1e2a)")
    assert [p.code for p in res.problems] == ["image-external"]
    comment = render_report(res)
    assert "**成果 Results** (`image-external`)" in comment
    assert "網頁編輯器" in comment and "附件" in comment and "活動照片" in comment


def test_the_sanitiser_and_the_scan_stop_a_picture_from_another_site(tmp_path):
    assert clean_body('<p><img src="https://example.org/a.png" alt="a"><img src="a.png" alt="b"></p>') == \
        '<p><img alt="a"><img src="a.png" alt="b"></p>'
    assert 'src' not in clean_body('<img src="//example.org/a.png">')
    site = tmp_path / "site"
    write(site, "404.html", "<html><body></body></html>")
    write(site, "a/index.html", '<html><body>\n<img src="https://tracker.example/p.gif" alt="">\n<img src="ok.png"></body></html>')
    assert [(p.path, p.line, p.code) for p in scan_site(site)] == [("site/a/index.html", 2, "site-third-party-image")]
