"""Output that cannot be written (issue 12, part 3).

The class of hole: a command that writes to standard output and ends in a
traceback when the write fails. Every command that writes there (eval as JSON,
as a table, with --check and --tangent; new -o -; each subcommand's --help) is
run with standard output on a full disk (/dev/full), closed (``>&-``) and as a
pipe whose reader has gone (``| head``): a failure is one line and status 2, a
reader that left is silence and status 0.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import example_path
from gradstudio.cli import main

EXAMPLE = str(example_path("chain_rule"))

WRITERS = {
    "eval --json": ["eval", EXAMPLE, "--json"],
    "eval table": ["eval", EXAMPLE],
    "eval --check": ["eval", EXAMPLE, "--check"],
    "eval --tangent": ["eval", EXAMPLE, "--json", "--tangent", "a"],
    "new -o -": ["new", "--formula", "J = 3*(a + b*c)", "-o", "-"],
    "eval --help": ["eval", "--help"],
    "new --help": ["new", "--help"],
    "export --help": ["export", "--help"],
}


def run(args, **kwargs):
    return subprocess.run([sys.executable, "-m", "gradstudio", *args], stderr=subprocess.PIPE,
                          timeout=120, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("name", WRITERS)
def test_a_full_disk_is_one_line_and_status_2(name):
    with open("/dev/full", "wb") as full:
        r = run(WRITERS[name], stdout=full)
    assert r.returncode == 2, (name, r.returncode, r.stderr)
    command = " ".join(WRITERS[name][:1])
    assert r.stderr.decode() == (f"gradstudio {command}: cannot write to standard output: "
                                 f"{os.strerror(errno.ENOSPC)}\n")


@pytest.mark.parametrize("name", WRITERS)
def test_a_closed_standard_output_is_one_line_and_status_2(name):
    r = run(WRITERS[name], stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    if name.endswith("--help"):  # the help goes where it can be read, as argparse does
        assert r.returncode == 0 and r.stderr.startswith(b"usage: gradstudio ")
        return
    assert r.returncode == 2, (name, r.returncode, r.stderr)
    command = WRITERS[name][0]
    assert r.stderr.decode() == (f"gradstudio {command}: cannot write to standard output: "
                                 "it is closed\n")


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory) -> str:
    """Enough output that the writes go on after the reader has left."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from graphgen import generate
    path = tmp_path_factory.mktemp("big") / "big.json"
    path.write_text(json.dumps(generate(20_000, seed=3)))
    return str(path)


@pytest.mark.parametrize("args", [["eval", "BIG", "--json"], ["eval", "BIG"],
                                  ["new", "--formula", "J = " + "+".join(["a"] * 3000), "-o", "-"],
                                  ["eval", "--help"]])
def test_a_reader_that_leaves_early_is_silence_and_status_0(big_graph, args):
    args = [big_graph if a == "BIG" else a for a in args]
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already read its lines
    try:
        r = run(args, stdout=write_end)
    finally:
        os.close(write_end)
    assert (r.returncode, r.stderr) == (0, b""), r.stderr[-500:]
    # and with a reader that takes a little and goes
    r = subprocess.run(f"{sys.executable} -m gradstudio {' '.join(map(repr, args))} | head -c 100",
                       shell=True, capture_output=True, timeout=120)
    assert r.returncode == 0 and r.stderr == b"" and len(r.stdout) == 100


def test_export_writes_no_standard_output_so_a_full_one_does_not_matter(tmp_path):
    with open("/dev/full", "wb") as full:
        r = run(["export", EXAMPLE, str(tmp_path / "g.svg")], stdout=full)
    assert r.returncode == 0 and (tmp_path / "g.svg").stat().st_size > 1000


# ------------------------------------------------------------------ in process
class Refusing(io.TextIOBase):
    """A stdout whose every write fails as a full disk's does."""

    def write(self, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self):
        pass


def test_main_reports_a_failed_write_in_process(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", Refusing())
    assert main(["eval", EXAMPLE, "--json"]) == 2
    assert main(["eval", EXAMPLE]) == 2
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["eval", EXAMPLE, "--check"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"gradstudio eval: cannot write to standard output: {os.strerror(errno.ENOSPC)}"] * 2 \
        + ["gradstudio eval: cannot write to standard output: it is closed"]


def test_main_still_writes_normally(capsys):
    assert main(["eval", EXAMPLE, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["nodes"]["J"] == {"value": 33, "grad": 1}
    assert main(["new", "--formula", "J = a*b", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == "J"
