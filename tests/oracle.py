"""The scalar reference evaluator (gradstudio/core/reference.py) as the oracle for the plan.

``assert_matches_reference(model, result)`` checks every number of a fast Evaluation
(node values, local derivatives, edge and node gradients, tangents) and the problems it
names against the reference. ``fast_numbers_of_json`` reads the same numbers from an
``eval --json`` document, so the CLI's output can be checked end to end.

The two compute with different libraries (numpy and math) and sum in different orders,
so they may differ in the last bits, and an ill-conditioned node (cos of 5e23, a ReLU
at an input that is 0 give or take rounding) turns such bits into anything. So each
number's tolerance is an error bound carried through the graph: what its inputs'
errors can do to it (the op evaluated at the corners of its inputs' error boxes), plus
REL of itself for its own rounding (and ABS for a local derivative: the plan's σ′ keeps
absolute, not relative, digits in the far tails). On a well-conditioned graph that is
a relative tolerance of about 1e-13. A non-finite number must be of the reference's
kind (nan, inf or -inf) unless its inputs' error boxes already reach another kind.
"""

from __future__ import annotations

import itertools
import math

from gradstudio.core.ops import OPS
from gradstudio.core.reference import RULES, Reference, evaluate_reference

REL = 1e-13  # a few hundred ulps per operation
ABS = 1e-15  # a local derivative's absolute floor
UNSURE = math.inf  # an error bound that allows any number
LOST = 1e-6  # a spread this big (relative, or absolute below 1): corners say nothing more


def kind(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return "finite"


def _spread(center: float, others) -> float:
    """How far ``others`` stray from ``center``; UNSURE if one is of another kind, or
    if they stray so far that the op need not be monotone between them (cos of 5e23)."""
    k = kind(center)
    worst = 0.0
    for x in others:
        if kind(x) != k:
            return UNSURE
        if k == "finite":
            worst = max(worst, abs(x - center))
    return UNSURE if worst > LOST * max(1.0, abs(center)) else worst


def _error(center: float, others, floor: float = 0.0) -> float:
    spread = _spread(center, others)
    if kind(center) != "finite":
        return spread  # 0: the kind is certain, or UNSURE
    return spread + REL * abs(center) + floor


def _corners(xs, errors):
    return itertools.product(*[(x - e, x, x + e) for x, e in zip(xs, errors)])


def error_bounds(model, ref: Reference) -> dict:
    """Per node and per edge: how far the plan's number may be from the reference's."""
    into: dict[str, dict[int, tuple]] = {n: {} for n in ref.order}
    for edge in model.edges():
        into[edge[1]][edge[2]] = edge
    value_err: dict[str, float] = {}
    local_err: dict[tuple, float] = {}
    for n in ref.order:
        data = model.node_data(n)
        op = OPS[data["op"]]
        if op.name == "input":
            value_err[n] = 0.0
            continue
        wires = [into[n][p] for p in range(op.ports)]
        xs = [ref.values[u] for u, _, _ in wires]
        errors = [value_err[u] for u, _, _ in wires]
        if UNSURE in errors:
            value_err[n] = UNSURE
            local_err.update(dict.fromkeys(wires, UNSURE))
            continue
        ks = tuple(float(data[name]) for name in op.param_names)
        around = [RULES[op.name](c, ks) for c in _corners(xs, errors)]
        value_err[n] = _error(ref.values[n], [y for y, _ in around])
        for p, edge in enumerate(wires):
            local_err[edge] = _error(ref.locals[edge], [d[p] for _, d in around], ABS)

    def product_error(a, a_err, b, b_err, center):
        if UNSURE in (a_err, b_err):
            return UNSURE
        return _error(center, [x * y for x, y in _corners((a, b), (a_err, b_err))])

    def sum_error(terms) -> float:  # terms: (number, its error)
        errors = [e for _, e in terms]
        if UNSURE in errors:
            return UNSURE
        if not all(math.isfinite(x) for x, _ in terms):
            return 0.0  # the kind of the sum is fixed by the terms' certain kinds
        return sum(errors) + REL * sum(abs(x) for x, _ in terms)

    grad_err = dict.fromkeys(ref.order, 0.0)
    edge_grad_err = dict.fromkeys(model.edges(), 0.0)
    incoming: dict[str, list] = {n: [] for n in ref.order}  # gradient terms
    for v in reversed(ref.order if ref.grads is not None else ()):
        if v not in ref.reaches:
            continue
        if incoming[v]:
            grad_err[v] = sum_error(incoming[v])
        for edge in into[v].values():
            e = product_error(ref.grads[v], grad_err[v], ref.locals[edge], local_err[edge],
                              ref.edge_grads[edge])
            edge_grad_err[edge] = e
            incoming[edge[0]].append((ref.edge_grads[edge], e))

    tangent_err = None
    if ref.tangents is not None:
        tangent_err = dict.fromkeys(ref.order, 0.0)
        reached = {ref.tangent_input}
        for v in ref.order:
            terms = []
            for edge in into[v].values():
                u = edge[0]
                if u in reached:
                    terms.append((ref.locals[edge] * ref.tangents[u],
                                  product_error(ref.locals[edge], local_err[edge],
                                                ref.tangents[u], tangent_err[u],
                                                ref.locals[edge] * ref.tangents[u])))
            if terms:
                reached.add(v)
                tangent_err[v] = sum_error(terms)
    return {"value": value_err, "local": local_err, "grad": grad_err,
            "edge_grad": edge_grad_err, "tangent": tangent_err}


def agrees(fast: float, ref: float, error: float) -> bool:
    if not error <= UNSURE or error == UNSURE:  # nan or inf: anything goes
        return True
    if kind(ref) != "finite":
        return kind(fast) == kind(ref)
    # 2·error: a corner need not be where an op strays farthest (sin near its peak)
    return kind(fast) == "finite" and abs(fast - ref) <= 2 * error


def fast_numbers(model, result) -> dict:
    """A fast Evaluation's numbers, keyed as the reference keys them."""
    edges = model.edges()
    numbers = {"value": {n: result.value(n) for n in model.nodes()},
               "local": {e: result.edge(*e).local for e in edges},
               "problems": list(result.problems), "output": result.output}
    if result.node_grads is not None:
        numbers["grad"] = {n: result.grad(n) for n in model.nodes()}
        numbers["edge_grad"] = {e: result.edge(*e).grad for e in edges}
    if result.node_tangents is not None:
        numbers["tangent"] = {n: result.node_tangent(n) for n in model.nodes()}
    return numbers


def fast_numbers_of_json(doc: dict) -> dict:
    """The numbers of an ``eval --json`` document (strings "inf", "-inf", "nan" read back)."""
    nodes, edges = doc["nodes"], doc["edges"]
    keys = [(e["from"], e["to"], e["port"]) for e in edges]
    numbers = {"value": {n: float(x["value"]) for n, x in nodes.items()},
               "grad": {n: float(x["grad"]) for n, x in nodes.items()},
               "local": {k: float(e["local"]) for k, e in zip(keys, edges)},
               "edge_grad": {k: float(e["grad"]) for k, e in zip(keys, edges)},
               "output": doc["output"]}
    if nodes and "tangent" in next(iter(nodes.values())):
        numbers["tangent"] = {n: float(x["tangent"]) for n, x in nodes.items()}
    return numbers


def assert_numbers_match(model, numbers: dict, ref: Reference) -> int:
    """Every number in ``numbers`` (see fast_numbers) within its bound of the reference's;
    returns how many were compared."""
    bounds = error_bounds(model, ref)
    assert numbers["output"] == ref.output
    if "problems" in numbers:
        assert sorted(numbers["problems"]) == sorted(ref.problems)
    expected = {"value": ref.values, "local": ref.locals}
    if ref.grads is not None:
        expected.update(grad=ref.grads, edge_grad=ref.edge_grads)
    if ref.tangents is not None:
        expected["tangent"] = ref.tangents
    assert set(expected) == set(numbers) - {"problems", "output"}
    compared = 0
    for what, reference in expected.items():
        fast = numbers[what]
        assert set(fast) == set(reference), what
        for key, want in reference.items():
            got = fast[key]
            assert agrees(got, want, bounds[what][key]), (
                f"{what} of {key}: plan {got!r}, reference {want!r}, "
                f"allowed ±{2 * bounds[what][key]:.3g}")
            compared += 1
    return compared


def assert_matches_reference(model, result) -> int:
    """A fast Evaluation (forward, maybe backward and a tangent) against the reference."""
    ref = evaluate_reference(model, result.output, backward=result.output is not None,
                             tangent=result.tangent_input)
    return assert_numbers_match(model, fast_numbers(model, result), ref)
