"""The Paths, Forward mode and Check panels show all of their controls and texts
at every text size in the default window, each tab brought up with a click on it.

A lecturer at 300 % saw the Paths panel's right edge under its scroll bar (the
picker's arrow and the end of each path cut off) and Forward mode's sentences
drawn over each other (that panel did not scroll, so it was squeezed into its dock).
Checked on what is laid out: every control inside the part of the panel in sight,
the texts one under another.
"""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QScrollArea, QTabBar, QWidget

from gui import backward_at_text_size, settle

pytestmark = pytest.mark.usefixtures("look_back")

TABS = {"check": "Check", "paths": "Paths", "forward_mode": "Forward"}


def bring_up(window, name: str) -> None:
    """A click on the dock's tab under the right column."""
    dock = window.docks[name]
    for bar in window.findChildren(QTabBar):
        for i in range(bar.count()):
            if bar.tabText(i).startswith(TABS[name]) and bar.isVisible():
                QTest.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(i).center())
                settle()
                assert dock.visibleRegion().boundingRect().width() > 0
                return
    raise AssertionError(f"no tab for {name}")


def in_panel(area: QScrollArea, widget: QWidget) -> QRect:
    """The widget's rectangle in the scroll area's viewport."""
    top_left = widget.mapTo(area.viewport(), QPoint(0, 0))
    return QRect(top_left, widget.size())


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_no_panel_is_cut_at_the_right_or_drawn_over_itself(window, open_example, percent):
    backward_at_text_size(window, open_example, "tanh_neuron", percent)
    settle()
    for name in TABS:
        bring_up(window, name)
        area = window.docks[name].widget()
        assert isinstance(area, QScrollArea), name  # scrolls up and down, never squeezed
        room = area.viewport().width()
        panel = area.widget()
        assert panel.width() <= room, (name, panel.width(), room)
        shown = [w for w in panel.findChildren(QWidget)
                 if w.isVisible() and w.parentWidget() is panel]
        assert shown
        for widget in shown:
            rect = in_panel(area, widget)
            assert rect.left() >= 0 and rect.right() < room, (name, type(widget).__name__, rect)
        labels = sorted((in_panel(area, w) for w in shown if isinstance(w, QLabel)
                         and w.text()), key=QRect.top)
        for upper, lower in zip(labels, labels[1:]):
            if upper.left() < lower.right() and lower.left() < upper.right():
                assert upper.bottom() < lower.top(), (name, upper, lower)  # not drawn over
