"""Typing a session number (seed) to replay a session."""

from __future__ import annotations

from typing import Callable

import pygame

from ...app import theme
from ...app.ui import Button, panel
from ...engine.shuffle import new_seed
from ..common import HEADER_H, back_button, draw_header
from ..common.digitpad import digit_pad
from ..common.screen import ButtonScreen


SEED_MAX_DIGITS = 6

class SeedPadScene(ButtonScreen):
    """Type a session number (seed) with big digit keys, to replay a session."""

    name = "seed_pad"

    def __init__(self, app, seed: int, on_seed: Callable[[int], None]):
        super().__init__(app)
        self.seed = seed
        self.on_seed = on_seed  # gets the chosen session number (a value)
        self.digits = ""
        self.back = back_button(self.app.scenes.pop)
        self.keys = digit_pad((292, HEADER_H + 110), (136, 96), 12, self._type, self._erase, self._ok, ok_label="OK",
                              ok_color=theme.ACCENT_2, text_sizes=(40, 30, 34), names=("key:{}", "key:erase", "key:ok"))
        self.fresh = Button((760, HEADER_H + 110, 240, 96), "あたらしく", self._fresh, color=theme.GOOD, size=28,
                            name="fresh")

    def controls(self):
        return [self.back, self.fresh, *self.keys]

    def key(self, event) -> None:
        if event.unicode.isdigit():
            self._type(event.unicode)
        elif event.key == pygame.K_BACKSPACE:
            self._erase()
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._ok()

    def _type(self, d: str) -> None:
        if len(self.digits) < SEED_MAX_DIGITS and not (d == "0" and not self.digits):
            self.digits += d

    def _erase(self) -> None:
        self.digits = self.digits[:-1]

    def _ok(self) -> None:
        if self.digits:
            self.on_seed(int(self.digits))
        self.app.scenes.pop()

    def _fresh(self) -> None:
        self.on_seed(new_seed())
        self.app.scenes.pop()

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "ばんごうを いれる")
        self.back.draw(surface, fonts)
        box = pygame.Rect(292, HEADER_H + 20, 432, 76)
        panel(surface, box)
        shown = self.digits or str(self.seed)
        color = theme.INK if self.digits else theme.INK_SOFT
        text = fonts.render(shown, 48, color, "bold")
        surface.blit(text, text.get_rect(center=box.center))
        for btn in [self.fresh, *self.keys]:
            btn.draw(surface, fonts)
        note = fonts.paragraph("まえと おなじ ばんごうに\nすると、おなじ じゅんばんで\nよみます。", 20, 250, theme.INK_SOFT)
        surface.blit(note, (760, HEADER_H + 230))
