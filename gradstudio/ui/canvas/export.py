"""Rendering the canvas to PNG or SVG, the same drawing as on screen.

Selection outlines and the background grid are left out; the file is written
atomically, so a failed export never leaves half a picture behind. The picture
has the current look (theme, text size, precision, shown kinds); unless
transparent, its background is the theme's canvas colour (dark on dark, white on
light). ``at_text_size`` gives a headless export its text size.
"""

from __future__ import annotations

import math
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform

from gradstudio.core.atomic import atomic_write
from gradstudio.core.pngwrite import Deflated, deflate_rows, encode_png, png_file
from gradstudio.ui.canvas.large import bands
from gradstudio.ui.theme import THEME

MARGIN = 24.0
MIN_SIDE = 16  # pixels: a smaller picture shows nothing (--scale 1e-300 made 1×1)
# The most pixels a PNG export tries to make (8 GB of image in memory); an image
# smaller than that which Qt cannot allocate is refused as well.
MAX_PIXELS = 1 << 31
HINTS = QPainter.Antialiasing | QPainter.TextAntialiasing | QPainter.SmoothPixmapTransform


@contextmanager
def clean_canvas(scene, transparent: bool, selected_only: bool):
    selected = [i for i in scene.selectedItems()]
    hidden = []
    if selected_only:
        keep = {n.node_id for n in scene.nodes.values() if n.isSelected()}
        for node_id, item in scene.nodes.items():
            if node_id not in keep and item.isVisible():
                hidden.append(item)
        for edge, item in scene.edges.items():
            if not (edge[0] in keep and edge[1] in keep) and item.isVisible():
                hidden.append(item)
    for item in hidden:
        item.setVisible(False)
    for item in selected:
        item.setSelected(False)
    traced = list(getattr(scene, "traced", ()))  # a path picked in the Paths panel: as
    for item in traced:                          # the selection, not in the picture
        item.set_traced(False)
    # What the mouse rests on (Copy Image's keys pressed with it over a wire): the same.
    hot = [edge for edge in scene.edges.values() if edge.hot]
    for edge in hot:
        edge.set_hot(False)
    hovered = [port for node in scene.nodes.values() for port in (*node.inputs, node.output)
               if port.hovered]
    for port in hovered:
        port.hovered = False
    grid, brush = scene.show_grid, scene.backgroundBrush()
    scene.show_grid = False
    scene.setBackgroundBrush(QColor(0, 0, 0, 0) if transparent else QColor(THEME.background))
    try:
        yield
    finally:
        scene.show_grid = grid
        scene.setBackgroundBrush(brush)
        for item in hidden:
            item.setVisible(True)
        for item in selected:
            item.setSelected(True)
        for item in traced:
            item.set_traced(True)
        for edge in hot:
            edge.set_hot(True)
        for port in hovered:
            port.hovered = True


@contextmanager
def at_text_size(percent: float):
    """Canvases built and drawn inside have their texts at ``percent`` % (as View →
    Text Size: fonts grow, boxes and chips with them); the size before comes back."""
    before = THEME.text_scale
    THEME.set_text_scale(percent / 100)
    try:
        yield
    finally:
        THEME.set_text_scale(before)


def source_rect(scene, selected_only: bool = False) -> QRectF:
    return _framed(_content(scene, selected_only), selected_only)


def _content(scene, selected_only: bool = False) -> QRectF:
    """What the canvas covers, every text written and shown."""
    scene.flush_annotations()  # a big graph refreshes its texts in sight first
    scene.set_detail(True)  # a window zoomed far out drew boxes alone; the file has all
    return scene.content_rect(selected_only)


def _framed(rect: QRectF, selected_only: bool = False) -> QRectF:
    if rect.isEmpty():
        raise ValueError("nothing to export: the selection is empty" if selected_only
                         else "nothing to export: the graph is empty")
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _picture_size(rect: QRectF, scale: float) -> QSize:
    """The PNG's size for ``rect`` at ``scale``; ValueError when too big or too small."""
    width, height = rect.width() * scale, rect.height() * scale
    if not (width * height <= MAX_PIXELS):  # also when not finite (a node at 1e300)
        raise _too_big(width, height)
    if min(width, height) < MIN_SIDE:
        raise ValueError(f"the picture would be {width:.3g} × {height:.3g} pixels, too small "
                         f"to read (at least {MIN_SIDE} on a side): export at a bigger scale")
    return QSize(max(1, round(width)), max(1, round(height)))


def _too_big(width: float, height: float) -> ValueError:
    return ValueError(f"the picture would be {_count(width)} × {_count(height)} pixels, too "
                      "big to make: export at a smaller scale, the selection only, or as SVG")


def render_png(scene, scale: float = 1.0, transparent: bool = False,
               selected_only: bool = False) -> bytes:
    rect = source_rect(scene, selected_only)
    size = _picture_size(rect, scale)
    image = QImage(size, bands.FORMAT)  # ARGB32 premultiplied: Qt's fastest to paint on
    if image.isNull():  # the memory was not there
        raise _too_big(rect.width() * scale, rect.height() * scale)
    image.fill(Qt.transparent if transparent else QColor(THEME.background))
    with clean_canvas(scene, transparent, selected_only):
        painter = QPainter(image)
        painter.setRenderHints(HINTS)
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
        painter.end()
    return png_bytes(image, transparent)


def render_png_in_two(build, seam: float, scale: float = 1.0) -> bytes:
    """``render_png`` of the canvas ``build(band)`` makes, by two processes at once
    (``large/bands``): each builds the band of file y's on its side of ``seam``,
    paints its rows and compresses them; the copy sends its part of the file.
    ``bands.CopyFailed``: make it the usual way."""
    with bands.Pair() as pair:
        scene = build((seam, math.inf) if pair.is_copy else (-math.inf, seam))
        rect = _framed(pair.whole(_content(scene)))
        size = _picture_size(rect, scale)
        image = pair.image(size)
        ratio = min(size.width() / rect.width(), size.height() / rect.height())
        transform = QTransform().scale(ratio, ratio).translate(-rect.left(), -rect.top())
        row = (scene.scene_point(0.0, seam)[1] - rect.top()) * ratio
        row = min(max(round(row), 0), size.height())
        top, bottom = (row, size.height()) if pair.is_copy else (0, row)
        with clean_canvas(scene, False, False):
            _paint_rows(scene, image, transform, QColor(THEME.background), top, bottom)
        mine = deflate_rows(_pixels(image, alpha=False)[top:bottom], last=pair.is_copy)
        if pair.is_copy:
            pair.send(mine.to_bytes())
    parts = [mine, Deflated.from_bytes(pair.received)]
    return png_file(size.width(), size.height(), 3, parts, _dots_per_meter(image))


def png_bytes(image: QImage, transparent: bool) -> bytes:
    """A painted image as a PNG file's bytes (``core/pngwrite``). Opaque, the file
    has no alpha channel: a quarter less to compress."""
    return encode_png(_pixels(image, alpha=transparent), _dots_per_meter(image))


def _dots_per_meter(image: QImage) -> tuple[int, int]:
    return image.dotsPerMeterX(), image.dotsPerMeterY()


def _paint_rows(scene, image: QImage, transform: QTransform, background, top: int,
                bottom: int) -> None:
    """Rows [top, bottom) of the picture: filled, then the canvas painted through
    ``transform`` (as ``scene.render`` maps the whole picture), clipped to them."""
    rows = QRect(0, top, image.width(), bottom - top)
    painter = QPainter(image)
    try:
        painter.setCompositionMode(QPainter.CompositionMode_Source)
        painter.fillRect(rows, background)
        painter.setCompositionMode(QPainter.CompositionMode_SourceOver)
        painter.setRenderHints(HINTS)
        painter.setClipRect(rows)
        painter.setWorldTransform(transform)
        # A little past the rows: what paints into them from just outside is drawn.
        band = transform.inverted()[0].mapRect(QRectF(rows.adjusted(0, -2, 0, 2)))
        scene.render(painter, band, band)  # (the same rectangle: no further mapping)
    finally:
        painter.end()


def _pixels(image: QImage, alpha: bool) -> np.ndarray:
    """The image's RGB (or RGBA, not premultiplied) bytes, rows of (height, width, n):
    opaque, a view of its memory (the PNG writer copies it once, into its rows).

    Read in numpy: Qt's own conversion would split the work over its thread pool,
    absent in a forked child."""
    width, height = image.width(), image.height()
    words = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * height)
    words = words.reshape(height, image.bytesPerLine())[:, :width * 4].reshape(height, width, 4)
    # 0xAARRGGBB in the machine's byte order
    little = sys.byteorder == "little"
    if not alpha:
        return words[..., 2::-1] if little else words[..., 1:]
    rgba = words[..., [2, 1, 0, 3] if little else [1, 2, 3, 0]].astype(np.uint32)
    opacity = rgba[..., 3:4]
    with np.errstate(divide="ignore", invalid="ignore"):
        straight = np.where(opacity > 0, (rgba[..., :3] * 255 + opacity // 2) // opacity, 0)
    rgba[..., :3] = np.minimum(straight, 255)
    return rgba.astype(np.uint8)


def _count(pixels: float) -> str:
    return f"{pixels:,.0f}" if pixels < 1e9 else f"{pixels:.2g}"


def render_svg(scene, transparent: bool = False, selected_only: bool = False,
               title: str = "gradstudio graph") -> bytes:
    from PySide6.QtSvg import QSvgGenerator
    rect = source_rect(scene, selected_only)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(round(rect.width()), round(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    # Texts are measured and placed with the screen's font metrics: the SVG must use
    # the same resolution, or its point-size fonts come out smaller and misplaced.
    generator.setResolution(round(_screen_dpi()))
    generator.setTitle(title)
    generator.setDescription("Made with gradstudio")
    with clean_canvas(scene, transparent, selected_only):
        painter = QPainter(generator)
        painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        if not transparent:
            painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), THEME.background)
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
    buffer.close()
    return valid_xml(bytes(data))


# Characters XML 1.0 does not allow, even escaped: C0 controls but tab, newline and
# carriage return; U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def valid_xml(svg: bytes) -> bytes:
    """The SVG with each character XML cannot hold as U+FFFD: a label holding a
    control character (pasted, or from a file) must not make a file no program
    can open. Qt writes texts as they are."""
    text = svg.decode("utf-8", errors="replace")
    return _NOT_XML.sub("\ufffd", text).encode("utf-8") if _NOT_XML.search(text) else svg


def _screen_dpi() -> float:
    from PySide6.QtGui import QGuiApplication
    screen = QGuiApplication.primaryScreen()
    return screen.logicalDotsPerInch() if screen is not None else 96.0


def export_image(scene, path: str | Path, scale: float = 1.0, transparent: bool = False,
                 selected_only: bool = False) -> None:
    """PNG or SVG by the file's suffix; raises ValueError or SaveError with a message."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        data = render_svg(scene, transparent, selected_only)
    elif suffix == ".png":
        data = render_png(scene, scale, transparent, selected_only)
    else:
        raise ValueError(f"{path}: export writes .png or .svg files, not {suffix or 'no suffix'!r}")
    atomic_write(path, data)
