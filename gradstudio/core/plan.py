"""Compiling a graph into a flat, index-based plan that the passes run.

A plan belongs to one structure of the graph (nodes, ops, wiring). Values and
params are read from the model at every forward pass, so editing a number does
not recompile. Slots are topological positions; params get slots after the
nodes, so that every step is ``val[i] = fn(val[a], val[b])``.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS


def _unary(fn):
    return lambda a, _unused: fn(a)


class Plan:
    """The compiled program of one graph structure."""

    def __init__(self, model) -> None:
        self.structure_revision = model.structure_revision
        model.check_complete()
        graph = model.graph
        if graph.number_of_nodes() == 0:
            raise GraphError("the graph is empty")
        self.ids: list[str] = topological_order(model)
        slot = {node_id: i for i, node_id in enumerate(self.ids)}
        self.slot = slot
        n_nodes = len(self.ids)
        node_data = graph.nodes

        self.input_slots: list[tuple[int, str]] = []
        self.param_slots: list[tuple[int, str, str]] = []
        self.steps: list[tuple] = []
        self.node_ops: list[str] = []
        self.node_args: list[tuple[int, ...]] = []  # port slots, then param slots
        next_slot = n_nodes
        for i, node_id in enumerate(self.ids):
            data = node_data[node_id]
            op = OPS[data["op"]]
            self.node_ops.append(op.name)
            if op.name == "input":
                self.input_slots.append((i, node_id))
                self.node_args.append(())
                continue
            ports = tuple(slot[model._sources[(node_id, p)]] for p in range(op.ports))
            params = []
            for name in op.param_names:
                self.param_slots.append((next_slot, node_id, name))
                params.append(next_slot)
                next_slot += 1
            args = ports + tuple(params)
            self.node_args.append(args)
            if len(args) == 2:
                self.steps.append((i, op.forward, args[0], args[1]))
            elif len(args) == 1:
                self.steps.append((i, _unary(op.forward), args[0], args[0]))
            else:  # pragma: no cover - no such op yet; keeps the registry open
                raise GraphError(f"op {op.name} takes {len(args)} arguments; plans handle 1 or 2")
        self.n_slots = next_slot

        edges = model.edges()
        self.edges = edges
        self.edge_index = {e: k for k, e in enumerate(edges)}
        self.e_src = np.fromiter((slot[u] for u, _, _ in edges), dtype=np.intp, count=len(edges))
        self.e_tgt = np.fromiter((slot[v] for _, v, _ in edges), dtype=np.intp, count=len(edges))
        self.e_port = np.fromiter((p for _, _, p in edges), dtype=np.intp, count=len(edges))
        self._build_local_groups()
        # Edges ordered by target, for the sequential sweeps.
        by_target = np.argsort(self.e_tgt, kind="stable")
        self.fwd_order = by_target
        self.bwd_order = by_target[::-1].copy()
        self._reach_cache: dict[int, tuple] = {}
        self._descend_cache: dict[int, tuple] = {}

    def _build_local_groups(self) -> None:
        """Edges grouped by (op, port), with the slots their derivative needs."""
        groups: dict[tuple[str, int], list[int]] = {}
        ops = self.node_ops
        for k, (t, p) in enumerate(zip(self.e_tgt.tolist(), self.e_port.tolist())):
            groups.setdefault((ops[t], p), []).append(k)
        self.local_groups = []
        for (op_name, port), members in groups.items():
            op = OPS[op_name]
            idx = np.asarray(members, dtype=np.intp)
            targets = self.e_tgt[idx]
            args = np.asarray([self.node_args[t] for t in targets.tolist()], dtype=np.intp)
            port_slots = tuple(args[:, j] for j in range(op.ports))
            param_slots = tuple(args[:, op.ports + j] for j in range(len(op.params)))
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
            cached = ([src[k] for k in kept], [tgt[k] for k in kept], kept_arr,
                      np.frombuffer(bytes(reach), dtype=np.uint8).astype(bool))
            self._reach_cache[out_slot] = cached
        return cached

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
            cached = ([src[k] for k in kept], [tgt[k] for k in kept], kept_arr,
                      np.frombuffer(bytes(seen), dtype=np.uint8).astype(bool))
            self._descend_cache[in_slot] = cached
        return cached


def topological_order(model) -> list[str]:
    """Kahn's algorithm, iterative, ties broken by node order (so results are stable)."""
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
