"""The teaching panels' input pickers refill only when the inputs or their labels change."""

from gradstudio.ui.teaching.common import InputPicker


def _pickers(window):
    return window.findChildren(InputPicker)


def _items(picker):
    return [picker.itemText(i) for i in range(picker.count())]


def test_other_nodes_leave_the_lists_alone_inputs_refill_them(open_example, qtbot):
    window = open_example("colah_paths")
    doc = window.doc
    pickers = _pickers(window)
    qtbot.waitUntil(lambda: not any(p._refill_pending for p in pickers), timeout=5000)
    assert len(pickers) == 3 and all(_items(p) == ["a", "b", "1"] for p in pickers)
    node = doc.add_node("add", 0, 0)
    assert not any(p._refill_pending for p in pickers)
    doc.undo_stack.undo()  # the add node goes again
    assert not any(p._refill_pending for p in pickers)
    doc.add_node("input", 0, 0)
    assert all(p._refill_pending for p in pickers)
    qtbot.waitUntil(lambda: all(len(_items(p)) == 4 for p in pickers), timeout=5000)
    doc.set_label("a", "alpha")
    doc.set_label("c", "gamma")  # not an input: no refill for it
    qtbot.waitUntil(lambda: all(_items(p)[0] == "alpha" for p in pickers), timeout=5000)
    doc.undo_stack.undo()
    assert not any(p._refill_pending for p in pickers)
    doc.undo_stack.undo()  # "alpha" is "a" again
    qtbot.waitUntil(lambda: all(_items(p)[0] == "a" for p in pickers), timeout=5000)
    assert node not in doc.model
