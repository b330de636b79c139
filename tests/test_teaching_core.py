"""Teaching tools without Qt: the nudge check, Check all, the sum over paths."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from conftest import load_example as load
from gradstudio.core import GraphError, GraphModel, evaluate, fileformat, paths
from gradstudio.core.check import central_difference, check_gradients, nudge
from gradstudio.core.paths import sum_over_paths

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from graphgen import generate, lattice  # noqa: E402  (lattice: also timed by bench_worst_cases)


# ------------------------------------------------------------------- nudge
def test_nudge_on_chain_rule_is_the_course_notes_check():
    r = nudge(load("chain_rule"), "a")
    assert (r.x, r.h, r.output) == (5.0, 0.001, "J")
    assert r.before == 33.0
    assert r.after == pytest.approx(33.003, abs=1e-12)
    assert r.slope == pytest.approx(3.0, rel=1e-9)
    assert r.analytic == 3.0
    assert r.relative_difference < 1e-9


def test_nudge_of_b_and_a_custom_h_leave_the_model_untouched():
    model = load("chain_rule")
    before = fileformat.dumps(model)
    r = nudge(model, "b", h=0.5)
    assert r.after == pytest.approx(3 * (5 + 3.5 * 2))
    assert r.slope == pytest.approx(6.0) and r.analytic == 6.0
    assert fileformat.dumps(model) == before


def test_nudge_refuses_non_inputs_and_zero_h():
    model = load("chain_rule")
    with pytest.raises(GraphError, match="not an input"):
        nudge(model, "u")
    with pytest.raises(GraphError, match="h must be"):
        nudge(model, "a", h=0.0)
    with pytest.raises(GraphError, match="no node"):
        nudge(model, "zz")


def relu_at_zero() -> GraphModel:
    m = GraphModel()
    m.add_node("x", "input", params={"value": 0.0})
    m.add_node("w", "input", params={"value": 2.0})
    m.add_node("r", "relu")
    m.add_node("J", "multiply")
    m.connect("x", "r", 0)
    m.connect("r", "J", 0)
    m.connect("w", "J", 1)
    return m


def test_check_all_marks_relu_at_its_kink():
    rows = {r.input: r for r in check_gradients(relu_at_zero())}
    assert rows["x"].analytic == 0.0  # relu'(0) = 0 by convention
    assert rows["x"].numeric == pytest.approx(1.0)  # (2·h − 0)/(2h)
    assert not rows["x"].agrees
    assert rows["w"].agrees


def random_model(n=1000, seed=3):
    return fileformat.loads(json.dumps(generate(n, seed=seed, layout=True)))


def test_check_all_on_a_random_graph_equals_full_central_differences():
    model = random_model(400)
    out = model.resolve_output()
    rows = check_gradients(model)
    assert all(r.agrees for r in rows)
    for r in rows[:: max(1, len(rows) // 12)]:
        step = 1e-6 * max(1.0, abs(r.value))
        assert r.numeric == pytest.approx(central_difference(model, out, r.input, step),
                                          rel=1e-12, abs=1e-15)


# ------------------------------------------------------------------- paths
def test_colah_b_has_two_paths_with_products_2_and_3():
    r = sum_over_paths(load("colah_paths"), "b")
    assert r.count == 2 and r.complete
    assert [p.nodes for p in r.paths] == [("b", "c", "e"), ("b", "d", "e")]
    assert [p.product for p in r.paths] == [2.0, 3.0]
    assert [p.locals for p in r.paths] == [(1.0, 2.0), (1.0, 3.0)]
    assert r.listed_sum == r.total == r.grad == 5.0
    assert r.agrees


def test_colah_a_has_one_path_and_an_unreaching_input_has_none():
    model = load("colah_paths")
    a = sum_over_paths(model, "a")
    assert a.count == 1 and a.paths[0].product == 2.0 and a.agrees
    model.add_node("z", "input", params={"value": 1})
    z = sum_over_paths(model, "z")
    assert z.count == 0 and z.paths == () and z.total == 0.0 and z.grad == 0.0 and z.agrees


def test_a_node_in_both_ports_gives_two_paths():
    r = sum_over_paths(load("square"), "a")
    assert r.count == 2
    assert [p.edges[0] for p in r.paths] == [("a", "sq", 0), ("a", "sq", 1)]
    assert r.total == r.grad


def test_a_wide_lattice_is_counted_exactly_and_listed_up_to_the_cap(monkeypatch):
    """Counted, not listed: the listing stops at the cap, having made 200 paths of
    2^60 (benchmarks/bench_worst_cases.py times it)."""
    made = []
    term = paths.PathTerm
    monkeypatch.setattr(paths, "PathTerm", lambda *args: made.append(args) or term(*args))
    model = lattice(60)
    model.plan()
    r = sum_over_paths(model, "x", cap=200)
    assert r.count == 2 ** 60  # two ways through each of 60 layers
    assert len(r.paths) == 200 and not r.complete
    assert len(made) == 200  # no path made past the cap
    assert all(len(p.edges) == 61 for p in r.paths)
    assert r.agrees and r.total == r.grad


def test_a_deep_chain_needs_no_recursion():
    m = GraphModel()
    m.add_node("x", "input", params={"value": 2.0})
    prev = "x"
    for k in range(5000):
        m.add_node(f"s{k}", "scale", params={"factor": 1.0})
        m.connect(prev, f"s{k}", 0)
        prev = f"s{k}"
    r = sum_over_paths(m, "x")
    assert r.count == 1 and len(r.paths[0].edges) == 5000 and r.agrees


def test_an_input_that_is_the_output_has_one_empty_path():
    m = GraphModel()
    m.add_node("x", "input", params={"value": 4.0})
    r = sum_over_paths(m, "x")
    assert r.count == 1 and r.paths[0].nodes == ("x",) and r.paths[0].product == 1.0
    assert r.total == r.grad == 1.0 and r.agrees


def test_paths_refuse_a_non_input():
    with pytest.raises(GraphError, match="not an input"):
        sum_over_paths(load("colah_paths"), "c")


def test_sum_over_paths_agrees_with_backward_on_a_random_graph():
    model = random_model(300, seed=5)
    ev = evaluate(model)
    for x in model.inputs()[:20]:
        r = sum_over_paths(model, x, evaluation=ev)
        assert r.agrees, x
        if r.complete:
            assert math.isclose(r.listed_sum, r.grad, rel_tol=1e-9, abs_tol=1e-12)
