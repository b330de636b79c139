"""Undo commands: each one only calls model methods, so undo is exact.

The scene never changes in a command: it follows the model through the
document's signals.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from gradstudio.core.model import GraphModel, NodeSnapshot
from gradstudio.core.ops import OPS


class AddNode(QUndoCommand):
    def __init__(self, model: GraphModel, node_id: str, op: str, x: float, y: float,
                 params: dict | None = None, label: str | None = None) -> None:
        super().__init__(f"Add {op} node")
        self.model, self.node_id = model, node_id
        self.spec = dict(op=op, x=x, y=y, params=params, label=label)

    def redo(self) -> None:
        spec = self.spec
        self.model.add_node(self.node_id, spec["op"], x=spec["x"], y=spec["y"],
                            params=spec["params"], label=spec["label"])

    def undo(self) -> None:
        self.model.remove_node(self.node_id)


class RemoveNodes(QUndoCommand):
    """Delete nodes and loose edges; undo puts nodes, wires and their order back."""

    def __init__(self, model: GraphModel, node_ids: list[str], edges: list) -> None:
        n = len(node_ids)
        super().__init__(f"Delete {n} node{'s' if n != 1 else ''}" if n else "Delete wires")
        self.model, self.node_ids = model, list(node_ids)
        self.edges = [e for e in edges if e[0] not in node_ids and e[1] not in node_ids]
        self.snapshots: list[NodeSnapshot] = []
        self.removed_edges: list = []

    def redo(self) -> None:
        self.removed_edges = [self.model.disconnect(v, p) for _u, v, p in self.edges]
        self.snapshots = [self.model.remove_node(n) for n in self.node_ids]

    def undo(self) -> None:
        for snapshot in reversed(self.snapshots):
            self.model.restore_node(snapshot)
        for (u, v, p), extra, index in reversed(self.removed_edges):
            self.model.connect(u, v, p, extra=extra, position=index)


class Connect(QUndoCommand):
    def __init__(self, model: GraphModel, source: str, target: str, port: int) -> None:
        super().__init__(f"Connect {source} → {target}")
        self.model, self.edge = model, (source, target, port)

    def redo(self) -> None:
        self.model.connect(*self.edge)

    def undo(self) -> None:
        self.model.disconnect(self.edge[1], self.edge[2])


class Reconnect(QUndoCommand):
    """Move the target end of a wire, or remove it (new_target None)."""

    def __init__(self, model: GraphModel, edge, new_target: tuple[str, int] | None) -> None:
        super().__init__("Delete wire" if new_target is None else "Move wire")
        self.model, self.edge, self.new_target = model, edge, new_target
        self.removed = None

    def redo(self) -> None:
        self.removed = self.model.disconnect(self.edge[1], self.edge[2])
        if self.new_target is not None:
            self.model.connect(self.edge[0], *self.new_target)

    def undo(self) -> None:
        if self.new_target is not None:
            self.model.disconnect(*self.new_target)
        edge, extra, index = self.removed
        self.model.connect(*edge, extra=extra, position=index)


class MoveNodes(QUndoCommand):
    """One step per drag, however many nodes moved together."""

    def __init__(self, model: GraphModel, moves: dict[str, tuple[tuple, tuple]]) -> None:
        n = len(moves)
        super().__init__(f"Move {n} node{'s' if n != 1 else ''}")
        # Undo puts back the stored numbers as they were (an int stays an int), not
        # the float positions the canvas reports, so undo gives back the file exactly.
        stored = {node_id: model.node_data(node_id) for node_id in moves}
        self.model, self.moves = model, {
            node_id: ((data["x"], data["y"]) if "x" in data and "y" in data else None, new)
            for node_id, data in stored.items() for _old, new in [moves[node_id]]}

    def redo(self) -> None:
        for node_id, (_old, new) in self.moves.items():
            self.model.move_node(node_id, *new)

    def undo(self) -> None:
        for node_id, (old, _new) in self.moves.items():
            if old is None:
                self.model.clear_position(node_id)
            else:
                self.model.move_node(node_id, *old)


class SetParam(QUndoCommand):
    def __init__(self, model: GraphModel, node_id: str, name: str, value: float) -> None:
        super().__init__(f"Set {name} of {model.label(node_id)}")
        self.model, self.node_id, self.name = model, node_id, name
        self.old, self.new = model.param(node_id, name), value

    def redo(self) -> None:
        self.model.set_param(self.node_id, self.name, self.new)

    def undo(self) -> None:
        self.model.set_param(self.node_id, self.name, self.old)


class SetLabel(QUndoCommand):
    def __init__(self, model: GraphModel, node_id: str, label: str) -> None:
        super().__init__(f"Rename {model.label(node_id)}")
        self.model, self.node_id = model, node_id
        self.old, self.new = model.node_data(node_id).get("label"), label

    def redo(self) -> None:
        self.model.set_label(self.node_id, self.new)

    def undo(self) -> None:
        self.model.set_label(self.node_id, self.old)


class SetOutput(QUndoCommand):
    def __init__(self, model: GraphModel, node_id: str | None) -> None:
        super().__init__("Set output")
        self.model, self.old, self.new = model, model.output, node_id

    def redo(self) -> None:
        self.model.set_output(self.new)

    def undo(self) -> None:
        self.model.set_output(self.old)


class AddSubgraph(QUndoCommand):
    """Paste and duplicate: several nodes and the wires among them, as one step."""

    def __init__(self, model: GraphModel, nodes: list[tuple[str, dict]], edges: list,
                 text: str = "Paste") -> None:
        super().__init__(text)
        self.model, self.nodes, self.edges = model, nodes, edges

    def redo(self) -> None:
        for node_id, data in self.nodes:
            data = dict(data)
            op = data.pop("op")
            label = data.pop("label", None)
            x, y = data.pop("x", None), data.pop("y", None)
            params = {k: data.pop(k) for k in list(data) if k in self._param_names(op)}
            self.model.add_node(node_id, op, label=label, x=x, y=y, params=params, extra=data)
        for u, v, p in self.edges:
            self.model.connect(u, v, p)

    @staticmethod
    def _param_names(op: str) -> tuple[str, ...]:
        return OPS[op].param_names

    def undo(self) -> None:
        for node_id, _data in reversed(self.nodes):
            self.model.remove_node(node_id)


class SetQuiz(QUndoCommand):
    """Teach → Quiz: the file's "quiz" key set (a dict, as core.quiz writes it) or
    removed (None). Unknown top-level keys are the model's ``extra``; the document
    sees the change after the command and starts a fresh sitting."""

    _ABSENT = object()

    def __init__(self, model: GraphModel, raw: dict | None) -> None:
        super().__init__("Set Up Quiz" if raw is not None else "End Quiz")
        self.model, self.new = model, raw
        self.old = model.extra.get("quiz", self._ABSENT)

    def _put(self, raw) -> None:
        if raw is None or raw is self._ABSENT:
            self.model.extra.pop("quiz", None)
        else:
            self.model.extra["quiz"] = raw

    def redo(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)
