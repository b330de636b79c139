"""Property tests: on random DAGs, the passes agree with independent evaluators.

The graphs are random DAGs of input/add/multiply/scale with fan-out and a·a
double wiring. The reference numbers come from a tiny evaluator written here
from the node list (no gradstudio code): central differences for gradients,
hand-written local derivatives for the edges; and every number, tangents
included, is also checked against the core's scalar reference evaluator
(tests/oracle.py; random graphs of every op are in test_reference.py).
"""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gradstudio.core import evaluate, fileformat
from oracle import assert_matches_reference

H = 1e-6
RTOL = 1e-4

finite = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_infinity=False)


@st.composite
def random_dags(draw):
    """A graph as a node list in topological order: (id, op, param, source ids)."""
    nodes = []
    for i in range(draw(st.integers(1, 4))):
        nodes.append((f"x{i}", "input", draw(finite), ()))
    for i in range(draw(st.integers(1, 20))):
        op = draw(st.sampled_from(["add", "multiply", "scale"]))
        ids = [n[0] for n in nodes]
        # prefer recent nodes a little, so chains form, but allow any earlier node
        pick = st.one_of(st.sampled_from(ids), st.sampled_from(ids[-3:]))
        if op == "scale":
            nodes.append((f"n{i}", op, draw(finite), (draw(pick),)))
        else:
            first = draw(pick)
            second = first if draw(st.booleans()) and draw(st.booleans()) else draw(pick)
            nodes.append((f"n{i}", op, None, (first, second)))
    used = {s for *_, sources in nodes for s in sources}
    sinks = [n[0] for n in nodes if n[0] not in used]
    if draw(st.booleans()):
        # Sum every sink into one final node: the output is reached from everything.
        total = sinks[0]
        for k, sink in enumerate(sinks[1:]):
            nodes.append((f"sum{k}", "add", None, (total, sink)))
            total = f"sum{k}"
        if total.startswith("x"):  # a lone input: give it something to feed
            nodes.append(("out", "scale", 1.5, (total,)))
            total = "out"
        output, explicit = total, False
    else:
        candidates = [n[0] for n in nodes if n[1] != "input"]
        output, explicit = draw(st.sampled_from(candidates)), True
    return nodes, output, explicit


def reference_values(nodes, override: dict[str, float] | None = None) -> dict[str, float]:
    """Evaluate the node list in order: no recursion, no gradstudio code."""
    values: dict[str, float] = {}
    for node_id, op, param, sources in nodes:
        args = [values[s] for s in sources]
        if op == "input":
            values[node_id] = (override or {}).get(node_id, param)
        elif op == "add":
            values[node_id] = args[0] + args[1]
        elif op == "multiply":
            values[node_id] = args[0] * args[1]
        else:
            values[node_id] = param * args[0]
    return values


def reference_local(op, param, sources, port, values) -> float:
    if op == "add":
        return 1.0
    if op == "multiply":
        return values[sources[1 - port]]
    return param


def to_file(nodes, output, explicit) -> str:
    doc = {"format": "gradstudio", "version": 1, "nodes": [], "edges": []}
    if explicit:
        doc["output"] = output
    for node_id, op, param, sources in nodes:
        entry = {"id": node_id, "op": op}
        if op == "input":
            entry["value"] = param
        elif op == "scale":
            entry["factor"] = param
        doc["nodes"].append(entry)
        for port, source in enumerate(sources):
            doc["edges"].append({"from": source, "to": node_id, "port": port})
    return json.dumps(doc)


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(random_dags())
def test_gradients_agree_with_central_differences(dag):
    nodes, output, explicit = dag
    values = reference_values(nodes)
    scale = max(abs(v) for v in values.values())
    assume(scale <= 1e4)  # keep finite differences meaningful
    # Rounding in a central difference is about eps·scale/h per operation, so the
    # absolute floor follows the size of the numbers (1e-7 for numbers near 1).
    atol = 1e-7 * (1.0 + scale)

    model = fileformat.loads(to_file(nodes, output, explicit))
    result = evaluate(model)
    assert result.output == output
    for node_id, v in values.items():
        assert result.value(node_id) == v  # same operations, same order: bit-identical
    assert_matches_reference(model, result)

    inputs = [n for n in nodes if n[1] == "input"]
    for node_id, _op, x, _ in inputs:
        up = reference_values(nodes, {node_id: x + H})[output]
        down = reference_values(nodes, {node_id: x - H})[output]
        numeric = (up - down) / (2 * H)
        analytic = result.grad(node_id)
        assert abs(analytic - numeric) <= RTOL * max(abs(analytic), abs(numeric)) + atol, (
            node_id, analytic, numeric)
        # forward mode from x lands on the same number at the output
        tangent = result.tangent(node_id).node_tangent(output)
        assert_matches_reference(model, result)  # every node's tangent too
        assert math.isclose(tangent, analytic, rel_tol=1e-9, abs_tol=1e-12 * (1.0 + scale)), (
            node_id, tangent, analytic)

    # Every edge: value of its source, hand-written local, grad = grad(target)·local,
    # and every node's grad is the sum of its outgoing edge grads.
    by_id = {n[0]: n for n in nodes}
    out_sum: dict[str, list[float]] = {n[0]: [] for n in nodes}
    for source, target, port in model.edges():
        _, op, param, sources = by_id[target]
        assert sources[port] == source
        numbers = result.edge(source, target, port)
        assert numbers.value == values[source]
        assert numbers.local == reference_local(op, param, sources, port, values)
        assert numbers.grad == result.grad(target) * numbers.local
        out_sum[source].append(numbers.grad)
    for node_id, grads in out_sum.items():
        expected = 1.0 if node_id == output else math.fsum(grads)
        assert math.isclose(result.grad(node_id), expected, rel_tol=1e-12, abs_tol=1e-12 * (1 + scale))


@settings(max_examples=40, deadline=None)
@given(random_dags())
def test_a_second_backward_gives_the_same_numbers(dag):
    nodes, output, explicit = dag
    model = fileformat.loads(to_file(nodes, output, explicit))
    result = evaluate(model)
    first = [result.grad(n[0]) for n in nodes]
    edges_first = [result.edge(*e).grad for e in model.edges()]
    result.backward()
    again = evaluate(model)
    for r in (result, again):
        assert [r.grad(n[0]) for n in nodes] == first
        assert [r.edge(*e).grad for e in model.edges()] == edges_first
    assert_matches_reference(model, again)
