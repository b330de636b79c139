"""Control characters in ids and labels (issue 12, part 5).

The rule (gradstudio/core/plaintext.py, docs/file-format.md): ids and labels are
one line of printable text, so control characters (C0, DEL, C1), U+2028/U+2029
and U+FFFE/U+FFFF are refused by the loader, with the place and the character;
everything else loads and is kept. Drawn from all of Unicode: a file either is
refused in one line or loads, prints an eval table of one line per row, and
exports an SVG that an XML parser reads.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gradstudio.core import evaluate, fileformat, plaintext
from gradstudio.core.errors import FileFormatError, GraphError
from gradstudio.core.evalreport import print_table

REFUSED = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF)]
# Characters that are fine but easy to get wrong in XML, JSON or a terminal.
AWKWARD = ['"', "'", "<", ">", "&", "]]>", "\\", "\u202e", "\u200b", "\ud7ff", "\ue000",
           "\U0010ffff", "😀", "∂J/∂b", "\u00a0", " "]

TEXTS = st.lists(st.one_of(st.characters(blacklist_categories=("Cs",)),
                           st.sampled_from(REFUSED), st.sampled_from(AWKWARD)),
                 min_size=1, max_size=12).map("".join)


def document(node_id: str, label: str | None) -> dict:
    node = {"id": node_id, "op": "scale", "factor": 2}
    if label is not None:
        node["label"] = label
    return {"format": "gradstudio", "version": 1, "output": node_id,
            "nodes": [{"id": "a", "op": "input", "value": 3}, node],
            "edges": [{"from": "a", "to": node_id, "port": 0}]}


def broken(text: str | None) -> bool:
    return text is not None and any(ch in text for ch in REFUSED)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(node_id=TEXTS, label=st.none() | TEXTS, ascii_only=st.booleans())
def test_ids_and_labels_load_or_are_refused_by_the_rule(tmp_path_factory, node_id, label,
                                                        ascii_only):
    if node_id == "a":
        node_id = "b"
    text = json.dumps(document(node_id, label), ensure_ascii=ascii_only)
    path = tmp_path_factory.mktemp("cc") / "g.json"
    path.write_text(text, encoding="utf-8")
    for loader in (fileformat.load, fileformat.load_for_eval, lambda p: fileformat.loads(text)):
        if broken(node_id) or broken(label):
            with pytest.raises(FileFormatError) as info:
                loader(path)
            message = str(info.value)
            key = "id" if broken(node_id) else "label"
            assert f"nodes[1].{key}: " in message and "\n" not in message, message
            bad = next(ch for ch in (node_id if key == "id" else label) if ch in REFUSED)
            assert f"U+{ord(bad):04X}" in message and "one line of printable text" in message
        else:
            model = loader(path)
            assert model.label(node_id) == (label if label is not None else node_id)
    if not (broken(node_id) or broken(label)):
        model = fileformat.load(path)
        assert fileformat.loads(fileformat.dumps(model)).label(node_id) == model.label(node_id)


@settings(max_examples=60, deadline=None)
@given(node_id=TEXTS.filter(lambda t: not broken(t) and t != "a"),
       label=st.none() | TEXTS.filter(lambda t: not broken(t)))
def test_the_eval_table_keeps_one_line_per_row(node_id, label):
    import contextlib
    import io
    model = fileformat.from_dict(document(node_id, label))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_table(model, evaluate(model))
    lines = out.getvalue().splitlines()
    # output line, blank, header, 2 nodes, blank, header, 1 edge
    assert len(lines) == 8, lines
    assert any(line.startswith(node_id) for line in lines[3:5])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(node_id=TEXTS.filter(lambda t: not broken(t) and t != "a"),
       label=st.none() | TEXTS.filter(lambda t: not broken(t)))
def test_every_graph_that_loads_exports_an_svg_that_is_xml(qapp, tmp_path_factory, node_id,
                                                           label):
    from gradstudio.ui.headless import export_file
    folder = tmp_path_factory.mktemp("svg")
    path = folder / "g.json"
    path.write_text(json.dumps(document(node_id, label), ensure_ascii=False), encoding="utf-8")
    export_file(path, folder / "g.svg", after="backward")
    root = ET.parse(folder / "g.svg").getroot()
    assert root.tag.endswith("svg")
    texts = "".join(root.itertext())
    assert "6" in texts  # the scale node's value, 2 · 3


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\t", "\n", "\x7f", "\x85", "\u2028",
                                  "\ufffe"])
def test_the_messages_name_the_place_and_the_character(char):
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(json.dumps(document("b", f"x{char}y")), "graph.json")
    name = plaintext.describe(char)
    assert str(info.value) == (f"graph.json: nodes[1].label: {name} (character 2) is not "
                               "allowed in a label: ids and labels are one line of printable text")
    assert re.fullmatch(r"(control character|line separator|noncharacter) U\+[0-9A-F]{4}", name)
    with pytest.raises(FileFormatError, match=r"nodes\[1\]\.id: .* not allowed in an id"):
        fileformat.from_dict(document(f"b{char}", None))


def test_unknown_keys_keep_any_text_they_hold():
    doc = document("b", "fine")
    doc["note"] = "tabs\tand\nnewlines\x00 stay in unknown keys"
    doc["nodes"][1]["comment"] = "\x1b[31m"
    model = fileformat.from_dict(doc)
    assert fileformat.loads(fileformat.dumps(model)).extra["note"] == doc["note"]


def test_check_is_there_for_editors():
    plaintext.check("∂J/∂b <ok> & fine", "a label")
    with pytest.raises(GraphError, match="U\\+0009"):
        plaintext.check("a\tb", "a label")


@settings(max_examples=500, deadline=None)
@given(text=TEXTS, ascii_only=st.booleans())
def test_the_loaders_quick_look_never_misses_a_refused_character(text, ascii_only):
    """The loader checks ids and labels only where ``may_hold`` says the JSON text
    could hold a refused character (a few ms on an 18 MB file, instead of a scan)."""
    if plaintext.NOT_ALLOWED.search(text):
        assert plaintext.may_hold(json.dumps({"id": text}, ensure_ascii=ascii_only))
    assert not plaintext.may_hold(json.dumps({"id": "plain ascii", "x": 1.5}))
