"""Check every example in resources/examples against the chips' rule after
Backward (``gradstudio.core.chiprule``), and lay out again with the window's
auto-layout those that break it (``--all``: every example).

Each node's box is measured on a headless canvas and the chips' room comes from
their sizes after Backward (``gradstudio.core.layout``), so the examples show
every number on its own wire without hand arrangement. Run from the repository
root: ``python tools/lay_out_examples.py [--all]``; it prints each example's
breaches of the rule, none when all is well.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gradstudio.ui.headless import ensure_app

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"


def main() -> int:
    _app = ensure_app()
    from gradstudio.core import fileformat
    from gradstudio.core.chiprule import violations
    from gradstudio.core.layout import apply_layout, auto_layout
    from gradstudio.ui.editor.document import Document
    from gradstudio.ui.canvas.geometry import drawn_geometry
    from gradstudio.ui.canvas.scene import GraphScene

    broken = 0
    for path in sorted(EXAMPLES.glob("*.json")):
        model = fileformat.load(path)
        doc = Document(model, path)
        scene = GraphScene(doc)
        doc.run("backward")
        found = violations(drawn_geometry(scene))
        if found or "--all" in sys.argv:
            doc.clear_annotations()
            sizes = {n: (item.rect().width(), item.rect().height())
                     for n, item in scene.nodes.items()}
            apply_layout(model, auto_layout(model, sizes))
            fileformat.save(model, path)
            doc.run("backward")
            found = violations(drawn_geometry(scene))
        broken += bool(found)
        print(f"{path.name}: {len(model)} nodes, {len(found)} breaches of the chips' rule")
        for line in found:
            print("  " + line)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
