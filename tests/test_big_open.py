"""Opening a big graph shows progress, keeps painting, and can be cancelled."""

import json
import sys
from pathlib import Path

from PySide6.QtWidgets import QProgressDialog

from gradstudio.core import fileformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from graphgen import generate  # noqa: E402


def big_file(tmp_path, n=600):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(generate(n, seed=3, layout=True)))
    return path


def test_a_big_open_reports_progress_and_builds_every_item(open_example, tmp_path, monkeypatch):
    window = open_example("chain_rule")
    window.big_graph_items = 500  # a small "big" graph keeps the test quick
    seen, dialogs = [], []
    original = QProgressDialog.setValue
    monkeypatch.setattr(QProgressDialog, "setValue",
                        lambda self, v: (seen.append(v), dialogs.append(self),
                                         original(self, v))[-1])
    path = big_file(tmp_path)
    assert window.open_path(path)
    model = fileformat.load(path)
    assert len(seen) >= 2 and seen == sorted(seen)
    assert len(window.scene.nodes) == len(model)
    assert len(window.scene.edges) == model.graph.number_of_edges()
    assert not any(dialog.isVisible() for dialog in dialogs)  # closed when done


def test_cancel_keeps_the_graph_that_was_open(open_example, tmp_path, monkeypatch):
    window = open_example("chain_rule")
    window.doc.set_param("a", "value", 8)  # unsaved work; the prompt answers Discard
    before = fileformat.dumps(window.doc.model)
    window.big_graph_items = 500
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert not window.open_path(big_file(tmp_path), ask=False)
    assert fileformat.dumps(window.doc.model) == before
    assert len(window.scene.nodes) == 6 and len(window.scene.edges) == 5
    assert window.doc.dirty and window.isWindowModified()
    assert window.windowTitle().startswith("chain_rule.json[*]")
    assert "cancelled" in window.statusBar().currentMessage()
