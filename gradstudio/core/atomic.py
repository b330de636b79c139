"""Writing files so that a failure never damages what was there before.

Every file gradstudio writes (Save, Export, the crash-recovery copy, ``new -o``)
goes through ``atomic_write``: the bytes go to a temporary file beside the file
they replace, are flushed and fsynced, and the temporary file is renamed over it.

The file replaced is the *target* of the path: a symbolic link is written
through (the link stays a link, the file it points to gets the new content,
its temporary file in the target's own folder), the target's permission bits
are kept and never widened, and a target that is not a regular file (a device,
a FIFO, a socket) is refused, as is a path ending in '/'. ``write_output``
also takes ``-``, meaning standard output.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile

#: Standard output, where a command line option takes it (``new -o -``).
STDOUT = "-"


class SaveError(OSError):
    """A save failed; the old file is untouched. The message is for the user."""


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to the file ``path`` names (through links), atomically."""
    name = os.fspath(path)
    tmp, target = _write_temp(name, data)
    try:
        os.replace(tmp, target)
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError):
            raise _failed(name, exc) from exc
        raise
    _fsync_folder(os.path.dirname(target) or ".")


class AtomicFiles:
    """Several files written all or none (a numbered series of pictures).

    ``add`` writes each file's bytes to a temporary file beside its target at once
    (so they need not all be held in memory); ``commit`` renames them all into
    place. A failure on the way (a folder that cannot be written, a full disk), or
    leaving the ``with`` block by an exception, removes the temporary files: every
    file that was there before is as it was.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, str, str]] = []  # (temporary, target, name)
        self._removed: list[str] = []  # files to go when the new ones are in place

    def remove(self, path: str | os.PathLike) -> None:
        """``path`` goes too, on commit, with the new files (an older series' page
        beyond the new count); kept when anything fails or is cancelled."""
        self._removed.append(os.fspath(path))

    def add(self, path: str | os.PathLike, data: bytes) -> None:
        name = os.fspath(path)
        if any(name == n for _tmp, _target, n in self._pending):
            raise SaveError(f"cannot save {name}: it is written twice")
        try:
            tmp, target = _write_temp(name, data)
        except BaseException:
            self.abort()
            raise
        self._pending.append((tmp, target, name))

    def commit(self) -> None:
        pending, self._pending = self._pending, []
        removed, self._removed = self._removed, []
        # The files to remove are moved aside first (a move is undone if the new files
        # cannot go in), and deleted only once every new file is in place.
        aside: list[tuple[str, str]] = []  # (moved to, from)
        for name in removed:
            hidden = None
            try:
                hidden = _aside(name)
                os.replace(name, hidden)
            except OSError as exc:
                if hidden is not None:
                    _unlink(hidden)
                if isinstance(exc, FileNotFoundError):
                    continue  # gone meanwhile
                _put_back(aside)
                for tmp, _target, _name in pending:
                    _unlink(tmp)
                raise SaveError(f"cannot remove {name}: {exc.strerror or exc}") from exc
            aside.append((hidden, name))
        for i, (tmp, target, name) in enumerate(pending):
            try:
                os.replace(tmp, target)
            except OSError as exc:
                for later, _target, _name in pending[i:]:
                    _unlink(later)
                _put_back(aside)
                raise _failed(name, exc) from exc
        for hidden, _name in aside:
            _unlink(hidden)
        for folder in {os.path.dirname(target) or "." for _tmp, target, _n in pending}:
            _fsync_folder(folder)

    def abort(self) -> None:
        pending, self._pending = self._pending, []
        for tmp, _target, _name in pending:
            _unlink(tmp)

    def __enter__(self) -> "AtomicFiles":
        return self

    def __exit__(self, kind, _value, _trace) -> None:
        if kind is not None:
            self.abort()
        else:
            self.commit()


def _aside(name: str) -> str:
    """A free name beside ``name`` to move it to while a series is replaced."""
    folder, base = os.path.split(name)
    handle, hidden = tempfile.mkstemp(prefix=f".{base}.", suffix=".old", dir=folder or ".")
    os.close(handle)
    return hidden


def _put_back(aside) -> None:
    for hidden, name in reversed(aside):
        try:
            os.replace(hidden, name)
        except OSError:
            pass


def _failed(name: str, exc: OSError) -> SaveError:
    return SaveError(f"cannot save {name}: {exc.strerror or exc}")


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_temp(name: str, data: bytes) -> tuple[str, str]:
    """``data`` in a temporary file beside the file ``name`` replaces, flushed, with
    that file's permission bits: (the temporary file, the target)."""
    target, mode, owner = _target(name)
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=_temp_prefix(folder, target),
                                   suffix=".tmp")
    except OSError as exc:
        raise _failed(name, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _kept_mode(tmp, mode, owner))
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError):
            raise _failed(name, exc) from exc
        raise
    return tmp, target


def write_output(path: str | os.PathLike, data: bytes) -> None:
    """``atomic_write``, or to standard output when ``path`` is ``-``."""
    if os.fspath(path) != STDOUT:
        atomic_write(path, data)
        return
    stream = getattr(sys.stdout, "buffer", None)
    try:
        if stream is None:  # a text stream put in place of stdout (tests do)
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
    except BrokenPipeError:
        raise  # the reader is gone: the command line stays quiet about it
    except (OSError, ValueError, AttributeError) as exc:  # full disk, closed stdout
        raise SaveError(f"cannot write to standard output: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return "it is closed"


_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


def _target(name: str) -> tuple[str, int, tuple[int, int] | None]:
    """The file that writing ``name`` replaces, following links; its permission bits
    (for a new file, what the umask gives) and (uid, gid), None for a new file."""
    if not name:
        raise SaveError("cannot save: no file name")
    if name.endswith(("/", os.sep)) or os.path.basename(name) in (".", ".."):
        raise SaveError(f"cannot save {name}: a file name cannot end with '/' "
                        "(that names a folder)")
    try:
        info = os.stat(name)  # through every link, as opening it would go
    except FileNotFoundError:  # a new file, or a link to one not made yet
        target = os.path.realpath(name)
        if os.path.islink(target):  # the links go round in a loop
            raise SaveError(f"cannot save {name}: too many levels of symbolic links") from None
        return target, _new_file_mode(), None
    except OSError as exc:
        raise SaveError(f"cannot save {name}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise SaveError(f"cannot save {name}: it is a folder")
    if not stat.S_ISREG(info.st_mode):
        kind = next((text for test, text in _KINDS if test(info.st_mode)), "a special file")
        raise SaveError(f"cannot save {name}: it is {kind}, not a regular file"
                        + (" (write - for standard output where a command takes it)"
                           if kind.startswith(("a character", "a FIFO")) else ""))
    return os.path.realpath(name), stat.S_IMODE(info.st_mode) & 0o777, (info.st_uid,
                                                                        info.st_gid)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _kept_mode(tmp: str, mode: int, owner: tuple[int, int] | None) -> int:
    """The old file's owner and group where this process may give them; where the
    group cannot be kept, its permission bits go (another group must not gain them)."""
    if owner is None:
        return mode
    info = os.stat(tmp)
    uid, gid = owner
    if (info.st_uid, info.st_gid) != (uid, gid):
        try:
            os.chown(tmp, uid if os.geteuid() == 0 else -1, gid)
        except OSError:
            pass
        if os.stat(tmp).st_gid != gid:
            mode &= ~0o070
    return mode


def _temp_prefix(folder: str, target: str) -> str:
    """``.NAME.`` for the temporary file, NAME cut so that the whole temporary name
    (prefix, 8 random characters, ``.tmp``) fits the folder's longest file name."""
    try:
        longest = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        longest = 255
    room = max(1, longest - len(".") - len(".") - 8 - len(".tmp"))
    base = os.path.basename(target)
    while len(os.fsencode(base)) > room:
        base = base[:-1]
    return f".{base}."


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable; some file systems cannot, which is not an error."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
