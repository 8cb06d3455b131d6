"""Choosing the cards in play: by kana rows, or one by one by their pictures."""

from __future__ import annotations

from typing import Callable

import math
import random

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.ui import Button
from ...engine import cardset as cs
from ..common import HEADER_H, back_button, draw_header
from ..common.screen import ButtonScreen


class RowPickerScene(ButtonScreen):
    """Choose kana rows (あ行, か行, ...) with big toggles."""

    name = "row_picker"

    def __init__(self, app, current: cs.CardSet, on_choose: Callable[[cs.CardSet], None]):
        super().__init__(app)
        self.on_choose = on_choose  # gets the chosen CardSet (a value), when 「できた」 is pressed
        self.rows_available = cs.deck_rows(app.deck)
        self.chosen: set[str] = set(current.rows) if current.kind == cs.ROWS else set()
        self.back = back_button(self.app.scenes.pop)
        self.buttons: list[Button] = []
        self._layout()

    def controls(self):
        return [self.back, self.done, *self.buttons]

    def _layout(self) -> None:
        self.buttons = []
        for i, (row, count) in enumerate(self.rows_available):
            col, line = i % 5, i // 5
            btn = Button((32 + col * 196, HEADER_H + 60 + line * 140, 180, 112), f"{row} {count}まい",
                         self._toggler(row), color=theme.ACCENT, size=28, name=f"row:{row}")
            btn.selected = row in self.chosen
            if not btn.selected:
                btn.color = (150, 170, 190)
            self.buttons.append(btn)
        self.done = Button((684, 640, 320, 100), "できた", self._done, color=theme.ACCENT_2, size=40, name="done",
                           enabled=bool(self.chosen))

    def _toggler(self, row: str):
        def toggle():
            self.chosen ^= {row}
            self._layout()
        return toggle

    def _done(self) -> None:
        if self.chosen:
            self.on_choose(cs.CardSet(cs.ROWS, tuple(self.chosen)))
        self.app.scenes.pop()

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "ぎょうで えらぶ")
        self.back.draw(surface, fonts)
        n = len(cs.CardSet(cs.ROWS, tuple(self.chosen)).cards(self.app.deck)) if self.chosen else 0
        count = fonts.render(f"{n}まい", 40, theme.INK, "bold")
        surface.blit(count, count.get_rect(midleft=(40, 690)))
        for btn in self.buttons:
            btn.draw(surface, fonts)
        self.done.draw(surface, fonts)


class CardPickerScene(ButtonScreen):
    """Pick single cards by their picture: touch to put in or take out."""

    name = "card_picker"
    COLS, ROWS = 11, 4
    THUMB = card_size(112)   # 79 x 112
    AUTO_PICKS = 10

    def __init__(self, app, current: cs.CardSet, seed: int, on_choose: Callable[[cs.CardSet], None]):
        super().__init__(app)
        self.on_choose = on_choose  # gets the chosen CardSet (a value), when 「できた」 is pressed
        self.deck = app.deck
        self.chosen: set[int] = {c.number for c in current.cards(self.deck)} if current.kind != cs.ALL else set()
        self.page = 0
        self.back = back_button(self.app.scenes.pop)
        self.all_btn = Button((16, 672, 150, 80), "ぜんぶ", lambda: self._set_all(True), color=theme.BG_DARK,
                              size=26, name="all")
        self.none_btn = Button((178, 672, 150, 80), "なし", lambda: self._set_all(False), color=theme.BG_DARK,
                               size=26, name="none")
        self.prev_btn = Button((340, 672, 110, 80), "まえ", lambda: self._turn(-1), color=theme.BG_DARK, name="prev")
        self.next_btn = Button((462, 672, 110, 80), "つぎ", lambda: self._turn(1), color=theme.BG_DARK, name="next")
        self.done = Button((764, 664, 240, 92), "できた", self._done, color=theme.ACCENT_2, size=36, name="done")
        self._auto_t = 0.0
        self._auto_cleared = False
        self._auto_order = random.Random(f"{seed}:demo-picks").sample(
            [c.number for c in self.deck.cards], min(self.AUTO_PICKS, len(self.deck.cards)))

    def controls(self):
        buttons = [self.back, self.all_btn, self.none_btn, self.done]
        return buttons + [self.prev_btn, self.next_btn] if self.pages > 1 else buttons

    def pointer(self, event) -> None:
        if event.is_tap:
            for rect, card in self.card_rects():
                hit = rect.inflate(8, 18)
                if hit.collidepoint(event.pos) and hit.collidepoint(event.start):
                    self.toggle(card.number)
                    return

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.deck.cards) / (self.COLS * self.ROWS)))

    def _turn(self, step: int) -> None:
        self.page = (self.page + step) % self.pages

    def _set_all(self, on: bool) -> None:
        self.chosen = {c.number for c in self.deck.cards} if on else set()

    def _done(self) -> None:
        if self.chosen:
            if len(self.chosen) == len(self.deck.cards):
                self.on_choose(cs.CardSet())
            else:
                self.on_choose(cs.CardSet(cs.PICKED, numbers=tuple(self.chosen)))
        self.app.scenes.pop()

    def card_rects(self) -> list[tuple[pygame.Rect, object]]:
        per = self.COLS * self.ROWS
        cards = self.deck.cards[self.page * per:(self.page + 1) * per]
        gap_x, gap_y = 9, 20
        x0 = (self.app.size[0] - (self.COLS * self.THUMB[0] + (self.COLS - 1) * gap_x)) // 2
        out = []
        for i, card in enumerate(cards):
            col, row = i % self.COLS, i // self.COLS
            out.append((pygame.Rect(x0 + col * (self.THUMB[0] + gap_x), HEADER_H + 20 + row * (self.THUMB[1] + gap_y),
                                    *self.THUMB), card))
        return out

    def toggle(self, number: int) -> None:
        self.chosen ^= {number}

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t < 0.1:
            return
        self._auto_t = 0.0
        if not self._auto_cleared:
            self._auto_cleared = True
            self.chosen = set()  # start the demo pick from nothing, whatever was chosen before
            return
        if self._auto_order:
            self.toggle(self._auto_order.pop())
        else:
            self._done()

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "カードを えらぶ")
        self.back.draw(surface, fonts)
        count = fonts.render(f"{len(self.chosen)}まい", 36, theme.INK, "bold")
        surface.blit(count, count.get_rect(midright=(self.app.size[0] - 24, HEADER_H // 2)))
        shade = pygame.Surface(self.THUMB, pygame.SRCALPHA)
        shade.fill((250, 246, 236, 170))
        for rect, card in self.card_rects():
            surface.blit(self.app.faces.get(self.deck, card, "picture", self.THUMB), rect)
            if card.number in self.chosen:
                pygame.draw.rect(surface, theme.ACCENT_2, rect.inflate(8, 8), width=5, border_radius=10)
                pygame.draw.circle(surface, theme.ACCENT_2, (rect.right - 12, rect.bottom - 12), 15)
                mark = fonts.render("✓", 22, theme.WHITE, "bold")
                surface.blit(mark, mark.get_rect(center=(rect.right - 12, rect.bottom - 12)))
            else:
                surface.blit(shade, rect)
        for btn in (self.all_btn, self.none_btn, self.done):
            btn.draw(surface, fonts)
        if self.pages > 1:
            self.prev_btn.draw(surface, fonts)
            self.next_btn.draw(surface, fonts)
            page = fonts.render(f"{self.page + 1}/{self.pages}", 26, theme.INK)
            surface.blit(page, page.get_rect(center=(668, 712)))
        else:
            hint = fonts.render("タッチで いれる／はずす", 22, theme.INK_SOFT)
            surface.blit(hint, hint.get_rect(midleft=(344, 712)))
