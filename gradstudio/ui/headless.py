"""The canvas without a window: for `gradstudio export` and scripts."""

from __future__ import annotations

import os
import sys

from gradstudio.core.errors import GraphError


def ensure_app():
    """A QApplication; before the process's first, offscreen where no window could open.
    Pictures need no display, and Qt on a DISPLAY nothing answers on ends the process
    (`gradstudio export` over a dead ssh -X session, a notebook's kernel)."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is None or widgets.QApplication.instance() is None:
        from gradstudio.display import display_problem
        if display_problem() is not None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gradstudio.ui.app.start import make_app
    return make_app()


def export_file(path, out, after: str | None = None, scale: float = 1.0,
                quiz: bool = False):
    """Render a graph file the way the window draws it; GraphError on bad input.
    ``quiz``: a worksheet, the numbers the graph's quiz hides left blank. Returns
    the pass drawn (its ``problems`` for the caller's warnings), None if none was."""
    from gradstudio.core import fileformat
    from gradstudio.ui.canvas.large import heap

    suffix = os.path.splitext(str(out))[1].lower()
    if suffix not in (".png", ".svg", ".json"):
        raise GraphError(f"{out}: export writes .png, .svg or .json files, "
                         f"not {suffix or 'no suffix'!r}")
    with heap.paused():
        model = fileformat.load(path)  # refuses bad files before Qt starts
        return _export_model(model, path, out, suffix, after, scale, quiz)


def _export_model(model, path, out, suffix: str, after, scale: float, quiz: bool):
    from gradstudio.core.atomic import SaveError, atomic_write

    if suffix == ".json":  # the drawn geometry, to check the chips
        from gradstudio.ui.canvas.geometry import write_geometry
        doc, scene = _annotated_scene(model, path, after, quiz)
        try:
            write_geometry(scene, out)
        except (ValueError, SaveError) as exc:
            raise GraphError(str(exc)) from None
        return doc.evaluation
    data, doc = _render(model, suffix[1:], after, scale, path, quiz)
    try:
        atomic_write(out, data)
    except (ValueError, SaveError) as exc:
        raise GraphError(str(exc)) from None
    return doc.evaluation


def render(model, kind: str, after: str | None = None, scale: float = 1.0,
           path=None, quiz: bool = False) -> bytes:
    """The picture ``gradstudio export`` writes, as bytes: ``kind`` "svg" or "png".

    The model is shown by a document of its own while drawing (give a copy if it
    must not gain a listener). ``path`` names the graph in messages.
    """
    return _render(model, kind, after, scale, path, quiz)[0]


def _render(model, kind: str, after, scale: float, path, quiz: bool):
    """``render``'s bytes and the document that showed the model."""
    from gradstudio.ui.canvas.export import render_png, render_png_in_two, render_svg
    from gradstudio.ui.canvas.large.bands import CopyFailed
    from gradstudio.ui.canvas.large.policy import picture_seam

    ensure_app()
    seam = picture_seam(model) if kind == "png" else None
    try:
        if seam is not None:  # a big graph: two processes, a band each
            docs = []

            def build(band):
                doc, scene = _annotated_scene(model, path, after, quiz, band)
                docs.append(doc)
                return scene
            try:
                return render_png_in_two(build, seam, scale), docs[0]
            except CopyFailed:
                pass  # made the usual way
        doc, scene = _annotated_scene(model, path, after, quiz)
        return (render_svg(scene) if kind == "svg" else render_png(scene, scale)), doc
    except ValueError as exc:
        raise GraphError(str(exc)) from None


def _annotated_scene(model, path, after: str | None, quiz: bool = False, band=None):
    """``quiz``: what the graph's quiz hides drawn blank (after Backward unless
    ``after`` says otherwise); else every number shows, a quiz's answers too.
    ``band``: the canvas of that band only (``GraphScene``)."""
    from gradstudio.core.quiz import worksheet
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document

    _app = ensure_app()
    doc = Document(model, path)
    doc.quiz = worksheet(model) if quiz else None
    if quiz and after is None:
        after = "backward"
    scene = GraphScene(doc, indexed=False, band=band)  # drawn once, whole
    if after is not None:
        if not doc.run("backward" if after == "backward" else "forward"):
            name = path if path is not None else "graph"
            raise GraphError(f"{name}: cannot run {after}: {_last_failure(doc)}")
    return doc, scene


def _last_failure(doc) -> str:
    try:
        doc.model.plan()
        doc.model.resolve_output()
    except GraphError as exc:
        return str(exc)
    return "the pass was refused"


def export_steps(path, out, scale: float = 1.0, transparent: bool = False,
                 progress=None, measuring=None) -> list[str]:
    """A step-by-step deck of a graph file (``ui/lecture/deck.py``): ``out`` a .pdf,
    or the first name of a .png/.svg series. GraphError on bad input, nothing
    written; returns the files written. ``progress`` and ``measuring`` as
    ``Deck.write`` takes them."""
    from gradstudio.core import fileformat
    from gradstudio.core.atomic import SaveError
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document
    from gradstudio.ui.lecture import deck

    deck.kind_of(out)
    model = fileformat.load(path)  # refuses bad files before Qt starts
    deck.check_steppable(model, str(path))
    _app = ensure_app()
    doc = Document(model, path)
    scene = GraphScene(doc, indexed=False)  # drawn whole, page after page
    try:
        return deck.Deck(doc, scene).write(out, scale, transparent, progress, measuring)
    except (ValueError, SaveError) as exc:
        raise GraphError(str(exc)) from None
