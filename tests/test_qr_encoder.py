"""The game's QR codes: the qrcode package's matrix, drawn with pygame, read back by a real decoder."""

from __future__ import annotations

import subprocess
import sys

import pygame
import pytest
import zxingcpp
from PIL import Image

from karuta.app import qr


def to_image(modules, scale: int = 4) -> Image.Image:
    n = len(modules)
    img = Image.new("L", (n, n), 255)
    img.putdata([0 if dark else 255 for row in modules for dark in row])
    return img.resize((n * scale, n * scale), Image.NEAREST)


@pytest.mark.parametrize("text", ["x", "?deck=demo&m=AQAB&k=ABCDEF", "https://school.example/" + "a" * 200,
                                  "あつめたカルタ" * 10, "0123456789" * 5])
@pytest.mark.parametrize("level", qr.LEVELS)
def test_a_real_decoder_reads_what_was_encoded(text, level):
    found = zxingcpp.read_barcodes(to_image(qr.matrix(text, level)))
    assert [r.text for r in found] == [text]


def test_the_drawn_code_scans_with_whole_pixel_modules():
    link = "https://school.example/karuta/?deck=demo&m=AQABAgME&k=ABCDEF"
    modules = qr.matrix(link, "M")
    surf = qr.surface(modules, 440)
    assert surf.get_width() == surf.get_height() <= 440
    assert surf.get_width() % len(modules) == 0  # every module the same whole number of pixels
    img = Image.frombytes("RGB", surf.get_size(), pygame.image.tobytes(surf, "RGB"))
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [link]


def test_a_quiet_zone_surrounds_the_code_and_bad_levels_are_refused():
    modules = qr.matrix("x", "L", border=4)
    assert len(modules) == 21 + 8  # version 1 holds one byte
    assert not any(modules[0]) and not any(row[0] for row in modules)
    with pytest.raises(ValueError, match="level"):
        qr.matrix("a", "X")


def test_the_game_never_loads_pillow_for_a_code():
    """Pillow is installed here (the tools use it), but the game draws codes without it."""
    code = ("import sys, karuta.app.qr as q; q.matrix('https://example.org/?k=1', 'M'); "
            "print('PIL' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip().splitlines()[-1] == "False"
