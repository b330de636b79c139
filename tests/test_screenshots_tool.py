"""tools/make_screenshots.py keeps working: one of its pictures made for real, and the
pictures it makes are the ones in docs/images/."""

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("make_screenshots",
                                                  ROOT / "tools" / "make_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_window_picture(tmp_path, qapp, settings_dir):
    tool = _tool()
    assert tool.main(["--out", str(tmp_path), "--only", "window_step_backward"]) == 0
    out = tmp_path / "window_step_backward.png"
    assert out.stat().st_size > 10_000
    image = QImage(str(out))
    assert (image.width(), image.height()) == tool.WINDOW_SIZE
    # Not a blank grab: the window's chrome, canvas and text give many colours.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 50
    # The tool's own settings folder and names are gone again.
    assert qapp.organizationName() == "gradstudio-tests"


def test_pictures_are_the_ones_in_docs():
    tool = _tool()
    made = {f"{name}.png" for name in tool.PICTURES}
    there = {p.name for p in (ROOT / "docs" / "images").glob("*.png")}
    assert made == there
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"docs/images/{name}" in readme for name in made)
