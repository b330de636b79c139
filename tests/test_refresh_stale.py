"""StaleItems on its own: what is stale after a mark, the order and the batches of the
idle slices, run by its own timer in the event loop.

The slices decide by the clock (``time.perf_counter`` in the stale module): here that
clock is the test's, and moves only by what each refresh says it cost, so a slow or a
busy machine sees the same slices, batches and overruns as a fast one (on the real
clock: benchmarks/bench_worst_cases.py)."""

from types import SimpleNamespace

from PySide6.QtCore import QTimer

from gradstudio.ui.canvas.large import stale as stale_module
from gradstudio.ui.canvas.large.stale import StaleItems


class _Item:
    def __init__(self, node_id=None, edge=None):
        self.node_id, self.edge = node_id, edge


def _stale(qapp):
    done = []
    stale = StaleItems(lambda nodes, edges: done.append((list(nodes), list(edges))))
    return stale, done


def test_a_mark_keeps_its_own_keys_and_the_slices_take_nodes_then_wires(qapp, qtbot):
    stale, done = _stale(qapp)
    nodes = {f"n{i}": None for i in range(30)}
    edges = {("n0", f"n{i}", 0): None for i in range(1, 50)}
    stale.set_idle_wires(False)
    stale.mark(nodes, edges)
    nodes.pop("n5")  # the scene's dicts change later: the mark does not
    nodes["new"] = None
    assert "n5" in stale.nodes and "new" not in stale.nodes
    stale.refresh_items([_Item(node_id="n1"), _Item(edge=("n0", "n2", 0)),
                         _Item(node_id="absent")])
    assert done == [(["n1"], [("n0", "n2", 0)])]
    assert "n1" not in stale.nodes and ("n0", "n2", 0) not in stale.edges
    qtbot.waitUntil(lambda: not stale.idle_work, timeout=5000)  # the idle slices ran
    slices = done[1:]
    assert [n for batch in slices for n in batch[0]] == [f"n{i}" for i in range(30) if i != 1]
    assert not any(batch[1] for batch in slices)  # the wires wait (idle_wires off)
    assert not stale.nodes and len(stale.edges) == 48 and stale
    del done[:]
    stale.set_idle_wires(True)
    qtbot.waitUntil(lambda: not stale, timeout=5000)
    assert [e for batch in done for e in batch[1]] == [e for e in edges if e != ("n0", "n2", 0)]
    assert not any(batch[0] for batch in done)


def test_flush_refreshes_what_is_left_and_forget_drops_it(qapp):
    stale, done = _stale(qapp)
    stale.mark(["a", "b"], [("a", "b", 0)])
    stale.refresh_items([_Item(node_id="a")])
    stale.flush()
    assert done[-1] == (["b"], [("a", "b", 0)]) and not stale
    stale.mark(["a"], [])
    stale.forget()
    assert not stale and not stale.idle_work


def test_a_slow_batch_shrinks_the_next_quick_ones_grow_them_and_the_window_gets_turns(
        qapp, qtbot, monkeypatch):
    """A node costs 4 ms for the first twelve (a node with many long wires to
    re-index), then next to nothing. A ticker of our own stands for the window: it
    runs at each turn of the event loop, and tells the slices apart (none runs
    within a slice)."""
    now = [0.0]
    monkeypatch.setattr(stale_module, "time", SimpleNamespace(perf_counter=lambda: now[0]))
    turns = [0]
    ticker = QTimer()
    ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    ticker.start(0)
    batches = []  # (turn, size, clock at its start, clock at its end)
    refreshed = []

    def refresh(nodes, _edges):
        start = now[0]
        now[0] += sum(0.004 if len(refreshed) + i < 12 else 0.00002 for i in range(len(nodes)))
        refreshed.extend(nodes)
        batches.append((turns[0], len(nodes), start, now[0]))

    stale = StaleItems(refresh)
    names = [f"n{i}" for i in range(500)]
    stale.mark(names, [])
    qtbot.waitUntil(lambda: not stale, timeout=10000)
    ticker.stop()
    assert refreshed == names  # each once, in the scene's order
    slices: dict[int, list] = {}
    for turn, size, start, end in batches:
        slices.setdefault(turn, []).append((size, start, end))
    sizes = [[size for size, _s, _e in batches_] for batches_ in slices.values()]
    # Halved after the first slow batch; doubled after quick ones, up to MOST_NODES.
    assert sizes[:3] == [[2, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]
    assert sizes[3][:6] == [1, 2, 4, 8, 16, 20] and max(map(max, sizes)) == stale.MOST_NODES
    # A slice overruns its time by one small batch at most (4 ms, not 20 nodes: 80 ms).
    for batches_ in list(slices.values())[:3]:
        (_size, first, _end), (last, _start, end) = batches_[0], batches_[-1]
        assert end - first <= stale.SLICE_SECONDS + 0.004 * last
    # Every other turn is left to the window, to paint in: never two slices in a row.
    turns_of_slices = list(slices)
    assert all(b - a >= 2 for a, b in zip(turns_of_slices, turns_of_slices[1:]))
