"""The side panels across View → Text Size changes: their title bars drawn whole,
their widths back at 100 %, every op of the Nodes palette in sight at 200 %.

Pixels are read where the window system keeps them (``grabWindow``: what is on
the screen, no fresh paint) and compared with a fresh paint of the same window.
"""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget

from gui import settle


pytestmark = pytest.mark.usefixtures("look_back")


def on_screen(window) -> QImage:
    """The window's pixels as the window system holds them."""
    return window.screen().grabWindow(window.winId()).toImage().convertToFormat(
        QImage.Format_RGB32)


def repainted(window) -> QImage:
    return window.grab().toImage().convertToFormat(QImage.Format_RGB32)


def shown_docks(window) -> list[QDockWidget]:
    """The docks in sight (a tab group's hidden tabs are parked outside the window)."""
    return [d for d in window.findChildren(QDockWidget)
            if d.isVisible() and window.rect().intersects(d.geometry())]


def differing_docks(window) -> dict[str, int]:
    """Per dock in sight, how many pixels differ from a fresh paint of the window."""
    held, fresh = on_screen(window), repainted(window)
    assert held.size() == fresh.size()
    bad = {}
    for dock in shown_docks(window):
        rect = QRect(dock.mapTo(window, QPoint(0, 0)), dock.size())
        count = sum(held.pixel(x, y) != fresh.pixel(x, y)
                    for y in range(rect.top(), rect.bottom() + 1)
                    for x in range(rect.left(), rect.right() + 1, 2))
        if count:
            bad[dock.objectName()] = count
    return bad


def test_dock_titles_are_drawn_whole_after_each_text_size_change(open_example):
    """Properties and Explanation were drawn sliced (200 %) or cut in half (back to
    100 %): their title bars were painted before the taller or shorter title was laid
    out, and only the strip the content left was painted again."""
    window = open_example("chain_rule")
    settle()
    for percent in (200, 100, 300, 125, 200, 100):
        window.look.act_text_size[percent].trigger()
        settle()
        assert differing_docks(window) == {}, f"{percent} %: panels not as a repaint"
        for dock in shown_docks(window):
            # The title bar is as tall as its font needs, the contents below it.
            content = dock.widget().geometry()
            assert content.top() >= dock.fontMetrics().height(), dock.objectName()


def right_edge_of_canvas(window) -> int:
    view = window.view
    return view.mapTo(window, QPoint(view.width(), 0)).x()


def test_back_at_100_the_panels_have_their_100_width_again(open_example):
    window = open_example("chain_rule")
    settle()
    widths = {d.objectName(): d.width() for d in shown_docks(window)}
    canvas = right_edge_of_canvas(window)
    for percent in (200, 100, 300, 100):
        window.look.act_text_size[percent].trigger()
        settle()
    assert {d.objectName(): d.width() for d in shown_docks(window)} == widths
    assert right_edge_of_canvas(window) == canvas


def test_a_panel_width_chosen_at_100_is_kept_across_a_bigger_size(open_example):
    window = open_example("chain_rule")
    settle()
    properties = window.findChild(QDockWidget, "properties")
    window.resizeDocks([properties], [properties.width() + 40], Qt.Horizontal)
    settle()
    chosen = properties.width()
    window.look.act_text_size[200].trigger()
    settle()
    window.look.act_text_size[100].trigger()
    settle()
    assert properties.width() == chosen

