"""The Check panel: nudge one input the way the course notes do, or check them all.

Nudge: x → x + h, J(x) → J(x + h), the slope (J(x+h) − J(x))/h next to the
backward pass's dJ/dx and their relative difference. Check all: a table of
central differences against the analytic gradient for every input, with any
disagreement marked in words and in colour. Results belong to one state of the
graph: an edit clears them.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from gradstudio.core import quiz as quizzes
from gradstudio.core.check import DEFAULT_NUDGE, check_gradients, nudge
from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import editable_text, parse_number, shown_number as format_number
from gradstudio.ui.teaching.common import (SHOWN_DIGITS, InputPicker, RowsTable, StepNote,
                                           backward_evaluation, restyle_verdicts, show_verdict,
                                           wrapped_label)
from gradstudio.ui.teaching.flow import FlowLayout

#: A forward difference is off by about h·J''/2; closer than this reads as agreeing.
NUDGE_AGREES = 1e-2
# Two-line headers: the numbers, not the titles, set the columns' widths.
CHECK_COLUMNS = ("input", "verdict", "backward", "central\ndiff.", "rel.\ndiff.", "x")
TABLE_DIGITS = 6  # enough to see two columns agree; narrow enough to show all six
FOLLOW_MS = 400  # after Check all, how long the panel's scrolling follows its layout


def fmt(x) -> str:
    return format_number(x, SHOWN_DIGITS)


def tfmt(x) -> str:
    return format_number(x, TABLE_DIGITS)


#: The panel's line under its buttons: what to do, or why the results went.
PROMPT = "Pick an input and press Nudge: x moves to x + h and J follows, as in the course notes."
CHANGED = "The graph changed: press Nudge or Check all again."
CLEARED = "The numbers were cleared: press Nudge or Check all again."
PRESENTED = ("Results cleared when the presentation changed the steps (the canvas "
             "shows the numbers worked out again): press Nudge or Check all again.")


def _captioned(caption: str, field: QWidget, parent) -> QWidget:
    """``field`` with its label above it (the label names it for a screen reader too)."""
    box = QWidget(parent)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    label = QLabel(caption, box)
    label.setBuddy(field)
    column.addWidget(label)
    column.addWidget(field)
    return box


class HField(QLineEdit):
    """The nudge h: as wide as "0.00001" in its font at every text size (90 px at
    300 % showed "001" of 0.001)."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("0.00001") + 16, hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class BigNumber(QLabel):
    """A big number that is drawn smaller rather than cut where its box is narrower
    than it (a six-digit gradient at 1.4 times 300 % text is wider than the column);
    never smaller than the panel's own text."""

    def minimumSizeHint(self) -> QSize:
        parent = self.parentWidget() or self
        least = QFontMetrics(parent.font()).horizontalAdvance(self.text() or "–")
        return QSize(least + 2 * self.margin(), super().minimumSizeHint().height())

    def paintEvent(self, event) -> None:
        font = QFont(self.font())
        room = self.contentsRect().width() - 2  # (a pixel of air each side)
        floor = (self.parentWidget() or self).font().pointSizeF()
        wide = QFontMetrics(font).horizontalAdvance(self.text())
        while wide > room > 0 and font.pointSizeF() > floor:  # (hinted: not quite linear)
            font.setPointSizeF(max(floor, font.pointSizeF() * min(0.97, room / wide)))
            wide = QFontMetrics(font).horizontalAdvance(self.text())
        painter = QPainter(self)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.text())


class CheckPanel(QWidget):
    statusMessage = Signal(str)

    def __init__(self, window, parent=None) -> None:
        super().__init__(parent)
        self.window = window
        self.doc = window.doc
        self.result = None  # the last Nudge
        self.rows = None  # the last Check all
        self._quiz_shown = None  # the quiz sitting the shown results hide numbers of
        self._revision = None  # the model revision the results belong to
        self._follow = None  # keeps the table in sight while the panel settles

        layout = QVBoxLayout(self)
        # The controls in rows as wide as the panel, each label above its field: in
        # the narrow column at 200 % and 300 % one row of them was wider than the
        # panel, and h, Nudge and the table's columns were out of sight to the right
        # (the panel scrolls only up and down).
        self.controls = FlowLayout()
        self.picker = InputPicker(window, self)
        self.picker.setToolTip("The input to nudge (selecting an input on the canvas picks it)")
        self.h_edit = HField(editable_text(DEFAULT_NUDGE), self)
        self.h_edit.setToolTip("The nudge h: x becomes x + h")
        self.nudge_button = QPushButton("Nudge", self)
        self.nudge_button.setToolTip("x → x + h: does J move by h·∂J/∂x?")
        # Both buttons at the top, in places that never move: the texts under them
        # (the step note, the nudge's sentence and verdict, Check all's summary) take
        # as many lines as they need without pushing a button from under the mouse.
        self.check_all_button = QPushButton("Check all", self)
        self.check_all_button.setToolTip("Every input's gradient against central differences")
        self.controls.addWidget(_captioned("Input", self.picker, self))
        self.controls.addWidget(_captioned("h", self.h_edit, self))
        self.controls.addWidget(self.nudge_button)
        layout.addLayout(self.controls)
        row = QHBoxLayout()  # Check all on its own row, under the nudge's
        row.addWidget(self.check_all_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.step_note = StepNote(self.doc, self.picker.current, self)
        layout.addWidget(self.step_note)

        self.sentence = wrapped_label(PROMPT, self)
        self.sentence.setObjectName("check_sentence")
        layout.addWidget(self.sentence)
        # J before and after the nudge, then the three numbers side by side.
        self.change = wrapped_label("", self)
        self.change.setObjectName("nudge_change")
        layout.addWidget(self.change)
        self.side_by_side = QFrame(self)
        pair = FlowLayout(self.side_by_side, fill=True)  # one under another when narrow
        self.boxes = {key: self._big_box(key) for key in ("slope", "analytic", "relative")}
        for box in self.boxes.values():
            pair.addWidget(box[0])
        layout.addWidget(self.side_by_side)
        self.verdict = wrapped_label("", self)
        self.verdict.setObjectName("nudge_verdict")
        layout.addWidget(self.verdict)

        line = QFrame(self)
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)  # drawn in the palette's shades, any theme
        layout.addWidget(line)
        self.summary = wrapped_label("", self)
        self.summary.setObjectName("check_summary")
        layout.addWidget(self.summary)
        self.table = RowsTable(self, right_aligned=(2, 3, 4, 5), elided=(0,),
                               stack_when_narrow=True, min_rows=3)
        layout.addWidget(self.table, 1)

        self.nudge_button.clicked.connect(self.run_nudge)
        self.h_edit.returnPressed.connect(self.run_nudge)
        self.check_all_button.clicked.connect(self.run_check_all)
        self.picker.inputChanged.connect(lambda _n: self.clear_nudge())
        self.picker.inputChanged.connect(lambda _n: self.step_note.update_note())
        self.doc.undo_stack.indexChanged.connect(self._maybe_stale)
        self.doc.nodeChanged.connect(lambda _n, key: self._labels_changed(key))
        self.doc.modelReset.connect(self.clear)
        self.doc.annotationsChanged.connect(self._pass_changed)
        self.doc.annotationsChanged.connect(self._quiz_changed)
        self._had_pass = self.doc.evaluation is not None
        self.clear()

    def _big_box(self, key: str):
        frame = QFrame(self)
        frame.setFrameShape(QFrame.StyledPanel)
        box = QVBoxLayout(frame)
        box.setContentsMargins(4, 4, 4, 4)
        title = QLabel("", frame)
        title.setAlignment(Qt.AlignCenter)
        title.setWordWrap(True)
        number = BigNumber("–", frame)
        number.setObjectName(f"nudge_{key}")
        number.setAlignment(Qt.AlignCenter)
        font = QFont(number.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        number.setFont(font)
        number.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(title)
        box.addWidget(number)
        return frame, title, number

    def sizeHint(self) -> QSize:
        """Wide enough for Check all's six columns with typical numbers (the dock's width)."""
        hint = super().sizeHint()
        sample = [["input", "✓ agrees", "−0.268941", "−0.268941", "1.6e−10", "0.5"]]
        margins = self.layout().contentsMargins()
        width = self.table.width_for(CHECK_COLUMNS, sample) + margins.left() + margins.right()
        return QSize(max(hint.width(), width), hint.height())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange:  # a theme change
            restyle_verdicts(self)

    # ------------------------------------------------------------- actions
    def h(self) -> float:
        value = parse_number(self.h_edit.text())
        if value == 0:
            raise ValueError("h cannot be 0")
        return value

    def run_nudge(self, input_id: str | None = None) -> bool:
        """Nudge the picked input (or ``input_id``) by h; True when numbers are shown."""
        if input_id:
            self.picker.set_current(input_id)
        node_id = self.picker.current()
        if node_id is None:
            self._say("Pick an input to nudge (the graph has none yet).")
            return False
        try:
            h = self.h()
        except ValueError as exc:
            self._say(f"h: {exc}")
            return False
        try:
            ev = backward_evaluation(self.doc)
            result = nudge(self.doc.model, node_id, h, evaluation=ev)
        except GraphError as exc:
            self.clear_nudge()
            self._say(f"Cannot nudge: {exc}")
            return False
        self.result = result
        self._revision = self.doc.model.revision
        self._show_nudge()
        return True

    def run_check_all(self) -> bool:
        try:
            rows = check_gradients(self.doc.model)
        except GraphError as exc:
            self.clear_check()
            self._say(f"Cannot check: {exc}")
            return False
        self.rows = rows
        self._revision = self.doc.model.revision
        self._show_check()
        # The line above says what the panel shows now, never an older state's
        # "cleared" or "changed": the nudge's result if one stands, else the prompt.
        if self.result is not None:
            self._show_nudge()
        else:
            self.sentence.setText(PROMPT)
        return True

    def _say(self, message: str) -> None:
        self.sentence.setText(message)
        self.statusMessage.emit(message)

    # -------------------------------------------------------------- showing
    def _show_nudge(self) -> None:
        r, model = self.result, self.doc.model
        x, out = model.label(r.input), model.label(r.output)
        # A quiz's hidden numbers are ? here too: the gradient (and the slope that
        # estimates it), the output's value (and the nudged one).
        hidden = quizzes.hider(getattr(self.doc, "quiz", None), model)
        grad_hidden, out_hidden = hidden("grad", r.input), hidden("value", r.output)
        self._quiz_shown = getattr(self.doc, "quiz", None)
        before, after = ("?", "?") if out_hidden else (fmt(r.before), fmt(r.after))
        slope = "?" if grad_hidden else fmt(r.slope)
        analytic = "?" if grad_hidden else fmt(r.analytic)
        self.change.setText(f"{x}: {fmt(r.x)} → {fmt(r.x + r.h)}    "
                            f"{out}: {before} → {after}")
        self._box("slope", f"({out}({x}+h) − {out}({x})) / h", slope)
        self._box("analytic", f"∂{out}/∂{x} backward", analytic)
        self._box("relative", "relative difference", format_number(r.relative_difference, 2))
        self.sentence.setText(
            f"{x} = {fmt(r.x)} → {fmt(r.x + r.h)} makes {out} = {before} → "
            f"{after}, so ∂{out}/∂{x} ≈ {'?' if grad_hidden else format_number(r.slope, 6)}; "
            f"the backward pass gives {analytic}.")
        rel = r.relative_difference
        if math.isfinite(rel) and rel <= NUDGE_AGREES:
            self._verdict(f"✓ They agree (relative difference {format_number(rel, 2)}).", True)
        elif math.isfinite(rel):
            self._verdict(f"✗ They differ by {format_number(rel, 2)} (relative): a kink, "
                          "a large h, or a wrong gradient.", False)
        else:
            self._verdict("✗ A number is not finite: no comparison.", False)

    def _box(self, key: str, caption: str, number: str) -> None:
        _frame, title, value = self.boxes[key]
        title.setText(caption)
        value.setText(number)

    def _verdict(self, text: str, good: bool) -> None:
        self.verdict.setText(text)
        show_verdict(self.verdict, good)

    def _show_check(self) -> None:
        model, rows = self.doc.model, self.rows
        try:
            out = model.label(model.resolve_output())
        except GraphError:
            out = "J"
        header = ("input", CHECK_COLUMNS[1], f"∂{out}/∂x", *CHECK_COLUMNS[3:])
        hidden = quizzes.hider(getattr(self.doc, "quiz", None), model)  # a quiz's: ?
        self._quiz_shown = getattr(self.doc, "quiz", None)
        cells = [[model.label(r.input), "✓ agrees" if r.agrees else "✗ DIFFERS",
                  *(("?", "?") if hidden("grad", r.input) else
                    (tfmt(r.analytic), tfmt(r.numeric))),
                  format_number(r.relative_difference, 2), tfmt(r.value)] for r in rows]
        self.table.set_rows(header, cells, [not r.agrees for r in rows], verdict_column=1)
        bad = [r for r in rows if not r.agrees]
        if not rows:
            text, good = "The graph has no inputs to check.", True
        elif not bad:
            text, good = (f"✓ All {len(rows)} gradients agree with central differences."
                          if len(rows) > 1 else
                          "✓ The gradient agrees with central differences."), True
        else:
            names = ", ".join(model.label(r.input) for r in bad[:6]) + (" …" if len(bad) > 6
                                                                       else "")
            verb = "disagrees" if len(bad) == 1 else "disagree"
            text = (f"✗ {len(bad)} of {len(rows)} gradients {verb} with central "
                    f"differences: {names}. At a kink (like relu at 0) there is no derivative: "
                    "the two sides give different slopes.")
            good = False
        self.summary.setText(text)
        show_verdict(self.summary, good)
        self._table_in_sight()

    def _table_in_sight(self) -> None:
        """Scroll the panel (in a scroll area at a big text size) so that the summary
        is at its top, the table's rows under it: now, and as the panel's layout
        settles (its dock may just have been raised; the rows grow to their text)."""
        area = self.parentWidget().parentWidget() if self.parentWidget() else None
        if not isinstance(area, QScrollArea) or self.rows is None:
            return
        bar = area.verticalScrollBar()

        def scroll(*_args) -> None:
            bar.setValue(min(bar.maximum(), self.summary.y() - 4))
        if self._follow is not None:
            bar.rangeChanged.disconnect(self._follow)
        self._follow = scroll
        bar.rangeChanged.connect(scroll)
        scroll()
        QTimer.singleShot(0, scroll)
        QTimer.singleShot(FOLLOW_MS, self._stop_following)

    def _stop_following(self) -> None:
        area = self.parentWidget().parentWidget() if self.parentWidget() else None
        if self._follow is not None and isinstance(area, QScrollArea):
            area.verticalScrollBar().rangeChanged.disconnect(self._follow)
        self._follow = None

    # ------------------------------------------------------------- clearing
    def clear_nudge(self) -> None:
        self.result = None
        self.change.setText("")
        self._box("slope", "(J(x+h) − J(x)) / h", "–")
        self._box("analytic", "∂J/∂x backward", "–")
        self._box("relative", "relative difference", "–")
        self.verdict.setText("")
        self.sentence.setText(PROMPT)

    def clear_check(self) -> None:
        self.rows = None
        self.table.set_rows(CHECK_COLUMNS, [])
        self.summary.setText("")
        show_verdict(self.summary, None)

    def clear(self) -> None:
        self._revision = None
        self.clear_nudge()
        self.clear_check()

    def _maybe_stale(self, _index: int = 0) -> None:
        if self._revision is not None and self._revision != self.doc.model.revision:
            self.clear()
            self.sentence.setText(CHANGED)

    def _pass_changed(self) -> None:
        """Run → Clear (or an edit that clears the numbers) clears the results too:
        a Check all of numbers no longer shown is never left standing; an edit
        re-run live (the undo index may not move when edits merge) marks them stale."""
        had, self._had_pass = self._had_pass, self.doc.evaluation is not None
        if not had and self.doc.evaluation is not None and self.sentence.text() == CLEARED:
            # The numbers are back (a pass, a presentation's End or Esc): the line
            # no longer says they were cleared, while the canvas shows them.
            self.sentence.setText(PROMPT)
        if self.result is None and self.rows is None:
            return
        if self._revision is not None and self._revision != self.doc.model.revision:
            self._maybe_stale()
        elif had and self.doc.evaluation is None:
            self.clear()
            # A presentation's Home clears the numbers to step them again: its End or
            # Esc brings the same numbers back, so the line says why the results went.
            presentation = getattr(self.window, "presentation", None)
            presenting = getattr(presentation, "presenting", False)
            self.sentence.setText(PRESENTED if presenting else CLEARED)

    def _quiz_changed(self) -> None:
        """A quiz set up, changed or ended while results show: shown again, its hidden
        numbers as ? (or back)."""
        if getattr(self.doc, "quiz", None) is self._quiz_shown:
            return
        if self.result is not None:
            self._show_nudge()
        if self.rows is not None:
            self._show_check()

    def _labels_changed(self, key: str) -> None:
        if key == "label" and (self.result is not None or self.rows is not None):
            if self.result is not None:
                self._show_nudge()
            if self.rows is not None:
                self._show_check()
