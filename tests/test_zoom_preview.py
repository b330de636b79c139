"""While the wheel turns on a big graph the view shows its last picture scaled; once
the wheel rests (or on a click) the exact picture comes back, pixel for pixel a full
repaint's. Small graphs are painted exactly at every notch, as before."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from gui import deliver_queued, move, press, release, settle
from stale_view import compare, difference, shown
from test_gui_big_refresh import open_big


def wheel(view, notches: int) -> None:
    """Turn the wheel over the middle of the canvas, one event a notch, and deliver
    what each queues (paints included) but run no timer, as a turning wheel does."""
    point = view.viewport().rect().center()
    for _ in range(abs(notches)):
        event = QWheelEvent(QPointF(point), QPointF(view.viewport().mapToGlobal(point)),
                            QPoint(0, 0), QPoint(0, 120 if notches > 0 else -120),
                            Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), event)
        deliver_queued()


@pytest.fixture
def big(window, tmp_path, qtbot):
    open_big(window, tmp_path)
    qtbot.keyClick(window.view, Qt.Key_F6)  # chips and gradients on every item
    qtbot.waitUntil(lambda: not window.scene.large.stale, timeout=20000)
    settle(window.scene)
    return window


@pytest.mark.parametrize("notches", [3, -3])
def test_the_exact_picture_comes_back_when_the_wheel_rests(big, qtbot, tmp_path, notches):
    view = big.view
    before = shown(view)
    wheel(view, notches)
    assert view.preview.active
    assert abs(view.zoom() - 1.15 ** notches) < 1e-9
    previewed = shown(view)
    assert difference(previewed, before)[0] > 0  # the picture did follow the wheel
    qtbot.waitUntil(lambda: not view.preview.active, timeout=5000)  # the wheel rests
    deliver_queued()
    assert difference(shown(view), previewed)[0] > 0  # painted again, exactly:
    assert compare(view, f"preview-{notches}", tmp_path) == (0, None)


def test_a_click_while_the_wheel_turns_paints_the_exact_picture_at_once(big, tmp_path):
    view = big.view
    wheel(view, 2)
    assert view.preview.active
    spot = view.mapToScene(QPoint(5, 5))
    press(view, spot, Qt.MiddleButton)
    release(view, spot, Qt.MiddleButton)
    assert not view.preview.active
    assert compare(view, "preview-click", tmp_path) == (0, None)


def test_a_drag_the_wheel_zoomed_into_is_drawn_as_it_goes(big, tmp_path):
    view = big.view
    start, end = view.mapToScene(QPoint(5, 5)), view.mapToScene(QPoint(200, 150))
    press(view, start)  # a rubber band over the canvas
    wheel(view, 1)
    assert view.preview.active
    move(view, end)
    assert not view.preview.active
    release(view, end)
    assert compare(view, "preview-drag", tmp_path) == (0, None)


def test_a_zoom_that_is_not_a_notch_ends_the_preview(big, tmp_path):
    view = big.view
    wheel(view, 1)
    assert view.preview.active
    view.resetTransform()  # as Fit View or the presentation's follow would
    deliver_queued()
    assert not view.preview.active
    assert compare(view, "preview-reset", tmp_path) == (0, None)


def test_a_small_graph_is_painted_exactly_at_every_notch(open_example, tmp_path):
    window = open_example("chain_rule")
    view = window.view
    settle(window.scene)
    wheel(view, 2)
    assert not view.preview.active
    assert compare(view, "small-wheel", tmp_path) == (0, None)
