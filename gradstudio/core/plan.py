"""Compiling a graph into a flat, index-based plan that the passes run.

A plan belongs to one structure of the graph (nodes, ops, wiring) and compiles
from its columns (see columns.py): the editor's GraphModel and the headless
loader's LoadedGraph (loaded.py) give the same description, so the window and
``gradstudio eval`` run the same plan. Values and params are read from the
graph at every forward pass, so editing a number does not recompile. Slots are
topological positions; params get slots after the nodes, so that every step is
``val[i] = fn(val[a], val[b])``.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from gradstudio.core.columns import INPUT_CODE, OP_NAMES, cycle_error, kahn, paused_gc
from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS


def _unary(fn):
    return lambda a, _unused: fn(a)


_OPS = [OPS[name] for name in OP_NAMES]
_MAX_PORTS = max(max((op.ports for op in _OPS), default=0), 1)
_MAX_PARAMS = max(max((len(op.params) for op in _OPS), default=0), 1)
_N_PARAMS = np.array([0 if op.name == "input" else len(op.params) for op in _OPS],
                     dtype=np.intp)  # param slots of each op (an input's value is its own slot)
for _op in _OPS:  # pragma: no cover - no such op yet; keeps the registry open
    if _op.name != "input" and not 1 <= _op.ports + len(_op.params) <= 2:
        raise ImportError(f"op {_op.name} takes {_op.ports + len(_op.params)} arguments; "
                          "plans handle 1 or 2")
# per op code: the forward function a step calls with (val[a], val[b])
_STEP_FN = np.empty(len(_OPS), dtype=object)
for _c, _op in enumerate(_OPS):
    _STEP_FN[_c] = _op.forward if _op.ports + _N_PARAMS[_c] == 2 else _unary(_op.forward)


class Plan:
    """The compiled program of one graph structure."""

    def __init__(self, graph) -> None:
        with paused_gc():
            self._compile(graph)

    def _compile(self, graph) -> None:
        self.structure_revision = graph.structure_revision
        graph.check_complete()
        cols = graph.columns()
        n_nodes = len(cols.ids)
        if n_nodes == 0:
            raise GraphError("the graph is empty")
        self.node_ids: list[str] = cols.ids  # node (file) order
        self._position = cols.position
        order = cols.order
        if order is None:
            found = kahn(n_nodes, cols.src, cols.tgt)
            if len(found) != n_nodes:
                raise cycle_error(cols.ids, found)
            order = found
        self.position_of_slot = order = np.asarray(order, dtype=np.intp)
        slot_of = np.empty(n_nodes, dtype=np.intp)
        slot_of[order] = np.arange(n_nodes, dtype=np.intp)
        self.slot_of_position = slot_of
        self.n_nodes = n_nodes

        self.e_src = slot_of[cols.src]
        self.e_tgt = slot_of[cols.tgt]
        self.e_port = np.asarray(cols.port, dtype=np.intp)
        self.n_edges = len(self.e_src)
        self.edge_positions = (cols.src, cols.tgt)  # node positions, edge order
        codes = np.asarray(cols.op_codes, dtype=np.intp)[order]  # by slot
        self.op_codes = codes
        # port_table[i][p]: the slot feeding port p of the node in slot i
        port_table = np.zeros((n_nodes, _MAX_PORTS), dtype=np.intp)
        port_table[self.e_tgt, self.e_port] = self.e_src
        # Params get slots after the nodes, in slot order, then param order.
        n_params = _N_PARAMS[codes]
        first_param = n_nodes + np.cumsum(n_params) - n_params
        self.n_slots = n_nodes + int(n_params.sum())
        param_table = np.zeros((n_nodes, _MAX_PARAMS), dtype=np.intp)
        args = np.zeros((n_nodes, 2), dtype=np.intp)  # port slots, then param slots
        n_args = np.zeros(n_nodes, dtype=np.intp)
        self.param_groups: list[tuple[str, np.ndarray, list[str], np.ndarray]] = []
        groups: dict[str, list] = {}
        for code in np.unique(codes).tolist():
            op = _OPS[code]
            in_op = np.flatnonzero(codes == code)  # slots, in order
            positions = order[in_op]
            if code == INPUT_CODE:
                groups.setdefault("value", []).append((in_op, positions))
                continue
            n_args[in_op] = op.ports + len(op.params)
            args[in_op, :op.ports] = port_table[in_op, :op.ports]
            for j, param in enumerate(op.params):
                slots = first_param[in_op] + j
                param_table[in_op, j] = slots
                args[in_op, op.ports + j] = slots
                groups.setdefault(param.name, []).append((slots, positions))
        ids = cols.ids
        for name, parts in groups.items():
            slots = np.concatenate([s for s, _ in parts])
            positions = np.concatenate([p for _, p in parts])
            self.param_groups.append((name, slots, [ids[p] for p in positions.tolist()],
                                      positions))
        self._args, self._n_args = args, n_args
        steps_at = np.flatnonzero(n_args)
        a = args[steps_at, 0]
        b = np.where(n_args[steps_at] == 2, args[steps_at, 1], a)
        self.steps: list[tuple] = list(zip(steps_at.tolist(), _STEP_FN[codes[steps_at]].tolist(),
                                           a.tolist(), b.tolist()))

        self._build_local_groups(port_table, param_table)
        # Edges ordered by target, for the sequential sweeps.
        by_target = np.argsort(self.e_tgt, kind="stable")
        self.fwd_order = by_target
        self.bwd_order = by_target[::-1].copy()
        self._reach_cache: dict[int, tuple] = {}
        self._descend_cache: dict[int, tuple] = {}

    # ------------------------------------------------------------- lookups
    @cached_property
    def ids(self) -> list[str]:
        """Node ids by slot (topological order)."""
        node_ids = self.node_ids
        return [node_ids[p] for p in self.position_of_slot.tolist()]

    @cached_property
    def slot(self) -> dict[str, int]:
        """Node id -> slot."""
        return dict(zip(self.ids, range(self.n_nodes)))

    def slot_of(self, node_id: str) -> int:
        """One node's slot (without building the whole ``slot`` dict on a big graph)."""
        if self._position is not None and "slot" not in self.__dict__:
            return int(self.slot_of_position[self._position[node_id]])
        return self.slot[node_id]

    def id_of(self, slot: int) -> str:
        """The id of the node in one slot."""
        return self.node_ids[int(self.position_of_slot[slot])]

    @cached_property
    def node_ops(self) -> list[str]:
        """Op name by slot."""
        return [OP_NAMES[c] for c in self.op_codes.tolist()]

    def node_args(self, i: int) -> tuple[int, ...]:
        """The slots a node's step reads: port slots, then param slots."""
        return tuple(self._args[i, :self._n_args[i]].tolist())

    @cached_property
    def edges(self) -> list[tuple[str, str, int]]:
        """Edges as (source, target, port), edge (file) order."""
        ids = self.node_ids
        src, tgt = self.edge_positions
        return [(ids[s], ids[t], p) for s, t, p in
                zip(src.tolist(), tgt.tolist(), self.e_port.tolist())]

    @cached_property
    def edge_index(self) -> dict[tuple[str, str, int], int]:
        """Edge -> its place in file order (built on first use)."""
        return {e: k for k, e in enumerate(self.edges)}

    def _build_local_groups(self, port_table: np.ndarray, param_table: np.ndarray) -> None:
        """Edges grouped by (op, port), with the slots their derivative needs.

        Groups come in the order of their first edge, members in edge order.
        """
        width = _MAX_PORTS + 1
        key = self.op_codes[self.e_tgt] * width + self.e_port
        present, first = np.unique(key, return_index=True)
        self.local_groups = []
        for k in present[np.argsort(first, kind="stable")].tolist():
            op = _OPS[k // width]
            port = k % width
            idx = np.flatnonzero(key == k)
            targets = self.e_tgt[idx]
            port_slots = tuple(port_table[targets, j] for j in range(op.ports))
            param_slots = tuple(param_table[targets, j] for j in range(len(op.params)))
            self.local_groups.append((op.derivatives[port], idx, targets, port_slots, param_slots))

    # ------------------------------------------------------------------ reach
    def edges_reaching(self, out_slot: int) -> tuple[list, list, list, np.ndarray]:
        """Backward sweep over the edges whose target reaches the output.

        Only those edges carry gradient; skipping the rest keeps 0 · inf from
        turning a node that cannot affect the output into nan.
        """
        cached = self._reach_cache.get(out_slot)
        if cached is None and self._only_sink() == out_slot:
            # Every node of a DAG reaches a sink: with one sink, every edge is kept.
            reach_arr = np.zeros(self.n_slots, dtype=bool)
            reach_arr[: self.n_nodes] = True
            cached = (np.asarray(self.bwd_order, dtype=np.intp), reach_arr)
            self._reach_cache[out_slot] = cached
        if cached is None:
            reach = bytearray(self.n_slots)
            reach[out_slot] = 1
            order = self.bwd_order.tolist()
            src, tgt = self.e_src.tolist(), self.e_tgt.tolist()
            kept = []
            for k in order:
                if reach[tgt[k]]:
                    reach[src[k]] = 1
                    kept.append(k)
            kept_arr = np.asarray(kept, dtype=np.intp)
            cached = (kept_arr, np.frombuffer(bytes(reach), dtype=np.uint8).astype(bool))
            self._reach_cache[out_slot] = cached
        kept_arr, reach_arr = cached  # kept compact; the sweep wants plain lists
        return (self.e_src[kept_arr].tolist(), self.e_tgt[kept_arr].tolist(), kept_arr,
                reach_arr)

    def _only_sink(self) -> int | None:
        """The slot of the graph's only sink, or None when it has several."""
        sinks = np.flatnonzero(np.bincount(self.e_src, minlength=self.n_nodes) == 0)
        return int(sinks[0]) if len(sinks) == 1 else None

    def edges_from(self, in_slot: int) -> tuple[list, list, np.ndarray, np.ndarray]:
        """Forward sweep over the edges whose source is reached from one input."""
        cached = self._descend_cache.get(in_slot)
        if cached is None:
            seen = bytearray(self.n_slots)
            seen[in_slot] = 1
            src, tgt = self.e_src.tolist(), self.e_tgt.tolist()
            kept = []
            for k in self.fwd_order.tolist():
                if seen[src[k]]:
                    seen[tgt[k]] = 1
                    kept.append(k)
            kept_arr = np.asarray(kept, dtype=np.intp)
            cached = (kept_arr, np.frombuffer(bytes(seen), dtype=np.uint8).astype(bool))
            self._descend_cache[in_slot] = cached
        kept_arr, seen_arr = cached
        return (self.e_src[kept_arr].tolist(), self.e_tgt[kept_arr].tolist(), kept_arr,
                seen_arr)


def topological_order(graph) -> list[str]:
    """Node ids in the order a plan runs them: Kahn's algorithm, iterative, ties
    broken by node order and then edge order (see columns.kahn), so results are stable."""
    cols = graph.columns()
    order = kahn(len(cols.ids), cols.src, cols.tgt)
    if len(order) != len(cols.ids):
        raise cycle_error(cols.ids, order)
    return [cols.ids[i] for i in order]
