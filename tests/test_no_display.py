"""`gradstudio [FILE]` where no window can open: one line, status 2, quickly; never Qt's
abort (status 134) or a core dump (issue 14, part 1)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import example_path
from gradstudio import display

ROOT = Path(__file__).resolve().parent.parent
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")


def bare_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARIABLES}
    env.update(extra)
    return env


def silent_display_number() -> int:
    """A display number where no X server listens (neither socket form nor TCP)."""
    for number in range(77, 200):
        if not display.x_server_answers(f":{number}"):
            return number
    pytest.skip("no free display number")


def start(args, env) -> tuple[subprocess.CompletedProcess, float]:
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "gradstudio", *args], env=env,
                            capture_output=True, text=True, timeout=60)
    return result, time.monotonic() - began


def assert_one_line_about_the_display(result, *words):
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert "Traceback" not in line and "core dumped" not in line
    for word in ("gradstudio export", "QT_QPA_PLATFORM=offscreen", "only for scripts", *words):
        assert word in line, (word, line)
    assert result.stdout == ""


@pytest.mark.parametrize("args", [[], [str(example_path("chain_rule"))]])
def test_no_display_variables_exits_2_with_one_line_quickly(args):
    result, took = start(args, bare_env())
    assert_one_line_about_the_display(result, "no display", "DISPLAY")
    # Start-up is about 0.2 s (Python, PySide6's import); the load of the shared
    # machine is what the margin is for.
    assert took < 3.0, took


def test_a_display_nobody_answers_on_exits_2_naming_it():
    number = silent_display_number()
    result, took = start([], bare_env(DISPLAY=f":{number}"))
    assert_one_line_about_the_display(result, f"DISPLAY=:{number}", "no X server answers")
    assert took < 3.0, took


def test_main_py_says_the_same():
    result = subprocess.run([sys.executable, str(ROOT / "main.py")], env=bare_env(),
                            capture_output=True, text=True, timeout=60)
    assert_one_line_about_the_display(result, "no display")


def test_qt_own_fatal_error_becomes_one_line_too():
    """What the probe cannot see (an X server that refuses us, say) reaches Qt, whose
    fatal error is caught while the application is made: one line and status 2."""
    number = silent_display_number()
    code = "from gradstudio.ui.app.start import make_app; make_app(); print('made')"
    result = subprocess.run([sys.executable, "-c", code], env=bare_env(DISPLAY=f":{number}"),
                            capture_output=True, text=True, timeout=60)
    assert_one_line_about_the_display(result, "cannot open a window", f":{number}")


def test_a_windowless_platform_is_trusted_without_probing():
    for platform in ("offscreen", "minimal", "vnc:size=800x600", "eglfs"):
        assert display.display_problem({"QT_QPA_PLATFORM": platform}) is None, platform


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_need_no_display_variable(platform, monkeypatch):
    monkeypatch.setattr(display.sys, "platform", platform)
    assert display.display_problem({}) is None


def test_asking_for_xcb_without_display_says_so():
    said = display.display_problem({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wl-9"})
    assert said is not None and "DISPLAY is not set" in said


@pytest.fixture
def listening():
    """Listen on a Unix socket (abstract name or path); close them all at the end."""
    sockets = []

    def listen(address: str) -> None:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(address)
        server.listen(16)
        sockets.append(server)
    yield listen
    for server in sockets:
        server.close()


def test_an_x_server_that_answers_passes(listening, monkeypatch):
    number = silent_display_number()
    listening(f"\0/tmp/.X11-unix/X{number}")  # the abstract socket, as Xorg also offers
    monkeypatch.setattr(display, "xcb_library_problem", lambda plugin=None: None)
    assert display.x_server_answers(f":{number}")
    assert display.x_server_answers(f":{number}.0")
    assert display.display_problem({"DISPLAY": f":{number}"}) is None


def test_a_missing_system_library_is_named_with_its_package(listening, monkeypatch):
    number = silent_display_number()
    listening(f"\0/tmp/.X11-unix/X{number}")
    ldd = ("\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x7f)\n"
           "\tlibxcb-cursor.so.0 => not found\n")
    monkeypatch.setattr(display, "_ldd", lambda plugin=None: (ldd, ""))
    said = display.display_problem({"DISPLAY": f":{number}"})
    assert "libxcb-cursor.so.0 is missing" in said and "apt install libxcb-cursor0" in said
    assert "gradstudio export" in said and "\n" not in said


def empty_library(folder: Path, soname: str) -> dict[str, str]:
    """An unloadable stand-in for a system library (an empty file), first on the
    loader's path: as a broken or foreign copy of it would be."""
    folder.mkdir(exist_ok=True)
    (folder / soname).write_bytes(b"")
    return {"LD_LIBRARY_PATH": str(folder)}


@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs ldd")
def test_a_broken_library_of_the_xcb_plugin_is_named_not_xcb_cursor(listening, monkeypatch,
                                                                     tmp_path):
    """Not always libxcb-cursor0: the library the plugin really cannot load."""
    number = silent_display_number()
    listening(f"\0/tmp/.X11-unix/X{number}")
    for name, value in empty_library(tmp_path, "libxkbcommon-x11.so.0").items():
        monkeypatch.setenv(name, value)  # for ldd, run as a child
    said = display.display_problem({"DISPLAY": f":{number}"})
    assert said is not None and "\n" not in said
    assert f"{tmp_path}/libxkbcommon-x11.so.0 cannot be loaded (file too short" in said
    assert "apt install --reinstall libxkbcommon-x11-0" in said and "cursor" not in said


def test_qts_fatal_plugin_error_names_the_library_the_loader_refuses(tmp_path):
    """Past the probe (here: asked of Qt directly), Qt's own fatal error: the line names
    what dlopen says of the plugin, not Qt's stock "xcb-cursor0 is needed"."""
    number = silent_display_number()
    env = bare_env(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb",
                   **empty_library(tmp_path, "libxkbcommon-x11.so.0"))
    code = "from gradstudio.ui.app.start import make_app; make_app(); print('made')"
    result = subprocess.run([sys.executable, "-c", code], env=env,
                            capture_output=True, text=True, timeout=60)
    assert_one_line_about_the_display(result, "cannot open a window",
                                      "libxkbcommon-x11.so.0 cannot be loaded",
                                      "libxkbcommon-x11-0")
    assert "cursor" not in result.stderr


def test_without_a_library_name_qts_own_reason_is_given(monkeypatch):
    heard = ["qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load "
             "the Qt xcb platform plugin.",
             'qt.qpa.plugin: Could not load the Qt platform plugin "xcb" in "" even though '
             "it was found."]
    monkeypatch.setattr(display, "_dlopen_error", lambda plugin: None)
    assert display.plugin_failure(heard) == heard[1]
    monkeypatch.setattr(display, "_dlopen_error",
                        lambda plugin: "libxcb-cursor.so.0 is missing (…)")
    assert display.plugin_failure(heard) == ("Qt's X11 plugin cannot load: "
                                             "libxcb-cursor.so.0 is missing (…)")
    heard.append("qt.qpa.xcb: could not connect to display :5")
    assert display.plugin_failure(heard) == heard[2]


@pytest.mark.parametrize("soname, package", [("libEGL.so.1", "libegl1"),
                                             ("libfontconfig.so.1", "libfontconfig1")])
@pytest.mark.parametrize("command", [["export", "{example}", "{out}"], ["{example}"], []])
def test_a_library_qt_itself_needs_is_named_in_one_line(soname, package, command, tmp_path):
    """Not only the xcb plugin's: a library PySide6's own modules cannot load (import
    fails before any window): one line naming it and its package, status 2."""
    args = [a.format(example=example_path("chain_rule"), out=tmp_path / "out.png")
            for a in command]
    env = bare_env(QT_QPA_PLATFORM="offscreen", **empty_library(tmp_path / "lib", soname))
    result, _took = start(args, env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{soname} cannot be loaded" in lines[0] and package in lines[0], lines[0]
    assert not (tmp_path / "out.png").exists()


def test_without_a_display_and_a_file_the_missing_file_is_said_first(tmp_path):
    result, _took = start([str(tmp_path / "nosuch.json")], bare_env())
    assert result.returncode == 2
    assert result.stderr == f"{tmp_path / 'nosuch.json'}: cannot read: No such file or directory\n"


def test_open_in_a_notebook_says_which_library_and_starts_nothing(tmp_path):
    env = bare_env(QT_QPA_PLATFORM="offscreen",
                   **empty_library(tmp_path / "lib", "libEGL.so.1"))
    code = ("import gradstudio as gs, subprocess\n"
            "g = gs.Graph.from_formula('J = a*b')\n"
            "try:\n    p = g.open()\nexcept RuntimeError as e:\n    print(e)\n"
            "else:\n    print('started', p.wait())\n")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "libEGL.so.1 cannot be loaded" in result.stdout and "libegl1" in result.stdout
    assert "started" not in result.stdout


def test_a_wayland_socket_that_answers_passes(listening, tmp_path):
    name = f"wl-{uuid.uuid4().hex[:8]}"
    env = {"WAYLAND_DISPLAY": name, "XDG_RUNTIME_DIR": str(tmp_path)}
    said = display.display_problem(env)
    assert said is not None and f"WAYLAND_DISPLAY={name}" in said  # nothing there yet
    listening(str(tmp_path / name))
    assert display.display_problem(env) is None


def test_ldd_output_is_read_for_libraries_not_found():
    output = ("\tlinux-vdso.so.1 (0x00007ffd)\n"
              "\tlibQt6XcbQpa.so.6 => /x/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)\n"
              "\tlibxcb-cursor.so.0 => not found\n"
              "\tlibxkbcommon-x11.so.0 => not found\n")
    assert display.not_found(output) == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]


@pytest.mark.parametrize("soname, package", [
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libEGL.so.1", "libegl1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libfontconfig.so.1.12.0", "libfontconfig1"),
])
def test_debian_package_names(soname, package):
    assert display.debian_package(soname) == package


@pytest.mark.skipif(shutil.which("cc") is None or shutil.which("ldd") is None,
                    reason="needs a C compiler and ldd")
def test_ldd_names_a_library_that_is_really_missing(tmp_path):
    """A plugin stand-in linked against a library that is then deleted: ldd, as run
    for the real xcb plugin, names exactly that one."""
    (tmp_path / "gone.c").write_text("int gone(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text("int gone(void);\nint use(void) { return gone(); }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(tmp_path / "libgsgone.so.0"),
                    "-Wl,-soname,libgsgone.so.0", str(tmp_path / "gone.c")], check=True)
    (tmp_path / "libgsgone.so").symlink_to("libgsgone.so.0")
    plugin = tmp_path / "libqfake.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(plugin), str(tmp_path / "plugin.c"),
                    f"-L{tmp_path}", "-lgsgone"], check=True)
    (tmp_path / "libgsgone.so.0").unlink()
    assert display.missing_xcb_libraries(plugin) == ["libgsgone.so.0"]


def test_the_real_xcb_plugin_is_found_and_complete_here():
    plugin = display.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    assert display.missing_xcb_libraries(plugin) == []
