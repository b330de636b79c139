"""The Formula: field and Arrange (auto-layout, snap to grid, align), with real Qt events."""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from gradstudio.core.layout import count_crossings
from gui import drag, node_center, type_formula


def item_rects(window):
    return {n: item.sceneBoundingRect() for n, item in window.scene.nodes.items()}


def assert_no_overlaps(window):
    for (a, ra), (b, rb) in combinations(item_rects(window).items(), 2):
        assert not ra.intersects(rb), (a, b, ra, rb)


def test_typing_a_formula_and_enter_builds_the_graph_ready_for_backward(window):
    type_formula(window, "J = 3*(a + b*c), a=5, b=3, c=2")
    model = window.doc.model
    assert sorted(model.nodes()) == ["J", "a", "b", "c", "u", "v"]
    assert set(window.scene.nodes) == set(model.nodes())
    assert "Built" in window.statusBar().currentMessage()
    assert window.windowTitle().startswith("Untitled")  # no J.json exists
    assert window.isWindowModified() and window.doc.dirty  # never saved: unsaved work
    assert "J = 3*(a + b*c)" in window.doc_label.toolTip()
    assert_no_overlaps(window)
    window.act_backward.trigger()
    grads = {n: window.scene.nodes[n].grad_text for n in "abc"}
    assert grads == {"a": "∂J/∂a = 3", "b": "∂J/∂b = 6", "c": "∂J/∂c = 9"}
    assert window.scene.nodes["J"].value_text == "= 33"


def test_a_bad_formula_shows_the_column_and_keeps_the_graph(window):
    type_formula(window, "J = a*b")
    before = window.doc.model
    type_formula(window, "J = 3*(a + b")
    assert window.doc.model is before
    message = window.statusBar().currentMessage()
    assert message == "formula: column 7: '(' was never closed"
    assert window.asked == 0


def test_a_dirty_graph_asks_first_and_cancel_keeps_it(window):
    window.doc.add_node("input", 0, 0)
    assert window.doc.dirty
    window.answers = ["cancel"]
    type_formula(window, "e = (a+b)*(b+1), a=2, b=1")
    assert window.asked == 1
    assert window.doc.model.nodes() == ["a"]
    window.answers = ["discard"]
    QTest.keyClick(window.formula_bar.field, Qt.Key_Return)
    assert window.asked == 2
    assert "e" in window.doc.model
    window.act_backward.trigger()
    assert window.scene.nodes["b"].grad_text == "∂e/∂b = 2 + 3 = 5"


def test_new_from_formula_menu_action_focuses_the_field(window, qtbot):
    window.act_new_formula.trigger()
    qtbot.waitUntil(lambda: window.formula_bar.field.hasFocus())


def piled_up_graph(window):
    """A tangled graph with every node dropped at nearly the same place."""
    doc = window.doc
    for i in range(6):
        doc.add_node("input", 10 * i, 5 * i)
    pairs = [("a", "f"), ("b", "e"), ("c", "d")]
    muls = []
    for x, y in pairs:
        m = doc.add_node("multiply", 20, 20)
        doc.connect(x, m, 0)
        doc.connect(y, m, 1)
        muls.append(m)
    s1 = doc.add_node("add", 30, 30)
    doc.connect(muls[2], s1, 0)
    doc.connect(muls[0], s1, 1)
    s2 = doc.add_node("add", 40, 40)
    doc.connect(s1, s2, 0)
    doc.connect(muls[1], s2, 1)
    return doc


def scene_positions(window):
    return {n: (i.pos().x(), i.pos().y()) for n, i in window.scene.nodes.items()}


def test_auto_layout_leaves_no_overlapping_nodes_and_undo_restores_positions(window):
    doc = piled_up_graph(window)
    before = scene_positions(window)
    crossings_before = count_crossings(doc.model, before)
    steps = doc.undo_stack.count()
    window.arrange.act_auto_layout.trigger()
    assert doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.undoText() == "Auto-layout"
    assert_no_overlaps(window)
    after = scene_positions(window)
    assert after == {n: doc.model.position(n) for n in doc.model.nodes()}
    for u, v, _p in doc.model.edges():
        assert after[u][0] < after[v][0]
    sizes = {n: (i.rect().width(), i.rect().height()) for n, i in window.scene.nodes.items()}
    assert count_crossings(doc.model, after, sizes) == 0 <= crossings_before
    window.act_undo.trigger()
    assert scene_positions(window) == before
    window.act_redo.trigger()
    assert scene_positions(window) == after


def test_auto_layout_keeps_the_numbers_shown(open_example):
    window = open_example("colah_paths")
    window.act_backward.trigger()
    window.arrange.act_auto_layout.trigger()
    assert window.doc.evaluation is not None
    assert window.scene.nodes["b"].grad_text == "∂e/∂b = 2 + 3 = 5"
    assert_no_overlaps(window)


def with_output(doc):
    """Give the lone input a consumer, so it is not itself the graph's output."""
    doc.add_node("exp", 400, 300)
    doc.connect("a", "exp1", 0)


def test_snap_to_grid_puts_a_dragged_node_on_the_grid_in_one_undo_step(window, qtbot):
    doc = window.doc
    doc.add_node("input", 3, 7)
    with_output(doc)
    window.view.resetTransform()
    window.view.centerOn(QPointF(100, 60))
    assert not window.arrange.act_snap.isChecked()
    window.arrange.act_snap.trigger()
    assert window.arrange.act_snap.isChecked()
    start = node_center(window, "a")
    drag(window.view, start, start + QPointF(57, 33))
    x, y = doc.model.position("a")
    assert (x % 20, y % 20) == (0, 0), (x, y)
    assert (x, y) != (3, 7)
    item = window.scene.nodes["a"]
    assert (item.pos().x(), item.pos().y()) == (x, y)
    window.act_undo.trigger()
    assert doc.model.position("a") == (3, 7)
    # Off again: a drag lands where it is dropped.
    window.arrange.act_snap.trigger()
    start = node_center(window, "a")
    drag(window.view, start, start + QPointF(57, 33))
    assert doc.model.position("a") == (60, 40)


def test_a_click_without_a_drag_does_not_snap_a_node(window):
    doc = window.doc
    doc.add_node("input", 3, 7)
    with_output(doc)
    window.view.centerOn(QPointF(60, 40))
    window.arrange.act_snap.trigger()
    steps = doc.undo_stack.count()
    center = node_center(window, "a")
    drag(window.view, center, center, steps=1)
    assert doc.model.position("a") == (3, 7)
    assert doc.undo_stack.count() == steps


def test_align_left_and_top_edges_of_the_selection_undoably(window):
    doc = window.doc
    doc.add_node("input", 100, 0)
    doc.add_node("input", 40, 200)
    doc.add_node("input", 300, 90)
    for n in ("a", "b"):
        window.scene.nodes[n].setSelected(True)
    window.arrange.act_align_left.trigger()
    assert doc.model.position("a") == (40, 0) and doc.model.position("b") == (40, 200)
    assert doc.model.position("c") == (300, 90)  # not selected
    assert doc.undo_stack.undoText() == "Align left edges"
    window.scene.nodes["c"].setSelected(True)
    window.arrange.act_align_top.trigger()
    assert {doc.model.position(n)[1] for n in "abc"} == {0}
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert [doc.model.position(n) for n in "abc"] == [(100, 0), (40, 200), (300, 90)]


def test_align_with_one_node_selected_says_so(window):
    window.doc.add_node("input", 0, 0)
    with_output(window.doc)
    window.scene.nodes["a"].setSelected(True)
    steps = window.doc.undo_stack.count()
    window.arrange.act_align_left.trigger()
    assert "two or more" in window.statusBar().currentMessage()
    assert window.doc.undo_stack.count() == steps
