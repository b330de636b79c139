"""Teaching tools in the window, driven by real events: click a node on the
canvas, trigger the action or press the panel's button, read what is shown."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from gui import click, click_node, table_rows
from gradstudio.core.numbers import parse_number
from gradstudio.ui.teaching.common import DISAGREE, DISAGREE_FILL
from gradstudio.ui.theme import THEME


# ----------------------------------------------------------------- nudge
def test_nudge_a_on_chain_rule_gives_33_003_and_about_3(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    click_node(window, "a")
    window.teaching.act_nudge.trigger()
    assert window.teaching.check_dock.isVisible()
    assert check.picker.current() == "a"
    assert check.change.text() == "a: 5 → 5.001    J: 33 → 33.003"
    assert check.boxes["slope"][2].text() == "3"
    assert check.boxes["analytic"][2].text() == "3"
    assert parse_number(check.boxes["relative"][2].text()) < 1e-9  # (3.8e−14: a real minus)
    assert "a = 5 → 5.001 makes J = 33 → 33.003, so ∂J/∂a ≈ 3" in check.sentence.text()
    assert check.verdict.text().startswith("✓")
    # The canvas shows nothing new: the check never touches the annotations.
    assert window.doc.shown == ""


def test_nudge_button_with_another_input_and_h(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    window.teaching.check_dock.raise_()
    click_node(window, "b")
    assert check.picker.current() == "b"
    check.h_edit.setText("0.5")
    click(check.nudge_button)
    assert check.change.text() == "b: 3 → 3.5    J: 33 → 36"
    assert check.boxes["slope"][2].text() == "6"
    assert check.boxes["analytic"][2].text() == "6"
    check.h_edit.setText("0")
    click(check.nudge_button)
    assert "h cannot be 0" in check.sentence.text()


def test_an_edit_clears_the_nudge(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    click_node(window, "a")
    window.teaching.act_nudge.trigger()
    assert check.result is not None
    window.doc.set_param("a", "value", 6.0)
    assert check.result is None and check.boxes["slope"][2].text() == "–"
    assert "changed" in check.sentence.text()


# ------------------------------------------------------------- check all
def test_check_all_on_chain_rule_agrees(open_example):
    window = open_example("chain_rule")
    check = window.teaching.check
    window.teaching.check_dock.raise_()
    click(check.check_all_button)
    rows = table_rows(check.table)
    assert [r[0] for r in rows] == ["a", "b", "c"]
    assert all(r[1] == "✓ agrees" for r in rows)
    assert [r[2] for r in rows] == ["3", "6", "9"]
    assert check.summary.text() == "✓ All 3 gradients agree with central differences."
    titles = [str(check.table.rows_model.headerData(c, Qt.Horizontal))
              for c in range(check.table.columnCount())]
    assert titles[:3] == ["input", "verdict", "∂J/∂x"]  # no column without a title


def test_check_all_marks_relu_at_zero(window, tmp_path):
    graph = {"format": "gradstudio", "version": 1, "output": "J",
             "nodes": [{"id": "x", "op": "input", "value": 0, "x": 0, "y": 0},
                       {"id": "w", "op": "input", "value": 2, "x": 0, "y": 150},
                       {"id": "r", "op": "relu", "x": 250, "y": 0},
                       {"id": "J", "op": "multiply", "x": 500, "y": 60}],
             "edges": [{"from": "x", "to": "r", "port": 0}, {"from": "r", "to": "J", "port": 0},
                       {"from": "w", "to": "J", "port": 1}]}
    path = tmp_path / "relu.json"
    path.write_text(json.dumps(graph))
    assert window.open_path(path)
    check = window.teaching.check
    window.teaching.act_check_all.trigger()
    rows = {r[0]: r for r in table_rows(check.table)}
    assert rows["x"][1] == "✗ DIFFERS"
    assert (rows["x"][2], rows["x"][3]) == ("0", "1")  # relu'(0) = 0; both sides give ½·2
    assert rows["w"][1] == "✓ agrees"
    # Marked by colour too: the row's fill and the bold verdict.
    assert check.table.cell(0, 1, Qt.BackgroundRole).color() == DISAGREE_FILL
    assert check.table.cell(0, 1, Qt.FontRole).bold()
    assert check.table.cell(0, 1, Qt.ForegroundRole).color() == DISAGREE
    assert check.table.cell(1, 1, Qt.BackgroundRole) is None  # w agrees: no fill
    assert check.summary.text().startswith("✗ 1 of 2 gradients disagrees")
    assert "color" in check.summary.styleSheet()


# ----------------------------------------------------------------- paths
def test_paths_for_colah_b_list_two_paths_with_products_2_and_3(open_example):
    window = open_example("colah_paths")
    paths = window.teaching.paths
    click_node(window, "b")
    window.teaching.act_paths.trigger()
    assert window.teaching.paths_dock.isVisible()
    assert table_rows(paths.table) == [["b → c → e", "1 × 2", "2"], ["b → d → e", "1 × 3", "3"]]
    assert paths.heading.text().startswith("2 paths from b to e")
    assert paths.summary.text() == ("Sum over the paths: 2 + 3 = 5, which equals ∂e/∂b = 5 "
                                    "from the backward pass. ✓")


def test_paths_panel_follows_the_selection_and_edits(open_example, qtbot):
    window = open_example("colah_paths")
    paths = window.teaching.paths
    window.teaching.paths_dock.show()
    window.teaching.paths_dock.raise_()
    click_node(window, "b")
    qtbot.waitUntil(lambda: table_rows(paths.table) == [["b → c → e", "1 × 2", "2"],
                                                        ["b → d → e", "1 × 3", "3"]],
                    timeout=5000)
    click_node(window, "a")
    qtbot.waitUntil(lambda: table_rows(paths.table) == [["a → c → e", "1 × 2", "2"]],
                    timeout=5000)
    window.doc.set_param("b", "value", 2.0)  # d = 3, so the product becomes 3
    qtbot.waitUntil(lambda: table_rows(paths.table) == [["a → c → e", "1 × 3", "3"]],
                    timeout=5000)


def test_paths_panel_caps_a_lattice_and_says_how_many(window, qtbot):
    from test_teaching_core import lattice
    window.doc.set_model(lattice(40))
    window.teaching.paths_dock.show()
    window.teaching.paths.show_input("x")
    paths = window.teaching.paths
    assert paths.table.rowCount() == 200
    assert paths.heading.text() == (f"There are {2 ** 40:,} paths from x to J — too many to "
                                    "list: showing the first 200.")
    assert "equals ∂J/∂x" in paths.summary.text()


def test_square_paths_name_the_ports(open_example):
    window = open_example("square")
    window.teaching.paths_dock.show()
    window.teaching.paths.show_input("a")
    rows = table_rows(window.teaching.paths.table)
    assert [r[0] for r in rows] == ["a →₀ u → J", "a →₁ u → J"]


# ----------------------------------------------------------- forward mode
def test_forward_mode_from_b_on_colah(open_example):
    window = open_example("colah_paths")
    click_node(window, "b")
    window.teaching.act_forward_mode.trigger()
    nodes = window.scene.nodes
    assert window.doc.shown == "tangent"
    assert {n: nodes[n].grad_text for n in ("a", "b", "c", "d", "e")} == {
        "a": "∂a/∂b = 0", "b": "∂b/∂b = 1", "c": "∂c/∂b = 1", "d": "∂d/∂b = 1",
        "e": "∂e/∂b = 5"}
    assert nodes["c"].grad_color == THEME.tangent
    assert nodes["c"].value_text == "= 3"
    edges = window.scene.edges
    assert edges[("c", "e", 0)].below.texts == ["→ 2"]  # ∂e/∂c = d = 2, times ∂c/∂b = 1
    assert edges[("d", "e", 1)].below.texts == ["→ 3"]
    assert edges[("c", "e", 0)].below.lines[0][1] == THEME.tangent
    panel = window.teaching.forward_mode
    assert window.teaching.forward_dock.isVisible()
    assert "One forward-mode pass gives d(every node)/dx" in panel.general.text()
    assert "one backward pass gives dJ/d(every input)" in panel.general.text()
    assert "∂e/∂b = 5" in panel.sentence.text()

    # Leave: back to plain forward values, no tangents anywhere.
    assert window.teaching.act_leave_forward_mode.isEnabled()
    click(panel.leave_button)
    assert window.doc.shown == "forward"
    assert nodes["e"].grad_text == "" and edges[("c", "e", 0)].below.texts == []
    assert not window.teaching.act_leave_forward_mode.isEnabled()


def test_an_edit_clears_forward_mode(open_example):
    window = open_example("colah_paths")
    click_node(window, "b")
    window.teaching.act_forward_mode.trigger()
    assert window.scene.nodes["e"].grad_text == "∂e/∂b = 5"
    window.doc.set_param("a", "value", 3.0)
    assert window.doc.shown == "" and window.scene.nodes["e"].grad_text == ""
    window.doc.undo_stack.undo()
    assert window.scene.nodes["e"].grad_text == ""  # cleared, not stale numbers back


def test_forward_mode_follows_live_edits(open_example):
    window = open_example("colah_paths")
    window.act_live.trigger()
    click_node(window, "b")
    window.teaching.act_forward_mode.trigger()
    window.doc.set_param("a", "value", 3.0)  # c = 4, so ∂e/∂b = 2 + 4
    assert window.scene.nodes["e"].grad_text == "∂e/∂b = 6"
    window.doc.delete(["b"])  # the input is gone: forward mode ends
    assert window.doc.shown == ""


def test_forward_mode_needs_an_input(open_example):
    window = open_example("colah_paths")
    click_node(window, "c")
    window.teaching.forward_mode.picker.clear()
    window.teaching.act_forward_mode.trigger()
    assert window.doc.shown == ""
    assert "input" in window.statusBar().currentMessage()


def test_teaching_menu_holds_the_actions(window):
    texts = [a.text() for a in window.teaching.menu.actions()]
    assert "Forward &Mode from Selected Input" in texts
    assert "&Nudge Selected Input" in texts and "Check &All Gradients" in texts
