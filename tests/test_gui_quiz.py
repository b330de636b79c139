"""Quiz mode in the window (Teach → Quiz), driven by real clicks at the hidden
numbers' places on the canvas and real key presses in the answer field.

Numbers are the course notes' J = 3(a + b·c) at a=5, b=3, c=2, worked by hand:
u = b·c = 6, v = a + u = 11, J = 3v = 33; ∂J/∂v = 3, ∂J/∂a = 3, ∂J/∂u = 3,
∂J/∂b = ∂J/∂u·∂u/∂b = 3·2 = 6, ∂J/∂c = 3·3 = 9; ∂u/∂b = c = 2, ∂u/∂c = b = 3.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui import double_click, move, node_center, press, release, settle
from gradstudio.core import quiz as quizzes
from gradstudio.ui.theme import THEME

BU, CU, AV, UV, VJ = ("b", "u", 0), ("c", "u", 1), ("a", "v", 0), ("u", "v", 1), ("v", "J", 0)


@pytest.fixture
def quiz_window(open_example):
    """chain_rule with every value, local derivative and gradient hidden, after Backward."""
    window = open_example("chain_rule")
    window.quiz_mode.set_quiz(quizzes.KINDS)
    window.act_backward.trigger()
    settle(window.scene)
    return window


def node_texts(window, node_id):
    item = window.scene.nodes[node_id]
    return item.value_text, item.grad_text


def chip_texts(window, edge):
    wire = window.scene.edges[edge]
    return wire.above.texts, wire.below.texts


def click_number(window, key):
    """A real click at the middle of where ``key``'s number is drawn."""
    rect = window.quiz_mode.spot(key)
    assert rect is not None, key
    press(window.view, rect.center())
    release(window.view, rect.center())


def answer(qtbot, window, key, text):
    """Double-click the hidden number, type ``text`` and press Enter."""
    rect = window.quiz_mode.spot(key)
    double_click(window.view, rect.center())
    field = window.quiz_mode.field
    assert field.isVisible() and field.key == key
    # The field sits over the ?, the name before it (∂J/∂b =) left in sight.
    line = window.view.mapFromScene(rect).boundingRect()
    if window.quiz_mode.text_of(key) != "?":
        assert field.geometry().left() > line.left() + 10
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key_Return)


def test_hidden_numbers_show_as_question_marks(quiz_window):
    w = quiz_window
    assert node_texts(w, "a") == ("= 5", "∂J/∂a = ?")  # an input's value is the question
    assert node_texts(w, "b") == ("= 3", "∂J/∂b = ?")
    for node in ("u", "v", "J"):
        assert node_texts(w, node) == ("= ?", f"∂J/∂{node} = ?")
    # A wire leaving an input carries the input's value, shown; the rest is hidden.
    assert chip_texts(w, BU) == (["3", "∂u/∂b = ?"], ["← ?"])
    assert chip_texts(w, CU) == (["2", "∂u/∂c = ?"], ["← ?"])
    assert chip_texts(w, UV) == (["?", "∂v/∂u = ?"], ["← ?"])
    assert chip_texts(w, VJ) == (["?", "∂J/∂v = ?"], ["← ?"])
    # Nothing hidden is given away anywhere on the canvas.
    every = [t for n in w.scene.nodes for t in node_texts(w, n)]
    every += [t for e in w.scene.edges for part in chip_texts(w, e) for t in part]
    assert not any(number in t for t in every for number in ("6", "9", "11", "33"))


def test_clicks_reveal_the_true_gradients(qtbot, quiz_window):
    w = quiz_window
    for node, truth in (("a", "3"), ("b", "6"), ("c", "9")):
        click_number(w, ("grad", node))
        # Revealed once no double-click follows (the click waits for that long).
        qtbot.waitUntil(lambda n=node: node_texts(w, n)[1] == f"∂J/∂{n} = {truth}",
                        timeout=3000)
    click_number(w, ("local", BU))
    qtbot.waitUntil(lambda: chip_texts(w, BU)[0] == ["3", "∂u/∂b = 2"], timeout=3000)
    click_number(w, ("grad", BU))
    qtbot.waitUntil(lambda: chip_texts(w, BU)[1] == ["← 6"], timeout=3000)
    click_number(w, ("value", "v"))
    qtbot.waitUntil(lambda: node_texts(w, "v")[0] == "= 11", timeout=3000)
    # What was not clicked stays hidden; revealing is no edit (the set-up was the one).
    assert node_texts(w, "u") == ("= ?", "∂J/∂u = ?")
    assert w.doc.undo_stack.index() == 1


def test_the_pointer_is_a_hand_over_a_question_mark(qtbot, quiz_window):
    w = quiz_window
    viewport = w.view.viewport()
    spot = w.quiz_mode.spot(("grad", "b")).center()
    move(w.view, spot, buttons=Qt.NoButton)
    assert viewport.cursor().shape() == Qt.PointingHandCursor
    move(w.view, w.quiz_mode.spot(("value", "b")).center(), buttons=Qt.NoButton)  # "= 3"
    assert viewport.cursor().shape() != Qt.PointingHandCursor
    w.quiz_mode.reveal(("grad", "b"))
    move(w.view, spot, buttons=Qt.NoButton)
    assert viewport.cursor().shape() != Qt.PointingHandCursor


def test_a_right_guess_is_marked_right(qtbot, quiz_window):
    w = quiz_window
    answer(qtbot, w, ("grad", "b"), "6")
    assert node_texts(w, "b")[1] == "∂J/∂b = 6 ✓"
    assert w.scene.nodes["b"].grad_color == THEME.port_accept
    assert not w.quiz_mode.field.isVisible()
    # Within 4 significant digits: 9.0004 is 9 to four digits.
    answer(qtbot, w, ("grad", "c"), "9.0004")
    assert node_texts(w, "c")[1] == "∂J/∂c = 9 ✓"
    # On a wire's chip, and as a fraction: ∂u/∂c = b = 3.
    answer(qtbot, w, ("local", CU), "6/2")
    assert chip_texts(w, CU)[0] == ["2", "∂u/∂c = 3 ✓"]
    assert w.scene.edges[CU].above.lines[1][1] == THEME.port_accept
    assert w.statusBar().currentMessage() == "Right: ∂u/∂c = 3"


def test_a_wrong_guess_is_marked_wrong_with_the_true_value(qtbot, quiz_window):
    w = quiz_window
    answer(qtbot, w, ("grad", "c"), "9.01")  # 9.010 is not 9 to four digits
    assert node_texts(w, "c")[1] == "∂J/∂c = 9 (✗ 9.01)"
    assert w.scene.nodes["c"].grad_color == THEME.error
    answer(qtbot, w, ("grad", BU), "3")
    assert chip_texts(w, BU)[1] == ["← 6 (✗ 3)"]
    assert w.scene.edges[BU].below.lines[0][1] == THEME.error
    assert w.statusBar().currentMessage() == "Not quite: b → u: ← 6, not 3"


def test_something_not_a_number_keeps_the_field_for_another_try(qtbot, quiz_window):
    w = quiz_window
    answer(qtbot, w, ("value", "J"), "lots")
    field = w.quiz_mode.field
    assert field.isVisible() and node_texts(w, "J")[0] == "= ?"
    assert "not a number" in w.statusBar().currentMessage()
    field.clear()
    QTest.keyClicks(field, "33")
    QTest.keyClick(field, Qt.Key_Return)
    assert node_texts(w, "J")[0] == "= 33 ✓"
    # Escape leaves a number unanswered and hidden.
    double_click(w.view, w.quiz_mode.spot(("value", "u")).center())
    QTest.keyClick(field, Qt.Key_Escape)
    assert not field.isVisible() and node_texts(w, "u")[0] == "= ?"


def test_reveal_next_follows_the_passes(qtbot, quiz_window):
    w = quiz_window
    w.view.setFocus()
    shown = []
    for _ in range(4):
        QTest.keyClick(w.view, Qt.Key_R, Qt.ControlModifier)  # Teach → Quiz → Reveal Next
        shown.append(w.statusBar().currentMessage())
    # u first (its wires' local derivatives by port, then its value), then v.
    assert shown == ["∂u/∂b = 2", "∂u/∂c = 3", "u = 6", "∂v/∂a = 1"]
    assert node_texts(w, "u")[0] == "= 6"
    w.quiz_mode.reveal_all()
    assert node_texts(w, "J") == ("= 33", "∂J/∂J = 1")
    assert not w.quiz_mode.reveal_next()
    w.quiz_mode.hide_again()
    assert node_texts(w, "J") == ("= ?", "∂J/∂J = ?")


def test_only_on_the_selection(qtbot, open_example):
    w = open_example("chain_rule")
    w.scene.nodes["b"].setSelected(True)
    w.scene.edges[BU].setSelected(True)
    w.quiz_mode.ask = lambda dialog: (dialog.boxes["value"].setChecked(False),
                                      dialog.only_selection.setChecked(True), True)[-1]
    assert w.quiz_mode.set_up()
    w.act_backward.trigger()
    assert node_texts(w, "b") == ("= 3", "∂J/∂b = ?")
    assert chip_texts(w, BU) == (["3", "∂u/∂b = ?"], ["← ?"])
    assert node_texts(w, "c") == ("= 2", "∂J/∂c = 9")
    assert chip_texts(w, CU) == (["2", "∂u/∂c = 3"], ["← 9"])
    assert node_texts(w, "u") == ("= 6", "∂J/∂u = 3")


def test_the_quiz_is_saved_and_a_prepared_exercise_opens_as_one(qtbot, open_example,
                                                               tmp_path):
    w = open_example("chain_rule")
    w.quiz_mode.set_quiz(("grad",), (["a", "c"], [VJ]))
    assert w.doc.dirty
    out = tmp_path / "exercise.json"
    w.doc.save(out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["quiz"] == {"hide": ["grad"], "nodes": ["a", "c"],
                             "edges": [{"from": "v", "to": "J", "port": 0}]}
    w.new_file()
    assert w.doc.quiz is None
    assert w.open_path(out)
    assert w.doc.quiz is not None and "quiz" in w.statusBar().currentMessage()
    w.act_forward.trigger()  # values and locals are not asked
    assert chip_texts(w, VJ) == (["11", "∂J/∂v = 3"], [])
    w.act_backward.trigger()
    assert node_texts(w, "a")[1] == "∂J/∂a = ?" and node_texts(w, "c")[1] == "∂J/∂c = ?"
    assert node_texts(w, "b")[1] == "∂J/∂b = 6"
    assert chip_texts(w, VJ)[1] == ["← ?"]
    # Saved again untouched, the file comes back byte for byte.
    before = out.read_bytes()
    w.doc.save(out)
    assert out.read_bytes() == before


def test_set_up_and_end_are_undoable_edits(qtbot, open_example):
    w = open_example("chain_rule")
    w.quiz_mode.set_quiz(quizzes.KINDS)
    w.act_backward.trigger()
    assert node_texts(w, "J")[0] == "= ?"
    w.act_undo.trigger()  # the set-up undone: an ordinary graph, nothing hidden
    assert w.doc.quiz is None and "quiz" not in w.doc.model.extra
    assert w.doc.evaluation is not None and node_texts(w, "J")[0] == "= 33"
    w.act_redo.trigger()
    assert node_texts(w, "J")[0] == "= ?"
    w.quiz_mode.act_end.trigger()
    assert w.doc.quiz is None and node_texts(w, "J")[0] == "= 33"
    assert not w.quiz_mode.act_reveal_next.isEnabled()


def test_a_deleted_node_leaves_the_saved_quiz(qtbot, open_example, tmp_path):
    from gradstudio.core import fileformat
    w = open_example("chain_rule")
    w.quiz_mode.set_quiz(("value", "grad"), (["u", "v"], [UV, BU]))
    w.doc.delete(["u"])
    out = tmp_path / "less.json"
    w.doc.save(out)
    model = fileformat.load(out)  # would be refused if the quiz named u or its wires
    assert model.extra["quiz"] == {"hide": ["value", "grad"], "nodes": ["v"], "edges": []}


def test_a_graph_without_a_quiz_is_unchanged(qtbot, open_example, tmp_path):
    from gradstudio.core import fileformat
    w = open_example("chain_rule")
    assert w.doc.quiz is None
    w.act_backward.trigger()
    assert node_texts(w, "b") == ("= 3", "∂J/∂b = 6")
    assert chip_texts(w, UV) == (["6", "∂v/∂u = 1"], ["← 3"])
    # A click on a number is an ordinary click: it selects the node, reveals nothing.
    click_number(w, ("grad", "b"))
    assert w.selected_node_ids() == ["b"]
    out = tmp_path / "same.json"
    w.doc.save(out)
    assert "quiz" not in json.loads(out.read_text(encoding="utf-8"))
    assert out.read_text(encoding="utf-8") == fileformat.dumps(
        fileformat.load(w.doc.template or tmp_path / "chain_rule.json"))


def test_stepping_through_a_quiz_explains_without_giving_answers(qtbot, open_example):
    w = open_example("chain_rule")
    w.quiz_mode.set_quiz(quizzes.KINDS)
    for _ in range(3):
        w.stepping.act_step_forward.trigger()
    for _ in range(2):
        w.stepping.act_step_backward.trigger()
    text = w.stepping.panel.text()
    assert "u = b × c = 3 × 2 = ?" in text and "v = a + u = ?" in text
    assert "J = 3 × v = ?" in text and "∂J/∂u = ∂J/∂v · ∂v/∂u = ?" in text
    assert not any(n in text for n in ("= 6", "= 11", "= 33"))
    assert node_texts(w, "u") == ("= ?", "∂J/∂u = ?")
    # A click reveals on the canvas while stepping, as after a whole pass.
    click_number(w, ("value", "u"))
    qtbot.waitUntil(lambda: node_texts(w, "u")[0] == "= 6", timeout=3000)


def _set_up_from_the_menu(window, only_selection=False):
    """Teach → Quiz → Set Up Quiz…, the dialog answered: every kind, maybe only the
    selection."""
    def ask(dialog):
        assert all(box.isChecked() for box in dialog.boxes.values())
        dialog.only_selection.setChecked(only_selection)
        return True
    window.quiz_mode.ask = ask
    window.quiz_mode.act_set_up.trigger()


def test_a_quiz_set_up_part_way_hides_the_explanations_numbers_at_once(qtbot, open_example):
    """Stepped through both passes, then a quiz set up: the Explanation panel (and the
    canvas) show ? at once, not from the next step on; a reveal shows it there too."""
    w = open_example("chain_rule")
    w.view.setFocus()
    for key in [Qt.Key_F7] * 3 + [Qt.Key_F8] * 5:
        QTest.keyClick(w.view, key)
    panel = w.stepping.panel
    assert "u = b × c = 3 × 2 = 6" in panel.text()
    _set_up_from_the_menu(w)
    text = panel.text()
    # Worked by hand: u = 6, v = 11, J = 33, ∂J/∂u = 3, ∂J/∂b = 6, ∂J/∂c = 9.
    assert "u = b × c = 3 × 2 = ?" in text and "∂u/∂b = c = ?" in text
    assert "v = a + u = ?" in text and "J = 3 × v = ?" in text
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = ?" in text
    assert "Backward pass from the output: ∂J/∂J = ?" in text  # as J's chip says
    for number in ("6", "9", "11", "33"):
        assert number not in text.replace("Step 6 of 8", ""), (number, text)
    assert node_texts(w, "u") == ("= ?", "∂J/∂u = ?")
    assert w.stepping.stepper.active  # still stepping: the quiz is no edit of the numbers
    # The panel's last entry is still tinted as the step just done.
    click_number(w, ("value", "u"))
    qtbot.waitUntil(lambda: "u = b × c = 3 × 2 = 6" in panel.text(), timeout=3000)
    # u's 6 shows in v's sum too (the wire u → v carries it); v's own still hidden.
    assert "v = a + u = 5 + 6 = ?" in panel.text()
    w.quiz_mode.act_end.trigger()
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6" in panel.text()
    w.act_undo.trigger()  # the quiz back: hidden again
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = ?" in panel.text()


def test_only_on_the_selection_hides_the_selected_nodes_and_the_wires_between(
        qtbot, open_example):
    """u and v selected by real clicks (Ctrl adds): their numbers and those of the
    wire u → v are hidden; every other number shows, the neighbours' chips too."""
    w = open_example("chain_rule")
    press(w.view, node_center(w, "u"))
    release(w.view, node_center(w, "u"))
    press(w.view, node_center(w, "v"), modifiers=Qt.ControlModifier)
    release(w.view, node_center(w, "v"), modifiers=Qt.ControlModifier)
    assert sorted(w.selected_node_ids()) == ["u", "v"] and w.selected_edges() == []
    _set_up_from_the_menu(w, only_selection=True)
    assert w.doc.model.extra["quiz"]["edges"] == [{"from": "u", "to": "v", "port": 1}]
    w.act_backward.trigger()
    settle(w.scene)
    assert node_texts(w, "u") == ("= ?", "∂J/∂u = ?")
    assert node_texts(w, "v") == ("= ?", "∂J/∂v = ?")
    assert chip_texts(w, UV) == (["?", "∂v/∂u = ?"], ["← ?"])
    # Nothing else, by hand: ∂J/∂a = 3, ∂J/∂b = 6, ∂J/∂c = 9, J = 33.
    assert node_texts(w, "a") == ("= 5", "∂J/∂a = 3")
    assert node_texts(w, "b") == ("= 3", "∂J/∂b = 6")
    assert node_texts(w, "c") == ("= 2", "∂J/∂c = 9")
    assert node_texts(w, "J") == ("= 33", "∂J/∂J = 1")
    assert chip_texts(w, BU) == (["3", "∂u/∂b = 2"], ["← 6"])
    assert chip_texts(w, CU) == (["2", "∂u/∂c = 3"], ["← 9"])
    assert chip_texts(w, AV) == (["5", "∂v/∂a = 1"], ["← 3"])
    assert chip_texts(w, VJ) == (["11", "∂J/∂v = 3"], ["← 3"])
    # b's step: u's gradient is asked about, b's is not: the factor alone is a ?.
    w.act_clear.trigger()
    for _ in range(8):
        w.stepping.step_backward()
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = ? × 2 = 6" in w.stepping.panel.text()


def test_the_answer_fields_placeholder_shows_whole(qtbot, quiz_window):
    """Double-clicked, the field over ∂J/∂b's ? is wide enough for "answer", at
    100 % and zoomed far out (its font has a least size)."""
    from PySide6.QtGui import QImage
    w = quiz_window
    field = w.quiz_mode.field
    for zoom in (1.0, 0.5):
        w.view.resetTransform()
        w.view.scale(zoom, zoom)
        w.view.centerOn(w.scene.nodes["b"])
        settle(w.scene)
        double_click(w.view, w.quiz_mode.spot(("grad", "b")).center())
        assert w.view.viewport().rect().contains(field.geometry())
        assert field.isVisible() and field.text() == ""
        assert field.placeholderText() == "answer"
        assert field.width() >= field.fontMetrics().horizontalAdvance("answer") + 12, zoom
        QTest.keyClick(field, Qt.Key_Escape)


def test_leaving_a_presentation_keeps_the_hidden_output_gradient_hidden(qtbot, open_example):
    """The panel written again on leaving is the stepper's own entries: a quiz that
    hides ∂J/∂J shows it as ? there too, as J's chip does (it said ∂J/∂J = 1)."""
    w = open_example("chain_rule")
    w.view.setFocus()
    for key in [Qt.Key_F7] * 3 + [Qt.Key_F8] * 2:
        QTest.keyClick(w.view, key)
    _set_up_from_the_menu(w)
    QTest.keyClick(w, Qt.Key_F11)
    settle(w.scene)
    QTest.keyClick(w, Qt.Key_Escape)
    settle(w.scene)
    text = w.stepping.panel.text()
    assert "Backward pass from the output: ∂J/∂J = ?" in text, text
    assert "∂J/∂J = 1" not in text
