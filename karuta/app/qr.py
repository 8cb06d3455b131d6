"""QR codes on screen, made by the ``qrcode`` package (pure Python: the web build carries it).

The game reads only the code's matrix and draws it with pygame; qrcode's image factories (Pillow,
PyPNG) are never used. qrcode imports Pillow when it is installed, for factories the game does not
need: the import below hides Pillow so the game never loads it, on the desktop as in the browser
(where there is none). qrcode is imported on first use: it costs 50-110 ms that start-up need not pay.
"""

from __future__ import annotations

import sys

import pygame

from . import theme

LEVELS = ("L", "M", "Q", "H")
_qrcode = None


def _package():
    global _qrcode
    if _qrcode is None:
        hide = "PIL" not in sys.modules
        if hide:
            sys.modules["PIL"] = None  # an import of PIL now raises ImportError, which qrcode expects
        try:
            import qrcode  # first use only (see the module's docstring)
            import qrcode.util
        finally:
            if hide:
                del sys.modules["PIL"]
        _qrcode = qrcode
    return _qrcode


def matrix(text: str, level: str = "M", border: int = 4) -> list[list[bool]]:
    """The modules of the smallest code holding ``text`` (UTF-8), with ``border`` light modules around."""
    if level not in LEVELS:
        raise ValueError(f"QR error correction level must be one of {', '.join(LEVELS)}, not {level!r}")
    qrcode = _package()
    code = qrcode.QRCode(error_correction=getattr(qrcode.constants, f"ERROR_CORRECT_{level}"), border=border)
    # byte mode throughout: every reader takes it, and a link's mix of cases and symbols gains little
    # from qrcode's mode switching
    code.add_data(qrcode.util.QRData(text.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    code.make(fit=True)
    return code.get_matrix()


def surface(modules: list[list[bool]], max_px: int) -> pygame.Surface:
    """The code drawn with whole-pixel modules (never smoothed: a blurred QR code scans badly)."""
    n = len(modules)
    scale = max(1, max_px // n)
    surf = pygame.Surface((n * scale, n * scale))
    surf.fill(theme.WHITE)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                surf.fill((0, 0, 0), (c * scale, r * scale, scale, scale))
    return surf
