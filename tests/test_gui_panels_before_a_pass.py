"""Before any pass, the teaching panels (Nudge, Sum over Paths, Check all) never show
numbers without saying where they come from: a line says that no Forward/Backward
pass has run on the canvas. Run → Clear (and an edit) leaves no Check all result."""

from __future__ import annotations

from gui import click, click_node, settle

NO_PASS = "No Forward/Backward pass has run"


def test_the_panels_say_no_pass_has_run_before_any_pass(open_example, tmp_path):
    window = open_example("chain_rule")
    teaching = window.teaching
    check, paths = teaching.check, teaching.paths
    teaching.check_dock.raise_()
    settle()
    assert window.doc.evaluation is None and window.scene.nodes["b"].grad_text == ""
    check.picker.set_current("b")
    click(check.nudge_button)
    click(check.check_all_button)
    settle()
    # Numbers are shown (the nudge needs a backward pass) and the panel says whose.
    assert check.boxes["analytic"][2].text() == "6"
    assert check.step_note.isVisibleTo(check) and check.step_note.text().startswith(NO_PASS)
    assert "for this panel alone" in check.step_note.text()
    check.grab().save(str(tmp_path / "check_before_pass.png"))
    # The note is drawn: the label has its size and lies inside the panel.
    note = check.step_note
    assert note.height() > 0 and check.rect().contains(note.geometry())

    teaching.show_paths()
    paths.show_input("b")
    settle()
    assert paths.step_note.text().startswith(NO_PASS) and paths.step_note.isVisibleTo(paths)
    assert paths.result is not None  # its numbers, explained by the line above them

    # After Forward only, it says that Backward has not run.
    window.act_forward.trigger()
    assert check.step_note.text().startswith("Only Forward has run")
    # After Backward the canvas shows the gradients: no line.
    window.act_backward.trigger()
    settle()
    assert check.step_note.text() == "" and not check.step_note.isVisibleTo(check)
    assert paths.step_note.text() == ""
    # Forward mode after Backward: tangents on the canvas, not "only Forward".
    click_node(window, "b")
    window.teaching.act_forward_mode.trigger()
    settle()
    assert window.doc.shown == "tangent"
    assert check.step_note.text().startswith("Forward mode is shown: the canvas shows no "
                                             "gradients")
    assert check.step_note.isVisibleTo(check)


def test_check_all_is_cleared_by_run_clear_and_by_an_edit(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    window.teaching.check_dock.raise_()
    window.act_backward.trigger()
    click(check.check_all_button)
    settle()
    assert check.table.rowCount() == 3 and check.summary.text().startswith("✓")
    window.act_clear.trigger()  # Run → Clear
    settle()
    assert check.rows is None and check.table.rowCount() == 0 and check.summary.text() == ""
    assert "cleared" in check.sentence.text()
    assert check.step_note.text().startswith(NO_PASS)

    # An edit (Live on: the numbers are re-run, the old check is stale all the same).
    window.act_backward.trigger()
    click(check.check_all_button)
    check.picker.set_current("a")
    click(check.nudge_button)
    assert check.rows is not None and check.result is not None
    window.doc.set_param("a", "value", 7.0)
    settle()
    assert check.rows is None and check.result is None and check.table.rowCount() == 0
    assert check.boxes["analytic"][2].text() == "–"
