"""Presenting a big graph, the texts of its nodes and chips are laid out ahead while
the window idles (canvas/large/ahead.py), so a step that pans to a part of the graph
not painted yet only draws them. What is on screen after such steps must be what a
fresh repaint draws, every text laid out anew by the paint, pixel for pixel. Real
key presses; the pixels are the backing store's (stale_view.shown). Small graphs
lay out nothing ahead."""

from __future__ import annotations

import pytest
from gui import settle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from stale_view import difference, shown

from gradstudio.ui.canvas.large.ahead import TextsAhead

pytestmark = pytest.mark.usefixtures("look_back")


def text_items(scene) -> list:
    """The nodes, and the chips with something to say and shown."""
    chips = [c for e in scene.edges.values() for c in (e.above, e.below)
             if c.lines and c.isVisible()]
    return [*scene.nodes.values(), *chips]


def fresh(view):
    """The canvas repainted whole from the same state, nothing painted or laid out
    ahead: no tiles, and every text laid out again by this paint."""
    scene = view.scene()
    for item in text_items(scene):
        item._drawn = None
    scene.tiles.on = False
    try:
        view.viewport().repaint()
        QApplication.processEvents()
        return shown(view)
    finally:
        scene.tiles.on = True


def idle(window) -> None:
    """What the window does while the class reads: tiles painted, texts laid out."""
    settle(window.scene)
    window.view.viewport().repaint()
    window.scene.tiles.flush()


def test_texts_near_but_out_of_sight_are_laid_out_while_the_window_idles(big_presented):
    window, view = big_presented, big_presented.view
    stepper = window.stepping.stepper
    stepper.go_to(stepper.steps.n_forward + 3)  # chips all over the graph
    idle(window)
    shown_rect = view.shown_rect()
    w, h = TextsAhead.REACH * shown_rect.width(), TextsAhead.REACH * shown_rect.height()
    near = shown_rect.adjusted(-w, -h, w, h)  # (on a far bigger graph, not all of it)
    away = [item for item in text_items(window.scene)
            if not item.sceneBoundingRect().intersects(shown_rect)
            and near.contains(item.sceneBoundingRect())]
    assert len(away) > 100  # never painted: the screen shows a part of the graph
    assert all(item.texts_laid_out() is not None for item in away)


def test_steps_to_texts_laid_out_ahead_show_what_a_fresh_repaint_draws(big_presented):
    window, view = big_presented, big_presented.view
    stepper = window.stepping.stepper
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    stepper.go_to(stepper.steps.n_forward)
    idle(window)
    panned = 0
    for i in range(19):  # the backward pass: its nodes lie all over the graph (the
        before = [b.value() for b in bars]  # first dozen, near the output, one pan)
        QTest.keyClick(view, Qt.Key_PageDown if i < 17 else Qt.Key_PageUp)
        settle(window.scene)
        panned += [b.value() for b in bars] != before
        count, box = difference(shown(view), fresh(view))
        assert count == 0, f"key {i}: {count} pixels unlike a fresh repaint, within {box}"
        idle(window)  # (the texts the fresh repaint laid out again: ahead again)
    assert panned >= 2


def test_a_small_graph_lays_out_nothing_ahead(presenting):
    window = presenting
    QTest.keyClick(window.view, Qt.Key_Right)
    settle(window.scene)
    window.scene.tiles.flush()
    assert window.scene.tiles.texts.count == 0


def test_no_slice_runs_while_the_steps_come_quicker_than_it_waits(big_presented):
    """Each paint puts the idle slices off by START_MS again, as the tiles' are: a
    class stepping on briskly does not wait for texts laid out in their midst."""
    window, view = big_presented, big_presented.view
    ahead = window.scene.tiles.texts
    timer = ahead._timer
    started = []  # each (re)start of the wait, by its length: what happened, not when
    start = timer.start
    timer.start = lambda *args: (started.append(args), start(*args))
    QTest.keyClick(view, Qt.Key_Right)
    settle(window.scene)
    assert timer.isActive() and started[-1:] == [(TextsAhead.START_MS,)]
    count = len(started)
    QTest.qWait(120)
    QTest.keyClick(view, Qt.Key_Right)  # a paint 120 ms after the last
    settle(window.scene)
    # The paint put the slices off by the whole wait again (asserted on the restart,
    # not on the time left: a loaded machine's paint may take more than the margin).
    assert len(started) > count and started[-1] == (TextsAhead.START_MS,)
    assert timer.isActive()
