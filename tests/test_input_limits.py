"""Endless, special and huge inputs are refused in one line (issue 12, part 4).

The class of hole: a reader that opens whatever the path names and reads until
the end, so `gradstudio eval /dev/zero` never ends and a FIFO waits forever.
Every graph reader (eval, export, the window's Open, crash-recovery files) goes
through ``fileformat.load``/``load_for_eval`` and so through core/reading.py:
only regular files, at most ``GRADSTUDIO_MAX_FILE_BYTES`` (default 1 GiB), also
when a file grows while it is read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gradstudio.core import fileformat, reading
from gradstudio.core.errors import FileFormatError
from gradstudio.core.reading import max_file_bytes, read_limited, size_text

SMALL = b'{"format": "gradstudio", "version": 1, "nodes": []}\n'


@pytest.fixture
def specials(tmp_path):
    """name -> path of each kind of thing that is not a graph file."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.json"))
    (tmp_path / "folder.json").mkdir()
    found = {"zero": Path("/dev/zero"), "null": Path("/dev/null"), "fifo": fifo,
             "socket": tmp_path / "sock.json", "folder": tmp_path / "folder.json"}
    for kind, path in list(found.items()):
        link = tmp_path / f"link-to-{kind}.json"
        link.symlink_to(path)
        found[f"link to {kind}"] = link
    yield found
    sock.close()


WORDS = {"zero": "character device", "null": "character device", "fifo": "FIFO",
         "socket": "socket", "folder": "folder"}


def refusal(loader, path) -> BaseException | None:
    """What ``loader(path)`` raises, called in a thread that the test waits for: a
    reader that waits on a FIFO or reads /dev/zero for ever fails here (the join only
    bounds a hang) instead of hanging the suite."""
    raised = []

    def call():
        try:
            loader(path)
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            raised.append(exc)
        else:
            raised.append(None)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():
        if path.resolve().is_fifo():  # let it go: a writer comes and leaves
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"{path}: the reader waited on it or kept reading")
    return raised[0]


@pytest.mark.parametrize("loader", [fileformat.load, fileformat.load_for_eval])
def test_special_files_are_refused_without_reading_them(specials, loader):
    for kind, path in specials.items():
        error = refusal(loader, path)  # returned: a FIFO is not waited on
        assert isinstance(error, FileFormatError), (kind, error)
        message = str(error)
        assert message.startswith(f"{path}: ") and "\n" not in message
        assert WORDS[kind.removeprefix("link to ")] in message, message


def test_a_file_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "g.json"
    path.write_bytes(SMALL)
    monkeypatch.setenv("GRADSTUDIO_MAX_FILE_BYTES", str(len(SMALL)))
    assert max_file_bytes() == len(SMALL)
    assert fileformat.load(path).nodes() == []
    monkeypatch.setenv("GRADSTUDIO_MAX_FILE_BYTES", str(len(SMALL) - 1))
    for loader in (fileformat.load, fileformat.load_for_eval):
        with pytest.raises(FileFormatError) as info:
            loader(path)
        assert str(info.value) == (f"{path}: the file is {len(SMALL)} bytes, more than the "
                                   f"{len(SMALL) - 1} bytes a graph file may have (set "
                                   "GRADSTUDIO_MAX_FILE_BYTES to read bigger ones)")
    for junk in ("", "lots", "-5", "0"):  # not a positive whole number: the default
        monkeypatch.setenv("GRADSTUDIO_MAX_FILE_BYTES", junk)
        assert max_file_bytes() == reading.MAX_FILE_BYTES == 1 << 30


def test_a_file_that_grows_while_read_stops_at_the_limit(tmp_path, monkeypatch):
    # A /proc file says it is 0 bytes long and is read all the same...
    status = read_limited("/proc/self/status")
    assert b"Name:" in status
    # ...unless it goes past the limit; and a file that grows does the same.
    with pytest.raises(FileFormatError, match="grew past 10 bytes while being read"):
        read_limited("/proc/self/status", limit=10)
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    class Smaller:  # as if the file had been 10 bytes when the size was looked at
        def __init__(self, info):
            self.info = info

        def __getattr__(self, key):
            return 10 if key == "st_size" else getattr(self.info, key)

    monkeypatch.setattr(reading.os, "fstat", lambda fd: Smaller(real_fstat(fd)))
    assert read_limited(path, limit=5000) == b"x" * 5000
    with pytest.raises(FileFormatError, match="grew past 4.9 KiB"):
        read_limited(path, limit=4999)


def test_big_files_are_read_in_one_buffer(tmp_path):
    path = tmp_path / "big.bin"
    data = os.urandom(3 << 20)
    path.write_bytes(data)
    got = read_limited(path)
    assert got == data and isinstance(got, bytearray)


def test_size_texts():
    assert [size_text(n) for n in (0, 1, 999, 1024, 1536, 1 << 20, 1 << 30, 3 << 29)] == [
        "0 bytes", "1 byte", "999 bytes", "1 KiB", "1.5 KiB", "1 MiB", "1 GiB", "1.5 GiB"]


# ------------------------------------------------------------------ command line
def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "gradstudio", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})})


def test_eval_and_export_refuse_endless_inputs_in_one_line(specials, tmp_path, examples):
    for kind in ("zero", "fifo", "link to fifo", "null"):
        for args in (("eval", str(specials[kind]), "--json"),
                     ("export", str(specials[kind]), str(tmp_path / "out.svg"))):
            r = run(*args)
            assert r.returncode == 2, (args, r.returncode, r.stderr)
            assert len(r.stderr.splitlines()) == 1 and "not a regular file" in r.stderr
            assert r.stdout == ""
    r = run("eval", str(examples / "chain_rule.json"), env={"GRADSTUDIO_MAX_FILE_BYTES": "100"})
    assert r.returncode == 2 and "a graph file may have" in r.stderr
    assert not (tmp_path / "out.svg").exists()
