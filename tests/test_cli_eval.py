"""`gradstudio eval`: the exact --json shape, the table, --tangent, --check, exit codes.

The numbers are worked by hand: J = 3(a + b·c) at a=5, b=3, c=2 from the course
notes, and a small graph that makes inf, -inf and nan on purpose.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import example_path

CHAIN = str(example_path("chain_rule"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gradstudio", "eval", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def strict_json(text: str):
    def refuse(name):
        raise AssertionError(f"{name} is not strict JSON")
    return json.loads(text, parse_constant=refuse)


def write(path: Path, nodes, edges, output=None) -> str:
    doc = {"format": "gradstudio", "version": 1, "nodes": nodes, "edges": edges}
    if output is not None:
        doc["output"] = output
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


# Hand-worked: u = b·c = 6, v = a + u = 11, J = 3v = 33; dJ/dv = 3, dJ/du = 3,
# dJ/da = 3, dJ/db = 3·c = 6, dJ/dc = 3·b = 9.
CHAIN_NODES = {
    "a": {"value": 5, "grad": 3}, "b": {"value": 3, "grad": 6}, "c": {"value": 2, "grad": 9},
    "u": {"value": 6, "grad": 3}, "v": {"value": 11, "grad": 3}, "J": {"value": 33, "grad": 1},
}
CHAIN_EDGES = [  # file order
    {"from": "b", "to": "u", "port": 0, "value": 3, "local": 2, "grad": 6},
    {"from": "c", "to": "u", "port": 1, "value": 2, "local": 3, "grad": 9},
    {"from": "a", "to": "v", "port": 0, "value": 5, "local": 1, "grad": 3},
    {"from": "u", "to": "v", "port": 1, "value": 6, "local": 1, "grad": 3},
    {"from": "v", "to": "J", "port": 0, "value": 11, "local": 3, "grad": 3},
]


def test_json_shape_and_numbers_for_chain_rule():
    r = run(CHAIN, "--json")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    doc = strict_json(r.stdout)
    assert list(doc) == ["output", "nodes", "edges"]
    assert doc["output"] == "J"
    assert list(doc["nodes"]) == ["a", "b", "c", "u", "v", "J"]  # file order
    assert doc["nodes"] == CHAIN_NODES
    for entry in doc["nodes"].values():
        assert list(entry) == ["value", "grad"]
    assert doc["edges"] == CHAIN_EDGES
    for edge in doc["edges"]:
        assert list(edge) == ["from", "to", "port", "value", "local", "grad"]
        assert isinstance(edge["port"], int)
    assert r.stdout.count("\n") == 1 and r.stdout.endswith("}\n")


def test_json_with_tangent_adds_it_to_every_node():
    r = run(CHAIN, "--json", "--tangent", "b")
    assert r.returncode == 0, r.stderr
    doc = strict_json(r.stdout)
    # d/db: u = b·c → c = 2; v = a + u → 2; J = 3v → 6; a and c do not depend on b.
    tangents = {"a": 0, "b": 1, "c": 0, "u": 2, "v": 2, "J": 6}
    assert {n: e["tangent"] for n, e in doc["nodes"].items()} == tangents
    for node_id, entry in doc["nodes"].items():
        assert list(entry) == ["value", "grad", "tangent"]
        assert entry["value"] == CHAIN_NODES[node_id]["value"]
        assert entry["grad"] == CHAIN_NODES[node_id]["grad"]
    assert doc["edges"] == CHAIN_EDGES  # edges are unchanged by --tangent
    assert doc["nodes"]["J"]["tangent"] == doc["nodes"]["b"]["grad"]


def test_json_with_another_output(tmp_path):
    r = run(CHAIN, "--json", "--output", "v")
    assert r.returncode == 0, r.stderr
    doc = strict_json(r.stdout)
    assert doc["output"] == "v"
    # v = a + b·c: dv/da = 1, dv/db = c = 2, dv/dc = b = 3; J does not reach v.
    assert {n: e["grad"] for n, e in doc["nodes"].items()} == {
        "a": 1, "b": 2, "c": 3, "u": 1, "v": 1, "J": 0}
    assert [e["grad"] for e in doc["edges"]] == [2, 3, 1, 1, 0]


@pytest.fixture
def non_finite_file(tmp_path) -> str:
    # q = a / z = 1/0 = inf, l = log z = -inf, w = q + l = nan.
    nodes = [
        {"id": "a", "op": "input", "value": 1},
        {"id": "z", "op": "input", "value": 0},
        {"id": "q", "op": "divide"},
        {"id": "l", "op": "log"},
        {"id": "w", "op": "add"},
    ]
    edges = [
        {"from": "a", "to": "q", "port": 0},
        {"from": "z", "to": "q", "port": 1},
        {"from": "z", "to": "l", "port": 0},
        {"from": "q", "to": "w", "port": 0},
        {"from": "l", "to": "w", "port": 1},
    ]
    return write(tmp_path / "bad_numbers.json", nodes, edges, output="w")


def test_non_finite_numbers_are_strings(non_finite_file):
    r = run(non_finite_file, "--json")
    assert r.returncode == 0, r.stderr
    doc = strict_json(r.stdout)
    # Local derivatives by hand: ∂(a/z)/∂a = 1/z = inf, ∂(a/z)/∂z = -a/z² = -inf,
    # ∂log z/∂z = 1/z = inf. grad(z) = -inf + inf = nan.
    assert doc["nodes"] == {
        "a": {"value": 1, "grad": "inf"},
        "z": {"value": 0, "grad": "nan"},
        "q": {"value": "inf", "grad": 1},
        "l": {"value": "-inf", "grad": 1},
        "w": {"value": "nan", "grad": 1},
    }
    assert doc["edges"] == [
        {"from": "a", "to": "q", "port": 0, "value": 1, "local": "inf", "grad": "inf"},
        {"from": "z", "to": "q", "port": 1, "value": 0, "local": "-inf", "grad": "-inf"},
        {"from": "z", "to": "l", "port": 0, "value": 0, "local": "inf", "grad": "inf"},
        {"from": "q", "to": "w", "port": 0, "value": "inf", "local": 1, "grad": 1},
        {"from": "l", "to": "w", "port": 1, "value": "-inf", "local": 1, "grad": 1},
    ]
    # The problem is reported where it starts, not where it spreads to.
    assert "'q'" in r.stderr and "division by zero" in r.stderr
    assert "'l'" in r.stderr and "log" in r.stderr
    assert "'w'" not in r.stderr
    assert "Traceback" not in r.stderr


def test_non_finite_tangent_is_strict_json(non_finite_file):
    r = run(non_finite_file, "--json", "--tangent", "a")
    assert r.returncode == 0, r.stderr
    doc = strict_json(r.stdout)
    # dq/da = 1/z = inf; z does not depend on a, so its edge adds nothing (no 0·inf).
    assert {n: e["tangent"] for n, e in doc["nodes"].items()} == {
        "a": 1, "z": 0, "q": "inf", "l": 0, "w": "inf"}


def test_plain_table_shows_the_numbers():
    r = run(CHAIN)
    assert r.returncode == 0, r.stderr
    head, node_block, edge_block = r.stdout.strip().split("\n\n")
    assert head.split() == ["output:", "J", "=", "33"]
    rows = {line.split()[0]: line.split() for line in node_block.splitlines()[1:]}
    assert list(rows) == ["a", "b", "c", "u", "v", "J"]
    # node rows: id, op, value, grad
    assert rows["a"][1:] == ["input", "5", "3"]
    assert rows["b"][1:] == ["input", "3", "6"]
    assert rows["c"][1:] == ["input", "2", "9"]
    assert rows["u"][1:] == ["multiply", "6", "3"]
    assert rows["v"][1:] == ["add", "11", "3"]
    assert rows["J"][1:] == ["scale", "33", "1"]
    # edge rows: "b → u", port, value, local, grad
    edge_rows = [line.split() for line in edge_block.splitlines()[1:]]
    assert [row[4:] for row in edge_rows] == [
        ["3", "2", "6"], ["2", "3", "9"], ["5", "1", "3"], ["6", "1", "3"], ["11", "3", "3"]]
    assert [(row[0], row[2], row[3]) for row in edge_rows] == [
        ("b", "u", "0"), ("c", "u", "1"), ("a", "v", "0"), ("u", "v", "1"), ("v", "J", "0")]


def test_check_agrees_on_chain_rule():
    r = run(CHAIN, "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 of 3 gradients agree" in r.stdout
    assert "DISAGREES" not in r.stdout


def test_check_exits_3_at_a_kink(tmp_path):
    # relu at 0: the registry says the derivative is 0, central differences say 1/2.
    path = write(tmp_path / "kink.json",
                 [{"id": "x", "op": "input", "value": 0}, {"id": "r", "op": "relu"}],
                 [{"from": "x", "to": "r", "port": 0}])
    r = run(path, "--check")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "DISAGREES" in r.stdout
    assert "0 of 1 gradients agree" in r.stdout


@pytest.mark.parametrize("args, expected", [
    (["--output", "nope"], "'nope'"),
    (["--tangent", "nope"], "'nope'"),
    (["--tangent", "u"], "not an input"),
    (["--frobnicate"], "unrecognized"),
    ([], "required"),
])
def test_bad_arguments_exit_2_with_one_line(args, expected):
    r = run(CHAIN, *args) if args else run()
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert expected in r.stderr
    if args and args[0] in ("--output", "--tangent"):
        assert args[0] in r.stderr
    if args[:1] == ["--output"]:
        assert CHAIN in r.stderr


def test_eval_imports_neither_networkx_nor_qt_and_starts_no_blas_threads():
    """The headless eval path stays light: no networkx graph, no Qt, one thread."""
    code = ("import os, sys\n"
            "from gradstudio.cli import main\n"
            f"code = main(['eval', {CHAIN!r}, '--json'])\n"
            "heavy = sorted(m for m in ('networkx', 'PySide6') if m in sys.modules)\n"
            "print(code, heavy, len(os.listdir('/proc/self/task'))"
            " if os.path.isdir('/proc/self/task') else 1, file=sys.stderr)\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != "OPENBLAS_NUM_THREADS"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stderr.split() == ["0", "[]", "1"]
