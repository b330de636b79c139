"""Step-through passes (core): order, numbers and the explanation texts."""

from __future__ import annotations

import math

import pytest

from conftest import load_example
from gradstudio.core import GraphModel, evaluate
from gradstudio.core.numbers import parse_number
from gradstudio.core.ops import OPS
from gradstudio.core.steps import PassSteps


def steps_of(name) -> PassSteps:
    return PassSteps(evaluate(load_example(name)))


def texts(steps: PassSteps) -> dict:
    return {(s.kind, s.node): s.text for s in map(steps.step, range(len(steps)))}


def test_chain_rule_steps_in_topological_then_reverse_order():
    steps = steps_of("chain_rule")
    assert steps.forward_nodes == ["u", "v", "J"]
    assert steps.backward_nodes == ["v", "u", "c", "b", "a"]  # every node but the output
    assert len(steps) == 8
    first = steps.step(0)
    assert (first.kind, first.node, first.edges) == ("forward", "u", (("b", "u", 0), ("c", "u", 1)))
    assert first.number == 6 and first.locals == (2.0, 3.0)
    assert first.lines == ("u = b × c = 3 × 2 = 6", "∂u/∂b = c = 2", "∂u/∂c = b = 3")
    assert steps.step(1).lines == ("v = a + u = 5 + 6 = 11", "∂v/∂a = 1", "∂v/∂u = 1")
    assert steps.step(2).lines == ("J = 3 × v = 3 × 11 = 33", "∂J/∂v = 3")


def test_chain_rule_backward_texts_use_labels_and_the_course_numbers():
    t = texts(steps_of("chain_rule"))
    assert t["backward", "b"] == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6"
    assert t["backward", "c"] == "∂J/∂c = ∂J/∂u · ∂u/∂c = 3 × 3 = 9"
    assert t["backward", "v"] == "∂J/∂v = ∂J/∂J · ∂J/∂v = 1 × 3 = 3"
    assert t["backward", "a"] == "∂J/∂a = ∂J/∂v · ∂v/∂a = 3 × 1 = 3"


def test_colah_fan_out_is_the_sum_over_the_wires():
    steps = steps_of("colah_paths")
    b = steps.step(steps.n_forward + steps.backward_nodes.index("b"))
    assert b.lines[0] == ("∂e/∂b = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2 × 1 + 3 × 1"
                          " = 2 + 3 = 5")
    assert b.lines[0].endswith("= 2 + 3 = 5")
    assert "fans out to c and d" in b.lines[1]
    assert b.terms == (2.0, 3.0) and b.number == 5


def test_one_node_in_both_ports_names_each_wire():
    t = texts(steps_of("square"))
    assert t["forward", "sq"] == "u = a × a = 3 × 3 = 9\n∂u/∂a₀ = a = 3\n∂u/∂a₁ = a = 3"
    assert t["backward", "a"].startswith(
        "∂J/∂a = ∂J/∂u · ∂u/∂a₀ + ∂J/∂u · ∂u/∂a₁ = 0.5 × 3 + 0.5 × 3 = 1.5 + 1.5 = 3")
    assert "feeds u through 2 wires" in t["backward", "a"]


def test_reveal_grows_one_node_at_a_time():
    steps = steps_of("chain_rule")
    r0, r1 = steps.reveal(0), steps.reveal(1)
    assert r0.has_value("a") and not r0.has_value("u") and r0.active is None
    assert r1.has_value("u") and not r1.has_value("v")
    assert r1.has_edge_value(("b", "u", 0)) and not r1.has_edge_value(("u", "v", 1))
    assert r1.is_active_node("u") and r1.is_active_edge(("c", "u", 1))
    assert not r1.is_active_edge(("u", "v", 1))
    assert r1.phase == "forward" and not r1.has_grad("J")
    r4 = steps.reveal(4)  # forward done, then the step for v
    assert r4.phase == "backward"
    assert r4.has_grad("J") and r4.has_grad("v") and not r4.has_grad("u")
    assert r4.has_edge_grad(("v", "J", 0)) and not r4.has_edge_grad(("u", "v", 1))
    end = steps.reveal(len(steps))
    assert end.done and all(end.has_grad(n) and end.has_value(n) for n in "abcuvJ")


def test_touched_names_what_one_step_changes():
    steps = steps_of("chain_rule")
    nodes, edges = steps.touched(0, 1)
    assert nodes == {"u"} and edges == {("b", "u", 0), ("c", "u", 1)}
    nodes, edges = steps.touched(2, 1)
    assert nodes == {"u", "v"}
    nodes, _ = steps.touched(3, 4)  # the backward pass starts: the output's 1 appears
    assert nodes == {"J", "v"}
    assert steps.touched(0, 4) is None


def build(op: str, value: float, **params) -> GraphModel:
    m = GraphModel()
    m.add_node("x", "input", params={"value": value})
    ports = OPS[op].ports
    if ports == 2:
        m.add_node("w", "input", params={"value": 2.0})
    m.add_node("y", op, params=params)
    m.connect("x", "y", 0)
    if ports == 2:
        m.connect("w", "y", 1)
    return m


@pytest.mark.parametrize("op", sorted(n for n in OPS if n != "input"))
def test_every_op_steps_with_its_formula_and_numbers(op):
    assert len(OPS[op].local_formulas) == OPS[op].ports, "give the op its local_formulas"
    m = build(op, 0.5)
    ev = evaluate(m)
    steps = PassSteps(ev)
    forward = steps.step(0)
    assert forward.node == "y" and forward.lines[0].startswith("y = ")
    assert forward.lines[0].endswith(f"= {format(ev.value('y'), '.4g')}".replace("-", "−"))
    for edge, line, local in zip(forward.edges, forward.lines[1:], forward.locals):
        assert line.startswith(f"∂y/∂{m.label(edge[0])} = ")
        assert math.isclose(parse_number(line.rsplit("= ", 1)[1]), local, rel_tol=1e-3, abs_tol=1e-4)
    x_step = steps.step(steps.n_forward + steps.backward_nodes.index("x"))
    assert x_step.lines[0].startswith("∂y/∂x = ∂y/∂y · ∂y/∂x = 1 × ")
    assert math.isclose(x_step.number, ev.grad("x"))


def test_symbols_and_negative_numbers_read_well():
    t = texts(PassSteps(evaluate(build("subtract", -1.5))))
    assert t["forward", "y"].splitlines()[0] == "y = x − w = (−1.5) − 2 = −3.5"  # real minus signs
    assert t["forward", "y"].splitlines()[2] == "∂y/∂w = −1"
    t = texts(PassSteps(evaluate(build("power", 3.0, exponent=2))))
    assert t["forward", "y"] == "y = x^2 = 3^2 = 9\n∂y/∂x = 2 · x^(1) = 6"
    t = texts(PassSteps(evaluate(build("tanh", 0.0))))
    assert t["forward", "y"] == "y = tanh(x) = tanh(0) = 0\n∂y/∂x = 1 − y² = 1"


def test_problems_and_nodes_off_the_path_are_said():
    m = build("log", 0.0)
    m.add_node("z", "scale", params={"factor": 2})
    m.connect("x", "z", 0)
    m.set_output("y")
    t = texts(PassSteps(evaluate(m)))
    assert t["forward", "y"].splitlines()[0] == "y = log(x) = log(0) = −inf  (log of a number ≤ 0)"
    assert t["backward", "z"] == "∂y/∂z = 0  (it is the last node)"


def test_needs_backward_done():
    with pytest.raises(ValueError):
        PassSteps(evaluate(load_example("chain_rule"), backward=False))


def test_a_local_formula_names_the_node_and_its_operands_also_squared():
    """tanh's 1 − y² and σ's y · (1 − y) are written with the node's own name (a
    student sees no y on the canvas), divide's x1² with its operand's."""
    t = texts(PassSteps(evaluate(load_example("tanh_neuron"))))
    assert t["forward", "o"].splitlines()[1] == "∂o/∂n = 1 − o² = 0.5"
    t = texts(PassSteps(evaluate(load_example("logistic_neuron"))))
    assert "∂a/∂z = a · (1 − a) = 0.235" in t["forward", "a"].splitlines()
    m = GraphModel()
    m.add_node("p", "input", params={"value": 3.0})
    m.add_node("q", "input", params={"value": 2.0})
    m.add_node("r", "divide")
    m.connect("p", "r", 0)
    m.connect("q", "r", 1)
    m.set_output("r")
    t = texts(PassSteps(evaluate(m)))
    assert t["forward", "r"].splitlines()[2] == "∂r/∂q = −p / q² = −0.75"  # −3 / 2²
