"""Writing through links, onto special files and with long names (issue 12, part 2).

The class of hole: a writer that replaces the path it was given instead of the
file that path names. Every writer goes through core/atomic.py, so the rule is
tested there on every kind of target (a regular file, chains of links, relative
and absolute, dangling links, links to folders, devices, FIFOs, sockets, loops,
names of 240-256 bytes, a trailing slash) and then through each writer: Save,
``new -o`` (and ``-`` for standard output), ``export`` to PNG, SVG and JSON.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gradstudio.core import atomic, fileformat
from gradstudio.core.atomic import SaveError, atomic_write

DATA = b'{"new": "content"}\n'
OLD = b"old content\n"


def everything(folder: Path) -> dict:
    """Every entry under ``folder``: links as their text, files as bytes and mode."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = ("link", os.readlink(path))
        elif path.is_file():
            found[key] = ("file", path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        elif path.is_dir():
            found[key] = ("dir",)
        else:
            found[key] = ("special", stat.S_IFMT(path.lstat().st_mode))
    return found


def no_temp_files(*folders: Path) -> bool:
    return not any(p.name.endswith(".tmp") for folder in folders for p in folder.iterdir())


# ------------------------------------------------------------- regular targets
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o666, 0o400])
def test_a_regular_file_keeps_its_mode_exactly(tmp_path, mode):
    target = tmp_path / "g.json"
    target.write_bytes(OLD)
    target.chmod(mode | stat.S_ISUID)  # a special bit is dropped, never carried over
    atomic_write(target, DATA)
    assert target.read_bytes() == DATA
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert no_temp_files(tmp_path)


def test_a_new_file_gets_what_the_umask_allows(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.json", DATA)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="changing owners needs root")
def test_the_owner_and_group_are_kept_or_the_group_bits_go(tmp_path, monkeypatch):
    target = tmp_path / "theirs.json"
    target.write_bytes(OLD)
    os.chown(target, 65534, 65534)
    target.chmod(0o664)
    atomic_write(target, DATA)
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o664)
    # Where the group cannot be given back, its members must not gain write access.
    monkeypatch.setattr(os, "chown", lambda *a: (_ for _ in ()).throw(PermissionError(1, "no")))
    atomic_write(target, b"again")
    info = target.stat()
    assert info.st_gid != 65534 and stat.S_IMODE(info.st_mode) == 0o604
    assert target.read_bytes() == b"again"


# ----------------------------------------------------------------------- links
def test_a_link_is_written_through_and_stays_a_link(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    figure = shared / "figure.json"
    figure.write_bytes(OLD)
    figure.chmod(0o640)
    slides = tmp_path / "slides"
    slides.mkdir()
    link = slides / "figure.json"
    link.symlink_to(os.path.relpath(figure, slides))
    atomic_write(link, DATA)
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(figure, slides)
    assert figure.read_bytes() == DATA
    assert stat.S_IMODE(figure.stat().st_mode) == 0o640
    assert no_temp_files(shared, slides)


def test_a_chain_of_links_and_a_dangling_link(tmp_path):
    final = tmp_path / "final.json"
    final.write_bytes(OLD)
    (tmp_path / "one").symlink_to("final.json")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    atomic_write(tmp_path / "two", DATA)
    assert final.read_bytes() == DATA
    assert os.readlink(tmp_path / "two") == str(tmp_path / "one")
    dangling = tmp_path / "later"
    dangling.symlink_to("not-yet.json")
    atomic_write(dangling, DATA)
    assert dangling.is_symlink() and (tmp_path / "not-yet.json").read_bytes() == DATA
    assert no_temp_files(tmp_path)


def _refused(path, *words) -> str:
    with pytest.raises(SaveError) as info:
        atomic_write(path, DATA)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message, message
    return message


def test_special_targets_are_refused_and_left_as_they_are(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _refused(fifo, "FIFO", "not a regular file")
    link_to_null = tmp_path / "null.json"
    link_to_null.symlink_to("/dev/null")
    _refused(link_to_null, "character device", "write - for standard output")
    assert link_to_null.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    server = socket.socket(socket.AF_UNIX)
    sock = tmp_path / "sock"
    try:
        server.bind(str(sock))
        _refused(sock, "socket")
    finally:
        server.close()
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "to-folder").symlink_to("folder")
    _refused(tmp_path / "to-folder", "folder")
    (tmp_path / "loop-a").symlink_to("loop-b")
    (tmp_path / "loop-b").symlink_to("loop-a")
    _refused(tmp_path / "loop-a", "symbolic links")
    before = everything(tmp_path)
    assert before["pipe"][0] == "special" and before["null.json"] == ("link", "/dev/null")
    assert no_temp_files(tmp_path, folder)


@pytest.mark.parametrize("suffix", ["/", "/.", "/.."])
def test_a_path_ending_in_a_slash_is_an_error(tmp_path, suffix):
    (tmp_path / "g.json").write_bytes(OLD)
    _refused(str(tmp_path / "g.json") + suffix, "cannot save")
    (tmp_path / "out").mkdir()
    _refused(str(tmp_path / "out" / "new.json") + suffix)
    assert (tmp_path / "g.json").read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json", "out"]
    assert list((tmp_path / "out").iterdir()) == []


# ------------------------------------------------------------------ long names
@pytest.mark.parametrize("length", [240, 241, 242, 250, 254, 255])
def test_names_up_to_the_longest_the_folder_allows_save(tmp_path, length):
    for stem in ("g" * (length - 5), "é" * ((length - 5) // 2) + "g" * ((length - 5) % 2)):
        name = stem + ".json"
        assert len(name.encode()) == length
        target = tmp_path / name
        target.write_bytes(OLD)
        atomic_write(target, DATA)
        assert target.read_bytes() == DATA
        atomic_write(tmp_path / ("n" + name[1:]), DATA)  # and a new one
    assert no_temp_files(tmp_path)


def test_a_name_too_long_for_the_folder_is_refused_in_one_line(tmp_path):
    message = _refused(tmp_path / ("g" * 251 + ".json"), "too long")
    assert no_temp_files(tmp_path) and list(tmp_path.iterdir()) == []
    assert len(message) < 400


# ----------------------------------------------------- the whole class, drawn
KINDS = ("file", "missing", "folder", "fifo", "device", "loop")


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS), links=st.integers(0, 3), absolute=st.booleans(),
       mode=st.sampled_from([0o600, 0o640, 0o644, 0o664, 0o444]),
       name_length=st.sampled_from([6, 100, 240, 255]), slash=st.booleans())
def test_any_target_is_written_through_or_refused_with_nothing_changed(
        tmp_path_factory, kind, links, absolute, mode, name_length, slash):
    root = tmp_path_factory.mktemp("class")
    (root / "a").mkdir()
    (root / "b").mkdir()
    name = "t" * (name_length - 5) + ".json"
    final = root / "b" / name
    if kind == "file":
        final.write_bytes(OLD)
        final.chmod(mode)
    elif kind == "folder":
        final.mkdir()
    elif kind == "fifo":
        os.mkfifo(final)
    elif kind == "device":
        final.symlink_to("/dev/null")
    elif kind == "loop":
        final.symlink_to(name)
    path = final
    for i in range(links):
        link = root / ("a" if i % 2 == 0 else "b") / f"link{i}"
        link.symlink_to(path if absolute else os.path.relpath(path, link.parent))
        path = link
    given_path = str(path) + ("/" if slash else "")
    before = everything(root)
    try:
        atomic_write(given_path, DATA)
    except SaveError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"cannot save {given_path}")
        assert everything(root) == before
        assert kind not in ("file", "missing") or slash
    else:
        assert kind in ("file", "missing") and not slash
        assert final.read_bytes() == DATA
        after = everything(root)
        changed = {k for k in after if after[k] != before.get(k)}
        assert changed == {str(final.relative_to(root))}
        if kind == "file":
            assert stat.S_IMODE(final.stat().st_mode) == mode
    assert no_temp_files(root / "a", root / "b")


# ------------------------------------------------------- through every writer
def test_save_writes_through_a_link(tmp_path, examples):
    real = tmp_path / "real.json"
    real.write_bytes(OLD)
    (tmp_path / "link.json").symlink_to("real.json")
    model = fileformat.load(examples / "chain_rule.json")
    fileformat.save(model, tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert real.read_bytes() == (examples / "chain_rule.json").read_bytes()


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "gradstudio", *args], capture_output=True,
                          timeout=120, **kwargs)


def test_new_writes_through_links_to_standard_output_and_refuses_special_files(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(OLD)
    (tmp_path / "link.json").symlink_to("real.json")
    r = run("new", "--formula", "J = a*b", "-o", str(tmp_path / "link.json"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads(real.read_bytes())["output"] == "J"
    r = run("new", "--formula", "J = a*b", "-o", "-")
    assert r.returncode == 0 and r.stderr == b""
    assert r.stdout == real.read_bytes()  # the same bytes the file got
    os.mkfifo(tmp_path / "fifo")
    for target, words in ((tmp_path / "fifo", b"FIFO"), ("/dev/stdout", b"not a regular file"),
                          (str(tmp_path / "out.json") + "/", b"end with '/'")):
        r = run("new", "--formula", "J = a*b", "-o", str(target))
        assert r.returncode == 2, (target, r.stderr)
        assert len(r.stderr.splitlines()) == 1 and words in r.stderr, r.stderr
        assert b"Traceback" not in r.stderr
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)
    assert not (tmp_path / "out.json").exists()


def test_export_writes_through_links_and_refuses_special_files(tmp_path, examples):
    for suffix in (".svg", ".png", ".json"):
        real = tmp_path / f"real{suffix}"
        real.write_bytes(OLD)
        link = tmp_path / f"link{suffix}"
        link.symlink_to(real.name)
        r = run("export", str(examples / "chain_rule.json"), str(link))
        assert r.returncode == 0, r.stderr
        assert link.is_symlink() and real.read_bytes() != OLD
    os.mkfifo(tmp_path / "fifo.svg")
    r = run("export", str(examples / "chain_rule.json"), str(tmp_path / "fifo.svg"))
    assert r.returncode == 2 and b"FIFO" in r.stderr and len(r.stderr.splitlines()) == 1
    r = run("export", str(examples / "chain_rule.json"), str(tmp_path / "x.svg") + "/")
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert no_temp_files(tmp_path)


def test_write_output_takes_a_dash_for_standard_output(capsysbinary, tmp_path):
    atomic.write_output("-", DATA)
    assert capsysbinary.readouterr().out == DATA
    atomic.write_output(tmp_path / "f.json", DATA)
    assert (tmp_path / "f.json").read_bytes() == DATA


def test_write_output_reports_a_full_or_closed_standard_output(monkeypatch):
    class Full:
        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def flush(self):
            pass

    class Out:
        buffer = Full()

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Out())
    with pytest.raises(SaveError, match="cannot write to standard output: No space left"):
        atomic.write_output("-", DATA)
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(SaveError, match="cannot write to standard output"):
        atomic.write_output("-", DATA)
