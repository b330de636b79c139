"""Linux desktop integration: gradstudio in the applications menu, its icon, its file type.

`gradstudio --install-desktop` writes, for this user only (XDG_DATA_HOME, by default
~/.local/share), the files ``planned_files`` lists: a desktop entry, the icon at
several sizes, and a MIME type package. `--uninstall-desktop` removes those files
and no others. No Qt here: the PNGs were rendered once by tools/make_icon.py.

The file type: gradstudio's files are plain ``.json``, and claiming ``*.json`` would
take every JSON file from the user's editor. So the type application/x-gradstudio+json
(a kind of application/json) is recognised by the name ``*.gs.json``, which always
works, and by content, ``"format": "gradstudio"`` in the first 4 KiB, which helps only
where a file manager looks inside a ``.json`` file (most go by the name alone).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from gradstudio.resources_path import resource

APP_ID = "gradstudio"  # the .desktop file's name; the window says the same (setDesktopFileName)
MIME_TYPE = "application/x-gradstudio+json"
GLOB = "*.gs.json"
MAGIC = '"format": "gradstudio"'  # as fileformat.dumps writes it
ICON_SIZES = (48, 64, 128, 256)

#: Characters that make the Desktop Entry spec want an Exec argument quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class DesktopError(Exception):
    """A file could not be written or removed: one line for the user."""


@dataclass(frozen=True)
class Outcome:
    """What install or uninstall did: the files, and the cache tools it ran."""
    files: list[Path]
    refreshed: list[str]
    notes: list[str]

    def lines(self, verb: str) -> list[str]:
        said = [f"{verb} {path}" for path in self.files]
        said += [f"ran {command}" for command in self.refreshed]
        return said + self.notes


def data_home(environ: dict[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME when it is an absolute path (the spec ignores a relative one),
    else ~/.local/share."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    home = env.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".local" / "share"


def launch_command(python: str | None = None) -> list[str]:
    """The command that starts this installation's gradstudio: its own Python with
    ``-m gradstudio`` when the package is installed (a venv needs no activating), or
    this checkout's main.py when it is run from source without installing."""
    python = python or sys.executable
    try:
        from importlib.metadata import PackageNotFoundError, distribution
        distribution("gradstudio")
        return [python, "-m", "gradstudio"]
    except PackageNotFoundError:
        import gradstudio
        return [python, str(Path(gradstudio.__file__).resolve().parent.parent / "main.py")]


def exec_argument(arg: str) -> str:
    """One argument of an Exec= line, quoted as the Desktop Entry spec asks: in double
    quotes when it holds a reserved character, with " ` $ \\ escaped inside them; then,
    the value being a string, each backslash doubled and each % written %%."""
    if "\n" in arg or "\r" in arg:
        raise DesktopError(f"cannot put a path with a line break in a desktop entry: {arg!r}")
    if _RESERVED.intersection(arg) or not arg:
        arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    return arg.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(command: list[str]) -> str:
    exec_line = " ".join(exec_argument(a) for a in command) + " %f"
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=gradstudio",
        "GenericName=Computation Graph Editor",
        "Comment=Computation graphs for teaching derivatives and backpropagation",
        f"TryExec={command[0].replace(chr(92), chr(92) * 2)}",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "StartupNotify=true",
        f"StartupWMClass={APP_ID}",
        "Categories=Education;Math;",
        "Keywords=gradient;backpropagation;derivative;chain rule;autograd;",
        f"MimeType={MIME_TYPE};",
        "",
    ])


def mime_package() -> str:
    magic = MAGIC.replace('"', "&quot;")
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">',
        f'  <mime-type type="{MIME_TYPE}">',
        "    <comment>gradstudio computation graph</comment>",
        '    <sub-class-of type="application/json"/>',
        f'    <icon name="{APP_ID}"/>',
        f'    <glob pattern="{GLOB}" weight="60"/>',
        '    <magic priority="60">',
        f'      <match type="string" value="{magic}" offset="0:4096"/>',
        "    </magic>",
        "  </mime-type>",
        "</mime-info>",
        "",
    ])


def planned_files(home: Path, command: list[str]) -> dict[Path, bytes]:
    """Every file install writes, with its bytes: uninstall removes these and only these."""
    icons = home / "icons" / "hicolor"
    files = {
        home / "applications" / f"{APP_ID}.desktop": desktop_entry(command).encode("utf-8"),
        home / "mime" / "packages" / f"{APP_ID}.xml": mime_package().encode("utf-8"),
        icons / "scalable" / "apps" / f"{APP_ID}.svg":
            resource("icons", "gradstudio.svg").read_bytes(),
    }
    for size in ICON_SIZES:
        files[icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = \
            resource("icons", f"gradstudio-{size}.png").read_bytes()
    return files


def install(environ: dict[str, str] | None = None, python: str | None = None) -> Outcome:
    """Write the entry, the icons and the MIME package (again, if already there), then
    refresh the desktop's caches with whichever tools are installed."""
    home = data_home(environ)
    written = []
    for path, data in planned_files(home, launch_command(python)).items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)  # a desktop never reads half an entry
        except OSError as exc:
            raise DesktopError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    refreshed, notes = _refresh(home, environ)
    return Outcome(written, refreshed, notes)


def uninstall(environ: dict[str, str] | None = None) -> Outcome:
    """Remove what install wrote (whatever its Exec line), then refresh the caches."""
    home = data_home(environ)
    removed = []
    for path in planned_files(home, ["gradstudio"]):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopError(f"cannot remove {path}: {exc.strerror or exc}") from None
        removed.append(path)
    if not removed:
        return Outcome([], [], [f"nothing to remove: no gradstudio desktop files under {home}"])
    refreshed, notes = _refresh(home, environ)
    return Outcome(removed, refreshed, notes)


def _refresh(home: Path, environ) -> tuple[list[str], list[str]]:
    """Run the cache tools that are installed (none is required: without them a
    desktop finds the files at its next start or scan)."""
    env = dict(os.environ if environ is None else environ)
    jobs = [("update-desktop-database", ["-q", str(home / "applications")]),
            ("update-mime-database", [str(home / "mime")])]
    hicolor = home / "icons" / "hicolor"
    if (hicolor / "icon-theme.cache").exists():  # a stale cache would hide the new icon
        jobs.append(("gtk-update-icon-cache", ["-q", "-f", "-t", str(hicolor)]))
    refreshed, notes = [], []
    for tool, args in jobs:
        found = shutil.which(tool, path=env.get("PATH"))
        if found is None:
            continue
        command = f"{tool} {' '.join(args)}"
        try:
            result = subprocess.run([found, *args], env=env, capture_output=True, text=True,
                                    timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            notes.append(f"note: {command} did not run: {exc}")
            continue
        if result.returncode == 0:
            refreshed.append(command)
        else:
            said = (result.stderr or result.stdout).strip().splitlines()
            notes.append(f"note: {command} failed: {said[0] if said else result.returncode}")
    return refreshed, notes
