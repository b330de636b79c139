"""Pieces the teaching panels share: the input picker and the current numbers."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QStyle, QTableView

from gradstudio.core.errors import GraphError
from gradstudio.core.passes import Evaluation
from gradstudio.ui.theme import THEME

AGREE = QColor("#009e73")  # Okabe–Ito bluish green
DISAGREE = QColor("#d55e00")  # Okabe–Ito vermillion
DISAGREE_FILL = QColor(213, 94, 0, 45)
SHOWN_DIGITS = 10  # panels show more digits than the canvas: 33.003 must read 33.003
# The verdict colours by theme (agree, disagree): the same hues, lighter on the dark
# panels, darker (7:1 on white) in high contrast.
VERDICT_COLORS = {"light": (AGREE, DISAGREE),
                  "dark": (QColor("#2fc59b"), QColor("#ff8a4c")),
                  "high-contrast": (QColor("#005c42"), QColor("#a33a00"))}


def verdict_color(good: bool) -> QColor:
    agree, disagree = VERDICT_COLORS.get(THEME.name, VERDICT_COLORS["light"])
    return agree if good else disagree


def show_verdict(label: QLabel, good: bool | None) -> None:
    """Colour ``label`` as agreeing or not (None: plain); kept for a theme change."""
    label.setProperty("verdict", good)
    label.setStyleSheet("" if good is None else
                        f"color: {verdict_color(good).name()}; font-weight: bold;")


def restyle_verdicts(widget) -> None:
    """After a theme change: the verdict labels of ``widget`` in the new colours."""
    for label in widget.findChildren(QLabel):
        good = label.property("verdict")
        if isinstance(good, bool):
            show_verdict(label, good)


class InputPicker(QComboBox):
    """The input nodes of the document, by label; follows the canvas selection."""

    inputChanged = Signal(object)  # node id or None

    def __init__(self, window, parent=None) -> None:
        super().__init__(parent)
        self.window = window
        self.doc = window.doc
        self.setMinimumContentsLength(8)
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self._refill_pending = False
        # A timer owned by the widget dies with it (a bare singleShot could fire later).
        self._refill_timer = QTimer(self)
        self._refill_timer.setSingleShot(True)
        self._refill_timer.setInterval(0)
        self._refill_timer.timeout.connect(self.refill)
        doc = self.doc
        self._listed: set = set()  # the node ids in the list
        doc.modelReset.connect(self._schedule_refill)
        doc.nodeAdded.connect(self._node_added)
        doc.nodeRemoved.connect(self._node_gone)
        doc.nodeChanged.connect(lambda n, key: self._node_gone(n) if key == "label" else None)
        window.scene.selectionChanged.connect(self._follow_selection)
        self.currentIndexChanged.connect(lambda _i: self.inputChanged.emit(self.current()))
        self.refill()

    def current(self) -> str | None:
        node_id = self.currentData()
        return node_id if node_id in self.doc.model else None

    def set_current(self, node_id: str) -> None:
        if self._refill_pending:
            self.refill()
        index = self.findData(node_id)
        if index >= 0:
            self.setCurrentIndex(index)

    # Only inputs are listed: other nodes coming and going leave the list as it is
    # (refilling it is ~10 ms on a graph with 3,000 inputs, for each of three panels).
    def _node_added(self, node_id: str) -> None:
        model = self.doc.model
        if node_id in model and model.node_data(node_id)["op"] == "input":
            self._schedule_refill()

    def _node_gone(self, node_id: str) -> None:
        """A listed node was removed or renamed."""
        if node_id in self._listed:
            self._schedule_refill()

    def _schedule_refill(self, *_args) -> None:
        if not self._refill_pending:
            self._refill_pending = True
            self._refill_timer.start()

    def refill(self) -> None:
        self._refill_pending = False
        model = self.doc.model
        keep = self.currentData()
        inputs = model.inputs()
        labels = [model.label(n) for n in inputs]
        seen: dict[str, int] = {}
        for label in labels:
            seen[label] = seen.get(label, 0) + 1
        self._listed = set(inputs)
        self.blockSignals(True)
        self.clear()
        for node_id, label in zip(inputs, labels):
            # A label used twice is told apart by its id.
            self.addItem(label if seen[label] == 1 else f"{label} ({node_id})", node_id)
        index = self.findData(keep) if keep is not None else -1
        self.setCurrentIndex(index if index >= 0 else (0 if inputs else -1))
        self.blockSignals(False)
        if self.currentData() != keep:
            self.inputChanged.emit(self.current())

    def _follow_selection(self) -> None:
        if not shiboken6.isValid(self.window.scene):
            return  # the scene is being torn down with the window
        ids = self.window.selected_node_ids()
        if len(ids) == 1 and ids[0] in self.doc.model \
                and self.doc.model.node_data(ids[0])["op"] == "input":
            self.set_current(ids[0])


def selected_input(window) -> str | None:
    """The one selected node if it is an input."""
    ids = window.selected_node_ids()
    if len(ids) == 1 and ids[0] in window.doc.model \
            and window.doc.model.node_data(ids[0])["op"] == "input":
        return ids[0]
    return None


def backward_evaluation(doc) -> Evaluation:
    """The document's numbers if they are current and have gradients, else fresh ones.

    Never changes what the canvas shows. Raises GraphError when the graph cannot
    be evaluated (an open port, several sinks and no output, ...).
    """
    ev = doc.evaluation
    if ev is not None and ev.is_current() and ev.node_grads is not None:
        return ev
    return Evaluation(doc.model).backward()


class StepNote(QLabel):
    """While Step Forward/Backward is part-way, says what a panel's numbers describe;
    before any Backward (or after Run → Clear), that no pass has run on the canvas.

    The panels always work from the complete passes (a nudge or a sum over paths
    is about the graph, not about how far a walk-through got), so while the canvas
    is stepping this line says so, and whether the canvas already shows the
    gradient in question. ``subject()`` gives the input the panel is about.
    """

    def __init__(self, doc, subject, parent=None) -> None:
        super().__init__("", parent)
        self.doc = doc
        self.subject = subject
        self.setObjectName("step_note")
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        font = QFont(self.font())
        font.setItalic(True)
        self.setFont(font)
        doc.annotationsChanged.connect(self.update_note)
        doc.modelReset.connect(self.update_note)
        doc.stepsChanged.connect(lambda _touched: self.update_note())
        self.update_note()

    def no_pass_text(self) -> str:
        """Where the canvas shows no backward pass of the graph as it is: says so, so
        the panel's numbers (from a pass run for the panel alone) are never a surprise."""
        ev = self.doc.evaluation
        if ev is not None and ev.is_current() and ev.node_grads is not None:
            return ""
        if ev is not None and ev.is_current() and self.doc.shown == "tangent":
            which = "Forward mode is shown"  # (after Backward too: its tangents replace them)
        elif ev is not None and ev.is_current():
            which = "Only Forward has run"
        else:
            which = "No Forward/Backward pass has run"
        return (f"{which}: the canvas shows no gradients. The numbers here come from a "
                "backward pass run for this panel alone.")

    def update_note(self) -> None:
        reveal = self.doc.reveal
        if reveal is None or reveal.done:
            text = self.no_pass_text()
            self.setText(text)
            self.setVisible(bool(text))
            return
        steps = reveal.steps
        out = steps.model.label(steps.output)
        where = f"the canvas is at step {reveal.position} of {len(steps)}"
        node = self.subject()
        if node is None or node not in steps.model:
            tail = "."
        else:
            name = f"∂{out}/∂{steps.model.label(node)}"
            tail = (f" and already shows {name}." if reveal.has_grad(node)
                    else f" and does not show {name} yet.")
        self.setText(f"Numbers of the full backward pass: {where}{tail}")
        self.show()


def wrapped_label(text: str = "", parent=None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label



class RowsTable(QTableView):
    """A read-only table of text rows, drawn on demand (no item per cell).

    ``set_rows(header, rows, marks)``: rows are lists of strings; ``marks[i]``
    (optional) flags a row to show in the disagreement style. Column widths are
    fitted to the header and the first rows only, so a long table fills at once.
    Every column stays in sight: when the panel is narrower than the texts, the
    ``elided`` columns (names, paths) give up width and elide, their full text in
    the tooltip; number columns keep theirs. The ``wrapped`` columns give up width
    the same way but wrap their texts at spaces instead, each row as tall as its
    longest wrapped cell: a path is read whole however narrow the panel.
    """

    FIT_ROWS = 60
    PAD = 12  # pixels around a cell's text
    MIN_ELIDED = 48  # an elided column keeps at least this, and its header

    def __init__(self, parent=None, right_aligned: tuple[int, ...] = (),
                 elided: tuple[int, ...] = (), widest: dict[int, int] | None = None,
                 stack_when_narrow: bool = False, min_rows: int = 0,
                 wrapped: tuple[int, ...] = ()) -> None:
        super().__init__(parent)
        self.min_rows = min_rows  # rows always in sight (a panel taller than its dock scrolls)
        self.distinct: tuple[int, ...] = ()  # elided columns whose rows must still differ
        # Narrower than its columns even with the elided ones shrunk (Check all at
        # 200 % in the default dock), the table shows each row as one wrapped cell
        # instead, its numbers labelled by their headers: nothing out of sight.
        self.stack_when_narrow = stack_when_narrow
        self.stacked = False
        self.rows_model = _RowsModel(right_aligned, self)
        self.setModel(self.rows_model)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setWordWrap(False)
        self.horizontalHeader().setResizeContentsPrecision(self.FIT_ROWS)
        # A selected row made every header bold (Qt highlights the selection's
        # sections), wider than the columns were fitted to: the titles were cut.
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.elided = tuple(elided)
        self.wrapped = tuple(wrapped)
        self.setWordWrap(bool(self.wrapped))
        self.widest = dict(widest or {})  # a cap on a column's width, even with room
        self.natural: list[int] = []  # each column's width for its texts
        self.least: list[int] = []  # what each column can shrink to

    def set_rows(self, header, rows, marks=None, verdict_column=None) -> None:
        header = list(header)
        # The same rows again (measured for a new text size): the selection stays.
        same = rows == self.rows_model.rows and header == self.rows_model.header
        kept = [i.row() for i in self.selectionModel().selectedRows()] if same else []
        self.rows_model.set_rows(header, rows, marks, verdict_column)
        for row in kept:
            self.selectRow(row)
        # Fit each column to its header and its longest text, measured once
        # (resizeColumnsToContents asks the model for every cell of every row).
        self.natural, self.least = self._widths(header, rows)
        self.fit_columns()

    def _widths(self, header, rows) -> tuple[list[int], list[int]]:
        """Each column's natural width and the least it can be given."""
        plain = self.fontMetrics()
        bold = QFontMetrics(_bold(self.font()))
        heading = self.horizontalHeader().fontMetrics()
        natural, least = [], []
        for c, title in enumerate(header):
            longest = max((row[c] for row in rows), key=len, default="")
            head = max(heading.horizontalAdvance(line) for line in title.split("\n")) \
                + self.PAD + 8
            text = max(plain.horizontalAdvance(longest), bold.horizontalAdvance(longest)) \
                + self.PAD
            width = max(head, text)
            if c in self.widest:
                width = max(head, min(width, self.widest[c]))
            natural.append(width)
            if c in self.wrapped:  # down to its longest word
                words = max((plain.horizontalAdvance(w) for row in rows
                             for w in row[c].split()), default=0)
                least.append(min(width, max(head, words + self.PAD)))
            else:
                least.append(min(width, max(head, self.MIN_ELIDED)) if c in self.elided
                             else width)
        return natural, least

    def width_for(self, header, rows) -> int:
        """The table's width that shows ``rows`` whole, with room for a scroll bar."""
        natural, _least = self._widths(list(header), rows)
        return (sum(natural) + 2 * self.frameWidth()
                + self.style().pixelMetric(QStyle.PM_ScrollBarExtent))

    def fit_columns(self) -> None:
        """Column widths for the room there is: elided columns shrink first, alike;
        with ``stack_when_narrow``, rows stacked in one column when even that is too
        wide."""
        if self.stack_when_narrow:
            room = self.room_for_columns()
            fits = sum(self.least) <= room and self._still_distinct(self._widths_for(room))
            if self._stack(not fits):
                return
        widths = self._widths_for(self.viewport().width())
        for c, width in enumerate(widths):
            self.setColumnWidth(c, width)
        if self.wrapped:
            self._fit_wrapped_heights(widths)

    def _fit_wrapped_heights(self, widths: list[int]) -> None:
        """Each row as tall as its longest wrapped cell at ``widths``."""
        header, rows = self.verticalHeader(), self.rows_model.rows
        metrics, least = self._row_metrics(), header.defaultSectionSize()
        for r, row in enumerate(rows):
            height = least
            for c in self.wrapped:
                if c < len(row) and c < len(widths) and widths[c] < self.natural[c]:
                    height = max(height, self._wrapped_height(metrics(r), row[c], widths[c]))
            if self.rowHeight(r) != height:
                header.resizeSection(r, height)

    def _row_metrics(self):
        """Row -> the font metrics its text is drawn with (bold where marked)."""
        plain, bold = QFontMetrics(self.font()), QFontMetrics(_bold(self.font()))
        marks = self.rows_model.marks
        return lambda r: bold if marks and marks[r] else plain

    def _wrapped_height(self, metrics, text: str, width: int) -> int:
        """The height ``text`` takes word-wrapped in a cell ``width`` pixels wide."""
        box = QRect(0, 0, max(20, width - self.PAD), 1 << 20)
        return metrics.boundingRect(box, Qt.TextWordWrap, text).height() + 8

    def _widths_for(self, room: int) -> list[int]:
        widths = list(self.natural)
        excess = sum(widths) - room
        slack = {c: widths[c] - self.least[c] for c in self.elided + self.wrapped
                 if c < len(widths)}
        spare = sum(slack.values())
        if excess > 0 and spare > 0:
            cut = min(excess, spare)
            for c, give in slack.items():
                widths[c] -= -(-cut * give // spare)  # rounded up: never a pixel short
        return [max(width, least) for width, least in zip(widths, self.least)]

    def _still_distinct(self, widths: list[int]) -> bool:
        """Whether the ``distinct`` columns' rows, elided to ``widths``, still read
        apart: b → c → e and b → d → e elided in the middle both read "b →…→ e"."""
        rows, mode = self.rows_model.rows, self.textElideMode()
        for c in self.distinct:
            if c >= len(widths) or widths[c] >= self.natural[c]:
                continue  # not elided
            metrics, room = self.fontMetrics(), widths[c] - self.PAD
            texts = {row[c] for row in rows}
            if len({metrics.elidedText(t, mode, room) for t in texts}) < len(texts):
                return False
        return True

    def minimumSizeHint(self):
        """At least ``min_rows`` of the rows (as laid out now) below the header."""
        hint = super().minimumSizeHint()
        shown = min(self.min_rows, self.rowCount())
        if not shown:
            return hint
        rows = sum(self.rowHeight(r) for r in range(shown))
        height = (self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth()
                  + self.style().pixelMetric(QStyle.PM_ScrollBarExtent))
        return QSize(hint.width(), max(hint.height(), height))

    def room_for_columns(self) -> int:
        """The columns' room with a vertical scroll bar shown, whether it is or not:
        stacking or not then does not flip as the bar comes and goes."""
        return (self.width() - 2 * self.frameWidth()
                - self.style().pixelMetric(QStyle.PM_ScrollBarExtent))

    def _stack(self, stacked: bool) -> bool:
        """Rows as wrapped cells (True) or as columns; returns ``stacked``."""
        stacked = stacked and len(self.natural) > 1
        if stacked != self.stacked:
            self.stacked = self.rows_model.stacked = stacked
            for c in range(1, self.columnCount()):
                self.setColumnHidden(c, stacked)
            self.setWordWrap(stacked or bool(self.wrapped))
            self.rows_model.layoutChanged.emit()
            if not stacked:
                header = self.verticalHeader()
                for r in range(self.rowCount()):
                    header.resizeSection(r, header.defaultSectionSize())
        if stacked:
            width = self.viewport().width()
            self.setColumnWidth(0, width)
            self._fit_heights(width)
        if self.min_rows:
            self.updateGeometry()  # the rows' heights changed: the panel lays out again
        return stacked

    def _fit_heights(self, width: int) -> None:
        """Each stacked row as tall as its wrapped text."""
        header, model = self.verticalHeader(), self.rows_model
        metrics, least = self._row_metrics(), header.defaultSectionSize()
        bold, room = QFontMetrics(_bold(self.font())), max(20, width - self.PAD)
        model.fits = lambda text: bold.horizontalAdvance(text) <= room
        for r in range(self.rowCount()):
            height = self._wrapped_height(metrics(r), model.card(r), width)
            header.resizeSection(r, max(least, height))

    def resizeEvent(self, event) -> None:
        """(The viewport's size: the scroll bar coming or going counts too.)"""
        super().resizeEvent(event)
        if self.natural:
            self.fit_columns()

    def cut_columns(self) -> list[int]:
        """The columns whose right edge is out of sight (for tests: none, please)."""
        room = self.viewport().width()
        return [c for c in range(self.columnCount())
                if self.columnViewportPosition(c) + self.columnWidth(c) > room]

    # Reading, for tests and scripts.
    def rowCount(self) -> int:
        return self.rows_model.rowCount()

    def columnCount(self) -> int:
        return self.rows_model.columnCount()

    def text(self, row: int, column: int) -> str:
        return self.rows_model.rows[row][column]

    def cell(self, row: int, column: int, role=Qt.DisplayRole):
        return self.rows_model.data(self.rows_model.index(row, column), role)


_DISPLAY, _TOOLTIP = Qt.DisplayRole.value, Qt.ToolTipRole.value
_ALIGN, _BACKGROUND = Qt.TextAlignmentRole.value, Qt.BackgroundRole.value
_FONT, _FOREGROUND = Qt.FontRole.value, Qt.ForegroundRole.value
_RIGHT = (Qt.AlignRight | Qt.AlignVCenter).value
_FILL = QBrush(DISAGREE_FILL)
_VERDICT_BRUSHES: dict[str, tuple[QBrush, QBrush]] = {}  # theme -> (agree, disagree)


def _verdict_brush(marked: bool) -> QBrush:
    brushes = _VERDICT_BRUSHES.get(THEME.name)
    if brushes is None:
        brushes = _VERDICT_BRUSHES[THEME.name] = (QBrush(verdict_color(True)),
                                                 QBrush(verdict_color(False)))
    return brushes[1 if marked else 0]


def _bold(font: QFont) -> QFont:
    font = QFont(font)
    font.setBold(True)
    return font


class _RowsModel(QAbstractTableModel):
    def __init__(self, right_aligned, parent=None) -> None:
        super().__init__(parent)
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self.marks = None
        self.verdict_column = None
        self.right_aligned = set(right_aligned)
        self.bold = None
        self.stacked = False  # each row one wrapped cell in column 0 (RowsTable._stack)
        self.fits = None  # whether a text fits a stacked row's width (RowsTable._fit_heights)

    def card(self, r: int) -> str:
        """Row ``r`` as one wrapped cell: its first cell and its verdict, then each
        other cell after its header ("central diff. 3"); wrapped between them and
        inside a value of several words, never between a header and its value."""
        row, verdict = self.rows[r], self.verdict_column
        first = "   ".join(t for t in (row[0], row[verdict] if verdict is not None else "")
                           if t)
        rest = []
        for c in range(1, len(row)):
            if c != verdict and row[c]:
                title = " ".join(self.header[c].split()) if c < len(self.header) else ""
                # A title stays with its value's first word; a long value (a
                # path's local derivatives) wraps at its own spaces.
                value = row[c].split(" ", 1)
                unit = f"{title} {value[0]}".strip()
                if self.fits is None or self.fits(unit):
                    unit = unit.replace(" ", "\u00a0")
                # (else wider than the cell, "central diff. −0.755081" at 300 %: it
                # may wrap after its title rather than be elided)
                value[0] = unit
                rest.append(" ".join(value))
        return "\n".join(t for t in (first, "   ".join(rest)) if t)

    def set_rows(self, header, rows, marks, verdict_column) -> None:
        self.beginResetModel()
        self.header, self.rows = header, rows
        self.marks, self.verdict_column = marks, verdict_column
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.header)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and section < len(self.header):
            return self.header[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        # Roles as plain ints: comparing with Qt's enum members costs ~20 µs a call.
        role = role if isinstance(role, int) else role.value
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == _DISPLAY or role == _TOOLTIP:
            return self.card(r) if self.stacked else self.rows[r][c]
        if role == _ALIGN:
            return _RIGHT if c in self.right_aligned and not self.stacked else None
        if self.marks is None:
            return None
        marked = self.marks[r]
        if role == _BACKGROUND:
            return _FILL if marked else None
        if role == _FONT:
            if not marked:
                return None
            if self.bold is None:
                self.bold = _bold(QFont())
            return self.bold
        if role == _FOREGROUND and c == self.verdict_column:
            return _verdict_brush(marked)
        if role == _FOREGROUND and self.stacked and marked:  # the verdict is in the card
            return _verdict_brush(True)
        return None


__all__ = ["InputPicker", "RowsTable", "selected_input", "backward_evaluation", "wrapped_label",
           "GraphError", "AGREE", "DISAGREE", "DISAGREE_FILL", "SHOWN_DIGITS", "verdict_color",
           "show_verdict", "restyle_verdicts", "StepNote"]
