"""A big graph's PNG painted in two bands by two processes (canvas/large/bands.py):
the same bytes as one painting, also when the forked copy fails or hangs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from gradstudio.core.fileformat import from_dict
from gradstudio.ui import headless
from gradstudio.ui.canvas import export
from gradstudio.ui.canvas.large import bands

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from graphgen import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="bands are painted by a forked process on Linux")


@pytest.fixture(scope="module")
def big_scene(qapp):
    """663 wires (over the policy's 600), after Backward."""
    model = from_dict(generate(400, seed=3, layout=True))
    doc, scene = headless._annotated_scene(model, None, "backward")
    assert scene.large.lazy
    return scene


@pytest.fixture
def told(monkeypatch):
    """What paint_in_two returned (whether the copy painted its band), and where the
    seam was."""
    said = []
    real = bands.paint_in_two

    def recorded(image, paint, split):
        said.append((real(image, paint, split), split, image.height()))
        return said[-1][0]

    monkeypatch.setattr(bands, "paint_in_two", recorded)
    return said


def one_painting(scene, monkeypatch, **options) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(bands, "available", lambda: False)
        assert not scene.large.splits_picture()
        return export.render_png(scene, **options)


def test_two_bands_make_the_bytes_one_painting_makes(big_scene, told, monkeypatch):
    assert big_scene.large.splits_picture()  # offscreen, on Linux, 663 wires
    split = export.render_png(big_scene)
    assert told and told[0][0], "the forked copy painted the lower band"
    _, seam, height = told[0]
    assert 0 < seam < height
    assert split == one_painting(big_scene, monkeypatch)
    image = QImage.fromData(split)
    assert not image.isNull() and image.height() == height


def test_a_transparent_picture_at_twice_the_size_too(big_scene, told, monkeypatch):
    split = export.render_png(big_scene, scale=2, transparent=True)
    assert told[0][0]
    assert split == one_painting(big_scene, monkeypatch, scale=2, transparent=True)


def test_a_copy_that_fails_leaves_its_band_to_this_process(big_scene, told, monkeypatch):
    me = os.getpid()
    real = export._paint_rows

    def half_then_fail(scene, image, transform, background, top, bottom):
        if os.getpid() != me:  # the copy: paints part of its band, then fails
            real(scene, image, transform, background, top, (top + bottom) // 2)
            raise RuntimeError("the copy fails")
        real(scene, image, transform, background, top, bottom)

    monkeypatch.setattr(export, "_paint_rows", half_then_fail)
    split = export.render_png(big_scene)
    assert told[0][0] is False
    monkeypatch.setattr(export, "_paint_rows", real)
    assert split == one_painting(big_scene, monkeypatch)


def test_a_copy_that_hangs_is_stopped_and_its_band_painted_here(big_scene, told, monkeypatch):
    me = os.getpid()
    real = export._paint_rows
    monkeypatch.setattr(bands, "LEAST_WAIT", 0.3)
    monkeypatch.setattr(bands, "PATIENCE", 0.0)

    def hang(scene, image, transform, background, top, bottom):
        if os.getpid() != me:
            import time
            time.sleep(60)
        real(scene, image, transform, background, top, bottom)

    monkeypatch.setattr(export, "_paint_rows", hang)
    split = export.render_png(big_scene)
    assert told[0][0] is False
    monkeypatch.setattr(export, "_paint_rows", real)
    assert split == one_painting(big_scene, monkeypatch)


def test_a_graph_people_teach_with_is_painted_once(qapp, told):
    from conftest import load_example
    doc, scene = headless._annotated_scene(load_example("tanh_neuron"), None, "backward")
    assert not scene.large.splits_picture()
    assert QImage.fromData(export.render_png(scene)).width() > 100
    assert told == []


def test_the_seam_halves_the_items_not_the_picture():
    import numpy as np
    rows = np.array([10.0, 20, 30, 40, 900])
    assert bands.seam(rows, 1000) == 30
    assert bands.seam(np.array([]), 1000) == 500
    assert bands.seam(np.array([-5.0, 2000]), 1000) == 500  # none inside: the middle
    assert 1 <= bands.seam(np.array([0.0, 0, 0]), 1000) <= 999  # never an empty band
