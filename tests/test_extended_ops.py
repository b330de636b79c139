"""The extended ops against central differences, and their domain problems.

Every expected number here is computed in this file, independently of
gradstudio.core.ops: the forward functions are written again with ``math`` and
the derivatives are central differences of those, so a wrong registry entry
cannot agree with itself.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from gradstudio.core import GraphModel, evaluate, fileformat

H = 1e-6


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


# name -> (independent forward, params, points to test at)
UNARY = {
    "exp": (math.exp, {}, [-2.0, 0.0, 0.7, 3.0]),
    "log": (math.log, {}, [0.1, 1.0, 2.5, 40.0]),
    "tanh": (math.tanh, {}, [-2.0, 0.0, 0.3, 1.5]),
    "sigmoid": (_sigmoid, {}, [-4.0, 0.0, 0.5, 3.0]),
    "relu": (lambda x: max(x, 0.0), {}, [-2.0, -0.5, 0.5, 3.0]),
    "sin": (math.sin, {}, [-2.0, 0.0, 1.0, 3.0]),
    "cos": (math.cos, {}, [-2.0, 0.0, 1.0, 3.0]),
    "power": (lambda x: x ** 3, {"exponent": 3}, [-2.0, -0.5, 0.5, 2.0]),
    "power_half": (lambda x: x ** 0.5, {"exponent": 0.5}, [0.25, 1.0, 4.0]),
    "power_neg": (lambda x: x ** -2, {"exponent": -2}, [-3.0, 0.5, 2.0]),
    "scale": (lambda x: -1.5 * x, {"factor": -1.5}, [-1.0, 2.0]),
}
BINARY = {
    "subtract": (lambda a, b: a - b, [(5.0, 3.0), (-1.0, 2.5)]),
    "divide": (lambda a, b: a / b, [(5.0, 3.0), (-1.0, 2.5), (2.0, -0.25)]),
    "add": (lambda a, b: a + b, [(5.0, 3.0)]),
    "multiply": (lambda a, b: a * b, [(5.0, 3.0)]),
}


def central(f, x, h=H):
    h = h * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


def unary_model(op, x, params):
    model = GraphModel()
    model.add_node("x", "input", params={"value": x})
    op_name = op.split("_")[0]
    model.add_node("y", op_name, params=params)
    model.connect("x", "y", 0)
    return model


@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary_op_value_local_and_gradient_match_central_differences(op):
    f, params, points = UNARY[op]
    for x in points:
        model = unary_model(op, x, params)
        r = evaluate(model)
        assert r.value("y") == pytest.approx(f(x), rel=1e-12, abs=1e-12), (op, x)
        expected = central(f, x)
        assert r.edge("x", "y", 0).local == pytest.approx(expected, rel=1e-6, abs=1e-7), (op, x)
        assert r.grad("x") == pytest.approx(expected, rel=1e-6, abs=1e-7), (op, x)
        assert not r.problems


@pytest.mark.parametrize("op", sorted(BINARY))
def test_binary_op_locals_match_central_differences_port_by_port(op):
    f, points = BINARY[op]
    for a, b in points:
        model = GraphModel()
        model.add_node("a", "input", params={"value": a})
        model.add_node("b", "input", params={"value": b})
        model.add_node("y", op)
        model.connect("a", "y", 0)
        model.connect("b", "y", 1)
        r = evaluate(model)
        assert r.value("y") == pytest.approx(f(a, b), rel=1e-12)
        d0 = central(lambda t: f(t, b), a)
        d1 = central(lambda t: f(a, t), b)
        assert r.edge("a", "y", 0).local == pytest.approx(d0, rel=1e-6)
        assert r.edge("b", "y", 1).local == pytest.approx(d1, rel=1e-6)
        assert r.grad("a") == pytest.approx(d0, rel=1e-6)
        assert r.grad("b") == pytest.approx(d1, rel=1e-6)


def test_a_chain_of_every_extended_op_matches_a_central_difference():
    # c = cos(4·sin(relu(tanh(σ(log(exp(x)² / (x − k))))))) at x = 1.7, k = 0.3,
    # built node by node, against the whole formula nudged.
    def formula(x):
        t = math.exp(x) ** 2
        t = t / (x - 0.3)
        t = math.log(t)
        t = _sigmoid(t)
        t = math.tanh(t)
        t = max(t, 0.0)
        t = math.sin(t)
        return math.cos(4 * t)

    model = GraphModel()
    model.add_node("x", "input", params={"value": 1.7})
    model.add_node("k", "input", params={"value": 0.3})
    chain = [("e", "exp", {}), ("p", "power", {"exponent": 2})]
    prev = "x"
    for node_id, op, params in chain:
        model.add_node(node_id, op, params=params)
        model.connect(prev, node_id, 0)
        prev = node_id
    model.add_node("s", "subtract")
    model.connect("x", "s", 0)
    model.connect("k", "s", 1)
    model.add_node("d", "divide")
    model.connect("p", "d", 0)
    model.connect("s", "d", 1)
    prev = "d"
    for node_id, op, params in [("l", "log", {}), ("g", "sigmoid", {}), ("t", "tanh", {}),
                                ("r", "relu", {}), ("si", "sin", {}),
                                ("m", "scale", {"factor": 4}), ("c", "cos", {})]:
        model.add_node(node_id, op, params=params)
        model.connect(prev, node_id, 0)
        prev = node_id
    r = evaluate(model)
    assert r.output == "c"
    assert r.value("c") == pytest.approx(formula(1.7), rel=1e-12)
    assert r.grad("x") == pytest.approx(central(formula, 1.7), rel=1e-6)
    assert r.grad("k") == pytest.approx(
        central(formula_k, 0.3), rel=1e-6)


def formula_k(k, x=1.7):
    t = math.exp(x) ** 2 / (x - k)
    t = max(math.tanh(_sigmoid(math.log(t))), 0.0)
    return math.cos(4 * math.sin(t))


# ---------------------------------------------------------------- both ports
def both_ports(op, x):
    model = GraphModel()
    model.add_node("x", "input", params={"value": x})
    model.add_node("y", op)
    model.connect("x", "y", 0)
    model.connect("x", "y", 1)
    return model


def test_one_node_into_both_ports_of_subtract_gives_locals_1_and_minus_1():
    model = both_ports("subtract", 4.0)
    r = evaluate(model)
    assert r.value("y") == 0
    assert r.edge("x", "y", 0).local == 1
    assert r.edge("x", "y", 1).local == -1
    assert r.edge("x", "y", 0).grad == 1
    assert r.edge("x", "y", 1).grad == -1
    assert r.grad("x") == 0  # x − x does not change with x
    assert r.grad("x") == pytest.approx(central(lambda t: t - t, 4.0), abs=1e-9)


@pytest.mark.parametrize("x", [4.0, -0.5, 3e-3])
def test_one_node_into_both_ports_of_divide_gives_locals_1_over_x_and_minus_1_over_x(x):
    model = both_ports("divide", x)
    r = evaluate(model)
    assert r.value("y") == 1
    assert r.edge("x", "y", 0).local == pytest.approx(1 / x, rel=1e-12)
    assert r.edge("x", "y", 1).local == pytest.approx(-1 / x, rel=1e-12)
    assert r.grad("x") == pytest.approx(0, abs=1e-9 / abs(x))


def test_both_ports_of_power_free_ops_sum_like_the_product_rule():
    # x·x at 3: locals 3 and 3, grad 6; x + x: locals 1 and 1, grad 2.
    r = evaluate(both_ports("multiply", 3.0))
    assert (r.edge("x", "y", 0).local, r.edge("x", "y", 1).local, r.grad("x")) == (3, 3, 6)
    r = evaluate(both_ports("add", 3.0))
    assert (r.edge("x", "y", 0).local, r.edge("x", "y", 1).local, r.grad("x")) == (1, 1, 2)


# ----------------------------------------------------------- domain problems
def problem_graph(op, x0, x1=None, params=None):
    """x0 (and x1) into op, then J = 2·op, so the gradient passes through."""
    model = GraphModel()
    model.add_node("x0", "input", params={"value": x0})
    model.add_node("n", op, params=params or {})
    model.connect("x0", "n", 0)
    if x1 is not None:
        model.add_node("x1", "input", params={"value": x1})
        model.connect("x1", "n", 1)
    model.add_node("J", "scale", params={"factor": 2})
    model.connect("n", "J", 0)
    return model


DOMAIN = [
    # op, x0, x1, params, value of n, problem text, non-finite grads expected
    ("log", 0.0, None, {}, -math.inf, "log of a number ≤ 0", ["x0"]),
    ("log", -2.0, None, {}, math.nan, "log of a number ≤ 0", ["x0"]),
    ("divide", 1.0, 0.0, {}, math.inf, "division by zero", ["x0", "x1"]),
    ("divide", -1.0, 0.0, {}, -math.inf, "division by zero", ["x0", "x1"]),
    ("divide", 0.0, 0.0, {}, math.nan, "division by zero", ["x0", "x1"]),
    ("power", 0.0, None, {"exponent": -1}, math.inf, "0 to a negative power", ["x0"]),
    ("power", -8.0, None, {"exponent": 0.5}, math.nan,
     "negative number to a fractional power", ["x0"]),
    ("exp", 1000.0, None, {}, math.inf, "overflow", ["x0"]),
]


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("op,x0,x1,params,value,reason,bad", DOMAIN)
def test_domain_problems_never_raise_are_named_and_give_non_finite_gradients(
        op, x0, x1, params, value, reason, bad):
    model = problem_graph(op, x0, x1, params)
    r = evaluate(model)  # must not raise
    assert same(r.value("n"), value), r.value("n")
    assert r.problems == {"n": reason}
    assert r.first_problem == "n"
    assert not math.isfinite(r.value("J"))
    assert r.grad("J") == 1 and r.grad("n") == 2  # above the problem: still finite
    for node_id in bad:
        assert not math.isfinite(r.grad(node_id)), (node_id, r.grad(node_id))
    assert r.gradient_problem() is not None


def test_log_of_a_negative_number_has_a_nan_local_derivative_not_1_over_x():
    r = evaluate(problem_graph("log", -2.0))
    assert math.isnan(r.edge("x0", "n", 0).local)
    assert math.isnan(r.grad("x0"))


@pytest.mark.parametrize("exponent", [0.5, 1.5, 2.5, -0.5])
def test_minus_infinity_to_a_fractional_power_is_nan_value_and_local(exponent):
    """log 0 = −inf, then a fractional power: no real number, so nan for the value and
    the local derivative alike (C's pow gave inf for 1.5, numpy's square root nan for 0.5)."""
    model = GraphModel()
    model.add_node("x", "input", params={"value": 0.0})
    model.add_node("l", "log")
    model.add_node("p", "power", params={"exponent": exponent})
    model.connect("x", "l", 0)
    model.connect("l", "p", 0)
    r = evaluate(model)
    assert r.value("l") == -math.inf
    assert math.isnan(r.value("p")) and math.isnan(r.edge("l", "p", 0).local)
    assert r.problems == {"l": "log of a number ≤ 0"}  # p's input was already broken


def test_a_problem_is_named_where_it_starts_not_downstream():
    model = problem_graph("log", 0.0)
    model.add_node("e", "exp")
    model.connect("J", "e", 0)
    r = evaluate(model)
    assert list(r.problems) == ["n"]


def run_eval(path, *args):
    return subprocess.run([sys.executable, "-m", "gradstudio", "eval", str(path), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.mark.parametrize("op,x0,x1,params,value,reason,bad", DOMAIN)
def test_eval_warns_on_stderr_and_writes_non_finite_numbers_as_strings(
        tmp_path, op, x0, x1, params, value, reason, bad):
    path = tmp_path / "g.json"
    fileformat.save(problem_graph(op, x0, x1, params), path)
    r = run_eval(path, "--json")
    assert r.returncode == 0, r.stderr
    assert "warning" in r.stderr and "'n'" in r.stderr and reason in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

    def refuse(name):
        raise AssertionError(f"{name} is not strict JSON")
    doc = json.loads(r.stdout, parse_constant=refuse)
    expected = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    assert doc["nodes"]["n"]["value"] == expected
    for node_id in bad:
        assert doc["nodes"][node_id]["grad"] in ("inf", "-inf", "nan")
    table = run_eval(path)
    assert table.returncode == 0 and reason in table.stderr
