"""The Paths panel: ∂J/∂x as the sum, over every path x → J, of the products of
the local derivatives along it. Counts every path, lists the first ones."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gradstudio.core import quiz as quizzes
from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import MINUS, shown_number
from gradstudio.core.paths import DEFAULT_CAP, sum_over_paths
from gradstudio.ui.teaching.common import (InputPicker, RowsTable, StepNote, backward_evaluation,
                                           restyle_verdicts, show_verdict, wrapped_label)
from gradstudio.ui.teaching.flow import FlowLayout

DIGITS = 6
MAX_SUM_TERMS = 8  # "2 + 3 = 5"; a longer sum is shortened with "…"
SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
PATH_COLUMNS = ("path", "local derivatives", "product")


def fmt(x) -> str:
    return shown_number(x, DIGITS)


def path_text(model, path) -> str:
    """``b → c → e``; a wire into one of several ports from the same node says which."""
    parts = [model.label(path.start)]
    for source, target, port in path.edges:
        arrow = " → "
        if sum(1 for p in range(model.op_of(target).ports)
               if model.source(target, p) == source) > 1:
            arrow = f" →{SUBSCRIPTS[port] if port < 10 else f'[{port}]'} "
        parts.append(arrow + model.label(target))
    return "".join(parts)


def sum_text(terms: list[float], total: float) -> str:
    shown = [fmt(t) for t in terms]
    if len(shown) > MAX_SUM_TERMS:
        shown = shown[: MAX_SUM_TERMS - 1] + ["…"]
    return (" + ".join(shown).replace(f"+ {MINUS}", f"{MINUS} ") + f" = {fmt(total)}") \
        if len(terms) > 1 \
        else fmt(total)


class PathsPanel(QWidget):
    def __init__(self, window, parent=None, cap: int = DEFAULT_CAP) -> None:
        super().__init__(parent)
        self.window = window
        self.doc = window.doc
        self.cap = cap
        self.result = None
        self._pending = False
        self._stale = True
        # Whether its dock shows it (see set_in_sight): Qt keeps a dock whose tab is not
        # the current one "visible", only moved out of sight, so isVisible() is not enough.
        self.in_sight = True
        self._timer = QTimer(self)  # owned, so it never fires after the panel is gone
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        # The picker goes under its label where the column is narrower than both
        # (at 300 % "Paths from" and the picker kept the dock 481 px wide).
        top = FlowLayout()
        self.picker = InputPicker(window, self)
        self.picker.setToolTip("The input whose paths to the output are listed "
                               "(selecting an input on the canvas picks it)")
        top.addWidget(QLabel("Paths from", self))
        top.addWidget(self.picker)
        layout.addLayout(top)
        self.step_note = StepNote(self.doc, self.picker.current, self)
        layout.addWidget(self.step_note)
        self.heading = wrapped_label("", self)
        self.heading.setObjectName("paths_heading")
        layout.addWidget(self.heading)
        # Paths and their factors wrap at their spaces (each row as tall as it needs)
        # before a product is cut: the whole path is read in the panel's default
        # width. Narrower than even their longest words, each row is one wrapped cell.
        self.table = RowsTable(self, right_aligned=(2,), wrapped=(0, 1),
                               widest={0: 320, 1: 220}, stack_when_narrow=True,
                               min_rows=1)  # a path whole: in a narrow dock the panel scrolls
        self.table.distinct = (0,)
        self.table.setTextElideMode(Qt.ElideMiddle)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.trace_selected())
        self.table.rows_model.modelReset.connect(self.trace_selected)  # (no selection signal)
        layout.addWidget(self.table, 1)
        self.summary = wrapped_label("", self)
        self.summary.setObjectName("paths_summary")
        layout.addWidget(self.summary)

        self.picker.inputChanged.connect(lambda _n: self.schedule())
        self.picker.inputChanged.connect(lambda _n: self.step_note.update_note())
        self.doc.undo_stack.indexChanged.connect(lambda _i: self.schedule())
        self.doc.modelReset.connect(self.schedule)
        self.doc.annotationsChanged.connect(self.schedule)  # a new output after Backward
        self.refresh()

    def schedule(self, *_args) -> None:
        """Recompute once the current event is done (edits come in bursts)."""
        if not self._pending:
            self._pending = True
            self._timer.start()

    def show_input(self, input_id: str) -> None:
        self.picker.set_current(input_id)
        self.refresh(force=True)

    def set_in_sight(self, seen: bool) -> None:
        """Its dock's ``visibilityChanged``: a tabbed-away panel waits, and computes
        when its tab comes up (on 20,000 nodes a refresh is 25-35 ms after each pass)."""
        self.in_sight = seen
        if not seen:
            self.window.scene.trace()  # tabbed away: no path lit for a list not shown
        elif self._stale:
            self.schedule()
        else:
            self.trace_selected()  # its selected row's path lit again

    def refresh(self, force: bool = False) -> None:
        self._pending = False
        if not (force or (self.in_sight and self.isVisible())):
            self._stale = True  # a hidden panel computes when it is shown
            return
        self._stale = False
        node_id = self.picker.current()
        if node_id is None:
            self._show_message("Pick an input: every path from it to the output is listed "
                               "with the product of its local derivatives.")
            return
        try:
            ev = backward_evaluation(self.doc)
            result = sum_over_paths(self.doc.model, node_id, cap=self.cap, evaluation=ev)
        except GraphError as exc:
            self._show_message(f"No paths computed: {exc}")
            return
        self.result = result
        self._show()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange:  # a theme change
            restyle_verdicts(self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.schedule()

    def trace_selected(self) -> None:
        """The selected row's path lit on the canvas (its wires, chips and nodes)."""
        rows = self.table.selectionModel().selectedRows() if self.result is not None else []
        paths = self.result.paths if self.result is not None else ()
        r = rows[0].row() if rows else -1
        if 0 <= r < len(paths):
            self.window.scene.trace(paths[r].nodes, paths[r].edges)
        else:
            self.window.scene.trace()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.window.scene.trace()  # the panel out of sight: no path lit for it

    def _show_message(self, text: str) -> None:
        self.window.scene.trace()
        self.result = None
        self.table.set_rows(PATH_COLUMNS, [])
        self.heading.setText(text)
        self.summary.setText("")
        show_verdict(self.summary, None)

    def _show(self) -> None:
        model, r = self.doc.model, self.result
        x, out = model.label(r.input), model.label(r.output)
        count = f"{r.count:,}"
        if r.count == 0:
            heading = f"No path leads from {x} to {out}: ∂{out}/∂{x} = 0."
        elif r.complete:
            heading = (f"{count} path{'s' if r.count != 1 else ''} from {x} to {out}. "
                       "Along each, multiply the local derivatives; then add the paths.")
        else:
            heading = (f"There are {count} paths from {x} to {out} — too many to list: "
                       f"showing the first {len(r.paths)}.")
        self.heading.setText(heading)
        # A quiz's hidden local derivatives and gradient are ? here too (and a product
        # or sum that holds one).
        hidden = quizzes.hider(getattr(self.doc, "quiz", None), model)
        grad_hidden = hidden("grad", r.input)
        asked = [any(hidden("local", e) for e in p.edges) for p in r.paths]
        rows = [[path_text(model, p),
                 " × ".join("?" if hidden("local", e) else fmt(l)
                            for e, l in zip(p.edges, p.locals)) or "1",
                 "?" if ask else fmt(p.product)] for p, ask in zip(r.paths, asked)]
        self.window.scene.trace()  # a new list: no row selected
        self.table.set_rows(PATH_COLUMNS, rows)
        name = f"∂{out}/∂{x}"
        grad = "?" if grad_hidden else fmt(r.grad)
        if grad_hidden or any(asked):
            sentence = ("Sum over the paths: ?" if r.complete else
                        f"The first {len(r.paths)} paths add up to ?; all {count} add up to ?")
        elif r.complete:
            sentence = (f"Sum over the paths: {sum_text([p.product for p in r.paths], r.total)}"
                        if r.count else "Sum over the paths: 0 (there are none)")
        else:
            sentence = (f"The first {len(r.paths)} paths add up to {fmt(r.listed_sum)}; "
                        f"all {count} add up to {fmt(r.total)}")
        if r.agrees:
            sentence += f", which equals {name} = {grad} from the backward pass. ✓"
        else:
            sentence += (f", which does NOT equal {name} = {grad} from the backward "
                         "pass. ✗")
            if not (math.isfinite(r.total) and math.isfinite(r.grad)):
                sentence += " (A number on the way is not finite.)"
        self.summary.setText(sentence)
        show_verdict(self.summary, r.agrees)
