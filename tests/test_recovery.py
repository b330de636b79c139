"""Crash recovery in-process: the debounced write, removal on save/undo/exit, Restore, Discard.

The end-to-end run (the real app under Xvfb, kill -9, restart, Restore by keys)
is in test_recovery_desktop.py.
"""

import json
import os
import subprocess
import sys

from gradstudio.core import fileformat
from gradstudio.ui.app import recovery


def _files():
    return sorted(recovery.folder().glob("recovery-*.json"))


def _crashed_copy(window, pid):
    """Make this window's recovery file look like one a dead process left."""
    assert window.recovery.write_now()
    file = window.recovery.file
    data = json.loads(file.read_text())
    data[recovery.KEY]["pid"] = pid
    dead = file.with_name(f"recovery-{pid}-1.json")
    dead.write_text(json.dumps(data))
    return dead


def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_written_once_edits_pause_and_removed_by_a_clean_save(open_example, qtbot):
    window = open_example("chain_rule")
    window.recovery.timer.setInterval(3000)
    doc = window.doc
    timer = window.recovery.timer
    doc.set_param("a", "value", 7)
    assert timer.isActive()
    qtbot.waitUntil(lambda: timer.remainingTime() < 2800, timeout=5000)  # some pause gone
    left = timer.remainingTime()
    doc.set_param("b", "value", 8)  # restarts the timer: nothing written yet
    assert timer.remainingTime() > left
    assert _files() == []
    qtbot.waitUntil(lambda: _files() == [window.recovery.file], timeout=10000)
    data = json.loads(window.recovery.file.read_text())
    meta = data.pop(recovery.KEY)
    assert meta["path"] == str(doc.path) and meta["pid"] == os.getpid()
    assert fileformat.loads(json.dumps(data)).param("b", "value") == 8
    assert window.save()
    assert _files() == []
    assert not doc.dirty


def test_undo_back_to_saved_state_and_discarded_open_remove_it(open_example, qtbot, examples):
    window = open_example("chain_rule")
    doc = window.doc
    doc.set_param("a", "value", 7)
    window.recovery.write_now()
    assert _files()
    doc.undo_stack.undo()  # back to what is on disk: nothing to recover
    assert _files() == [] and not window.recovery.timer.isActive()
    doc.set_param("a", "value", 9)
    window.recovery.write_now()
    window.answers = ["discard"]
    assert window.open_path(examples / "square.json")
    assert _files() == []
    doc.set_param("a", "value", 9)
    window.recovery.write_now()
    window.answers = ["discard"]
    window.new_file()
    assert _files() == []


def test_normal_exit_removes_it(open_example):
    window = open_example("chain_rule")
    window.doc.set_param("a", "value", 7)
    window.recovery.write_now()
    window.answers = ["discard"]
    assert window.close()
    assert _files() == []


def test_a_running_process_file_is_not_offered_a_dead_ones_is(open_example, monkeypatch):
    window = open_example("chain_rule")
    window.doc.set_param("a", "value", 7)
    assert window.recovery.write_now()
    assert recovery.pending() == []  # ours: this process is alive
    dead = _crashed_copy(window, _dead_pid())
    (found,) = recovery.pending()
    assert found.file == dead and found.path == str(window.doc.path)
    assert "chain_rule.json" in found.describe()


def test_restore_opens_it_dirty_with_its_path_and_takes_it_over(open_example, examples):
    window = open_example("chain_rule")
    doc = window.doc
    original = doc.path
    doc.set_param("a", "value", 7)
    doc.add_node("add", 10, 20)
    expected = fileformat.dumps(doc.model)
    dead = _crashed_copy(window, _dead_pid())
    window.answers = ["discard"]
    window.open_path(examples / "square.json")
    asked = []
    window.ask_restore = lambda info: asked.append(info) or "restore"
    assert window.offer_recovery() == 1
    assert asked[0].path == str(original)
    assert doc.path == original and doc.dirty
    assert window.windowTitle() == "chain_rule.json[*] — gradstudio" and window.isWindowModified()
    assert fileformat.dumps(doc.model) == expected  # no recovery key left in the graph
    assert not dead.exists() and window.recovery.file.exists()  # this process's copy now
    assert window.save()
    assert original.read_text() == expected and _files() == []


def test_discard_deletes_it_and_later_keeps_it(open_example):
    window = open_example("chain_rule")
    window.doc.set_param("a", "value", 7)
    first = _crashed_copy(window, _dead_pid())
    window.ask_restore = lambda info: "later"
    assert window.offer_recovery() == 0 and first.exists()
    window.ask_restore = lambda info: "discard"
    assert window.offer_recovery() == 0 and not first.exists()
    assert window.doc.model.param("a", "value") == 7  # the open document untouched


def test_untitled_graph_restores_under_its_name_and_asks_for_a_file(window):
    doc = window.doc
    doc.add_node("input", 0, 0)
    dead = _crashed_copy(window, _dead_pid())
    window.answers = ["discard"]
    window.new_file()
    window.ask_restore = lambda info: "restore"
    assert window.offer_recovery() == 1
    assert doc.path is None and doc.dirty and doc.display_name() == "Untitled"
    assert list(doc.model.nodes()) == ["a"] and not dead.exists()


def test_a_failed_write_says_so_and_keeps_the_document(open_example, tmp_path, monkeypatch):
    window = open_example("chain_rule")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setattr(window.recovery, "file", blocker / "recovery-1-1.json")
    messages = []
    window.recovery.failed.connect(messages.append)
    window.doc.set_param("a", "value", 7)
    assert not window.recovery.write_now()
    assert len(messages) == 1 and "not written" in messages[0]
    assert window.doc.dirty
