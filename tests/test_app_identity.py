"""The window tells the desktop who it is: application name, desktop file name (the
task bar's match for gradstudio.desktop) and icon (issue 14, part 4)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QColor, QGuiApplication

from gradstudio.resources_path import resource
from gradstudio.ui.app.start import ICON_SIZES, make_app
from gradstudio.ui.app.window import MainWindow


def test_make_app_names_the_application_and_its_desktop_file(qapp, settings_dir):
    app = make_app()
    assert app is qapp
    assert app.applicationName() == "gradstudio"
    assert QGuiApplication.desktopFileName() == "gradstudio"  # gradstudio.desktop


def test_the_icon_is_set_at_every_size_and_looks_like_the_design(qapp, qtbot, settings_dir):
    make_app()
    icon = QGuiApplication.windowIcon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(ICON_SIZES)
    # The design (resources/icons/gradstudio.svg): a dark rounded square, the output
    # node's light disc at (182, 128) of 256, transparent corners.
    svg = ET.parse(resource("icons", "gradstudio.svg")).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    ground = svg.find(f"{ns}rect").get("fill")
    output = [c for c in svg.iter(f"{ns}circle") if c.get("cx") == "182"][0]
    image = icon.pixmap(256, 256).toImage()
    assert image.width() == 256

    def near(pixel: QColor, hex_colour: str) -> bool:
        want = QColor(hex_colour)
        return max(abs(pixel.red() - want.red()), abs(pixel.green() - want.green()),
                   abs(pixel.blue() - want.blue())) <= 3 and pixel.alpha() == 255
    assert near(image.pixelColor(182, 128), output.get("fill"))
    assert near(image.pixelColor(30, 230), ground)
    assert image.pixelColor(1, 1).alpha() == 0

    window = MainWindow()
    qtbot.addWidget(window)
    assert window.windowIcon().cacheKey() == icon.cacheKey()


@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_png_is_the_size_its_name_says(size):
    data = resource("icons", f"gradstudio-{size}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (size, size)


X_TOOLS = ("Xvfb", "xdotool")


@pytest.mark.skipif(any(shutil.which(t) is None for t in X_TOOLS)
                    and not os.environ.get("CI"), reason="needs Xvfb and xdotool")
def test_on_x11_the_window_class_is_the_desktop_entrys_startup_wm_class(tmp_path):
    """The task bar pairs a window with gradstudio.desktop by its X11 class
    (StartupWMClass=gradstudio); the window also carries its icon (_NET_WM_ICON)."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    app = None
    try:
        with os.fdopen(read) as pipe:
            display_name = ":" + pipe.readline().strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update(DISPLAY=display_name, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path),
                   XDG_CONFIG_HOME=str(tmp_path / "config"),
                   XDG_DATA_HOME=str(tmp_path / "data"), XDG_RUNTIME_DIR=str(tmp_path))
        app = subprocess.Popen([sys.executable, "-m", "gradstudio"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--class",
                                "gradstudio"], env=env, capture_output=True, text=True,
                               timeout=60)
        assert found.returncode == 0 and found.stdout.split(), found.stderr
        window = found.stdout.split()[0]
        named = subprocess.run(["xdotool", "getwindowname", window], env=env,
                               capture_output=True, text=True, timeout=20)
        assert named.stdout.strip().endswith("— gradstudio")
        if shutil.which("xprop"):
            icon = subprocess.run(["xprop", "-id", window, "WM_CLASS", "_NET_WM_ICON"],
                                  env=env, capture_output=True, text=True, timeout=20).stdout
            assert 'WM_CLASS(STRING) = ' in icon and icon.split("\n")[0].endswith('"gradstudio"')
            assert "Icon (48 x 48)" in icon and "Icon (128 x 128)" in icon
    finally:
        if app is not None:
            app.kill()
            app.wait()
        server.terminate()
        server.wait(timeout=10)
