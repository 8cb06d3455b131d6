"""Typing a session number (seed) to replay a session."""

from __future__ import annotations

from typing import Callable

import pygame

from ...app import theme
from ...app.input import Key
from ...app.scene import Scene
from ...app.ui import Button, panel
from ...engine.shuffle import new_seed
from ..common import HEADER_H, back_button, draw_header


SEED_MAX_DIGITS = 6

class SeedPadScene(Scene):
    """Type a session number (seed) with big digit keys, to replay a session."""

    name = "gm-seed"

    def __init__(self, app, seed: int, on_seed: Callable[[int], None]):
        super().__init__(app)
        self.seed = seed
        self.on_seed = on_seed  # gets the chosen session number (a value)
        self.digits = ""
        self.back = back_button(self.app.scenes.pop)
        self.keys: list[Button] = []
        x0, y0, w, h, gap = 292, HEADER_H + 110, 136, 96, 12
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "けす", "0", "OK"]
        for i, label in enumerate(labels):
            col, row = i % 3, i // 3
            rect = (x0 + col * (w + gap), y0 + row * (h + gap), w, h)
            if label == "けす":
                btn = Button(rect, label, self._erase, color=theme.BG_DARK, size=30, name="key:erase")
            elif label == "OK":
                btn = Button(rect, label, self._ok, color=theme.ACCENT_2, size=34, name="key:ok")
            else:
                btn = Button(rect, label, self._typer(label), color=theme.ACCENT, size=40, name=f"key:{label}")
            self.keys.append(btn)
        self.fresh = Button((760, HEADER_H + 110, 240, 96), "あたらしく", self._fresh, color=theme.GOOD, size=28,
                            name="fresh")

    def _typer(self, d: str):
        def type_digit():
            if len(self.digits) < SEED_MAX_DIGITS and not (d == "0" and not self.digits):
                self.digits += d
        return type_digit

    def _erase(self) -> None:
        self.digits = self.digits[:-1]

    def _ok(self) -> None:
        if self.digits:
            self.on_seed(int(self.digits))
        self.app.scenes.pop()

    def _fresh(self) -> None:
        self.on_seed(new_seed())
        self.app.scenes.pop()

    def handle(self, event) -> None:
        if isinstance(event, Key):
            if event.unicode.isdigit():
                self._typer(event.unicode)()
            elif event.key == pygame.K_BACKSPACE:
                self._erase()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._ok()
            return
        for btn in [self.back, self.fresh, *self.keys]:
            if btn.handle(event):
                return

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
