"""The canvas without a window: for `gradstudio export` and scripts."""

from __future__ import annotations

import os

from gradstudio.core.errors import GraphError


def ensure_app():
    """A QApplication, offscreen when there is no display to draw on."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gradstudio.ui.app.start import make_app
    return make_app()


def export_file(path, out, after: str | None = None, scale: float = 1.0) -> None:
    """Render a graph file the way the window draws it; GraphError on bad input."""
    from gradstudio.core import fileformat
    from gradstudio.core.atomic import SaveError
    from gradstudio.ui.canvas.export import export_image
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document

    suffix = os.path.splitext(str(out))[1].lower()
    if suffix not in (".png", ".svg", ".json"):
        raise GraphError(f"{out}: export writes .png, .svg or .json files, "
                         f"not {suffix or 'no suffix'!r}")
    model = fileformat.load(path)  # refuses bad files before Qt starts
    _app = ensure_app()
    doc = Document(model, path)
    scene = GraphScene(doc, indexed=False)  # drawn once, whole
    if after is not None:
        if not doc.run("backward" if after == "backward" else "forward"):
            raise GraphError(f"{path}: cannot run {after}: {_last_failure(doc)}")
    try:
        if suffix == ".json":  # the drawn geometry, to check the chips
            from gradstudio.ui.canvas.geometry import write_geometry
            write_geometry(scene, out)
        else:
            export_image(scene, out, scale=scale)
    except (ValueError, SaveError) as exc:
        raise GraphError(str(exc)) from None


def _last_failure(doc) -> str:
    try:
        doc.model.plan()
        doc.model.resolve_output()
    except GraphError as exc:
        return str(exc)
    return "the pass was refused"
