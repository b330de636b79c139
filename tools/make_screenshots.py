"""Regenerate the pictures in docs/images/ (the README's among them).

Run from the repository root: ``python tools/make_screenshots.py [--out DIR]
[--only NAME ...] [--list]``. Every picture is made the way a user would make
it: the real main window (offscreen, 1280 × 800), its own actions (open an
example, Forward, Backward, Step Backward, View → Theme and Text Size, Fit
View, the Formula field), a real mouse move over the canvas for the hovered
wire, and the export path (``gradstudio export`` / Export Image) for the
canvas-only pictures. The lecture pictures likewise: a page of ``gradstudio
export --steps``'s PDF (drawn by poppler-utils' pdftoppm), what Ctrl+Shift+C puts
on the clipboard, the quiz, the worksheet, View → Present; docs/python-api.md's
picture comes from the Python API (micrograd needed). Settings live in a temporary folder, so the pictures do
not depend on the settings of whoever runs the script; each picture starts
from a fresh window at the defaults (light theme, 100 %, 4 digits).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
EXAMPLES = ROOT / "resources" / "examples"
WINDOW_SIZE = (1280, 800)
EXPORT_SCALE = 2  # the exported pictures, sharp on a slide or a README
# The graph with values that give its numbers (2, ∂u/∂x1 = 0.5; ← 1.118; 0.1).
FORMULA = "J = tanh(w1*x1 + w2*x2 + b), w1=0.5, x1=2, w2=-1.5, x2=0.2, b=0.1"
PROJECTOR = (1280, 720)  # the presentation picture's screen
HOVER_ZOOMS = 2  # Zoom In presses before hovering: the highlight is seen up close
DECK_PAGE = 8  # chain_rule's deck: the bare graph, u, v, J, ∂J/∂v, ∂J/∂u, ∂J/∂c, ∂J/∂b
DECK_WIDTH = 1280  # pixels across the deck's page
COPIED = ("s", "n", "o")  # tanh_neuron's nodes selected for Copy Image


# ------------------------------------------------------------------ helpers
def _settle(rounds: int = 5) -> None:
    """Let queued work (layout, deferred scaling, repaints) run."""
    from PySide6.QtWidgets import QApplication
    for _ in range(rounds):
        QApplication.processEvents()


class _Window:
    """A fresh main window at the fixed size, closed without questions afterwards."""

    def __enter__(self):
        from PySide6.QtCore import QSettings
        from gradstudio.ui.app.window import MainWindow

        QSettings().clear()  # the defaults, whatever the previous picture chose
        win = MainWindow()
        win.ask_unsaved = lambda: "discard"  # never a modal dialog
        win.show_error = _raise_error
        win.resize(*WINDOW_SIZE)
        win.show()
        _settle()
        self.win = win
        return win

    def __exit__(self, *exc) -> None:
        win = self.win
        # Back to the defaults: the theme and the text size are application-wide.
        win.look.set_theme("light")
        win.look.set_text_size(100)
        win.close()
        win.deleteLater()
        _settle()


def _raise_error(title: str, message: str) -> None:
    raise RuntimeError(f"{title}: {message}")


def _open_example(win, name: str) -> None:
    """File → Examples → name, as a user would (the view fits the new graph)."""
    action = next(a for a in win.examples_menu.actions() if a.text().startswith(name + " "))
    action.trigger()
    _settle()


def _backward_and_fit(win) -> None:
    win.act_backward.trigger()
    _settle()
    win.act_fit.trigger()
    _settle()
    ev = win.doc.evaluation
    if ev is None or ev.output is None:
        raise RuntimeError("Backward did not run")


def _grab(widget, out: Path, rect=None) -> None:
    """The widget as on screen (``rect``: only that part of it)."""
    from PySide6.QtCore import QRect
    _settle()
    widget.repaint()
    if not widget.grab(rect or QRect(0, 0, -1, -1)).save(str(out), "PNG"):
        raise RuntimeError(f"cannot write {out}")


def _export(win, out: Path) -> None:
    """File → Export Image… with PNG at 2×, white background, the whole graph."""
    if not win.export_to(str(out), scale=EXPORT_SCALE):
        raise RuntimeError(f"cannot export {out}")


# ----------------------------------------------------------------- pictures
def chain_rule_backward(out: Path) -> None:
    """As `gradstudio export chain_rule.json OUT --after backward --scale 2` makes it."""
    from gradstudio.cli import main as cli
    code = cli(["export", str(EXAMPLES / "chain_rule.json"), str(out),
                "--after", "backward", "--scale", str(EXPORT_SCALE)])
    if code != 0:
        raise RuntimeError(f"gradstudio export failed ({code})")


def colah_paths_backward(out: Path) -> None:
    """Fan-out: b feeds two nodes, its gradient is the sum over its two wires."""
    with _Window() as win:
        _open_example(win, "colah_paths")
        _backward_and_fit(win)
        _export(win, out)


def square_backward(out: Path) -> None:
    """a·a: two wires from one port, each with its own chips."""
    with _Window() as win:
        _open_example(win, "square")
        _backward_and_fit(win)
        _export(win, out)


def formula_neuron_backward(out: Path) -> None:
    """The graph the Formula field builds for J = tanh(w1*x1 + w2*x2 + b), after Backward."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    with _Window() as win:
        field = win.formula_bar.field
        field.setFocus()
        QTest.keyClicks(field, FORMULA)
        QTest.keyClick(field, Qt.Key_Return)
        _settle()
        if win.doc.formula != FORMULA:
            raise RuntimeError(f"the Formula field did not build {FORMULA}")
        _backward_and_fit(win)
        _export(win, out)


def window_text_size_200(out: Path) -> None:
    """The whole window at View → Text Size → 200 %, chain_rule after Backward, Fit View."""
    with _Window() as win:
        _open_example(win, "chain_rule")
        win.look.act_text_size[200].trigger()
        _settle()
        _backward_and_fit(win)
        win.view.setFocus()
        _grab(win, out)


def window_dark(out: Path) -> None:
    """The whole window in View → Theme → Dark: panels, menus and toolbars follow."""
    with _Window() as win:
        _open_example(win, "colah_paths")
        win.look.act_theme["dark"].trigger()
        _settle()
        _backward_and_fit(win)
        win.view.setFocus()
        _grab(win, out)


def wire_hover(out: Path) -> None:
    """The canvas with the mouse over a wire: the wire and its two chips light up."""
    with _Window() as win:
        _open_example(win, "chain_rule")
        _backward_and_fit(win)
        for _ in range(HOVER_ZOOMS):
            win.act_zoom_in.trigger()
        item = _hover_a_wire(win)
        if not item.hot:
            raise RuntimeError(f"hovering {item.edge} did not light it up")
        _grab(win.view, out, _graph_rows(win.view))


def _hover_a_wire(win):
    """Move the mouse (no button) onto the longest wire, at a point where nothing but
    that wire is under it; returns the wire's item."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    from gradstudio.ui.canvas.items.edge import EdgeItem

    view, viewport = win.view, win.view.viewport()
    wires = sorted(win.scene.edges.values(), key=lambda e: e.path().length(), reverse=True)
    for item in wires:
        path = item.path()
        # Panned there, as a user would: the wire and the node it starts from in sight.
        source = win.scene.nodes[item.edge[0]]
        view.centerOn(source.sceneBoundingRect().united(path.boundingRect()).center())
        _settle()
        for t in (0.3, 0.7, 0.2, 0.8, 0.4, 0.6):
            point = view.mapFromScene(path.pointAtPercent(t))
            under = view.items(point)
            if under and isinstance(under[0], EdgeItem) and under[0] is item:
                local = QPointF(point)
                event = QMouseEvent(QEvent.MouseMove, local,
                                    QPointF(viewport.mapToGlobal(point)),
                                    Qt.NoButton, Qt.NoButton, Qt.NoModifier)
                QApplication.sendEvent(viewport, event)
                _settle()
                return item
    raise RuntimeError("no wire has a free point to hover")


def _graph_rows(view, margin: int = 24):
    """The view's full width, its height cut to the graph's rows in sight."""
    graph = view.mapFromScene(view.scene().itemsBoundingRect()).boundingRect()
    whole = view.rect()
    top = max(whole.top(), graph.top() - margin)
    bottom = min(whole.bottom(), graph.bottom() + margin)
    return whole.adjusted(0, top - whole.top(), 0, bottom - whole.bottom())


def window_step_backward(out: Path) -> None:
    """The whole window half-way through Step Backward, the Explanation panel showing."""
    with _Window() as win:
        _open_example(win, "chain_rule")
        win.act_fit.trigger()
        stepping = win.stepping
        stepping.act_step_backward.trigger()  # finishes Forward, then the first gradient
        steps = stepping.stepper.steps
        middle = steps.n_forward + max(1, steps.n_backward // 2)
        while stepping.stepper.position < middle:
            stepping.act_step_backward.trigger()
        _settle()
        win.view.setFocus()
        _grab(win, out)


def window_quiz(out: Path) -> None:
    """A quiz on chain_rule after Backward: ? chips, two revealed, one right, one wrong."""
    with _Window() as win:
        _open_example(win, "chain_rule")
        win.quiz_mode.set_quiz(("value", "local", "grad"))  # Teach → Quiz → Set Up Quiz…
        for dock in win.docks.values():  # the canvas as wide as the window, as in class
            dock.hide()
        _backward_and_fit(win)
        quiz = win.quiz_mode
        _click_number(win, ("grad", "a"))  # a click on a ? reveals it
        _click_number(win, ("local", ("b", "u", 0)))
        _answer(win, ("grad", "b"), "6")  # a double-click, the answer typed, Enter
        _answer(win, ("value", "v"), "12")
        if {("grad", "a"), ("local", ("b", "u", 0))} - quiz.run.revealed:
            raise RuntimeError("the clicks did not reveal ∂J/∂a and ∂u/∂b")
        if not (quiz.text_of(("grad", "b")).endswith("✓")
                and "✗" in quiz.text_of(("value", "v"))):
            raise RuntimeError("the quiz did not mark the answers 6 (right) and 12 (wrong)")
        _grab(win.view, out, _graph_rows(win.view))


def _click_number(win, key) -> None:
    """A click at the middle of ``key``'s ``?``; revealed once no double-click follows."""
    import time
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    point = win.view.mapFromScene(win.quiz_mode.spot(key).center())
    QTest.mouseClick(win.view.viewport(), Qt.LeftButton, Qt.NoModifier, point)
    wait = QApplication.styleHints().mouseDoubleClickInterval() / 1000 + 0.1
    end = time.monotonic() + wait
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def _answer(win, key, text: str) -> None:
    """Double-click ``key``'s ``?``, type ``text`` into the field there, Enter."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    point = win.view.mapFromScene(win.quiz_mode.spot(key).center())
    QTest.mouseDClick(win.view.viewport(), Qt.LeftButton, Qt.NoModifier, point)
    field = win.quiz_mode.field
    if not field.isVisible() or field.key != key:
        raise RuntimeError(f"a double-click on {key} opened no answer field")
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key_Return)
    _settle()


def window_present(out: Path) -> None:
    """View → Present (F11) on a 1280 × 720 screen, seven presses of → into chain_rule."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    with _Window() as win:
        _open_example(win, "chain_rule")
        QTest.keyClick(win, Qt.Key_F11)  # the keys a presenter's remote sends
        # As on a 1280 × 720 projector (the offscreen screen is 800 × 800).
        win.setWindowState(Qt.WindowNoState)
        win.setGeometry(0, 0, *PROJECTOR)
        _settle()
        for _ in range(7):  # u, v, J, then ∂J/∂v, ∂J/∂u, ∂J/∂c, ∂J/∂b
            QTest.keyClick(win.view, Qt.Key_Right)
        _settle()
        if not win.presentation.line.text.endswith("= 3 × 2 = 6"):
            raise RuntimeError(f"the presentation stopped at {win.presentation.line.text}")
        _grab(win, out)
        QTest.keyClick(win, Qt.Key_Escape)


def quiz_worksheet(out: Path) -> None:
    """As `gradstudio export chain_rule.json OUT --quiz --scale 2` makes it: a worksheet."""
    from gradstudio.cli import main as cli
    code = cli(["export", str(EXAMPLES / "chain_rule.json"), str(out),
                "--quiz", "--scale", str(EXPORT_SCALE)])
    if code != 0:
        raise RuntimeError(f"gradstudio export failed ({code})")


def deck_page(out: Path) -> None:
    """Page 8 of `gradstudio export chain_rule.json deck.pdf --steps`: Step Backward at b.

    The PDF's page as a viewer shows it, drawn by poppler's pdftoppm."""
    import shutil
    import subprocess
    from gradstudio.cli import main as cli
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        raise RuntimeError("deck_page needs poppler-utils (pdftoppm, pdftotext)")
    with tempfile.TemporaryDirectory(prefix="gradstudio-deck-") as folder:
        pdf = Path(folder) / "deck.pdf"
        code = cli(["export", str(EXAMPLES / "chain_rule.json"), str(pdf), "--steps"])
        if code != 0:
            raise RuntimeError(f"gradstudio export --steps failed ({code})")
        page = str(DECK_PAGE)
        text = subprocess.run(["pdftotext", "-f", page, "-l", page, str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        if "3 × 2 = 6" not in text:
            raise RuntimeError(f"page {page} of the deck is not ∂J/∂b's step: {text!r}")
        subprocess.run(["pdftoppm", "-f", page, "-l", page, "-singlefile", "-png",
                        "-scale-to-x", str(DECK_WIDTH), "-scale-to-y", "-1",
                        str(pdf), str(Path(folder) / "page")], check=True)
        out.write_bytes((Path(folder) / "page.png").read_bytes())


def copy_image(out: Path) -> None:
    """What Edit → Copy Image (Ctrl+Shift+C) puts on the clipboard for a selection.

    tanh_neuron after Backward, its last three nodes selected: their PNG, at 2×."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from gradstudio.ui.lecture.copy_image import PNG, SVG
    with _Window() as win:
        _open_example(win, "tanh_neuron")
        _backward_and_fit(win)
        for node in COPIED:  # Ctrl+click on each, as a user selects several
            item = win.scene.nodes[node]
            point = win.view.mapFromScene(item.sceneBoundingRect().center())
            QTest.mouseClick(win.view.viewport(), Qt.LeftButton, Qt.ControlModifier, point)
        _settle()
        if sorted(win.selected_node_ids()) != sorted(COPIED):
            raise RuntimeError(f"selected {win.selected_node_ids()}, not {COPIED}")
        QGuiApplication.clipboard().clear()
        QTest.keyClick(win.view, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
        _settle()
        data = QGuiApplication.clipboard().mimeData()
        if data is None or not data.hasFormat(PNG) or not data.hasFormat(SVG):
            raise RuntimeError("Copy Image put no PNG and SVG on the clipboard")
        out.write_bytes(bytes(data.data(PNG)))
        del data
        # (PySide6 offscreen: data left on the clipboard crashes the interpreter's exit)
        QGuiApplication.clipboard().clear()


def api_micrograd_backward(out: Path) -> None:
    """docs/python-api.md's micrograd example, drawn by the Python API's png(scale=1.5)."""
    import gradstudio as gs
    try:
        from micrograd.engine import Value
    except ImportError:
        raise RuntimeError("api_micrograd_backward needs micrograd "
                           "(pip install -e '.[test]')") from None
    x1, w1, x2, w2, b = Value(2.0), Value(-3.0), Value(0.0), Value(1.0), Value(6.7)
    n = (x1*w1 + x2*w2 + b).relu()
    L = (n - 1)**2
    m = gs.from_micrograd(L, names=dict(x1=x1, w1=w1, x2=x2, w2=w2, b=b)).backward()
    out.write_bytes(m.png(scale=1.5))


PICTURES = {
    "chain_rule_backward": chain_rule_backward,
    "colah_paths_backward": colah_paths_backward,
    "square_backward": square_backward,
    "formula_neuron_backward": formula_neuron_backward,
    "window_text_size_200": window_text_size_200,
    "window_dark": window_dark,
    "wire_hover": wire_hover,
    "window_step_backward": window_step_backward,
    "window_quiz": window_quiz,
    "window_present": window_present,
    "quiz_worksheet": quiz_worksheet,
    "deck_page": deck_page,
    "copy_image": copy_image,
    "api_micrograd_backward": api_micrograd_backward,
}


# --------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder (default docs/images)")
    parser.add_argument("--only", nargs="+", choices=sorted(PICTURES), metavar="NAME",
                        help="make only these pictures")
    parser.add_argument("--list", action="store_true", help="list the pictures and stop")
    args = parser.parse_args(argv)
    if args.list:
        for name, make in PICTURES.items():
            print(f"{name}.png: {make.__doc__.splitlines()[0]}")
        return 0
    names = args.only or list(PICTURES)
    args.out.mkdir(parents=True, exist_ok=True)
    with _private_settings():
        for name in names:
            out = args.out / f"{name}.png"
            PICTURES[name](out)
            print(out)
    return 0


class _private_settings:
    """Offscreen Qt, QSettings and crash-recovery files in a temporary folder; the
    application's names and the recovery folder come back afterwards (tests call
    main() inside their own application)."""

    def __enter__(self):
        from PySide6.QtWidgets import QApplication
        running = QApplication.instance()
        if running is None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the same pictures with a display
        # (ensure_app names the application: the caller's names are kept first)
        self.names = ((running.organizationName(), running.applicationName())
                      if running is not None else None)
        from PySide6.QtCore import QSettings
        from gradstudio.ui.app import recovery
        from gradstudio.ui.headless import ensure_app

        self.folder = tempfile.TemporaryDirectory(prefix="gradstudio-screenshots-")
        app = ensure_app()
        self.app = app
        self.names = self.names or (app.organizationName(), app.applicationName())
        self.recovery = recovery.FOLDER_OVERRIDE
        recovery.FOLDER_OVERRIDE = Path(self.folder.name) / "recovery"
        QSettings.setDefaultFormat(QSettings.IniFormat)
        QSettings.setPath(QSettings.IniFormat, QSettings.UserScope,
                          str(Path(self.folder.name) / "settings"))
        app.setOrganizationName("gradstudio-screenshots")
        app.setApplicationName("gradstudio-screenshots")
        return self

    def __exit__(self, *exc) -> None:
        from gradstudio.ui.app import recovery
        recovery.FOLDER_OVERRIDE = self.recovery
        self.app.setOrganizationName(self.names[0])
        self.app.setApplicationName(self.names[1])
        self.folder.cleanup()


if __name__ == "__main__":
    sys.exit(main())
