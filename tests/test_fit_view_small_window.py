"""Fit View in a small window (issue 14's test, P9): a 10-node graph whose whole
picture needs a zoom below the text threshold is shown whole with its texts drawn
(issue 10: whole-graph visibility wins; before, it was shown from its start and
the output was cut off), not as empty boxes; a big graph still fits as boxes."""

from PySide6.QtCore import Qt

import gradstudio as gs
from gradstudio.ui.canvas.items.node import text_lod
from gradstudio.ui.canvas.large.policy import READABLE_FIT_NODES

NEURON = "o = tanh(x1*w1 + x2*w2 + b), x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432"


def fitted(window, qtbot, formula, tmp_path):
    gs.Graph.from_formula(formula).save(tmp_path / "g.json")
    window.resize(1066, 666)  # the size a tester's saved geometry gave: canvas ~520 px
    window.doc.open(tmp_path / "g.json")
    qtbot.keyClick(window.view, Qt.Key_0, Qt.ControlModifier)  # View → Fit View
    window.view.viewport().grab()  # a paint: the view decides texts or boxes there
    return window.view


def test_a_small_graph_fitted_in_a_small_window_is_whole_with_its_texts(window, qtbot,
                                                                         tmp_path):
    view = fitted(window, qtbot, NEURON, tmp_path)
    scene = window.scene
    assert len(scene.nodes) == 10 and view.viewport().width() < 600
    assert view.zoom() < text_lod()  # below the threshold, and yet:
    assert scene.detail  # texts, chips and ports drawn
    in_sight = view.mapToScene(view.viewport().rect()).boundingRect()
    for node_id, node in scene.nodes.items():  # the whole graph is in sight
        assert in_sight.contains(node.sceneBoundingRect()), node_id


def test_a_big_graph_still_fits_whole_as_boxes(window, qtbot, tmp_path):
    terms = " + ".join(f"x{i}*w{i}" for i in range(120))
    view = fitted(window, qtbot, f"J = {terms}", tmp_path)
    scene = window.scene
    assert len(scene.nodes) > READABLE_FIT_NODES
    assert view.zoom() < text_lod() and not scene.detail  # zoomed out as before
