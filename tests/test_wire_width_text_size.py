"""Wires thicken modestly with View → Text Size (and export --text-size), so at
300 % they are not hairlines next to the big numbers: 1.4 times as wide at 200 %,
1.8 times at 300 %, measured on the drawn pixels as well as on the pen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from gui import settle
from gradstudio.ui.theme import THEME


def stroke_thickness(scene, edge) -> int:
    """How many pixels high the wire is drawn at a tenth of its way (a stretch no chip
    covers), the scene rendered at scale 1 with antialiasing, counting pixels at
    least half as dark as the wire."""
    x, y = (float(v[0]) for v in edge.spot_points((0.1,)))
    rect = QRectF(round(x), round(y) - 15, 1, 30)
    image = QImage(1, 30, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    wire = THEME.wire.lightness()
    return sum(1 for r in range(30)
               if image.pixelColor(0, r).lightness() < (255 + wire) / 2)


def test_wires_thicken_with_the_text_size(open_example, look_back):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    settle(window.scene)
    edge = window.scene.edges[("a", "v", 0)]
    width_100, drawn_100 = edge.pen().widthF(), stroke_thickness(window.scene, edge)
    window.look.act_text_size[300].trigger()
    settle(window.scene)
    edge = window.scene.edges[("a", "v", 0)]
    assert edge.pen().widthF() == pytest.approx(1.8 * width_100)
    drawn_300 = stroke_thickness(window.scene, edge)
    assert drawn_300 >= drawn_100 + 1, (drawn_100, drawn_300)
    window.look.act_text_size[200].trigger()
    assert window.scene.edges[("a", "v", 0)].pen().widthF() == pytest.approx(1.4 * width_100)
    window.look.act_text_size[100].trigger()
    assert window.scene.edges[("a", "v", 0)].pen().widthF() == pytest.approx(width_100)
    # A lit wire's half width stays inside its item's box (6 px around the curve).
    THEME.apply("high-contrast")
    THEME.set_text_scale(3.0)
    try:
        assert 3.2 * THEME.wire_line() / 2 < 6
    finally:
        THEME.set_text_scale(1.0)
        THEME.apply("light")
