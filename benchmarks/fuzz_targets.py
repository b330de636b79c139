"""Hostile output targets for every writer: links, special files, slashes, long names.

``make_target(seed, index, root)`` builds case ``index`` of ``seed`` under the
empty folder ``root``: a target of some kind (a regular file with some mode, a
missing file, a FIFO, a folder, a link to /dev/null, a link loop, a dangling
link into a missing folder), reached through 0-3 symbolic links (absolute or
relative, across two folders), with a name of up to 256 bytes, maybe ending in
``/``, ``/.`` or ``/..``; and a writer: ``gradstudio new -o``, ``export`` to
PNG, SVG or JSON (both in this process, through ``cli.main``) or Save
(``fileformat.save``).

``check(case)`` runs the writer and judges the result by the rule of
docs/file-format.md ("Saving"), worked out here from how the case was built:
a regular or missing file reached through any links, with no trailing slash and
a name that fits, is written (the file the links lead to has the new content
and keeps its mode; every link stays as it was); anything else is refused with
one line naming the path and exit 2, with nothing under ``root`` changed and
/dev/null still a device. Never a temporary file left, never a traceback. The
caller times each case out (a writer that opens a FIFO would wait for ever).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import stat
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
KINDS = ("file", "file", "file", "missing", "missing", "fifo", "folder", "null", "loop", "lost")
WRITERS = ("new", "new", "save", "save", "export")
SUFFIXES = {"new": (".json",), "save": (".json",), "export": (".png", ".svg", ".json")}


@dataclass
class Case:
    root: Path
    kind: str  # what the links end at (see KINDS)
    writer: str
    path: str  # as given to the writer
    final: Path  # where the content goes when it is written
    writes: bool  # what the rule says: written, or refused
    mode: int | None  # an existing file's mode
    how: str


def make_target(seed: int, index: int, root: Path) -> Case:
    rng = random.Random(f"target:{seed}:{index}")
    kind, writer = rng.choice(KINDS), rng.choice(WRITERS)
    suffix = rng.choice(SUFFIXES[writer])
    (root / "a").mkdir()
    (root / "b").mkdir()
    length = rng.choice([6, 6, 12, 12, 100, 100, 240, 250, 255, 255, 256])
    if length > 255:  # too long for the folder: only a file that is not there yet
        kind = "missing"
    name = "t" * (length - len(suffix)) + suffix
    final = root / "b" / name
    mode = None
    if kind == "file":
        mode = rng.choice([0o600, 0o640, 0o644, 0o664, 0o444])
        final.write_bytes(b"old content\n")
        final.chmod(mode)
    elif kind == "fifo":
        os.mkfifo(final)
    elif kind == "folder":
        final.mkdir()
    elif kind == "null":
        final.symlink_to("/dev/null")
    elif kind == "loop":
        final.symlink_to(name)
    elif kind == "lost":  # a link into a folder that does not exist
        final.symlink_to(root / "gone" / f"x{suffix}")
    links = rng.choice([0, 0, 1, 1, 2, 3])
    absolute = rng.random() < 0.5
    path = final
    for i in range(links):
        link = root / ("a" if i % 2 == 0 else "b") / f"link{i}{suffix}"
        link.symlink_to(path if absolute else os.path.relpath(path, link.parent))
        path = link
    slash = rng.choice([""] * 9 + ["/", "/.", "/.."])
    writes = kind in ("file", "missing") and not slash and length <= 255
    how = (f"{writer} -> {links} {'absolute' if absolute else 'relative'} link(s) -> {kind}, "
           f"name {length} bytes{', ends ' + repr(slash) if slash else ''}")
    return Case(root, kind, writer, str(path) + slash, final, writes, mode, how)


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


def _run_cli(argv: list[str]) -> tuple[int, str]:
    from gradstudio.cli import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def _write(case: Case) -> tuple[bool, str]:
    """Run the writer: (written, the one-line message when refused)."""
    graph = EXAMPLES / "chain_rule.json"
    if case.writer == "save":
        from gradstudio.core import fileformat
        from gradstudio.core.atomic import SaveError
        try:
            fileformat.save(fileformat.load(graph), case.path)
        except SaveError as exc:
            return False, str(exc)
        return True, ""
    if case.writer == "new":
        code, err = _run_cli(["new", "--formula", "J = 3*(a + b*c), a=5, b=3, c=2",
                              "-o", case.path])
    else:
        code, err = _run_cli(["export", str(graph), case.path, "--after", "backward"])
    assert code in (0, 2), f"exit {code}: {err[-500:]!r}"
    if code == 0:
        assert err == "", f"written, with {err[:300]!r} on stderr"
        return True, ""
    return False, err


def check(case: Case) -> str:
    """'written' or 'refused'; AssertionError when the outcome breaks the rule."""
    before = everything(case.root)
    null_before = os.stat("/dev/null").st_rdev
    written, message = _write(case)
    after = everything(case.root)
    assert not [k for k in after if k.endswith(".tmp")], "a temporary file was left"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and \
        os.stat("/dev/null").st_rdev == null_before, "/dev/null is no longer the device"
    if not written:
        assert not case.writes, f"refused what the rule writes: {message[:300]!r}"
        line = message.rstrip("\n")
        assert "\n" not in line and "Traceback" not in message, f"not one line: {message!r}"
        assert case.path in line or case.writer != "save", f"no path: {line[:300]!r}"
        assert after == before, "a refused write changed something"
        return "refused"
    assert case.writes, "wrote what the rule refuses"
    key = str(case.final.relative_to(case.root))
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {key}, f"changed {sorted(changed)} instead of {key}"
    assert after[key][0] == "file", f"{key} is not a regular file now"
    if case.mode is not None:
        assert after[key][2] == case.mode, f"mode {after[key][2]:o} instead of {case.mode:o}"
    data = after[key][1]
    if case.final.suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG"
    elif case.final.suffix == ".svg":
        ElementTree.fromstring(data)  # valid XML
    else:
        json.loads(data)
    return "written"
