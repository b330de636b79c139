"""The Formula: field: type ``J = 3*(a + b*c), a=5, b=3, c=2``, press Enter, get the graph.

The graph opens as a new document titled Untitled, unsaved until saved (after
Save/Discard/Cancel when the current one has changes); its formula is the tooltip
of the document's name in the status bar, and of this field. A bad formula
changes nothing and the status bar says where it is wrong. The syntax is in
docs/formula.md.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QToolBar

from gradstudio.core.formula import build
from gradstudio.core.formulaparse import FormulaError, shorten
from gradstudio.ui.theme import THEME

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
        self._fit_field()
        self.field.returnPressed.connect(self.submit)
        self.field.textEdited.connect(lambda _text: self.mark(None))
        self.addWidget(self.field)
        self.problem: FormulaError | None = None  # the refusal the field shows, if any
        window.doc.titleChanged.connect(self._update_tip)
        window.doc.modelReset.connect(self._graph_replaced)
        self._update_tip()

    def _graph_replaced(self) -> None:
        """Another graph is open (New, Open, an example, a formula built): the field
        shows the formula of that graph, or nothing (never the one before's)."""
        self.mark(None)  # a refusal of the one before: moot now
        formula = self.window_.doc.formula
        if self.field.text() != (formula or ""):
            self.field.setText(formula or "")

    def _fit_field(self) -> None:
        """320 px at the platform's font, wider as View → Text Size makes it bigger,
        for the example in the empty field to stay whole, but never wider than 45 %
        of the window: wider, at 300 % the toolbar hid the whole field behind its »."""
        needed = self.field.fontMetrics().horizontalAdvance(PLACEHOLDER) + 40
        self.field.setMinimumWidth(max(320, min(needed, int(self.window_.width() * 0.45))))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_field()

    def _update_tip(self) -> None:
        doc = self.window_.doc
        built = (f"The open graph ({doc.display_name()}) was built from: {doc.formula}\n\n"
                 if doc.formula else "")
        wrong = f"Not built: {self.problem.reason}\n\n" if self.problem is not None else ""
        self.field.setToolTip(wrong + built + HELP)

    def submit(self) -> bool:
        """Build the typed formula's graph as a new document; a refusal is said in the
        status bar and marked in the field, and changes nothing."""
        text = self.field.text()
        try:
            model = build(text)
        except FormulaError as exc:
            self.window_.status(str(exc))
            self.mark(exc)
            return False
        self.mark(None)
        return open_built(self.window_, model, text)

    def mark(self, problem: FormulaError | None) -> None:
        """Frame the field in the error colour and select the part the refusal names
        (the status bar says why); editing the text takes the mark away."""
        if problem is None and self.problem is None:
            return
        self.problem = problem
        self.field.setStyleSheet("" if problem is None else
                                 f"QLineEdit {{ border: 1px solid {THEME.error.name()}; "
                                 "background: palette(base); color: palette(text); }")
        if problem is not None and problem.column is not None:
            self.field.setFocus()
            self.field.setSelection(problem.column - 1, problem.width)
        self._update_tip()

    def focus(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()


def open_built(window, model, text: str) -> bool:
    """The graph built from ``text`` as a new document, after Save/Discard/Cancel
    for the current one's changes; False if the user kept the current one."""
    if not window.maybe_save():
        window.status("Formula not opened: the current graph is still open")
        return False
    window.doc.set_model(model, formula=text)  # Untitled (no file yet), and unsaved
    window.status(f"Built {shorten(text.strip(), 60)}: {len(model)} nodes, ready for Forward")
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
