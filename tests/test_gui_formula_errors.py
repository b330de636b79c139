"""A refused formula in the window: one line in the status bar naming the column, the
offending part selected in a field framed in the error colour; nothing else changes."""

from gui import settle, type_formula
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def shown(window) -> str:
    return window.statusBar().currentMessage()


def test_a_bad_formula_is_marked_where_it_is_wrong_and_editing_clears_the_mark(window):
    window.open_example("chain_rule")
    before = sorted(window.doc.model.graph.nodes)
    type_formula(window, "J = a + __import__('os')")
    settle()
    field = window.formula_bar.field
    message = shown(window)
    assert "column 9" in message and "\n" not in message
    assert "not allowed" in message and "Traceback" not in message
    assert field.selectionStart() == 8 and field.selectedText().startswith("__import__")
    assert "border" in field.styleSheet()
    assert sorted(window.doc.model.graph.nodes) == before  # nothing replaced
    QTest.keyClick(field, Qt.Key_End)
    QTest.keyClicks(field, " ")  # an edit takes the mark away
    assert field.styleSheet() == ""
    assert "Not built" not in field.toolTip()


def test_a_long_flat_formula_builds_and_a_deep_one_is_refused_in_one_line(window):
    terms = " + ".join(["a"] * 500)
    field = window.formula_bar.field
    field.setText(f"J = {terms}, a=2")  # (typing 2,000 keys one by one: the same text)
    QTest.keyClick(field, Qt.Key_Return)
    assert window.doc.formula is not None and "J" in {window.doc.model.label(n)
                                                      for n in window.doc.model.graph.nodes}
    assert "Built J = a + a" in shown(window) and len(shown(window)) < 200
    field.setText("J = " + "(" * 5000 + "a" + ")" * 5000)
    QTest.keyClick(field, Qt.Key_Return)
    message = shown(window)
    assert message.startswith("formula: column") or "Built" in message
    assert "\n" not in message and "Recursion" not in message


def test_the_mark_goes_when_another_graph_opens(window):
    type_formula(window, "J = 3*(a + b))")
    field = window.formula_bar.field
    assert "border" in field.styleSheet()
    window.doc.undo_stack.resetClean()  # (nothing to ask about)
    window.act_new.trigger()
    assert field.styleSheet() == "" and "Not built" not in field.toolTip()
