"""Step Forward / Step Backward / Step back: walking through the passes node by node.

The stepper holds the position in the sequence of steps (``core.steps``) and
tells the document what is computed so far (``Document.show_steps``); the
scene draws just that, the explanation panel writes each step. Any edit, a
whole pass, Clear or another file ends the stepping: the document drops the
reveal and the stepper notices, and says which (another file silently: the
steps were of a graph no longer shown).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from gradstudio.core import quiz as quizzes
from gradstudio.core.errors import GraphError
from gradstudio.core.passes import Evaluation
from gradstudio.core.steps import PassSteps
from gradstudio.ui.teaching.explanation import ExplanationPanel


BACKWARD_FROM = "Backward pass from the output: "


@dataclass(frozen=True)
class Entry:
    """What one press of a step action wrote: shown in the panel, undone by Step back."""

    before: int  # the position before the press
    after: int
    heading: str
    text: str
    lead: tuple = ()  # the lines before the step's own ("Forward pass finished in one go")


class Stepper(QObject):
    #: an entry was added (the panel writes it) or the last one undone (it removes it)
    entryAdded = Signal(object)
    entryRemoved = Signal(object)
    #: the entries' texts were written again (a quiz set, ended or a number revealed)
    retold = Signal(object)
    started = Signal(object)  # a new walk-through: the PassSteps
    ended = Signal(str)  # why stepping stopped ("" when simply cleared)
    message = Signal(str)  # for the status bar

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self.doc = document
        self.steps: PassSteps | None = None
        self.position = 0
        self.history: list[Entry] = []
        self._index = 0  # the undo stack's index when the stepping started
        self._told = None  # the quiz sitting the entries were written for
        document.modelReset.connect(self._model_reset)  # (before annotationsChanged)
        document.annotationsChanged.connect(self._annotations_changed)

    # ---------------------------------------------------------------- state
    @property
    def active(self) -> bool:
        return self.steps is not None

    @property
    def reveal(self):
        return self.doc.reveal if self.active else None

    def _annotations_changed(self) -> None:
        """Someone else changed what is shown (an edit, a pass, Clear): stepping is over.
        A quiz set up, changed or ended meanwhile: the entries are written again."""
        if (self.steps is not None and self.doc.reveal is not None
                and getattr(self.doc, "quiz", None) is not self._told):
            self.retell()
        if self.steps is not None and self.doc.reveal is None:
            if self.doc.undo_stack.index() != self._index:  # an edit, an undo, a redo
                why = "the graph was edited"
            elif self.doc.evaluation is not None:
                why = "a whole pass was run"
            else:
                why = "Clear removed the numbers"
            self._stop(why)

    def _model_reset(self) -> None:
        """Another graph (New, Open, an example): its steps are not these."""
        if self.steps is not None:
            self._stop("")

    def _stop(self, why: str) -> None:
        self.steps, self.position, self.history = None, 0, []
        self.ended.emit(why)

    def _start(self) -> bool:
        try:
            evaluation = Evaluation(self.doc.model).backward()
        except GraphError as exc:
            self.doc.clear_annotations()
            missing = self.doc.model.missing_port()
            self.doc.passFailed.emit(str(exc), missing[0] if missing else None)
            return False
        self.steps = PassSteps(evaluation)
        self.position, self.history = 0, []
        self._index = self.doc.undo_stack.index()
        self.started.emit(self.steps)
        return True

    # -------------------------------------------------------------- actions
    def step_forward(self) -> bool:
        finished = self.active and self.position >= len(self.steps)
        if (not self.active or finished) and not self._start():  # both passes done: anew
            return False
        steps = self.steps
        if steps.n_forward == 0:
            self.message.emit("Nothing to compute: the graph has only inputs")
            return False
        if self.position >= steps.n_forward:
            self.message.emit("The forward pass is done: Step Backward continues")
            return False
        return self._go(self.position + 1)

    def step_backward(self) -> bool:
        if not self.active and not self._start():
            return False
        steps = self.steps
        if steps.n_backward == 0:
            self.message.emit("No gradient to step through: the graph is a single node")
            return False
        if self.position >= len(steps):
            self.message.emit("Both passes are done: Step back goes back, Clear starts over")
            return False
        # Before the backward pass can start, the forward pass is finished in one go.
        return self._go(max(self.position, steps.n_forward) + 1)

    def step_back(self) -> bool:
        if not self.active or not self.history:
            self.message.emit("Nothing to step back")
            return False
        entry = self.history.pop()
        self._show(entry.before, entry.after)
        self.entryRemoved.emit(entry)
        self.message.emit(self._where())
        return True

    def go_to(self, target: int) -> bool:
        """Straight to position ``target`` (1 to the number of steps; past the end is the
        end), either way, as one press that Step Back undoes: a presentation's End, or
        its step back after that."""
        if not self.active and not self._start():
            return False
        if len(self.steps) == 0:
            self.message.emit("Nothing to compute: the graph has only inputs")
            return False
        target = max(1, min(target, len(self.steps)))
        return target != self.position and self._go(target)

    def retell(self) -> None:
        """Write every entry again with what the quiz hides now: set up after some
        steps, its numbers show as ``?`` in the panel at once (and a revealed one
        shows); ``retold`` carries the entries."""
        if self.steps is None:
            return
        quiz = self._told = getattr(self.doc, "quiz", None)
        steps, history = self.steps, []
        for entry in self.history:
            text = quizzes.explained(quiz, steps.model, steps.step(entry.after - 1))
            history.append(replace(entry, text="\n".join((*self._told_lead(entry.lead), text))))
        if history != self.history:
            self.history = history
            self.retold.emit(list(history))

    def _told_lead(self, lead: tuple) -> list[str]:
        """The lines before a step's own, with the output's ∂J/∂J = 1 a ``?`` where a
        quiz hides that gradient (as the canvas does)."""
        quiz, steps = self._told, self.steps
        if quiz is None or not quiz.is_hidden(steps.model, ("grad", steps.output)):
            return list(lead)
        return [line[: -len(" = 1")] + " = ?" if line.startswith(BACKWARD_FROM) else line
                for line in lead]

    def entry(self, before: int, target: int) -> Entry:
        """What a step from ``before`` to ``target`` writes in the Explanation panel (a
        presentation writes the same on leaving), a quiz's hidden numbers as ``?``."""
        steps = self.steps
        parts = []
        if target - before > 1 and before < steps.n_forward:
            left = steps.n_forward - before
            parts.append(f"Forward pass finished in one go "
                         f"({left} node{'s' if left != 1 else ''}).")
        if before <= steps.n_forward < target:
            out = steps.model.label(steps.output)
            parts.append(f"{BACKWARD_FROM}∂{out}/∂{out} = 1")
        step = steps.step(target - 1)
        # A quiz's hidden numbers stay hidden here too (the formulas show).
        self._told = getattr(self.doc, "quiz", None)
        lead = tuple(parts)
        parts = [*self._told_lead(lead), quizzes.explained(self._told, steps.model, step)]
        phase = "Forward" if step.kind == "forward" else "Backward"
        heading = (f"Step {target} of {len(steps)} · {phase}: "
                   f"{steps.model.label(step.node)}")
        return Entry(before, target, heading, "\n".join(parts), lead)

    # -------------------------------------------------------------- helpers
    def _go(self, target: int) -> bool:
        before = self.position
        entry = self.entry(before, target)
        self._show(target, before)
        self.history.append(entry)
        self.entryAdded.emit(entry)
        self.message.emit(self._where())
        return True

    def _show(self, target: int, before: int) -> None:
        steps = self.steps
        self.position = target
        self.doc.show_steps(steps.evaluation, steps.reveal(target),
                            steps.touched(before, target))

    def _where(self) -> str:
        steps = self.steps
        if self.position == len(steps):
            return "Both passes done, step by step: this is what Backward shows"
        if self.position == steps.n_forward:
            return "Forward pass done, step by step: Step Backward continues"
        return f"Step {self.position} of {len(steps)}"


class Stepping:
    """The step actions and the Explanation dock of one main window."""

    def __init__(self, window) -> None:
        self.window = window
        self.stepper = Stepper(window.doc, window)
        self.panel = ExplanationPanel(self.stepper, window)
        self.panel_follows = True  # a step brings the panel into sight (not on a full screen)
        window.add_dock("explanation", "Explanation", self.panel, tab_with="check")
        a = window.add_action
        # In the Run menu and the passes toolbar, before Clear.
        run = {"menu": "run", "toolbar": "passes", "before": getattr(window, "act_clear", None)}
        self.act_step_forward = a("Step Forward", self.step_forward, "F7",
                                  "Compute the next node of the forward pass", **run)
        self.act_step_backward = a("Step Backward", self.step_backward, "F8",
                                   "Work out the next gradient of the backward pass "
                                   "(finishes the forward pass first)", **run)
        self.act_step_back = a("Step Back", self.stepper.step_back, "Shift+F7",
                               "Undo the last step", **run)
        self.stepper.message.connect(self._message)
        self.stepper.entryAdded.connect(lambda _entry: self._show_panel())

    def _message(self, text: str) -> None:
        """To the status bar, for as long as the canvas shows the steps it describes
        ("Step 3 of 8" goes when an edit, a pass or Clear ends the stepping)."""
        doc, reveal = self.window.doc, self.window.doc.reveal
        self.window.status(text, lambda: doc.reveal is reveal)

    def _show_panel(self) -> None:
        if not self.panel_follows:
            return
        if not self.panel.isVisible() or self.panel.visibleRegion().isEmpty():
            self.panel.show()
            self.panel.raise_()

    def step_forward(self) -> bool:
        return self.stepper.step_forward()

    def step_backward(self) -> bool:
        return self.stepper.step_backward()


def install(window) -> Stepping:
    """Add Step Forward (F7), Step Backward (F8), Step Back (Shift+F7) and the Explanation dock."""
    return Stepping(window)
