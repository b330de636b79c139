"""Real mouse events at real places on the canvas, for the GUI tests."""

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def to_view(view, scene_point) -> QPoint:
    return view.mapFromScene(QPointF(scene_point))


def _send(view, kind, scene_point, button, buttons, modifiers=Qt.NoModifier):
    viewport = view.viewport()
    local = QPointF(to_view(view, scene_point))
    event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(local.toPoint())),
                        button, buttons, modifiers)
    QApplication.sendEvent(viewport, event)


def press(view, scene_point, button=Qt.LeftButton, modifiers=Qt.NoModifier):
    _send(view, QEvent.MouseButtonPress, scene_point, button, button, modifiers)


def move(view, scene_point, buttons=Qt.LeftButton):
    _send(view, QEvent.MouseMove, scene_point, Qt.NoButton, buttons)


def release(view, scene_point, button=Qt.LeftButton, modifiers=Qt.NoModifier):
    _send(view, QEvent.MouseButtonRelease, scene_point, button, Qt.NoButton, modifiers)


def double_click(view, scene_point):
    press(view, scene_point)
    release(view, scene_point)
    _send(view, QEvent.MouseButtonDblClick, scene_point, Qt.LeftButton, Qt.LeftButton)
    release(view, scene_point)


def drag(view, start, end, steps=6, button=Qt.LeftButton):
    """Press at start, move there in steps with the button held, release at end."""
    start, end = QPointF(start), QPointF(end)
    press(view, start, button)
    for i in range(1, steps + 1):
        move(view, start + (end - start) * (i / steps), button)
    release(view, end, button)


def output_port(window, node_id) -> QPointF:
    return window.scene.nodes[node_id].output.scenePos()


def input_port(window, node_id, port) -> QPointF:
    return window.scene.nodes[node_id].inputs[port].scenePos()


def node_center(window, node_id) -> QPointF:
    item = window.scene.nodes[node_id]
    return item.mapToScene(item.rect().center())


def assert_labels_clear(window, name: str) -> None:
    """Every annotation chip keeps the legibility rule (gradstudio.core.chiprule): on
    or beside its own wire, other wires farther, over no node and no other chip."""
    from gradstudio.core.chiprule import violations
    from gradstudio.ui.canvas.geometry import drawn_geometry

    geometry = drawn_geometry(window.scene)
    assert geometry["chips"], name
    assert violations(geometry) == [], name


def settle() -> None:
    """Let the window handle what the last action queued (layouts, deferred updates)."""
    for _ in range(3):
        QApplication.processEvents()


def type_formula(window, text: str) -> None:
    """Type a formula into the toolbar's Formula field and press Enter."""
    field = window.formula_bar.field
    field.setFocus()
    field.clear()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key_Return)
