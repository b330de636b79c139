"""A number a quiz reveals (a click on its ?, an answer typed in, the next-step key)
shows everywhere the canvas draws it: on its node, on the wires that carry the same
number, in the Explanation panel and on the presentation's line.

Real clicks on the ? chips and real key presses; J = 3(a + b·c) at a=5, b=3, c=2
worked by hand: u = 6, v = 11, J = 33; ∂J/∂v = 3, ∂J/∂u = 3, ∂J/∂b = 6, ∂J/∂c = 9.
(A lecturer found u = 6 on the node while the u → v chip and the line read
``v = a + u = 5 + ? = 11``.)
"""

from __future__ import annotations

import pytest
from gui import press_keys, settle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_gui_quiz import answer, chip_texts, click_number, node_texts

from gradstudio.core import quiz as quizzes
from gradstudio.ui.lecture.present_line import GAP

pytestmark = pytest.mark.usefixtures("look_back")
UV, VJ = ("u", "v", 1), ("v", "J", 0)


def click(window, key) -> None:
    """A single click on ``key``'s ?, revealed once no double-click follows."""
    click_number(window, key)
    QTest.qWait(QApplication.styleHints().mouseDoubleClickInterval() + 100)
    settle()


def keys(widget, *pressed) -> None:
    """gui.press_keys, then settled."""
    press_keys(widget, *pressed)
    settle()


def test_a_clicked_value_shows_on_its_wires_the_panel_and_the_line(qtbot, open_example):
    """The lecturer's steps: F5, F6, a quiz hiding everything, u's ? clicked, v
    answered wrongly (12), then presenting from the bare graph."""
    w = open_example("chain_rule")
    w.view.setFocus()
    keys(w.view, Qt.Key_F5, Qt.Key_F6)
    w.quiz_mode.set_quiz(quizzes.KINDS)
    settle(w.scene)
    assert chip_texts(w, UV)[0] == ["?", "∂v/∂u = ?"]
    click(w, ("value", "u"))
    assert node_texts(w, "u")[0] == "= 6"
    assert chip_texts(w, UV)[0] == ["6", "∂v/∂u = ?"]  # u → v carries u's value
    answer(qtbot, w, ("value", "v"), "12")
    settle()
    assert node_texts(w, "v")[0] == "= 11 (✗ 12)"
    assert chip_texts(w, VJ)[0] == ["11", "∂J/∂v = ?"]  # the true value, shown
    keys(w, Qt.Key_F11)
    keys(w.view, Qt.Key_Home, Qt.Key_Right)  # step 1, u
    assert w.presentation.line.text.startswith("u = b × c = 3 × 2 = 6")
    keys(w.view, Qt.Key_Right, Qt.Key_Right, Qt.Key_Right)  # ∂u/∂b, ∂u/∂c, then step 2
    assert w.stepping.stepper.position == 2
    assert w.presentation.line.text == GAP.join(["v = a + u = 5 + 6 = 11", "∂v/∂a = ?",
                                                 "∂v/∂u = ?"])
    assert chip_texts(w, UV)[0] == ["6", "∂v/∂u = ?"]
    keys(w.view, Qt.Key_Right)  # the next key reveals ∂v/∂a (nothing about u is left)
    assert w.stepping.stepper.position == 2
    assert w.presentation.line.text.startswith("v = a + u = 5 + 6 = 11")
    keys(w.view, Qt.Key_Escape)
    text = w.stepping.panel.text()
    assert "v = a + u = 5 + 6 = 11" in text and "5 + ?" not in text


def test_the_panel_tells_a_revealed_operand_while_stepping(qtbot, open_example):
    """Stepping with the window's keys (F7): v's line shows u once u is clicked, and
    J's shows v once v is answered; what is still asked stays ?."""
    w = open_example("chain_rule")
    w.quiz_mode.set_quiz(quizzes.KINDS)
    w.view.setFocus()
    keys(w.view, Qt.Key_F7, Qt.Key_F7, Qt.Key_F7)
    panel = w.stepping.panel
    assert "v = a + u = ?" in panel.text() and "J = 3 × v = ?" in panel.text()
    click(w, ("value", "u"))
    qtbot.waitUntil(lambda: "v = a + u = 5 + 6 = ?" in panel.text(), timeout=3000)
    assert chip_texts(w, UV)[0][0] == "6"
    answer(qtbot, w, ("value", "v"), "11")
    settle()
    assert node_texts(w, "v")[0] == "= 11 ✓" and chip_texts(w, VJ)[0][0] == "11"
    text = panel.text()
    assert "v = a + u = 5 + 6 = 11" in text and "J = 3 × v = 3 × 11 = ?" in text
    assert "33" not in text


def test_a_revealed_gradient_shows_on_its_wires_and_back(qtbot, open_example):
    """∂J/∂u clicked: the one wire leaving u (u → v) carries it back, ← 3 shows; the
    wire v → J's ← 3 clicked: ∂J/∂v (v has only that wire) shows 3."""
    w = open_example("chain_rule")
    w.quiz_mode.set_quiz(quizzes.KINDS)
    w.act_backward.trigger()
    settle(w.scene)
    assert chip_texts(w, UV)[1] == ["← ?"] and node_texts(w, "v")[1] == "∂J/∂v = ?"
    click(w, ("grad", "u"))
    assert node_texts(w, "u")[1] == "∂J/∂u = 3" and chip_texts(w, UV)[1] == ["← 3"]
    click(w, ("grad", VJ))
    assert chip_texts(w, VJ)[1] == ["← 3"] and node_texts(w, "v")[1] == "∂J/∂v = 3"
    assert node_texts(w, "b")[1] == "∂J/∂b = ?"  # nothing else given away
    # Hide Again hides them all again.
    w.quiz_mode.act_hide_again.trigger()
    settle(w.scene)
    assert chip_texts(w, UV) == (["?", "∂v/∂u = ?"], ["← ?"])
    assert node_texts(w, "v") == ("= ?", "∂J/∂v = ?")


def test_the_links_without_a_window():
    """QuizRun.linked: a node's value with its wires'; a wire's gradient with its
    source's only where that wire is the source's only one (b feeds u alone; in
    colah_paths' fan-out each wire's gradient is a term of the node's sum)."""
    from gradstudio.core import fileformat
    model = fileformat.load("resources/examples/chain_rule.json")
    run = quizzes.QuizRun(quizzes.Quiz())
    assert run.linked(model, ("value", "u")) == [("value", "u"), ("value", UV)]
    assert run.linked(model, ("value", UV)) == [("value", "u"), ("value", UV)]
    assert run.linked(model, ("grad", UV)) == [("grad", UV), ("grad", "u")]
    assert run.linked(model, ("local", UV)) == [("local", UV)]
    run.reveal(("value", UV))
    assert not run.is_hidden(model, ("value", "u"))
    assert run.is_hidden(model, ("value", "v"))
    fan = fileformat.load("resources/examples/colah_paths.json")
    out = fan.out_edges("b")
    assert len(out) == 2
    assert run.linked(fan, ("grad", out[0])) == [("grad", out[0])]
    run.reveal(("grad", out[0]))
    assert run.is_hidden(fan, ("grad", "b")) and run.is_hidden(fan, ("grad", out[1]))
