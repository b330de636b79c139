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


def test_rows_compressed_in_parts_make_one_picture(qapp):
    """Bands of rows compressed apart (two processes' halves of a picture) join into
    one stream whose checksum Qt's decoder accepts; a band may have no rows."""
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, (41, 29, 3), dtype=np.uint8)
    for cuts in ([17], [0], [41], [5, 5, 30]):
        bounds = [0, *cuts, len(pixels)]
        parts = [pngwrite.deflate_rows(pixels[a:b], last=k == len(bounds) - 2)
                 for k, (a, b) in enumerate(zip(bounds, bounds[1:]))]
        sent = [pngwrite.Deflated.from_bytes(part.to_bytes()) for part in parts]
        data = pngwrite.png_file(29, 41, 3, sent, (3780, 3780))
        assert np.array_equal(decoded(data)[..., :3], pixels), cuts


@pytest.mark.parametrize("second", [0, 1, 65520, 65521, 65522, 3 * 65521 + 7, 300_000])
def test_adler32_combine_is_zlibs_adler32_of_the_joined_bytes(second):
    import zlib
    rng = np.random.default_rng(second)
    a = rng.integers(0, 256, 1000, dtype=np.uint8).tobytes()
    b = rng.integers(0, 256, second, dtype=np.uint8).tobytes()
    b = b.replace(b"\x00", b"\xff") if second % 2 else b  # large sums, near the modulus
    assert pngwrite.adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) \
        == zlib.adler32(a + b)
