"""The sum over paths: dJ/dx as the sum, over every path x → J, of the product
of the local derivatives along it (colah's "Calculus on Computational Graphs").

Paths are counted by dynamic programming over the topological order, without
listing them (a lattice of 60 layers has 2^60 paths); listing stops at a cap.
Everything is iterative, so graphs of any depth are fine. Edges are keyed by
port, so a node wired into both ports of another (a·a) gives two paths.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gradstudio.core.errors import GraphError
from gradstudio.core.model import Edge
from gradstudio.core.passes import Evaluation

DEFAULT_CAP = 200


@dataclass(frozen=True)
class PathTerm:
    """One path x → J: its wires, their local derivatives and their product."""

    start: str  # x (the whole path when x is the output itself)
    edges: tuple[Edge, ...]
    locals: tuple[float, ...]
    product: float

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.start, *(e[1] for e in self.edges))


@dataclass(frozen=True)
class PathSum:
    input: str
    output: str
    paths: tuple[PathTerm, ...]  # the first ``cap`` paths, in wire order
    count: int  # every path x → J, counted exactly
    listed_sum: float  # the sum of the listed products
    total: float  # the sum over every path (by dynamic programming)
    grad: float  # dJ/dx from the backward pass
    agrees: bool  # total equals grad (to rounding)

    @property
    def complete(self) -> bool:
        return len(self.paths) == self.count


def close(a: float, b: float) -> bool:
    if not (math.isfinite(a) and math.isfinite(b)):
        return a == b or (math.isnan(a) and math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def sum_over_paths(model, input_id: str, output: str | None = None, cap: int = DEFAULT_CAP,
                   evaluation: Evaluation | None = None) -> PathSum:
    """Every path from an input to the output, with its product, up to ``cap`` listed.

    ``evaluation`` (current, backward done) is reused when given; otherwise the
    passes run here. Raises GraphError for an unknown node or a graph that cannot
    be evaluated.
    """
    if input_id not in model.graph:
        raise GraphError(f"no node {input_id!r}")
    if model.node_data(input_id)["op"] != "input":
        raise GraphError(f"{model.label(input_id)!r} is not an input: pick an input node")
    ev = evaluation
    wanted = model.resolve_output(output)
    if ev is None or not ev.is_current() or ev.node_grads is None or ev.output != wanted:
        ev = Evaluation(model).backward(wanted)
    plan = ev.plan
    out = ev.output
    in_slot, out_slot = plan.slot[input_id], plan.slot[out]

    # The wires on some path x → J: from a node below x to a node that reaches J.
    src_all, tgt_all, kept, _seen = plan.edges_from(in_slot)  # in topological order
    reaches = plan.edges_reaching(out_slot)[3]
    local_all = ev.edge_locals[kept].tolist()
    count = [0] * len(plan.ids)  # exact path counts (Python ints never overflow)
    total = [0.0] * len(plan.ids)  # sum of products, forward mode restricted to paths
    count[in_slot] = 1
    total[in_slot] = 1.0
    on_path: list[int] = []  # indices into the plan's edges
    for s, t, k, l in zip(src_all, tgt_all, kept.tolist(), local_all):
        if reaches[t] and count[s]:
            count[t] += count[s]
            total[t] += total[s] * l
            on_path.append(k)

    # Out-wires of each node on a path, in file order, for listing.
    out_wires: dict[int, list[int]] = {}
    for k in sorted(on_path):
        out_wires.setdefault(int(plan.e_src[k]), []).append(k)
    paths = _list_paths(plan, ev, in_slot, out_slot, out_wires, cap) if count[out_slot] else []

    listed = math.fsum(p.product for p in paths) if paths else 0.0
    grad = ev.grad(input_id)
    all_paths = float(total[out_slot]) if count[out_slot] else 0.0
    if input_id == out:
        all_paths = 1.0
    return PathSum(input_id, out, tuple(paths), count[out_slot], listed, all_paths,
                   grad, close(all_paths, grad))


def _list_paths(plan, ev, in_slot: int, out_slot: int, out_wires: dict, cap: int) -> list:
    """Depth first, with an explicit stack; every branch taken reaches J, so no dead ends."""
    edges, locals_ = plan.edges, ev.edge_locals
    tgt = plan.e_tgt
    found: list[PathTerm] = []
    start = plan.ids[in_slot]
    if in_slot == out_slot:
        return [PathTerm(start, (), (), 1.0)]
    trail: list[int] = []  # the wires of the current path
    stack = [(in_slot, 0)]  # (node slot, next out-wire to try)
    while stack and len(found) < cap:
        node, i = stack[-1]
        if node == out_slot:
            ls = tuple(float(locals_[k]) for k in trail)
            product = 1.0
            for l in ls:
                product *= l
            found.append(PathTerm(start, tuple(edges[k] for k in trail), ls, product))
            stack.pop()
            if trail:
                trail.pop()
            continue
        wires = out_wires.get(node, ())
        if i >= len(wires):
            stack.pop()
            if trail:
                trail.pop()
            continue
        stack[-1] = (node, i + 1)
        k = wires[i]
        trail.append(k)
        stack.append((int(tgt[k]), 0))
    return found
