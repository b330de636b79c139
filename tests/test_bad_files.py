"""The bad-file corpus: every file is refused by `gradstudio eval` in one line.

Each file in tests/bad_files/ breaks exactly one rule of file format v1 (or,
for ``unconnected_input_port.json``, is a loadable work in progress that a pass
refuses). `gradstudio eval FILE` must exit 2 with exactly one line on stderr,
naming the file and the place in it, and never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gradstudio.core import fileformat
from gradstudio.core.errors import FileFormatError, GraphError

BAD = Path(__file__).resolve().parent / "bad_files"

# file name -> substrings the one-line message must contain (the place first).
CASES: dict[str, tuple[str, ...]] = {
    # not a JSON object at all
    "not_json.json": ("line 2 column 14", "not valid JSON"),
    "truncated_json.json": ("line 2 column 1", "not valid JSON"),
    "empty.json": ("empty",),
    "only_whitespace.json": ("empty",),
    "not_utf8.json": ("UTF-8", "0xe9", "offset 113"),
    "deeply_nested.json": ("nested too deeply",),
    "top_level_array.json": ("top level", "object", "list"),
    # the header
    "wrong_format.json": ("format: ", "'graphviz'", "not a gradstudio file"),
    "missing_format.json": ("format: ", "missing"),
    "newer_version.json": ("version: ", "2 is newer", "version 1"),
    "version_is_string.json": ("version: ", "integer"),
    "no_nodes.json": ("nodes: ", "missing"),
    "nodes_not_a_list.json": ("nodes: ", "must be a list"),
    "edges_not_a_list.json": ("edges: ", "must be a list"),
    "output_names_no_node.json": ("output: ", "no node 'K'"),
    "output_not_a_string.json": ("output: ", "string"),
    # nodes
    "node_not_an_object.json": ("nodes[2]: ", "object"),
    "duplicate_id.json": ("nodes[4].id: ", "duplicate id 'u'", "nodes[3]"),
    "duplicate_key.json": ("nodes[1].id: ", "duplicate key", "lines 40 and 43"),
    "empty_id.json": ("nodes[2].id: ", "non-empty string"),
    "unknown_op.json": ("nodes[3].op: ", "unknown op 'mul'", "multiply"),
    "label_not_a_string.json": ("nodes[3].label: ", "string"),
    "position_is_nan.json": ("nodes[3].x: ", "finite number", "NaN"),
    "value_is_string.json": ("nodes[1].value: ", "finite number", "'3'"),
    "value_is_boolean.json": ("nodes[1].value: ", "finite number", "true"),
    "value_is_null.json": ("nodes[1].value: ", "finite number", "null"),
    "value_is_nan.json": ("nodes[0].value: ", "NaN"),
    "value_is_infinity.json": ("nodes[2].value: ", "Infinity"),
    "value_is_minus_infinity.json": ("nodes[2].value: ", "-Infinity"),
    "value_overflows_to_infinity.json": ("nodes[0].value: ", "finite number", "inf"),
    "value_too_many_digits.json": ("line 14 column 16", "5000 digits"),
    "huge_number_in_unknown_key.json": ("made_by: ", "too large"),
    "value_missing.json": ("nodes[1].value: ", "missing"),
    "factor_missing.json": ("nodes[5].factor: ", "missing", "scale"),
    "factor_is_string.json": ("nodes[5].factor: ", "finite number"),
    # edges
    "edge_to_missing_node.json": ("edges[3].to: ", "no node 'w'"),
    "edge_from_missing_node.json": ("edges[1].from: ", "no node 'x'"),
    "port_out_of_range.json": ("edges[4].port: ", "3 is out of range for 'J'", "1 input"),
    "port_negative.json": ("edges[2].port: ", "-1 is out of range"),
    "port_not_integer.json": ("edges[2].port: ", "integer"),
    "port_used_twice.json": ("edges[5].port: ", "already taken", "edges[1]"),
    "edge_into_input.json": ("edges[5].to: ", "'a'", "input"),
    "self_loop.json": ("edges[2]: ", "'v'", "itself"),
    "nan_in_unknown_key.json": ("edges[0].weight: ", "NaN"),
    "cycle.json": ("edges: ", "cycle", "v → u → v"),
    "long_cycle.json": ("edges: ", "cycle"),
    # the quiz (docs/file-format.md, "Quiz")
    "quiz_names_no_node.json": ("quiz.nodes[1]: ", "no node 'k'"),
    "quiz_unknown_kind.json": ("quiz.hide[0]: ", "unknown kind 'values'", "grad"),
    # loadable, but a pass is refused
    "unconnected_input_port.json": ("nodes[3] 'u'", "multiply", "port 1"),
    "several_sinks_no_output.json": ("output: ", "2 sinks", "'J'", "'w'", "no output"),
}

# Files the editor may load (work in progress) but `eval` refuses.
LOADABLE = {"unconnected_input_port.json", "several_sinks_no_output.json"}


# The cases the issue names are run as real `python -m gradstudio eval` processes
# (start-up dominates, so they run in parallel); the extra cases go through the
# same `main()` in process, which keeps the suite fast on a two-core CI box.
IN_SUBPROCESS = {
    "not_json.json", "empty.json", "top_level_array.json", "wrong_format.json",
    "newer_version.json", "no_nodes.json", "duplicate_id.json", "unknown_op.json",
    "edge_to_missing_node.json", "port_out_of_range.json", "port_used_twice.json",
    "edge_into_input.json", "self_loop.json", "cycle.json", "unconnected_input_port.json",
    "value_is_string.json", "value_is_boolean.json", "value_is_nan.json",
    "value_is_infinity.json", "factor_missing.json", "not_utf8.json",
    "several_sinks_no_output.json", "output_names_no_node.json",
}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def subprocess_runs() -> dict[str, Run]:
    procs = {
        name: subprocess.Popen([sys.executable, "-m", "gradstudio", "eval", str(BAD / name)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name in sorted(IN_SUBPROCESS)
    }
    done = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        done[name] = Run(proc.returncode, out.decode("utf-8"), err.decode("utf-8"))
    return done


def run_in_process(name: str, capsys) -> Run:
    from gradstudio.cli import main
    code = main(["eval", str(BAD / name)])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def test_every_corpus_file_has_a_case():
    on_disk = {p.name for p in BAD.glob("*.json")}
    assert on_disk == set(CASES)
    assert IN_SUBPROCESS <= set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_eval_refuses_in_one_line(request, capsys, name):
    if name in IN_SUBPROCESS:
        run = request.getfixturevalue("subprocess_runs")[name]
    else:
        run = run_in_process(name, capsys)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert run.stderr.endswith("\n")
    line = lines[0]
    path = str(BAD / name)
    assert line.startswith(path + ": "), line
    for expected in CASES[name]:
        assert expected in line, f"{expected!r} not in {line!r}"
    assert run.stdout == ""


@pytest.mark.parametrize("name", sorted(set(CASES) - LOADABLE))
def test_loads_refuses_the_file_whole(name):
    data = (BAD / name).read_bytes()
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(data, "graph.json")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("graph.json: ")
    assert CASES[name][0] in message


@pytest.mark.parametrize("name", sorted(LOADABLE))
def test_work_in_progress_loads_but_a_pass_is_refused(name):
    from gradstudio.core import evaluate
    model = fileformat.load(BAD / name)
    with pytest.raises(GraphError):
        evaluate(model)


def test_unconnected_port_is_named_by_the_model():
    model = fileformat.load(BAD / "unconnected_input_port.json")
    assert model.missing_port() == ("u", 1)


def test_cycle_message_lists_every_node_on_a_long_cycle():
    with pytest.raises(FileFormatError) as info:
        fileformat.load(BAD / "long_cycle.json")
    message = str(info.value)
    cycle = message.split("cycle: ", 1)[1].split(" → ")
    # p → q → r → s → p, in some rotation, and nothing off the cycle
    assert cycle[0] == cycle[-1]
    assert sorted(cycle[:-1]) == ["p", "q", "r", "s"]
    assert "a" not in cycle and "J" not in cycle


@pytest.mark.parametrize("text, place", [
    ('{"format": "gradstudio", "version": 1, "nodes": [], "edges": [], "output": "x"}', "output: "),
    ('{"format": "gradstudio", "version": 0, "nodes": []}', "version: "),
    ('{"format": "gradstudio", "version": true, "nodes": []}', "version: "),
    ('{"format": "gradstudio", "version": 1.0, "nodes": []}', "version: "),
    ('{"format": "gradstudio", "version": 1, "nodes": [{"op": "add"}]}', "nodes[0].id: "),
    ('{"format": "gradstudio", "version": 1, "nodes": [{"id": "a"}]}', "nodes[0].op: "),
    ('{"format": "gradstudio", "version": 1, "nodes": [{"id": "a", "op": "input", "value": 1}],'
     ' "edges": [{"from": "a", "to": "a"}]}', "edges[0].port: "),
    ('{"format": "gradstudio", "version": 1, "nodes": [{"id": "a", "op": "input", "value": 1}],'
     ' "edges": [{"to": "a", "port": 0}]}', "edges[0].from: "),
    ('{"format": "gradstudio", "version": 1, "nodes": [{"id": "a", "op": "input", "value": 1}],'
     ' "edges": [{"from": "a", "to": "a", "port": true}]}', "edges[0].port: "),
    ('{"format": "gradstudio", "version": 1, "nodes": [], "note": NaN}', "note: "),
    ('"gradstudio"', "top level"),
])
def test_loads_names_the_place(text, place):
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(text, "g.json")
    assert str(info.value).startswith("g.json: ")
    assert place in str(info.value)


def test_a_bom_is_tolerated():
    text = '\ufeff{"format": "gradstudio", "version": 1, "nodes": [{"id": "a", "op": "input", "value": 2}]}'
    model = fileformat.loads(text.encode("utf-8"))
    assert model.node_data("a")["value"] == 2
