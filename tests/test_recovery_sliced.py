"""The timed crash-recovery write runs in idle slices and writes what write_now writes;
its disk part runs in a thread, beside the event loop."""

import json
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from conftest import load_example
from gradstudio.core import fileformat
from gradstudio.ui.app import recovery
from gradstudio.ui.app.sliced import SlicedJob


def _expected(model, meta) -> bytes:
    """The bytes of the one-shot write: the v1 graph plus the recovery key, indent 1."""
    graph = {**fileformat.to_dict(model), recovery.KEY: meta}
    return json.dumps(graph, indent=1, sort_keys=True, ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def test_to_dict_in_parts_builds_the_same_dict():
    model = load_example("colah_paths")
    model.extra["note"] = {"kept": [1, 2]}
    *_, built = fileformat.to_dict_in_parts(model, batch=1)
    assert built == fileformat.to_dict(model)


def test_the_write_goes_in_slices_and_equals_the_one_shot_bytes(open_example, qtbot,
                                                                 monkeypatch):
    monkeypatch.setattr(SlicedJob, "SLICE_SECONDS", 0.0)  # one step per turn of the loop
    window = open_example("colah_paths")
    writer = window.recovery
    window.doc.set_param("a", "value", 5e-324)
    writer.start_write()
    assert writer.job is not None and not writer.file.exists()
    QApplication.processEvents()
    assert writer.job is not None and not writer.file.exists()  # a slice, not the whole
    qtbot.waitUntil(writer.file.exists, timeout=10000)
    assert writer.job is None
    data = writer.file.read_bytes()
    meta = json.loads(data)[recovery.KEY]
    assert data == _expected(window.doc.model, meta)
    assert writer.write_now()  # the one-shot write: the same bytes (but the time)
    data = writer.file.read_bytes()
    assert data == _expected(window.doc.model, json.loads(data)[recovery.KEY])


def test_an_edit_under_way_drops_the_write_and_waits_again(open_example, qtbot, monkeypatch):
    monkeypatch.setattr(SlicedJob, "SLICE_SECONDS", 0.0)
    window = open_example("chain_rule")
    writer = window.recovery
    writer.timer.setInterval(200)
    doc = window.doc
    doc.set_param("a", "value", 7)
    writer.start_write()
    QApplication.processEvents()
    doc.model.move_node("a", 5.0, 6.0)  # even a change that is not an undo step
    assert writer.job is None and writer.timer.isActive()
    assert not writer.file.exists()
    qtbot.waitUntil(writer.file.exists, timeout=10000)
    saved = fileformat.loads(json.dumps({k: v for k, v in json.loads(writer.file.read_text())
                                          .items() if k != recovery.KEY}))
    assert saved.position("a") == (5.0, 6.0) and saved.param("a", "value") == 7


def test_a_save_during_the_write_leaves_no_file(open_example, qtbot, monkeypatch):
    monkeypatch.setattr(SlicedJob, "SLICE_SECONDS", 0.0)
    window = open_example("chain_rule")
    writer = window.recovery
    window.doc.set_param("a", "value", 7)
    writer.start_write()
    QApplication.processEvents()
    assert writer.job is not None  # under way
    assert window.save()
    # Nothing is left that could write the file later: no job, no timer.
    assert writer.job is None and not writer.timer.isActive()
    assert not writer.file.exists()


class Disk:
    """recovery's atomic_write, watched: which thread writes, and when it is done.
    After ``hold()`` a write waits until the test lets it go (``release()``)."""

    def __init__(self, monkeypatch):
        self.real = recovery.atomic_write
        self.gate = threading.Event()
        self.gate.set()
        self.started = threading.Event()
        self.threads, self.finished = [], []
        monkeypatch.setattr(recovery, "atomic_write", self.write)

    def write(self, path, data):
        self.threads.append(threading.current_thread())
        self.started.set()
        try:
            assert self.gate.wait(20), "the test never let the disk part go"
            self.real(path, data)
        finally:
            self.finished.append(path)

    def hold(self):
        self.gate.clear()

    def release(self):
        self.gate.set()


@pytest.fixture
def disk(monkeypatch):
    """Listed after open_example, so that it lets go before the window closes."""
    watched = Disk(monkeypatch)
    yield watched
    watched.release()


def _writing_to_a_held_disk(open_example, qtbot, monkeypatch, disk):
    """chain_rule edited, its recovery copy encoded and handed to a disk that holds it."""
    monkeypatch.setattr(SlicedJob, "SLICE_SECONDS", 0.0)
    disk.hold()
    window = open_example("chain_rule")
    writer = window.recovery
    window.doc.set_param("a", "value", 7)
    writer.start_write()
    qtbot.waitUntil(disk.started.is_set, timeout=5000)
    return window, writer


def test_the_disk_part_runs_beside_the_event_loop(open_example, qtbot, monkeypatch, disk):
    _window, writer = _writing_to_a_held_disk(open_example, qtbot, monkeypatch, disk)
    assert disk.threads[0] is not threading.main_thread()
    turned = []
    QTimer.singleShot(0, lambda: turned.append(True))
    qtbot.waitUntil(lambda: bool(turned), timeout=5000)  # the loop turns, the disk held
    assert not writer.file.exists() and not disk.finished
    disk.release()
    qtbot.waitUntil(writer.file.exists, timeout=5000)
    assert disk.finished == [writer.file]


def test_a_save_waits_for_the_disk_part_and_then_removes_the_file(open_example, qtbot,
                                                                  monkeypatch, disk):
    window, writer = _writing_to_a_held_disk(open_example, qtbot, monkeypatch, disk)
    # The disk part goes on once the graph's own file is written, the save under way.
    save = fileformat.save
    monkeypatch.setattr(fileformat, "save", lambda *args: (save(*args), disk.release()))
    assert window.save()
    assert disk.finished == [writer.file]  # the save waited for the write ...
    assert not writer.file.exists()  # ... and then removed its file
    assert writer.job is None and not writer.timer.isActive()  # nothing more to come
    QApplication.processEvents()
    assert not writer.file.exists()


def test_a_failed_disk_part_says_so_once(open_example, qtbot, tmp_path, monkeypatch):
    """Three failures in a row, one message: the first from the disk thread's own
    signal, the others (the next timed write's disk part, a write_now) kept quiet."""
    monkeypatch.setattr(SlicedJob, "SLICE_SECONDS", 0.0)
    window = open_example("chain_rule")
    writer = window.recovery
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    writer.file = blocker / "recovery-1-1.json"
    messages = []
    writer.failed.connect(messages.append)
    window.doc.set_param("a", "value", 7)
    writer.start_write()
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)  # the thread's signal came
    assert "not written" in messages[0]
    window.doc.set_param("a", "value", 8)
    writer.start_write()
    qtbot.waitUntil(lambda: writer.job is None, timeout=5000)  # handed to the disk part
    assert not writer.write_now()  # which it waits for first
    assert len(messages) == 1
    assert window.doc.dirty
