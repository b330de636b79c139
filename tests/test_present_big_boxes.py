"""Presenting a big graph, a node's box is as wide from the first step as the passes
leave it, and shows its gradient as the total alone (``∂ = 0.5``; the sum's working
is on the step's line): no step moves a wire, and no box covers its neighbour.

Before, a backward step widened its node with ``∂J/∂n = a + b + c = 0.5``: its
wires moved, the tiles under them were dropped and a few hundred wires stroked
again at the next paint (PageDown 77-112 ms on the 1,000-node benchmark graph),
and the widest boxes reached over the next column's. Real key presses."""

from __future__ import annotations

from gui import settle
from gradstudio.core.numbers import shown_number
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def boxes(scene) -> dict:
    return {n: item.sceneBoundingRect() for n, item in scene.nodes.items()}


def wire_ends(scene) -> dict:
    return {e: item.ends() for e, item in scene.edges.items()}


def fan_out(window) -> str:
    """A node whose gradient sums more than one wire's."""
    ev, model = window.doc.evaluation, window.doc.model
    return next(n for n in model.nodes()
                if sum(ev.reaches_output[ev.plan.slot[e[1]]] for e in model.out_edges(n)) > 1)


def test_no_step_moves_a_wire_or_drops_a_tile(big_presented):
    window, stepper = big_presented, big_presented.stepping.stepper
    view, scene, tiles = window.view, window.scene, window.scene.tiles
    settle(scene)
    at_start, ends = boxes(scene), wire_ends(scene)  # the bare graph, as presented
    stepper.go_to(stepper.steps.n_forward + 3)
    settle(scene)
    view.viewport().repaint()
    tiles.flush()
    kept = tiles.count
    assert kept > 0
    for key in [Qt.Key_PageDown] * 8 + [Qt.Key_PageUp] * 3:
        QTest.keyClick(view, key)
        settle(scene)
        assert tiles.count == kept  # (before: each PageDown dropped the tiles under
    assert boxes(scene) == at_start  # its node's moved wires)
    assert wire_ends(scene) == ends
    QTest.keyClick(view, Qt.Key_End)
    settle(scene)
    assert boxes(scene) == at_start and wire_ends(scene) == ends


def test_boxes_show_the_total_and_cover_no_neighbour(big_presented):
    window, stepper = big_presented, big_presented.stepping.stepper
    scene = window.scene
    QTest.keyClick(window.view, Qt.Key_End)
    settle(scene)
    scene.flush_annotations()
    ev = window.doc.evaluation
    node = fan_out(window)  # (before: ∂s…/∂n… = a + b = c)
    assert scene.nodes[node].grad_text == f"∂ = {shown_number(ev.grad(node), scene.digits)}"
    assert all(item.grad_text.startswith("∂ = ") for item in scene.nodes.values())
    # No box reaches over another (before: 'n...' boxes columns wide, over their
    # neighbours). The boxes' rectangles, ports included, kept apart.
    rects = sorted(((r.left(), r.right(), r.top(), r.bottom(), n)
                    for n, r in boxes(scene).items()))
    for i, (left, right, top, bottom, n) in enumerate(rects):
        for other in rects[i + 1:]:
            if other[0] >= right:
                break
            assert other[3] <= top or other[2] >= bottom, (n, other[4])
    # The working of that node's sum is on the line at its step.
    step = next(i for i in range(len(stepper.steps))
                if stepper.steps.step(i).node == node and stepper.steps.step(i).kind != "forward")
    stepper.go_to(step)
    QTest.keyClick(window.view, Qt.Key_PageDown)
    settle(scene)
    line = window.presentation.line.text
    assert f"= {shown_number(ev.grad(node), scene.digits)}" in line
    assert " + " in line or " − " in line, line
