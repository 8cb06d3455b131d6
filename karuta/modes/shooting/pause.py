"""The pause over a round (ひとやすみ)."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView, panel
from ..common.screen import ButtonScreen


@dataclass(frozen=True)
class PauseStill:
    """What the pause shows over the round (its view key and its drawing's only input)."""

    buttons: ButtonsView


class ShootingPauseScene(StillView, ButtonScreen):
    name = "shooting_pause"
    overlay = True

    def __init__(self, app):
        super().__init__(app)
        self.resume_btn = Button((312, 300, 400, 110), "つづける", self.resume, color=theme.GOOD, size=44,
                                 name="resume")
        self.quit_btn = Button((312, 450, 400, 100), "やめる", self.quit, color=theme.ACCENT_2, size=38,
                               name="quit")
        self._veil = pygame.Surface(theme.SCREEN_SIZE, pygame.SRCALPHA)
        self._veil.fill((30, 40, 50, 150))

    def controls(self):
        return [self.resume_btn, self.quit_btn]

    def key(self, event) -> None:
        if event.key in (pygame.K_ESCAPE, pygame.K_p, pygame.K_SPACE):
            self.resume()

    def resume(self) -> None:
        if self.app.scenes.top is self:
            self.app.scenes.pop()

    def quit(self) -> None:
        self.app.go_title()

    def still(self) -> PauseStill:
        return PauseStill(self.shown())

    def paint(self, surface: pygame.Surface, v: PauseStill) -> None:
        surface.blit(self._veil, (0, 0))
        box = pygame.Rect(232, 150, 560, 440)
        panel(surface, box, radius=28, width=4)
        t = self.app.fonts.render("ひとやすみ", 52, theme.INK, "bold")
        surface.blit(t, t.get_rect(center=(box.centerx, box.top + 76)))
        v.buttons.draw(surface, self.app.fonts)
