"""Hostile values: each is kept exactly or refused with a message, and files round-trip.

Huge and tiny numbers, negative zero, a decimal comma typed in a locale that
uses one, clipboard text that is not a graph, 10,000-character labels, ids
with quotes and unicode, and saving under a locale that writes 1,5.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from gradstudio.core import fileformat
from gradstudio.core.errors import FileFormatError

HOSTILE_NUMBERS = """{
  "edges": [
    {"from": "a", "port": 0, "to": "m"},
    {"from": "b", "port": 1, "to": "m"},
    {"from": "m", "port": 0, "to": "J"},
    {"from": "z", "port": 0, "to": "s"}
  ],
  "format": "gradstudio",
  "nodes": [
    {"id": "a", "op": "input", "value": 1e+308, "x": -0.0, "y": 5e-324},
    {"id": "b", "op": "input", "value": 5e-324, "x": 1.7976931348623157e+308, "y": 0},
    {"id": "z", "op": "input", "value": -0.0, "x": 0, "y": 200},
    {"id": "m", "op": "multiply", "x": 200, "y": 0},
    {"factor": 2.2250738585072014e-308, "id": "J", "op": "scale", "x": 400, "y": 0},
    {"factor": -0.0, "id": "s", "op": "scale", "x": 200, "y": 200}
  ],
  "output": "J",
  "version": 1
}
"""


@pytest.fixture
def german():
    """QLocale's default is German (decimal comma) for the test, then as it was."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.German, QLocale.Germany))
    assert QLocale().decimalPoint() == ","
    yield
    QLocale.setDefault(before)


# ---------------------------------------------------------------------- numbers
def test_huge_tiny_and_negative_zero_round_trip_exactly(tmp_path):
    model = fileformat.loads(HOSTILE_NUMBERS, "hostile.json")
    assert model.param("a", "value") == 1e308
    assert model.param("b", "value") == 5e-324
    z = model.param("z", "value")
    assert z == 0 and str(z) == "-0.0"
    text = fileformat.dumps(model)
    for literal in ('"value": 1e+308', '"value": 5e-324', '"value": -0.0', '"x": -0.0',
                    '"y": 5e-324', '"factor": 2.2250738585072014e-308', '"factor": -0.0',
                    '"x": 1.7976931348623157e+308'):
        assert literal in text
    target = tmp_path / "hostile.json"
    fileformat.save(model, target)
    again = fileformat.load(target)
    assert fileformat.dumps(again) == text
    assert target.read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("literal, message", [
    ("1e309", "nodes[0].value: must be a finite number, not inf"),
    ("-1e999", "nodes[0].value: must be a finite number, not -inf"),
    ("NaN", "nodes[0].value: must be a finite number, not NaN"),
    ("1" + "0" * 400, "nodes[0].value: must be a finite number, not 1000000000"),
])
def test_numbers_beyond_a_double_are_refused_in_one_line(literal, message):
    text = ('{"format": "gradstudio", "version": 1, "nodes": '
            f'[{{"id": "a", "op": "input", "value": {literal}}}]}}')
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(text, "big.json")
    assert str(info.value).startswith(f"big.json: {message}")
    assert "\n" not in str(info.value)


def test_negative_zero_shows_as_zero_and_saves_as_minus_zero(window, tmp_path):
    source = tmp_path / "hostile.json"
    source.write_text(HOSTILE_NUMBERS, encoding="utf-8")
    assert window.open_path(source)
    window.run_pass("backward")
    scene = window.scene
    assert scene.nodes["z"].value_text == "= 0"
    assert scene.nodes["s"].value_text == "= 0"
    assert "-0" not in scene.nodes["s"].grad_text
    assert scene.nodes["m"].value_text == "= 4.941e−16"  # 1e308 · 5e-324 (a real minus sign)
    window.doc.set_label("a", "big")  # something to save
    window.doc.save()
    saved = source.read_text(encoding="utf-8")
    assert '"value": -0.0' in saved and '"factor": -0.0' in saved
    assert '"value": 1e+308' in saved and '"value": 5e-324' in saved


# ------------------------------------------------------------------ decimal comma
def type_into(qtbot, widget, text):
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key_Return)


def test_decimal_comma_in_the_properties_panel(german, open_example, qtbot):
    window = open_example("chain_rule")
    window.scene.nodes["a"].setSelected(True)
    field = window.properties.fields["value"]
    type_into(qtbot, field.lineEdit(), "1,5")
    assert window.doc.model.param("a", "value") == 1.5
    type_into(qtbot, field.lineEdit(), "-0,25")
    assert window.doc.model.param("a", "value") == -0.25
    type_into(qtbot, field.lineEdit(), "2.75")  # a point still works
    assert window.doc.model.param("a", "value") == 2.75
    type_into(qtbot, field.lineEdit(), "1,5,5")  # not a number: the value stays
    assert window.doc.model.param("a", "value") == 2.75


def test_decimal_comma_in_the_inline_editor(german, open_example, qtbot):
    window = open_example("chain_rule")
    window.inline_editor.start("a", "param")
    assert window.inline_editor.isVisible() and window.inline_editor.text() == "5"
    type_into(qtbot, window.inline_editor, "1,5")
    assert window.doc.model.param("a", "value") == 1.5
    window.inline_editor.start("J", "param")
    type_into(qtbot, window.inline_editor, "0,001")
    assert window.doc.model.param("J", "factor") == 0.001
    window.inline_editor.start("J", "param")
    type_into(qtbot, window.inline_editor, "drei")
    assert window.doc.model.param("J", "factor") == 0.001
    assert "not a number" in window.statusBar().currentMessage()


def test_saving_under_a_german_locale_writes_points_not_commas(german, open_example, tmp_path):
    window = open_example("chain_rule")
    doc = window.doc
    doc.set_param("a", "value", 1.5)
    doc.set_param("J", "factor", 0.1 + 0.2)  # repr precision: 0.30000000000000004
    doc.set_param("b", "value", 1234567.125)
    target = tmp_path / "de.json"
    window.ask_save_path = lambda: str(target)
    assert window.save_as()
    data = target.read_bytes()
    assert b'"value": 1.5,' in data
    assert b'"factor": 0.30000000000000004,' in data
    assert b'"value": 1234567.125,' in data
    assert b"1,5" not in data and b"1.234.567" not in data
    assert fileformat.load(target).param("J", "factor") == 0.1 + 0.2


# ------------------------------------------------------------------- clipboard
NOT_GRAPHS = [
    "",
    "this is not a graph",
    "{}",
    "[1, 2, 3]",
    '{"format": "gradstudio-nodes", "nodes": []}',
    '{"format": "gradstudio-nodes", "nodes": [{"id": "x", "op": "nope"}]}',
    '{"format": "gradstudio-nodes", "nodes": [{"id": "x", "op": "input", "value": NaN}]}',
    '{"format": "gradstudio-nodes", "nodes": [{"id": "x", "op": "input", "value": "5"}]}',
    '{"format": "gradstudio-nodes", "nodes": [{"id": "x", "op": "input", "value": 1e999}]}',
    '{"format": "gradstudio-nodes", "nodes": [{"id": "", "op": "input"}]}',
    '{"format": "gradstudio-nodes", "nodes": [{"id": "p", "op": "add"}, {"id": "q", "op": "add"}],'
    ' "edges": [{"from": "p", "to": "q", "port": 0}, {"from": "q", "to": "p", "port": 0}]}',
    "[" * 100_000,
    '{"format": "gradstudio-nodes", "nodes": ' + "[" * 5000 + "]" * 5000 + "}",
    "\ud800 not text",
]


@pytest.mark.parametrize("text", NOT_GRAPHS, ids=range(len(NOT_GRAPHS)))
def test_pasting_text_that_is_not_a_graph_changes_nothing(text, open_example):
    window = open_example("chain_rule")
    doc = window.doc
    before = fileformat.dumps(doc.model)
    steps = doc.undo_stack.count()
    QApplication.clipboard().setText(text)
    window.act_paste.trigger()
    assert window.statusBar().currentMessage().startswith("Nothing pasted: ")
    assert fileformat.dumps(doc.model) == before
    assert doc.undo_stack.count() == steps and not doc.dirty
    assert set(window.scene.nodes) == set(doc.model.nodes())


# ----------------------------------------------------------------- long labels
def test_a_10000_character_label_is_kept_and_drawn_elided(open_example, tmp_path, qtbot,
                                                          monkeypatch):
    """The label is measured and laid out cut short, never at its full length, and a
    repaint lays nothing out again (benchmarks/bench_worst_cases.py times both)."""
    from gradstudio.ui.canvas.items import edge as edge_items, node as node_items
    from gradstudio.ui.canvas.items.node import NODE_MAX_WIDTH
    from gradstudio.ui.canvas.items.text import CLIP
    from gradstudio.ui.theme import THEME
    measured, laid_out = [], []
    width = THEME.text_width
    monkeypatch.setattr(THEME, "text_width",
                        lambda text, *args: measured.append(len(text)) or width(text, *args))
    for module in (node_items, edge_items):
        placed = module.placed_text
        monkeypatch.setattr(module, "placed_text", lambda text, *args, placed=placed:
                            laid_out.append(len(text)) or placed(text, *args))
    window = open_example("chain_rule")
    doc = window.doc
    label = "Ω" + "x" * 9_998 + "!"
    doc.set_label("u", label)
    window.run_pass("backward")
    window.view.fit()
    image = window.grab()
    image.save(str(tmp_path / "long_label.png"))
    assert measured and laid_out  # the label's node and chips were measured and drawn
    assert max(measured) <= CLIP + 1 and max(laid_out) <= CLIP + 1  # cut short first
    item = window.scene.nodes["u"]
    assert item.title == label
    assert item.width <= NODE_MAX_WIDTH
    assert window.scene.itemsBoundingRect().width() < 3000
    # The wires' chips name the label (∂v/∂u…) and stay bounded too.
    for edge, edge_item in window.scene.edges.items():
        for chip in (edge_item.above, edge_item.below):
            assert chip.size()[0] < 400, (edge, chip.texts)
    # A repaint only draws: the texts stay laid out, nothing is measured again.
    del measured[:], laid_out[:]
    for _ in range(5):
        window.view.viewport().repaint()
    assert laid_out == [] and measured == []
    # Kept exactly through save and reload.
    target = tmp_path / "long.json"
    window.ask_save_path = lambda: str(target)
    assert window.save_as()
    assert fileformat.load(target).label("u") == label


def test_elided_text_keeps_both_ends_in_the_middle_mode(qapp):
    from gradstudio.ui.canvas.items.text import clip, elided
    from gradstudio.ui.theme import THEME
    long = "∂J/∂" + "y" * 5000 + " = 42"
    assert clip(long, middle=True).endswith(" = 42") and len(clip(long, middle=True)) < 400
    shown = elided(long, THEME.font(bold=True), 200, Qt.ElideMiddle)
    assert shown.startswith("∂J/∂") and shown.endswith("= 42") and "…" in shown
    assert elided("short", THEME.font(), 200) == "short"


# ------------------------------------------------------------ ids with quotes
ODD_IDS = ['say "hi"', "back\\slash", "naïve ∂u", "🙂", "日本", "no\u00a0break", "</script>",
           "a'b", "\u202eright-to-left"]
# Not one line of printable text: refused since issue 12 (tests/test_control_chars.py).
BROKEN_IDS = ["tab\there", "new\nline", "\u2028sep"]


def odd_ids_file() -> str:
    a, b, m, out = ODD_IDS[0], ODD_IDS[1], ODD_IDS[2], ODD_IDS[3]
    nodes = [{"id": a, "op": "input", "value": 2}, {"id": b, "op": "input", "value": 3},
             {"id": m, "op": "multiply"}, {"id": out, "op": "scale", "factor": 0.5}]
    nodes += [{"id": extra, "op": "input", "value": 1, "label": extra} for extra in ODD_IDS[4:]]
    edges = [{"from": a, "to": m, "port": 0}, {"from": b, "to": m, "port": 1},
             {"from": m, "to": out, "port": 0}]
    return json.dumps({"format": "gradstudio", "version": 1, "output": out,
                       "nodes": nodes, "edges": edges})


def test_ids_with_quotes_and_unicode_round_trip_and_eval_json_escapes_them(tmp_path):
    source = tmp_path / "odd.json"
    source.write_text(odd_ids_file(), encoding="utf-8")
    model = fileformat.load(source)
    assert model.nodes() == ODD_IDS
    saved = tmp_path / "saved.json"
    fileformat.save(model, saved)
    again = fileformat.load(saved)
    assert again.nodes() == ODD_IDS and fileformat.dumps(again) == fileformat.dumps(model)
    assert "日本" in saved.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    run = subprocess.run([sys.executable, "-m", "gradstudio", "eval", str(saved), "--json"],
                         capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.decode("utf-8"))
    assert list(result["nodes"]) == ODD_IDS
    assert result["output"] == "🙂"
    assert result["nodes"]["🙂"]["value"] == 3.0
    assert result["nodes"]['say "hi"']["grad"] == 1.5
    assert [(e["from"], e["to"]) for e in result["edges"]] == [
        ('say "hi"', "naïve ∂u"), ("back\\slash", "naïve ∂u"), ("naïve ∂u", "🙂")]


def test_ids_with_tabs_newlines_or_line_separators_are_refused():
    for broken in BROKEN_IDS:
        doc = json.loads(odd_ids_file())
        doc["nodes"][4]["id"] = doc["nodes"][4]["label"] = broken
        with pytest.raises(FileFormatError, match=r"^odd\.json: nodes\[4\]\.id: .*U\+"):
            fileformat.loads(json.dumps(doc), "odd.json")


def test_a_lone_surrogate_in_a_file_is_refused_in_one_line():
    text = ('{"format": "gradstudio", "version": 1, '
            '"nodes": [{"id": "a\\ud800", "op": "input", "value": 1}]}')
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(text, "s.json")
    message = str(info.value)
    assert message == "s.json: nodes[0].id: text with a lone surrogate \\ud800 is not valid Unicode"
    message.encode("utf-8")  # printable anywhere
    # A real pair of escapes is one character, and fine.
    good = text.replace("\\ud800", "\\ud83d\\ude00")
    assert fileformat.loads(good, "s.json").nodes() == ["a\U0001f600"]


def test_an_odd_key_in_a_message_is_quoted_on_one_line():
    text = '{"format": "gradstudio", "version": 1, "nodes": [], "a\\nb": NaN}'
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(text, "k.json")
    assert str(info.value) == ("k.json: 'a\\nb': NaN, Infinity and numbers too large "
                               "for a double are not JSON")


def test_deeply_nested_unknown_keys_are_refused_before_they_cannot_be_saved():
    def nested(depth):
        value = 0
        for _ in range(depth):
            value = [value]
        return value

    ok = {"format": "gradstudio", "version": 1, "nodes": [], "deep": nested(100)}
    model = fileformat.loads(json.dumps(ok), "ok.json")

    def save_from_deep_in_the_stack(n):  # as a Qt slot inside an event loop would
        return save_from_deep_in_the_stack(n - 1) if n else fileformat.dumps(model)

    assert fileformat.loads(save_from_deep_in_the_stack(400), "ok.json").extra["deep"] == ok["deep"]
    bad = dict(ok, deep=nested(101))
    with pytest.raises(FileFormatError) as info:
        fileformat.loads(json.dumps(bad), "deep.json")
    assert str(info.value) == "deep.json: deep: nested more than 100 levels deep"


def test_a_10000_character_id_with_markup_does_not_widen_the_window(window, tmp_path):
    node_id = "<b>x</b>" + "y" * 10_000
    source = tmp_path / "long_id.json"
    source.write_text(json.dumps({"format": "gradstudio", "version": 1, "nodes": [
        {"id": node_id, "op": "input", "value": 1, "x": 0, "y": 0}]}), encoding="utf-8")
    assert window.open_path(source)
    width = window.width()
    window.scene.nodes[node_id].setSelected(True)
    QApplication.processEvents()
    assert window.properties.node_id == node_id
    summary = window.properties.summary.text()
    assert "&lt;b&gt;x&lt;/b&gt;" in summary and "…" in summary and len(summary) < 200
    assert window.width() == width and window.properties.width() < 600
    assert window.properties.label_edit.text() == node_id  # the label (= id) is all there
