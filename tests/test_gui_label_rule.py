"""Labels made in the window follow the file format's rule (one line of printable
text), so a graph the window made always saves and opens again."""

import json

import pytest
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from gradstudio.core import fileformat
from gradstudio.core.errors import GraphError
from gradstudio.ui.app import recovery


def test_a_label_with_a_tab_is_refused_with_a_message_and_the_old_one_kept(window):
    window.open_example("chain_rule")
    node = next(n for n in window.doc.model.graph.nodes if window.doc.model.label(n) == "a")
    with pytest.raises(GraphError, match="control character U\\+0009"):
        window.doc.set_label(node, "a\tb")
    assert window.doc.model.label(node) == "a"
    window.doc.set_label(node, "α₁ <&>")  # any printable text is kept
    assert window.doc.model.label(node) == "α₁ <&>"


def test_a_pasted_label_with_a_control_character_is_dropped_and_the_paste_saves(window,
                                                                                tmp_path):
    fragment = {"nodes": [{"id": "p", "op": "input", "value": 1.0, "label": "bad\x07"}],
                "edges": []}
    mime = QMimeData()
    mime.setText(json.dumps({"format": "gradstudio-nodes", **fragment}))
    QGuiApplication.clipboard().setMimeData(mime)
    before = len(window.doc.model)
    window.editing.paste()
    assert len(window.doc.model) == before + 1  # pasted, under its id
    labels = [window.doc.model.label(n) for n in window.doc.model.graph.nodes]
    assert all("\x07" not in label for label in labels)
    window.doc.save(tmp_path / "pasted.json")
    fileformat.load(tmp_path / "pasted.json")  # the loader's rule holds


def test_recovery_skips_a_fifo_named_like_its_files_without_waiting(tmp_path):
    import os
    os.mkfifo(tmp_path / f"{recovery.PREFIX}stuck.json")
    assert recovery.pending(tmp_path) == []  # returns: a FIFO is not read
