"""The graph model: validated mutations on a networkx MultiDiGraph.

Every mutation either succeeds or raises GraphError and changes nothing. Node
data is stored flat, exactly as a file node holds it (op, optional label/x/y,
the op's params and any keys gradstudio does not know), so that saving writes
back what was loaded. Edges are keyed by target port: ``(source, target, port)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import networkx as nx
import numpy as np

from gradstudio.core.columns import (  # noqa: F401 - NODE_KEYS, EDGE_KEYS, is_number re-exported
    EDGE_KEYS, NODE_KEYS, OP_CODE, Columns, choose_output, is_number,
    refuse_incomplete)
from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS, get_op, known_ops_text

Edge = tuple[str, str, int]


@dataclass(frozen=True)
class ModelEvent:
    """What changed, for listeners such as the Qt document (no Qt here)."""

    kind: str  # node_added, node_removed, node_changed, edge_added, edge_removed, output_changed
    node: str | None = None
    edge: Edge | None = None
    key: str | None = None


@dataclass
class NodeSnapshot:
    """Everything needed to put a removed node back, wires included."""

    node_id: str
    data: dict
    edges: list[tuple[Edge, dict]] = field(default_factory=list)
    edge_positions: list[int] = field(default_factory=list)
    node_position: int = 0
    was_output: bool = False


class GraphModel:
    """A computation graph with validated, event-emitting mutations."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self._edges: dict[Edge, None] = {}  # insertion order, used for files and --json
        self._sources: dict[tuple[str, int], str] = {}  # (target, port) -> source
        self.output: str | None = None
        self.extra: dict = {}  # unknown top-level file keys, written back on save
        self.revision = 0  # any change that can change a number (not moves or labels)
        self.structure_revision = 0  # nodes, wiring or ops changed
        self._listeners: list[Callable[[ModelEvent], None]] = []
        self._plan = None
        self._known_order: tuple = (None, None)  # (structure revision, topological positions)

    # ----------------------------------------------------------------- events
    def subscribe(self, listener: Callable[[ModelEvent], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[ModelEvent], None]) -> None:
        self._listeners.remove(listener)

    def _changed(self, event: ModelEvent, structural: bool, numeric: bool = True) -> None:
        if numeric:
            self.revision += 1
        if structural:
            self.structure_revision += 1
            self._plan = None
        for listener in list(self._listeners):
            listener(event)

    # ---------------------------------------------------------------- queries
    def __contains__(self, node_id) -> bool:
        return node_id in self.graph

    def __len__(self) -> int:
        return self.graph.number_of_nodes()

    def nodes(self) -> list[str]:
        return list(self.graph.nodes)

    def edges(self) -> list[Edge]:
        """Edges in the order they were made (file order after a load)."""
        return list(self._edges)

    def node_data(self, node_id: str) -> dict:
        """The node's stored dict (read it, change it only through the model)."""
        try:
            return self.graph.nodes[node_id]
        except KeyError:
            raise GraphError(f"no node {node_id!r}") from None

    def op_of(self, node_id: str):
        return OPS[self.node_data(node_id)["op"]]

    def label(self, node_id: str) -> str:
        return self.node_data(node_id).get("label", node_id)

    def position(self, node_id: str) -> tuple[float, float] | None:
        data = self.node_data(node_id)
        if "x" in data and "y" in data:
            return float(data["x"]), float(data["y"])
        return None

    def param(self, node_id: str, name: str) -> float:
        data = self.node_data(node_id)
        op = OPS[data["op"]]
        if name not in op.param_names:
            raise GraphError(f"{op.name} node {node_id!r} has no parameter {name!r}")
        return data[name]

    def params(self, node_id: str) -> dict:
        data = self.node_data(node_id)
        return {name: data[name] for name in OPS[data["op"]].param_names}

    def extra_keys(self, node_id: str) -> dict:
        data = self.node_data(node_id)
        known = set(NODE_KEYS) | set(OPS[data["op"]].param_names)
        return {k: v for k, v in data.items() if k not in known}

    def source(self, target: str, port: int) -> str | None:
        return self._sources.get((target, port))

    def edge_extra(self, edge: Edge) -> dict:
        return dict(self.graph.edges[edge])

    def in_edges(self, node_id: str) -> list[Edge]:
        ports = self.op_of(node_id).ports
        return [(self._sources[(node_id, p)], node_id, p)
                for p in range(ports) if (node_id, p) in self._sources]

    def out_edges(self, node_id: str) -> list[Edge]:
        return [(u, v, k) for u, v, k in self.graph.out_edges(node_id, keys=True)]

    def sinks(self) -> list[str]:
        return [n for n in self.graph.nodes if self.graph.out_degree(n) == 0]

    def inputs(self) -> list[str]:
        return [n for n, d in self.graph.nodes(data=True) if d["op"] == "input"]

    def resolve_output(self, explicit: str | None = None) -> str:
        """The node whose gradient is 1: asked for, chosen in the file, or the only sink."""
        return choose_output(explicit, self.output, self.graph.__contains__, self.sinks)

    def missing_port(self) -> tuple[str, int] | None:
        """The first non-input node with an unconnected port, as (node, port)."""
        # Every (target, port) in _sources is a real port, so equal counts mean complete.
        ports = {name: op.ports for name, op in OPS.items()}
        if len(self._sources) == sum(ports[d["op"]] for d in self.graph._node.values()):
            return None
        for node_id, data in self.graph.nodes(data=True):
            for port in range(OPS[data["op"]].ports):
                if (node_id, port) not in self._sources:
                    return node_id, port
        return None

    def check_complete(self) -> None:
        refuse_incomplete(self)

    def cycle_through(self, source: str, target: str) -> list[str] | None:
        """The nodes of the cycle that the edge source → target would close, if any."""
        if source == target:
            return [source, source]
        if source not in self.graph or target not in self.graph:
            return None
        try:
            path = nx.shortest_path(self.graph, target, source)
        except nx.NetworkXNoPath:
            return None
        return [source, *path]

    def columns(self) -> Columns:
        """The structure as columns (node order, edge order), what a Plan compiles from."""
        ids = list(self.graph._node)
        position = dict(zip(ids, range(len(ids))))
        n_edges = len(self._edges)
        sources, targets, ports = zip(*self._edges) if n_edges else ((), (), ())
        return Columns(
            ids,
            np.fromiter((OP_CODE[d["op"]] for d in self.graph._node.values()), dtype=np.intp,
                        count=len(ids)),
            np.fromiter(map(position.__getitem__, sources), dtype=np.intp, count=n_edges),
            np.fromiter(map(position.__getitem__, targets), dtype=np.intp, count=n_edges),
            np.fromiter(ports, dtype=np.intp, count=n_edges),
            position,
            self._known_order[1] if self._known_order[0] == self.structure_revision else None)

    def remember_order(self, order) -> None:
        """Keep the topological positions the loader already worked out (columns.kahn's
        for the current structure), so the first plan need not walk the graph again."""
        self._known_order = (self.structure_revision, order)

    def param_values(self, name: str, ids: list[str], positions) -> list:
        """The current value of one param of the given nodes (for the passes)."""
        node = self.graph._node
        return [node[i][name] for i in ids]

    def plan(self):
        """The compiled pass plan for the current structure (built once, then reused)."""
        from gradstudio.core.plan import Plan
        if self._plan is None or self._plan.structure_revision != self.structure_revision:
            self._plan = Plan(self)
        return self._plan

    # -------------------------------------------------------------- mutations
    def check_new_node(self, node_id, op_name, params: dict) -> None:
        if not isinstance(node_id, str) or not node_id:
            raise GraphError("a node id must be a non-empty string")
        if node_id in self.graph:
            raise GraphError(f"duplicate node id {node_id!r}")
        if op_name not in OPS:
            raise GraphError(f"unknown op {op_name!r} (known: {known_ops_text()})")
        for name, value in params.items():
            check_param(op_name, name, value)

    def add_node(self, node_id: str, op: str, *, label: str | None = None,
                 x: float | None = None, y: float | None = None,
                 params: dict | None = None, extra: dict | None = None) -> str:
        """Add a node; params left out take the op's defaults."""
        params = {**get_op(op).defaults(), **(params or {})} if op in OPS else dict(params or {})
        self.check_new_node(node_id, op, params)
        if label is not None and not isinstance(label, str):
            raise GraphError("a label must be a string")
        for name, value in (("x", x), ("y", y)):
            if value is not None and not is_number(value):
                raise GraphError(f"{name} must be a finite number, not {value!r}")
        data: dict = {"op": op}
        if label is not None:
            data["label"] = label
        if x is not None:
            data["x"], data["y"] = x, (y if y is not None else 0.0)
        data.update(params)
        for key, value in (extra or {}).items():
            if key in NODE_KEYS or key in params:
                raise GraphError(f"extra key {key!r} clashes with a node field")
            data[key] = value
        self.graph.add_node(node_id, **data)
        self._changed(ModelEvent("node_added", node=node_id), structural=True)
        return node_id

    def check_connect(self, source: str, target: str, port) -> None:
        for node_id in (source, target):
            if node_id not in self.graph:
                raise GraphError(f"no node {node_id!r}")
        op = self.op_of(target)
        if op.ports == 0:
            raise GraphError(f"{self.label(target)!r} is an input: nothing can be connected into it")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port < op.ports:
            raise GraphError(f"port {port!r} is out of range for {target!r} "
                             f"({op.name} has {op.ports} input{'s' if op.ports != 1 else ''})")
        taken = self._sources.get((target, port))
        if taken is not None:
            raise GraphError(f"port {port} of {self.label(target)!r} is already "
                             f"connected to {self.label(taken)!r}")
        if source == target:
            raise GraphError(f"{self.label(source)!r} cannot be connected to itself")
        cycle = self.cycle_through(source, target)
        if cycle:
            raise GraphError("that connection would close a cycle: "
                             + " → ".join(self.label(n) for n in cycle))

    def connect(self, source: str, target: str, port: int, extra: dict | None = None,
                position: int | None = None) -> Edge:
        self.check_connect(source, target, port)
        edge = (source, target, port)
        self.graph.add_edge(source, target, key=port, **(extra or {}))
        self._sources[(target, port)] = source
        self._insert_edge(edge, position)
        self._changed(ModelEvent("edge_added", edge=edge), structural=True)
        return edge

    def _insert_edge(self, edge: Edge, position: int | None) -> None:
        if position is None or position >= len(self._edges):
            self._edges[edge] = None
            return
        order = list(self._edges)
        order.insert(position, edge)
        self._edges = dict.fromkeys(order)

    def disconnect(self, target: str, port: int) -> tuple[Edge, dict, int]:
        """Remove the edge into (target, port); returns it, its extra keys and its index."""
        source = self._sources.get((target, port))
        if source is None:
            raise GraphError(f"port {port} of {target!r} is not connected")
        edge = (source, target, port)
        extra = self.edge_extra(edge)
        index = list(self._edges).index(edge)
        self.graph.remove_edge(source, target, key=port)
        del self._sources[(target, port)]
        del self._edges[edge]
        self._changed(ModelEvent("edge_removed", edge=edge), structural=True)
        return edge, extra, index

    def remove_node(self, node_id: str) -> NodeSnapshot:
        """Remove a node and its wires; the snapshot puts them all back."""
        data = dict(self.node_data(node_id))
        order = list(self._edges)
        touching = [e for e in order if e[0] == node_id or e[1] == node_id]
        snapshot = NodeSnapshot(node_id, data, was_output=self.output == node_id,
                                node_position=list(self.graph.nodes).index(node_id))
        for edge in touching:
            snapshot.edges.append((edge, self.edge_extra(edge)))
            snapshot.edge_positions.append(order.index(edge))
        for edge in reversed(touching):
            self.disconnect(edge[1], edge[2])
        if snapshot.was_output:
            self.set_output(None)
        self.graph.remove_node(node_id)
        self._changed(ModelEvent("node_removed", node=node_id), structural=True)
        return snapshot

    def restore_node(self, snapshot: NodeSnapshot) -> None:
        data = dict(snapshot.data)
        op = data.pop("op")
        self.check_new_node(snapshot.node_id, op, {})
        self._insert_node(snapshot.node_id, {"op": op, **data}, snapshot.node_position)
        self._changed(ModelEvent("node_added", node=snapshot.node_id), structural=True)
        for (edge, extra), position in zip(snapshot.edges, snapshot.edge_positions):
            self.connect(*edge, extra=extra, position=position)
        if snapshot.was_output:
            self.set_output(snapshot.node_id)

    def _insert_node(self, node_id: str, data: dict, position: int) -> None:
        """Add a node at a given place in node order, so undo restores the file order."""
        nodes = list(self.graph.nodes(data=True))
        if position >= len(nodes):
            self.graph.add_node(node_id, **data)
            return
        rebuilt = nx.MultiDiGraph()
        nodes.insert(position, (node_id, data))
        rebuilt.add_nodes_from(nodes)
        rebuilt.add_edges_from(self.graph.edges(keys=True, data=True))
        self.graph = rebuilt

    def set_param(self, node_id: str, name: str, value) -> None:
        data = self.node_data(node_id)
        op = OPS[data["op"]]
        if name not in op.param_names:
            raise GraphError(f"{op.name} node {node_id!r} has no parameter {name!r}")
        check_param(op.name, name, value)
        data[name] = value
        self._changed(ModelEvent("node_changed", node=node_id, key=name), structural=False)

    def set_label(self, node_id: str, label: str | None) -> None:
        data = self.node_data(node_id)
        if label is not None and not isinstance(label, str):
            raise GraphError("a label must be a string")
        if label is None:
            data.pop("label", None)
        else:
            data["label"] = label
        self._changed(ModelEvent("node_changed", node=node_id, key="label"),
                      structural=False, numeric=False)

    def move_node(self, node_id: str, x: float, y: float) -> None:
        data = self.node_data(node_id)
        if not (is_number(x) and is_number(y)):
            raise GraphError(f"a position must be two finite numbers, not ({x!r}, {y!r})")
        data["x"], data["y"] = x, y
        self._changed(ModelEvent("node_changed", node=node_id, key="position"),
                      structural=False, numeric=False)

    def clear_position(self, node_id: str) -> None:
        """Forget a position, so the node is laid out again (undo of a first move)."""
        data = self.node_data(node_id)
        data.pop("x", None)
        data.pop("y", None)
        self._changed(ModelEvent("node_changed", node=node_id, key="position"),
                      structural=False, numeric=False)

    def set_output(self, node_id: str | None) -> None:
        if node_id is not None and node_id not in self.graph:
            raise GraphError(f"no node {node_id!r}")
        self.output = node_id
        self._changed(ModelEvent("output_changed", node=node_id), structural=False)

    # ------------------------------------------------------------ bulk build
    @classmethod
    def from_checked(cls, nodes: Iterable[tuple[str, dict]], edges: Iterable[tuple[Edge, dict]],
                     output: str | None, extra: dict, *, own_data: bool = False) -> "GraphModel":
        """Build from data already validated by the file loader (no per-edge checks).

        With ``own_data`` the node dicts become the graph's own (no copies).
        """
        from gradstudio.core.bulk import build_multidigraph
        model = cls()
        edge_list = list(edges)
        # The structure add_nodes_from/add_edges_from give, built directly (many times faster).
        model.graph = build_multidigraph(
            nodes if own_data else ((node_id, dict(data)) for node_id, data in nodes),
            ((u, v, p, d) for (u, v, p), d in edge_list))
        model._edges = dict.fromkeys(e for e, _ in edge_list)
        model._sources = {(v, p): u for u, v, p in model._edges}
        model.output = output
        model.extra = extra
        return model

    @classmethod
    def from_columns(cls, nodes: Iterable[tuple[str, dict]], sources: list[str],
                     targets: list[str], ports: list[int], output: str | None,
                     extra: dict) -> "GraphModel":
        """``from_checked`` for big files: edges without extra keys, as three columns.

        The node dicts become the graph's own (no copies).
        """
        from gradstudio.core.bulk import build_from_columns
        model = cls()
        model.graph = build_from_columns(nodes, sources, targets, ports)
        model._edges = dict.fromkeys(zip(sources, targets, ports))
        model._sources = dict(zip(zip(targets, ports), sources))
        model.output = output
        model.extra = extra
        return model


def check_param(op_name: str, name: str, value) -> None:
    op = get_op(op_name)
    if name not in op.param_names:
        raise GraphError(f"{op_name} has no parameter {name!r}")
    if not is_number(value):
        raise GraphError(f"{name} must be a finite number, not {value!r}")
