"""Forward and Backward on the canvas: the drawn texts, against hand-worked numbers."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui import assert_labels_clear, double_click


def chips(window, edge):
    item = window.scene.edges[edge]
    return item.above.texts, item.below.texts


def test_forward_then_backward_on_chain_rule_draws_the_course_numbers(open_example):
    window = open_example("chain_rule")
    # Nothing computed yet: values read "?" (not 0) and no chips are shown.
    assert window.scene.nodes["J"].value_text == "= ?"
    assert window.scene.nodes["J"].value_pending
    assert chips(window, ("b", "u", 0)) == ([], [])

    window.act_forward.trigger()
    assert window.scene.nodes["J"].value_text == "= 33"
    assert window.scene.nodes["u"].value_text == "= 6"
    assert chips(window, ("b", "u", 0)) == (["3", "∂u/∂b = 2"], [])
    assert chips(window, ("u", "v", 1)) == (["6", "∂v/∂u = 1"], [])
    assert chips(window, ("v", "J", 0)) == (["11", "∂J/∂v = 3"], [])
    assert window.scene.nodes["b"].grad_text == ""

    window.act_backward.trigger()
    grads = {n: window.scene.nodes[n].grad_text for n in "abcuvJ"}
    assert grads == {"a": "∂J/∂a = 3", "b": "∂J/∂b = 6", "c": "∂J/∂c = 9",
                     "u": "∂J/∂u = 3", "v": "∂J/∂v = 3", "J": "∂J/∂J = 1"}
    assert chips(window, ("b", "u", 0))[1] == ["← 6"]
    assert chips(window, ("c", "u", 1))[1] == ["← 9"]
    assert window.scene.nodes["J"].is_output


def test_backward_twice_shows_the_same_numbers(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    first = {n: i.grad_text for n, i in window.scene.nodes.items()}
    window.act_backward.trigger()
    assert {n: i.grad_text for n, i in window.scene.nodes.items()} == first


def test_colah_fan_out_is_drawn_as_the_sum_of_its_wires(open_example):
    window = open_example("colah_paths")
    window.act_backward.trigger()
    assert window.scene.nodes["b"].grad_text == "∂e/∂b = 2 + 3 = 5"
    assert chips(window, ("b", "c", 1))[1] == ["← 2"]
    assert chips(window, ("b", "d", 0))[1] == ["← 3"]
    assert window.scene.nodes["a"].grad_text == "∂e/∂a = 2"


def test_square_draws_two_distinct_wires_with_their_own_locals(open_example):
    window = open_example("square")
    window.act_forward.trigger()
    first, second = window.scene.edges[("a", "sq", 0)], window.scene.edges[("a", "sq", 1)]
    assert first.path().pointAtPercent(1.0) != second.path().pointAtPercent(1.0)
    assert first.above.texts == ["3", "∂u/∂a₀ = 3"]
    assert second.above.texts == ["3", "∂u/∂a₁ = 3"]
    window.act_backward.trigger()
    assert window.scene.nodes["a"].grad_text == "∂J/∂a = 1.5 + 1.5 = 3"


def test_labels_sit_on_no_wire_node_or_other_label_in_the_examples(open_example, example_name):
    window = open_example(example_name)
    window.act_backward.trigger()
    assert_labels_clear(window, example_name)


def test_an_edit_clears_the_numbers_and_live_recomputes_them(open_example, qtbot):
    window = open_example("chain_rule")
    window.act_forward.trigger()
    window.doc.set_param("a", "value", 6)
    assert window.scene.nodes["J"].value_text == "= ?"  # cleared, never shown stale
    assert window.scene.edges[("a", "v", 0)].above.texts == []

    window.act_live.trigger()
    assert window.act_live.isChecked()
    window.act_forward.trigger()
    assert window.scene.nodes["J"].value_text == "= 36"
    # Edit a's value in place: double-click on its value line, type, Enter.
    item = window.scene.nodes["a"]
    double_click(window.view, item.mapToScene(item.value_rect().center()))
    assert window.inline_editor.isVisible()
    window.inline_editor.selectAll()
    QTest.keyClicks(window.inline_editor, "7")
    QTest.keyClick(window.inline_editor, Qt.Key_Return)
    assert window.doc.model.param("a", "value") == 7
    assert window.scene.nodes["J"].value_text == "= 39"  # 3·(7 + 6)
    assert window.scene.edges[("a", "v", 0)].above.texts[0] == "7"


def test_text_that_is_not_a_number_is_refused_and_the_old_value_stays(open_example):
    window = open_example("chain_rule")
    item = window.scene.nodes["a"]
    double_click(window.view, item.mapToScene(item.value_rect().center()))
    window.inline_editor.selectAll()
    QTest.keyClicks(window.inline_editor, "five")
    QTest.keyClick(window.inline_editor, Qt.Key_Return)
    assert window.doc.model.param("a", "value") == 5
    assert "not a number" in window.statusBar().currentMessage()
    assert not window.doc.dirty


def test_a_refused_pass_names_the_node_and_highlights_it(window, qtbot):
    doc = window.doc
    doc.add_node("input", 0, 0)
    doc.add_node("multiply", 300, 0)
    doc.connect("a", "mul1", 0)
    window.act_forward.trigger()
    assert "port 1" in window.statusBar().currentMessage()
    assert "mul1" in window.statusBar().currentMessage()
    assert window.scene.nodes["mul1"].error
    assert window.doc.evaluation is None


def test_non_finite_results_show_on_the_node_and_in_the_status_bar(window):
    doc = window.doc
    doc.add_node("input", 0, 0)
    doc.set_param("a", "value", 0)
    doc.add_node("log", 300, 0)
    doc.connect("a", "log1", 0)
    window.act_backward.trigger()
    assert window.scene.nodes["log1"].value_text == "= −inf  (log of a number ≤ 0)"
    assert "log1" in window.statusBar().currentMessage()
    assert "log of a number ≤ 0" in window.statusBar().currentMessage()


def test_set_as_output_marks_the_node_and_backward_uses_it(open_example):
    window = open_example("chain_rule")
    window.doc.set_output("v")
    assert window.scene.nodes["v"].is_output and not window.scene.nodes["J"].is_output
    window.act_backward.trigger()
    assert window.scene.nodes["b"].grad_text == "∂v/∂b = 2"
    window.doc.undo_stack.undo()
    assert window.doc.model.output == "J"
