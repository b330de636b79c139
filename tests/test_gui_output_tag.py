"""The "output" tag over a hand-built graph's output follows every edit, undo and redo
(it used to appear only after a rename or a pass, and to vanish after Delete, Undo)."""

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from gui import input_port, move, output_port, press, release, settle
from test_gui_canvas import drop_op


def tagged(window) -> list:
    """The nodes that draw the word "output" (the texts a paint draws)."""
    return sorted(node_id for node_id, item in window.scene.nodes.items()
                  if "output" in [static.text() for _p, static, _f, _c in item.laid_out()])


def wire(window, source, target, port):
    start, end = output_port(window, source), input_port(window, target, port)
    press(window.view, start)
    move(window.view, (start + end) / 2)
    move(window.view, end)
    release(window.view, end)


def test_the_output_tag_follows_wiring_delete_undo_and_redo(window):
    drop_op(window, "input", QPointF(0, 0))
    drop_op(window, "input", QPointF(0, 150))
    drop_op(window, "add", QPointF(250, 75))
    window.inline_editor.hide()
    settle()
    assert window.doc.model.nodes() == ["a", "b", "add1"]
    assert tagged(window) == []  # three loose nodes: no single output yet
    wire(window, "a", "add1", 0)
    wire(window, "b", "add1", 1)
    settle()
    assert window.doc.evaluation is None  # no pass has run: the tag comes anyway
    assert tagged(window) == ["add1"]
    drop_op(window, "scale", QPointF(500, 75))
    window.inline_editor.hide()
    wire(window, "add1", "scale1", 0)
    settle()
    assert tagged(window) == ["scale1"]

    window.scene.clearSelection()
    window.scene.nodes["scale1"].setSelected(True)
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_Delete)
    settle()
    assert tagged(window) == ["add1"]
    window.act_undo.trigger()
    settle()
    assert "scale1" in window.doc.model and tagged(window) == ["scale1"]
    window.act_redo.trigger()
    settle()
    assert tagged(window) == ["add1"]
    window.act_undo.trigger()
    window.scene.clearSelection()
    window.scene.nodes["a"].setSelected(True)  # deleting an input keeps the output
    QTest.keyClick(window.view, Qt.Key_Delete)
    window.act_undo.trigger()
    settle()
    assert tagged(window) == ["scale1"]
    grab = window.view.grab()
    assert not grab.isNull()
