"""Forward mode in the window: from one input x, every node shows dn/dx and
every wire local·tangent (the document shows "tangent"; annotations.py writes
the texts). The panel explains what one pass of each mode buys."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import shown_number
from gradstudio.ui.teaching.common import InputPicker, selected_input, wrapped_label
from gradstudio.ui.teaching.flow import FlowLayout

LISTED_INPUTS = 4  # the backward sentence names this many inputs' gradients

GENERAL = ("One forward-mode pass gives d(every node)/dx for one input x; "
           "one backward pass gives dJ/d(every input) for one output J.")


class ForwardModePanel(QWidget):
    statusMessage = Signal(str)

    def __init__(self, window, parent=None) -> None:
        super().__init__(parent)
        self.window = window
        self.doc = window.doc
        layout = QVBoxLayout(self)
        top = FlowLayout()  # (the picker under "x =" in a column narrower than both)
        self.picker = InputPicker(window, self)
        self.picker.setToolTip("The input x of forward mode (selecting an input picks it)")
        self.start_button = QPushButton("Forward mode", self)
        self.start_button.setToolTip("Every node shows dn/dx, every wire local · tangent")
        self.leave_button = QPushButton("Leave", self)
        self.leave_button.setToolTip("Back to the plain forward values")
        top.addWidget(QLabel("x =", self))
        top.addWidget(self.picker)
        layout.addLayout(top)
        # The buttons on a row of their own, one under the other where the column is
        # narrower than both: beside the picker they kept the dock 465 px wide at
        # Text Size 200 %, side by side 419 px at 300 %, which the canvas needs.
        buttons = FlowLayout(justify=False)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.leave_button)
        layout.addLayout(buttons)
        self.general = wrapped_label(GENERAL, self)
        self.general.setObjectName("forward_mode_general")
        layout.addWidget(self.general)
        self.sentence = wrapped_label("", self)
        self.sentence.setObjectName("forward_mode_sentence")
        layout.addWidget(self.sentence)
        layout.addStretch(1)
        self.start_button.clicked.connect(lambda: self.start(self.picker.current()))
        self.leave_button.clicked.connect(self.leave)
        self.doc.annotationsChanged.connect(self.update_text)
        self.update_text()

    # ------------------------------------------------------------- actions
    def start(self, input_id: str | None = None) -> bool:
        """Forward mode from ``input_id``, else the selected input, else the picked one."""
        input_id = input_id or selected_input(self.window) or self.picker.current()
        if input_id is None:
            self.statusMessage.emit("Select an input node to start forward mode from")
            return False
        self.picker.set_current(input_id)
        if not self.doc.run_tangent(input_id):
            return False
        ev = self.doc.evaluation
        label = self.doc.model.label(input_id)
        message = f"Forward mode from {label}: every node shows d(node)/d{label}"
        if ev.first_problem:
            message += (f"; {self.doc.model.label(ev.first_problem)} gives "
                        f"{ev.problems[ev.first_problem]}")
        self.statusMessage.emit(message)
        return True

    def leave(self) -> None:
        if self.active():
            if not self.doc.run("forward"):
                self.doc.clear_annotations()

    def active(self) -> bool:
        return self.doc.shown == "tangent" and self.doc.evaluation is not None

    # -------------------------------------------------------------- showing
    def update_text(self) -> None:
        self.leave_button.setEnabled(self.active())
        if not self.active():
            self.sentence.setText("Pick an input x and press Forward mode: every node then "
                                  "shows dn/dx and every wire carries local · tangent.")
            return
        doc, model = self.doc, self.doc.model
        ev = doc.evaluation
        x_id = ev.tangent_input
        x = model.label(x_id)
        fmt = lambda v: shown_number(v, 6)  # noqa: E731
        text = (f"<b>Forward mode from {x}:</b> one pass from {x} (tangent 1) gave "
                f"∂n/∂{x} for every node n at once: each node adds up, over its incoming "
                f"wires, local derivative × the tangent of the wire's source.")
        try:
            out = model.resolve_output()
        except GraphError:
            out = None
        if out is not None:
            o = model.label(out)
            text += f"<br>At the output: <b>∂{o}/∂{x} = {fmt(ev.node_tangent(out))}</b>."
            try:
                back = ev.__class__(model).backward(out)
            except GraphError:
                back = None
            if back is not None:
                inputs = model.inputs()
                grads = ", ".join(f"∂{o}/∂{model.label(n)} = {fmt(back.grad(n))}"
                                  for n in inputs[:LISTED_INPUTS])
                if len(inputs) > LISTED_INPUTS:
                    grads += f", … ({len(inputs)} inputs)"
                text += (f"<br>One backward pass from {o} gives instead ∂{o}/∂(every input): "
                         f"{grads}. To get them all, forward mode needs one pass per input; "
                         "backward mode needs one pass per output.")
        self.sentence.setText(text)
