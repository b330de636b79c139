"""The teaching panels' input pickers refill only when the inputs or their labels change."""

from PySide6.QtCore import QTimer

from gradstudio.ui.teaching.common import InputPicker


def _pickers(window):
    return window.findChildren(InputPicker)


def _items(picker):
    return [picker.itemText(i) for i in range(picker.count())]


def _refills(pickers) -> list:
    """Each picker's refills, counted: a refill clears the list (its rows go)."""
    counts = [0] * len(pickers)
    for i, picker in enumerate(pickers):
        picker.model().rowsRemoved.connect(
            lambda *_args, i=i: counts.__setitem__(i, counts[i] + 1))
    return counts


def _turn(qtbot) -> None:
    """Until the event loop has run everything queued so far (a zero timer started now
    fires after those started before it, such as a picker's deferred refill)."""
    turned = []
    QTimer.singleShot(0, lambda: turned.append(True))
    qtbot.waitUntil(lambda: bool(turned), timeout=5000)


def test_other_nodes_leave_the_lists_alone_inputs_refill_them(open_example, qtbot):
    window = open_example("colah_paths")
    doc = window.doc
    pickers = _pickers(window)
    _turn(qtbot)
    assert len(pickers) == 3 and all(_items(p) == ["a", "b", "1"] for p in pickers)
    refills = _refills(pickers)
    node = doc.add_node("add", 0, 0)
    _turn(qtbot)
    doc.undo_stack.undo()  # the add node goes again
    _turn(qtbot)
    assert refills == [0, 0, 0]
    doc.add_node("input", 0, 0)
    _turn(qtbot)
    assert refills == [1, 1, 1] and all(len(_items(p)) == 4 for p in pickers)
    doc.set_label("a", "alpha")
    _turn(qtbot)
    assert refills == [2, 2, 2] and all(_items(p)[0] == "alpha" for p in pickers)
    doc.set_label("c", "gamma")  # not an input: no refill for it
    _turn(qtbot)
    doc.undo_stack.undo()
    _turn(qtbot)
    assert refills == [2, 2, 2]
    doc.undo_stack.undo()  # "alpha" is "a" again
    _turn(qtbot)
    assert refills == [3, 3, 3] and all(_items(p)[0] == "a" for p in pickers)
    assert node not in doc.model
