"""`gradstudio --help`, `-h`, `--version` and unknown options (issue 14, part 1)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from gradstudio.cli import main

ROOT = Path(__file__).resolve().parent.parent


def program(*args, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    streams = kwargs or {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run([sys.executable, "-m", "gradstudio", *args], env=env,
                          text=True, timeout=60, **streams)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_opening_a_file_each_subcommand_and_the_options(flag):
    result = program(flag)
    assert result.returncode == 0 and result.stderr == ""
    text = result.stdout
    assert "gradstudio [FILE.json]" in text
    for option in ("--version", "--install-desktop", "--uninstall-desktop", "-h, --help"):
        assert option in text, option
    lines = text.splitlines()
    for command in ("eval", "export", "new"):
        described = [line for line in lines if line.split()[:1] == [command]]
        assert len(described) == 1, (command, text)  # one line each
        assert len(described[0].split()) > 3  # ... that says something
    assert max(len(line) for line in lines) <= 100


def test_help_wins_wherever_it_stands():
    code = main(["graph.json", "--help"])
    assert code == 0


def test_version_is_the_projects_version_in_one_line():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = program("--version")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"gradstudio {declared}\n"


def test_version_falls_back_to_the_source_when_not_installed(monkeypatch):
    import importlib.metadata as metadata

    from gradstudio import __version__
    from gradstudio.cli import version

    def no_such(name):
        raise metadata.PackageNotFoundError(name)
    monkeypatch.setattr(metadata, "version", no_such)
    assert version() == __version__


@pytest.mark.parametrize("args, words", [
    (["--bogus"], ["unknown option --bogus", "gradstudio --help"]),
    (["-x", "file.json"], ["unknown option -x"]),
    (["--version", "extra"], ["--version", "extra"]),
    (["--install-desktop", "--version"], ["--install-desktop", "--version"]),
])
def test_a_wrong_option_is_one_line_and_status_2(args, words, capsys):
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    for word in words:
        assert word in err


@pytest.mark.parametrize("command", ["eval", "export", "new"])
def test_each_subcommand_keeps_its_own_help(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: gradstudio {command}")


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_a_full_disk_is_one_line_and_status_2(args):
    with open("/dev/full", "w") as full:
        result = program(*args, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write to standard output" in lines[0], result.stderr


def test_after_a_double_dash_help_is_a_file_name(tmp_path):
    """`gradstudio -- --help`: "--help" is the file to open, as `--` means everywhere."""
    result = subprocess.run([sys.executable, "-m", "gradstudio", "--", "--help"],
                            cwd=tmp_path, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "./--help: cannot read: No such file or directory\n"


def test_a_picture_with_a_domain_error_is_drawn_with_a_warning_naming_the_node(tmp_path,
                                                                                capsys):
    """As the window shows it (design.md: the node shows the problem), with the warning
    line `gradstudio eval` gives; status 0. No numbers asked for: no warning."""
    graph = tmp_path / "logneg.json"
    assert main(["new", "--formula", "J = log(x)*2", "--set", "x=-1", "-o", str(graph)]) == 0
    capsys.readouterr()
    for after in ("forward", "backward"):
        assert main(["export", str(graph), str(tmp_path / f"{after}.svg"),
                     "--after", after]) == 0
        said = capsys.readouterr().err
        assert said == (f"warning: {graph}: node 'u' gives nan (log of a number ≤ 0)\n"), said
        assert "nan" in (tmp_path / f"{after}.svg").read_text(encoding="utf-8")
    assert main(["export", str(graph), str(tmp_path / "bare.svg")]) == 0
    assert capsys.readouterr().err == ""


def test_help_says_export_also_writes_decks_and_geometry():
    from gradstudio.cli import help_text
    line = next(line for line in help_text().splitlines() if line.split()[:1] == ["export"])
    for word in ("PNG", "SVG", "PDF", "deck"):
        assert word in line, line


def test_two_files_are_refused_before_the_display_is_asked_about():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "gradstudio", "a.json", "b.json"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("gradstudio: unexpected arguments: a.json b.json (usage:")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("display", [{"DISPLAY": ":97"}, {}])  # nothing answers; none set
def test_export_needs_no_display_even_where_one_is_named(display, tmp_path, examples):
    """A stale DISPLAY (an ssh -X session gone) said 'cannot open a window' and exit 2,
    then advised the very `gradstudio export` that failed."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "out.png"
    done = subprocess.run([sys.executable, "-m", "gradstudio", "export",
                           str(examples / "chain_rule.json"), str(out), "--after", "backward"],
                          env={**env, **display}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
