"""Graphs without a file: a formula graph is Untitled and unsaved until saved, the
unsaved prompt comes before every replacement of such work, and the file dialogs
start in the open file's folder (or the last one used), never blindly at home."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from gradstudio.ui import file_dialogs
from gradstudio.ui.app import window as mainwindow
from gui import type_formula


FORMULA = "J = tanh(w1*x1 + w2*x2 + b), w1=0.5, x1=2, w2=-1, x2=0.5, b=0.1"


# ------------------------------------------------------------- the title
def test_a_formula_graph_is_untitled_with_the_formula_as_tooltip(window):
    type_formula(window, FORMULA)
    assert window.doc.path is None
    assert window.windowTitle() == "Untitled[*] — gradstudio"
    assert window.isWindowModified()  # unsaved from the start: drawn as Untitled*
    assert window.doc_label.text() == "Untitled (unsaved)"
    assert FORMULA in window.doc_label.toolTip()
    assert FORMULA in window.formula_bar.field.toolTip()


def test_saving_a_formula_graph_names_it_and_ends_the_prompt(window, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    type_formula(window, "J = 3*(a + b*c), a=5, b=3, c=2")
    dialogs = Dialogs(answer=str(tmp_path / "chain.json"))
    monkeypatch.setattr(file_dialogs, "QFileDialog", dialogs)
    window.act_save.trigger()
    assert dialogs.started == [("save", str(tmp_path / "J.json"))]  # J = … suggests J.json
    assert window.windowTitle() == "chain.json[*] — gradstudio"
    assert not window.isWindowModified() and not window.doc.dirty
    assert str(tmp_path / "chain.json") == window.doc_label.toolTip()
    window.open_example("square")
    assert window.asked == 0  # saved: nothing to lose


# ------------------------------------------------------------- the prompt
def test_every_replacement_of_a_never_saved_formula_graph_asks(window, tmp_path, examples):
    type_formula(window, FORMULA)
    built = window.doc.model
    replacements = [
        ("example", lambda: window.open_example("chain_rule")),
        ("new", window.act_new.trigger),
        ("open", lambda: window.open_path(examples / "square.json")),
        ("formula", lambda: type_formula(window, "e = (a+b)*(b+1), a=2, b=1")),
    ]
    for i, (name, replace) in enumerate(replacements, start=1):
        window.answers = ["cancel"]
        replace()
        assert window.asked == i, name
        assert window.doc.model is built, name  # Cancel kept it
    # The case: an edit undone back to the first state is still unsaved work.
    window.doc.set_param("w1", "value", 3.0)
    window.doc.undo_stack.undo()
    assert window.doc.undo_stack.isClean() and window.doc.dirty
    window.answers = ["cancel"]
    window.open_example("colah_paths")
    assert window.asked == 5 and window.doc.model is built
    window.answers = ["discard"]
    window.open_example("colah_paths")
    assert window.asked == 6 and "e" in window.doc.model
    assert window.windowTitle() == "colah_paths.json[*] — gradstudio"


def test_closing_a_never_saved_formula_graph_asks(window):
    type_formula(window, "J = a*b, a=2, b=3")
    window.answers = ["cancel"]
    assert not window.close()
    assert window.asked == 1 and window.isVisible()


def test_an_untouched_example_is_replaced_without_asking(window):
    window.open_example("chain_rule")
    window.open_example("square")
    type_formula(window, "J = a*b, a=2, b=3")
    assert window.asked == 0  # a copy of an example: nothing of the user's to lose


def test_the_prompt_names_untitled_and_the_formula(window, monkeypatch):
    type_formula(window, "J = a*b, a=2, b=3")
    shown = {}

    class Box(mainwindow.QMessageBox):
        def exec(self):
            shown.update(text=self.text(), informative=self.informativeText())
            return mainwindow.QMessageBox.Cancel
    monkeypatch.setattr(mainwindow, "QMessageBox", Box)
    assert mainwindow.MainWindow.ask_unsaved(window) == "cancel"
    assert shown["text"] == "Save the changes to Untitled?"
    assert "J = a*b, a=2, b=3" in shown["informative"]


# --------------------------------------------------------- dialog folders
class Dialogs:
    """Stands in for QFileDialog: notes the folder or file each dialog starts at, and
    answers ``answer`` (by default: cancelled)."""

    def __init__(self, answer=""):
        self.started = []
        self.answer = answer

    def getOpenFileName(self, parent, caption, start, filter_):
        self.started.append(("open", start))
        return self.answer, ""

    def getSaveFileName(self, parent, caption, start, filter_):
        self.started.append(("save", start))
        return self.answer, ""


@pytest.fixture
def dialogs(monkeypatch):
    fake = Dialogs()
    monkeypatch.setattr(file_dialogs, "QFileDialog", fake)  # Open, Save, Export
    return fake


def test_dialogs_start_in_the_open_files_folder(window, examples, tmp_path, dialogs,
                                                monkeypatch, qtbot):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "course" / "week2"
    folder.mkdir(parents=True)
    shutil.copyfile(examples / "chain_rule.json", folder / "graph.json")
    assert window.open_path(folder / "graph.json")
    window.act_save_as.trigger()
    window.act_open.trigger()
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    browse, = [b for b in dialog.findChildren(QPushButton) if b.text() == "Browse…"]
    browse.click()
    assert dialogs.started == [("save", str(folder / "graph.json")), ("open", str(folder)),
                               ("save", str(folder / "graph.png"))]
    assert Path(dialog.path.text()) == folder / "graph.png"


def test_a_file_opened_by_a_relative_name_gives_its_absolute_folder(window, examples,
                                                                    tmp_path, dialogs,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(examples / "square.json", tmp_path / "sq.json")
    assert window.open_path("sq.json")
    window.act_open.trigger()
    assert dialogs.started == [("open", str(tmp_path))]


def test_an_untitled_graph_starts_the_dialogs_in_the_folder_last_used(window, examples,
                                                                      tmp_path, dialogs,
                                                                      monkeypatch, qtbot):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    folder = tmp_path / "slides"
    folder.mkdir()
    shutil.copyfile(examples / "square.json", folder / "square.json")
    assert window.open_path(folder / "square.json")
    window.open_example("chain_rule")  # no file of its own
    window.act_save_as.trigger()
    type_formula(window, "J = a*b, a=2, b=3")
    window.act_save_as.trigger()
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    assert dialogs.started == [("save", str(folder / "chain_rule.json")),
                               ("save", str(folder / "J.json"))]
    assert Path(dialog.path.text()) == folder / "J.png"


def test_with_no_folder_used_yet_the_dialogs_start_in_the_current_one(window, tmp_path,
                                                                     dialogs, monkeypatch):
    monkeypatch.chdir(tmp_path)
    window.act_open.trigger()
    assert dialogs.started == [("open", str(tmp_path))] and tmp_path != Path.home()


def test_the_export_dialog_shows_its_whole_path(window, tmp_path, qtbot, monkeypatch):
    deep = tmp_path / "a_rather_long_folder_name" / "for_the_lecture_slides_of_week_two"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    window.open_example("chain_rule")
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    field = dialog.path
    assert field.text() == str(deep / "chain_rule.png")
    room = field.contentsRect().width() - 8  # the line edit's own text margins
    assert field.fontMetrics().horizontalAdvance(field.text()) <= room


def test_a_file_given_on_the_command_line_sets_the_folder_for_later_graphs(
        monkeypatch, settings_dir, qtbot, examples, tmp_path, dialogs):
    from PySide6.QtWidgets import QApplication
    from gradstudio.ui.app import start as app_module
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "week3"
    folder.mkdir()
    shutil.copyfile(examples / "square.json", folder / "sq.json")
    before = set(QApplication.topLevelWidgets())
    assert app_module.run(["week3/sq.json"]) == 0
    window, = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, mainwindow.MainWindow) and w not in before]
    qtbot.addWidget(window)
    window.doc.set_model(type(window.doc.model)())  # as File → New does
    window.act_open.trigger()
    assert dialogs.started == [("open", str(folder))]
