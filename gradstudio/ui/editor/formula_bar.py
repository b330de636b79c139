"""The Formula: field: type ``J = 3*(a + b*c), a=5, b=3, c=2``, press Enter, get the graph.

The graph opens as a new document titled Untitled, unsaved until saved (after
Save/Discard/Cancel when the current one has changes); its formula is the tooltip
of the document's name in the status bar, and of this field. A bad formula
changes nothing and the status bar says where it is wrong. The syntax is in
docs/formula.md.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QToolBar

from gradstudio.core.errors import GraphError
from gradstudio.core.formula import build

PLACEHOLDER = "J = 3*(a + b*c), a=5, b=3, c=2"
HELP = ("A formula in Python syntax: + - * / **, exp log tanh sigmoid relu sin cos; "
        "values after commas. Enter builds the graph.")


class FormulaBar(QToolBar):
    def __init__(self, window) -> None:
        super().__init__("Formula", window)
        self.window_ = window
        self.addWidget(QLabel(" Formula: "))
        self.field = QLineEdit(self)
        self.field.setObjectName("formula_field")
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(320)
        self.field.returnPressed.connect(self.submit)
        self.addWidget(self.field)
        window.doc.titleChanged.connect(self._update_tip)
        self._update_tip()

    def _update_tip(self) -> None:
        doc = self.window_.doc
        built = (f"The open graph ({doc.display_name()}) was built from: {doc.formula}\n\n"
                 if doc.formula else "")
        self.field.setToolTip(built + HELP)

    def submit(self) -> bool:
        return new_from_formula(self.window_, self.field.text())

    def focus(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()


def new_from_formula(window, text: str) -> bool:
    """Build the graph of ``text`` as a new document; False (and a status message) if not."""
    try:
        model = build(text)
    except GraphError as exc:
        window.status(str(exc))
        return False
    if not window.maybe_save():
        window.status("Formula not opened: the current graph is still open")
        return False
    window.doc.set_model(model, formula=text)  # Untitled (no file yet), and unsaved
    window.status(f"Built {text.strip()}: {len(model)} nodes, ready for Forward")
    return True


def install(window) -> FormulaBar:
    """Add the field as a toolbar and File → New from Formula… (which focuses it)."""
    bar = window.add_toolbar("formula", "Formula", FormulaBar(window), new_row=True)
    file_actions = window.menus["file"].actions()
    new = getattr(window, "act_new", None)  # (an editor without files has no New)
    after_new = file_actions.index(new) + 1 if new in file_actions else len(file_actions)
    window.act_new_formula = window.add_action(
        "New from &Formula…", bar.focus, "Ctrl+Shift+N",
        "Type a formula and press Enter to build its graph", menu="file",
        before=file_actions[after_new] if after_new < len(file_actions) else None)
    return bar
