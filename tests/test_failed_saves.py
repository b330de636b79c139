"""Saving that cannot destroy, made to fail for real through the window.

Every save path (Save, Save As, Export Image, the crash-recovery copy) writes
through core/atomic.py. When the disk is full (a 64 KiB tmpfs), the folder is
read-only (a read-only mount; and as an unprivileged user in a child process),
or the path is a folder, the window says why, the document stays unsaved
(``isWindowModified``) and the old file keeps its bytes, with no temporary
file left behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from as_nobody import child_report
from gradstudio.core import fileformat

NO_SPACE = os.strerror(errno.ENOSPC)  # "No space left on device"


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    run = subprocess.run(["mount", *args], capture_output=True)
    return run.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs: real ENOSPC. Skipped only where mounting is refused."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here (see test_fileformat's injected ENOSPC)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the file system until a write fails with ENOSPC; the filler file is returned."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:
        chunk = b"\0" * 4096
        try:
            while True:
                handle.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with open(filler, "ab", buffering=0) as handle:  # the last bytes of a partial block
        try:
            while True:
                handle.write(b"\0")
        except OSError:
            pass
    return filler


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def assert_refused(window, title: str, *needles: str) -> str:
    assert len(window.errors) == 1, window.errors
    got_title, message = window.errors[0]
    assert got_title == title
    for needle in needles:
        assert needle in message, message
    window.errors.clear()
    return message


def open_copy(window, examples, folder: Path, name: str = "graph.json") -> Path:
    target = folder / name
    shutil.copyfile(examples / "chain_rule.json", target)
    assert window.open_path(target)
    window.doc.set_param("a", "value", 6)  # unsaved work
    assert window.isWindowModified()
    return target


# ------------------------------------------------------------------ disk full
def test_save_on_a_full_disk_says_why_and_keeps_old_file_and_dirty(window, examples, tiny_disk):
    target = open_copy(window, examples, tiny_disk)
    old = target.read_bytes()
    filler = fill(tiny_disk)
    assert not window.save()
    message = assert_refused(window, "Not saved", str(target), NO_SPACE, "still open and unsaved")
    assert message.splitlines()[0] == f"cannot save {target}: {NO_SPACE}"
    assert window.isWindowModified() and window.doc.dirty
    assert target.read_bytes() == old
    assert names(tiny_disk) == {"graph.json", "filler.bin"}  # no temporary file left
    # Save As onto the same full disk: the same.
    other = tiny_disk / "other.json"
    window.ask_save_path = lambda: str(other)
    assert not window.save_as()
    assert_refused(window, "Not saved", NO_SPACE)
    assert not other.exists() and window.isWindowModified()
    assert window.doc.path == target
    # Room again: the same Save now works and clears the star.
    filler.unlink()
    assert window.save()
    assert not window.isWindowModified()
    assert fileformat.load(target).param("a", "value") == 6


def test_export_on_a_full_disk_keeps_the_old_picture(window, examples, tiny_disk, tmp_path):
    open_copy(window, examples, tmp_path)
    for suffix in ("png", "svg"):
        picture = tiny_disk / f"slide.{suffix}"
        picture.write_bytes(b"old picture")
    fill(tiny_disk)
    for suffix in ("png", "svg"):
        picture = tiny_disk / f"slide.{suffix}"
        assert not window.export_to(picture)
        assert_refused(window, "Not exported", str(picture), NO_SPACE)
        assert picture.read_bytes() == b"old picture"
    assert names(tiny_disk) == {"slide.png", "slide.svg", "filler.bin"}
    assert window.isWindowModified()


def test_recovery_copy_on_a_full_disk_fails_quietly_and_atomically(window, examples, tiny_disk,
                                                                   tmp_path):
    open_copy(window, examples, tmp_path)
    writer = window.recovery
    writer.file = tiny_disk / "recovery.json"
    writer.file.write_bytes(b"older recovery copy")
    fill(tiny_disk)
    messages = []
    writer.failed.connect(messages.append)
    assert writer.write_now() is False
    assert messages and NO_SPACE in messages[0]
    assert writer.file.read_bytes() == b"older recovery copy"
    assert names(tiny_disk) == {"recovery.json", "filler.bin"}
    assert window.isWindowModified()


# ------------------------------------------------------------ read-only folder
@pytest.fixture
def read_only_folder(tmp_path):
    """A folder on a file system remounted read-only: even root cannot write there."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_save_into_a_read_only_folder_says_why(window, examples, read_only_folder):
    target = open_copy(window, examples, read_only_folder)
    old = target.read_bytes()
    assert _mount("-o", "remount,ro", str(read_only_folder))
    assert not window.save()
    assert_refused(window, "Not saved", str(target), os.strerror(errno.EROFS))
    assert window.isWindowModified()
    assert target.read_bytes() == old
    assert names(read_only_folder) == {"graph.json"}
    assert not window.export_to(read_only_folder / "slide.png")
    assert_refused(window, "Not exported", os.strerror(errno.EROFS))


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0,
                    reason="needs root to drop privileges in a child")
def test_save_as_without_permission_says_permission_denied(window, examples):
    # pytest's tmp_path sits under a 0700 folder of root's: nobody needs a way in.
    folder = Path(tempfile.mkdtemp(prefix="gradstudio-perm-"))
    try:
        target = open_copy(window, examples, folder)
        old = target.read_bytes()
        folder.chmod(0o555)
        target.chmod(0o644)

        def as_nobody():
            window.ask_save_path = lambda: str(target)
            saved = window.save_as()
            exported = window.export_to(folder / "slide.png")
            return {"saved": saved, "exported": exported, "errors": window.errors,
                    "modified": window.isWindowModified()}

        report = child_report(as_nobody)
        assert "crash" not in report, report
        assert report["saved"] is False and report["exported"] is False
        assert report["modified"] is True
        (title, message), (title2, message2) = report["errors"]
        assert title == "Not saved" and title2 == "Not exported"
        assert message.splitlines()[0] == f"cannot save {target}: Permission denied"
        assert "Permission denied" in message2
        assert target.read_bytes() == old
        assert names(folder) == {"graph.json"}
        # In this process nothing changed: still the unsaved document.
        assert window.isWindowModified() and window.errors == []
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


# -------------------------------------------------------------- path is a folder
def test_save_as_onto_a_folder_says_so(window, examples, tmp_path):
    open_copy(window, examples, tmp_path)
    folder = tmp_path / "taken.json"
    folder.mkdir()
    (folder / "inside.txt").write_bytes(b"precious")
    window.ask_save_path = lambda: str(folder)
    assert not window.save_as()
    message = assert_refused(window, "Not saved", str(folder), "it is a folder")
    assert "\n" in message and message.splitlines()[0] == f"cannot save {folder}: it is a folder"
    assert window.isWindowModified()
    assert window.doc.path == tmp_path / "graph.json"
    assert names(folder) == {"inside.txt"} and (folder / "inside.txt").read_bytes() == b"precious"
    picture = tmp_path / "slide.png"
    picture.mkdir()
    assert not window.export_to(picture)
    assert_refused(window, "Not exported", str(picture), "folder")
    assert picture.is_dir() and not any(picture.iterdir())


# ---------------------------------------------- every path writes atomically
def test_every_save_path_survives_a_write_error_without_a_trace(window, examples, tmp_path,
                                                                 monkeypatch):
    """An injected write error (EIO at fsync) on each path: old bytes kept, no temp file."""
    target = open_copy(window, examples, tmp_path)
    window.recovery.file = tmp_path / "recovery.json"
    files = {target: target.read_bytes()}
    for name in ("slide.png", "slide.svg", "recovery.json", "copy.json"):
        files[tmp_path / name] = f"old {name}".encode()
        (tmp_path / name).write_bytes(files[tmp_path / name])
    before = names(tmp_path)

    def broken_disk(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", broken_disk)
    assert not window.save()
    window.ask_save_path = lambda: str(tmp_path / "copy.json")
    assert not window.save_as()
    assert not window.export_to(tmp_path / "slide.png")
    assert not window.export_to(tmp_path / "slide.svg")
    assert window.recovery.write_now() is False
    assert [title for title, _ in window.errors] == ["Not saved", "Not saved", "Not exported",
                                                    "Not exported"]
    assert all(os.strerror(errno.EIO) in message for _, message in window.errors)
    assert window.isWindowModified()
    for path, data in files.items():
        assert path.read_bytes() == data, path
    assert names(tmp_path) == before


def test_a_clean_graph_saved_where_it_cannot_be_is_not_called_unsaved(window, examples, tmp_path):
    target = tmp_path / "graph.json"
    shutil.copyfile(examples / "chain_rule.json", target)
    assert window.open_path(target)
    assert not window.doc.dirty
    window.ask_save_path = lambda: "/proc/x.json"  # File → Save As to a folder no one can write
    assert not window.save_as()
    message = assert_refused(window, "Not saved", "/proc/x.json", "still open, as it was")
    assert "unsaved" not in message
    assert window.doc.path == target and not window.doc.dirty
