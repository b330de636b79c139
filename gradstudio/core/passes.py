"""Forward, backward and tangent passes over a compiled plan.

The sequential parts (node values, node gradients, node tangents) are tight
loops over flat lists; everything per edge that does not depend on order
(edge values, local derivatives, edge gradients) is computed with numpy.
Nothing accumulates across passes: every pass starts from fresh arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gradstudio.core.columns import INPUT_CODE, OP_NAMES
from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS


@dataclass(frozen=True)
class EdgeNumbers:
    value: float
    local: float
    grad: float | None
    tangent: float | None


def forward_values(model, overrides: dict[str, float] | None = None) -> list[float]:
    """Every slot's value (nodes in topological order, then params).

    ``overrides`` replaces some inputs' values without touching the model, for
    finite differences and the nudge check.
    """
    plan = model.plan()
    filled = np.zeros(plan.n_slots, dtype=float)
    for name, slots, ids, positions in plan.param_groups:  # input values, then params
        filled[slots] = model.param_values(name, ids, positions)
    val = filled.tolist()
    del filled
    for node_id, x in (overrides or {}).items():
        i = plan.slot_of(node_id) if node_id in model else None
        if i is not None and plan.op_codes[i] == INPUT_CODE:
            val[i] = float(x)
    with np.errstate(all="ignore"):
        for i, fn, a, b in plan.steps:
            val[i] = fn(val[a], val[b])
    return val


class Evaluation:
    """The numbers of one state of a graph: forward always, backward/tangent on request."""

    def __init__(self, model) -> None:
        self.model = model
        self.revision = model.revision
        self.plan = plan = model.plan()
        self.slot_values = np.array(forward_values(model), dtype=float)
        self.edge_values = self.slot_values[plan.e_src]
        self.edge_locals = self._locals()
        self.problems: dict[str, str] = {}
        self.first_problem: str | None = None
        self._find_problems()
        self.output: str | None = None
        self.node_grads: np.ndarray | None = None
        self.edge_grads: np.ndarray | None = None
        self.tangent_input: str | None = None
        self.node_tangents: np.ndarray | None = None
        self.edge_tangents: np.ndarray | None = None

    def _locals(self) -> np.ndarray:
        plan, vals = self.plan, self.slot_values
        local = np.empty(plan.n_edges, dtype=float)
        with np.errstate(all="ignore"):
            for derivative, idx, targets, port_slots, param_slots in plan.local_groups:
                xs = tuple(vals[s] for s in port_slots)
                ps = tuple(vals[s] for s in param_slots)
                local[idx] = derivative(xs, vals[targets], ps)
        return local

    def _find_problems(self) -> None:
        """Name the nodes where inf/nan first appears (their inputs were all finite)."""
        plan, vals = self.plan, self.slot_values
        bad = np.flatnonzero(~np.isfinite(vals[: plan.n_nodes]))
        for i in bad.tolist():  # slots are topological, so the first origin comes first
            args = plan.node_args(i)
            xs = [float(vals[s]) for s in args]
            if not all(math.isfinite(x) for x in xs):
                continue
            op = OPS[OP_NAMES[plan.op_codes[i]]]
            n_ports = op.ports
            reason = op.problem(tuple(xs[:n_ports]), tuple(xs[n_ports:]))
            if reason is None:
                reason = "overflow" if math.isinf(vals[i]) else "not a number"
            node_id = plan.id_of(i)
            self.problems[node_id] = reason
            if self.first_problem is None:
                self.first_problem = node_id

    # ----------------------------------------------------------------- passes
    def backward(self, output: str | None = None) -> "Evaluation":
        """Gradients of the output with respect to every node and along every edge."""
        out = self.model.resolve_output(output)
        plan = self.plan
        out_slot = plan.slot_of(out)
        src, tgt, kept, reaches = plan.edges_reaching(out_slot)
        grad = [0.0] * plan.n_nodes
        grad[out_slot] = 1.0
        local = self.edge_locals[kept].tolist()
        for s, t, l in zip(src, tgt, local):
            grad[s] += grad[t] * l
        node_grads = np.array(grad, dtype=float)
        edge_grads = np.zeros(plan.n_edges, dtype=float)
        with np.errstate(all="ignore"):
            edge_grads[kept] = node_grads[plan.e_tgt[kept]] * self.edge_locals[kept]
        self.output, self.node_grads, self.edge_grads = out, node_grads, edge_grads
        self.reaches_output = reaches
        return self

    def tangent(self, input_id: str) -> "Evaluation":
        """Forward mode: d(node)/d(input) for every node, local·tangent along every edge."""
        model, plan = self.model, self.plan
        if input_id not in model:
            raise GraphError(f"no node {input_id!r} to take the tangent from")
        if model.node_data(input_id)["op"] != "input":
            raise GraphError(f"tangent: {input_id!r} is not an input node")
        in_slot = plan.slot_of(input_id)
        src, tgt, kept, _seen = plan.edges_from(in_slot)
        tan = [0.0] * plan.n_nodes
        tan[in_slot] = 1.0
        local = self.edge_locals[kept].tolist()
        for s, t, l in zip(src, tgt, local):
            tan[t] += l * tan[s]
        node_tangents = np.array(tan, dtype=float)
        edge_tangents = np.zeros(plan.n_edges, dtype=float)
        with np.errstate(all="ignore"):
            edge_tangents[kept] = self.edge_locals[kept] * node_tangents[plan.e_src[kept]]
        self.tangent_input, self.node_tangents, self.edge_tangents = (
            input_id, node_tangents, edge_tangents)
        return self

    # ---------------------------------------------------------------- reading
    def is_current(self) -> bool:
        return self.revision == self.model.revision

    def value(self, node_id: str) -> float:
        return float(self.slot_values[self.plan.slot_of(node_id)])

    def grad(self, node_id: str) -> float | None:
        if self.node_grads is None:
            return None
        return float(self.node_grads[self.plan.slot_of(node_id)])

    def node_tangent(self, node_id: str) -> float | None:
        if self.node_tangents is None:
            return None
        return float(self.node_tangents[self.plan.slot_of(node_id)])

    def edge(self, source: str, target: str, port: int) -> EdgeNumbers:
        k = self.plan.edge_index[(source, target, port)]
        grad = None if self.edge_grads is None else float(self.edge_grads[k])
        tangent = None if self.edge_tangents is None else float(self.edge_tangents[k])
        return EdgeNumbers(float(self.edge_values[k]), float(self.edge_locals[k]), grad, tangent)

    def gradient_problem(self) -> str | None:
        """The node nearest the output whose gradient is not finite, if any."""
        if self.node_grads is None:
            return None
        bad = np.flatnonzero(~np.isfinite(self.node_grads))
        return self.plan.id_of(int(bad[-1])) if len(bad) else None


def evaluate(model, output: str | None = None, *, backward: bool = True,
             tangent: str | None = None) -> Evaluation:
    """Forward, then backward from the output (and forward mode from ``tangent``)."""
    result = Evaluation(model)
    if backward:
        result.backward(output)
    if tangent is not None:
        result.tangent(tangent)
    return result
