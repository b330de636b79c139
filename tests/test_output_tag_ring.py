"""The output's "output" tag stays whole above the ring a step draws round its box.

At tanh_neuron's step 5 (Forward: o) the ring, 4 px past the box, covered the word's
lower edge (a lecturer under a real X window)."""

from __future__ import annotations

from gui import settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtTest import QTest

from gradstudio.ui.canvas.items.node import RING_REACH


def tag(node) -> tuple[float, float]:
    """Where the drawn word "output" starts and ends, down, in the node's coordinates."""
    for point, static, font, _colour in node.laid_out():
        if static.text() == "output":
            return point.y(), point.y() + QFontMetricsF(font).height()
    raise AssertionError("no output tag")


def test_the_tag_rises_above_the_ring_of_the_outputs_step_and_comes_back(open_example):
    window = open_example("tanh_neuron")
    output = window.scene.nodes["o"]
    assert tag(output)[1] == -2  # just above the box, as before
    for _ in range(10):
        QTest.keyClick(window.view, Qt.Key_F7)  # Step Forward, to o's step
        settle()
        if output.active:
            break
    assert output.active
    top, bottom = tag(output)
    assert bottom <= -RING_REACH - 1  # clear of the ring (-2 before)
    assert output.boundingRect().top() <= top  # repainted whole where it moved
    QTest.keyClick(window.view, Qt.Key_F8)  # the next step, Backward: o's ring goes
    settle()
    assert not output.active and tag(output)[1] == -2
