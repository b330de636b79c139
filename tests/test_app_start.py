"""`gradstudio [FILE]` and `python main.py [FILE]`: what the window opens with."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from gradstudio.ui.app import start as app_module
from gradstudio.ui.app.window import MainWindow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def started(monkeypatch, settings_dir, qtbot):
    """Run app.run(argv) without entering the event loop; return the window it showed."""
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    before = set(QApplication.topLevelWidgets())

    def start(argv):
        code = app_module.run(argv)
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w not in before]
        for w in windows:
            qtbot.addWidget(w)
        return code, windows
    return start


def test_no_file_opens_the_chain_rule_example_ready_for_forward(started):
    code, windows = started([])
    assert code == 0 and len(windows) == 1
    window = windows[0]
    assert window.windowTitle() == "chain_rule.json[*] — gradstudio"
    assert window.doc.path is None and not window.doc.dirty
    window.act_forward.trigger()
    assert window.scene.nodes["J"].value_text == "= 33"


def test_a_file_argument_opens_that_file(started, examples, tmp_path):
    copy = tmp_path / "mine.json"
    copy.write_bytes((examples / "colah_paths.json").read_bytes())
    code, windows = started([str(copy)])
    assert code == 0
    assert windows[0].windowTitle() == "mine.json[*] — gradstudio"
    assert windows[0].doc.model.output == "e"


def test_a_bad_file_argument_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    for command in ([sys.executable, "-m", "gradstudio", str(bad)],
                    [sys.executable, str(ROOT / "main.py"), str(bad)]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{bad}: ") and "Traceback" not in lines[0]
