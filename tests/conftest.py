"""Shared test set-up: Qt runs offscreen, and the examples are one call away.

``load_example(name)`` is the one way tests read an example's model, and the
``example_name`` fixture the one loop over the five examples (a test that takes it
runs once for each); test modules import the helpers with ``from conftest import ...``.
"""

import os
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
#: The shipped examples, in the Examples menu's order (test_neuron_examples.py keeps
#: this list, the menu and the folder the same).
EXAMPLE_NAMES = ("chain_rule", "colah_paths", "square", "logistic_neuron", "tanh_neuron")


def example_path(name: str) -> Path:
    return EXAMPLES / f"{name}.json"


def load_example(name: str):
    """The example's model, read from its file as File → Open reads it."""
    from gradstudio.core import fileformat
    return fileformat.load(example_path(name))


@pytest.fixture(params=EXAMPLE_NAMES)
def example_name(request) -> str:
    """Each of the five examples in turn: a test that takes this runs once for each."""
    return request.param


@pytest.fixture(autouse=True)
def exported_svgs_are_xml(request):
    """After every test, each SVG gradstudio wrote under the test's tmp_path (in this
    process or a child) must be well-formed XML, whatever graph it was made from.
    Files a test put there as stand-ins (``b"old picture"``) are not SVG and are left."""
    yield
    folder = request.node.funcargs.get("tmp_path")
    if folder is None:
        return
    import xml.etree.ElementTree as ET
    for svg in Path(folder).rglob("*.svg"):
        try:
            if not svg.is_file() or not svg.read_bytes().lstrip().startswith((b"<?xml", b"<svg")):
                continue
        except OSError:  # a folder the test made unreadable, a disk it unmounted
            continue
        try:
            ET.parse(svg)
        except ET.ParseError as exc:
            pytest.fail(f"{svg.name} is not valid XML: {exc}")


@pytest.fixture
def examples() -> Path:
    """The examples' folder (for tests that copy a file or hand its path to the CLI)."""
    return EXAMPLES


@pytest.fixture
def look_back():
    """THEME is one object for the whole program: leave the text at 100 % and light
    (and the application's font, which View → Text Size scales, at its own size)."""
    yield
    from gradstudio.ui.theme import THEME
    THEME.set_text_scale(1.0)
    THEME.apply("light")
    from PySide6.QtWidgets import QApplication
    if QApplication.instance() is not None:
        from gradstudio.ui.app.textsize import scale_application
        scale_application(1.0)


@pytest.fixture
def settings_dir(tmp_path, qapp, monkeypatch):
    """QSettings (and crash-recovery files) under the test's folder, never the user's."""
    from PySide6.QtCore import QSettings
    from gradstudio.ui.app import recovery
    monkeypatch.setattr(recovery, "FOLDER_OVERRIDE", tmp_path / "recovery")
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder))
    qapp.setOrganizationName("gradstudio-tests")
    qapp.setApplicationName("gradstudio-tests")
    return folder


@pytest.fixture
def window(qtbot, settings_dir):
    """The main window, empty, shown at a fixed size, dialogs answered by the test."""
    from gradstudio.ui.app.window import MainWindow
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    win.answers = []  # what ask_unsaved returns, in order
    win.errors = []  # (title, message) of every error dialog
    win.asked = 0
    def ask_unsaved():
        win.asked += 1
        return win.answers.pop(0) if win.answers else "discard"
    win.ask_unsaved = ask_unsaved
    win.show_error = lambda title, message: win.errors.append((title, message))
    return win


@pytest.fixture
def open_example(window, examples, tmp_path):
    """Open a copy of an example in the window, as File → Open would."""
    def _open(name):
        import shutil
        copy = tmp_path / f"{name}.json"
        shutil.copyfile(examples / f"{name}.json", copy)
        assert window.open_path(copy)
        window.view.resetTransform()
        window.view.centerOn(window.scene.itemsBoundingRect().center())
        return window
    return _open


@pytest.fixture(autouse=True, scope="session")
def every_svg_is_xml():
    """Every SVG the suite exports in-process is parsed as XML (issue 12: whatever
    the graph holds, the file must open)."""
    import xml.etree.ElementTree as ET

    from gradstudio.ui.canvas import export

    render = export.render_svg

    def checked(*args, **kwargs):
        data = render(*args, **kwargs)
        ET.fromstring(data)  # raises ParseError on anything XML cannot hold
        return data

    export.render_svg = checked
    yield
    export.render_svg = render


@pytest.fixture
def big_presented(window, tmp_path):
    """A generated graph past the big-graph threshold (lazy texts), presented (F11);
    Esc after the test if it is still presenting."""
    import json
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from gui import settle
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from graphgen import generate
    path = tmp_path / "big.json"
    path.write_text(json.dumps(generate(450, seed=1, layout=True)), encoding="utf-8")
    window.doc.open(path)
    settle(window.scene)
    assert window.scene.large.lazy
    QTest.keyClick(window, Qt.Key_F11)
    settle(window.scene)
    yield window
    if window.presentation.presenting:
        QTest.keyClick(window, Qt.Key_Escape)
    settle()


@pytest.fixture
def presenting(open_example, look_back):
    """The chain_rule example presented (F11), settled."""
    from gui import enter_presentation
    return enter_presentation(open_example("chain_rule"))
