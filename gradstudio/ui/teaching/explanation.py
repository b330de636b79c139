"""The Explanation panel: each step of a step-through pass, written with its numbers.

A read-only text view. Every press of Step Forward/Backward appends one entry
(a heading line, then the formulas); Step back removes the last one. The
entry of the step just done is marked with a tinted background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit

from gradstudio.ui.theme import THEME

NBSP = "\u00a0"
JOINER = "\u2060"  # word joiner: no line break here
PLACEHOLDER = ("Step Forward (F7) computes one node at a time, in topological order; "
               "Step Backward (F8) then works out one gradient at a time, from the output "
               "back; Step back (Shift+F7) undoes a step. Each step is explained here.")


class ExplanationPanel(QDockWidget):
    def __init__(self, stepper, parent=None) -> None:
        super().__init__("Explanation", parent)
        self.setObjectName("explanation")
        self.view = QPlainTextEdit(self)
        self.view.setReadOnly(True)
        self.view.setPlaceholderText(PLACEHOLDER)
        self.view.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        font = QFont(THEME.font_family)
        font.setPointSizeF(THEME.font_size * 1.05)
        self.view.setFont(font)
        self.setWidget(self.view)
        self._starts: list[int] = []  # first block of each entry
        # The step just done stays in sight when the panel is resized (narrower at a
        # bigger text size, its lines wrap to more): the view follows its end while
        # it is scrolled to the end.
        bar = self.view.verticalScrollBar()
        self._at_end = True
        bar.valueChanged.connect(lambda v: setattr(self, "_at_end", v >= bar.maximum()))
        bar.rangeChanged.connect(lambda _lo, hi: self._at_end and bar.setValue(hi))
        stepper.started.connect(lambda _steps: self.clear())
        stepper.entryAdded.connect(self.add_entry)
        stepper.entryRemoved.connect(lambda _entry: self.remove_last())
        stepper.retold.connect(self.rewrite)
        stepper.ended.connect(self._ended)
        # A note on how the last stepping ended is about the graph that was shown.
        stepper.doc.modelReset.connect(self.clear)

    def text(self) -> str:
        """The entries as plain text (without the joiners that keep a derivative on
        one line)."""
        return self.view.toPlainText().replace(JOINER, "")

    def clear(self) -> None:
        self.view.clear()
        self.view.setPlaceholderText(PLACEHOLDER)
        self._starts = []
        self._mark_last()

    def _end(self) -> int:
        return self.view.document().characterCount() - 1

    def add_entry(self, entry) -> None:
        self._insert(QTextCursor(self.view.document()), entry)
        self._mark_last()

    def _insert(self, cursor, entry) -> None:
        start = self._end()
        cursor.movePosition(QTextCursor.End)
        plain, bold = QTextCharFormat(), QTextCharFormat()
        bold.setFontWeight(QFont.Bold)
        if start:
            cursor.insertText("\n\n", plain)
        cursor.insertText(entry.heading, bold)
        # Lines wrap between terms, never inside a product of numbers (2 × 1 stays
        # together) nor inside a derivative (at 300 % a narrow panel read "∂o/" at the
        # end of a line, "∂x1w1" on the next); a product of derivatives wraps after
        # its "·" where the panel is too narrow for the whole of it.
        body = entry.text.replace(" × ", NBSP + "×" + NBSP).replace(" · ", NBSP + "· ")
        body = body.replace("/∂", "/" + JOINER + "∂")
        cursor.insertText("\n" + body, plain)
        self._starts.append(start)

    def rewrite(self, entries) -> None:
        """Every entry written again (a quiz set up part-way hides its numbers here too)."""
        bar = self.view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum()
        where = bar.value()
        self.view.clear()
        self._starts = []
        cursor = QTextCursor(self.view.document())
        cursor.beginEditBlock()
        for entry in entries:
            self._insert(cursor, entry)
        cursor.endEditBlock()
        self._mark_last()
        if not at_end:
            bar.setValue(where)

    def remove_last(self) -> None:
        """Take the last entry away, with the blank line before it."""
        if not self._starts:
            return
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self._starts.pop())
        cursor.movePosition(QTextCursor.End, QTextCursor.KeepAnchor)
        cursor.removeSelectedText()
        self._mark_last()

    def _ended(self, why: str) -> None:
        self.clear()
        if why:
            self.view.setPlaceholderText(f"Stepping ended: {why}.\n\n{PLACEHOLDER}")

    def _mark_last(self) -> None:
        """Tint the entry of the step just done and keep it in sight.

        The tint is its blocks' background, which the view paints as one band the
        full width of every line. (A full-width selection, as before, stopped at the
        end of the entry's last text: the band's last line was as short as its text,
        and a band ended short where a block ended with the view's width.)"""
        doc = self.view.document()
        every = QTextCursor(doc)
        every.select(QTextCursor.Document)
        every.setBlockFormat(QTextBlockFormat())  # the last band, and any inherited
        if not self._starts:
            return
        cursor = QTextCursor(doc)
        cursor.setPosition(self._starts[-1] + (2 if self._starts[-1] else 0))
        cursor.movePosition(QTextCursor.End, QTextCursor.KeepAnchor)
        tint = QColor(THEME.wire_active)
        tint.setAlpha(30)
        band = QTextBlockFormat()
        band.setBackground(tint)
        cursor.setBlockFormat(band)
        end = QTextCursor(doc)
        end.movePosition(QTextCursor.End)
        self.view.setTextCursor(end)
        self.view.ensureCursorVisible()
