"""One digit pad: 1-9, erase, 0, OK in a 3x4 grid of big keys (session numbers, signpost codes)."""

from __future__ import annotations

from typing import Callable

from ...app import theme
from ...app.ui import Button

ERASE = "けす"


def digit_pad(topleft, key_size, gap: int, on_digit: Callable[[str], None], on_erase: Callable[[], None],
              on_ok: Callable[[], None], *, ok_label: str, ok_color, text_sizes: tuple[int, int, int],
              names: tuple[str, str, str]) -> list[Button]:
    """The keys, row by row. ``text_sizes`` and ``names`` are (digit, erase, ok); a digit's name has a {}."""
    x0, y0 = topleft
    w, h = key_size
    digit_size, erase_size, ok_size = text_sizes
    digit_name, erase_name, ok_name = names
    keys = []
    for i, label in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", ERASE, "0", ok_label]):
        row, col = divmod(i, 3)
        rect = (x0 + col * (w + gap), y0 + row * (h + gap), w, h)
        if i == 9:
            keys.append(Button(rect, label, on_erase, color=theme.BG_DARK, size=erase_size, name=erase_name))
        elif i == 11:
            keys.append(Button(rect, label, on_ok, color=ok_color, size=ok_size, name=ok_name))
        else:
            keys.append(Button(rect, label, lambda d=label: on_digit(d), color=theme.ACCENT, size=digit_size,
                               name=digit_name.format(label)))
    return keys
