"""Duplicate JSON keys are refused at any depth, with the JSON path and the line.

``{"id": "a", "id": "b"}`` means "b" to Python and "a" to other readers, so no
reader of ours may pick one: the validating loader, the column fast path of
``gradstudio eval``, the window's Open and crash-recovery files all refuse it.
The expected places are written by hand here, or (hypothesis) worked out from
where the test itself put the duplicate, never from the loader's answer.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradstudio.core import fileformat, jsonkeys
from gradstudio.core.errors import FileFormatError

HEAD = '{"format": "gradstudio", "version": 1,'


def graph_text(nodes: list[str], edges: list[str] = (), tail: str = "") -> str:
    """A file with one node object per line (line 2 onwards), then the edges."""
    lines = [HEAD + ' "nodes": [']
    lines += [node + ("," if i < len(nodes) - 1 else "") for i, node in enumerate(nodes)]
    lines += ['], "edges": [']
    lines += [edge + ("," if i < len(edges) - 1 else "") for i, edge in enumerate(edges)]
    lines += ["]" + tail + "}"]
    return "\n".join(lines)


NODES = [
    '{"id": "a", "op": "input", "value": 2}',
    '{"id": "b", "op": "input", "value": 3}',
    '{"id": "u", "op": "multiply"}',
    '{"id": "J", "op": "scale", "factor": 3}',
]
EDGES = [
    '{"from": "a", "to": "u", "port": 0}',
    '{"from": "b", "to": "u", "port": 1}',
    '{"from": "u", "to": "J", "port": 0}',
]


def refusal(text: str, name: str = "graph.json") -> str:
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(text.encode("utf-8"), name)
    message = str(info.value)
    assert "\n" not in message and message.startswith(name + ": "), message
    return message


def test_the_file_without_duplicates_loads():
    model = fileformat.loads(graph_text(NODES, EDGES))
    assert sorted(model.nodes()) == ["J", "a", "b", "u"]


@pytest.mark.parametrize("nodes, edges, tail, place, lines", [
    # in a node: the id (Python would keep "c", others "b")
    (NODES[:1] + ['{"id": "b", "op": "input", "value": 3, "id": "c"}'] + NODES[2:], EDGES, "",
     "nodes[1].id", "line 3"),
    # a param
    (NODES[:3] + ['{"id": "J", "op": "scale", "factor": 3, "factor": 4}'], EDGES, "",
     "nodes[3].factor", "line 5"),
    # across lines of one object
    (NODES[:2] + ['{"id": "u",\n"op": "multiply",\n"op": "add"}'] + NODES[3:], EDGES, "",
     "nodes[2].op", "lines 5 and 6"),
    # an edge's port
    (NODES, EDGES[:2] + ['{"from": "u", "to": "J", "port": 0, "port": 0}'], "",
     "edges[2].port", "line 9"),
    # an unknown key of a node, nested
    (NODES[:1] + ['{"id": "b", "op": "input", "value": 3, "style": {"color": "red", '
                  '"size": 2, "color": "blue"}}'] + NODES[2:], EDGES, "",
     "nodes[1].style.color", "line 3"),
    # an unknown top-level key holding a list of objects
    (NODES, EDGES, ', "notes": [{"t": 1}, {"t": 2, "t": 3}]', "notes[1].t", "line 10"),
])
def test_refused_with_the_path_and_the_line(nodes, edges, tail, place, lines):
    message = refusal(graph_text(nodes, edges, tail))
    assert message.startswith(f"graph.json: {place}: duplicate key ({lines})"), message


def test_at_the_top_level():
    text = '{"format": "gradstudio",\n"version": 1,\n"nodes": [],\n"version": 1}'
    assert refusal(text).startswith("graph.json: version: duplicate key (lines 2 and 4)")
    text = '{"format": "gradstudio", "version": 1, "nodes": [], "output": "a", "output": "b"}'
    assert refusal(text).startswith("graph.json: output: duplicate key (line 1)")


def test_deep_in_an_unknown_key():
    depth = 60  # the loader keeps unknown values up to 100 levels
    inner = '{"k": 1, "k": 2}'
    for _ in range(depth):
        inner = '{"d": [' + inner + ']}'
    text = HEAD + ' "nodes": [], "deep":\n' + inner + "}"
    place = "deep" + ".d[0]" * depth + ".k"
    assert refusal(text).startswith(f"graph.json: {place}: duplicate key (line 2)")


def test_the_same_key_written_two_ways_is_a_duplicate():
    # "\u0069d" is "id": the parsed object has one key, the text two
    node = '{"id": "b", "op": "input", "value": 3, "\\u0069d": "c"}'
    message = refusal(graph_text(NODES[:1] + [node] + NODES[2:], EDGES))
    assert message.startswith("graph.json: nodes[1].id: duplicate key")


def test_odd_keys_are_quoted_in_the_path():
    text = HEAD + ' "nodes": [], "a b\\n": {"x y": 1, "x y": 2}}'
    message = refusal(text)
    assert message.startswith("graph.json: 'a b\\n'.x y: duplicate key"), message


def test_colons_and_look_alikes_in_strings_do_not_confuse_it():
    """Colons inside strings make the counting proof give up: the exact check decides."""
    nodes = ['{"id": "a:1", "op": "input", "value": 2, "label": "\\"id\\": 1, \\"id\\": 2"}',
             '{"id": "b", "op": "input", "value": 3, "note": {"id": "x", "op": "y"}}',
             '{"id": "u", "op": "multiply", "label": "{\\"k\\": 1, \\"k\\": 2}"}',
             NODES[3]]
    edges = ['{"from": "a:1", "to": "u", "port": 0}'] + EDGES[1:]
    model = fileformat.loads(graph_text(nodes, edges))
    assert model.label("a:1") == '"id": 1, "id": 2'
    bad = nodes[:3] + ['{"id": "J", "op": "scale", "factor": 3, "factor": 3}']
    assert refusal(graph_text(bad, edges)).startswith("graph.json: nodes[3].factor:")


def test_every_reader_refuses_it(tmp_path, capsys):
    from gradstudio.cli import main
    from gradstudio.ui.app.recovery import RecoveryInfo
    path = tmp_path / "dup.json"
    nodes = NODES[:3] + ['{"id": "J", "op": "scale", "factor": 3, "factor": 4}']
    path.write_text(graph_text(nodes, EDGES), encoding="utf-8")
    expected = f"{path}: nodes[3].factor: duplicate key (line 5)"
    for reader in (fileformat.load, fileformat.load_for_eval,
                   lambda p: RecoveryInfo(p, None, "x", 0.0, 1).load()):
        with pytest.raises(FileFormatError) as info:
            reader(path)
        assert str(info.value).startswith(expected)
    assert main(["eval", str(path), "--json"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith(expected) and out.err.count("\n") == 1


def test_the_window_refuses_it_and_keeps_the_open_graph(open_example, tmp_path):
    window = open_example("chain_rule")
    before = fileformat.dumps(window.doc.model)
    path = tmp_path / "dup.json"
    path.write_text(graph_text([NODES[0].replace('"value": 2', '"value": 2, "value": 9')]))
    assert not window.open_path(path, ask=False)
    assert window.errors[-1][1].startswith(f"{path}: nodes[0].value: duplicate key (line 2)")
    assert fileformat.dumps(window.doc.model) == before


# ------------------------------------------------------------------ hypothesis
keys = st.text(alphabet="abk:\"\\ é\n", min_size=0, max_size=3)
scalars = st.one_of(st.integers(-5, 5), st.text(alphabet='a:{}"[],\\', max_size=4),
                    st.booleans(), st.none())
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=25)


def joined(path: str, key: str) -> str:
    return f"{path}.{jsonkeys.key_text(key)}" if path else jsonkeys.key_text(key)


def objects_in(tree, path=""):
    """Every dict in ``tree`` with its JSON path, as the loader writes paths."""
    if isinstance(tree, dict):
        yield tree, path
        for key, value in tree.items():
            yield from objects_in(value, joined(path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from objects_in(value, f"{path}[{i}]")


MARK = " \t "  # whitespace no JSON string holds raw: marks where the copy starts


def dump_with_copy(tree, target, indent) -> str:
    """JSON text of ``tree`` in which the object ``target`` repeats its first key last."""
    if isinstance(tree, dict):
        items = [f"{json.dumps(k)}: {dump_with_copy(v, target, indent)}" for k, v in tree.items()]
        if tree is target:
            key, value = next(iter(tree.items()))
            items.append(f"{MARK}{json.dumps(key)}: {dump_with_copy(value, None, indent)}")
        return "{" + ("," + indent).join(items) + "}"
    if isinstance(tree, list):
        return "[" + ("," + indent).join(dump_with_copy(v, target, indent) for v in tree) + "]"
    return json.dumps(tree)


def line_of_copy(text: str) -> int:
    return text.count("\n", 0, text.index(MARK)) + 1


@settings(max_examples=150, deadline=None)
@given(tree=trees, pick=st.integers(0, 1000), indent=st.sampled_from(["", " ", "\n"]))
def test_find_names_the_copied_key_at_any_depth(tree, pick, indent):
    """A tree of lists and objects (keys with colons, quotes, newlines); one object
    gets its first key again: ``find`` names that object's path, the key and its line."""
    wrapped = {"doc": tree}
    candidates = [(obj, path) for obj, path in objects_in(wrapped) if obj]
    obj, path = candidates[pick % len(candidates)]
    assert jsonkeys.find(dump_with_copy(wrapped, None, indent)) is None
    text = dump_with_copy(wrapped, obj, indent)
    found = jsonkeys.find(text)
    first_key = next(iter(obj))
    assert found is not None and found.key == first_key
    assert found.path == joined(path, first_key)
    assert found.line == line_of_copy(text)


@settings(max_examples=100, deadline=None)
@given(tree=trees, pick=st.integers(0, 1000))
def test_the_loader_refuses_a_copied_key_in_an_unknown_key(tree, pick):
    """The same through the loader: a valid graph whose unknown key holds the tree."""
    doc = {"format": "gradstudio", "version": 1, "extra": tree,
           "nodes": [{"id": "a", "op": "input", "value": 1}], "edges": []}
    candidates = [(obj, path) for obj, path in objects_in(doc) if obj]
    obj, path = candidates[pick % len(candidates)]
    text = dump_with_copy(doc, obj, "\n")
    message = refusal(text)
    place = joined(path, next(iter(obj)))
    assert re.match(rf"graph\.json: {re.escape(place)}: duplicate key \(lines? "
                    rf"(\d+ and )?{line_of_copy(text)}\)", message), message


def test_a_pasted_fragment_with_a_duplicate_key_is_refused():
    from gradstudio.core.errors import GraphError
    from gradstudio.ui.editor.clipboard import parse_fragment
    good = '{"format": "gradstudio-nodes", "nodes": [{"id": "a", "op": "input", "value": 1}]}'
    assert parse_fragment(good)[0] == [("a", {"op": "input", "value": 1})]
    with pytest.raises(GraphError, match="appears twice"):
        parse_fragment(good.replace('"value": 1', '"value": 1, "value": 2'))
