"""A file opened from the desktop or a terminal (`gradstudio FILE`) is listed in
File → Open Recent, as one opened with File → Open: a lecturer who opened a lesson
by double-clicking it found Open Recent greyed out. A temporary copy (the API's
``open()`` of an unsaved graph) is not."""

import shutil

from conftest import example_path
from gradstudio.ui.app.start import open_file


def recent_entries(window) -> list[str]:
    window.menus["file"].aboutToShow.emit()
    return [a.text() for a in window.recent_menu.actions() if a.isEnabled()]


def test_a_file_given_on_the_command_line_is_in_open_recent(window, tmp_path):
    lesson = tmp_path / "lesson.json"
    shutil.copyfile(example_path("chain_rule"), lesson)
    assert window.recent_menu.isEnabled() is False or not recent_entries(window)
    open_file(window, str(lesson))
    assert window.doc.path is not None and window.doc.path.name == "lesson.json"
    assert window.recent_menu.isEnabled()
    entries = recent_entries(window)
    assert len(entries) == 1 and "lesson.json" in entries[0]
    # and choosing it opens it again
    window.doc.set_model(type(window.doc.model)())
    next(a for a in window.recent_menu.actions() if "lesson.json" in a.text()).trigger()
    assert window.doc.path.name == "lesson.json" and len(window.doc.model.nodes()) == 6


def test_a_temporary_copy_is_not(window, tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    copy = folder / "untitled.json"
    shutil.copyfile(example_path("chain_rule"), copy)
    open_file(window, str(copy), temporary=True)
    assert not recent_entries(window)
