"""Quiz mode (Teach → Quiz): hidden numbers show as ``?``; a click reveals one, a
double-click lets a student type a guess, marked right (to 4 significant digits)
or wrong with the true value.

What is hidden is the graph's quiz (``core/quiz.py``), saved in its file through
the document (``Document.set_quiz``, undoable); what has been revealed or
guessed is this sitting's (``doc.quiz``, a ``QuizRun``), never saved. The canvas
draws the ``?`` itself (``canvas/annotations.py`` asks ``doc.quiz``); this module
only finds the number under the mouse and changes the sitting.

``reveal_next()`` is the "next" a presentation's keys can call.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QDialogButtonBox, QLabel,
                               QLineEdit, QVBoxLayout)

from gradstudio.core import quiz as quizzes
from gradstudio.core.numbers import shown_number as format_number  # −, as the chips
from gradstudio.ui.canvas.items.edge import ChipItem
from gradstudio.ui.canvas.items.node import NodeItem
from gradstudio.ui.theme import THEME

KIND_NAMES = {"value": "values", "local": "local derivatives", "grad": "gradients"}
HOW = "click a ? to reveal it, double-click it to answer"


class QuizDialog(QDialog):
    """What to hide: three kinds, on every node and wire or only on the selection."""

    def __init__(self, parent, quiz: quizzes.Quiz | None, n_nodes: int, n_wires: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Quiz")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Hide, until a click reveals them or a student answers:"))
        hide = quiz.hide if quiz is not None else quizzes.KINDS
        self.boxes = {}
        for kind, text in (("value", "&Values"), ("local", "&Local derivatives"),
                           ("grad", "&Gradients")):
            box = QCheckBox(text, self)
            box.setChecked(kind in hide)
            box.toggled.connect(self._sync)
            layout.addWidget(box)
            self.boxes[kind] = box
        self.only_selection = QCheckBox(
            f"&Only on the selection ({_count(n_nodes, 'node')}, {_count(n_wires, 'wire')})",
            self)
        self.only_selection.setEnabled(n_nodes + n_wires > 0)
        self.only_selection.setChecked(n_nodes + n_wires > 0 and quiz is not None
                                       and (quiz.nodes is not None or quiz.edges is not None))
        layout.addWidget(self.only_selection)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._sync()

    def _sync(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.kinds()))

    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.boxes.items() if box.isChecked())


class GuessField(QLineEdit):
    """A student's answer, typed over the hidden number: Enter marks it, Escape or
    clicking away leaves it unanswered."""

    MIN_PX = 11
    MIN_WIDTH = 90
    FRAME = 6  # px a side between a line edit's edge and its text (frame and margin)

    def __init__(self, quiz_mode) -> None:
        super().__init__(quiz_mode.view.viewport())
        self.quiz_mode = quiz_mode
        self.key = None
        self.setPlaceholderText("answer")
        self.hide()
        self.returnPressed.connect(self.commit)
        self.installEventFilter(self)

    def start(self, key, rect: QRectF) -> None:
        view = self.quiz_mode.view
        shown = view.mapFromScene(rect).boundingRect()
        font = QFont(THEME.font(0.9, bold=True))
        font.setPixelSize(max(self.MIN_PX, round(QFontInfo(font).pixelSize() * view.zoom())))
        self.setFont(font)
        height = max(shown.height(), self.minimumSizeHint().height())
        width = max(shown.width(), self.MIN_WIDTH, self.room_for_placeholder())
        self.setGeometry(shown.left(), round(shown.center().y() - height / 2), width, height)
        self.key = key
        self.clear()
        self.show()
        self.raise_()
        self.setFocus()

    def room_for_placeholder(self) -> int:
        """The width that shows the whole placeholder in the field's font: its text,
        the text margins and the frame's (Qt's line edit keeps 2 px a side of each)."""
        margins = self.textMargins()
        return (self.fontMetrics().horizontalAdvance(self.placeholderText())
                + margins.left() + margins.right() + 2 * self.FRAME + 1)

    def commit(self) -> None:
        if self.key is not None and self.quiz_mode.guess(self.key, self.text()) is not None:
            self.cancel()
        else:
            self.selectAll()  # not a number: the field stays for another try

    def cancel(self) -> None:
        if self.key is None:
            return
        self.key = None
        self.hide()
        self.quiz_mode.view.setFocus()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape:
            self.cancel()
            return True
        if event.type() == QEvent.FocusOut and self.key is not None:
            self.cancel()
        return super().eventFilter(obj, event)


class QuizMode(QObject):
    """Teach → Quiz in one window: the actions, the clicks on ``?`` and the guesses."""

    def __init__(self, editor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.doc, self.scene, self.view = editor.doc, editor.scene, editor.view
        self.field = GuessField(self)
        self._pending = None  # a click's number, revealed unless a double-click follows
        self._swallow_release = False
        self._hand = False  # the pointer is a hand over a ? (it can be clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._reveal_pending)
        self._make_actions()
        self.view.viewport().installEventFilter(self)
        self.doc.annotationsChanged.connect(self._sync_actions)
        self.doc.modelReset.connect(self._model_reset)
        self._sync_actions()

    def _make_actions(self) -> None:
        editor = self.editor
        teach = editor.menus.get("teach") or editor.add_menu("teach", "&Teach")
        teach.addSeparator()
        self.menu = teach.addMenu("&Quiz")
        editor.menus["quiz"] = self.menu
        a = editor.add_action
        self.act_set_up = a("Set &Up Quiz…", self.set_up, None,
                            "Choose the numbers to hide: values, local derivatives, gradients",
                            menu="quiz")
        self.act_reveal_next = a("Reveal &Next", self.reveal_next, "Ctrl+R",
                                 "Show the next hidden number, in the order the passes "
                                 "work them out", menu="quiz")
        self.act_reveal_all = a("Reveal &All", self.reveal_all, None,
                                "Show every hidden number", menu="quiz")
        self.act_hide_again = a("&Hide Again", self.hide_again, None,
                                "Hide every number again and forget the answers", menu="quiz")
        self.act_end = a("&End Quiz", self.end, None,
                         "An ordinary graph again (the file no longer holds a quiz)",
                         menu="quiz")

    # ---------------------------------------------------------------- state
    @property
    def run(self) -> quizzes.QuizRun | None:
        return self.doc.quiz

    def _sync_actions(self) -> None:
        on = self.run is not None
        for action in (self.act_reveal_next, self.act_reveal_all, self.act_hide_again,
                       self.act_end):
            action.setEnabled(on)
        if not on:
            self.field.cancel()

    def _model_reset(self) -> None:
        self.field.cancel()
        self._pending = None
        if self.run is not None:
            self.editor.status(f"This graph is a quiz: run Forward and Backward, then {HOW}")

    # -------------------------------------------------------------- actions
    def set_up(self) -> bool:
        """Ask what to hide (a dialog) and make the graph a quiz; True if it became one."""
        nodes, wires = quizzes.on_selection(self.doc.model, self.editor.selected_node_ids(),
                                            self.editor.selected_edges())
        current = self.run.quiz if self.run is not None else None
        dialog = QuizDialog(self.editor, current, len(nodes), len(wires))
        if not self.ask(dialog):
            return False
        only = dialog.only_selection.isChecked()
        self.set_quiz(dialog.kinds(), (nodes, wires) if only else None)
        return True

    def ask(self, dialog: QuizDialog) -> bool:
        """Show the dialog; a test answers it without a person."""
        return dialog.exec() == QDialog.Accepted

    def set_quiz(self, kinds, selection=None) -> None:
        """Hide ``kinds`` on every node and wire, or on ``selection`` (nodes, wires)."""
        nodes, wires = selection if selection is not None else (None, None)
        quiz = quizzes.Quiz(tuple(k for k in quizzes.KINDS if k in kinds),
                            None if nodes is None else tuple(nodes),
                            None if wires is None else tuple(map(tuple, wires)))
        self.doc.set_quiz(quiz)
        where = ("on every node and wire" if selection is None else
                 f"on {_count(len(nodes), 'node')} and {_count(len(wires), 'wire')}")
        what = [KIND_NAMES[k] for k in quizzes.KINDS if k in kinds]
        listed = " and ".join([", ".join(what[:-1]), what[-1]] if len(what) > 1 else what)
        self.editor.status(f"Quiz: {listed} hidden {where}; {HOW}")

    def end(self) -> None:
        self.doc.set_quiz(None)
        self.editor.status("Quiz ended: every number shows")

    def reveal_next(self, quiet: bool = False) -> bool:
        """Reveal the next hidden number the canvas shows as ``?``, in the passes'
        order; False when there is none (and says why, unless ``quiet``: a
        presentation's "next" key steps on then)."""
        say = (lambda _text: None) if quiet else self.editor.status
        if self.run is None:
            say("No quiz: Teach → Quiz → Set Up Quiz… hides numbers first")
            return False
        ev = self.doc.evaluation
        if ev is None or self.doc.shown not in ("forward", "backward"):
            say("Nothing shown yet: run Forward or Backward first")
            return False
        for key in quizzes.answer_order(ev, self.doc.shown):
            if self.asked_here(key):
                self.reveal(key)
                return True
        say("Every hidden number is revealed")
        return False

    def reveal_all(self) -> None:
        if self.run is not None and self.doc.evaluation is not None:
            self.run.reveal_all(quizzes.answer_order(self.doc.evaluation, "backward"))
            self._redraw()

    def hide_again(self) -> None:
        if self.run is not None:
            self.run.hide_again()
            self._redraw()
            self.editor.status(f"Every number of the quiz is hidden again; {HOW}")

    def reveal(self, key) -> None:
        """Show one hidden number and say it in the status bar."""
        if self.run is None:
            return
        self.run.reveal(key)
        self._redraw(key)
        self.editor.status(self.describe(key))

    def guess(self, key, text: str) -> bool | None:
        """Mark a student's answer: True right, False wrong (the number then shows,
        marked), None when ``text`` is not a number (nothing changes)."""
        if self.run is None:
            return None
        try:
            value = quizzes.parse_guess(text)
        except ValueError as exc:
            self.editor.status(f"{exc}: type a number such as 6, -0.5 or 1/3")
            return None
        self.run.guess(key, value)
        self._redraw(key)
        right = quizzes.is_right(value, self.truth(key))
        self.editor.status(f"Right: {self.describe(key)}" if right else
                           f"Not quite: {self.describe(key)}, not {format_number(value, 6)}")
        return right

    def describe(self, key) -> str:
        """The number in words for the status bar: ``u = 6``, ``∂J/∂b = 6``,
        ``∂u/∂b = 2``, ``b → u carries 3``, ``b → u: ← 6``."""
        kind, target = key
        model = self.doc.model
        number = format_number(self.truth(key), self.scene.digits)
        if isinstance(target, str):
            if kind == "value":
                return f"{model.label(target)} = {number}"
            return f"∂{model.label(self.doc.evaluation.output)}/∂{model.label(target)} = {number}"
        wire = f"{model.label(target[0])} → {model.label(target[1])}"
        if kind == "local":
            text = self.text_of(key) or ""
            return text[: text.rindex(" = ") + 3] + number if " = " in text else number
        return f"{wire} carries {number}" if kind == "value" else f"{wire}: ← {number}"

    def _redraw(self, key=None) -> None:
        """The canvas where ``key`` is drawn (None: everywhere), and the Explanation."""
        if key is None:
            self.scene.refresh_annotations()
        else:
            # With the places that draw the same number (a node's value on its wires).
            keys = self.run.linked(self.doc.model, key) if self.run is not None else [key]
            nodes = [t for _k, t in keys if isinstance(t, str)]
            wires = [tuple(t) for _k, t in keys if not isinstance(t, str)]
            self.scene.refresh_steps((nodes, wires))
        stepping = getattr(self.editor, "stepping", None)  # the Explanation panel's entries
        if stepping is not None:
            stepping.stepper.retell()

    def truth(self, key) -> float:
        ev = self.doc.evaluation
        kind, target = key
        if isinstance(target, str):
            return ev.value(target) if kind == "value" else ev.grad(target)
        numbers = ev.edge(*target)
        return {"value": numbers.value, "local": numbers.local, "grad": numbers.grad}[kind]

    # ------------------------------------------------- where numbers are drawn
    def text_of(self, key) -> str | None:
        """The text the canvas draws for ``key`` now (None where it draws none)."""
        kind, target = key
        if isinstance(target, str):
            item = self.scene.nodes.get(target)
            if item is None:
                return None
            text = item.value_text if kind == "value" else item.grad_text
            if kind == "value" and item.value_pending:
                return None
            return text or None
        for chip, index in self._chip_lines(key):
            return chip.lines[index][0]
        return None

    def spot(self, key) -> QRectF | None:
        """Where ``key``'s number is drawn, in scene coordinates (None: not drawn)."""
        kind, target = key
        if isinstance(target, str):
            item = self.scene.nodes.get(target)
            if item is None or self.text_of(key) is None:
                return None
            rect = item.value_rect() if kind == "value" else item.grad_rect()
            return item.mapRectToScene(rect)
        for chip, index in self._chip_lines(key):
            if not chip.isVisible():
                return None
            top = ChipItem.PAD_Y + sum(chip.measure(t, b, i)[1]
                                       for t, _c, b, i in chip.lines[:index])
            height = chip.measure(*_measured(chip.lines[index]))[1]
            return chip.mapRectToScene(QRectF(0, top, chip.size()[0], height))
        return None

    def answer_spot(self, key) -> QRectF | None:
        """Where an answer to ``key`` is typed: over its ``?``, the name before it
        (``∂u/∂c =``) left in sight, so the student sees what is asked."""
        line = self.spot(key)
        text = self.text_of(key)
        if line is None or text is None:
            return None
        prefix = text[:-1] if text.endswith("?") else ""
        kind, target = key
        if isinstance(target, str):
            # A node's lines are drawn from the left of their rectangles.
            start = line.left() + THEME.text_width(prefix, 1.0, kind == "grad")
        else:
            chip, index = next(self._chip_lines(key))
            _text, _color, bold, italic = chip.lines[index]
            room = chip.size()[0] - 2 * ChipItem.PAD_X
            drawn = THEME.text_width(text, 0.9, bold, italic)
            left = ChipItem.PAD_X + max(0.0, room - drawn) / 2
            start = line.left() + left + THEME.text_width(prefix, 0.9, bold, italic)
        return QRectF(start, line.top(), max(line.right() - start, 1.0), line.height())

    def _chip_lines(self, key):
        """The chip and line index that draw a wire's ``key``, if any."""
        kind, edge = key
        wire = self.scene.edges.get(tuple(edge))
        if wire is None:
            return
        chip = wire.below if kind == "grad" else wire.above
        for index, line in enumerate(chip.lines):
            if _line_kind(chip is wire.below, line[0]) == kind:
                yield chip, index
                return

    def asked_here(self, key) -> bool:
        """A hidden number the canvas draws now, as ``?``."""
        if self.run is None or not self.run.is_hidden(self.doc.model, key):
            return False
        text = self.text_of(key)
        return text is not None and text.endswith("?")

    def hit(self, scene_point):
        """The key of the number drawn at ``scene_point``, or None."""
        for item in self.scene.items(scene_point):
            if isinstance(item, ChipItem):
                wire = item.parentItem()
                y = item.mapFromScene(scene_point).y() - ChipItem.PAD_Y
                for text, _c, bold, italic in item.lines:
                    height = item.measure(text, bold, italic)[1]
                    if y < height:
                        kind = _line_kind(item is wire.below, text)
                        return (kind, wire.edge) if kind else None
                    y -= height
                return None
            if isinstance(item, NodeItem):
                local = item.mapFromScene(scene_point)
                if item.value_rect().contains(local):
                    return "value", item.node_id
                if item.grad_rect().contains(local):
                    return "grad", item.node_id
                return None
        return None

    # --------------------------------------------------------------- the mouse
    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.MouseButtonRelease and self._swallow_release:
            self._swallow_release = False
            return True
        if kind == QEvent.MouseMove and event.buttons() == Qt.NoButton:
            self._point_at(event.position().toPoint())
            return False
        if (kind not in (QEvent.MouseButtonPress, QEvent.MouseButtonDblClick)
                or self.run is None or event.button() != Qt.LeftButton
                or event.modifiers() != Qt.NoModifier or self.view.space_held):
            return False
        key = self.hit(self.view.mapToScene(event.position().toPoint()))
        if kind == QEvent.MouseButtonDblClick and key is not None and (
                key == self._pending or self.asked_here(key)):
            self._timer.stop()
            self._pending = None
            self._swallow_release = True
            self.field.start(key, self.answer_spot(key))
            return True
        if kind == QEvent.MouseButtonPress and key is not None and self.asked_here(key):
            # Revealed once no double-click follows (that one asks for an answer).
            self._pending = key
            self._swallow_release = True
            self._timer.start(QApplication.styleHints().mouseDoubleClickInterval())
            return True
        return False

    def _point_at(self, point) -> None:
        """A hand over a ``?`` says it can be clicked."""
        key = self.hit(self.view.mapToScene(point)) if self.run is not None else None
        hand = key is not None and self.asked_here(key)
        if hand != self._hand:
            self._hand = hand
            if hand:
                self.view.viewport().setCursor(Qt.PointingHandCursor)
            else:
                self.view.viewport().unsetCursor()

    def _reveal_pending(self) -> None:
        key, self._pending = self._pending, None
        if key is not None and self.asked_here(key):
            self.reveal(key)


def _line_kind(below: bool, text: str) -> str | None:
    """Which number a chip's line shows: under the wire ``← g`` (the gradient; ``→``
    is forward mode's tangent), above it the value, then ``∂v/∂u = …``."""
    if below:
        return "grad" if text.startswith("←") else None
    return "local" if text.startswith("∂") else "value"


def _measured(line) -> tuple:
    text, _color, bold, italic = line
    return text, bold, italic


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def install(editor) -> QuizMode:
    """Teach → Quiz: Set Up Quiz…, Reveal Next (Ctrl+R), Reveal All, Hide Again, End Quiz."""
    return QuizMode(editor)
