"""Compiling a graph into a flat, index-based plan that the passes run.

A plan belongs to one structure of the graph (nodes, ops, wiring). Values and
params are read from the model at every forward pass, so editing a number does
not recompile. Slots are topological positions; params get slots after the
nodes, so that every step is ``val[i] = fn(val[a], val[b])``.
"""

from __future__ import annotations

from collections import deque
from functools import cached_property

import numpy as np

from gradstudio.core.bulk import paused_gc
from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS


def _unary(fn):
    return lambda a, _unused: fn(a)


class Plan:
    """The compiled program of one graph structure."""

    def __init__(self, model) -> None:
        with paused_gc():
            self._compile(model)

    def _compile(self, model) -> None:
        self.structure_revision = model.structure_revision
        model.check_complete()
        graph = model.graph
        if graph.number_of_nodes() == 0:
            raise GraphError("the graph is empty")
        self.ids: list[str] = topological_order(model)
        slot = dict(zip(self.ids, range(len(self.ids))))
        self.slot = slot
        n_nodes = len(self.ids)
        node_data = graph._node  # the plain dict behind graph.nodes

        edges = model.edges()
        self.edges = edges
        n_edges = len(edges)
        sources, targets, ports = zip(*edges) if edges else ((), (), ())
        self.e_src = np.fromiter(map(slot.__getitem__, sources), dtype=np.intp, count=n_edges)
        self.e_tgt = np.fromiter(map(slot.__getitem__, targets), dtype=np.intp, count=n_edges)
        self.e_port = np.fromiter(ports, dtype=np.intp, count=n_edges)
        del sources, targets, ports
        max_ports = max((op.ports for op in OPS.values()), default=0)
        # port_src[i][p]: the slot feeding port p of the node in slot i
        port_table = np.zeros((n_nodes, max(max_ports, 1)), dtype=np.intp)
        port_table[self.e_tgt, self.e_port] = self.e_src
        port_src = port_table.tolist()

        self.input_slots: list[tuple[int, str]] = []
        self.param_slots: list[tuple[int, str, str]] = []
        self.steps: list[tuple] = []
        self.node_ops: list[str] = []
        self.node_args: list[tuple[int, ...]] = []  # port slots, then param slots
        compiled = {name: (op.ports, op.param_names, op.forward, _unary(op.forward))
                    for name, op in OPS.items()}
        input_slots, param_slots, steps = self.input_slots, self.param_slots, self.steps
        node_ops, node_args = self.node_ops, self.node_args
        param_rows: list[tuple[int, int, int]] = []  # (node slot, param index, param slot)
        next_slot = n_nodes
        for i, node_id in enumerate(self.ids):
            op_name = node_data[node_id]["op"]
            node_ops.append(op_name)
            if op_name == "input":
                input_slots.append((i, node_id))
                node_args.append(())
                continue
            n_ports, param_names, forward, unary = compiled[op_name]
            args = tuple(port_src[i][:n_ports])
            for j, name in enumerate(param_names):
                param_slots.append((next_slot, node_id, name))
                param_rows.append((i, j, next_slot))
                args += (next_slot,)
                next_slot += 1
            node_args.append(args)
            if len(args) == 2:
                steps.append((i, forward, args[0], args[1]))
            elif len(args) == 1:
                steps.append((i, unary, args[0], args[0]))
            else:  # pragma: no cover - no such op yet; keeps the registry open
                raise GraphError(f"op {op_name} takes {len(args)} arguments; plans handle 1 or 2")
        self.n_slots = next_slot
        max_params = max((len(op.params) for op in OPS.values()), default=0)
        param_table = np.zeros((n_nodes, max(max_params, 1)), dtype=np.intp)
        if param_rows:
            rows = np.array(param_rows, dtype=np.intp)
            param_table[rows[:, 0], rows[:, 1]] = rows[:, 2]
        del port_src, param_rows

        self._build_local_groups(port_table, param_table)
        # Edges ordered by target, for the sequential sweeps.
        by_target = np.argsort(self.e_tgt, kind="stable")
        self.fwd_order = by_target
        self.bwd_order = by_target[::-1].copy()
        self._reach_cache: dict[int, tuple] = {}
        self._descend_cache: dict[int, tuple] = {}

    @cached_property
    def edge_index(self) -> dict[tuple[str, str, int], int]:
        """Edge -> its place in file order (built on first use)."""
        return {e: k for k, e in enumerate(self.edges)}

    def _build_local_groups(self, port_table: np.ndarray, param_table: np.ndarray) -> None:
        """Edges grouped by (op, port), with the slots their derivative needs.

        Groups come in the order of their first edge, members in edge order.
        """
        names = list(OPS)
        code = {name: c for c, name in enumerate(names)}
        op_code = np.fromiter(map(code.__getitem__, self.node_ops), dtype=np.intp,
                              count=len(self.node_ops))
        width = max((op.ports for op in OPS.values()), default=0) + 1
        key = op_code[self.e_tgt] * width + self.e_port
        present, first = np.unique(key, return_index=True)
        self.local_groups = []
        for k in present[np.argsort(first, kind="stable")].tolist():
            op = OPS[names[k // width]]
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


def remember_topological_order(model, order: list[str]) -> None:
    """Keep an order the loader already worked out, for the model's first plan.

    It must be exactly what ``topological_order`` would give (see bulk.py); it
    is forgotten as soon as the structure changes.
    """
    model._topological_order = (model.structure_revision, model.graph, order)


def topological_order(model) -> list[str]:
    """Kahn's algorithm, iterative, ties broken by node order (so results are stable)."""
    remembered = getattr(model, "_topological_order", None)
    if remembered is not None:
        revision, graph, order = remembered
        if revision == model.structure_revision and graph is model.graph:
            return order
        model._topological_order = None
    graph = model.graph
    indegree = {n: 0 for n in graph.nodes}
    for (target, _port) in model._sources:
        indegree[target] += 1
    succ = graph._succ
    ready = deque(n for n, d in indegree.items() if d == 0)
    order = []
    while ready:
        n = ready.popleft()
        order.append(n)
        for v, keys in succ[n].items():
            indegree[v] -= len(keys)
            if indegree[v] == 0:
                ready.append(v)
    if len(order) != len(indegree):
        left = [n for n, d in indegree.items() if d > 0]
        raise GraphError("the graph has a cycle through " + ", ".join(repr(n) for n in left[:8]))
    return order
