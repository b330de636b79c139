"""The PNG writer: what Qt decodes from its files is exactly the pixels given."""

import struct

import numpy as np
import pytest
from PySide6.QtGui import QImage

from gradstudio.core import pngwrite
from gradstudio.core.pngwrite import encode_png


def decoded(data: bytes) -> np.ndarray:
    image = QImage()
    assert image.loadFromData(data, "PNG")
    image = image.convertToFormat(QImage.Format_RGBA8888)
    h, w = image.height(), image.width()
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine())[:, :w * 4].reshape(h, w, 4).copy()


def chunks(data: bytes) -> list[bytes]:
    kinds, i = [], 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        kinds.append(data[i + 4:i + 8])
        i += 12 + n
    return kinds


@pytest.mark.parametrize("piece_bytes", [pngwrite.PIECE_BYTES, 1000, 7])
def test_rgb_pixels_come_back_exactly_in_one_piece_or_many(qapp, monkeypatch, piece_bytes):
    monkeypatch.setattr(pngwrite, "PIECE_BYTES", piece_bytes)
    rng = np.random.default_rng(1)
    pixels = np.full((37, 53, 3), 255, np.uint8)  # a flat background ...
    pixels[5:30, 10:40] = rng.integers(0, 256, (25, 30, 3), dtype=np.uint8)  # ... and noise
    back = decoded(encode_png(pixels, (3780, 3780)))
    assert np.array_equal(back[..., :3], pixels)
    assert (back[..., 3] == 255).all()


def test_rgba_keeps_its_alpha_and_the_resolution_is_recorded(qapp):
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 256, (20, 31, 4), dtype=np.uint8)
    pixels[..., 3] = 255  # Qt's decoder gives straight colours back exactly when opaque
    pixels[0, :, 3] = 0
    data = encode_png(pixels, (5906, 5906))  # 150 dpi
    assert chunks(data) == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    image = QImage()
    image.loadFromData(data, "PNG")
    assert image.hasAlphaChannel() and image.dotsPerMeterX() == 5906
    back = decoded(data)
    assert np.array_equal(back[1:], pixels[1:])
    assert (back[0, :, 3] == 0).all()


def test_other_shapes_are_refused():
    with pytest.raises(ValueError):
        encode_png(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError):
        encode_png(np.zeros((4, 4, 3), np.float32))
