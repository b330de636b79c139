"""A value chip is a patch of canvas colour in a faint frame, filled in whole device
pixels with opaque colours (a translucent pen was most of a big graph's repaint in a
presentation). Checked on a grab of the view at a zoom where the chips' edges fall
between pixels: the frame's pixels are the frame's colour as it looks over the patch,
the patch's inside is the canvas colour."""

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from gradstudio.ui.canvas.items.edge import ChipItem
from gradstudio.ui.theme import THEME
from gui import settle


def close(a: QColor, b: QColor, tol: int = 2) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3]))


@pytest.mark.parametrize("zoom", [1.0, 0.58, 1.37])
def test_a_value_chip_has_its_frame_on_whole_pixels(window, open_example, zoom):
    open_example("chain_rule")
    window.act_backward.trigger()
    view = window.view
    view.resetTransform()
    view.scale(zoom, zoom)
    chip = window.scene.edges[("v", "J", 0)].above
    view.centerOn(chip)
    settle()
    image = view.viewport().grab().toImage()
    box = view.mapFromScene(chip.sceneBoundingRect()).boundingRect()
    frame, fill = ChipItem.patch_frame(), QColor(THEME.chip_fill)
    assert not close(frame, fill, 8)  # (the two told apart)
    # Along the top edge, away from the corners: a frame pixel in the top row or two
    # the box reaches (rounding), the patch's colour two pixels further in.
    column = box.center().x()
    top_rows = [QColor(image.pixel(QPoint(column, y))) for y in (box.top(), box.top() + 1)]
    assert any(close(c, frame) for c in top_rows), [c.name() for c in top_rows]
    inside = QColor(image.pixel(QPoint(box.left() + 3, box.top() + 3)))
    assert close(inside, fill), inside.name()
