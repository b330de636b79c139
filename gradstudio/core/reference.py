"""A scalar reference evaluator: design.md's semantics in plain Python floats.

Micrograd-sized and written apart from the fast path (plan.py and passes.py, and
the numpy derivatives in ops.py): a topological order, then each node's value
and the partial derivatives of its op taken from the math, then the gradients in
reverse order. The tests use it as the oracle for the numpy plan; the app and
``gradstudio eval`` never run it. Only the op table's metadata (port counts,
param names) is shared.

Floats follow IEEE rules where plain Python would raise: 1/0 is inf, log 0 is
-inf, exp(1000) is inf, log(-1) and sin(inf) are nan. Semantics kept as the app
shows them: a node that does not reach the output has gradient 0 and so do the
edges into it (nothing flows there, so 0 · inf never turns it into nan); a node
the tangent's input does not reach has tangent 0, likewise.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS

Edge = tuple[str, str, int]
INF, NAN = math.inf, math.nan


# ------------------------------------------------------ IEEE float arithmetic
def _div(a: float, b: float) -> float:
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return NAN
    return math.copysign(INF, a) * math.copysign(1.0, b)


def _odd_integer(k: float) -> bool:
    return math.isfinite(k) and k.is_integer() and int(k) % 2 == 1


def _pow(x: float, k: float) -> float:
    """x^k: nan for a negative x (−inf too) and a fractional k, where no real power
    exists; x^0.5 is IEEE's square root (√−0 = −0); otherwise as C's pow."""
    if x < 0 and not k.is_integer():
        return NAN
    if k == 0.5:
        return math.sqrt(x)
    try:
        return math.pow(x, k)
    except OverflowError:  # too big: the sign is x's only for an odd integer power
        return -INF if x < 0 and _odd_integer(k) else INF
    except ValueError:  # 0 to a negative power
        return math.copysign(INF, x) if _odd_integer(k) else INF


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _log(x: float) -> float:
    if x == 0:
        return -INF
    return math.log(x) if x > 0 else NAN  # nan stays nan (x > 0 is False)


def _periodic(fn, x: float) -> float:
    return fn(x) if math.isfinite(x) else NAN


def _logistic(x: float) -> float:
    """1 / (1 + e^-x), without exp ever overflowing."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = _exp(x)  # also nan for nan
    return z / (1.0 + z)


# ------------------------------------------------------------------ the ops
# Each op: (port values xs, param values ks) -> (its value, ∂value/∂xs[p] per port).
def _add(xs, ks):
    return xs[0] + xs[1], (1.0, 1.0)


def _multiply(xs, ks):
    return xs[0] * xs[1], (xs[1], xs[0])


def _scale(xs, ks):
    return ks[0] * xs[0], (ks[0],)


def _subtract(xs, ks):
    return xs[0] - xs[1], (1.0, -1.0)


def _divide(xs, ks):
    a, b = xs
    return _div(a, b), (_div(1.0, b), -_div(a, b * b))


def _power(xs, ks):
    x, k = xs[0], ks[0]
    if x < 0 and not k.is_integer():  # judged on k: k − 1 may round to an integer
        return NAN, (NAN,)
    return _pow(x, k), (k * _pow(x, k - 1.0),)


def _exp_op(xs, ks):
    y = _exp(xs[0])
    return y, (y,)


def _log_op(xs, ks):
    x = xs[0]
    return _log(x), (NAN if x < 0 else _div(1.0, x),)


def _tanh(xs, ks):
    y = math.tanh(xs[0])
    return y, (1.0 - y * y,)


def _sigmoid(xs, ks):
    # σ'(x) = σ(x)(1 − σ(x)) = σ(x)σ(−x): the second form keeps its digits for big |x|.
    x = xs[0]
    return _logistic(x), (_logistic(x) * _logistic(-x),)


def _relu(xs, ks):
    x = xs[0]
    if math.isnan(x):
        return NAN, (NAN,)
    return (x, (1.0,)) if x > 0 else (0.0, (0.0,))  # slope 0 at the kink, as designed


def _sin(xs, ks):
    return _periodic(math.sin, xs[0]), (_periodic(math.cos, xs[0]),)


def _cos(xs, ks):
    return _periodic(math.cos, xs[0]), (-_periodic(math.sin, xs[0]),)


RULES = {
    "add": _add, "multiply": _multiply, "scale": _scale, "subtract": _subtract,
    "divide": _divide, "power": _power, "exp": _exp_op, "log": _log_op, "tanh": _tanh,
    "sigmoid": _sigmoid, "relu": _relu, "sin": _sin, "cos": _cos,
}


# ------------------------------------------------------------- the passes
@dataclass
class Reference:
    """Every number of one graph state, by node id and by edge (source, target, port)."""

    output: str | None  # None, and no gradients, when asked for no backward pass
    order: list[str]  # topological
    values: dict[str, float]
    locals: dict[Edge, float]
    problems: list[str]  # nodes whose value is inf/nan from finite inputs, in order
    grads: dict[str, float] | None = None
    edge_grads: dict[Edge, float] | None = None
    reaches: set[str] | None = None  # nodes with a path to the output (it included)
    tangent_input: str | None = None
    tangents: dict[str, float] | None = None


def topological(nodes: list[str], edges: list[Edge]) -> list[str]:
    """Kahn's algorithm; GraphError on a cycle."""
    waiting = dict.fromkeys(nodes, 0)
    after: dict[str, list[str]] = {n: [] for n in nodes}
    for u, v, _port in edges:
        waiting[v] += 1
        after[u].append(v)
    ready = deque(n for n in nodes if waiting[n] == 0)
    order = []
    while ready:
        u = ready.popleft()
        order.append(u)
        for v in after[u]:
            waiting[v] -= 1
            if waiting[v] == 0:
                ready.append(v)
    if len(order) != len(nodes):
        raise GraphError("the graph has a cycle")
    return order


def evaluate_reference(model, output: str | None = None, *, backward: bool = True,
                       tangent: str | None = None) -> Reference:
    """Forward, local derivatives and backward on a GraphModel, one float at a time
    (the arguments as core.evaluate's)."""
    nodes, edges = model.nodes(), model.edges()
    if not nodes:
        raise GraphError("the graph is empty")
    into: dict[str, dict[int, Edge]] = {n: {} for n in nodes}
    for edge in edges:
        into[edge[1]][edge[2]] = edge
    order = topological(nodes, edges)

    values: dict[str, float] = {}
    local: dict[Edge, float] = {}
    problems = []
    for n in order:
        data = model.node_data(n)
        op = OPS[data["op"]]
        if op.name == "input":
            values[n] = float(data["value"])
            continue
        if len(into[n]) != op.ports:
            raise GraphError(f"{op.name} node {n!r} has an unconnected port")
        wires = [into[n][p] for p in range(op.ports)]
        xs = tuple(values[u] for u, _, _ in wires)
        ks = tuple(float(data[name]) for name in op.param_names)
        y, partials = RULES[op.name](xs, ks)
        values[n] = y
        for edge, d in zip(wires, partials):
            local[edge] = d
        if not math.isfinite(y) and all(map(math.isfinite, xs)):
            problems.append(n)

    result = Reference(None, order, values, local, problems)
    if backward:
        _backward(result, model.resolve_output(output), into, edges)
    if tangent is not None:
        result.tangent_input = tangent
        result.tangents = _tangents(model, order, into, local, tangent)
    return result


def _backward(result: Reference, out: str, into, edges) -> None:
    """dJ/d(node) and each edge's share, from the output back."""
    order, local = result.order, result.locals
    reaches = {out}  # nodes with a path to the output
    for n in reversed(order):
        if n in reaches:
            reaches.update(u for u, _, _ in into[n].values())
    grads = dict.fromkeys(order, 0.0)
    grads[out] = 1.0
    edge_grads = dict.fromkeys(edges, 0.0)
    for v in reversed(order):  # a node's grad is complete before it is handed on
        if v not in reaches:
            continue
        for edge in into[v].values():
            g = grads[v] * local[edge]
            edge_grads[edge] = g
            grads[edge[0]] += g
    result.output, result.grads, result.edge_grads, result.reaches = (
        out, grads, edge_grads, reaches)


def _tangents(model, order, into, local, x: str) -> dict[str, float]:
    """Forward mode: d(node)/dx, summed over the wires that x reaches."""
    if x not in model or model.node_data(x)["op"] != "input":
        raise GraphError(f"tangent: {x!r} is not an input node")
    tangents = dict.fromkeys(order, 0.0)
    tangents[x] = 1.0
    reached = {x}
    for v in order:
        for edge in into[v].values():
            if edge[0] in reached:
                reached.add(v)
                tangents[v] += local[edge] * tangents[edge[0]]
    return tangents
