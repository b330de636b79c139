"""Formula entry: formula → graph → eval equals the numbers worked by hand."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from gradstudio.core import evaluate, fileformat
from gradstudio.core.errors import GraphError
from gradstudio.core.formula import build
from gradstudio.core.formulaparse import parse_setting
from gradstudio.core.layout import overlapping


def ops(model):
    return {n: model.node_data(n)["op"] for n in model.nodes()}


def test_course_notes_formula_gives_33_and_gradients_3_6_9():
    model = build("J = 3*(a + b*c), a=5, b=3, c=2")
    # u = b·c, v = a + u, J = 3·v: the course notes' own names.
    assert ops(model) == {"a": "input", "b": "input", "c": "input", "u": "multiply",
                          "v": "add", "J": "scale"}
    assert model.param("J", "factor") == 3
    assert model.edges() == [("b", "u", 0), ("c", "u", 1), ("a", "v", 0), ("u", "v", 1),
                             ("v", "J", 0)]
    assert model.output == "J" and model.label("J") == "J"
    r = evaluate(model)
    assert r.value("J") == 33 and r.value("u") == 6 and r.value("v") == 11
    assert {n: r.grad(n) for n in "abc"} == {"a": 3, "b": 6, "c": 9}


def test_colah_formula_fans_b_out_and_sums_its_paths():
    model = build("e = (a+b)*(b+1), a=2, b=1")
    r = evaluate(model)
    assert r.value("e") == 6
    assert r.grad("a") == 2
    assert r.grad("b") == 5  # 1·2 + 1·3
    assert len(model.out_edges("b")) == 2
    # the 1 is an input node labelled "1"
    ones = [n for n in model.inputs() if model.label(n) == "1"]
    assert len(ones) == 1 and model.param(ones[0], "value") == 1


def test_a_times_a_wires_one_node_into_both_ports():
    model = build("J = a*a, a=3")
    assert model.edges() == [("a", "J", 0), ("a", "J", 1)]
    r = evaluate(model)
    assert r.value("J") == 9 and r.grad("a") == 6


def test_numbers_times_expressions_are_scale_nodes_on_either_side():
    for text in ("J = 2*a", "J = a*2", "J = 2.5*(a+b)", "J = (a+b)*2.5"):
        model = build(text)
        top = model.node_data("J")
        assert top["op"] == "scale", text
    assert build("J = 2*3*a").param("J", "factor") == 6  # constant parts are folded
    assert build("J = -a").param("J", "factor") == -1


def test_power_with_a_number_exponent_is_a_power_node():
    model = build("J = x**2, x=3")
    assert ops(model)["J"] == "power" and model.param("J", "exponent") == 2
    assert evaluate(model).grad("x") == 6
    assert build("J = x ** (1/2)").param("J", "exponent") == 0.5
    assert build("J = x ** -1").param("J", "exponent") == -1


def test_every_function_builds_its_node_and_matches_math():
    x = 0.7
    cases = {"exp": math.exp, "log": math.log, "tanh": math.tanh,
             "sigmoid": lambda t: 1 / (1 + math.exp(-t)), "σ": lambda t: 1 / (1 + math.exp(-t)),
             "relu": lambda t: max(t, 0), "sin": math.sin, "cos": math.cos}
    for name, f in cases.items():
        model = build(f"y = {name}(x), x={x}")
        assert evaluate(model).value("y") == pytest.approx(f(x), rel=1e-12), name
    assert ops(build("y = sigmoid(x)"))["y"] == "sigmoid"
    assert ops(build("y = σ(x)"))["y"] == "sigmoid"


def test_subtract_and_divide_and_unicode_signs():
    model = build("y = (a − b) ÷ c, a=7, b=1, c=2")
    assert ops(model)["u"] == "subtract" and ops(model)["y"] == "divide"
    r = evaluate(model)
    assert r.value("y") == 3 and r.grad("c") == pytest.approx(-1.5)
    assert build("y = a × b · c").nodes() == ["a", "b", "u", "c", "y"]


def test_logistic_loss_formula_matches_the_hand_derivative():
    model = build("L = -log(sigmoid(w1*x1 + w2*x2 + b)), w1=0.5, x1=2, w2=-1, x2=1, b=0.25")
    z = 0.5 * 2 - 1 * 1 + 0.25
    a = 1 / (1 + math.exp(-z))
    r = evaluate(model)
    assert r.value("L") == pytest.approx(-math.log(a))
    # dL/dz = a - 1, dL/dw1 = (a - 1)·x1
    assert r.grad("b") == pytest.approx(a - 1)
    assert r.grad("w1") == pytest.approx((a - 1) * 2)


def test_defaults_are_1_and_values_passed_override_the_text():
    model = build("J = a*b, a=5", {"b": 4})
    assert model.param("a", "value") == 5 and model.param("b", "value") == 4
    model = build("J = a*b, a=5", {"a": 2})
    assert model.param("a", "value") == 2
    assert build("J = a*b").param("b", "value") == 1


def test_without_a_left_hand_side_the_output_is_called_f():
    model = build("a*b + c")
    assert model.output == "f" and model.label("f") == "f"


def test_a_formula_graph_is_laid_out_left_to_right_without_overlaps():
    model = build("L = -log(sigmoid(w1*x1 + w2*x2 + b))")
    pos = {n: model.position(n) for n in model.nodes()}
    assert all(p is not None for p in pos.values())
    assert not overlapping(pos)
    for u, v, _p in model.edges():
        assert pos[u][0] < pos[v][0]  # every wire goes right
    assert fileformat.loads(fileformat.dumps(model)).nodes() == model.nodes()


@pytest.mark.parametrize("text,column,words", [
    ("J = 3*(a + b", 7, "never closed"),
    ("J = 3*(a + ) + b", 12, ""),
    ("J = a ^ 2", 7, "**"),
    ("J = a // b", 7, "'//'"),
    ("J = foo(a)", 5, "unknown function foo"),
    ("J = a**b", 8, "exponent must be a number"),
    ("J = a*b, d=3", 10, "'d' is not a name"),
    ("J = a*b, a=x", 12, "must be a number"),
    ("J = a", 5, "just the input"),
    ("J = 2*3", 5, "no names"),
    ("J = exp", 5, "exp is a function"),
    ("J = exp(a, b)", 5, "exactly one argument"),
    ("J = a + J", 9, "cannot also be an input"),
    ("J = a < b", 7, "comparison"),
    ("J = log(0)*a", 5, "no finite value"),
    ("(J, K) = a", 1, "left-hand side"),
    ("J = K = a", 1, "left-hand side"),
    ("J = a; K = b", 6, "one formula only"),
    ("J = a*b,", 9, "nothing here"),
    ("J = σ(é) % b", 10, "'%'"),
])
def test_bad_formulas_are_refused_with_the_column(text, column, words):
    with pytest.raises(GraphError) as info:
        build(text)
    message = str(info.value)
    assert message.startswith(f"formula: column {column}: "), message
    assert words in message
    assert "\n" not in message


def test_empty_formula_and_bad_settings():
    with pytest.raises(GraphError, match="empty"):
        build("   ")
    with pytest.raises(GraphError, match="not a name in the formula"):
        build("J = a*b", {"z": 1})
    assert parse_setting("a=5") == ("a", 5.0)
    assert parse_setting(" w1 = -2.5e-1 ") == ("w1", -0.25)
    for bad in ("a5", "a=", "=5", "a=five", "a=nan", "1a=2"):
        with pytest.raises(GraphError):
            parse_setting(bad)


# ---------------------------------------------------------------- command line
def run(*args):
    return subprocess.run([sys.executable, "-m", "gradstudio", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_cli_new_writes_a_laid_out_v1_file_that_eval_reads(tmp_path):
    out = tmp_path / "j.json"
    r = run("new", "--formula", "J = 3*(a + b*c)", "--set", "a=5", "b=3", "c=2", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "gradstudio" and doc["version"] == 1 and doc["output"] == "J"
    assert all("x" in n and "y" in n for n in doc["nodes"])
    assert {n["id"]: n.get("label") for n in doc["nodes"]}["b"] == "b"
    e = run("eval", str(out), "--json")
    assert e.returncode == 0, e.stderr
    nodes = json.loads(e.stdout)["nodes"]
    assert nodes["J"] == {"value": 33, "grad": 1}
    assert {n: nodes[n]["grad"] for n in "abc"} == {"a": 3, "b": 6, "c": 9}


def test_cli_new_values_in_the_formula_and_commas_in_set(tmp_path):
    out = tmp_path / "e.json"
    r = run("new", "--formula", "e = (a+b)*(b+1), a=2", "--set", "b=1,a=2", "-o", str(out))
    assert r.returncode == 0, r.stderr
    r = evaluate(fileformat.load(out))
    assert r.value("e") == 6 and r.grad("b") == 5


@pytest.mark.parametrize("args,words", [
    (["--formula", "J = 3*(a + b", "-o", "OUT"], "formula: column 7:"),
    (["--formula", "J = a*b", "--set", "a5", "-o", "OUT"], "--set:"),
    (["--formula", "J = a*b", "--set", "z=1", "-o", "OUT"], "'z' is not a name"),
    (["--formula", "J = a*b"], "required"),
    (["-o", "OUT"], "required"),
    (["--formula", "J = a*b", "-o", "NOFOLDER/x.json"], "cannot save"),
])
def test_cli_new_refuses_bad_input_with_exit_2_and_one_line(tmp_path, args, words):
    args = [a.replace("OUT", str(tmp_path / "o.json")).replace("NOFOLDER", str(tmp_path / "no"))
            for a in args]
    r = run("new", *args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o.json").exists()
