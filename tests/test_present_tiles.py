"""Presenting a big graph, the wires are painted ahead in tiles while the window
idles (canvas/large/tiles.py), and a step that pans to follow its node blits them.
What is on screen must be what a fresh repaint without tiles draws, pixel for
pixel: after steps that pan, steps back, tiles still missing or dropped by a step's
changed wires, and a theme chosen while presenting. Real key presses; the pixels
are the backing store's (stale_view.shown)."""

from __future__ import annotations


import pytest
from gui import settle
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from stale_view import difference, shown
from gradstudio.ui.canvas.wires import ALL, LIT


pytestmark = pytest.mark.usefixtures("look_back")


def without_tiles(view):
    """The canvas repainted whole from the same state, nothing painted ahead."""
    tiles = view.scene().tiles
    tiles.on = False
    try:
        view.viewport().repaint()
        QApplication.processEvents()
        return shown(view)
    finally:
        tiles.on = True


def assert_as_fresh(view, what: str) -> None:
    count, box = difference(shown(view), without_tiles(view))
    assert count == 0, f"{what}: {count} pixels unlike a fresh repaint, within {box}"


def test_steps_that_pan_show_what_a_fresh_repaint_draws(big_presented):
    window, stepper = big_presented, big_presented.stepping.stepper
    view, tiles = window.view, window.scene.tiles
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    stepper.go_to(stepper.steps.n_forward)
    settle(window.scene)
    view.viewport().repaint()
    tiles.flush()
    assert tiles.count > 0
    panned = 0
    for i in range(27):  # the backward pass: its nodes lie all over the graph (the
        before = [b.value() for b in bars]  # first dozen, near the output, one pan)
        QTest.keyClick(view, Qt.Key_PageDown if i < 24 else Qt.Key_PageUp)
        settle(window.scene)
        panned += [b.value() for b in bars] != before
        assert_as_fresh(view, f"key {i}")
        if i == 6:
            tiles.flush()  # the tiles the steps' wires dropped, painted again
    assert panned >= 3


def test_a_pan_blits_the_wires_instead_of_stroking_them(big_presented):
    window, stepper = big_presented, big_presented.stepping.stepper
    view, scene = window.view, window.scene
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    stepper.go_to(stepper.steps.n_forward)
    settle(scene)
    view.viewport().repaint()
    stroked = []
    draw = scene.wires.draw

    def counted(painter, rect, layer=ALL):
        if layer != LIT:  # (the lit wires are drawn over the tiles: a step's few)
            stroked.append(rect.width() * rect.height())
        draw(painter, rect, layer)
    scene.wires.draw = counted
    try:
        for _ in range(12):
            scene.tiles.flush()  # (what the window paints while the class reads)
            before = [b.value() for b in bars]
            stroked.clear()
            QTest.keyClick(view, Qt.Key_PageDown)
            settle(scene)
            if [b.value() for b in bars] != before:
                break
        else:
            pytest.fail("no step panned")
    finally:
        del scene.wires.draw
    # The pan's paint strokes wires only where no tile was ready (those the step's
    # own wires dropped): far less than the screen (before, all of it).
    screen = view.mapToScene(view.viewport().rect()).boundingRect()
    assert sum(stroked) < 0.5 * screen.width() * screen.height(), stroked
    assert_as_fresh(view, "after the pan")


def test_tiles_not_yet_painted_and_a_new_theme_draw_as_fresh(big_presented):
    window, stepper = big_presented, big_presented.stepping.stepper
    view, tiles = window.view, window.scene.tiles
    for _ in range(3):  # straight on, no idle time: tiles still missing
        QTest.keyClick(view, Qt.Key_Right)
        settle(window.scene)
        assert_as_fresh(view, "without idle time")
    window.look.set_theme("dark")
    settle(window.scene)
    view.viewport().repaint()
    tiles.flush()
    stepper.go_to(stepper.steps.n_forward + 2)
    settle(window.scene)
    assert_as_fresh(view, "dark theme")
    window.look.set_theme("light")
    settle(window.scene)
    assert_as_fresh(view, "light again")


def test_leaving_the_presentation_forgets_the_tiles(big_presented):
    window, tiles = big_presented, big_presented.scene.tiles
    window.view.viewport().repaint()
    tiles.flush()
    assert tiles.count > 0
    QTest.keyClick(window, Qt.Key_Escape)
    settle(window.scene)
    assert not tiles.on and tiles.count == 0


def test_lighting_a_wire_keeps_the_tiles_under_it(big_presented):
    """The tiles hold every wire as at rest; a lit wire (the step's, hovered) is
    drawn over them. Hovering a wire, then leaving it, drops no tile (before, the
    tiles along a lit wire were dropped and its screenful stroked again), and the
    screen is what a fresh repaint draws, lit and unlit."""
    from gui import move
    window = big_presented
    view, scene, tiles = window.view, window.scene, window.scene.tiles
    view.viewport().repaint()
    tiles.flush()
    kept = tiles.count
    assert kept > 0
    shown_rect = view.mapToScene(view.viewport().rect()).boundingRect()
    wire = next(w for w in scene.edges.values()
                if shown_rect.contains(w.path().pointAtPercent(0.3)))
    spot = wire.path().pointAtPercent(0.3)  # on the curve, clear of its chips
    move(view, spot, Qt.NoButton)
    settle(scene)
    assert wire.hot and wire.pen().widthF() > 2.0  # lit
    assert tiles.count == kept
    assert_as_fresh(view, "a hovered wire")
    move(view, spot + QPointF(0, 400), Qt.NoButton)
    settle(scene)
    assert not wire.hot
    assert tiles.count == kept
    assert_as_fresh(view, "the wire left")


def test_tiles_are_kept_in_the_screens_pixel_format(big_presented):
    """A tile in the screen's own format (RGB32 on the tests' screen) is blitted by
    copying its pixels, not by blending each (before: premultiplied ARGB32 tiles,
    three times the blit's time); what is shown stays what a fresh repaint draws."""
    window = big_presented
    view, tiles = window.view, window.scene.tiles
    formats = []
    paint = tiles.paint

    def noted(painter, rect):
        formats.append(painter.paintEngine().paintDevice().format())
        return paint(painter, rect)
    tiles.paint = noted
    try:
        view.viewport().repaint()
        tiles.flush()
        QTest.keyClick(view, Qt.Key_Right)
        settle(window.scene)
        view.viewport().repaint()
    finally:
        del tiles.paint
    assert formats and tiles.count > 0
    assert {tile.format() for tile in tiles._tiles.values()} == {formats[-1]}
    assert_as_fresh(view, "from tiles in the screen's format")
