"""Starting the window: `gradstudio [FILE.json]`."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gradstudio.resources_path import example


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setOrganizationName("gradstudio")
    app.setApplicationName("gradstudio")
    app.setApplicationDisplayName("gradstudio")
    return app


def run(argv: list[str]) -> int:
    from gradstudio.core.errors import GraphError
    from gradstudio.ui.app.window import MainWindow

    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(f"gradstudio: unexpected arguments: {' '.join(argv)} "
              "(usage: gradstudio [FILE.json] | eval | export | new)", file=sys.stderr)
        return 2
    app = make_app()
    window = MainWindow()
    if argv:
        try:
            window.doc.open(argv[0])
        except GraphError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        window.remember_folder(argv[0])  # the file dialogs start there, even for New
    else:
        window.doc.open_template(example("chain_rule"))
    window.show()
    window.view.fit()
    window.offer_recovery()  # graphs a crashed gradstudio left behind
    return app.exec()
