"""「このQRコードはよめませんでした」: a kind refusal with the reason in children's words and a way back."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView, panel
from ..common import HEADER_H, back_button, draw_header
from ..common.screen import ButtonScreen
from . import navigation, state


@dataclass(frozen=True)
class RefusedStill:
    """What the refusal shows (its view key and its drawing's only input)."""

    reason: str         # a key of state.REASON_WORDS
    source: str         # "scan", "launch" or "code"
    buttons: ButtonsView


class RefusedScene(StillView, ButtonScreen):
    name = "refused"

    def __init__(self, app, reason: str, source: str = "scan"):
        super().__init__(app)
        self.reason = reason
        self.source = source  # "scan", "launch" (a link opened from outside) or "code" (the keypad)
        w, h = app.size
        self.back = back_button(self._back)
        if source == "code":
            self.actions = [
                Button((w // 2 - 340, h - 190, 320, 110), "もういちど いれる", self._keypad, color=theme.ACCENT,
                       size=32, name="retry"),
                Button((w // 2 + 20, h - 190, 320, 110), "もどる", self._back, color=theme.BG_DARK, size=34,
                       name="home"),
            ]
        else:
            self.actions = [
                Button((40, h - 190, 300, 110), "もういちど よむ", self._rescan, color=theme.ACCENT_2, size=32,
                       name="retry"),
                Button((362, h - 190, 300, 110), "コードを いれる", self._keypad, color=theme.ACCENT, size=32,
                       name="keypad"),
                Button((684, h - 190, 300, 110), "もどる", self._back, color=theme.BG_DARK, size=34, name="home"),
            ]

    def _back(self) -> None:
        navigation.home_or_back(self.app)

    def _rescan(self) -> None:
        self._back()
        navigation.start_scan(self.app)

    def _keypad(self) -> None:
        self._back()
        self.app.scenes.push(navigation.keypad_screen(self.app))

    def still(self) -> RefusedStill:
        return RefusedStill(self.reason, self.source, self.shown())

    def controls(self):
        return [self.back, *self.actions]

    def paint(self, surface: pygame.Surface, v: RefusedStill) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        draw_header(surface, fonts, "ごめんね")
        v.buttons.draw(surface, fonts)
        box = pygame.Rect(60, HEADER_H + 50, w - 120, 330)
        panel(surface, box)
        # a worried face drawn with shapes (no emoji font on the iPad build)
        cx, cy = box.left + 110, box.top + 120
        pygame.draw.circle(surface, (255, 226, 160), (cx, cy), 66)
        pygame.draw.circle(surface, theme.CARD_EDGE, (cx, cy), 66, 3)
        for dx in (-22, 22):
            pygame.draw.circle(surface, theme.INK, (cx + dx, cy - 14), 7)
        pygame.draw.arc(surface, theme.INK, (cx - 24, cy + 16, 48, 30), 0.3, 2.84, 4)
        what = "このコードはよめませんでした" if v.source == "code" else "このQRコードはよめませんでした"
        title = fonts.render(what, 44, theme.INK, "bold")
        surface.blit(title, title.get_rect(midleft=(box.left + 200, box.top + 90)))
        reason = fonts.paragraph(state.REASON_WORDS.get(v.reason, ""), 30, box.width - 230, theme.INK)
        surface.blit(reason, (box.left + 200, box.top + 150))
        hint = ("たてふだの コードを もういちど たしかめてね。" if v.source == "code"
                else "たてふだの QRコードを、もういちど よんでみてね。")
        t = fonts.paragraph(hint, 26, box.width - 230, theme.INK_SOFT)
        surface.blit(t, (box.left + 200, box.top + 150 + reason.get_height() + 16))
