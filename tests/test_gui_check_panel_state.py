"""The Check panel's line says what the panel and the canvas show now, its buttons stay
where they are whatever the texts under them say, and F9 with no input selected
says what to select (a lecturer's findings 4, 5 and 13)."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from gradstudio.ui.teaching.check_panel import CLEARED, PROMPT
from gui import check_all_after_backward, node_center, settle, to_view


def where(widget) -> QPoint:
    return widget.mapTo(widget.window(), QPoint(0, 0))


def click_at_window_point(window, point: QPoint) -> None:
    """A click on whatever is drawn at ``point`` of the window (as a mouse would)."""
    target = window.childAt(point)
    assert target is not None
    QTest.mouseClick(target, Qt.LeftButton, Qt.NoModifier, target.mapFrom(window, point))


def centre(widget) -> QPoint:
    return where(widget) + widget.rect().center()


def test_the_buttons_stay_put_through_nudge_check_all_and_steps(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    window.teaching.check_dock.show()
    window.teaching.check_dock.raise_()
    settle()
    nudge_at, check_at = centre(check.nudge_button), centre(check.check_all_button)
    assert check_at.y() > nudge_at.y()  # under the nudge row, above the texts
    assert check.check_all_button.geometry().bottom() < check.sentence.geometry().top()

    click_at_window_point(window, nudge_at)
    settle()
    assert check.result is not None and check.verdict.text().startswith("✓")
    assert centre(check.check_all_button) == check_at
    click_at_window_point(window, check_at)  # the same spot: Check all, not nothing
    settle()
    assert check.rows is not None and check.summary.text().startswith("✓ All 3")
    assert (centre(check.nudge_button), centre(check.check_all_button)) == (nudge_at, check_at)

    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_F7)  # Step Forward: the step note comes
    window.teaching.check_dock.raise_()  # (stepping raises the Explanation's tab)
    settle()
    assert check.step_note.isVisible()
    assert (centre(check.nudge_button), centre(check.check_all_button)) == (nudge_at, check_at)
    window.grab().save("/tmp/check_state_after.png")


def test_the_line_is_not_left_saying_cleared_while_the_numbers_show(open_example, look_back):
    window = open_example("chain_rule")
    check = window.teaching.check
    window.view.setFocus()
    for _ in range(3):  # a few steps, then the checks (as the lecturer did)
        QTest.keyClick(window.view, Qt.Key_F7)
    check.run_nudge("a")
    window.teaching.check_all()
    QTest.keyClick(window, Qt.Key_F11)
    settle()
    for key in (Qt.Key_Home, Qt.Key_Right, Qt.Key_Right, Qt.Key_End, Qt.Key_Escape):
        QTest.keyClick(window, key)
        settle()
    assert not window.presentation.presenting
    assert window.doc.evaluation is not None  # the canvas shows the numbers...
    assert window.scene.nodes["a"].grad_text.endswith("= 3")
    assert check.sentence.text() != CLEARED  # ...so the line does not say they went

    # Cleared for real (Run > Clear), the line says so; Backward brings the prompt back.
    window.teaching.check_all()
    window.act_clear.trigger()
    assert check.rows is None and check.sentence.text() == CLEARED
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_F6)
    assert window.doc.evaluation is not None and check.sentence.text() == PROMPT


def test_a_fresh_check_all_replaces_the_cleared_line(open_example):
    window = open_example("chain_rule")
    check = check_all_after_backward(window)
    window.act_clear.trigger()  # Run > Clear: the results go, the line says why
    assert check.sentence.text() == CLEARED
    QTest.mouseClick(check.check_all_button, Qt.LeftButton)
    assert check.rows is not None
    assert check.sentence.text() == PROMPT


def test_f9_with_nothing_selected_says_what_to_select(open_example):
    window = open_example("chain_rule")
    window.scene.clearSelection()
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_F9)
    message = window.statusBar().currentMessage()
    assert "No input is selected" in message and "a, b, c" in message
    assert window.teaching.check.result is None
    item = window.scene.nodes["u"]
    QTest.mouseClick(window.view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     to_view(window.view, node_center(window, "u")))
    assert window.selected_node_ids() == ["u"]
    QTest.keyClick(window.view, Qt.Key_F9)
    assert window.statusBar().currentMessage().startswith("u is not an input: click one input")
    QTest.mouseClick(window.view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     to_view(window.view, node_center(window, "a")))
    QTest.keyClick(window.view, Qt.Key_F9)
    assert window.teaching.check.result is not None
    assert item is window.scene.nodes["u"]
