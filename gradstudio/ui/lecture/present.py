"""View → Present (F11): the window as a lecture screen, driven by a presenter's remote.

Full screen, with the panels, toolbars, menu bar and status bar hidden, the text at
the window's Text Size if that is above 100 % (else 200 %) and the graph fitted to
the screen above a thin line that writes the step's explanation. The keys a remote
sends walk through the stepper's steps (``ui/teaching/stepper.py``): PageDown,
Right or Space the next step (the forward pass, then the backward pass), PageUp or
Left a step back, Home the bare graph, End the fully annotated one; Esc or F11
leave, and leaving puts back the window exactly as it was (docks, toolbars, menu
bar, geometry, text size, zoom), with the Explanation panel written as the window's
own steps would have written it (one entry a step, a quiz's revealed numbers shown).

The graph is read-only while presenting, and the presenter's mouse a pointer: a drag
on the canvas neither moves nodes, draws wires nor pans the view (the wheel still
zooms), and nothing is deleted, renamed, dropped, pasted, undone or arranged (the edit
shortcuts are swallowed). A quiz's ``?`` still reveals on a click and takes a
student's answer on a double-click. The view follows the
steps: a step whose node is not comfortably in sight pans it to the middle of the
screen (the zoom kept); one in sight leaves the view still.

The keys are caught by an application-wide event filter while presenting, before
the widget with the focus sees them: the canvas would otherwise pan on Space and
scroll on the arrows, and a shortcut would take Home or End.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, fields

from PySide6.QtCore import QByteArray, QEvent, QObject, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QGuiApplication, QKeySequence,
                           QPainter, QPen, QTransform)
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QDockWidget, QFrame, QLineEdit,
                               QToolBar, QWidget)

from gradstudio.core import quiz as quizzes
from gradstudio.core.errors import GraphError
from gradstudio.core.passes import Evaluation
from gradstudio.core.numbers import shown_number
from gradstudio.ui.teaching.stepper import Entry
from gradstudio.ui.theme import THEME, number_px

NEXT = frozenset({Qt.Key_PageDown, Qt.Key_Right, Qt.Key_Space})
BACK = frozenset({Qt.Key_PageUp, Qt.Key_Left})
KEYS = NEXT | BACK | {Qt.Key_Home, Qt.Key_End, Qt.Key_Escape}
PRESENT_TEXT_SIZE = 2.0  # the text size while presenting when the window's is 100 %
WHOLE_PX = 9.0  # a graph is shown whole while its numbers are this many pixels high
ROOM = 80  # canvas units left around the graph when fitted (chips to come)
FOLLOW_MARGIN = 48  # pixels a step's node keeps from the screen's edges, or the view pans
LINE_PX = 0.025  # the explanation line's least size: this part of the screen's height
MIN_LINE_PX = 20  # ... and never smaller (pixels)
MAX_LINE_PX = 0.055  # ... nor bigger than this part of the screen's height
SIDE_PX = 14  # the step counter's least size (pixels)
#: The window's actions that change the graph: their shortcuts do nothing while presenting
#: (the editor's and the arrange tools' attributes; the teaching tools' Nudge).
EDITING = (("act_undo", "act_redo", "act_cut", "act_paste", "act_duplicate", "act_delete",
            "act_select_all", "act_new_formula"),
           ("arrange", ("act_auto_layout", "act_snap", "act_align_left", "act_align_top")),
           ("teaching", ("act_nudge",)))
#: Keys the canvas itself turns into edits (Tab: quick add).
EDITING_KEYS = frozenset({Qt.Key_Tab, Qt.Key_Backtab, Qt.Key_Delete, Qt.Key_Backspace,
                          Qt.Key_F2})
DRAGS = (QEvent.DragEnter, QEvent.DragMove, QEvent.Drop)
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
        if not side:
            return 0.0
        font = self._font(self.side_px(), bold=False)
        return QFontMetricsF(font).horizontalAdvance(side) + self.px * 0.8

    def strip_height(self) -> int:
        return round(self.px * 2.0)

    def show_text(self, text: str, side: str = "", muted: bool = False,
                  error: bool = False) -> None:
        if (text, side, muted, error) != (self.text, self.side, self.muted, self.error):
            self.text, self.side, self.muted, self.error = text, side, muted, error
            self.update()

    def _font(self, px: float, bold: bool | None = None) -> QFont:
        font = QFont(THEME.font_family)
        font.setPixelSize(max(1, round(px)))
        font.setBold(THEME.all_bold if bold is None else bold or THEME.all_bold)
        return font

    def fitted(self, width: float) -> tuple[QFont, str]:
        """The font and text that fit ``width``: smaller down to the floor (the muted
        hint before the first step, to 70 %), then cut."""
        least = round(self.px * 0.7) if self.muted else self.floor
        sizes = sorted({max(least, round(self.px * s)) for s in (1.0, 0.9, 0.8, 0.7)},
                       reverse=True)
        for px in sizes:
            font = self._font(px)
            metrics = QFontMetricsF(font)
            if metrics.horizontalAdvance(self.text) <= width:
                return font, self.text
        return font, metrics.elidedText(self.text, Qt.ElideRight, width)

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
            side_width = QFontMetricsF(side_font).horizontalAdvance(self.side) + pad
            painter.setFont(side_font)
            painter.setPen(QColor(THEME.value))
            where = rect.adjusted(0, 0, -pad, 0)
            painter.drawText(where, Qt.AlignRight | Qt.AlignVCenter, self.side)
            self.drawn.append((self.side, side_font.pixelSize(),
                               painter.boundingRect(where, Qt.AlignRight | Qt.AlignVCenter,
                                                    self.side), QColor(THEME.value)))
        # Centred on the screen while it clears the side text, else from the left.
        room = rect.width() - 2 * max(pad, side_width)
        font, text = self.fitted(max(10.0, room))
        where, align = rect.adjusted(max(pad, side_width), 0, -max(pad, side_width), 0), \
            Qt.AlignCenter
        if text != self.text:
            font, text = self.fitted(self.text_room(self.side))
            where, align = rect.adjusted(pad, 0, -max(pad, side_width), 0), \
                Qt.AlignLeft | Qt.AlignVCenter
        painter.setFont(font)
        color = THEME.error if self.error else THEME.pending if self.muted else THEME.value
        painter.setPen(QColor(color))
        painter.drawText(where, align, text)
        self.drawn.append((text, font.pixelSize(), painter.boundingRect(where, align, text),
                           QColor(color)))
        painter.end()


@dataclass
class _Before:
    """What entering changed, to put back on leaving."""

    geometry: QRect  # the window's, when neither maximized nor full screen
    window_state: Qt.WindowStates
    layout: QByteArray  # docks and toolbars (QMainWindow.saveState)
    menu_bar: bool
    status_bar: bool
    text_scale: float
    transform: QTransform
    centre: QPointF
    scrolled: tuple  # the scroll bars' values (the centre to the pixel)
    viewport: object  # the viewport's size they go with
    frame: QFrame.Shape
    selected: list


class Presentation(QObject):
    """Presentation mode of one window: View → Present, its keys and its line."""

    def __init__(self, editor, stepping, text_size=None) -> None:
        super().__init__(editor)
        self.editor, self.stepping, self.stepper = editor, stepping, stepping.stepper
        self.doc, self.view = editor.doc, editor.view
        # ``text_size(factor)``: the window's Text Size machinery (canvas and panels);
        # without one, the canvas alone.
        self.text_size = text_size or self._canvas_text_size
        self.before: _Before | None = None
        #: In a quiz, what "next" does first: reveal the next ``?`` the canvas shows
        #: (``QuizMode.reveal_next``; True if it revealed one). Set by the window.
        self.reveal_next = None
        self._back_to: _Before | None = None  # the view's scroll to put back, on leaving
        self.error = ""
        self.line = ExplanationLine(self.view)
        self.line.hide()
        editor.menus["view"].addSeparator()
        self.action = editor.add_action(
            "&Present", self.toggle, "F11",
            "Full screen for a class: PageDown/→/Space step, PageUp/← back, "
            "Home bare, End all, Esc leaves", checkable=True, menu="view")
        stepper = self.stepper
        for signal in (stepper.entryAdded, stepper.entryRemoved, stepper.started,
                       stepper.ended):
            signal.connect(lambda *_: self.update_line())
        self.doc.annotationsChanged.connect(self._shown_changed)
        self.doc.stepsChanged.connect(lambda *_: self._keep_in_sight())
        self.doc.passFailed.connect(self._failed)
        self.doc.modelReset.connect(lambda: QTimer.singleShot(0, self._prime))
        self._sight = QTimer(self)
        self._sight.setSingleShot(True)
        self._sight.timeout.connect(self._fit_if_out)
        # The screen's size settles in a few resizes (full screen, the line's margin):
        # one fit when they are done, and none while the size stays as fitted.
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.timeout.connect(self._refit)
        self._fitted_to = None  # the viewport size of the last fit
        self._editing: list[QKeySequence] = []  # the edit shortcuts swallowed while presenting
        self._held = False  # a press on the canvas swallowed: its moves and release too
        self._primed = False  # the steps are worked out and shown at step 0 (see _prime)
        self._priming = False  # ... being so
        self._summing_up = False  # End was the last key: the line sums the graph up
        self._bounds = QRectF()  # the graph's extent as last fitted (with ROOM around it)
        self._panels = None  # the docks and toolbars presenting hides (see _hide_panels)
        retold = getattr(stepper, "retold", None)  # a quiz's number revealed: the line too
        if retold is not None:
            retold.connect(lambda *_: self.update_line())
        editor.installEventFilter(self)  # Close: the window is saved as it was
        self.view.installEventFilter(self)  # Resize: the line moves, the graph refits

    @property
    def presenting(self) -> bool:
        return self.before is not None

    # ------------------------------------------------------------ enter, leave
    def toggle(self) -> None:
        if self.presenting:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.presenting:
            return
        editor, view = self.editor, self.view
        self._back_to = None
        self.before = _Before(
            editor.geometry(), editor.windowState(), editor.saveState(),
            editor.menuBar().isVisible(), editor.statusBar().isVisible(),
            THEME.text_scale, view.transform(),
            view.mapToScene(view.viewport().rect().center()),
            (view.horizontalScrollBar().value(), view.verticalScrollBar().value()),
            view.viewport().size(), view.frameShape(),
            list(editor.selected_node_ids()))
        self._hide_panels(look=True)
        self.stepping.panel_follows = False  # a step leaves the Explanation dock hidden
        self._editing = self._editing_shortcuts()
        inline = getattr(editor, "inline_editor", None)
        if inline is not None and inline.isVisible():
            inline.cancel()  # a rename under way ends as Esc ends it
        editor.menuBar().hide()
        editor.statusBar().hide()
        editor.scene.clearSelection()  # a selected box is the same blue as the step's
        view.setFrameShape(QFrame.NoFrame)
        view.space_held = False
        floor = self._line_floor()
        self.line.set_px(floor, floor)
        self._place_line()
        self.line.show()
        self.error = ""
        self.update_line()
        editor.showFullScreen()
        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            self._cover_screen()  # no window manager will: the screen's size at once
        QTimer.singleShot(300, self._cover_screen)
        # After the docks are hidden: relaid out while in sight at a new size and back,
        # a dock would come back a pixel off its old height.
        if THEME.text_scale == 1:
            self.text_size(PRESENT_TEXT_SIZE)
        QApplication.instance().installEventFilter(self)
        self.action.setChecked(True)
        view.setFocus(Qt.OtherFocusReason)
        self._place_line()
        self.fit()
        self._prime()
        # A big graph's wires painted ahead while the class reads: a step that pans to
        # follow its node blits them (see canvas.large.tiles).
        editor.scene.tiles.set_on(True)

    def leave(self) -> None:
        if not self.presenting:
            return
        before, self.before = self.before, None
        editor, view = self.editor, self.view
        QApplication.instance().removeEventFilter(self)
        editor.scene.tiles.set_on(False)
        self._sight.stop()
        self._resized.stop()
        self._held = False
        self.line.hide()
        self._unprime()
        self._rewrite_explanation()
        self.stepping.panel_follows = True
        view.setViewportMargins(0, 0, 0, 0)
        view.setFrameShape(before.frame)
        editor.setWindowState(before.window_state)
        if not before.window_state & (Qt.WindowMaximized | Qt.WindowFullScreen):
            editor.setGeometry(before.geometry)
        editor.menuBar().setVisible(before.menu_bar)
        editor.statusBar().setVisible(before.status_bar)
        if THEME.text_scale != before.text_scale:  # (the panels' minimum sizes with it)
            self.text_size(before.text_scale)
        # The bars laid out before the docks are given their old sizes: the dock area
        # then has its old height and each dock its very height (not a pixel off, as
        # when the area grows after), and a close at once saves this layout.
        self._lay_out()
        editor.restoreState(before.layout)
        self._lay_out()
        for node_id in before.selected:
            item = editor.scene.nodes.get(node_id)
            if item is not None:
                item.setSelected(True)
        view.setTransform(before.transform)
        view.centerOn(before.centre)
        self.action.setChecked(False)
        # The window is laid out again in a turn or two (X11: when the window manager
        # says so): the view's size as it was brings back its very pixel.
        self._back_to = before
        self._scroll_back()
        QTimer.singleShot(2000, self._forget_scroll)

    def _scroll_back(self) -> None:
        """The pixel the view was scrolled to, once it has its old size again
        (``centerOn`` alone may land a pixel off)."""
        before, view = self._back_to, self.view
        if before is not None and view.viewport().size() == before.viewport \
                and view.transform() == before.transform:
            view.horizontalScrollBar().setValue(before.scrolled[0])
            view.verticalScrollBar().setValue(before.scrolled[1])

    def _forget_scroll(self) -> None:
        self._back_to = None

    def _cover_screen(self) -> None:
        """Without a window manager (a bare X server, a kiosk) nobody makes the window
        full screen: it is given the screen's whole area itself."""
        screen = self.editor.screen()
        if self.presenting and screen is not None \
                and self.editor.geometry() != screen.geometry():
            self.editor.setGeometry(screen.geometry())

    def _lay_out(self) -> None:
        for widget in (self.editor.statusBar(), self.editor.menuBar(), self.editor):
            if widget.layout() is not None:
                widget.layout().activate()

    def _hide_panels(self, look: bool = False) -> None:
        """Every dock and toolbar out of sight (a step shows the Explanation dock
        when it is hidden: here it goes again, before anything is painted). They are
        looked for on entering (``look``); each step then only checks those (looking
        through the window's children took 1-2 ms a step)."""
        editor = self.editor
        if look or self._panels is None:
            self._panels = [w for w in (*editor.findChildren(QDockWidget),
                                        *editor.findChildren(QToolBar))
                            if isinstance(w, QDockWidget) or w.parentWidget() is editor]
        for widget in self._panels:
            if widget.isVisible():
                widget.hide()

    def _canvas_text_size(self, factor: float) -> None:
        THEME.set_text_scale(factor)
        self.editor.scene.apply_look()

    # ------------------------------------------------------------------- steps
    def next(self) -> bool:
        """The next step: through the forward pass, then on with the backward pass. In a
        quiz, first each hidden number the canvas shows, one a press."""
        if self.reveal_next is not None and getattr(self.doc, "quiz", None) is not None \
                and self.doc.evaluation is not None and self.reveal_next():
            self.update_line()  # the revealed number on the line too
            return True
        stepper = self.stepper
        if stepper.active and stepper.position >= len(stepper.steps):
            return False  # both passes shown: nothing after the end
        if stepper.active and stepper.position >= stepper.steps.n_forward:
            return stepper.step_backward()
        return stepper.step_forward()

    def back(self) -> bool:
        """One step back (after End, the step before the last)."""
        stepper = self.stepper
        if not stepper.active or stepper.position == 0:
            return False
        target = stepper.position - 1
        if stepper.history and stepper.history[-1].before == target:
            return stepper.step_back()
        if target == 0:
            return self.home()
        return stepper.go_to(target)

    def home(self) -> bool:
        """The bare graph: nothing computed (stepping starts again from the first step)."""
        stepper = self.stepper
        if stepper.active and stepper.position == 0 and self.doc.reveal is not None:
            return False  # (primed: the bare graph already)
        had = self.doc.evaluation is not None or bool(self.doc.shown)
        self.doc.clear_annotations()
        self._prime()
        return had

    def _prime(self) -> None:
        """The steps worked out ahead, on the bare graph, and shown at step 0 (which
        draws exactly as the bare graph does): the first → then redraws only what its
        step changes, as any other step, instead of every node and wire in sight
        (plans the passes and rewrites every text: 55-60 ms on the 1,000-node
        benchmark graph). A graph that cannot be computed is left as it is: → says why."""
        stepper, doc = self.stepper, self.doc
        if not self.presenting or stepper.active or doc.evaluation is not None or doc.shown:
            return
        try:
            Evaluation(doc.model).backward()
        except GraphError:
            return
        self._priming = True  # (step 1 is not followed: the view stays on the bare graph)
        try:
            if stepper.step_forward():  # (the status bar's "Step 0 of 8" goes with it)
                stepper.step_back()
                self._primed = True
        finally:
            self._priming = False

    def _unprime(self) -> None:
        """On leaving at step 0: the bare graph as it was, the Explanation panel's
        placeholder as before (not "stepping ended")."""
        stepper, primed, self._primed = self.stepper, self._primed, False
        if primed and stepper.active and stepper.position == 0:
            self.doc.clear_annotations()
            self.stepping.panel.clear()

    def end(self) -> bool:
        """The fully annotated graph: both passes done, the last step highlighted; the
        line sums it up (``summary``)."""
        self._summing_up = True
        went = self.stepper.go_to(sys.maxsize)  # (past the end is the end)
        self.update_line()
        return went

    # -------------------------------------------------------------- the line
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
            self.line.show_text(GAP.join(text.splitlines()), self._side())
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
        inputs = [n for n in ev.plan.ids if model.node_data(n)["op"] == "input"]
        if len(steps) <= steps.n_forward:
            inputs = []  # (no backward pass: no gradients)
        grads = [f"∂{out}/∂{model.label(n)} = {number('grad', n, ev.grad(n))}"
                 for n in inputs]
        # Every gradient that fits, "All numbers shown:" first to go.
        for count in range(len(grads), -1, -1):
            rest = len(grads) - count
            more = [f"… {rest} more"] if rest else []
            for lead in (f"All numbers shown: {result}", result):
                parts = [lead, *grads[:count], *more]
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

    # ------------------------------------------------------------ the canvas
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

    def fit(self) -> None:
        """The graph fitted to the screen above the explanation line, which is as big
        as the node text the fit gives: fitted again while the line's new height
        changes the room (twice at most)."""
        for _ in range(3):
            self._fit()
            px = self._line_px()
            if px == self.line.px:
                break
            self.line.set_px(px, self._line_floor())
            self._place_line()

    def _fit(self) -> None:
        """The graph fitted to the screen. A class should see the whole graph: shown
        whole, with room around it for the chips steps will add, while its numbers
        stay WHOLE_PX high or more (never blown up past 100 %); a graph too big for
        that as Fit View shows it, from its inputs at the least readable zoom."""
        view, rect = self.view, self.editor.scene.itemsBoundingRect()
        room = view.viewport().rect()
        self._fitted_to = room.size()
        self._bounds = rect.adjusted(-ROOM, -ROOM, ROOM, ROOM)
        if rect.isEmpty() or room.isEmpty():
            return
        zoom = min(room.width() / (rect.width() + 2 * ROOM),
                   room.height() / (rect.height() + 2 * ROOM), 1.0)
        if zoom * number_px() < WHOLE_PX:
            view.show_readable()
        else:
            view.resetTransform()
            view.scale(zoom, zoom)
            view.centerOn(rect.center())
        self._moved_view()

    def _moved_view(self) -> None:
        """After the view scrolled or zoomed: Qt marks every item to be painted again
        at its new place on the next change of any item, and does so then, a turn
        later. Told of a change now, it does it with this repaint, not on the next
        step (on the 1,000-node benchmark graph, a whole screen of nodes: 30-60 ms)."""
        item = next(iter(self.editor.scene.nodes.values()), None)
        if item is not None:
            item.update()
        self.view.viewport().update()

    def _shown(self) -> QRectF:
        return self.view.mapToScene(self.view.viewport().rect()).boundingRect()

    def _keep_in_sight(self) -> None:
        """After a step. A big graph's view follows at once, before the step's chips
        are painted: one paint, of the whole screen, where a pan a turn later painted
        the step's part first and then the whole screen again (on the 1,000-node
        benchmark graph, a second full repaint: 30-60 ms). A graph shown whole waits a
        turn: its chips' sizes, which the fit checks, are settled then."""
        if not self.presenting or self._priming:
            return
        if self.editor.scene.large.lazy:
            self._sight.stop()
            self.follow()
        else:
            self._sight.start(0)

    def _fit_if_out(self) -> None:
        """After a step: chips that grew out of the screen bring a graph shown whole
        back into sight (not a big one's: its chips are written lazily, and the
        bounds of every item asked each step); then the view follows the step."""
        scene = self.editor.scene
        if not self.presenting:
            return
        if not scene.large.lazy:
            near = ROOM / 4  # chips grew to the screen's edge (or past it): fitted again
            whole = scene.itemsBoundingRect()
            if not self._shown().contains(whole.adjusted(-near, -near, near, near)):
                self.fit()
            if self._shown().contains(whole):
                return  # every node in sight: nothing to follow
        self.follow()

    def follow(self) -> bool:
        """Pan (the zoom kept) so the step's node is comfortably in sight: FOLLOW_MARGIN
        pixels or more inside the canvas's part of the screen (above the explanation
        line). A node already so stays where it is: the view does not jump each step.
        A node out of it comes to the middle, where the steps after it are near.
        True if the view moved."""
        stepper, view = self.stepper, self.view
        if not (stepper.active and stepper.position > 0):
            return False
        item = self.editor.scene.nodes.get(stepper.steps.step(stepper.position - 1).node)
        if item is None:
            return False
        target = item.sceneBoundingRect()
        room = QRectF(view.viewport().rect())
        margin = min(FOLLOW_MARGIN, room.width() / 8, room.height() / 8)
        comfortable = view.mapToScene(
            room.adjusted(margin, margin, -margin, -margin).toRect()).boundingRect()
        if comfortable.contains(target):
            return False
        # To the middle, but no further than the graph's edge where the graph is bigger
        # than the screen (a node on its top row is not shown under an empty half).
        centre, shown, bounds = target.center(), self._shown(), self._bounds
        for axis, half, low, high in (("x", shown.width() / 2, bounds.left(), bounds.right()),
                                      ("y", shown.height() / 2, bounds.top(), bounds.bottom())):
            if high - low > 2 * half:
                value = min(max(getattr(centre, axis)(), low + half), high - half)
                getattr(centre, "set" + axis.upper())(value)
        view.centerOn(centre)
        self._moved_view()  # the whole screen painted now, once
        return True

    def in_sight(self, node_id: str) -> bool:
        """Whether the node is drawn whole on the canvas's part of the screen."""
        item = self.editor.scene.nodes.get(node_id)
        return item is not None and self._shown().contains(item.sceneBoundingRect())

    # ------------------------------------------------------------ read-only
    def _editing_shortcuts(self) -> list[QKeySequence]:
        editor, keys = self.editor, []
        plain, *others = EDITING
        owners = [(editor, plain)] + [(getattr(editor, name, None), attrs)
                                      for name, attrs in others]
        for owner, attrs in owners:
            for attr in attrs:
                action = getattr(owner, attr, None) if owner is not None else None
                if action is not None:
                    keys += [k for k in action.shortcuts() if not k.isEmpty()]
        return keys

    def _edits(self, event) -> bool:
        """A key press that would change the graph (an edit action's shortcut, or a key
        the canvas turns into an edit)."""
        if event.key() in EDITING_KEYS:
            return True
        pressed = QKeySequence(event.keyCombination())
        return any(pressed.matches(k) == QKeySequence.ExactMatch for k in self._editing)

    def _quiz_chip(self, point) -> bool:
        """A quiz's ``?`` under ``point`` (viewport pixels): a click there reveals it."""
        quiz = getattr(self.editor, "quiz_mode", None)
        if quiz is None or getattr(self.doc, "quiz", None) is None:
            return False
        key = quiz.hit(self.view.mapToScene(point))
        return key is not None and quiz.asked_here(key)

    def _mouse(self, event) -> bool:
        """The canvas's mouse while presenting: True where the event is swallowed."""
        kind = event.type()
        if kind in DRAGS:  # a node dropped from the palette (or anything else)
            event.ignore()
            return True
        if kind == QEvent.ContextMenu:  # its menu edits
            return True
        if kind == QEvent.MouseButtonDblClick:  # a rename, quick add: not here
            return not self._quiz_chip(event.position().toPoint())
        if kind == QEvent.MouseButtonPress:
            if event.button() == Qt.LeftButton and self._quiz_chip(event.position().toPoint()):
                return False  # the quiz reveals it
            # The mouse is a pointer: no node moves, no wire is drawn, the view stays
            # (the middle button's pan and Space-drag too: J stays in sight).
            self._held = True
            return True
        if kind == QEvent.MouseMove:
            return self._held or bool(event.buttons())
        if kind == QEvent.MouseButtonRelease and self._held:
            self._held = bool(event.buttons())
            return True
        return False

    # ------------------------------------------------------- the panel after
    def _rewrite_explanation(self) -> None:
        """On leaving: the Explanation panel as the window's own steps would have
        written it to here, one entry a step in order, with the quiz's numbers as they
        are now (End, a step back after it, or a number revealed, left it otherwise).
        Step Back then goes back one step at a time."""
        stepper = self.stepper
        if not stepper.active or stepper.position == 0:
            return
        entries = [self._entry(i) for i in range(stepper.position)]
        if entries == stepper.history:
            return
        stepper.history = entries
        panel = self.stepping.panel
        if hasattr(panel, "rewrite"):
            panel.rewrite(entries)
        else:
            panel.clear()
            for entry in entries:
                panel.add_entry(entry)

    def _entry(self, before: int) -> Entry:
        """The entry Step Forward or Step Backward writes going from ``before`` to the
        next step (as ``Stepper`` writes it)."""
        steps = self.stepper.steps
        lead = []
        if before == steps.n_forward:
            out = steps.model.label(steps.output)
            lead.append(f"Backward pass from the output: ∂{out}/∂{out} = 1")
        step = steps.step(before)
        text = quizzes.explained(getattr(self.doc, "quiz", None), steps.model, step)
        phase = "Forward" if step.kind == "forward" else "Backward"
        heading = (f"Step {before + 1} of {len(steps)} · {phase}: "
                   f"{steps.model.label(step.node)}")
        extra = {"lead": tuple(lead)} if "lead" in {f.name for f in fields(Entry)} else {}
        return Entry(before, before + 1, heading, "\n".join([*lead, text]), **extra)

    # ------------------------------------------------------------------ events
    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if watched is self.editor and kind == QEvent.Close and self.presenting:
            self.leave()  # the window's saved geometry and layout are the normal ones
        elif watched is self.view and kind == QEvent.Resize:
            if self.presenting:
                self._place_line()
                if self.view.viewport().size() != self._fitted_to:
                    self._resized.start(0)
            elif self._back_to is not None:
                QTimer.singleShot(0, self._scroll_back)  # (the viewport is resized after)
        elif not self.presenting:
            return False
        elif kind in (QEvent.KeyPress, QEvent.ShortcutOverride):
            if not self._in_window(watched) or isinstance(watched, (QLineEdit,
                                                                    QAbstractSpinBox)):
                return False  # (a student's answer typed into a quiz's ?)
            if self._ours(watched, event):
                if kind == QEvent.ShortcutOverride:
                    event.accept()  # no shortcut takes it: it comes back as a key press
                else:
                    self.key(event.key())
                return True
            if self._edits(event):  # read-only: the key neither edits nor is a shortcut
                if kind == QEvent.ShortcutOverride:
                    event.accept()
                return True
        elif watched is self.view.viewport() or (watched is self.view
                                                 and kind == QEvent.ContextMenu):
            return self._mouse(event)
        return False

    def _in_window(self, watched) -> bool:
        return isinstance(watched, QWidget) and watched.window() is self.editor

    def _ours(self, watched, event) -> bool:
        if event.key() not in KEYS:
            return False
        return not event.modifiers() & ~Qt.KeypadModifier

    def key(self, key: int) -> None:
        self._summing_up = False
        if key in NEXT:
            self.next()
        elif key in BACK:
            self.back()
        elif key == Qt.Key_Home:
            self.home()
        elif key == Qt.Key_End:
            self.end()
        elif key == Qt.Key_Escape:
            self.leave()

    def _refit(self) -> None:
        if self.presenting:
            self.fit()


def install(editor, stepping, text_size=None) -> Presentation:
    """View → Present (F11). ``stepping``: the window's step actions and their Stepper
    (``ui/teaching/stepper.install``); ``text_size(factor)``: how the window applies a
    text size (the canvas alone if None)."""
    return Presentation(editor, stepping, text_size)
