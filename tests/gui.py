"""Real mouse events at real places on the canvas, for the GUI tests."""

import time

from PySide6.QtCore import QAbstractAnimation, QAbstractEventDispatcher, QEvent, QEventLoop, \
    QObject, QPoint, QPointF, Qt, QTimer
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


def settle(scene=None, timeout: float = 20.0) -> None:
    """Let the window finish what the last action queued: run the event loop until a
    turn of it finds nothing to do (layouts, deferred updates, paints and zero timers
    all done), no animation runs (a presentation's glide to a step's node) and,
    given a ``scene``, until its idle slices have no texts left to write. Waits on
    the condition, not for a time; ``timeout`` only bounds a hang."""
    end = time.monotonic() + timeout
    stale = scene.large.stale if scene is not None else None
    events = _Events()
    QApplication.instance().installEventFilter(events)
    try:
        while True:
            events.count = 0
            _until_about_to_block(end)
            moving = animating()
            if events.count == 0 and not moving and (stale is None or not stale.idle_work):
                return
            assert time.monotonic() < end, "the window never came to rest"
            if events.count == 0:  # only the idle slices' or an animation's timer
                QApplication.processEvents(QEventLoop.WaitForMoreEvents)
    finally:
        QApplication.instance().removeEventFilter(events)


def animating() -> bool:
    """Whether an animation of a window runs (its frames come on a timer: between
    two of them the event loop rests)."""
    return any(anim.state() == QAbstractAnimation.Running
               for widget in QApplication.topLevelWidgets()
               for anim in widget.findChildren(QAbstractAnimation))


def deliver_queued() -> None:
    """Deliver what the last gesture queued (deferred updates, paints, queued calls),
    and what those queue in turn, but run no timer: a big graph's idle slices wait,
    as they do while a user's drag keeps the window busy."""
    events = _Events()
    QApplication.instance().installEventFilter(events)
    try:
        while True:
            events.count = 0
            QApplication.sendPostedEvents()
            if events.count == 0:
                return
    finally:
        QApplication.instance().removeEventFilter(events)


class _Events(QObject):
    """Counts the events delivered anywhere in the application."""

    count = 0

    def eventFilter(self, _watched, _event) -> bool:
        self.count += 1
        return False


def _until_about_to_block(end: float) -> None:
    """Run the event loop until it is about to wait (nothing queued, no zero timer);
    what the window system hands over meanwhile is delivered on the way out."""
    loop = QEventLoop()
    dispatcher = QAbstractEventDispatcher.instance()
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    dispatcher.aboutToBlock.connect(loop.quit)
    try:
        guard.start(max(1, int((end - time.monotonic()) * 1000)))
        loop.exec()
        assert guard.isActive(), "the window never came to rest"
    finally:
        guard.stop()
        dispatcher.aboutToBlock.disconnect(loop.quit)


def type_formula(window, text: str) -> None:
    """Type a formula into the toolbar's Formula field and press Enter."""
    field = window.formula_bar.field
    field.setFocus()
    field.clear()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key_Return)


def menu_action(window, *path):
    """The action at ``path`` of the menu bar, by visible text (no & shortcuts)."""
    actions = window.menuBar().actions()
    for i, name in enumerate(path):
        action = next(a for a in actions if a.text().replace("&", "") == name)
        if i == len(path) - 1:
            return action
        actions = action.menu().actions()


def press_keys(widget, *keys, modifier=Qt.NoModifier) -> None:
    """Press and release each of ``keys`` on ``widget`` in turn (``press`` is the mouse)."""
    for k in keys:
        QTest.keyClick(widget, k, modifier)


def present_line(window) -> str:
    """The text presentation mode's explanation line shows now."""
    return window.presentation.line.text


def assert_summed_up(window, result: str, grads: list[str]) -> None:
    """End's line says "All numbers shown:", ``result`` and the first of ``grads`` in
    order, as many as the line has room for (the tests' screen is 800 px wide), then
    how many it leaves off ("… 2 more")."""
    from gradstudio.ui.lecture.present_line import GAP
    lead, *parts = present_line(window).split(GAP)
    assert lead == f"All numbers shown: {result}"
    listed = [p for p in parts if not p.startswith("…")]
    assert listed and listed == grads[:len(listed)], parts
    rest = len(grads) - len(listed)
    assert parts[len(listed):] == ([f"… {rest} more"] if rest else []), parts


def check_all_after_backward(window):
    """Backward (F6 on the canvas), then a click on Check all in the raised Check panel;
    returns the panel."""
    panel = window.teaching.check
    window.teaching.check_dock.raise_()
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_F6)  # Backward
    settle()
    QTest.mouseClick(panel.check_all_button, Qt.LeftButton)
    return panel


def enter_presentation(window):
    """F11 on the settled window, settled again: presenting; returns the window."""
    settle()
    QTest.keyClick(window, Qt.Key_F11)
    settle()
    return window


def click_in_sight(area, widget) -> None:
    """A real click on ``widget``, scrolled into sight in ``area`` first as a user would."""
    area.ensureWidgetVisible(widget)
    settle()
    QTest.mouseClick(widget, Qt.LeftButton)
    settle()


def click_node(window, node_id) -> None:
    """A click in the middle of the node's box: it alone is selected."""
    point = node_center(window, node_id)
    press(window.view, point)
    release(window.view, point)
    assert window.selected_node_ids() == [node_id]


def click(button) -> None:
    QTest.mouseClick(button, Qt.LeftButton)


def table_rows(table) -> list[list[str]]:
    """A teaching panel's table as the texts of its cells, row by row."""
    return [[table.text(r, c) for c in range(table.columnCount())]
            for r in range(table.rowCount())]


DEFAULT_SIZE = (1280, 800)  # MainWindow's size when no geometry was saved


def backward_at_text_size(window, open_example, name: str, percent: int):
    """The window at its default size with example ``name`` open, Backward run and
    View → Text Size at ``percent``: where the text-size tests start."""
    window.resize(*DEFAULT_SIZE)
    open_example(name)
    window.act_backward.trigger()
    window.look.act_text_size[percent].trigger()
    return window


def hover(view, scene_point) -> None:
    """Move the mouse there with no button held, as a real pointer would."""
    viewport = view.viewport()
    local = QPointF(view.mapFromScene(QPointF(scene_point)))
    event = QMouseEvent(QEvent.MouseMove, local, QPointF(viewport.mapToGlobal(local.toPoint())),
                        Qt.NoButton, Qt.NoButton, Qt.NoModifier)
    QApplication.sendEvent(viewport, event)


def wire_point_between_chips(wire) -> QPointF:
    """A point of the wire away from its chips (and its ends)."""
    path = wire.path()
    for t in (0.15, 0.85, 0.25, 0.75):
        point = path.pointAtPercent(t)
        if not any(c.sceneBoundingRect().adjusted(-8, -8, 8, 8).contains(point)
                   for c in (wire.above, wire.below)):
            return point
    raise AssertionError("no free point on the wire")
