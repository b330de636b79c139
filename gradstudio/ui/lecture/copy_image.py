"""Edit → Copy Image (Ctrl+Shift+C): the picture on the clipboard, for slides.

The canvas, or the selection if there is one, drawn as Export Image draws it
(``canvas/export.py``) at 2×, put on the clipboard as PNG data and as SVG
(``image/svg+xml``) in one QMimeData: a slide tool takes the picture, a drawing
program or a document editor that reads SVG takes the vector one.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication, QImage

from gradstudio.ui.canvas import export

SCALE = 2.0  # sharp on a projector, and when the slide is scaled up
PNG, SVG = "image/png", "image/svg+xml"


def picture_data(scene, selected_only: bool) -> QMimeData:
    """The picture as clipboard data: PNG (also as Qt's image, for pastes that want
    one) and SVG. ValueError with a message when there is nothing to draw."""
    png = export.render_png(scene, SCALE, selected_only=selected_only)
    svg = export.render_svg(scene, selected_only=selected_only)
    data = QMimeData()
    data.setImageData(QImage.fromData(png, "PNG"))
    data.setData(PNG, png)
    data.setData(SVG, svg)
    return data


class CopyImage:
    def __init__(self, editor) -> None:
        self.editor = editor
        self.action = editor.add_action(
            "Copy &Image", self.copy, "Ctrl+Shift+C",
            "Copy the picture of the graph, or of the selection, to paste into slides "
            "(PNG at 2× and SVG)", menu="edit", before=getattr(editor, "act_paste", None))

    def copy(self) -> bool:
        editor = self.editor
        selected = bool(editor.selected_node_ids())
        try:
            data = picture_data(editor.scene, selected)
        except ValueError as exc:
            editor.status(f"Nothing copied: {exc}")
            return False
        image = data.imageData()
        QGuiApplication.clipboard().setMimeData(data)
        what = "the selection" if selected else "the graph"
        editor.status(f"Copied {what} as a picture ({image.width()} × {image.height()} "
                      "pixels, and as SVG)")
        return True


def install(editor) -> CopyImage:
    """Add Edit → Copy Image (Ctrl+Shift+C)."""
    return CopyImage(editor)
