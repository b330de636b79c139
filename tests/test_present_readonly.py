"""Presentation mode is read-only, its line tells a quiz's numbers as they are now, and
leaving it leaves the Explanation panel as the window's own steps write it.

Real mouse drags, clicks and key presses at real places on the canvas; numbers
checked against J = 3(a + b·c) with a = 5, b = 3, c = 2 worked by hand: u = 6,
v = 11, J = 33; ∂J/∂u = 3, ∂J/∂b = 6, ∂J/∂c = 9, ∂J/∂a = 3."""

from __future__ import annotations

import pytest
from gui import assert_summed_up, double_click, drag, input_port, node_center, output_port, \
    present_line, press_keys, settle
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gradstudio.ui.canvas.view import OP_MIME
from gradstudio.ui.lecture.present_line import GAP

pytestmark = pytest.mark.usefixtures("look_back")


def positions(window) -> dict:
    model = window.doc.model
    return {n: model.position(n) for n in model.graph.nodes}


def the_graph(window) -> tuple:
    model = window.doc.model
    return (sorted(model.graph.nodes), sorted(model.graph.edges(keys=True)),
            {n: model.label(n) for n in model.graph.nodes}, positions(window))


def shown(window):
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


def in_sight_now(window) -> list[str]:
    return sorted(n for n, item in window.scene.nodes.items()
                  if shown(window).contains(item.sceneBoundingRect()))


def test_a_drag_on_a_node_moves_nothing_not_even_the_view(presenting):
    # The presenter's mouse is a pointer: a press-drag on u (or on the empty canvas,
    # with any button) leaves the nodes, the wires and the view as they were, so the
    # nodes on the screen stay there (the lecturer's trial: J and c went off it).
    window = presenting
    view = window.view
    before, graph = positions(window), the_graph(window)
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    scrolled, transform = [b.value() for b in bars], view.transform()
    in_sight = in_sight_now(window)
    assert len(in_sight) >= 4
    press_keys(view, Qt.Key_Right)
    settle()
    start = node_center(window, "u")
    drag(view, start, start + QPointF(150, 90))
    drag(view, start, start + QPointF(-300, -200))
    drag(view, QPointF(shown(window).center()), QPointF(shown(window).center()) + QPointF(200, 0),
         button=Qt.MiddleButton)
    settle()
    assert positions(window) == before and the_graph(window) == graph
    assert not window.scene.selectedItems()  # nor selected (its blue is the step's)
    assert [b.value() for b in bars] == scrolled and view.transform() == transform
    assert in_sight_now(window) == in_sight
    assert window.stepping.stepper.position == 1  # and the step where it was
    assert not view.viewport().cursor().shape() == Qt.ClosedHandCursor
    # Nor is a wire drawn from an output port to a free input, or one pulled off.
    drag(view, output_port(window, "a"), input_port(window, "u", 0))
    drag(view, input_port(window, "v", 0), input_port(window, "v", 0) + QPointF(-200, 0))
    settle()
    assert the_graph(window)[:2] == graph[:2]
    assert window.doc.undo_stack.count() == 0


def test_delete_and_the_edit_shortcuts_do_nothing(presenting):
    window = presenting
    graph = the_graph(window)
    window.scene.nodes["u"].setSelected(True)  # (as a selection made before presenting)
    for key, modifier in ((Qt.Key_Delete, Qt.NoModifier), (Qt.Key_Backspace, Qt.NoModifier),
                          (Qt.Key_X, Qt.ControlModifier), (Qt.Key_D, Qt.ControlModifier),
                          (Qt.Key_V, Qt.ControlModifier), (Qt.Key_Z, Qt.ControlModifier),
                          (Qt.Key_L, Qt.ControlModifier | Qt.ShiftModifier),
                          (Qt.Key_Tab, Qt.NoModifier)):
        press_keys(window.view, key, modifier=modifier)
        settle()
    assert the_graph(window) == graph and window.doc.undo_stack.count() == 0
    assert not window.quick_add.isVisible()  # Tab's quick add did not open
    # The steps' keys still work, and Esc leaves.
    press_keys(window.view, Qt.Key_Right)
    assert window.stepping.stepper.position == 1
    press_keys(window.view, Qt.Key_Escape)
    settle()
    # The window edits again: Delete removes the selected node.
    window.scene.nodes["u"].setSelected(True)
    window.view.setFocus()
    press_keys(window.view, Qt.Key_Delete)
    assert "u" not in window.doc.model.graph.nodes


def test_undo_while_presenting_does_nothing_and_works_after(open_example):
    window = open_example("chain_rule")
    start = node_center(window, "a")
    drag(window.view, start, start + QPointF(60, 0))  # an edit before presenting
    moved = positions(window)
    assert window.doc.undo_stack.count() == 1
    press_keys(window, Qt.Key_F11)
    press_keys(window.view, Qt.Key_Z, modifier=Qt.ControlModifier)
    assert positions(window) == moved
    press_keys(window.view, Qt.Key_Escape)
    settle()
    window.view.setFocus()
    press_keys(window.view, Qt.Key_Z, modifier=Qt.ControlModifier)
    assert positions(window) != moved  # undone, now the window edits again


def test_no_rename_no_quick_add_no_drop(presenting):
    window = presenting
    view = window.view
    graph = the_graph(window)
    header = window.scene.nodes["v"].mapToScene(window.scene.nodes["v"].header_rect().center())
    double_click(view, header)
    settle()
    assert not window.inline_editor.isVisible()
    double_click(view, view.mapToScene(QPoint(20, 20)))  # on the empty canvas
    settle()
    assert not window.quick_add.isVisible()
    # A node dropped from the palette is refused.
    mime = QMimeData()
    mime.setData(OP_MIME, b"add")
    drop = QDropEvent(QPointF(200, 200), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(view.viewport(), drop)
    settle()
    assert the_graph(window) == graph and not drop.isAccepted()
    press_keys(view, Qt.Key_Escape)
    settle()
    # Out of presentation the same double-click opens the name field again.
    header = window.scene.nodes["v"].mapToScene(window.scene.nodes["v"].header_rect().center())
    double_click(view, header)  # (at 100 %: the header is smaller there)
    settle()
    assert window.inline_editor.isVisible()


def test_leaving_at_the_bare_graph_leaves_it_bare(presenting):
    window = presenting
    press_keys(window.view, Qt.Key_Right, Qt.Key_Home, Qt.Key_Escape)
    settle()
    assert window.doc.evaluation is None and not window.stepping.stepper.active
    assert "Stepping ended" not in window.stepping.panel.view.placeholderText()


# ------------------------------------------------------------------- quizzes
def test_a_revealed_number_shows_on_the_line(open_example):
    window = open_example("chain_rule")
    window.quiz_mode.set_quiz(("value",), (["u", "v"], []))  # u's and v's values asked
    press_keys(window, Qt.Key_F11)
    view = window.view
    press_keys(view, Qt.Key_Right)  # step 1, u: its value hidden
    assert present_line(window).startswith("u = b × c = 3 × 2 = ?")
    press_keys(view, Qt.Key_Right)  # reveals u's value: the line says it too
    assert window.scene.nodes["u"].value_text == "= 6"
    assert present_line(window).startswith("u = b × c = 3 × 2 = 6")
    press_keys(view, Qt.Key_Right)  # step 2, v: u shown, v still asked
    assert present_line(window).startswith("v = a + u = 5 + 6 = ?")
    press_keys(view, Qt.Key_Right)
    assert present_line(window).startswith("v = a + u = 5 + 6 = 11")
    press_keys(view, Qt.Key_End)  # J's value is not asked: every number shows
    assert_summed_up(window, "J = 33", ["∂J/∂a = 3", "∂J/∂b = 6", "∂J/∂c = 9"])
    press_keys(view, Qt.Key_Escape)


def test_a_click_on_a_question_mark_shows_on_the_line(open_example):
    window = open_example("chain_rule")
    # (∂J/∂a: End's line lists a first, and on the tests' 800 px screen it has room
    # for one gradient beside "All numbers shown: J = 33".)
    window.quiz_mode.set_quiz(("grad",), (["a"], []))  # only ∂J/∂a is asked
    press_keys(window, Qt.Key_F11)
    settle()
    view, a = window.view, window.scene.nodes["a"]
    press_keys(view, *[Qt.Key_Right] * 8)
    settle()
    assert a.grad_text == "∂J/∂a = ?" and present_line(window).endswith("= ?")
    spot = window.quiz_mode.spot(("grad", "a"))
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     view.mapFromScene(spot.center()))
    QTest.qWait(QApplication.styleHints().mouseDoubleClickInterval() + 100)
    settle()
    assert a.grad_text == "∂J/∂a = 3"
    assert present_line(window) == "∂J/∂a = ∂J/∂v · ∂v/∂a = 3 × 1 = 3"
    press_keys(view, Qt.Key_End)  # the end's summary with a number asked and revealed
    assert_summed_up(window, "J = 33", ["∂J/∂a = 3", "∂J/∂b = 6", "∂J/∂c = 9"])
    press_keys(view, Qt.Key_Escape)


def test_the_summary_keeps_a_hidden_number_hidden(open_example):
    window = open_example("chain_rule")
    window.quiz_mode.set_quiz(("grad",), (["a"], []))
    press_keys(window, Qt.Key_F11)
    press_keys(window.view, Qt.Key_End)
    assert_summed_up(window, "J = 33", ["∂J/∂a = ?", "∂J/∂b = 6", "∂J/∂c = 9"])
    press_keys(window.view, Qt.Key_Escape)


# ------------------------------------------------------- the panel afterwards
def entries(window) -> list[str]:
    """The Explanation panel's headings, in order."""
    return [block for block in window.stepping.panel.text().split("\n")
            if block.startswith("Step ")]


def test_leaving_writes_the_panel_as_the_windows_steps_would(open_example):
    window = open_example("chain_rule")
    press_keys(window, Qt.Key_F11)
    view = window.view
    press_keys(view, Qt.Key_Right, Qt.Key_Right, Qt.Key_End, Qt.Key_PageUp)  # End, then back
    press_keys(view, Qt.Key_Escape)
    settle()
    assert window.stepping.stepper.position == 7
    assert entries(window) == [
        "Step 1 of 8 · Forward: u", "Step 2 of 8 · Forward: v", "Step 3 of 8 · Forward: J",
        "Step 4 of 8 · Backward: v", "Step 5 of 8 · Backward: u", "Step 6 of 8 · Backward: c",
        "Step 7 of 8 · Backward: b"]
    text = window.stepping.panel.text()
    assert text.rstrip().endswith("∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6")
    assert "Backward pass from the output: ∂J/∂J = 1" in text
    assert "finished in one go" not in text
    # Step Back in the window now goes back one step, its entry with it.
    window.stepping.act_step_back.trigger()
    assert window.stepping.stepper.position == 6 and entries(window)[-1].startswith("Step 6")


def test_leaving_a_quiz_shows_the_revealed_numbers_in_the_panel(open_example):
    window = open_example("chain_rule")
    window.quiz_mode.set_quiz(("value",), (["u"], []))
    press_keys(window, Qt.Key_F11)
    press_keys(window.view, Qt.Key_Right)
    assert present_line(window).startswith("u = b × c = 3 × 2 = ?")
    press_keys(window.view, Qt.Key_Right)  # revealed
    assert present_line(window) == GAP.join(["u = b × c = 3 × 2 = 6", "∂u/∂b = c = 2", "∂u/∂c = b = 3"])
    press_keys(window.view, Qt.Key_Escape)
    settle()
    text = window.stepping.panel.text()
    assert "u = b × c = 3 × 2 = 6" in text and "= ?" not in text


def test_a_student_types_an_answer_while_presenting(open_example):
    window = open_example("chain_rule")
    window.quiz_mode.set_quiz(("grad",), (["b"], []))
    press_keys(window, Qt.Key_F11)
    settle()
    view, stepper = window.view, window.stepping.stepper
    press_keys(view, *[Qt.Key_Right] * 7)
    settle()
    double_click(view, window.quiz_mode.spot(("grad", "b")).center())
    settle()
    field = window.quiz_mode.field
    assert field.isVisible()
    # The field has the keys: ← and Backspace edit the answer, they do not step back
    # nor delete a node.
    QTest.keyClicks(field, "65")
    press_keys(field, Qt.Key_Left, Qt.Key_Backspace)
    assert field.text() == "5" and stepper.position == 7
    field.clear()
    QTest.keyClicks(field, "6")
    press_keys(field, Qt.Key_Return)
    settle()
    assert window.scene.nodes["b"].grad_text == "∂J/∂b = 6 ✓"
    assert window.presentation.presenting and stepper.position == 7
    assert present_line(window) == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6"  # answered: it shows
    press_keys(view, Qt.Key_Escape)
