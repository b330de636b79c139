"""StaleItems on its own: what is stale after a mark, the order and the batches of the idle slices."""

import time

from gradstudio.ui.canvas.large.stale import StaleItems


class _Item:
    def __init__(self, node_id=None, edge=None):
        self.node_id, self.edge = node_id, edge


def _stale(qapp):
    done = []
    stale = StaleItems(lambda nodes, edges: done.append((list(nodes), list(edges))))
    return stale, done


def test_a_mark_keeps_its_own_keys_and_the_slices_take_nodes_then_wires(qapp):
    stale, done = _stale(qapp)
    nodes = {f"n{i}": None for i in range(30)}
    edges = {("n0", f"n{i}", 0): None for i in range(1, 50)}
    stale.mark(nodes, edges)
    nodes.pop("n5")  # the scene's dicts change later: the mark does not
    nodes["new"] = None
    assert "n5" in stale.nodes and "new" not in stale.nodes
    stale.refresh_items([_Item(node_id="n1"), _Item(edge=("n0", "n2", 0)),
                         _Item(node_id="absent")])
    assert done == [(["n1"], [("n0", "n2", 0)])]
    assert "n1" not in stale.nodes and ("n0", "n2", 0) not in stale.edges
    stale.set_idle_wires(False)
    taken = []
    while True:
        batch = stale._take(20, 40)
        if batch == ([], []):
            break
        taken.append(batch)
    assert [n for batch in taken for n in batch[0]] == [f"n{i}" for i in range(30) if i != 1]
    assert not any(batch[1] for batch in taken)  # the wires wait (idle_wires off)
    assert not stale.nodes and len(stale.edges) == 48 and stale and not stale.idle_work
    stale.set_idle_wires(True)
    wires = [e for _n, edges_ in iter(lambda: stale._take(20, 40), ([], [])) for e in edges_]
    assert wires == [e for e in edges if e != ("n0", "n2", 0)]
    assert not stale


def test_flush_refreshes_what_is_left_and_forget_drops_it(qapp):
    stale, done = _stale(qapp)
    stale.mark(["a", "b"], [("a", "b", 0)])
    stale.refresh_items([_Item(node_id="a")])
    stale.flush()
    assert done[-1] == (["b"], [("a", "b", 0)]) and not stale
    stale.mark(["a"], [])
    stale.forget()
    assert not stale and not stale.idle_work


def test_a_slow_batch_shrinks_the_next_and_quick_ones_grow_them(qapp):
    sizes = []
    slow = {"on": True}

    def refresh(nodes, _edges):
        sizes.append(len(nodes))
        if slow["on"]:
            time.sleep(0.004 * len(nodes))  # a node with many long wires to re-index

    stale = StaleItems(refresh)
    stale.mark([f"n{i}" for i in range(500)], [])
    start = time.perf_counter()
    stale._slice()
    took = time.perf_counter() - start
    assert sizes[0] == 2 and set(sizes[1:]) == {1}  # halved after the first slow batch
    assert took < stale.SLICE_SECONDS + 0.03  # over by a small batch, not 20 nodes (80 ms)
    slow["on"] = False
    sizes.clear()
    stale._slice()  # every other turn is left to the window, to paint in
    assert sizes == []
    stale._slice()
    assert sizes[:6] == [1, 2, 4, 8, 16, 20]
