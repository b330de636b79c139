"""The explanation line at the foot of the presentation screen, and what it writes.

Kept apart from the mode itself (``present.py``) because how the line is sized, fitted
and drawn, and how End sums a graph up on one line, change for reasons of their own
(projector readability, quiz numbers) and are tested on their own. ``LineParts`` is a
mixin of ``Presentation``: its state (``line``, ``error``, ``stepper``...) is set there.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from gradstudio.core import quiz as quizzes
from gradstudio.core.numbers import shown_number
from gradstudio.ui.theme import THEME, number_px

LINE_PX = 0.025  # the explanation line's least size: this part of the screen's height
MIN_LINE_PX = 20  # ... and never smaller (pixels)
MAX_LINE_PX = 0.055  # ... nor bigger than this part of the screen's height
SIDE_PX = 14  # the step counter's least size (pixels)
GAP = "\u2003\u2003"  # between the formulas of one step on the explanation line
HINT = "→ or PageDown: next step   ·   ← or PageUp: back   ·   End: all   ·   Esc: leave"


class ExplanationLine(QWidget):
    """The strip under the canvas: the step's formulas, centred, and where the class is
    ("step 3 of 8") smaller on the right. Its font is at least as big as the node text
    on the screen at the presentation's zoom, and never under ``floor`` pixels (a part
    of the screen's height), so a projector shows it readably; a line too long for the
    screen is written a little smaller while it stays above the floor, then cut with
    "…"."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("presentation_line")
        self.text, self.side, self.muted, self.error = "", "", False, False
        self.shorter: tuple[str, ...] = ()  # the text without its less needed parts
        self.px = self.floor = 24
        #: What the last paint wrote: (text, pixel size, rectangle, colour) a text.
        self.drawn: list[tuple[str, int, QRectF, QColor]] = []

    def set_px(self, px: int, floor: int | None = None) -> None:
        self.px = px
        self.floor = min(px, floor if floor is not None else px)
        self.update()

    def side_px(self) -> int:
        return max(SIDE_PX, round(self.px * 0.7))

    def fits(self, text: str, width: float | None = None) -> bool:
        """Whether ``text`` is written whole (not cut) on a line ``width`` wide (the
        line's own width, less the step counter's room, if None)."""
        if width is None:
            width = self.text_room(self.side)
        return QFontMetricsF(self._font(self.floor)).horizontalAdvance(text) <= width

    def text_room(self, side: str) -> float:
        """The width the text may take beside ``side`` (from the left when it is too
        long to be centred clear of it)."""
        pad = self.px * 0.8
        return max(10.0, self.width() - pad - max(pad, self._side_width(side)))

    def _side_width(self, side: str) -> float:
        """The step counter's room: the counter, the margin right of it and a gap as
        wide before it (without the gap, End's "… 1 more" ran into "step 14 of 14"
        and read as "1 more step")."""
        if not side:
            return 0.0
        font = self._font(self.side_px(), bold=False)
        return QFontMetricsF(font).horizontalAdvance(side) + 2 * self.px * 0.8

    def strip_height(self) -> int:
        return round(self.px * 2.0)

    def show_text(self, text: str, side: str = "", muted: bool = False,
                  error: bool = False, shorter: tuple[str, ...] = ()) -> None:
        """``shorter``: the text with fewer of its parts, most wanted first, written
        whole where the whole text would be cut (see ``chosen``)."""
        state = (text, side, muted, error, tuple(shorter))
        if state != (self.text, self.side, self.muted, self.error, self.shorter):
            self.text, self.side, self.muted, self.error, self.shorter = state
            self.update()

    def _font(self, px: float, bold: bool | None = None) -> QFont:
        font = QFont(THEME.font_family)
        font.setPixelSize(max(1, round(px)))
        font.setBold(THEME.all_bold if bold is None else bold or THEME.all_bold)
        return font

    def fitted(self, texts: tuple[str, ...], width: float) -> tuple[QFont, str | None]:
        """The font and the first of ``texts`` that fits ``width`` whole, written
        smaller down to the floor (the muted hint before the first step, to 70 %);
        None for the text if none does."""
        for text in texts:
            for px in self._sizes():
                font = self._font(px)
                if QFontMetricsF(font).horizontalAdvance(text) <= width:
                    return font, text
        return self._font(self._sizes()[-1]), None

    def _sizes(self) -> list[int]:
        """The text's sizes to try, biggest first."""
        least = round(self.px * 0.7) if self.muted else self.floor
        return sorted({max(least, round(self.px * s)) for s in (1.0, 0.9, 0.8, 0.7)},
                      reverse=True)

    def chosen(self, centred: float, left: float) -> tuple[QFont, str, bool]:
        """What the line writes, and whether centred: the text whole (centred in
        ``centred`` pixels, else from the left in ``left``), else the first of
        ``shorter`` that is, else the shortest cut in the middle: a step's working
        ends with the number it gives, which the class must see (square's fan-out
        step, cut in the middle with its note, lost its "= 3")."""
        for texts in ((self.text,), self.shorter):
            for room, is_centred in ((centred, True), (left, False)):
                font, text = self.fitted(texts, room)
                if text is not None:
                    return font, text, is_centred
        last = (self.text, *self.shorter)[-1]
        font = self._font(self._sizes()[-1])
        return font, QFontMetricsF(font).elidedText(last, Qt.ElideMiddle, left), False

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.TextAntialiasing)
        rect = QRectF(self.rect())
        painter.fillRect(rect, THEME.background)
        painter.setPen(QPen(THEME.grid, max(1.0, THEME.line)))
        painter.drawLine(rect.topLeft(), rect.topRight())
        pad = self.px * 0.8
        side_width = 0.0
        self.drawn = []
        if self.side:  # in the text's own colour: readable from the back of a room
            side_font = self._font(self.side_px(), bold=False)
            side_width = self._side_width(self.side)
            painter.setFont(side_font)
            painter.setPen(QColor(THEME.value))
            where = rect.adjusted(0, 0, -pad, 0)
            painter.drawText(where, Qt.AlignRight | Qt.AlignVCenter, self.side)
            self.drawn.append((self.side, side_font.pixelSize(),
                               painter.boundingRect(where, Qt.AlignRight | Qt.AlignVCenter,
                                                    self.side), QColor(THEME.value)))
        # Centred on the screen while it clears the side text, else from the left.
        room = rect.width() - 2 * max(pad, side_width)
        font, text, centred = self.chosen(max(10.0, room), self.text_room(self.side))
        if centred:
            where, align = rect.adjusted(max(pad, side_width), 0, -max(pad, side_width), 0), \
                Qt.AlignCenter
        else:
            where, align = rect.adjusted(pad, 0, -max(pad, side_width), 0), \
                Qt.AlignLeft | Qt.AlignVCenter
        painter.setFont(font)
        color = THEME.error if self.error else THEME.pending if self.muted else THEME.value
        painter.setPen(QColor(color))
        painter.drawText(where, align, text)
        self.drawn.append((text, font.pixelSize(), painter.boundingRect(where, align, text),
                           QColor(color)))
        painter.end()


class LineParts:
    """Presentation's explanation line: what it says after each step (the step's
    formulas, the hint before the first, End's summary, a pass that failed) and its
    size and place on the screen."""

    def update_line(self) -> None:
        if not self.presenting:
            return
        self._hide_panels()
        stepper = self.stepper
        if self.error:
            self.line.show_text(f"Not computed: {self.error}", error=True)
        elif stepper.active and stepper.position > 0:
            steps, position = stepper.steps, stepper.position
            last = stepper.history[-1] if stepper.history else None
            one_step = last is not None and last.after == position \
                and abs(last.after - last.before) == 1
            if position == len(steps) and (self._summing_up or not one_step):
                text = self.summary()  # End: what the whole graph now shows
            else:
                text = self.step_text(last if one_step else None)
            parts = text.splitlines()
            # Too long for the screen: first without its notes ("b fans out to c and
            # d: ..."), then with fewer of its formulas, down to its working alone
            # (the first, ending in the result): whole formulas, never one cut.
            formulas = [part for part in parts if "=" in part]
            shorter = tuple(GAP.join(formulas[:k]) for k in range(len(formulas), 0, -1))
            self.line.show_text(GAP.join(parts), self._side(), shorter=shorter)
        else:
            self.line.show_text(HINT, muted=True)

    def _side(self) -> str:
        """Where the class is, on the line's right: "step 3 of 8"."""
        stepper = self.stepper
        if not (stepper.active and stepper.position > 0):
            return ""
        steps, position = stepper.steps, stepper.position
        side = f"step {position} of {len(steps)}"
        if position == steps.n_forward and steps.n_backward:
            side += " · forward pass done"
        elif position == len(steps):
            side += " · done"
        return side

    def step_text(self, entry=None) -> str:
        """The step's explanation as the Explanation panel writes it, with what a quiz
        still hides as ``?`` (a number revealed since the step shows); after a single
        step, ``entry``'s lines before the step's own ("Backward pass from the output")
        too, as the panel has them."""
        steps = self.stepper.steps
        step = steps.step(self.stepper.position - 1)
        own = quizzes.explained(getattr(self.doc, "quiz", None), steps.model, step)
        lead = entry.text.splitlines()[:-len(step.lines)] if entry is not None else []
        return "\n".join([*lead, own])

    def summary(self, fits=None) -> str:
        """End's line: both passes done, the output's value and the inputs' gradients
        (a quiz's hidden ones as ``?``), numbers with a real minus sign as on the
        canvas. ``fits(line)``: whether the line is written whole (the line's own test
        if None); the gradients that do not fit are left off as "… N more"."""
        fits = fits or (lambda text: self.line.fits(text, self.line.text_room(self._side())))
        steps = self.stepper.steps
        ev, model, run = steps.evaluation, steps.model, getattr(self.doc, "quiz", None)
        digits = getattr(self.editor.scene, "digits", 4)

        def number(kind, node, value) -> str:
            if run is not None and run.is_hidden(model, (kind, node)):
                return "?"
            return shown_number(value, digits)

        out = model.label(steps.output)
        result = f"{out} = {number('value', steps.output, ev.value(steps.output))}"
        # (The inputs in the file's order, as the deck's last page lists them.)
        inputs = [n for n in model.inputs() if n != steps.output]
        if len(steps) <= steps.n_forward:
            inputs = []  # (no backward pass: no gradients)
        grads = [f"∂{out}/∂{model.label(n)} = {number('grad', n, ev.grad(n))}"
                 for n in inputs]
        # Every gradient that fits after "All numbers shown:", which tells the class
        # the passes are done (it went first, and a lecturer missed it); it goes only
        # where not one gradient would fit beside it (a narrow screen).
        least = 1 if grads else 0
        for lead, fewest in ((f"All numbers shown: {result}", least), (result, 0)):
            for count in range(len(grads), fewest - 1, -1):
                rest = len(grads) - count
                parts = [lead, *grads[:count], *([f"… {rest} more"] if rest else [])]
                if fits(GAP.join(parts)):
                    return "\n".join(parts)
        return "\n".join([result, f"… {len(grads)} more"] if grads else [result])

    def _shown_changed(self) -> None:
        if self.doc.evaluation is not None or self.doc.reveal is not None:
            self.error = ""
        self.update_line()
        self._keep_in_sight()

    def _failed(self, message: str, _node) -> None:
        self.error = message
        self.update_line()

    def _place_line(self) -> None:
        height = self.line.strip_height()
        self.view.setViewportMargins(0, 0, 0, height)
        rect = self.view.rect()
        self.line.setGeometry(0, rect.height() - height, rect.width(), height)

    def _line_floor(self) -> int:
        """The explanation line's least size on this screen (pixels)."""
        screen = self.editor.screen()
        height = screen.geometry().height() if screen is not None else 800
        return max(MIN_LINE_PX, round(height * LINE_PX))

    def _line_px(self) -> int:
        """The explanation line's size at the view's zoom: as big as the node text on
        the screen (the chips' numbers are 0.9 of it), never under the floor, nor so
        big the strip takes the graph's room."""
        screen = self.editor.screen()
        height = screen.geometry().height() if screen is not None else 800
        node_px = number_px(1.0) * self.view.zoom()
        return min(max(self._line_floor(), round(height * MAX_LINE_PX)),
                   max(self._line_floor(), math.ceil(node_px)))
