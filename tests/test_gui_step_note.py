"""While stepping, the Check (Nudge) and Paths panels say that their numbers are
those of the full backward pass, and whether the canvas shows that gradient yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def notes(window):
    teaching = window.teaching
    return teaching.check.step_note, teaching.paths.step_note


def test_the_panels_say_they_show_the_full_pass_while_stepping(open_example):
    window = open_example("chain_rule")
    teaching = window.teaching
    assert teaching.check.run_nudge("b")
    teaching.show_paths()
    teaching.paths.show_input("b")
    check_note, paths_note = notes(window)
    # No pass has run yet: the panels say so (tests/test_gui_panels_before_a_pass.py).
    assert check_note.text().startswith("No Forward/Backward pass has run")
    window.act_backward.trigger()
    assert not check_note.isVisibleTo(teaching.check) and check_note.text() == ""

    QTest.keyClick(window, Qt.Key_F7)  # Step Forward: u only
    teaching.check_dock.raise_()
    assert check_note.isVisibleTo(teaching.check)
    assert check_note.text() == ("Numbers of the full backward pass: the canvas is at step "
                                 "1 of 8 and does not show ∂J/∂b yet.")
    assert window.scene.nodes["b"].grad_text == ""  # indeed: none on the canvas
    assert teaching.check.boxes["analytic"][2].text() == "6"  # the panel's number stays
    assert paths_note.text() == check_note.text()

    for _ in range(4):  # backward: v, u, c, b — b's gradient is now drawn
        QTest.keyClick(window, Qt.Key_F8)
    assert window.scene.nodes["b"].grad_text == "∂J/∂b = 6"
    assert check_note.text().endswith("at step 7 of 8 and already shows ∂J/∂b.")
    teaching.check.picker.set_current("a")  # a's gradient is not drawn yet
    assert check_note.text().endswith("does not show ∂J/∂a yet.")

    QTest.keyClick(window, Qt.Key_F8)  # the last step: the canvas shows the whole pass
    assert check_note.text() == "" and not check_note.isVisibleTo(teaching.check)
    assert paths_note.text() == ""


def test_a_whole_pass_or_an_edit_ends_the_note(open_example):
    window = open_example("colah_paths")
    check_note, _paths_note = notes(window)
    QTest.keyClick(window, Qt.Key_F7)
    assert check_note.text().startswith("Numbers of the full backward pass")
    window.act_backward.trigger()
    assert check_note.text() == ""
    QTest.keyClick(window, Qt.Key_F7)
    assert check_note.text() != ""
    window.doc.set_param("a", "value", 4.0)
    assert not check_note.text().startswith("Numbers of the full backward pass")
    assert check_note.text().startswith("No Forward/Backward pass has run")  # cleared
