"""Reading a contributor's text file from disk: never through a symbolic link, never blocking,
refused when too large, decoded as UTF-8 with line endings and BOM normalised; every failure
is a problem at a position, never an exception."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..core.problems import Problem, problem

MAX_FILE_BYTES = 1024 * 1024  # an entry's Markdown file, as text (a BOM and CRLF line endings do not count)
HARD_MAX_FILE_BYTES = 2 * MAX_FILE_BYTES  # on disk: refused without reading or counting anything

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def read_bytes_safely(abs_path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, never through a symbolic link and never
    blocking (a FIFO named like an entry would block a plain read forever). Raises OSError,
    with errno ELOOP for a link and EINVAL for anything but a regular file."""
    fd = os.open(abs_path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        # Sized from the file (reading the limit would allocate it for every file), one byte
        # more to see its end: a regular file reads short at its end only.
        want = min(st.st_size + 1, limit)
        data = os.read(fd, want)
        if len(data) < want:
            return data
        parts = [data]  # it grew since: on to the limit
        left = limit - len(data)
        while left > 0:
            part = os.read(fd, min(left, 1 << 16))
            if not part:
                break
            parts.append(part)
            left -= len(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def read_source(abs_path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read and decode a text file; every failure is a problem, never an exception.

    A file far over the size limit is refused without being read; a symbolic link is not
    followed and a FIFO or device named like an entry is refused."""
    try:
        data = read_bytes_safely(abs_path, HARD_MAX_FILE_BYTES + 1)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EMLINK and os.path.islink(abs_path)):
            return None, [problem(display, 1, 1, "file-symlink")]
        if exc.errno == errno.EINVAL and exc.strerror == "not a regular file":
            return None, [problem(display, 1, 1, "file-not-regular")]
        return None, [problem(display, 1, 1, "file-unreadable", reason=exc.strerror or str(exc))]
    if len(data) > HARD_MAX_FILE_BYTES:  # not read to the end: say how large it is
        try:
            size = os.stat(abs_path, follow_symlinks=False).st_size
        except OSError:
            size = len(data)
        return None, [problem(display, 1, 1, "file-too-large", size=size, limit=MAX_FILE_BYTES)]
    return decode_source(data, display)


def decode_source(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    # The limit is on the text as we read it: a BOM and CRLF line endings (a file saved on
    # Windows) count no more than in their clean twin. Far too large is refused before counting.
    # (Each test below scans the bytes once, at most, copying nothing: this runs for every file.)
    size = len(data)
    crlf = b"\r" in data
    if size <= HARD_MAX_FILE_BYTES:
        size -= (data.count(b"\r\n") if crlf else 0) + 3 * data.startswith(b"\xef\xbb\xbf")
    if size > MAX_FILE_BYTES:
        return None, [problem(display, 1, 1, "file-too-large", size=size, limit=MAX_FILE_BYTES)]
    if data.find(b"\x00", 0, 8192) >= 0:
        return None, [problem(display, 1, 1, "file-binary")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line_start = before.rfind(b"\n") + 1
        line = before.count(b"\n") + 1
        # The column in characters, as an editor shows it (the bytes before it may be Chinese).
        col = len(before[line_start:].decode("utf-8", "replace")) + 1
        return None, [problem(display, line, col, "file-encoding")]
    if crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []
