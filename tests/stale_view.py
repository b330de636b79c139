"""What the canvas shows after an action, against a full repaint of the same state.

Shared by the offscreen test (test_no_stale_pixels.py) and the real X server one,
which runs this file as a script in a window on Xvfb (``python stale_view.py OUT``).

"Shown" is read where the window system keeps the window's pixels: the backing store
offscreen, the X server's copy of the window under X. ``QWidget.grab`` would not do:
it paints the widget afresh into a pixmap, so it never shows what incremental
repaints left behind.

Each scenario starts from the chain_rule example, pans the view sideways first (as a
user drags it with the middle button: Qt then scrolls the pixels already painted and
paints only the strip uncovered), does the action with the keys or the menu a user
would, waits until the window is idle (``gui.settle``: a turn of the event loop that
finds nothing to do, not a time), and compares.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QApplication

from gui import deliver_queued, settle

HERE = Path(__file__).resolve().parent
# Not conftest's example_path: importing conftest would make this script offscreen.
CHAIN_RULE = HERE.parent / "resources" / "examples" / "chain_rule.json"

#: The actions compared, in the issue's order.
ACTIONS = ("new", "open", "delete", "undo", "redo", "example", "clear", "theme",
           "forward", "backward")


def shown(view) -> QImage:
    """The viewport's pixels as the window system has them now."""
    viewport = view.viewport()
    window = viewport.window()
    corner = viewport.mapTo(window, QPoint(0, 0))
    screen = window.screen() or QGuiApplication.primaryScreen()
    image = screen.grabWindow(window.winId(), corner.x(), corner.y(),
                              viewport.width(), viewport.height()).toImage()
    return image.convertToFormat(QImage.Format_RGB32)


def repainted(view) -> QImage:
    """The viewport painted whole, at once, from the same state, as the window system has it."""
    view.scene().invalidate()  # nothing cached survives (no cache is used: to be sure)
    view.viewport().repaint()
    QApplication.processEvents()
    return shown(view)


def pixels(image: QImage) -> np.ndarray:
    """An (h, w) array of the image's RGB32 pixels."""
    ptr = image.constBits()
    rows = np.frombuffer(ptr, np.uint8, image.sizeInBytes()).reshape(image.height(), -1)
    return rows[:, :image.width() * 4].view(np.uint32).copy()


def difference(a: QImage, b: QImage) -> tuple[int, tuple | None]:
    """How many pixels differ, and the box (left, top, right, bottom) around them."""
    if a.size() != b.size():
        return -1, None
    differ = pixels(a) != pixels(b)
    ys, xs = np.nonzero(differ)
    if not len(xs):
        return 0, None
    return int(len(xs)), (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))


def compare(view, name: str, keep: Path | None = None) -> tuple[int, tuple | None]:
    """Settle, then how the shown canvas differs from a full repaint (0: identical);
    on a difference both pictures are saved in ``keep``."""
    settle(view.scene())
    before = shown(view)
    after = repainted(view)
    count, box = difference(before, after)
    if count and keep is not None:
        before.save(str(keep / f"{name}-shown.png"))
        after.save(str(keep / f"{name}-repainted.png"))
    return count, box


def pan_points(view, dx: int, dy: int, steps: int = 4) -> list[QPoint]:
    """Where a pan by (dx, dy) starts and goes, in viewport pixels: from near the
    bottom left corner (an empty stretch of canvas on the examples)."""
    start = QPoint(60, view.viewport().height() - 60)
    return [start + QPoint(dx * i // steps, dy * i // steps) for i in range(steps + 1)]


class Hands:
    """What a user does, by Qt events (offscreen). ``XHands`` does it through X.

    After each gesture the window paints what it queued, but runs no timer: a big
    graph's idle slices wait, so what is panned into sight while texts are still
    stale is refreshed as it is painted (``scenario`` and ``compare`` settle fully)."""

    def __init__(self, window) -> None:
        self.window = window

    def paint_queued(self) -> None:
        deliver_queued()

    def keys(self, sequence: str) -> None:
        from PySide6.QtTest import QTest
        key = QKeySequence(sequence)[0]
        QTest.keyClick(self.window.view, key.key(), key.keyboardModifiers())
        self.paint_queued()

    def pan(self, dx: int, dy: int) -> None:
        """Drag the canvas with the middle button by (dx, dy) pixels, in steps."""
        from gui import move, press, release
        view = self.window.view
        first, *rest = pan_points(view, dx, dy)
        at = view.mapToScene  # each event where the pointer is on screen, as the view is now
        move(view, at(first), Qt.NoButton)  # the pointer goes there first
        self.paint_queued()
        press(view, at(first), Qt.MiddleButton)
        for point in rest:
            move(view, at(point), Qt.MiddleButton)
            self.paint_queued()
        release(view, at(rest[-1]), Qt.MiddleButton)
        self.paint_queued()

    def click_node(self, node_id: str) -> None:
        from gui import node_center, press, release
        view, at = self.window.view, node_center(self.window, node_id)
        press(view, at)
        release(view, at)
        self.paint_queued()


def scenario(window, hands, action: str, files: Path) -> None:
    """Bring the window to just after ``action`` (see the module's docstring)."""
    window.open_example("chain_rule")
    settle(window.scene)
    hands.keys("F5" if action == "backward" else "F6")  # a pass: Backward, or Forward
    settle(window.scene)
    if action in ("delete", "undo", "redo"):
        hands.click_node("u")
        hands.pan(-100, 0)
        hands.keys("Delete")
        if action in ("undo", "redo"):
            settle(window.scene)
            hands.pan(0, -60)
            hands.keys("Ctrl+Z")
        if action == "redo":
            settle(window.scene)
            hands.pan(80, 0)
            hands.keys("Ctrl+Shift+Z")
        return done(window, action)
    hands.pan(-100, 0)
    if action == "new":
        hands.keys("Ctrl+N")
    elif action == "open":
        copy = files / "chain_rule.json"  # the same graph again: the view stays where it is
        copy.write_bytes(CHAIN_RULE.read_bytes())
        window.ask_open_path = lambda: str(copy)
        hands.keys("Ctrl+O")
    elif action == "example":
        _example_action(window, "colah_paths").trigger()
    elif action == "clear":
        hands.keys("Ctrl+Shift+Delete")
    elif action == "theme":
        window.look.act_theme["dark"].trigger()
    elif action == "forward":
        hands.keys("F5")
    elif action == "backward":
        hands.keys("F6")
    else:
        raise ValueError(action)
    done(window, action)


def done(window, action: str) -> None:
    """Raise if ``action`` did not happen (a key that went nowhere would compare a
    canvas where nothing changed)."""
    settle(window.scene)
    scene, doc = window.scene, window.doc
    happened = {
        "new": not scene.nodes,
        "open": doc.path is not None and doc.path.name == "chain_rule.json",
        "delete": "u" not in scene.nodes and "v" in scene.nodes,
        "undo": "u" in scene.nodes,
        "redo": "u" not in scene.nodes and "v" in scene.nodes,
        "example": "e" in scene.nodes,
        "clear": doc.shown == "",
        "theme": window.look.act_theme["dark"].isChecked(),
        "forward": doc.shown == "forward",
        "backward": doc.shown == "backward",
    }[action]
    if not happened:
        raise AssertionError(f"{action} did not happen")


def _example_action(window, name: str):
    return next(a for a in window.examples_menu.actions() if a.text().startswith(name))


# ------------------------------------------------------------- under X (a script)
class Releases(QObject):
    """Counts the key and mouse-button releases the application receives, by key or
    button: an X input sent has arrived once its last release has."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict = {}

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.KeyRelease and not event.isAutoRepeat():
            what = ("key", event.key())
        elif event.type() == QEvent.MouseButtonRelease:
            what = ("button", event.button())
        else:
            return False
        self.seen[what] = self.seen.get(what, 0) + 1
        return False


class XHands(Hands):
    """A user's keys and drags as X input events (XTEST, through xdotool)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.releases = Releases()
        QApplication.instance().installEventFilter(self.releases)
        self._xdotool("windowfocus", "--sync", str(int(window.winId())))

    def _xdotool(self, *args: str, last=None) -> None:
        """Run xdotool, the window taking its events meanwhile; then, if ``last`` (the
        input's last release) is given, until the window has it, and until it is idle."""
        import subprocess
        before = self.releases.seen.get(last, 0)
        job = subprocess.Popen(["xdotool", *args])
        poll = QTimer()  # wakes the loop now and then to look at the process
        poll.start(5)
        end = time.monotonic() + 30
        try:
            while job.poll() is None or (last is not None
                                         and self.releases.seen.get(last, 0) == before):
                assert time.monotonic() < end, f"xdotool {args}: the input never arrived"
                QApplication.processEvents(QEventLoop.WaitForMoreEvents)
        finally:
            poll.stop()
        assert job.returncode == 0, args
        settle()

    def keys(self, sequence: str) -> None:
        # xdotool's names: ctrl, shift, and a letter in lower case (an upper-case
        # one would be typed with shift).
        parts = [part.lower() if len(part) == 1 or part in ("Ctrl", "Shift") else part
                 for part in sequence.split("+")]
        self._xdotool("key", "--clearmodifiers", "+".join(parts),
                      last=("key", QKeySequence(sequence)[0].key()))

    def _at(self, point: QPoint) -> list[str]:
        spot = self.window.view.viewport().mapToGlobal(point)
        return ["mousemove", str(spot.x()), str(spot.y())]

    def pan(self, dx: int, dy: int) -> None:
        first, *rest = pan_points(self.window.view, dx, dy)
        steps = [arg for point in rest for arg in self._at(point)]
        self._xdotool(*self._at(first), "mousedown", "2", *steps, "mouseup", "2",
                      last=("button", Qt.MiddleButton))

    def click_node(self, node_id: str) -> None:
        from gui import node_center
        at = self.window.view.mapFromScene(node_center(self.window, node_id))
        self._xdotool(*self._at(at), "click", "1", last=("button", Qt.LeftButton))


def main(out: Path) -> int:
    """Every scenario in a fresh window on the X display; one line per action
    (``action count box``) written to ``out``."""
    import json
    import tempfile

    from PySide6.QtCore import QSettings

    sys.path.insert(0, str(HERE))
    from gradstudio.ui.app import recovery
    from gradstudio.ui.app.start import make_app

    app = make_app()
    folder = Path(tempfile.mkdtemp())
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder / "settings"))
    recovery.FOLDER_OVERRIDE = folder / "recovery"
    from gradstudio.ui.app.window import MainWindow

    window = MainWindow()
    window.ask_unsaved = lambda: "discard"
    window.resize(1200, 800)
    window.show()
    settle(window.scene)
    hands = XHands(window)
    results = {}
    for action in ACTIONS:  # each from the example opened again
        scenario(window, hands, action, folder)
        results[action] = compare(window.view, action, out.parent)
        window.look.set_theme("light")
    window.doc.undo_stack.setClean()
    window.close()
    out.write_text(json.dumps(results))
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
