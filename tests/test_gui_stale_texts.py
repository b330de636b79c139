"""No status or panel text describes a state that is gone: the status bar's
"Backward: every ∂e/∂node computed" goes when the numbers do, and the Explanation
panel's "Stepping ended" note goes with the graph it was about."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtTest import QTest
from gui import settle


def status(window) -> str:
    return window.statusBar().currentMessage()


def note(window) -> str:
    return window.stepping.panel.view.placeholderText()


def select_only(window, node_id):
    window.scene.clearSelection()
    window.scene.nodes[node_id].setSelected(True)


def test_the_pass_message_goes_when_delete_clears_the_numbers(open_example):
    window = open_example("colah_paths")
    window.act_backward.trigger()
    assert status(window) == "Backward: every ∂e/∂node computed"
    select_only(window, "d")
    QTest.keyClick(window.view, Qt.Key_Delete)
    assert "d" not in window.doc.model and window.doc.evaluation is None
    assert status(window) == ""
    # Drawn: the status bar shows no text any more (its left part is blank).
    settle()
    bar = window.statusBar()
    image = bar.grab().toImage()
    left = QRectF(0, 0, bar.width() // 3, bar.height()).toRect()
    assert not [x for y in range(left.top(), left.bottom()) for x in range(left.right())
                if image.pixelColor(x, y).lightness() < 100]


@pytest.mark.parametrize("change", ("clear", "undo", "open", "new", "forward", "step"))
def test_the_pass_message_goes_with_the_pass_it_describes(open_example, examples, change):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    assert status(window).startswith("Backward: every ∂J/∂node")
    if change == "clear":
        window.act_clear.trigger()
    elif change == "undo":
        window.doc.set_param("a", "value", 7.0)  # (an edit clears the numbers too)
        assert status(window) == ""
        window.act_backward.trigger()
        window.act_undo.trigger()
    elif change == "open":
        window.open_path(examples / "colah_paths.json")
    elif change == "new":
        window.act_new.trigger()
    elif change == "forward":
        window.act_forward.trigger()
        assert status(window) == "Forward: every value and local derivative computed"
        return
    elif change == "step":
        QTest.keyClick(window, Qt.Key_F7)
        assert status(window).startswith("Step 1 of")
        return
    assert not status(window).startswith("Backward")


def test_a_message_about_something_else_stays(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    window.status("Exported /tmp/x.png")
    window.act_clear.trigger()
    assert status(window) == "Exported /tmp/x.png"


def test_the_step_message_goes_when_the_stepping_ends(open_example):
    window = open_example("chain_rule")
    QTest.keyClick(window, Qt.Key_F7)
    assert status(window) == "Step 1 of 8"
    window.doc.set_param("a", "value", 6.0)
    assert not window.stepping.stepper.active
    assert status(window) == ""


def test_the_stepping_ended_note_goes_when_another_graph_opens(open_example, examples):
    window = open_example("chain_rule")
    QTest.keyClick(window, Qt.Key_F7)
    window.doc.set_param("a", "value", 6.0)
    assert note(window).startswith("Stepping ended: the graph was edited.")
    window.open_path(examples / "colah_paths.json")
    assert "Stepping ended" not in note(window)
    # Opened while stepping: no note either (the steps were of the other graph).
    QTest.keyClick(window, Qt.Key_F7)
    assert window.stepping.stepper.active
    window.open_example("square")
    assert not window.stepping.stepper.active
    assert "Stepping ended" not in note(window) and window.stepping.panel.text() == ""
    QTest.keyClick(window, Qt.Key_F7)
    window.act_new.trigger()
    assert note(window).startswith("Step Forward (F7)")


@pytest.mark.parametrize("how, why", (
    ("edit", "the graph was edited"),
    ("pass", "a whole pass was run"),
    ("clear", "Clear removed the numbers"),
))
def test_the_note_says_what_ended_the_stepping(open_example, how, why):
    window = open_example("chain_rule")
    QTest.keyClick(window, Qt.Key_F7)
    if how == "edit":
        window.doc.set_param("a", "value", 6.0)
    elif how == "pass":
        window.act_backward.trigger()
    else:
        window.act_clear.trigger()
    assert note(window).startswith(f"Stepping ended: {why}.")


def test_undo_of_an_edit_made_before_the_stepping_ends_it_as_an_edit(open_example):
    window = open_example("chain_rule")
    window.doc.set_param("a", "value", 6.0)
    QTest.keyClick(window, Qt.Key_F7)
    window.act_undo.trigger()
    assert note(window).startswith("Stepping ended: the graph was edited.")
