"""A node draws its ports at rest as filled paths (the rings' discs, then the fills'
discs; the first input's with the output's), not as two ellipses a port, each through
its own Python call: the same pixels at any zoom and offset. A hovered or highlighted
port is drawn on its own, as before."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QTransform

from gradstudio.ui.canvas.items.node import NodeItem
from gradstudio.ui.theme import THEME


class Counting:
    """A painter that counts the ellipses drawn through it."""

    def __init__(self, painter) -> None:
        self.painter, self.ellipses = painter, 0

    def drawEllipse(self, *args):
        self.ellipses += 1
        return self.painter.drawEllipse(*args)

    def __getattr__(self, name):
        return getattr(self.painter, name)


def painted(node, per_port: bool, offset=(0.3, 0.7), zoom=0.58):
    """The node painted on a white image; ``per_port``: each port drawn on its own,
    as before. Also how many ellipses were drawn."""
    image = QImage(260, 120, QImage.Format_RGB32)
    image.fill(Qt.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    painter.setWorldTransform(QTransform(zoom, 0, 0, zoom, 20 + offset[0], 20 + offset[1]))
    counting = Counting(painter)
    if per_port:
        node._draw_ports = lambda p: [port.draw(p) for port in (*node.inputs, node.output)]
    try:
        node.paint(counting, None)
    finally:
        node.__dict__.pop("_draw_ports", None)
    painter.end()
    return image, counting.ellipses


@pytest.mark.parametrize("line", [1.0, 2.0])  # (high contrast draws thicker rings)
@pytest.mark.parametrize("inputs", [0, 1, 2])
def test_ports_at_rest_are_paths_with_the_same_pixels(qapp, line, inputs):
    old_line, THEME.line = THEME.line, line
    try:
        node = NodeItem("u", inputs, inputs == 0)
        node.set_texts(title="u", symbol="×", value_text="= 6", value_pending=False,
                       grad_text="∂ = 3", is_output=False, error=False)
        for zoom in (0.2, 0.25, 0.33, 0.4, 0.5, 0.58, 0.7, 0.85, 1.0, 1.3, 2.0):
            for offset in ((0.0, 0.0), (0.3, 0.7), (0.5, 0.25), (0.9, 0.45)):
                new, ellipses = painted(node, False, offset, zoom)
                old, _ = painted(node, True, offset, zoom)
                assert ellipses == 0  # before: two per port
                assert new == old, (offset, zoom)
    finally:
        THEME.line = old_line


def test_a_hovered_port_is_drawn_big_on_its_own(qapp):
    node = NodeItem("u", 2, False)
    port = node.inputs[1]
    port.hovered = True
    new, ellipses = painted(node, False)
    old, _ = painted(node, True)
    assert ellipses == 2 * 3  # each port on its own, the hovered one bigger
    assert new == old
