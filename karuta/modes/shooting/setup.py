"""The shooting setup: deck, number of cards, difficulty, and a big はじめる; no typing."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView, fit_within
from ...engine import shooting as rules
from ..common import back_button, draw_header
from ..common.screen import ButtonScreen
from .geometry import SCREEN_W, SETTINGS_KEY
from .round import ShootingRoundScene, round_seed


@dataclass(frozen=True)
class ShootingSetupStill:
    """What the setup shows (its view key and its drawing's only input)."""

    deck_name: str              # furigana markup ("" without a deck)
    name_line: bool             # the deck's name beside 「カルタ」 (when not every deck has a button)
    back: ButtonsView
    choices: ButtonsView        # decks, numbers of cards, difficulties
    blurbs: tuple               # under each difficulty: (its blurb, the button's rect)
    record: str                 # the best score line ("" without a deck)
    start: ButtonsView


class ShootingSetupScene(StillView, ButtonScreen):
    """One screen, no typing: deck, number of cards, difficulty, and a big はじめる."""

    name = "shooting_setup"

    def __init__(self, app):
        super().__init__(app)
        prefs = app.settings.get(SETTINGS_KEY)
        prefs = prefs if isinstance(prefs, dict) else {}
        self.difficulty = prefs.get("difficulty") if prefs.get("difficulty") in rules.DIFFICULTIES \
            else rules.DEFAULT_DIFFICULTY
        self.count = prefs.get("count") if prefs.get("count") in rules.COUNTS else rules.DEFAULT_COUNT
        self.rounds = 0
        self._auto_t = 0.0
        self.back = back_button(self.go_back)
        self.start_btn = Button((312, 580, 400, 116), "はじめる", self.start, color=theme.GOOD, size=52,
                                name="start")
        self.deck_buttons: list[Button] = []
        self.count_buttons: list[Button] = []
        self.difficulty_buttons: list[Button] = []
        self._best_records: dict | None = None
        self._layout()

    def controls(self):
        return [self.back, self.start_btn, *self.deck_buttons, *self.count_buttons, *self.difficulty_buttons]

    def key(self, event) -> None:
        if event.key == pygame.K_ESCAPE:
            self.go_back()
        elif event.key in (pygame.K_RETURN, pygame.K_SPACE):
            self.start()

    # -- layout and choices

    def _layout(self) -> None:
        decks = self.app.valid_decks
        self.deck_buttons = []
        if 1 < len(decks) <= 3:
            for i, deck in enumerate(decks):
                b = Button((200 + i * 264, 108, 248, 72), deck.name_plain, self._deck_chooser(deck),
                           color=theme.BG_DARK, size=26, name=f"deck:{deck.id}")
                self.deck_buttons.append(b)
        elif len(decks) > 3:
            self.deck_buttons.append(Button((728, 108, 240, 72), "ほかの カルタ", self._next_deck,
                                            color=theme.BG_DARK, size=26, name="deck:next"))
        size = len(self.app.deck.cards) if self.app.deck else 0
        self.count_buttons = []
        for i, count in enumerate(rules.COUNTS):
            label = f"{count}まい" if count else f"ぜんぶ（{size}まい）"
            b = Button((200 + i * 256, 212, 232, 84), label, self._count_chooser(count), color=theme.ACCENT,
                       size=32 if count else 28, name=f"count:{rules.count_key(count)}")
            b.enabled = count == 0 or count < size
            self.count_buttons.append(b)
        if self.count and self.count >= size:
            self.count = 0  # a small deck: "10 cards" would be all of them anyway
        self.difficulty_buttons = []
        colours = {"easy": theme.GOOD, "normal": theme.WARN, "hard": theme.ACCENT_2}
        for i, (key, diff) in enumerate(rules.DIFFICULTIES.items()):
            b = Button((200 + i * 256, 336, 232, 96), diff.label, self._difficulty_chooser(key),
                       color=colours.get(key, theme.ACCENT), size=34, name=f"difficulty:{key}")
            self.difficulty_buttons.append(b)
        self._mark()

    def _mark(self) -> None:
        for b in self.deck_buttons:
            b.selected = self.app.deck is not None and b.name == f"deck:{self.app.deck.id}"
        for b, count in zip(self.count_buttons, rules.COUNTS):
            b.selected = count == self.count
        for b, key in zip(self.difficulty_buttons, rules.DIFFICULTIES):
            b.selected = key == self.difficulty

    def _deck_chooser(self, deck):
        def choose():
            self.app.use_deck(deck)
            self._layout()
        return choose

    def _next_deck(self) -> None:
        decks = self.app.valid_decks
        i = next((k for k, d in enumerate(decks) if d is self.app.deck), -1)
        self.app.use_deck(decks[(i + 1) % len(decks)])
        self._layout()

    def _count_chooser(self, count):
        def choose():
            self.count = count
            self._mark()
        return choose

    def _difficulty_chooser(self, key):
        def choose():
            self.difficulty = key
            self._mark()
        return choose

    def best(self) -> int | None:
        if self._best_records is None:
            self._best_records = self.app.store.load(rules.SCORES_KEY, {}, rules.clean_records)
        return rules.best_score(self._best_records, self.app.deck.id, self.difficulty, self.count)

    def enter(self) -> None:
        self._best_records = None  # a round may have set a new best
        self._layout()

    def still(self) -> ShootingSetupStill:
        deck = self.app.deck
        record = ""
        if deck is not None:
            best = self.best()
            what = f"（{rules.DIFFICULTIES[self.difficulty].label}・" \
                   f"{'ぜんぶ' if not self.count else str(self.count) + 'まい'}）"
            record = f"さいこう きろく {best}てん {what}" if best is not None else f"まだ きろくは ないよ {what}"
        blurbs = tuple((diff.blurb, tuple(b.rect)) for b, diff in zip(self.difficulty_buttons,
                                                                        rules.DIFFICULTIES.values()))
        return ShootingSetupStill(
            deck.name if deck else "", deck is not None and len(self.deck_buttons) != len(self.app.valid_decks),
            ButtonsView.of(self.back),
            ButtonsView.of(*self.deck_buttons, *self.count_buttons, *self.difficulty_buttons),
            blurbs, record, ButtonsView.of(self.start_btn))

    # -- start

    def start(self) -> None:
        if self.app.deck is None:
            return
        self.app.settings.set(SETTINGS_KEY, {"difficulty": self.difficulty, "count": self.count})
        seed = round_seed(self.app.seed, self.rounds)
        self.app.scenes.push(ShootingRoundScene(self.app, self.difficulty, self.count, seed, self.rounds))
        self.rounds += 1

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t >= 1.0:  # a moment to see the screen, as a facilitator would
            self._auto_t = 0.0
            self.count = 10 if any(b.enabled for b, c in zip(self.count_buttons, rules.COUNTS) if c == 10) else 0
            self._mark()
            self.start()

    # -- drawing

    def paint(self, surface: pygame.Surface, v: ShootingSetupStill) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "シューティング", v.deck_name)
        v.back.draw(surface, fonts)
        for label, y in (("カルタ", 144), ("まいすう", 254), ("むずかしさ", 384)):
            text = fonts.render(label, 28, theme.INK, "bold")
            surface.blit(text, text.get_rect(midleft=(36, y)))
        if v.name_line:
            name = fonts.ruby(v.deck_name, 32, theme.INK, "card", align="left")
            if name.get_width() > 500:
                name = pygame.transform.smoothscale(name, fit_within(name.get_size(), (500, 72)))
            surface.blit(name, name.get_rect(midleft=(204, 144)))
        v.choices.draw(surface, fonts)
        for text, rect in v.blurbs:
            rect = pygame.Rect(rect)
            blurb = fonts.render(text, 19, theme.INK_SOFT)
            if blurb.get_width() > rect.width + 16:
                blurb = pygame.transform.smoothscale(blurb, fit_within(blurb.get_size(), (rect.width + 16, 30)))
            surface.blit(blurb, blurb.get_rect(midtop=(rect.centerx, rect.bottom + 14)))
        if v.record:
            text = fonts.render(v.record, 28, theme.INK, "bold")
            surface.blit(text, text.get_rect(center=(SCREEN_W // 2, 522)))
        v.start.draw(surface, fonts)
