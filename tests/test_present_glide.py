"""Presenting a graph shown in part, a step that follows its node glides there (a
quarter of a second) instead of jumping some 650 px in one frame, where the class
lost its place. Real key presses; the view's scroll position read after each step
and compared with the jump's (the same steps with glides off); a key pressed during
a glide lands it first. A big graph keeps the one jump (a glide's every frame
repaints its whole screen)."""

from __future__ import annotations

import pytest
from gui import enter_presentation, press_keys, settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from gradstudio.ui.canvas.large.policy import BigGraphPolicy

pytestmark = pytest.mark.usefixtures("look_back")


def where(window) -> tuple:
    """The view exactly: its transform and its scroll bars' values."""
    view = window.view
    return (view.transform(), view.horizontalScrollBar().value(),
            view.verticalScrollBar().value())


def jumps(window, monkeypatch) -> list[tuple]:
    """Where the view is after each → from the bare graph, the view jumping (glides
    off): the views a glide must land on. Back to the bare graph (Home) after."""
    with monkeypatch.context() as patch:
        patch.setattr(BigGraphPolicy, "glides", property(lambda self: False))
        views = [where(window)]
        stepper = window.stepping.stepper
        while stepper.position < len(stepper.steps):
            press_keys(window.view, Qt.Key_Right)
            settle()
            views.append(where(window))
        press_keys(window.view, Qt.Key_Home)
        settle()
    assert where(window) == views[0]
    return views


def panned(views) -> list[int]:
    """The steps whose view moved by more than 100 px across or down."""
    return [i for i in range(1, len(views))
            if abs(views[i][1] - views[i - 1][1]) + abs(views[i][2] - views[i - 1][2]) > 100]


@pytest.fixture
def logistic(open_example):
    """logistic_neuron presented on the tests' screen: too wide to show whole at a
    legible size, shown in part and followed."""
    window = enter_presentation(open_example("logistic_neuron"))
    assert window.presentation.presenting and not window.presentation._whole
    yield window
    if window.presentation.presenting:
        press_keys(window.view, Qt.Key_Escape)
        settle()


def test_a_step_that_pans_glides_and_lands_where_the_jump_went(logistic, monkeypatch):
    window, view = logistic, logistic.view
    views = jumps(window, monkeypatch)
    assert panned(views)  # (steps on the right-hand chain and back)
    passed = []  # every scroll position the view takes
    view.horizontalScrollBar().valueChanged.connect(lambda x: passed.append(x))
    for i in range(1, len(views)):
        passed.clear()
        press_keys(view, Qt.Key_Right)
        settle()  # (the glide done)
        assert where(window) == views[i], i  # exactly the jump's view
        if i in panned(views) and views[i][1] != views[i - 1][1]:
            low, high = sorted((views[i - 1][1], views[i][1]))
            between = {x for x in passed if low < x < high}
            # Old code: one scroll, from one end to the other, nothing between.
            assert len(between) >= 2, (i, passed)
            assert passed[-1] == views[i][1]


def test_a_key_during_a_glide_lands_it_then_takes_its_own_step(logistic, monkeypatch, qtbot):
    window, view = logistic, logistic.view
    glide, stepper = window.presentation.glide, window.stepping.stepper
    views = jumps(window, monkeypatch)
    first = panned(views)[0]
    while stepper.position < first - 1:
        press_keys(view, Qt.Key_Right)
        settle()
    press_keys(view, Qt.Key_Right)  # the step that pans
    qtbot.waitUntil(lambda: glide.running, timeout=2000)
    assert where(window) != views[first]  # under way
    press_keys(view, Qt.Key_Right)  # pressed quickly: the view lands, then the next step
    assert where(window) == views[first] and stepper.position == first + 1
    settle()
    assert where(window) == views[first + 1]
    # ← back across the pan: it glides back and lands where the jump was.
    press_keys(view, Qt.Key_Left, Qt.Key_Left)
    settle()
    assert stepper.position == first - 1 and where(window) == views[first - 1]


def test_home_and_esc_during_a_glide_stop_it_cleanly(logistic, monkeypatch, qtbot):
    window, view = logistic, logistic.view
    glide, stepper = window.presentation.glide, window.stepping.stepper
    views = jumps(window, monkeypatch)
    first = panned(views)[0]

    def start_a_glide():
        while stepper.position < first - 1:
            press_keys(view, Qt.Key_Right)
            settle()
        press_keys(view, Qt.Key_Right)
        qtbot.waitUntil(lambda: glide.running, timeout=2000)

    start_a_glide()
    press_keys(view, Qt.Key_Home)  # the bare graph, framed as on entering
    assert not glide.running and where(window) == views[0]
    settle()
    assert where(window) == views[0]  # and it stays there

    press_keys(view, Qt.Key_Escape)
    settle()
    before = (window.geometry(), where(window))  # the window as it is, not presenting
    enter_presentation(window)
    start_a_glide()
    press_keys(view, Qt.Key_Escape)
    assert not window.presentation.presenting and not glide.running
    settle()
    assert (window.geometry(), where(window)) == before
    # Nothing stale on the screen: what the window shows of the canvas is what it
    # draws now.
    viewport = view.viewport()
    corner = viewport.mapTo(window, viewport.rect().topLeft())
    on_screen = window.screen().grabWindow(window.winId(), corner.x(), corner.y(),
                                           viewport.width(), viewport.height()).toImage()
    drawn = viewport.grab().toImage()
    fmt = QImage.Format_RGB32
    assert on_screen.convertToFormat(fmt) == drawn.convertToFormat(fmt)


def test_a_big_graph_keeps_the_one_jump(big_presented):
    window, view = big_presented, big_presented.view
    assert not window.scene.large.glides
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    for _ in range(40):
        before = [b.value() for b in bars]
        press_keys(view, Qt.Key_PageDown)  # (a big graph's view follows in the key's turn)
        if [b.value() for b in bars] != before:
            break
    else:
        pytest.fail("no step panned")
    assert not window.presentation.glide.running
    moved = [b.value() for b in bars]
    settle(window.scene)
    assert [b.value() for b in bars] == moved  # nothing after: it was the one jump
