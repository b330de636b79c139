"""Negative numbers read with a real minus sign (U+2212) wherever the window and its
pictures show them: a scale node's ·−1, the node values, the chips, the Check and
Paths panels; files and the command line's tables keep ASCII."""

from __future__ import annotations

import json
import re

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui import settle
from gradstudio.core.numbers import MINUS

HYPHEN_SIGN = re.compile(r"(^|[\s=←→(·+×])-(?=[\d.]|inf)|(?<=\de)-(?=\d)")


def test_negative_numbers_show_a_minus_sign_on_the_canvas_and_panels(open_example, tmp_path):
    window = open_example("logistic_neuron")
    window.act_backward.trigger()
    settle(window.scene)
    scene = window.scene
    assert scene.nodes["L"].symbol == f"·{MINUS}1"  # scale by −1, was ·-1
    assert scene.nodes["w2"].value_text == f"= {MINUS}1"
    texts = [t for n in scene.nodes.values() for t in (n.symbol, n.value_text, n.grad_text)]
    texts += [line for e in scene.edges.values() for line in e.above.texts + e.below.texts]
    assert not [t for t in texts if HYPHEN_SIGN.search(t)]
    assert sum(MINUS in t for t in texts) >= 10
    # Check all and Paths panels.
    check = window.teaching.check
    window.teaching.check_dock.raise_()
    QTest.mouseClick(check.check_all_button, Qt.LeftButton)
    cells = [check.table.text(r, c) for r in range(check.table.rowCount())
             for c in range(check.table.columnCount())]
    assert any(MINUS in c for c in cells) and not [c for c in cells if HYPHEN_SIGN.search(c)]
    window.teaching.show_paths()
    window.teaching.paths.show_input("w1")
    assert MINUS in window.teaching.paths.summary.text()
    assert not HYPHEN_SIGN.search(window.teaching.paths.summary.text())
    # The file keeps plain numbers.
    path = tmp_path / "saved.json"
    window.doc.save(path)
    assert MINUS not in path.read_text(encoding="utf-8")
    assert '"factor": -1' in path.read_text(encoding="utf-8")


def test_the_exported_geometry_and_picture_use_the_minus_sign(examples, tmp_path):
    import subprocess
    import sys
    out = tmp_path / "g.json"
    subprocess.run([sys.executable, "-m", "gradstudio", "export",
                    str(examples / "logistic_neuron.json"), str(out), "--after", "backward"],
                   check=True)
    chips = json.loads(out.read_text(encoding="utf-8"))["chips"]
    assert any(MINUS in c["text"] for c in chips)
    assert not [c["text"] for c in chips if HYPHEN_SIGN.search(c["text"])]
    # eval's table stays ASCII for scripts.
    table = subprocess.run([sys.executable, "-m", "gradstudio", "eval",
                            str(examples / "logistic_neuron.json")], check=True,
                           capture_output=True, text=True).stdout
    assert MINUS not in table and "-" in table
