"""A node dropped from the palette (or quick-added) offers its name field at once:
typing renames it, Enter or Esc keep the default name. Real drag-and-drop events
at a real place on the canvas, real key presses in the field."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gradstudio.ui.canvas.view import OP_MIME
from gui import settle


def drop(window, op: str, at: QPoint) -> None:
    """Drag an op over the canvas and drop it at viewport point ``at``."""
    viewport = window.view.viewport()
    mime = QMimeData()
    mime.setData(OP_MIME, op.encode("utf-8"))
    for kind in (QDragEnterEvent, QDragMoveEvent):
        event = kind(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    QApplication.sendEvent(viewport, QDropEvent(QPointF(at), Qt.CopyAction, mime,
                                                Qt.LeftButton, Qt.NoModifier))


def name_field_opens(window, qtbot) -> str:
    """Wait for the name field; check it sits on the new node's header; its node id."""
    editor = window.inline_editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.hasFocus(), timeout=2000)
    node_id = editor.node_id
    item = window.scene.nodes[node_id]
    header = window.view.mapFromScene(item.mapToScene(item.header_rect())).boundingRect()
    assert QRect(editor.geometry()).intersects(header)
    assert editor.text() == window.doc.model.label(node_id)
    assert editor.selectedText() == editor.text()  # typing replaces the default
    return node_id


def test_a_dropped_node_offers_its_name_and_enter_keeps_the_default(window, qtbot):
    drop(window, "add", QPoint(300, 250))
    node_id = name_field_opens(window, qtbot)
    assert window.doc.model.node_data(node_id)["op"] == "add"
    assert window.selected_node_ids() == [node_id]
    steps = window.doc.undo_stack.count()
    QTest.keyClick(window.inline_editor, Qt.Key_Return)
    assert not window.inline_editor.isVisible()
    assert window.doc.model.label(node_id) == node_id == "add1"
    assert window.doc.undo_stack.count() == steps  # keeping the name is no edit


def test_typing_in_the_offered_field_renames_the_dropped_node(window, qtbot):
    drop(window, "multiply", QPoint(260, 220))
    node_id = name_field_opens(window, qtbot)
    QTest.keyClicks(window.inline_editor, "z")
    QTest.keyClick(window.inline_editor, Qt.Key_Return)
    assert window.doc.model.label(node_id) == "z"
    assert window.scene.nodes[node_id].title == "z"  # the node draws its new name
    # The status bar no longer names the node by the default it was dropped with.
    assert window.statusBar().currentMessage() == f"Renamed {node_id} to z"
    assert window.view.hasFocus()  # back to the canvas: Delete, Tab … work again
    window.doc.undo_stack.undo()
    assert window.doc.model.label(node_id) == "mul1"


def test_escape_keeps_the_default_name(window, qtbot):
    drop(window, "scale", QPoint(320, 300))
    node_id = name_field_opens(window, qtbot)
    QTest.keyClicks(window.inline_editor, "abc")
    QTest.keyClick(window.inline_editor, Qt.Key_Escape)
    assert not window.inline_editor.isVisible()
    assert window.doc.model.label(node_id) == "scale1"


def test_a_refused_drop_opens_no_field(window, qtbot):
    drop(window, "no_such_op", QPoint(300, 250))
    settle()  # whatever the drop queued has run
    assert not window.inline_editor.isVisible() and len(window.doc.model) == 0


def test_quick_add_offers_the_name_too(window, qtbot):
    window.view.setFocus()
    QTest.mouseMove(window.view.viewport(), QPoint(280, 240))
    QTest.keyClick(window.view, Qt.Key_Tab)
    qtbot.waitUntil(window.quick_add.isVisible, timeout=2000)
    settle()  # offscreen, the popup's window activation arrives after it shows
    QTest.keyClicks(window.quick_add.filter, "tanh")
    QTest.keyClick(window.quick_add.filter, Qt.Key_Return)
    node_id = name_field_opens(window, qtbot)
    assert window.doc.model.node_data(node_id)["op"] == "tanh"
    QTest.keyClicks(window.inline_editor, "h1")
    QTest.keyClick(window.inline_editor, Qt.Key_Return)
    assert window.doc.model.label(node_id) == "h1"


def test_the_summary_names_the_node_by_its_label_after_a_rename(window):
    window.open_example("chain_rule")
    node = next(n for n in window.doc.model.graph.nodes if window.doc.model.label(n) == "a")
    window.scene.nodes[node].setSelected(True)
    window.doc.set_label(node, "alpha")
    text = window.properties.summary.text()
    assert "alpha" in text and f"id <code>{node}</code>" in text
