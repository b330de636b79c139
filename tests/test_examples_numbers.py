"""The canonical examples, checked against the numbers worked by hand in the course notes."""

import pytest

from conftest import load_example
from gradstudio.core import evaluate


def test_chain_rule_matches_the_course_notes():
    model = load_example("chain_rule")
    r = evaluate(model)
    assert r.output == "J"
    assert r.value("J") == 33
    assert {n: r.grad(n) for n in "abcuvJ"} == {"a": 3, "b": 6, "c": 9, "u": 3, "v": 3, "J": 1}
    locals_ = {(u, v): r.edge(u, v, p).local for u, v, p in model.edges()}
    assert locals_ == {("b", "u"): 2, ("c", "u"): 3, ("a", "v"): 1, ("u", "v"): 1, ("v", "J"): 3}
    grads = {(u, v): r.edge(u, v, p).grad for u, v, p in model.edges()}
    assert grads == {("b", "u"): 6, ("c", "u"): 9, ("a", "v"): 3, ("u", "v"): 3, ("v", "J"): 3}
    values = {(u, v): r.edge(u, v, p).value for u, v, p in model.edges()}
    assert values == {("b", "u"): 3, ("c", "u"): 2, ("a", "v"): 5, ("u", "v"): 6, ("v", "J"): 11}


def test_chain_rule_nudge_like_the_notes():
    model = load_example("chain_rule")
    model.set_param("a", "value", 5.001)
    assert evaluate(model).value("J") == pytest.approx(33.003, abs=1e-9)


def test_colah_fan_out_sums_two_paths():
    model = load_example("colah_paths")
    r = evaluate(model, tangent="b")
    assert r.value("e") == 6
    assert r.grad("a") == 2
    assert r.grad("b") == 5
    b_edges = sorted(r.edge(u, v, p).grad for u, v, p in model.edges() if u == "b")
    assert b_edges == [2, 3]
    assert {n: r.node_tangent(n) for n in ("c", "d", "e", "a")} == {"c": 1, "d": 1, "e": 5, "a": 0}


def test_square_has_two_edges_each_with_its_own_local():
    model = load_example("square")
    a = model.node_data("a")["value"]
    edges = [e for e in model.edges() if e[0] == "a"]
    assert [p for _, _, p in edges] == [0, 1]
    first = evaluate(model)
    assert [first.edge(*e).local for e in edges] == [a, a]
    # J = ½·a², so dJ/da = a
    assert first.grad("a") == a
    second = first.backward()
    again = second.backward()
    assert again.grad("a") == a
    assert evaluate(model).grad("a") == a


def test_long_chain_evaluates_without_recursion():
    from gradstudio.core import GraphModel
    model = GraphModel()
    model.add_node("x", "input", params={"value": 1.0})
    prev = "x"
    for i in range(100_000):
        node = f"n{i}"
        model.add_node(node, "scale", params={"factor": 1.0})
        model.connect(prev, node, 0)
        prev = node
    r = evaluate(model, tangent="x")
    assert r.value(prev) == 1.0
    assert r.grad("x") == 1.0
    assert r.node_tangent(prev) == 1.0
