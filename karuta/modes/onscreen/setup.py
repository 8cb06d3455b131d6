"""The on-screen play setup: players, cards, the お手つき rule."""

from __future__ import annotations

from dataclasses import replace

import pygame

from ...app import theme
from ...app.ui import Button
from ...engine import match as mt
from ..common import HEADER_H, back_button, draw_header
from ..common.seeds import next_seed, note_session
from ..common.teams import team_colour
from ..common.screen import SetupScreen
from .geometry import max_cards, seats_for
from .config import CARD_CHOICES, FAULT_SECONDS, PlayConfig
from .play import OnscreenPlayScene


class OnscreenSetupScene(SetupScreen):
    name = "onscreen_setup"

    def __init__(self, app, config: PlayConfig | None = None):
        super().__init__(app)
        if config is None:
            players = app.opts.players or app.settings.get("onscreen_players")
            players = players if players in (1, 2, 3, 4) else 2
            cards = app.settings.get("onscreen_cards")
            penalty = app.settings.get("penalty")
            config = PlayConfig(players, cards if isinstance(cards, int) and cards > 0 else 10,
                                penalty if penalty in (mt.GIVE_BACK, mt.SIT_OUT) else mt.GIVE_BACK,
                                next_seed(app))
        self.config = config
        self.back = back_button(self.go_back)
        self.buttons: list[Button] = []
        self._auto_t = 0.0
        self._layout()

    @property
    def deck(self):
        return self.app.deck

    def card_choices(self) -> list[tuple[int, str]]:
        most = min(max_cards(self.config.players), len(self.deck.cards))
        out = [(n, f"{n}まい") for n in CARD_CHOICES if n < most]
        out.append((most, "ぜんぶ" if most == len(self.deck.cards) else f"{most}まい"))
        return out

    def cards(self) -> int:
        """The chosen count, brought down to what fits for this many players."""
        return min(self.config.cards, self.card_choices()[-1][0])

    def _set(self, **changes) -> None:
        self.config = replace(self.config, **changes)
        self._layout()

    def _layout(self) -> None:
        c = self.config
        b = []
        y0 = HEADER_H + 30
        for i in range(4):
            btn = Button((230 + i * 130, y0, 116, 96), f"{i + 1}にん", lambda n=i + 1: self._set(players=n),
                         color=theme.ACCENT, size=30, name=f"players:{i + 1}")
            btn.selected = c.players == i + 1
            b.append(btn)
        n_cards = self.cards()
        for i, (n, label) in enumerate(self.card_choices()):
            btn = Button((230 + i * 150, y0 + 200, 136, 80), label, lambda n=n: self._set(cards=n),
                         color=theme.ACCENT, size=28, name=f"cards:{n}")
            btn.selected = n == n_cards
            b.append(btn)
        for i, (rule, label) in enumerate(((mt.GIVE_BACK, "1まい かえす"), (mt.SIT_OUT, "1かい やすみ"))):
            if c.players == 1:
                break  # alone, an お手つき costs time: there is no rule to choose
            btn = Button((230 + i * 262, y0 + 310, 250, 80), label, lambda r=rule: self._set(penalty=r),
                         color=theme.ACCENT, size=26, name=f"penalty:{rule}")
            btn.selected = c.penalty == rule
            b.append(btn)
        b.append(Button((684, 612, 320, 120), "はじめる", self.start, color=theme.ACCENT_2, size=44, name="start"))
        self.buttons = b

    def start(self) -> None:
        config = replace(self.config, cards=self.cards())
        note_session(self.app)
        if not self.app.autoplay:
            self.app.settings.update(onscreen_players=config.players, onscreen_cards=config.cards,
                                     penalty=config.penalty)
        self.app.scenes.push(OnscreenPlayScene(self.app, config))

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 0.6:
            self._auto_t = -1e9
            self._set(cards=10)
            self.start()

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "みんなで とる", self.deck.name)
        self.back.draw(surface, fonts)
        y0 = HEADER_H + 30
        for text, y in (("なんにん？", y0 + 48), ("カード", y0 + 240), ("おてつき", y0 + 350)):
            t = fonts.render(text, 30, theme.INK, "bold")
            surface.blit(t, t.get_rect(midleft=(32, y)))
        self._draw_seats(surface, pygame.Rect(770, y0 - 4, 220, 110))
        hint = ("ひとりで れんしゅう：はやく とれるかな？" if self.config.players == 1
                else "じぶんの がわ から タッチ！ ゆびを すべらせて とっても いいよ")
        h = fonts.render(hint, 24, theme.INK_SOFT, "bold")
        surface.blit(h, (230, y0 + 116))
        if self.config.players == 1:
            r = fonts.render(f"ひとりの ときは、おてつき すると ＋{FAULT_SECONDS:.0f}びょう", 26, theme.INK, "bold")
            surface.blit(r, r.get_rect(midleft=(230, y0 + 350)))
        else:
            rule = ("おてつき すると、とった カードを 1まい かえします" if self.config.penalty == mt.GIVE_BACK
                    else "おてつき すると、つぎの カードは やすみです")
            r = fonts.render(rule, 22, theme.INK_SOFT)
            surface.blit(r, (230, y0 + 398))
        for btn in self.buttons:
            btn.draw(surface, fonts)

    def _draw_seats(self, surface, rect: pygame.Rect) -> None:
        """A little picture of where each player sits around the iPad."""
        screen = rect.inflate(-76, -52)
        pygame.draw.rect(surface, (60, 60, 70), screen.inflate(10, 10), border_radius=10)
        pygame.draw.rect(surface, theme.PAPER, screen, border_radius=6)
        spots = {"bottom": (screen.centerx, rect.bottom - 12), "top": (screen.centerx, rect.top + 12),
                 "left": (rect.left + 14, screen.centery), "right": (rect.right - 14, screen.centery)}
        for i, seat in enumerate(seats_for(self.config.players)):
            pygame.draw.circle(surface, team_colour(i), spots[seat], 13)


# ====================================================================== play
