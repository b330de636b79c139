"""The scalar reference evaluator (core/reference.py), and the plan checked against it.

First the reference itself: numbers worked by hand (the course notes' J = 3(a + b·c),
colah's fan-out, a·a), central differences of its own forward values, the design's
rules for unreached nodes and non-finite numbers. Then the fast plan against the
reference (tests/oracle.py): on every example, every formula the suite builds, and
random graphs of every op.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_example
from gradstudio.core import GraphModel, evaluate, fileformat
from gradstudio.core.errors import GraphError
from gradstudio.core.formula import build
from gradstudio.core.ops import OPS
from gradstudio.core.reference import evaluate_reference
from oracle import assert_matches_reference

FORMULAS = (
    "J = 3*(a + b*c), a=5, b=3, c=2",
    "e = (a+b)*(b+1), a=2, b=1",
    "J = tanh(w1*x1 + w2*x2 + b), w1=0.5, x1=-1.5, w2=2, x2=0.25, b=0.1",
    "J = a*a, a=-1.25",
    "L = log(sigmoid(w1*x1 + w2*x2 + b)), w1=0.3, x1=2, w2=-1, x2=0.5, b=0.2",
    "y = sin(x)*cos(x) + x**2, x=0.7",
    "J = (a-b)/(a+b), a=3, b=1.5",
    "J = relu(a*b - c) + exp(a), a=1.5, b=2, c=1",
    "J = x*exp(x), x=-0.4",
    "J = (x+1)*(x+2)*(x+3), x=0.5",
    "L = (y - tanh(w2*tanh(w1*x + b1) + b2))**2, y=1, w1=0.4, x=1.5, b1=-0.2, w2=1.3, b2=0.1",
    "J = x**0.5 + x**-2 + x**3, x=1.7",
)


def chain(values=(5.0, 3.0, 2.0)) -> GraphModel:
    """J = 3(a + b·c), built node by node."""
    model = GraphModel()
    for name, x in zip("abc", values):
        model.add_node(name, "input", params={"value": x})
    model.add_node("u", "multiply")
    model.add_node("v", "add")
    model.add_node("J", "scale", params={"factor": 3})
    for edge in (("b", "u", 0), ("c", "u", 1), ("a", "v", 0), ("u", "v", 1), ("v", "J", 0)):
        model.connect(*edge)
    return model


def reference_output(model, output, input_id, x) -> float:
    model.set_param(input_id, "value", x)
    return evaluate_reference(model, output).values[output]


# ------------------------------------------------------------- the reference
def test_the_course_notes_chain_rule_by_hand():
    ref = evaluate_reference(chain())
    assert ref.output == "J"
    assert ref.values == {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "J": 33}
    assert ref.grads == {"a": 3, "b": 6, "c": 9, "u": 3, "v": 3, "J": 1}
    assert ref.locals == {("b", "u", 0): 2, ("c", "u", 1): 3, ("a", "v", 0): 1,
                          ("u", "v", 1): 1, ("v", "J", 0): 3}
    assert ref.edge_grads == {("b", "u", 0): 6, ("c", "u", 1): 9, ("a", "v", 0): 3,
                              ("u", "v", 1): 3, ("v", "J", 0): 3}
    assert ref.problems == [] and ref.reaches == set("abcuvJ")
    # The notes' nudge: a = 5 → 5.001 makes J = 33.003.
    assert reference_output(chain(), "J", "a", 5.001) == pytest.approx(33.003, abs=1e-12)


def test_a_times_a_is_two_edges_whose_grads_sum():
    model = GraphModel()
    model.add_node("a", "input", params={"value": -1.5})
    model.add_node("J", "multiply")
    model.connect("a", "J", 0)
    model.connect("a", "J", 1)
    ref = evaluate_reference(model)
    assert ref.values["J"] == 2.25
    assert ref.locals == {("a", "J", 0): -1.5, ("a", "J", 1): -1.5}
    assert ref.edge_grads == {("a", "J", 0): -1.5, ("a", "J", 1): -1.5}
    assert ref.grads["a"] == -3.0  # d(a²)/da = 2a


def test_fan_out_sums_over_paths_and_tangent_is_forward_mode():
    # colah: e = (a+b)(b+1) at a=2, b=1: de/da = 2, de/db = 1·2 + 1·3 = 5
    model = load_example("colah_paths")
    ref = evaluate_reference(model, tangent="b")
    assert ref.values["e"] == 6
    assert ref.grads["a"] == 2 and ref.grads["b"] == 5
    assert sorted(g for (u, _, _), g in ref.edge_grads.items() if u == "b") == [2, 3]
    assert ref.tangents["e"] == 5 and ref.tangents["a"] == 0 and ref.tangents["b"] == 1


@pytest.mark.parametrize("formula", FORMULAS)
def test_gradients_are_central_differences_of_the_forward_values(formula):
    model = build(formula)
    ref = evaluate_reference(model)
    for node_id in model.inputs():
        x = ref.values[node_id]
        h = 1e-6 * max(1.0, abs(x))
        numeric = (reference_output(model, ref.output, node_id, x + h)
                   - reference_output(model, ref.output, node_id, x - h)) / (2 * h)
        model.set_param(node_id, "value", x)
        assert ref.grads[node_id] == pytest.approx(numeric, rel=1e-6, abs=1e-8), node_id
        # forward mode from the input lands on the same number at the output
        tangent = evaluate_reference(model, tangent=node_id).tangents[ref.output]
        assert tangent == pytest.approx(ref.grads[node_id], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("op", sorted(set(OPS) - {"input"}))
def test_each_local_derivative_is_a_central_difference(op):
    """Every op at a point inside its domain: each port's local derivative is the
    slope of the op's own value along that port."""
    spec = OPS[op]
    model = GraphModel()
    for p, x in enumerate((0.7, 1.9)[:spec.ports]):
        model.add_node(f"x{p}", "input", params={"value": x})
    params = {"exponent": 2.5} if op == "power" else {}
    model.add_node("y", op, params=params)
    for p in range(spec.ports):
        model.connect(f"x{p}", "y", p)
    ref = evaluate_reference(model)
    for p in range(spec.ports):
        x = ref.values[f"x{p}"]
        numeric = (reference_output(model, "y", f"x{p}", x + 1e-6)
                   - reference_output(model, "y", f"x{p}", x - 1e-6)) / 2e-6
        model.set_param(f"x{p}", "value", x)
        assert ref.locals[(f"x{p}", "y", p)] == pytest.approx(numeric, rel=1e-7), p


def test_unreached_nodes_get_zero_and_problems_are_named_where_they_start():
    model = fileformat.loads(json.dumps({
        "format": "gradstudio", "version": 1, "output": "J",
        "nodes": [{"id": "z", "op": "input", "value": 0}, {"id": "a", "op": "input", "value": 2},
                  {"id": "l", "op": "log"}, {"id": "side", "op": "multiply"},
                  {"id": "q", "op": "divide"}, {"id": "J", "op": "scale", "factor": 3},
                  {"id": "p", "op": "power", "exponent": 1.5}],
        "edges": [{"from": "z", "to": "l", "port": 0}, {"from": "l", "to": "side", "port": 0},
                  {"from": "a", "to": "side", "port": 1}, {"from": "z", "to": "q", "port": 0},
                  {"from": "z", "to": "q", "port": 1}, {"from": "a", "to": "J", "port": 0},
                  {"from": "l", "to": "p", "port": 0}]}))
    ref = evaluate_reference(model)
    assert ref.values["l"] == -math.inf and math.isnan(ref.values["q"])
    assert math.isnan(ref.values["p"])  # (−inf)^1.5: no real power
    assert ref.locals[("z", "l", 0)] == math.inf  # 1/0
    assert ref.problems == ["l", "q"]  # p's input was already -inf
    assert ref.reaches == {"a", "J"}
    # z feeds log 0 with local inf, but does not reach J: 0, not 0·inf = nan
    assert ref.grads == {"z": 0, "a": 3, "l": 0, "side": 0, "q": 0, "J": 1, "p": 0}
    assert all(g == 0 for (u, v, _), g in ref.edge_grads.items() if v != "J")


def test_forward_only_needs_no_output():
    model = build("J = a*b + a, a=2, b=3")
    model.add_node("k", "sin")
    model.connect("a", "k", 0)  # a second sink, and no output chosen
    model.set_output(None)
    ref = evaluate_reference(model, backward=False)
    assert ref.values["J"] == 8 and ref.values["k"] == math.sin(2)
    assert ref.output is None and ref.grads is None
    with pytest.raises(GraphError):
        evaluate_reference(model)
    assert assert_matches_reference(model, evaluate(model, backward=False)) > 0


def test_refuses_what_the_plan_refuses():
    model = chain()
    model.disconnect("J", 0)
    with pytest.raises(GraphError):
        evaluate_reference(model, "J")
    with pytest.raises(GraphError):
        evaluate_reference(GraphModel())
    with pytest.raises(GraphError):
        evaluate_reference(chain(), tangent="u")


def test_the_reference_uses_neither_the_plan_nor_the_passes():
    code = ("import sys; import gradstudio.core.reference; "
            "print(sorted(m for m in sys.modules if m.startswith('gradstudio')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert "gradstudio.core.plan" not in loaded and "gradstudio.core.passes" not in loaded
    assert "gradstudio.core.reference" in loaded


# ------------------------------------------------------ the plan as checked
def test_the_plan_matches_the_reference_on_every_example(example_name):
    model = load_example(example_name)
    assert assert_matches_reference(model, evaluate(model)) >= 3 * len(model.nodes())
    for input_id in model.inputs():
        assert_matches_reference(model, evaluate(model, tangent=input_id))


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_plan_matches_the_reference_on_formula_graphs(formula):
    model = build(formula)
    assert_matches_reference(model, evaluate(model, tangent=model.inputs()[0]))
    for node_id in model.nodes():  # every node as the output, reached or not
        if model.node_data(node_id)["op"] != "input":
            assert_matches_reference(model, evaluate(model, node_id))


def test_the_plan_matches_the_reference_where_numbers_break():
    """0, −0, 1/0, 0/0, log 0, (−inf)^1.5, exp overflow: the same kinds of non-finite
    numbers, and the same nodes named as where the problems start."""
    model = build("J = log(a) + a/b + exp(exp(c)) + (log(b))**1.5 + b**-1 + sin(exp(c)), "
                  "a=0, b=-0.0, c=7")
    result = evaluate(model)
    assert result.problems and not math.isfinite(result.value("J"))
    assert assert_matches_reference(model, result) > 0


# Values that make the awkward cases: zeros of both signs, integers, small floats.
VALUES = st.one_of(st.floats(-3, 3), st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5]))
EXPONENTS = st.one_of(st.sampled_from([2.0, 3.0, -1.0, -2.0, 0.5, 1.5, 0.0]), st.floats(-3, 3))
OP_NAMES = sorted(set(OPS) - {"input"})


@st.composite
def any_op_graphs(draw):
    """A random file over every op: fan-out, a node wired into both ports, maybe an
    output that leaves some nodes unreached."""
    nodes, edges, ids = [], [], []
    for i in range(draw(st.integers(1, 4))):
        nodes.append({"id": f"x{i}", "op": "input", "value": draw(VALUES)})
        ids.append(f"x{i}")
    for i in range(draw(st.integers(1, 16))):
        op = draw(st.sampled_from(OP_NAMES))
        node = {"id": f"n{i}", "op": op}
        if op == "scale":
            node["factor"] = draw(VALUES)
        elif op == "power":
            node["exponent"] = draw(EXPONENTS)
        pick = st.one_of(st.sampled_from(ids), st.sampled_from(ids[-3:]))
        sources = [draw(pick) for _ in range(OPS[op].ports)]
        if len(sources) == 2 and draw(st.integers(0, 4)) == 0:
            sources[1] = sources[0]
        edges += [{"from": s, "to": node["id"], "port": p} for p, s in enumerate(sources)]
        nodes.append(node)
        ids.append(node["id"])
    output = draw(st.sampled_from([n["id"] for n in nodes if n["op"] != "input"]))
    doc = {"format": "gradstudio", "version": 1, "output": output, "nodes": nodes,
           "edges": edges}
    return json.dumps(doc), draw(st.sampled_from([n["id"] for n in nodes if n["op"] == "input"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_op_graphs())
def test_the_plan_matches_the_reference_on_random_graphs_of_every_op(case):
    text, tangent_input = case
    model = fileformat.loads(text)
    assert_matches_reference(model, evaluate(model, tangent=tangent_input))
