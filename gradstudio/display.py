"""Can a window be opened here? Asked before Qt is, because Qt's answer is an abort.

Without a display (or with a DISPLAY nothing answers on, or an X11 plugin that cannot
load for a missing system library) constructing the QApplication calls qFatal: a core
dump and status 134 after a few lines a newcomer cannot act on. ``display_problem()``
looks first, with no Qt: the environment, a connection to the display's socket, and
``ldd`` on Qt's xcb plugin, and returns the one line to say instead (None: go ahead).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ADVICE = ("`gradstudio export FILE OUT.png` works without one; "
          "set QT_QPA_PLATFORM=offscreen only for scripts")
#: Platforms that need no display server: trusted as asked for.
_WINDOWLESS = {"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs",
               "vkkhrdisplay"}
_TIMEOUT = 1.0  # seconds for a TCP display; a local socket answers at once


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """The one line that says why no window can open here, or None when one can."""
    if sys.platform == "darwin" or sys.platform.startswith(("win", "cygwin")):
        return None  # Qt's cocoa and windows platforms need no display server
    env = os.environ if environ is None else environ
    wanted = _platforms(env.get("QT_QPA_PLATFORM", ""))
    if wanted and not wanted <= {"xcb", "wayland"}:
        return None  # offscreen, vnc, eglfs, ...: nothing to probe
    wanted = wanted or {"xcb", "wayland"}
    x_display = env.get("DISPLAY", "").strip()
    w_display = env.get("WAYLAND_DISPLAY", "").strip()
    if "wayland" in wanted and w_display and _wayland_answers(w_display, env):
        return None
    if "xcb" in wanted and x_display:
        if not x_server_answers(x_display):
            return (f"gradstudio: no X server answers on DISPLAY={x_display}, so no window "
                    f"can open; {ADVICE}")
        problem = xcb_library_problem()
        if problem is not None:
            return f"gradstudio: Qt's X11 plugin cannot load: {problem}; {ADVICE}"
        return None
    if w_display and "wayland" in wanted:
        return (f"gradstudio: no Wayland compositor answers on WAYLAND_DISPLAY={w_display}, "
                f"so no window can open; {ADVICE}")
    unset = [n for n, v in (("DISPLAY", x_display), ("WAYLAND_DISPLAY", w_display)) if not v]
    why = " and ".join(unset) + (" are" if len(unset) > 1 else " is") + " not set"
    return f"gradstudio: no display ({why}), so no window can open; {ADVICE}"


def _platforms(value: str) -> set[str]:
    """QT_QPA_PLATFORM's candidates, e.g. "wayland;xcb" or "xcb:option=1"."""
    names = {part.split(":")[0].strip().lower() for part in value.split(";")}
    return {"wayland" if n.startswith("wayland") else n for n in names if n}


def x_server_answers(display: str) -> bool:
    """Whether something accepts a connection where DISPLAY points (as libxcb looks:
    the abstract and the file socket for a local display, TCP 6000+N for host:N)."""
    match = re.fullmatch(r"(?:(?P<host>.*?)(?:/unix)?):(?P<number>\d+)(?:\.\d+)?", display)
    if match is None:
        return False
    host, number = match["host"], int(match["number"])
    if host.startswith("/"):  # a socket path (XQuartz's launchd form)
        return _unix_answers(host) or _unix_answers(display)
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        if _unix_answers("\0" + path) or _unix_answers(path):
            return True
        if host == "unix":
            return False
        host = "localhost"
    try:
        with socket.create_connection((host, 6000 + number), timeout=_TIMEOUT):
            return True
    except OSError:
        return False


def _wayland_answers(name: str, env) -> bool:
    path = name if name.startswith("/") else os.path.join(env.get("XDG_RUNTIME_DIR", ""), name)
    return bool(env.get("XDG_RUNTIME_DIR") or name.startswith("/")) and _unix_answers(path)


def _unix_answers(address: str) -> bool:
    if not address.startswith("\0") and not os.path.exists(address):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(_TIMEOUT)
        try:
            sock.connect(address)
            return True
        except OSError:
            return False


def xcb_plugin() -> Path | None:
    """PySide6's Qt xcb platform plugin, found without importing PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        for sub in ("Qt/plugins", "plugins"):
            plugin = Path(base) / sub / "platforms" / "libqxcb.so"
            if plugin.exists():
                return plugin
    return None


def missing_xcb_libraries(plugin: Path | None = None) -> list[str]:
    """The shared libraries the xcb plugin needs and the system lacks, by ``ldd``
    (about 20 ms; nothing is loaded into this process). Empty when all are there,
    or when there is no plugin or no ldd to ask."""
    return not_found(_ldd(plugin)[0])


def xcb_library_problem(plugin: Path | None = None) -> str | None:
    """What keeps the xcb plugin from loading, by ``ldd``: a library not found, or one
    found but unloadable (an empty or foreign file, the loader's reason); None when
    ldd sees nothing wrong (or cannot be asked)."""
    out, err = _ldd(plugin)
    missing = not_found(out)
    if missing:
        return f"{missing[0]} is missing ({install_hint(missing[0])})"
    failed = [line for line in (out + "\n" + err).splitlines()
              if "error while loading shared libraries" in line]
    return loader_error(failed[0]) if failed else None


def _ldd(plugin: Path | None) -> tuple[str, str]:
    plugin = plugin or xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return "", ""
    try:
        result = subprocess.run([ldd, str(plugin)], capture_output=True, text=True,
                                timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "", ""
    return result.stdout, result.stderr


def not_found(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as "not found", in its order."""
    return [m[1] for m in re.finditer(r"^\s*(\S+)\s+=>\s+not found", ldd_output, re.M)]


#: The dynamic loader's words for a library it could not load (dlopen, ld.so, ldd).
_LOADER_ERROR = re.compile(
    r"(?P<path>[^\s:]*?(?P<soname>lib[\w.+-]*?\.so(?:\.\d+)*)): (?P<why>[^\n]+)")


def loader_error(text: str) -> str | None:
    """"libEGL.so.1 is missing (Debian/Ubuntu: sudo apt install libegl1)" from the
    loader's message about a shared library (an ImportError of PySide6, ldd's or
    dlopen's error), or None when the text names no library."""
    text = (text or "").rsplit("error while loading shared libraries:", 1)[-1]
    match = _LOADER_ERROR.search(text)
    if match is None:
        return None
    soname, path, why = match["soname"], match["path"], match["why"].strip()
    if "cannot open shared object file" in why and "No such file" in why:
        return f"{soname} is missing ({install_hint(soname)})"
    return f"{path} cannot be loaded ({why}; {install_hint(soname, again=True)})"


def install_hint(soname: str, again: bool = False) -> str:
    return (f"Debian/Ubuntu: sudo apt install {'--reinstall ' if again else ''}"
            f"{debian_package(soname)}")


def qt_library_problem(error: BaseException) -> str | None:
    """The one line for an ImportError of PySide6 caused by a system library Qt needs
    (libEGL, libGL, libfontconfig, libxkbcommon, libdbus, ...), or None when the
    error is something else."""
    said = loader_error(str(error)) if isinstance(error, ImportError) else None
    if said is None:
        return None
    return f"gradstudio: Qt cannot start: {said}"


def qt_import_problem(timeout: float = 30) -> str | None:
    """Whether Qt's modules load here, asked of a quick child process (nothing is
    loaded into this one): the one line of qt_library_problem, else None."""
    code = ("try:\n import PySide6.QtGui, PySide6.QtWidgets\n"
            "except ImportError as e:\n print(e)")
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                                text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    said = result.stdout.strip()
    return qt_library_problem(ImportError(said)) if said else None


def plugin_failure(heard: list[str]) -> str:
    """Why Qt's platform plugin could not start, for the one line after Qt's fatal
    error: the library the xcb plugin cannot load (asked of the dynamic loader), else
    Qt's own reason. Qt says "xcb-cursor0 ... is needed" whatever the library at
    fault, so that line is passed on only when nothing better is known."""
    display_said = [m for m in heard if "display" in m]
    if display_said:
        return display_said[0].strip().splitlines()[0]
    plugin = xcb_plugin()
    if plugin is not None and any("xcb" in m for m in heard):
        said = _dlopen_error(plugin)
        if said is not None:
            return f"Qt's X11 plugin cannot load: {said}"
    reasons = [m for m in heard if "xcb-cursor0" not in m] or heard
    return reasons[0].strip().splitlines()[0] if reasons else "Qt could not start"


def _dlopen_error(plugin: Path) -> str | None:
    import ctypes
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        return loader_error(str(exc))
    return None


def debian_package(soname: str) -> str:
    """Debian's package name for a library: libxcb-cursor.so.0 -> libxcb-cursor0,
    libxkbcommon-x11.so.0 -> libxkbcommon-x11-0, libEGL.so.1 -> libegl1."""
    if soname in _PACKAGES:
        return _PACKAGES[soname]
    match = re.fullmatch(r"(.+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if match is None:
        return soname
    name, major = match[1].lower(), match[2]
    return f"{name}-{major}" if name[-1].isdigit() else f"{name}{major}"


#: Libraries whose Debian package is not named by the rule above.
_PACKAGES = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
             "libgobject-2.0.so.0": "libglib2.0-0", "libz.so.1": "zlib1g"}
