"""The Formula field shows the formula of the graph that is open, or nothing: after
File → New, File → Open or an example it no longer shows the formula of the graph
before (a tester saw the old formula stay over a new, empty canvas)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui import type_formula

FORMULA = "J = 3*(a + b*c), a=5, b=3, c=2"


def test_the_field_follows_the_open_graph(window, examples):
    field = window.formula_bar.field
    type_formula(window, FORMULA)
    assert window.doc.formula == FORMULA and field.text() == FORMULA
    QTest.keyClick(window, Qt.Key_N, Qt.ControlModifier)  # File → New (prompt: Discard)
    assert window.doc.formula is None and len(window.doc.model) == 0
    assert field.text() == "" and field.placeholderText()  # the example hint again

    type_formula(window, "J = x*y, x=2, y=3")
    assert field.text() == "J = x*y, x=2, y=3"
    window.open_path(examples / "colah_paths.json")  # File → Open of another graph
    assert field.text() == ""

    type_formula(window, FORMULA)
    window.examples_menu.actions()[0].trigger()  # an example
    assert field.text() == ""

    # Undoing back to the formula graph is not a new graph: nothing to follow there.
    type_formula(window, FORMULA)
    QTest.keyClick(field, Qt.Key_A)  # an edit in the field is the user's own
    assert field.text() == FORMULA + "a"
