"""A quiz hides its numbers in the Check, Nudge and Paths panels too, driven by real
clicks: results shown before the quiz is set up turn to ? at once, and come back
when it ends.

chain_rule, J = 3(a + b·c) at a=5, b=3, c=2, worked by hand: J = 33, ∂J/∂a = 3,
∂J/∂b = 6, ∂J/∂c = 9, ∂u/∂b = c = 2, ∂v/∂u = 1, ∂J/∂v = 3; a nudge of b by 0.5 makes
J = 3(5 + 3.5·2) = 36.
"""

from __future__ import annotations

from test_gui_quiz import _set_up_from_the_menu
from gui import click, click_node, table_rows

from gradstudio.core import quiz as quizzes


def test_nudge_and_check_all_hide_what_the_quiz_hides(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    window.teaching.check_dock.raise_()
    window.act_backward.trigger()
    click_node(window, "b")
    check.h_edit.setText("0.5")
    click(check.nudge_button)
    click(check.check_all_button)
    assert check.boxes["analytic"][2].text() == "6"
    assert [row[2] for row in table_rows(check.table)] == ["3", "6", "9"]
    _set_up_from_the_menu(window)  # every value, local derivative and gradient
    assert check.change.text() == "b: 3 → 3.5    J: ? → ?"
    assert [check.boxes[k][2].text() for k in ("slope", "analytic")] == ["?", "?"]
    assert check.sentence.text() == ("b = 3 → 3.5 makes J = ? → ?, so ∂J/∂b ≈ ?; "
                                     "the backward pass gives ?.")
    rows = table_rows(check.table)
    assert [(r[0], r[2], r[3]) for r in rows] == [("a", "?", "?"), ("b", "?", "?"),
                                                  ("c", "?", "?")]
    shown = " ".join([check.change.text(), check.sentence.text()]  # (not the relative
                     + [c for r in rows for c in r[:4] + r[5:]])     # differences, 1.6e-10)
    assert not any(n in shown for n in ("6", "9", "33", "36"))
    window.quiz_mode.act_end.trigger()
    assert check.boxes["analytic"][2].text() == "6"
    assert check.change.text() == "b: 3 → 3.5    J: 33 → 36"
    assert [row[2] for row in table_rows(check.table)] == ["3", "6", "9"]


def test_a_quiz_on_some_numbers_hides_only_those_in_check(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    window.act_backward.trigger()
    window.quiz_mode.set_quiz(("grad",), (["c"], []))
    click(check.check_all_button)
    assert [row[2] for row in table_rows(check.table)] == ["3", "6", "?"]


def test_the_paths_panel_hides_the_quizs_local_derivatives_and_gradient(open_example, qtbot):
    window = open_example("chain_rule")
    paths = window.teaching.paths
    window.teaching.paths_dock.show()
    window.teaching.paths_dock.raise_()
    window.act_backward.trigger()
    click_node(window, "b")
    qtbot.waitUntil(lambda: table_rows(paths.table) == [["b → u → v → J", "2 × 1 × 3", "6"]],
                    timeout=5000)
    window.quiz_mode.set_quiz(("local",), ([], [("b", "u", 0)]))  # ∂u/∂b alone
    qtbot.waitUntil(lambda: table_rows(paths.table) == [["b → u → v → J", "? × 1 × 3", "?"]],
                    timeout=5000)
    assert paths.summary.text() == ("Sum over the paths: ?, which equals ∂J/∂b = 6 from the "
                                    "backward pass. ✓")
    window.quiz_mode.set_quiz(quizzes.KINDS)
    qtbot.waitUntil(lambda: table_rows(paths.table) == [["b → u → v → J", "? × ? × ?", "?"]],
                    timeout=5000)
    assert paths.summary.text() == ("Sum over the paths: ?, which equals ∂J/∂b = ? from the "
                                    "backward pass. ✓")
    window.quiz_mode.act_end.trigger()
    qtbot.waitUntil(lambda: table_rows(paths.table) == [["b → u → v → J", "2 × 1 × 3", "6"]],
                    timeout=5000)
