"""The two neuron examples, against numbers worked by hand (and micrograd's)."""

from __future__ import annotations

import math

import pytest

from conftest import EXAMPLE_NAMES, load_example
from gradstudio.core import evaluate
from gradstudio.core.layout import count_crossings, overlapping
from gradstudio.ui.app.window import EXAMPLES as MENU


def test_tanh_neuron_matches_micrograd():
    # micrograd: x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432, o = tanh(n) ≈ 0.7071;
    # do/dn = 1 - o² = 0.5, so do/dx1 = w1·0.5 = -1.5, do/dw1 = x1·0.5 = 1,
    # do/dx2 = w2·0.5 = 0.5, do/dw2 = x2·0.5 = 0, do/db = 0.5.
    model = load_example("tanh_neuron")
    r = evaluate(model)
    assert r.output == "o"
    assert {n: model.param(n, "value") for n in model.inputs()} == {
        "x1": 2, "w1": -3, "x2": 0, "w2": 1, "b": 6.8813735870195432}
    assert r.value("o") == pytest.approx(math.sqrt(0.5), abs=1e-9)
    assert r.value("n") == pytest.approx(0.8813735870195432)
    assert r.grad("n") == pytest.approx(0.5, abs=1e-9)
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for node_id, grad in expected.items():
        assert r.grad(node_id) == pytest.approx(grad, abs=1e-9), node_id
    assert not r.problems


def test_logistic_neuron_matches_the_hand_derivative():
    # z = w1·x1 + w2·x2 + b = 0.5·2 + (-1)·1 + 0.5 = 0.5, a = σ(0.5), L = -log a.
    # dL/da = -1/a, da/dz = a(1 - a), so dL/dz = a - 1; then dL/dw1 = (a - 1)·x1 ...
    model = load_example("logistic_neuron")
    values = {n: model.param(n, "value") for n in model.inputs()}
    assert values == {"w1": 0.5, "x1": 2, "w2": -1, "x2": 1, "b": 0.5}
    r = evaluate(model)
    assert r.output == "L"
    z = 0.5 * 2 + (-1) * 1 + 0.5
    a = 1 / (1 + math.exp(-z))
    assert r.value("z") == z == 0.5
    assert r.value("a") == pytest.approx(a)
    assert r.value("L") == pytest.approx(-math.log(a))
    assert r.grad("a") == pytest.approx(-1 / a)
    assert r.grad("z") == pytest.approx(a - 1)
    expected = {"w1": (a - 1) * 2, "x1": (a - 1) * 0.5, "w2": (a - 1) * 1,
                "x2": (a - 1) * -1, "b": a - 1}
    for node_id, grad in expected.items():
        assert r.grad(node_id) == pytest.approx(grad, rel=1e-12), node_id
    assert r.edge("a", "q", 0).local == pytest.approx(1 / a)
    assert r.edge("z", "a", 0).local == pytest.approx(a * (1 - a))
    assert r.edge("q", "L", 0).local == -1


@pytest.mark.parametrize("name", ["logistic_neuron", "tanh_neuron"])
def test_neuron_examples_are_laid_out_left_to_right_without_overlaps(name):
    model = load_example(name)
    pos = {n: model.position(n) for n in model.nodes()}
    assert not overlapping(pos)
    assert count_crossings(model, pos) == 0
    for u, v, _p in model.edges():
        assert pos[v][0] - pos[u][0] >= 300


def test_every_example_file_is_in_the_menu_and_the_tests_loop(examples):
    names = {p.stem for p in examples.glob("*.json")}
    assert [n for n, _d in MENU] == list(EXAMPLE_NAMES) and set(EXAMPLE_NAMES) == names
    assert all(d.strip() for _n, d in MENU)


def test_the_neuron_examples_open_from_the_menu(window):
    for name in ("logistic_neuron", "tanh_neuron"):
        window.open_example(name)
        assert window.windowTitle().startswith(f"{name}.json")
        window.act_backward.trigger()
        assert window.doc.evaluation is not None
    assert window.scene.nodes["x1"].grad_text == "∂o/∂x1 = −1.5"
    assert window.scene.nodes["w2"].grad_text == "∂o/∂w2 = 0"
