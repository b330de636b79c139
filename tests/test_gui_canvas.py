"""Building a graph with the mouse and keyboard: drops, wires, deletes, undo."""

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gradstudio.core import fileformat
from gui import drag, input_port, move, node_center, output_port, press, release, to_view


def drop_op(window, op, scene_point):
    """Drag an op out of the palette and drop it on the canvas (events sent directly)."""
    palette = window.palette
    row = palette.op_names().index(op)
    mime = palette.mimeData([palette.item(row)])
    viewport = window.view.viewport()
    point = QPointF(to_view(window.view, scene_point))
    for kind in (QDragEnterEvent, QDragMoveEvent):
        event = kind(point.toPoint(), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)  # noqa
        QApplication.sendEvent(viewport, event)
    drop = QDropEvent(point, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(viewport, drop)
    return drop


def test_palette_lists_every_op_and_a_drop_adds_one_at_the_drop_point(window):
    from gradstudio.core.ops import OPS
    assert window.palette.op_names() == list(OPS)
    drop = drop_op(window, "multiply", QPointF(200, 150))
    assert drop.isAccepted()
    assert window.doc.model.nodes() == ["mul1"]
    item = window.scene.nodes["mul1"]
    centre = item.mapToScene(item.rect().center())
    assert abs(centre.x() - 200) <= 2 and abs(centre.y() - 150) <= 2
    assert window.doc.model.position("mul1") == (item.pos().x(), item.pos().y())
    drop_op(window, "input", QPointF(0, 0))
    drop_op(window, "input", QPointF(0, 100))
    assert window.doc.model.nodes() == ["mul1", "a", "b"]
    assert window.doc.dirty and window.windowTitle().startswith("Untitled[*]")


def build_pair(window):
    doc = window.doc
    doc.add_node("input", 0, 0)
    doc.add_node("scale", 300, 0)
    return window


def test_wiring_by_pressing_moving_and_releasing_on_ports(window):
    build_pair(window)
    start, end = output_port(window, "a"), input_port(window, "scale1", 0)
    press(window.view, start)
    move(window.view, (start + end) / 2)
    mode = window.view.mode
    assert mode is not None and mode.preview.path().elementCount() > 0
    assert window.scene.nodes["scale1"].inputs[0].highlight  # would accept the wire
    assert not window.scene.nodes["a"].inputs  # an input node has no ports to offer
    move(window.view, end)
    release(window.view, end)
    assert window.doc.model.edges() == [("a", "scale1", 0)]
    assert ("a", "scale1", 0) in window.scene.edges
    assert not window.scene.nodes["scale1"].inputs[0].highlight
    wire = window.scene.edges[("a", "scale1", 0)].path()
    assert wire.pointAtPercent(0) == output_port(window, "a")
    assert wire.pointAtPercent(1) == input_port(window, "scale1", 0)


def test_a_taken_port_and_a_cycle_are_refused_with_a_message(window):
    doc = window.doc
    doc.add_node("input", 0, 0)
    doc.add_node("add", 300, 0)
    doc.add_node("scale", 600, 0)
    doc.connect("a", "add1", 0)
    doc.connect("add1", "scale1", 0)
    before = fileformat.dumps(doc.model)
    # b does not exist: use scale1's output into add1's free port 1 -> a cycle
    drag(window.view, output_port(window, "scale1"), input_port(window, "add1", 1))
    assert "cycle" in window.statusBar().currentMessage()
    assert fileformat.dumps(doc.model) == before
    # add1's port 0 is taken by a
    doc.add_node("input", 0, 200)
    before = fileformat.dumps(doc.model)
    drag(window.view, output_port(window, "b"), input_port(window, "add1", 0))
    assert "already connected" in window.statusBar().currentMessage()
    assert fileformat.dumps(doc.model) == before
    # onto an output port, and onto the node itself
    drag(window.view, output_port(window, "b"), output_port(window, "add1"))
    assert "input port" in window.statusBar().currentMessage()
    drag(window.view, output_port(window, "b"), node_center(window, "scale1"))
    assert "input port" in window.statusBar().currentMessage()
    assert fileformat.dumps(doc.model) == before


def test_dragging_a_wire_end_off_its_port_moves_or_deletes_it(window):
    doc = window.doc
    doc.add_node("input", 0, 0)
    doc.add_node("add", 300, 0)
    doc.connect("a", "add1", 0)
    drag(window.view, input_port(window, "add1", 0), input_port(window, "add1", 1))
    assert doc.model.edges() == [("a", "add1", 1)]
    drag(window.view, input_port(window, "add1", 1), QPointF(150, 300))
    assert doc.model.edges() == []
    assert window.scene.edges == {}
    doc.undo_stack.undo()
    assert doc.model.edges() == [("a", "add1", 1)]
    assert window.scene.edges[("a", "add1", 1)].isVisible()


def test_both_ports_of_one_multiply_from_one_node_are_two_wires(window):
    doc = window.doc
    doc.add_node("input", 0, 0)
    doc.add_node("multiply", 300, 0)
    drag(window.view, output_port(window, "a"), input_port(window, "mul1", 0))
    drag(window.view, output_port(window, "a"), input_port(window, "mul1", 1))
    assert doc.model.edges() == [("a", "mul1", 0), ("a", "mul1", 1)]
    assert len(window.scene.edges) == 2
    window.act_backward.trigger()
    # a·a at a = 1: two locals of 1, gradient 2
    assert window.scene.nodes["a"].grad_text.endswith("= 2")


def test_delete_key_removes_a_node_with_its_wires_and_undo_restores_them(open_example, qtbot):
    window = open_example("chain_rule")
    doc = window.doc
    before = fileformat.dumps(doc.model)
    window.scene.nodes["u"].setSelected(True)
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_Delete)
    assert "u" not in doc.model
    assert all("u" not in e[:2] for e in doc.model.edges())
    assert "u" not in window.scene.nodes and len(window.scene.edges) == 2
    window.act_undo.trigger()
    assert fileformat.dumps(doc.model) == before
    assert len(window.scene.edges) == 5
    assert not doc.dirty  # undone back to the opened state: no star
    assert not window.isWindowModified()
    window.act_redo.trigger()
    assert "u" not in doc.model and window.isWindowModified()


def test_moving_a_selection_is_one_undo_step(open_example):
    window = open_example("chain_rule")
    doc = window.doc
    for node_id in ("a", "b"):
        window.scene.nodes[node_id].setSelected(True)
    start = node_center(window, "a")
    drag(window.view, start, start + QPointF(40, 30))
    assert doc.model.position("a") == (40, 30)
    assert doc.model.position("b") == (40, 170)
    assert doc.undo_stack.count() == 1
    wire = window.scene.edges[("a", "v", 0)].path()
    assert wire.pointAtPercent(0) == output_port(window, "a")
    window.act_undo.trigger()
    assert doc.model.position("a") == (0, 0) and doc.model.position("b") == (0, 140)
    assert window.scene.nodes["a"].pos() == QPointF(0, 0)


def test_rubber_band_selects_the_nodes_inside(open_example):
    window = open_example("chain_rule")
    drag(window.view, QPointF(-40, -60), QPointF(140, 200))
    selected = sorted(window.selected_node_ids())
    assert selected == ["a", "b"]


def test_wheel_zooms_around_the_cursor(open_example):
    window = open_example("chain_rule")
    view = window.view
    anchor = QPointF(node_center(window, "u"))
    point = to_view(view, anchor)
    event = QWheelEvent(QPointF(point), QPointF(view.viewport().mapToGlobal(point)), QPoint(0, 0),
                        QPoint(0, 240), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert abs(view.zoom() - 1.15 ** 2) < 1e-6
    after = view.mapToScene(point)
    assert abs(after.x() - anchor.x()) < 2 and abs(after.y() - anchor.y()) < 2


def test_middle_button_drag_pans(open_example):
    window = open_example("chain_rule")
    view = window.view
    view.scale(3, 3)  # make the canvas larger than the view so there is room to pan
    before = view.mapToScene(QPoint(100, 100))
    start = view.mapToScene(QPoint(300, 300))
    end = view.mapToScene(QPoint(250, 280))
    drag(view, start, end, button=Qt.MiddleButton)
    after = view.mapToScene(QPoint(100, 100))
    assert after.x() > before.x() and after.y() > before.y()
    assert window.doc.undo_stack.count() == 0


def test_tab_opens_quick_add_which_filters_as_you_type(window, qtbot):
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_Tab)
    quick = window.quick_add
    assert quick.isVisible()
    QTest.keyClicks(quick.filter, "mul")
    assert quick.visible_ops() == ["multiply"]
    QTest.keyClick(quick.filter, Qt.Key_Return)
    assert window.doc.model.nodes() == ["mul1"]
    assert not quick.isVisible()


def test_new_ids_are_unique_and_readable(window):
    doc = window.doc
    ids = [doc.add_node(op, 0, 0) for op in ("input", "input", "multiply", "multiply", "add")]
    assert ids == ["a", "b", "mul1", "mul2", "add1"]
    doc.delete(["a"])
    assert doc.add_node("input", 0, 0) == "a"


def test_copy_paste_and_duplicate_keep_inner_wires_and_undo_in_one_step(open_example):
    window = open_example("chain_rule")
    doc = window.doc
    for node_id in ("b", "c", "u"):
        window.scene.nodes[node_id].setSelected(True)
    window.act_copy.trigger()
    window.act_paste.trigger()
    assert sorted(window.selected_node_ids()) == ["b_2", "c_2", "u_2"]
    assert ("b_2", "u_2", 0) in doc.model.edges() and ("c_2", "u_2", 1) in doc.model.edges()
    assert doc.model.position("b_2") == (30, 170)
    window.act_undo.trigger()
    assert "u_2" not in doc.model
    for node_id in ("b", "c", "u"):
        window.scene.nodes[node_id].setSelected(True)
    window.act_duplicate.trigger()
    assert len(doc.model) == 9
    QApplication.clipboard().setText("this is not a graph")
    window.act_paste.trigger()
    assert "no gradstudio nodes" in window.statusBar().currentMessage()
    assert len(doc.model) == 9


def test_properties_panel_edits_the_selected_node_with_undo(open_example):
    window = open_example("chain_rule")
    window.scene.nodes["J"].setSelected(True)
    panel = window.properties
    assert panel.node_id == "J"
    field = panel.fields["factor"]
    assert field.value() == 3
    field.stepBy(1)  # shown "3": steps by 1
    assert window.doc.model.param("J", "factor") == 4
    field.lineEdit().setText("0.25")
    field.interpretText()
    field.editingFinished.emit()
    assert window.doc.model.param("J", "factor") == 0.25
    field.stepBy(1)  # shown "0.25": steps by 0.01
    assert window.doc.model.param("J", "factor") == 0.26
    window.act_undo.trigger()
    assert window.doc.model.param("J", "factor") == 0.25
    assert field.value() == 0.25
