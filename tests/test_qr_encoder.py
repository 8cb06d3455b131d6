"""The pure-Python QR encoder the game uses on screen (the browser has no qrcode package)."""

from __future__ import annotations

import pytest
import qrcode
import zxingcpp
from PIL import Image
from qrcode.util import MODE_8BIT_BYTE, QRData, pattern_position

from karuta.engine import qr

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def to_image(code: qr.QRCode, scale: int = 4) -> Image.Image:
    rows = code.rows()
    n = len(rows)
    img = Image.new("L", (n, n), 255)
    img.putdata([0 if dark else 255 for row in rows for dark in row])
    return img.resize((n * scale, n * scale), Image.NEAREST)


def test_alignment_positions_match_the_standard_for_every_version():
    for version in range(1, 41):
        assert qr.alignment_positions(version) == pattern_position(version), version


@pytest.mark.parametrize("version", [1, 2, 6, 7, 9, 10, 14, 21, 32, 40])
@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_matrix_equals_the_reference_library(version, level):
    """Same data, version, level and mask: every module must be the same as the qrcode package's."""
    room = qr.data_capacity(version, level) - (2 if version <= 9 else 3)
    text = ("https://school.example/karuta/?deck=demo&card=12&k=ABCDEF" * 60)[:room]
    mask = (version + len(level)) % 8
    mine = qr.encode(text, level, version=version, mask=mask)
    ref = qrcode.QRCode(version=version, error_correction=LEVELS[level], mask_pattern=mask, border=0)
    ref.add_data(QRData(text.encode(), mode=MODE_8BIT_BYTE))
    ref.make(fit=False)
    assert [list(r) for r in mine.modules] == [list(r) for r in ref.get_matrix()]


@pytest.mark.parametrize("text", ["x", "?deck=demo&m=AQAB&k=ABCDEF", "https://school.example/" + "a" * 200,
                                  "あつめたカルタ" * 10])
@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_a_real_decoder_reads_what_was_encoded(text, level):
    code = qr.encode(text, level)
    found = zxingcpp.read_barcodes(to_image(code))
    assert [r.text for r in found] == [text]


def test_smallest_version_is_chosen_and_overflow_is_refused():
    assert qr.encode("a" * 17, "L").version == 1  # version 1-L holds 17 bytes
    assert qr.encode("a" * 18, "L").version == 2
    with pytest.raises(qr.QRError):
        qr.encode("a" * 3000, "H")
    with pytest.raises(qr.QRError):
        qr.encode("a", "X")
