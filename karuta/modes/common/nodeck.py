"""The screen shown instead of a mode when no usable deck was found."""

from __future__ import annotations

import pygame

from ...app import theme
from ...app.scene import Scene
from . import back_button, draw_header


class NoDeckScene(Scene):
    """Shown instead of a mode when no usable deck was found (the title explains why)."""

    name = "no_deck"

    def __init__(self, app):
        super().__init__(app)
        self.back = back_button(self.app.go_title)

    def handle(self, event) -> None:
        self.back.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        draw_header(surface, self.app.fonts, "カルタが ありません")
        self.back.draw(surface, self.app.fonts)
        msg = self.app.fonts.render("つかえる カルタが ないので あそべません", 34, theme.ACCENT_2, "bold")
        surface.blit(msg, msg.get_rect(center=(self.app.size[0] // 2, 360)))
