"""`gradstudio --install-desktop` / `--uninstall-desktop` (issue 14, part 4), run as the
program with a temporary XDG_DATA_HOME: what is written parses as the desktop reads it,
and uninstall takes away exactly that."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gradstudio import desktop

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
EXPECTED = ["applications/gradstudio.desktop", "mime/packages/gradstudio.xml",
            "icons/hicolor/scalable/apps/gradstudio.svg",
            *(f"icons/hicolor/{s}x{s}/apps/gradstudio.png" for s in (48, 64, 128, 256))]
REFRESHERS = ("update-desktop-database", "update-mime-database", "gtk-update-icon-cache")


def gradstudio(*args, data: Path, tools: bool = False, **extra):
    """Run `python -m gradstudio ARGS` with XDG_DATA_HOME=data; without the cache tools
    on PATH unless ``tools``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(XDG_DATA_HOME=str(data), HOME=str(data.parent / "home"), **extra)
    if not tools:
        env["PATH"] = str(data.parent / "no-tools")
    return subprocess.run([sys.executable, "-m", "gradstudio", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def exec_argv(value: str) -> list[str]:
    """An Exec= value read as the Desktop Entry spec says a desktop runs it: the string's
    escapes first (\\\\ -> \\), then arguments split at spaces outside double quotes,
    where \\ before " ` $ or \\ stands for that character; %% is a literal %."""
    text = value.replace("\\\\", "\\")
    args, current, quoted, started, i = [], [], False, False, 0
    while i < len(text):
        ch = text[i]
        if quoted and ch == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
            current.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            quoted, started = not quoted, True
        elif ch == " " and not quoted:
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(ch)
            started = True
        i += 1
    assert not quoted, value
    if started:
        args.append("".join(current))
    return [a.replace("%%", "%") for a in args]


def test_install_writes_the_entry_icons_and_mime_type_and_says_so(tmp_path):
    data = tmp_path / "data"
    result = gradstudio("--install-desktop", data=data)
    assert result.returncode == 0, result.stderr
    assert files_under(data) == set(EXPECTED)
    said = result.stdout.splitlines()
    assert said == [f"wrote {data / name}" for name in EXPECTED]

    entry = read_entry(data / "applications" / "gradstudio.desktop")
    assert entry["Type"] == "Application" and entry["Name"] == "gradstudio"
    assert entry["Icon"] == "gradstudio" and entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "gradstudio"
    assert exec_argv(entry["Exec"]) == [sys.executable, "-m", "gradstudio", "%f"]
    assert entry["TryExec"] == sys.executable
    assert entry["MimeType"].split(";") == ["application/x-gradstudio+json", ""]

    mime = ET.parse(data / "mime" / "packages" / "gradstudio.xml").getroot()
    assert mime.tag == f"{MIME_NS}mime-info"
    (kind,) = mime.findall(f"{MIME_NS}mime-type")
    assert kind.get("type") == "application/x-gradstudio+json"
    assert kind.find(f"{MIME_NS}sub-class-of").get("type") == "application/json"
    assert [g.get("pattern") for g in kind.findall(f"{MIME_NS}glob")] == ["*.gs.json"]
    (match,) = kind.iter(f"{MIME_NS}match")
    assert match.get("type") == "string" and match.get("value") == '"format": "gradstudio"'
    assert kind.find(f"{MIME_NS}icon").get("name") == "gradstudio"

    svg = ET.parse(data / "icons/hicolor/scalable/apps/gradstudio.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for size in (48, 64, 128, 256):
        png = (data / f"icons/hicolor/{size}x{size}/apps/gradstudio.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == size == int.from_bytes(png[20:24], "big")


def test_the_magic_string_is_what_saved_files_hold(tmp_path):
    """The content match is worth having only if gradstudio's own files contain it."""
    from gradstudio.core import fileformat
    from gradstudio.core.formula import build
    text = fileformat.dumps(build("J = 3*(a + b*c)", {}))
    assert desktop.MAGIC in text[:4096]


def test_the_readme_says_what_the_content_rule_can_and_cannot_do():
    """Saved files sort their keys (design.md), so "format" follows every wire: a
    20-input neuron has it past 4 KiB. The README must not promise recognition by
    content (it did: "Qt's MIME database, which KDE uses, does")."""
    from pathlib import Path
    from gradstudio.core import fileformat
    from gradstudio.core.formula import build
    terms = " + ".join(f"w{i}*x{i}" for i in range(1, 21))
    text = fileformat.dumps(build(f"J = tanh({terms})", {}))
    assert text.index('"edges"') < text.index(desktop.MAGIC) and desktop.MAGIC not in text[:4096]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Desktop integration"):][:3000]
    assert "which KDE uses, does" not in section
    assert "Saved files sort their" in section and "*.gs.json" in section


def test_install_twice_then_uninstall_removes_exactly_those_files(tmp_path):
    data = tmp_path / "data"
    neighbours = {"applications/other.desktop": "[Desktop Entry]\nName=other\n",
                  "mime/packages/other.xml": "<mime-info/>\n",
                  "icons/hicolor/48x48/apps/other.png": "not ours"}
    for name, text in neighbours.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(text)
    assert gradstudio("--install-desktop", data=data).returncode == 0
    first = {name: (data / name).read_bytes() for name in EXPECTED}
    again = gradstudio("--install-desktop", data=data)
    assert again.returncode == 0, again.stderr
    assert {name: (data / name).read_bytes() for name in EXPECTED} == first
    assert files_under(data) == set(EXPECTED) | set(neighbours)

    gone = gradstudio("--uninstall-desktop", data=data)
    assert gone.returncode == 0, gone.stderr
    assert gone.stdout.splitlines() == [f"removed {data / name}" for name in EXPECTED]
    assert files_under(data) == set(neighbours)
    assert all((data / n).read_text() == t for n, t in neighbours.items())

    nothing = gradstudio("--uninstall-desktop", data=data)
    assert nothing.returncode == 0 and "nothing to remove" in nothing.stdout


@pytest.mark.skipif(shutil.which("update-mime-database") is None,
                    reason="needs update-mime-database (shared-mime-info)")
def test_the_desktops_own_tools_accept_the_files_and_forget_them_on_uninstall(tmp_path):
    data = tmp_path / "data"
    result = gradstudio("--install-desktop", data=data, tools=True)
    assert result.returncode == 0, result.stderr
    assert f"ran update-mime-database {data / 'mime'}" in result.stdout.splitlines()
    assert "note:" not in result.stdout  # no tool failed
    assert (data / "mime/application/x-gradstudio+json.xml").exists()
    assert "application/x-gradstudio+json:*.gs.json" in (data / "mime/globs2").read_text()
    assert b'"format": "gradstudio"' in (data / "mime/magic").read_bytes()
    if shutil.which("update-desktop-database"):
        cache = (data / "applications/mimeinfo.cache").read_text()
        assert "application/x-gradstudio+json=gradstudio.desktop;" in cache
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate",
                                  str(data / "applications/gradstudio.desktop")],
                                 capture_output=True, text=True)
        assert checked.returncode == 0 and "error" not in checked.stdout, checked.stdout

    assert gradstudio("--uninstall-desktop", data=data, tools=True).returncode == 0
    assert not (data / "mime/application/x-gradstudio+json.xml").exists()
    assert "gradstudio" not in (data / "mime/globs2").read_text()
    if shutil.which("update-desktop-database"):
        assert "gradstudio" not in (data / "applications/mimeinfo.cache").read_text()


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_says(tmp_path):
    home = tmp_path / "home"
    assert desktop.data_home({"XDG_DATA_HOME": "relative/data", "HOME": str(home)}) \
        == home / ".local" / "share"
    assert desktop.data_home({"HOME": str(home)}) == home / ".local" / "share"
    assert desktop.data_home({"XDG_DATA_HOME": str(tmp_path / "d")}) == tmp_path / "d"


def test_a_folder_that_cannot_be_written_is_one_line_and_status_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")  # a file where a folder must go: fails even for root
    result = gradstudio("--install-desktop", data=blocker / "data")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gradstudio --install-desktop: cannot write ")
    assert str(blocker) in lines[0]


@pytest.mark.parametrize("python", [
    "/opt/my env/bin/python",
    '/weird/$HOME/`x`/"q"/back\\slash/100%/python',
])
def test_exec_quotes_an_awkward_interpreter_path_so_it_runs_as_is(python):
    entry = desktop.desktop_entry([python, "-m", "gradstudio"])
    exec_value = [line for line in entry.splitlines() if line.startswith("Exec=")][0][5:]
    assert exec_argv(exec_value) == [python, "-m", "gradstudio", "%f"]


def test_a_path_with_a_line_break_is_refused():
    with pytest.raises(desktop.DesktopError):
        desktop.exec_argument("/a\nb/python")


def test_a_checkout_that_is_not_installed_is_started_through_main_py(monkeypatch):
    import importlib.metadata as metadata

    import gradstudio
    if not (Path(gradstudio.__file__).resolve().parent.parent / "main.py").exists():
        pytest.skip("gradstudio is imported from an installed copy here, not a checkout")

    def no_such(name):
        raise metadata.PackageNotFoundError(name)
    monkeypatch.setattr(metadata, "distribution", no_such)
    command = desktop.launch_command("/usr/bin/python3")
    assert command[0] == "/usr/bin/python3"
    assert Path(command[1]).name == "main.py" and Path(command[1]).exists()


def test_the_program_name_is_gradstudio_however_started():
    """X11's WM_CLASS instance is the program name Qt is given: `python -m gradstudio`
    (the .desktop Exec line, g.open()) would make it "__main__.py"."""
    import subprocess
    import sys
    code = ("from gradstudio.ui.app.start import make_app\n"
            "print(make_app().arguments()[0])\n")
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "gradstudio", done.stderr
