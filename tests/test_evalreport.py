"""The eval report (core/evalreport.py) on every example: the hand-tuned `--json`
writer gives exactly what json.dumps writes for the numbers the Evaluation holds,
what it writes reads back to those numbers, and the CLI prints that same text."""

from __future__ import annotations

import io
import json
import math

import pytest

from conftest import example_path, load_example
from gradstudio.cli import main
from gradstudio.core import evaluate
from gradstudio.core.evalreport import eval_json, write_json_to


def number(text_or_float):
    """A --json number read back: the strings "inf", "-inf", "nan" become floats."""
    return float(text_or_float)


def same(a: float, b: float) -> bool:
    """Equal bits of meaning: nan equals nan, and 0.0 is not -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


@pytest.mark.parametrize("with_tangent", [False, True])
def test_json_round_trips_to_the_evaluation(example_name, with_tangent):
    model = load_example(example_name)
    tangent = model.inputs()[0] if with_tangent else None
    result = evaluate(model, tangent=tangent)
    text = eval_json(model, result)
    doc = json.loads(text)
    # The writer's text is json.dumps's own text for what it parses to.
    assert text == json.dumps(doc, ensure_ascii=False)
    assert doc["output"] == result.output
    assert list(doc["nodes"]) == model.nodes()
    for node_id, entry in doc["nodes"].items():
        assert list(entry) == ["value", "grad"] + (["tangent"] if tangent else [])
        assert same(number(entry["value"]), result.value(node_id))
        assert same(number(entry["grad"]), result.grad(node_id))
        if tangent:
            assert same(number(entry["tangent"]), result.node_tangent(node_id))
    assert [(e["from"], e["to"], e["port"]) for e in doc["edges"]] == model.edges()
    for e in doc["edges"]:
        numbers = result.edge(e["from"], e["to"], e["port"])
        for key in ("value", "local", "grad"):
            assert same(number(e[key]), getattr(numbers, key))


def test_cli_prints_the_report_text(example_name, capsys):
    path = example_path(example_name)
    assert main(["eval", str(path), "--json"]) == 0
    printed = capsys.readouterr().out
    model = load_example(example_name)
    assert printed == eval_json(model, evaluate(model)) + "\n"
    # A stream with a byte buffer gets the same text, as UTF-8.
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8")
    write_json_to(stream, model, evaluate(model))
    stream.flush()
    assert raw.getvalue().decode("utf-8") == printed
