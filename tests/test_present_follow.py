"""Presentation mode follows the steps: the step's node lands in the canvas's part of
the screen (never under the explanation line nor off screen) on a big graph, the
view keeps still while the node is already comfortably in sight, and on the
examples the line covers nothing of the graph once fitted. Real key presses; what
is drawn is read back from a grab of the window."""

from __future__ import annotations


import pytest
from gui import settle
from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from gradstudio.ui.lecture.present_follow import FOLLOW_MARGIN
from gradstudio.ui.theme import THEME


pytestmark = pytest.mark.usefixtures("look_back")


def step_node(window) -> str:
    stepper = window.stepping.stepper
    return stepper.steps.step(stepper.position - 1).node


def on_window(window, node_id) -> QRect:
    """The node's box in the window's pixels."""
    view, item = window.view, window.scene.nodes[node_id]
    box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    return QRect(view.viewport().mapTo(window, box.topLeft()), box.size())


def canvas_on_window(window) -> QRect:
    viewport = window.view.viewport()
    return QRect(viewport.mapTo(window, viewport.rect().topLeft()), viewport.size())


def comfortable(window, node_id) -> bool:
    """The node FOLLOW_MARGIN pixels or more inside the canvas (as the view follows)."""
    room = QRectF(window.view.viewport().rect())
    margin = min(FOLLOW_MARGIN, room.width() / 8, room.height() / 8)
    inner = room.adjusted(margin, margin, -margin, -margin)
    box = window.view.mapFromScene(window.scene.nodes[node_id].sceneBoundingRect())
    return inner.contains(box.boundingRect())


def ring_pixels(image, rect: QRect) -> int:
    """Pixels of the step's colour (the ring round the step's node) within ``rect``."""
    ring = QColor(THEME.wire_active)
    count = 0
    for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1)):
        for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1)):
            c = image.pixelColor(x, y)
            if abs(c.red() - ring.red()) + abs(c.green() - ring.green()) \
                    + abs(c.blue() - ring.blue()) < 60:
                count += 1
    return count


def test_a_big_graph_follows_each_step_without_jumping(big_presented):
    window, stepper = big_presented, big_presented.stepping.stepper
    view, line = window.view, window.presentation.line
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    moved = still = 0

    def check(key) -> None:
        nonlocal moved, still
        before = [b.value() for b in bars]
        target = stepper.position + (-1 if key == Qt.Key_PageUp else 1)  # the step to be
        upcoming = stepper.steps.step(target - 1).node if stepper.active \
            and 1 <= target <= len(stepper.steps) else None
        was_comfortable = upcoming is not None and comfortable(window, upcoming)
        QTest.keyClick(view, key)
        settle(window.scene)
        node = step_node(window)
        box, canvas = on_window(window, node), canvas_on_window(window)
        # In sight, in the canvas: above the explanation line, on the screen.
        assert canvas.contains(box), (node, box, canvas)
        assert box.bottom() < line.mapTo(window, line.rect().topLeft()).y(), node
        if was_comfortable:  # already in sight: the view did not move
            assert [b.value() for b in bars] == before, node
            still += 1
        elif [b.value() for b in bars] != before:
            moved += 1
        # What is drawn there: the step's ring round the node.
        assert ring_pixels(window.grab().toImage(), box) > 40, node

    for _ in range(30):  # the forward pass, from the first step
        check(Qt.Key_Right)
    stepper.go_to(stepper.steps.n_forward)  # to the end of the forward pass
    settle(window.scene)
    for _ in range(12):  # the backward pass: its nodes lie all over the graph
        check(Qt.Key_PageDown)
    for _ in range(4):
        check(Qt.Key_PageUp)
    # The view moved when it had to, and kept still most of the forward pass.
    assert moved >= 3 and still >= 15, (moved, still)


def test_the_view_keeps_its_zoom_when_following(big_presented):
    window = big_presented
    zoom = window.view.zoom()
    for _ in range(20):
        QTest.keyClick(window.view, Qt.Key_Right)
    settle(window.scene)
    assert window.view.zoom() == zoom


@pytest.mark.parametrize("name", ["chain_rule", "colah_paths", "square", "tanh_neuron",
                                  "logistic_neuron"])
def test_the_line_covers_nothing_of_a_fitted_graph(open_example, name):
    window = open_example(name)
    QTest.keyClick(window, Qt.Key_F11)
    settle()
    view, line = window.view, window.presentation.line
    line_top = line.mapTo(window, line.rect().topLeft()).y()
    assert canvas_on_window(window).bottom() < line_top
    for _ in range(2 * len(window.doc.model.graph.nodes)):  # every step, chips and all
        QTest.keyClick(view, Qt.Key_Right)
        settle()
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        whole = window.scene.itemsBoundingRect()
        if shown.contains(whole):  # shown whole: all of it above the line
            box = view.mapFromScene(whole).boundingRect()
            assert QRect(view.viewport().mapTo(window, box.topLeft()), box.size()).bottom() \
                < line_top
        else:  # too big for the screen: the step's node is in sight, above the line
            assert on_window(window, step_node(window)).bottom() < line_top
    QTest.keyClick(window, Qt.Key_Escape)


class _Paints(QObject):
    """The canvas's paint events: their rectangles."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.Paint:
            self.rects.append(event.rect())
        return False


def test_a_step_that_pans_paints_the_screen_once(big_presented):
    # A step whose node is out of sight pans at once, before its chips are painted:
    # one paint of the whole canvas (before, the step's part was painted, then the
    # whole screen again a turn later, when the view followed).
    window, stepper = big_presented, big_presented.stepping.stepper
    view = window.view
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    paints = _Paints()
    view.viewport().installEventFilter(paints)
    stepper.go_to(stepper.steps.n_forward)
    settle(window.scene)
    panned = 0
    try:
        for _ in range(24):  # the backward pass: its nodes lie all over the graph (the
            before = [b.value() for b in bars]  # first dozen, near the output: one pan)
            paints.rects.clear()
            QTest.keyClick(view, Qt.Key_PageDown)
            settle(window.scene)
            if [b.value() for b in bars] != before:
                panned += 1
                whole = [r for r in paints.rects if r.contains(view.viewport().rect())]
                assert len(paints.rects) == 1 and whole, paints.rects
    finally:
        view.viewport().removeEventFilter(paints)
    assert panned >= 3


def test_home_frames_the_graph_as_on_entering(big_presented):
    # Home works the steps out again at step 0 (a step forward and back, unseen): the
    # view follows neither that step's node nor stays where the last step left it,
    # it frames the bare graph as on entering (a lecturer found it left mid-graph).
    window, stepper = big_presented, big_presented.stepping.stepper
    view = window.view
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    entered = [view.transform().m11(), *(b.value() for b in bars)]
    for _ in range(3):
        QTest.keyClick(view, Qt.Key_Right)
    QTest.keyClick(view, Qt.Key_End)
    for _ in range(3):
        QTest.keyClick(view, Qt.Key_PageUp)
    stepper.go_to(stepper.steps.n_forward + 5)  # (the backward pass near the output)
    settle(window.scene)
    assert [view.transform().m11(), *(b.value() for b in bars)] != entered
    QTest.keyClick(view, Qt.Key_Home)
    settle(window.scene)
    assert stepper.position == 0
    assert [view.transform().m11(), *(b.value() for b in bars)] == entered
