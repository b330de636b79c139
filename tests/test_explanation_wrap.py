"""The Explanation panel wraps a step's working between its terms, never inside a
derivative: at 300 % in a 1,280 × 720 window a lecturer read "∂o/" at the end of
one line and "∂x1w1" at the start of the next. Measured on the laid-out lines of the
panel's text, after real F7/F8 presses."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")

DERIVATIVE = re.compile("∂[^\\s/]+/\u2060?∂[^\\s·=×]+")


def test_a_derivative_is_never_cut_at_its_slash(open_example, qtbot):
    window = open_example("tanh_neuron")
    window.resize(1280, 700)
    window.look.act_text_size[300].trigger()
    settle()
    panel = window.stepping.panel
    while window.stepping.stepper.step_forward():
        pass
    for _ in range(6):
        QTest.keyClick(window, Qt.Key_F8)
    settle()
    wrapped = 0
    block = panel.view.document().begin()
    while block.isValid():
        text, layout = block.text(), block.layout()
        ends = [layout.lineAt(i).textStart() for i in range(1, layout.lineCount())]
        wrapped += len(ends)
        for match in DERIVATIVE.finditer(text):
            inside = [e for e in ends if match.start() < e < match.end()]
            assert not inside, (match.group(), [text[:e][-12:] for e in inside])
        block = block.next()
    assert wrapped >= 3  # the panel is narrow at 300 %: its lines do wrap
    # The panel's text reads as written (no joiners in it), "∂o/∂x1w1" whole.
    assert "\u2060" not in panel.text() and "∂o/∂x1w1" in panel.text()
