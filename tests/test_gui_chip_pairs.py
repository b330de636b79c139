"""A wire's pair of chips reads as one: stacked at one point of the wire (value on
it, gradient under it) the two chips meet on the wire, with no sliver of wire drawn
between them (a tester saw it as a stray dash); on two wires between the same
nodes (a·a) each pair sits side by side on its own wire's outer side, one pair
standing on the upper wire, the other hanging under the lower one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from gui import settle
from gradstudio.core.chipways import PAIRS, SPOTS
from gradstudio.core.chiprule import violations
from gradstudio.ui.canvas.geometry import drawn_geometry
from gradstudio.ui.theme import THEME


def render(scene, rect: QRectF, scale: int = 4) -> QImage:
    image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def wire_like(color: QColor) -> bool:
    wire = THEME.wire
    return (abs(color.red() - wire.red()) < 40 and abs(color.green() - wire.green()) < 40
            and abs(color.blue() - wire.blue()) < 40 and color.lightness() < 170)


@pytest.mark.parametrize("name", ["chain_rule", "colah_paths", "tanh_neuron"])
def test_a_stacked_pair_meets_on_its_wire_with_no_wire_drawn_between(open_example, name):
    window = open_example(name)
    window.act_backward.trigger()
    settle(window.scene)
    scene, stacked = window.scene, 0
    for key, edge in scene.edges.items():
        above, below = edge.above, edge.below
        if not (isinstance(above.spot, int) and above.spot == below.spot
                and above.spot < PAIRS * len(SPOTS)):
            continue
        stacked += 1
        a, b = above.sceneBoundingRect(), below.sceneBoundingRect()
        assert 0 <= b.top() - a.bottom() <= 0.05, key  # they meet
        # Drawn: along the joint, under both chips, no pixel of the wire's colour.
        # (Inside the gradient chip's rounded corners, where the wire may leave the pair.)
        left, right = max(a.left(), b.left()) + 5, min(a.right(), b.right()) - 5
        joint = QRectF(left, a.bottom() - 1.5, right - left, 3.0)
        image = render(scene, joint)
        dark = [(x, y) for x in range(image.width()) for y in range(image.height())
                if wire_like(image.pixelColor(x, y))]
        assert not dark, (key, dark[:5])
    assert stacked >= 3, name
    assert violations(drawn_geometry(scene)) == []


def test_the_two_wires_of_a_times_a_each_carry_their_pair_side_by_side(open_example, tmp_path):
    window = open_example("square")
    window.act_backward.trigger()
    settle(window.scene)
    scene = window.scene
    upper, lower = scene.edges[("a", "sq", 0)], scene.edges[("a", "sq", 1)]
    for edge, stands in ((upper, True), (lower, False)):
        a, b = edge.above.sceneBoundingRect(), edge.below.sceneBoundingRect()
        # Value then gradient, side by side, a hair apart, level with each other on
        # the wire (standing: bottoms level; hanging: tops level).
        assert 0 <= b.left() - a.right() <= 4, edge.edge
        if stands:
            assert abs(a.bottom() - b.bottom()) < 0.01
        else:
            assert abs(a.top() - b.top()) < 0.01
        # Each chip touches its own wire, and the other wire passes on its far side.
        own, other = edge, lower if edge is upper else upper
        for rect in (a, b):
            assert _distance(rect, own.samples()) < 2.5, edge.edge
            assert _distance(rect, other.samples()) >= 6.0, edge.edge
            y_own, y_other = _wire_y(own, rect.center().x()), _wire_y(other, rect.center().x())
            if stands:
                assert rect.bottom() <= y_own + 1 and y_other > y_own
            else:
                assert rect.top() >= y_own - 1 and y_other < y_own
    assert violations(drawn_geometry(scene)) == []
    window.view.viewport().grab().save(str(tmp_path / "square.png"))


def _wire_y(edge, x: float) -> float:
    samples = edge.samples()
    k = abs(samples[:, 0] - x).argmin()
    return float(samples[k, 1])


def _distance(rect: QRectF, points) -> float:
    import numpy as np
    dx = np.maximum(np.maximum(rect.left() - points[:, 0], points[:, 0] - rect.right()), 0)
    dy = np.maximum(np.maximum(rect.top() - points[:, 1], points[:, 1] - rect.bottom()), 0)
    return float(np.hypot(dx, dy).min())


@pytest.mark.parametrize("name", ["chain_rule", "square", "colah_paths", "tanh_neuron",
                                  "logistic_neuron"])
def test_a_leader_line_is_drawn_only_for_a_chip_away_from_its_wire(open_example, name):
    window = open_example(name)
    window.act_backward.trigger()
    settle(window.scene)
    for key, edge in window.scene.edges.items():
        for chip in (edge.above, edge.below):
            if not chip.isVisible():
                continue
            away = _distance(chip.sceneBoundingRect(), edge.samples())
            leader = chip.leader_line()
            if leader is None:
                assert away <= 2.5, (key, away)  # on its wire: no line
            else:
                assert away > 2.5, (key, away)  # a line only to bridge a real gap
