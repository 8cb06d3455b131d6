"""「タップしてはじめる」: the first screen on the web.

An iPad plays no sound and speaks no word until the page has seen a touch, so the
game opens on one big tap target; that tap wakes the mixer and the browser's speech
(app.voice.unlock) and then opens what the launch asked for (a card link, --scene)
or the title. On the desktop it is only reachable as ``--scene start``.
"""

from __future__ import annotations

import math

import pygame

from ..app import theme
from ..app.input import UP, Key, Pointer
from ..app.scene import Scene
from . import registry

PANEL = pygame.Rect(162, 262, 700, 300)
_KEYS = (pygame.K_SPACE, pygame.K_RETURN, pygame.K_KP_ENTER)


class StartScene(Scene):
    name = "start"

    def __init__(self, app):
        super().__init__(app)
        self.t = 0.0
        self.started = False

    def handle(self, event) -> None:
        # The whole screen is the button: the release of any touch starts (the gesture the page needs).
        if isinstance(event, Pointer) and event.kind == UP:
            self.start()
        elif isinstance(event, Key) and event.key in _KEYS:
            self.start()

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        self.app.voice.unlock()
        scene = registry.first_scene(self.app)  # launch() below now steps aside
        if isinstance(scene, StartScene):  # --scene start on the desktop
            scene = self.app.make_scene("title")
        self.app.scenes.replace(scene)

    def update(self, dt: float) -> None:
        self.t += dt

    def autoplay_step(self, dt: float) -> None:
        if self.t > 1.0:
            self.start()

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        title = fonts.render("かるたで あそぼう", 60, theme.INK, "bold")
        surface.blit(title, title.get_rect(center=(w // 2, 100)))
        if self.app.deck is not None:
            name = fonts.ruby(self.app.deck.name, 40, theme.INK_SOFT, "card", max_width=w - 200)
            surface.blit(name, name.get_rect(center=(w // 2, 190)))
        # A slow breathing ring says "touch me" without words for children who cannot read yet.
        pulse = (math.sin(self.t * 3.0) + 1) / 2
        ring = PANEL.inflate(16 + int(20 * pulse), 16 + int(20 * pulse))
        pygame.draw.rect(surface, (150, 200, 230), ring, width=6, border_radius=48)
        pygame.draw.rect(surface, (0, 80, 125), PANEL.move(0, 8), border_radius=40)
        pygame.draw.rect(surface, theme.ACCENT, PANEL, border_radius=40)
        _speaker(surface, (PANEL.centerx, PANEL.top + 95), theme.WHITE)
        label = fonts.render("タップして はじめる", 60, theme.WHITE, "bold")
        surface.blit(label, label.get_rect(center=(PANEL.centerx, PANEL.bottom - 80)))
        hint = fonts.render("おとが でるよ。おおきさに きをつけてね", 28, theme.INK_SOFT, "bold")
        surface.blit(hint, hint.get_rect(center=(w // 2, 650)))


def _speaker(surface: pygame.Surface, center, color) -> None:
    """A loudspeaker with sound waves, drawn (the fonts have no such glyph)."""
    cx, cy = center
    pygame.draw.rect(surface, color, (cx - 62, cy - 16, 22, 32), border_radius=3)
    pygame.draw.polygon(surface, color, [(cx - 42, cy - 16), (cx - 12, cy - 42), (cx - 12, cy + 42), (cx - 42, cy + 16)])
    for i, r in enumerate((22, 40, 58)):
        rect = pygame.Rect(0, 0, r * 2, r * 2)
        rect.center = (cx - 4, cy)
        pygame.draw.arc(surface, color, rect, -math.pi / 3.2, math.pi / 3.2, 7 - i)


def launch(app):
    """On the web the first screen waits for a touch (once per page load)."""
    if app.platform.name == "web" and not app.voice.unlocked:
        return StartScene(app)
    return None


SCENES = {"start": StartScene}
