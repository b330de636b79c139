"""On a big graph (texts refreshed in sight first), the wires and nodes a step lit
are unlit at once when the steps end, wherever their chips are: a lit wire shows
along its whole length, and a lecturer saw two blue wires stay after a Delete."""

from __future__ import annotations

from gui import click_node, settle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def lit(scene):
    return ([e for e, item in scene.edges.items() if item.active],
            [n for n, item in scene.nodes.items() if item.active])


def test_a_delete_after_presenting_unlits_every_wire_at_once(big_presented):
    window = big_presented
    scene = window.scene
    for _ in range(3):
        QTest.keyClick(window, Qt.Key_Right)
        settle(scene)
    wires, nodes = lit(scene)
    assert wires and nodes  # the third step's node and wires are lit
    QTest.keyClick(window, Qt.Key_Escape)
    settle(scene)
    assert not window.presentation.presenting
    victim = next(n for n in scene.nodes if n not in nodes and all(
        n not in e[:2] for e in wires))
    scene.clearSelection()
    window.view.centerOn(scene.nodes[victim])
    settle(scene)
    click_node(window, victim)
    QTest.keyClick(window.view.viewport(), Qt.Key_Delete)
    assert victim not in scene.nodes  # deleted, the steps ended
    assert lit(scene) == ([], [])  # before any idle slice: nothing waits to be unlit
