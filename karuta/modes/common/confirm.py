"""A yes/no question over the current screen."""

from __future__ import annotations

import pygame

from ...app import theme
from ...app.ui import Button, panel
from .screen import ButtonScreen


class ConfirmScene(ButtonScreen):
    """A yes/no question over the current screen (quitting a class session must not be a slip)."""

    name = "confirm"
    overlay = True

    def __init__(self, app, question: str, yes: str, on_yes, no: str, on_no):
        super().__init__(app)
        self.question = question
        self.on_yes = on_yes
        self.on_no = on_no
        cx = app.size[0] // 2
        self.yes_btn = Button((cx - 250, 420, 230, 92), yes, self._yes, color=theme.ACCENT_2, size=32, name="yes")
        self.no_btn = Button((cx + 20, 420, 230, 92), no, self._no, color=theme.ACCENT, size=32, name="no")

    def controls(self):
        return [self.yes_btn, self.no_btn]

    def key(self, event) -> None:
        if event.key == pygame.K_ESCAPE:
            self._no()

    def _yes(self) -> None:
        self.app.scenes.pop()
        self.on_yes()

    def _no(self) -> None:
        self.app.scenes.pop()
        self.on_no()

    def draw(self, surface: pygame.Surface) -> None:
        shade = pygame.Surface(self.app.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 120))
        surface.blit(shade, (0, 0))
        box = pygame.Rect(0, 0, 600, 300)
        box.center = (self.app.size[0] // 2, 400)
        panel(surface, box)
        q = self.app.fonts.render(self.question, 38, theme.INK, "bold")
        surface.blit(q, q.get_rect(center=(box.centerx, box.top + 80)))
        self.yes_btn.draw(surface, self.app.fonts)
        self.no_btn.draw(surface, self.app.fonts)
