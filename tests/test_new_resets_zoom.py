"""File → New after a graph shown zoomed out (a wide one fitted at 300 %, or zoomed
by hand) starts at 100 %, as the first start does: the last graph's zoom stayed, and
the nodes a lecturer then dropped came out tiny (a lecturer saw the grid's spacing
differ from a fresh start)."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui import settle


def test_new_after_a_zoomed_out_graph_starts_at_100(open_example):
    window = open_example("logistic_neuron")
    window.view.fit()
    window.view.zoom_by(0.5)
    settle()
    assert window.view.zoom() < 0.5
    window.answers = ["discard"]
    QTest.keySequence(window, "Ctrl+N")  # File → New, as a user presses it
    settle()
    assert not window.doc.model.nodes()
    assert window.view.zoom() == 1.0
    # The grid drawn at its 100 % spacing: 20 canvas units are 20 pixels apart.
    a, b = window.view.mapFromScene(0, 0), window.view.mapFromScene(20, 0)
    assert b.x() - a.x() == 20
