"""Starting the window: `gradstudio [FILE.json]`."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSize, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from gradstudio.display import ADVICE, display_problem, plugin_failure
from gradstudio.resources_path import example, resource

#: The PNG sizes in resources/icons (tools/make_icon.py renders them from the SVG).
ICON_SIZES = (48, 64, 128, 256)


def make_app(argv: list[str] | None = None) -> QApplication:
    # "gradstudio" as the program's name, however started (python -m, main.py): X11's
    # WM_CLASS instance is taken from it.
    app = QApplication.instance() or _open_application(["gradstudio", *(argv or [])])
    app.setOrganizationName("gradstudio")
    app.setApplicationName("gradstudio")  # also X11's WM_CLASS: StartupWMClass in the .desktop
    app.setApplicationDisplayName("gradstudio")
    # The task bar matches the window to gradstudio.desktop (`gradstudio --install-desktop`)
    # by this name (Wayland's app id), and shows this icon where there is no entry.
    app.setDesktopFileName("gradstudio")
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource("icons", f"gradstudio-{size}.png")), QSize(size, size))
    return icon


def _open_application(args: list[str]) -> QApplication:
    """QApplication(args), with Qt's fatal start-up error turned into one line and
    status 2 instead of an abort. run() asks display_problem() first; this catches
    what that cannot see (an X server that refuses us, a plugin that fails otherwise)."""
    heard: list[str] = []

    def listen(kind, context, message):
        if kind == QtMsgType.QtFatalMsg:
            reason = plugin_failure(heard or [message])
            print(f"gradstudio: cannot open a window ({reason}); {ADVICE}", file=sys.stderr)
            sys.stderr.flush()
            os._exit(2)  # Qt aborts when this returns
        category = getattr(context, "category", None)
        heard.append(f"{category}: {message}" if category and category != "default" else message)

    previous = qInstallMessageHandler(listen)
    try:
        app = QApplication(args)
    finally:
        qInstallMessageHandler(previous)
    for message in heard:  # a start that worked: what Qt said goes out as it would have
        print(message, file=sys.stderr)
    return app


def run(argv: list[str], display_checked: bool = False, temporary: bool = False) -> int:
    """The window, on FILE or the first example. ``display_checked``: the caller
    (the command line) has asked display_problem() already; its ldd is not repeated.
    ``temporary``: FILE is a copy made for this window alone (``Graph.open()``): it is
    shown as an Untitled graph (Save asks for a name) and deleted, with its folder,
    once read."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(f"gradstudio: unexpected arguments: {' '.join(argv)} "
              "(usage: gradstudio [FILE.json] | eval | export | new; see gradstudio --help)",
              file=sys.stderr)
        return 2
    if QApplication.instance() is None and not display_checked:
        problem = display_problem()  # before Qt, whose answer would be an abort
        if problem is not None:
            print(problem, file=sys.stderr)
            return 2
    from gradstudio.core.errors import GraphError
    from gradstudio.ui.app.window import MainWindow  # the slow import, after the checks

    app = make_app()
    window = MainWindow()
    if argv:
        try:
            open_file(window, argv[0], temporary)
        except GraphError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    else:
        window.doc.open_template(example("chain_rule"))
    window.show()
    window.view.fit()
    window.offer_recovery()  # graphs a crashed gradstudio left behind
    return app.exec()


def open_file(window, path: str, temporary: bool = False) -> None:
    """FILE in the window (GraphError for a bad one); ``temporary`` as for run()."""
    try:
        window.doc.open(path)
    finally:
        if temporary:
            _remove_copy(path)
    if temporary:
        window.doc.path = None
        window.doc.titleChanged.emit()
    else:
        window.remember_folder(path)  # the file dialogs start there, even for New
        window.add_recent(path)  # opened from the desktop or a terminal: as File → Open


def _remove_copy(path: str) -> None:
    """The temporary file and its folder (made by tempfile.mkdtemp for it alone)."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.remove(path)
        os.rmdir(folder)
    except OSError:
        pass  # already gone, or the folder holds more: left as it is

