"""Reading an input file whole, refusing what is not a file or is too big to be one.

Every file gradstudio reads as a graph (``eval``, ``export``, the window's Open,
crash-recovery files) comes through ``read_limited``: only regular files are
read (``/dev/zero``, a FIFO or a terminal would never end, or block), and a file
bigger than ``max_file_bytes()`` — or one that grows past it while being read —
is refused in one line instead of filling the memory.

The limit is ``MAX_FILE_BYTES`` (1 GiB), or the environment variable
``GRADSTUDIO_MAX_FILE_BYTES`` (a whole number of bytes) when it is set.
"""

from __future__ import annotations

import os
import stat

from gradstudio.core.errors import FileFormatError

MAX_FILE_BYTES = 1 << 30
LIMIT_VARIABLE = "GRADSTUDIO_MAX_FILE_BYTES"
_CHUNK = 1 << 24  # what a file that grows while it is read is read on by


def max_file_bytes() -> int:
    """The biggest file read: the environment's setting, else MAX_FILE_BYTES."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip().replace("_", "")
    if text.isdigit() and int(text) > 0:
        return int(text)
    return MAX_FILE_BYTES


def size_text(n: int) -> str:
    """1 GiB, 1.5 MiB, 300 bytes."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n:,} byte{'s' if n != 1 else ''}"


_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


def _check_kind(info: os.stat_result, name: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise FileFormatError(f"{name}: is a folder, not a graph file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((text for test, text in _KINDS if test(info.st_mode)), "a special file")
        raise FileFormatError(f"{name}: is {kind}, not a regular file: only graph files "
                              "are read")


def _too_big(name: str, size: int, limit: int) -> FileFormatError:
    return FileFormatError(f"{name}: the file is {size_text(size)}, more than the "
                           f"{size_text(limit)} a graph file may have (set {LIMIT_VARIABLE} "
                           "to read bigger ones)")


def read_limited(path: str | os.PathLike, name: str | None = None,
                 limit: int | None = None) -> bytearray:
    """The whole content of the regular file ``path``; FileFormatError (naming it
    ``name``) if it is not one, cannot be read, or is or grows bigger than ``limit``."""
    name = os.fspath(path) if name is None else name
    limit = max_file_bytes() if limit is None else limit
    try:
        _check_kind(os.stat(path), name)  # before opening: opening a FIFO would wait
        # Not waiting on a FIFO swapped in meanwhile either; the fd is checked again.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileFormatError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        _check_kind(info, name)
        if info.st_size > limit:
            raise _too_big(name, info.st_size, limit)
        return _read_all(fd, info.st_size, name, limit)
    except OSError as exc:
        raise FileFormatError(f"{name}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _read_all(fd: int, expected: int, name: str, limit: int) -> bytearray:
    """Read to the end into one buffer (no second copy); past ``limit``, refuse."""
    data = bytearray(expected + 1)  # one more: the end shows as a short read
    got = 0
    while True:
        if got == len(data):  # the file grew while being read
            if got > limit:
                raise FileFormatError(f"{name}: the file grew past {size_text(limit)} "
                                      f"while being read (the most a graph file may have; "
                                      f"set {LIMIT_VARIABLE} to read bigger ones)")
            data.extend(bytes(min(_CHUNK, limit + 1 - got)))
        with memoryview(data) as view:
            n = os.readv(fd, [view[got:]])
        if n == 0:
            break
        got += n
    del data[got:]
    if got > limit:  # pragma: no cover - caught above, at the growth
        raise _too_big(name, got, limit)
    return data
