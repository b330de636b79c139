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
screen (the zoom kept; a quarter-second glide, ``present_glide.py``); one in sight
leaves the view still.

The keys are caught by an application-wide event filter while presenting, before
the widget with the focus sees them: the canvas would otherwise pan on Space and
scroll on the arrows, and a shortcut would take Home or End.

This module holds the mode and its keys; its other parts are mixed into
``Presentation`` from their own modules: the explanation line and End's summary
(``present_line.py``), fitting and following the steps (``present_follow.py``) and the
read-only guard (``present_guard.py``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QTransform
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QDockWidget, QFrame, QLineEdit,
                               QToolBar, QWidget)

from gradstudio.core.errors import GraphError
from gradstudio.core.passes import Evaluation
from gradstudio.ui.lecture.present_follow import FollowParts
from gradstudio.ui.lecture.present_glide import Glide
from gradstudio.ui.lecture.present_guard import GuardParts
from gradstudio.ui.lecture.present_line import ExplanationLine, LineParts
from gradstudio.ui.theme import THEME

NEXT = frozenset({Qt.Key_PageDown, Qt.Key_Right, Qt.Key_Space})
BACK = frozenset({Qt.Key_PageUp, Qt.Key_Left})
KEYS = NEXT | BACK | {Qt.Key_Home, Qt.Key_End, Qt.Key_Escape}
PRESENT_TEXT_SIZE = 2.0  # the text size while presenting when the window's is 100 %


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


class Presentation(LineParts, FollowParts, GuardParts, QObject):
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
        self.glide = Glide(self.view, self._moved_view)  # the view's pans to a step's node
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
        self._whole = True  # the last fit showed the whole graph (see _fit)
        self._panels = None  # the docks and toolbars presenting hides (see _hide_panels)
        stepper.retold.connect(lambda *_: self.update_line())  # a quiz's number revealed
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
        self.glide.stop()
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
        """The bare graph: nothing computed (stepping starts again from the first step),
        framed as on entering (a big graph's steps had moved the view along)."""
        stepper = self.stepper
        if stepper.active and stepper.position == 0 and self.doc.reveal is not None:
            self.fit()
            return False  # (primed: the bare graph already)
        had = self.doc.evaluation is not None or bool(self.doc.shown)
        self.doc.clear_annotations()
        self._prime()
        self.fit()
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

    # ------------------------------------------------------- the panel after
    def _rewrite_explanation(self) -> None:
        """On leaving: the Explanation panel as the window's own steps would have
        written it to here, one entry a step in order, with the quiz's numbers as they
        are now (End, a step back after it, or a number revealed, left it otherwise).
        Step Back then goes back one step at a time."""
        stepper = self.stepper
        if not stepper.active or stepper.position == 0:
            return
        entries = [stepper.entry(i, i + 1) for i in range(stepper.position)]
        if entries == stepper.history:
            return
        stepper.history = entries
        self.stepping.panel.rewrite(entries)

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
        self.glide.finish()  # the view where the last step put it, then this key's
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
