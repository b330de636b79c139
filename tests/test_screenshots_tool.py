"""tools/make_screenshots.py keeps working: one of its pictures made for real, and the
pictures it makes are the ones in docs/images/."""

import importlib.util
import re
from pathlib import Path

from PySide6.QtGui import QImage

import gradstudio as gs

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


def test_teaching_pictures(tmp_path, qapp, settings_dir):
    """A deck's page read back from the PDF, and the clipboard's picture of a selection."""
    tool = _tool()
    assert tool.main(["--out", str(tmp_path), "--only", "deck_page", "copy_image"]) == 0
    page = QImage(str(tmp_path / "deck_page.png"))
    assert (page.width(), page.height()) == (1280, 720)  # a 16:9 slide
    # The graph above, the step's text in the band under it: dark ink in both halves.
    ink = [y for y in range(0, 720, 2) for x in range(0, 1280, 4)
           if page.pixelColor(x, y).lightness() < 100]
    assert min(ink) < 360 < max(ink)
    copied = QImage(str(tmp_path / "copy_image.png"))
    # The three selected nodes at 2x: not the whole neuron's five rows of inputs.
    whole = QImage.fromData(gs.load(ROOT / "resources" / "examples" / "tanh_neuron.json")
                            .png(scale=2, after="backward"))
    assert 400 < copied.height() < whole.height() / 2
    assert copied.width() < whole.width()
    colours = {copied.pixel(x, y) for x in range(0, copied.width(), 5)
               for y in range(0, copied.height(), 5)}
    assert len(colours) > 30


def _linked_pictures(text: str, prefix: str) -> set[str]:
    return set(re.findall(re.escape(prefix) + r"([\w.-]+\.png)", text))


def test_pictures_are_the_ones_in_docs():
    """The tool makes every picture in docs/images, each shown in the README or a
    docs page, and every picture those link to is there."""
    tool = _tool()
    made = {f"{name}.png" for name in tool.PICTURES}
    there = {p.name for p in (ROOT / "docs" / "images").glob("*.png")}
    assert made == there
    linked = _linked_pictures((ROOT / "README.md").read_text(encoding="utf-8"), "docs/images/")
    for page in (ROOT / "docs").glob("*.md"):
        linked |= _linked_pictures(page.read_text(encoding="utf-8"), "images/")
    assert linked == made


def test_teaching_a_class_shows_each_feature():
    """README's Teaching a class: a picture for decks, Copy Image, presenting and quizzes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Teaching a class", 1)[1].split("\n## ", 1)[0]
    for picture in ("deck_page", "copy_image", "window_present", "window_quiz",
                    "quiz_worksheet"):
        assert f"](docs/images/{picture}.png)" in section
