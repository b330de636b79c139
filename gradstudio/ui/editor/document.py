"""The document: one graph, its file, its undo stack and the numbers shown on it.

Widgets never change the model directly: they call a document method, which
checks the edit (raising GraphError with a message for the status bar) and
pushes an undo command. The scene mirrors the model through this object's
signals.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from gradstudio.core import fileformat, plaintext, quiz as quizzes
from gradstudio.core.errors import GraphError
from gradstudio.core.model import GraphModel, ModelEvent, check_param
from gradstudio.core.ops import OPS
from gradstudio.core.passes import Evaluation
from gradstudio.ui.editor import commands

#: Short, readable id stems for new nodes: mul1, add2, ...
ID_STEMS = {"multiply": "mul", "subtract": "sub", "divide": "div", "power": "pow",
            "sigmoid": "sig"}


class Document(QObject):
    nodeAdded = Signal(str)
    nodeRemoved = Signal(str)
    nodeChanged = Signal(str, str)  # node id, what changed (a param name, label, position)
    edgeAdded = Signal(object)
    edgeRemoved = Signal(object)
    outputChanged = Signal(object)
    modelReset = Signal()  # a different graph was opened
    annotationsChanged = Signal()  # numbers shown changed, were cleared or went stale
    stepsChanged = Signal(object)  # a step moved: (nodes, wires) whose annotations changed
    passFailed = Signal(str, object)  # message, node id to highlight (or None)
    titleChanged = Signal()

    def __init__(self, model: GraphModel | None = None, path: str | Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_stack.indexChanged.connect(self._after_edit)
        self.model = GraphModel()
        self.path: Path | None = None
        self.evaluation: Evaluation | None = None
        self.shown = ""  # "", "forward", "backward" or "tangent": what the canvas annotates
        self.tangent_input: str | None = None  # forward mode's x while shown == "tangent"
        self.live = False
        self.reveal = None  # while stepping: what is computed so far (core.steps.Reveal)
        # The file's quiz being sat (core.quiz.QuizRun), or None: hidden numbers show as ?
        self.quiz: quizzes.QuizRun | None = None
        self._numbers_touched = False
        self.set_model(model or GraphModel(), path)

    # ----------------------------------------------------------------- files
    def set_model(self, model: GraphModel, path: str | Path | None = None,
                  formula: str | None = None) -> None:
        """Show another graph: a fresh undo history, nothing computed yet.

        ``formula``: the text the graph was built from (the formula bar). Such a
        graph is the user's own work with no file behind it: unsaved from the start.
        """
        if self._on_model_event in self.model._listeners:
            self.model.unsubscribe(self._on_model_event)
        self.model = model
        model.subscribe(self._on_model_event)
        self.path = Path(path) if path is not None else None
        self.untitled_name = "Untitled"  # shown while there is no file behind the graph
        self.formula = formula.strip() if formula else None
        self.template: Path | None = None  # the example this graph started from
        self.evaluation, self.shown = None, ""
        self.reveal = None
        self.quiz = self._quiz_of(model)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.modelReset.emit()
        self.annotationsChanged.emit()
        self.titleChanged.emit()

    def open(self, path: str | Path) -> None:
        """Load a file; a bad one raises FileFormatError and changes nothing here."""
        model = fileformat.load(path)
        self.set_model(model, path)

    def open_template(self, path: str | Path) -> None:
        """Open a file as a starting point (an example): Save will ask for a name."""
        self.open(path)
        self.path = None
        self.template = Path(path)
        self.untitled_name = Path(path).name
        self.titleChanged.emit()

    def save(self, path: str | Path | None = None) -> None:
        """Save (atomically); raises SaveError and stays dirty if the save fails."""
        target = path if path is not None else self.path
        if target is None:
            raise ValueError("no file name to save to")
        fileformat.save(self.model, target)  # (as given: a trailing "/" is refused there)
        self.path = Path(target)
        self.undo_stack.setClean()
        self.titleChanged.emit()

    def _clean_changed(self, _clean: bool) -> None:
        self.titleChanged.emit()

    @property
    def dirty(self) -> bool:
        """Unsaved work: edits since the last save, or a built graph never saved at all
        (undoing back to its first state does not make a formula graph saved)."""
        return not self.undo_stack.isClean() or self.never_saved()

    def never_saved(self) -> bool:
        """A graph the user built (from a formula) that has no file yet, and is not empty."""
        return self.formula is not None and self.path is None and len(self.model) > 0

    def display_name(self) -> str:
        return self.path.name if self.path is not None else self.untitled_name

    def suggested_stem(self) -> str:
        """A file name (no folder, no suffix) to offer when saving or exporting."""
        if self.path is not None:
            return self.path.stem
        if self.template is not None:
            return self.template.stem
        if self.formula is not None and self.model.output in self.model:
            name = self.model.label(self.model.output)  # J = … gives J
            if re.fullmatch(r"[\w.-]{1,60}", name) and not name.startswith("."):
                return name
        return "graph"

    # ---------------------------------------------------------------- events
    def _on_model_event(self, event: ModelEvent) -> None:
        if self.evaluation is not None and not self.evaluation.is_current():
            # Stale numbers go before anyone redraws: mid-command, the scene must not
            # read an evaluation that knows nothing of a new node. _after_edit then
            # re-runs them (Live) or clears what is shown.
            self.evaluation = None
            self._numbers_touched = True
        kind = event.kind
        if kind == "node_added":
            self.nodeAdded.emit(event.node)
        elif kind == "node_removed":
            self.nodeRemoved.emit(event.node)
        elif kind == "node_changed":
            self.nodeChanged.emit(event.node, event.key)
        elif kind == "edge_added":
            self.edgeAdded.emit(event.edge)
        elif kind == "edge_removed":
            self.edgeRemoved.emit(event.edge)
        elif kind == "output_changed":
            self.outputChanged.emit(event.node)

    def _after_edit(self, _index: int = 0) -> None:
        """After each edit, undo or redo: re-run the shown passes (Live) or clear them."""
        if (self.quiz.raw if self.quiz is not None else None) is not self.model.extra.get("quiz"):
            self.quiz = self._quiz_of(self.model)  # set, changed or ended (or undone)
            self.annotationsChanged.emit()
        if not self._numbers_touched:
            return
        self._numbers_touched = False
        if self.live and self.shown:
            self.run(self.shown)
        else:
            self.clear_annotations()

    # ------------------------------------------------------------------ quiz
    @staticmethod
    def _quiz_of(model: GraphModel) -> quizzes.QuizRun | None:
        raw = model.extra.get("quiz")
        quiz = quizzes.lenient(raw) if raw is not None else None
        if quiz is None:
            return None
        return quizzes.QuizRun(quiz, raw=raw)

    def set_quiz(self, quiz: quizzes.Quiz | None) -> None:
        """Make the graph a quiz (saved in its file), or (None) an ordinary graph again;
        undoable. A new quiz starts with everything it hides hidden."""
        raw = quiz.to_json() if quiz is not None else None
        if raw == self.model.extra.get("quiz"):
            return
        self.undo_stack.push(commands.SetQuiz(self.model, raw))

    # ---------------------------------------------------------------- passes
    def run(self, what: str) -> bool:
        """Run "forward", "backward" or "tangent"; on refusal say why and show nothing."""
        self.reveal = None  # a whole pass ends any stepping
        if what == "tangent" and self.tangent_input not in self.model:
            self.clear_annotations()  # the input forward mode started from is gone
            return False
        try:
            evaluation = Evaluation(self.model)
            if what == "backward":
                evaluation.backward()
            elif what == "tangent":
                evaluation.tangent(self.tangent_input)
        except GraphError as exc:
            self.evaluation, self.shown = None, ""
            self.annotationsChanged.emit()
            self.passFailed.emit(str(exc), self._culprit())
            return False
        self.evaluation, self.shown = evaluation, what
        self.annotationsChanged.emit()
        return True

    def run_tangent(self, input_id: str) -> bool:
        """Forward mode from one input: every node's d(node)/d(input)."""
        if input_id not in self.model or self.model.node_data(input_id)["op"] != "input":
            label = self.model.label(input_id) if input_id in self.model else input_id
            self.passFailed.emit(f"forward mode starts from an input; {label!r} is not one",
                                 None)
            return False
        self.tangent_input = input_id
        return self.run("tangent")

    def _culprit(self) -> str | None:
        missing = self.model.missing_port()
        return missing[0] if missing else None

    def clear_annotations(self) -> None:
        if self.evaluation is None and not self.shown:
            return
        self.evaluation, self.shown = None, ""
        self.reveal = None
        self.annotationsChanged.emit()

    def show_steps(self, evaluation, reveal, touched=None) -> None:
        """Show a pass part-way (Step Forward/Backward): only ``reveal``'s numbers count.

        ``touched`` is (nodes, wires) when only those changed since the last step.
        """
        partial = (touched is not None and self.reveal is not None
                   and self.evaluation is evaluation)
        self.evaluation, self.shown, self.reveal = evaluation, reveal.phase, reveal
        if partial:
            self.stepsChanged.emit(touched)
        else:
            self.annotationsChanged.emit()

    def set_live(self, live: bool) -> None:
        self.live = live
        if live and self.shown and (self.evaluation is None or not self.evaluation.is_current()):
            self.run(self.shown)

    # ----------------------------------------------------------------- edits
    def new_id(self, op: str) -> str:
        """Readable, unused ids: inputs a, b, c …; others mul1, add1, scale1 …"""
        taken = set(self.model.graph.nodes)
        if op == "input":
            for suffix in ("", *map(str, range(1, 1000))):
                for letter in string.ascii_lowercase:
                    if letter + suffix not in taken:
                        return letter + suffix
        stem = ID_STEMS.get(op, op)
        n = 1
        while f"{stem}{n}" in taken:
            n += 1
        return f"{stem}{n}"

    def add_node(self, op: str, x: float, y: float, params: dict | None = None) -> str:
        if op not in OPS:
            raise GraphError(f"unknown op {op!r}")
        node_id = self.new_id(op)
        self.model.check_new_node(node_id, op, params or {})
        self.undo_stack.push(commands.AddNode(self.model, node_id, op, x, y, params))
        return node_id

    def connect(self, source: str, target: str, port: int) -> None:
        self.model.check_connect(source, target, port)
        self.undo_stack.push(commands.Connect(self.model, source, target, port))

    def move_wire(self, edge, new_target: tuple[str, int] | None) -> None:
        """Re-plug the target end of a wire elsewhere, or delete it (None)."""
        if new_target is not None:
            if tuple(new_target) == (edge[1], edge[2]):
                return
            # The old wire leaves the source, so it cannot be part of a cycle that
            # the new one would close: checking against the current graph is exact.
            self.model.check_connect(edge[0], *new_target)
        self.undo_stack.push(commands.Reconnect(self.model, edge, new_target))

    def delete(self, node_ids: list[str], edges: list | None = None) -> None:
        node_ids = [n for n in node_ids if n in self.model]
        edges = [e for e in (edges or []) if e in self.model._edges]
        if not node_ids and not edges:
            return
        self.undo_stack.push(commands.RemoveNodes(self.model, node_ids, edges))

    def move_nodes(self, moves: dict[str, tuple]) -> None:
        moves = {n: (old, new) for n, (old, new) in moves.items() if old != new}
        if moves:
            self.undo_stack.push(commands.MoveNodes(self.model, moves))

    def set_param(self, node_id: str, name: str, value: float) -> None:
        check_param(self.model.node_data(node_id)["op"], name, value)
        if self.model.param(node_id, name) == value:
            return
        self.undo_stack.push(commands.SetParam(self.model, node_id, name, value))

    def set_label(self, node_id: str, label: str) -> None:
        if not label.strip():
            raise GraphError("a label cannot be empty")
        plaintext.check(label, "a label")  # what the file format allows, or Save would not
        if self.model.label(node_id) == label:
            return
        self.undo_stack.push(commands.SetLabel(self.model, node_id, label))

    def set_output(self, node_id: str | None) -> None:
        if node_id is not None and node_id not in self.model:
            raise GraphError(f"no node {node_id!r}")
        if self.model.output != node_id:
            self.undo_stack.push(commands.SetOutput(self.model, node_id))

    def add_subgraph(self, nodes: list[tuple[str, dict]], edges: list, text: str) -> list[str]:
        """Paste or duplicate: fresh ids for every node, wires among them kept."""
        renamed: dict[str, str] = {}
        taken = set(self.model.graph.nodes)
        new_nodes = []
        for old_id, data in nodes:
            if data.get("op") not in OPS:
                raise GraphError(f"cannot paste a node with op {data.get('op')!r}")
            new_id = self._fresh_copy_id(old_id, taken)
            taken.add(new_id)
            renamed[old_id] = new_id
            new_nodes.append((new_id, data))
        new_edges = [(renamed[u], renamed[v], p) for u, v, p in edges
                     if u in renamed and v in renamed]
        probe = GraphModel()  # check the whole paste first: a command must not fail halfway
        commands.AddSubgraph(probe, new_nodes, new_edges).redo()
        self.undo_stack.push(commands.AddSubgraph(self.model, new_nodes, new_edges, text))
        return [n for n, _ in new_nodes]

    @staticmethod
    def _fresh_copy_id(old: str, taken: set) -> str:
        if old not in taken:
            return old
        n = 2
        while f"{old}_{n}" in taken:
            n += 1
        return f"{old}_{n}"
