"""Attachments are published as they are: each must be what its name says.

A file's content must match its extension (a ``.pdf`` must start like a
PDF), executables and files a browser would run (HTML, SVG, scripts) are
refused, and sizes are bounded per file and per entry.
"""

from __future__ import annotations

from pathlib import Path

from .problems import Problem, problem

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
