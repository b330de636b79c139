"""The timed crash-recovery write runs in idle slices and writes what write_now writes."""

import json
import time

from PySide6.QtWidgets import QApplication

from gradstudio.core import fileformat
from gradstudio.ui.app import recovery
from gradstudio.ui.app.sliced import SlicedJob


def _expected(model, meta) -> bytes:
    """The bytes of the one-shot write: the v1 graph plus the recovery key, indent 1."""
    graph = {**fileformat.to_dict(model), recovery.KEY: meta}
    return json.dumps(graph, indent=1, sort_keys=True, ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def test_to_dict_in_parts_builds_the_same_dict(examples):
    model = fileformat.load(examples / "colah_paths.json")
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
    assert window.save()
    qtbot.wait(100)
    assert writer.job is None and not writer.file.exists()


def _slow_disk(monkeypatch, seconds=0.3):
    """atomic_write as on a slow disk: the time passes in the writer's thread."""
    real = recovery.atomic_write

    def slow(path, data):
        time.sleep(seconds)
        real(path, data)
    monkeypatch.setattr(recovery, "atomic_write", slow)


def _writing_to_a_slow_disk(open_example, qtbot, monkeypatch):
    """chain_rule edited, its recovery copy encoded and handed to the slow disk part."""
    monkeypatch.setattr(SlicedJob, "SLICE_SECONDS", 0.0)
    _slow_disk(monkeypatch)
    window = open_example("chain_rule")
    writer = window.recovery
    window.doc.set_param("a", "value", 7)
    writer.start_write()
    qtbot.waitUntil(lambda: writer._disk is not None, timeout=5000)
    return window, writer


def test_the_disk_part_runs_beside_the_event_loop(open_example, qtbot, monkeypatch):
    _window, writer = _writing_to_a_slow_disk(open_example, qtbot, monkeypatch)
    start = time.perf_counter()
    QApplication.processEvents()
    assert time.perf_counter() - start < 0.15 and not writer.file.exists()
    qtbot.waitUntil(writer.file.exists, timeout=5000)
    qtbot.waitUntil(lambda: writer._disk is None, timeout=5000)  # its signal came


def test_a_save_waits_for_the_disk_part_and_then_removes_the_file(open_example, qtbot,
                                                                  monkeypatch):
    window, writer = _writing_to_a_slow_disk(open_example, qtbot, monkeypatch)
    assert window.save()
    assert not writer.file.exists()
    qtbot.wait(500)  # nothing comes back later
    assert not writer.file.exists()


def test_a_failed_disk_part_says_so_once(open_example, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(SlicedJob, "SLICE_SECONDS", 0.0)
    window = open_example("chain_rule")
    writer = window.recovery
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    writer.file = blocker / "recovery-1-1.json"
    messages = []
    writer.failed.connect(messages.append)
    for value in (7, 8):
        window.doc.set_param("a", "value", value)
        writer.start_write()
        qtbot.waitUntil(lambda: writer.job is None and writer._disk is None, timeout=5000)
    assert len(messages) == 1 and "not written" in messages[0]
    assert window.doc.dirty
