"""Attachments are published as they are: each must be what its name says.

A file's content must match its extension (a ``.pdf`` must start like a
PDF), executables and files a browser would run (HTML, SVG, scripts) are
refused, and sizes are bounded per file and per entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..core.problems import Problem, problem

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# extension -> accepted leading bytes; None: UTF-8 text
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "docx": ZIP, "xlsx": ZIP, "pptx": ZIP, "odt": ZIP, "ods": ZIP, "odp": ZIP, "epub": ZIP, "zip": ZIP,
    "doc": OLE, "xls": OLE, "ppt": OLE,
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "mp4": None, "m4a": None,  # checked by their 'ftyp' box below
    "csv": None, "tsv": None, "txt": None,
}
EXECUTABLE = {"exe", "dll", "com", "scr", "bat", "cmd", "msi", "sh", "bash", "ps1", "vbs", "js", "mjs", "jar",
              "apk", "app", "bin", "py", "pl", "php", "html", "htm", "xhtml", "svg", "svgz", "xml", "hta", "swf"}
TEXT_EXTS = {"csv", "tsv", "txt"}
HEAD = 16


def check_file(path: Path, display: str, max_bytes: int) -> list[Problem]:
    ext = path.suffix.lower().lstrip(".")
    if path.is_symlink():
        return [problem(display, 1, 1, "file-symlink")]
    size = path.stat().st_size
    if ext in EXECUTABLE:
        return [problem(display, 1, 1, "attachment-executable", ext=ext or "-")]
    if ext not in SIGNATURES:
        return [problem(display, 1, 1, "attachment-type", ext=ext or "-",
                        allowed=", ".join(sorted(SIGNATURES)))]
    out = []
    if size > max_bytes:
        out.append(problem(display, 1, 1, "attachment-too-large", size=_mb(size), limit=_mb(max_bytes)))
    with path.open("rb") as f:
        head = f.read(HEAD)
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return out + [problem(display, 1, 1, "attachment-executable", ext=ext)]
    sig = SIGNATURES[ext]
    if ext in TEXT_EXTS:
        data = path.read_bytes() if size <= max_bytes else head
        try:
            if b"\x00" in data:
                raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL")
            data.decode("utf-8")
        except UnicodeDecodeError:
            out.append(problem(display, 1, 1, "attachment-mismatch", ext=ext))
    elif ext in ("mp4", "m4a"):
        if head[4:8] != b"ftyp":
            out.append(problem(display, 1, 1, "attachment-mismatch", ext=ext))
    elif ext == "webp":
        if not (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
            out.append(problem(display, 1, 1, "attachment-mismatch", ext=ext))
    elif sig and not head.startswith(sig):
        out.append(problem(display, 1, 1, "attachment-mismatch", ext=ext))
    return out


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_bundle(bundle_dir: Path, files: list[str], display_dir: str, max_file: int, max_entry: int,
                 index_display: str) -> list[Problem]:
    problems: list[Problem] = []
    total = 0
    for name in files:
        p = bundle_dir / name
        problems.extend(check_file(p, f"{display_dir}/{name}", max_file))
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    if total > max_entry:
        problems.append(problem(index_display, 1, 1, "entry-too-large", size=_mb(total), limit=_mb(max_entry)))
    return problems


# -- a picture's size, read from its header ---------------------------------------------------------

RASTER = ("png", "jpg", "jpeg", "gif", "webp")  # what a page shows as <img>: never SVG, which can hold script
_JPEG_SCAN_LIMIT = 64  # segments looked at before the frame header; a real file reaches it in a few


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels as a browser shows the picture, read from the first bytes of
    a PNG, GIF, WebP or JPEG file (a JPEG's EXIF orientation turning it a quarter swaps them);
    None when the header does not say, or the file cannot be read. Never reads the whole file."""
    try:
        with path.open("rb") as f:
            head = f.read(32)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                return _positive(int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big"))
            if head[:6] in (b"GIF87a", b"GIF89a"):
                return _positive(int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little"))
            if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
                return _webp_size(head)
            if head.startswith(b"\xff\xd8"):
                f.seek(2)
                return _jpeg_size(f)
    except OSError:
        return None
    return None


def _positive(w: int, h: int) -> tuple[int, int] | None:
    return (w, h) if w > 0 and h > 0 else None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8X":
        return _positive(int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1)
    if chunk == b"VP8L" and head[20:21] == b"\x2f":
        bits = int.from_bytes(head[21:25], "little")
        return _positive((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        return _positive(int.from_bytes(head[26:28], "little") & 0x3FFF, int.from_bytes(head[28:30], "little") & 0x3FFF)
    return None


def _jpeg_size(f) -> tuple[int, int] | None:
    turned = False
    for _ in range(_JPEG_SCAN_LIMIT):
        marker = f.read(2)
        while marker[:1] == b"\xff" and marker[1:2] == b"\xff":  # fill bytes
            marker = marker[1:] + f.read(1)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:  # no length
            continue
        length = int.from_bytes(f.read(2), "big")
        if length < 2:
            return None
        if 0xC0 <= kind <= 0xCF and kind not in (0xC4, 0xC8, 0xCC):  # a frame header
            data = f.read(5)
            if len(data) < 5:
                return None
            h, w = int.from_bytes(data[1:3], "big"), int.from_bytes(data[3:5], "big")
            return _positive(h, w) if turned else _positive(w, h)
        if kind == 0xE1:
            data = f.read(length - 2)
            turned = turned or _exif_turned(data)
            continue
        if kind == 0xDA:  # the scan starts: no frame header before it
            return None
        f.seek(length - 2, 1)
    return None


def _exif_turned(data: bytes) -> bool:
    """Whether an APP1 segment's EXIF orientation (5 to 8) turns the picture a quarter."""
    if not data.startswith(b"Exif\x00\x00") or len(data) < 14:
        return False
    tiff = data[6:]
    orders: dict[bytes, Literal["little", "big"]] = {b"II": "little", b"MM": "big"}
    order = orders.get(tiff[:2])
    if order is None:
        return False
    at = int.from_bytes(tiff[4:8], order)
    if at + 2 > len(tiff):
        return False
    count = int.from_bytes(tiff[at:at + 2], order)
    for i in range(min(count, 200)):
        entry = tiff[at + 2 + 12 * i: at + 14 + 12 * i]
        if len(entry) < 12:
            return False
        if int.from_bytes(entry[:2], order) == 0x0112:
            return int.from_bytes(entry[8:10], order) in (5, 6, 7, 8)
    return False
