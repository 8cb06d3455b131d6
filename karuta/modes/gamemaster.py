"""ゲームマスター: the app as the reader for a game with physical cards.

Screens, in order: setup (cards in play, reading style, teams) -> the visible shuffle
(seeded; the seed is shown so a facilitator can replay a session) -> the layout plan
(where to lay the picture cards) -> the reading screen (big text, the controls,
the team scoreboard) -> the ranking. The rhythm lives in engine/reading.py, the
scoring in engine/match.py, the card choice in engine/cardset.py.
"""

from __future__ import annotations

import math
import random
import weakref
from dataclasses import dataclass, replace

import pygame

from ..app import theme
from ..app.faces import card_size
from ..app.input import Key, Pointer
from ..app.layers import Layer
from ..app.scene import Scene
from ..app.ui import Button, fit_within, panel
from ..engine import cardset as cs
from ..engine import match as mt
from ..engine import reading as rd
from ..engine.shuffle import new_seed
from . import registry
from .common import HEADER_H, back_button, draw_header

STORE_KEY = "cardsets"
AUTO_CHOICES = (3, 5, 8, 10, 15, 20, 30)
IMAGE_ONLY_SECONDS = 4.0   # a person reads an image-only card aloud in about this long
SEED_MAX_DIGITS = 6

# The first session after launch uses app.seed (so --seed replays it); later ones get fresh seeds.
_sessions_started: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def team_name(i: int) -> str:
    return theme.TEAM_COLOURS[i][0]


def team_colour(i: int):
    return theme.TEAM_COLOURS[i][1]


# ====================================================================== configuration


@dataclass(frozen=True)
class Config:
    choice: cs.CardSet = cs.CardSet()
    read_twice: bool = True
    opening: bool = True
    auto: int = 0              # seconds of waiting for the take; 0 = wait for 「つぎ」
    teams: int = 0             # 0 = no scoreboard; else 2-4
    penalty: str = mt.GIVE_BACK
    seed: int = 0

    @classmethod
    def from_settings(cls, settings, seed: int) -> "Config":
        auto = settings.get("auto_advance")
        auto = int(auto) if isinstance(auto, (int, float)) and rd.AUTO_MIN <= auto <= rd.AUTO_MAX else 0
        teams = settings.get("teams")
        teams = teams if teams in (0, 2, 3, 4) else 0
        penalty = settings.get("penalty")
        penalty = penalty if penalty in (mt.GIVE_BACK, mt.SIT_OUT) else mt.GIVE_BACK
        return cls(read_twice=bool(settings.get("read_twice")), opening=bool(settings.get("opening_card")),
                   auto=auto, teams=teams, penalty=penalty, seed=seed)

    def save(self, settings) -> None:
        settings.update(read_twice=self.read_twice, opening_card=self.opening, auto_advance=self.auto,
                        teams=self.teams, penalty=self.penalty)


class Session:
    """One reading session: the order, the opening card, the layout, the timeline and the match."""

    def __init__(self, app, config: Config):
        self.app = app
        self.config = config
        self.deck = app.deck
        in_play = config.choice.cards(self.deck)
        order = cs.reading_order(in_play, config.seed)
        self.opening = None
        self.opening_from_play = False
        if config.opening and order:
            self.opening = cs.choose_opening(self.deck.cards, in_play, config.seed)
            if self.opening is None and len(order) > 1:
                # Every card is in play: the first one is read as 空読み and left out of the layout.
                self.opening, order = order[0], order[1:]
                self.opening_from_play = True
        self.order = order
        rules = rd.Rules(read_twice=config.read_twice,
                         gap_between_readings=app.settings.get("gap_between_readings"),
                         gap_between_cards=app.settings.get("gap_between_cards"),
                         auto_advance=float(config.auto) if config.auto else None)
        self.timeline = rd.Timeline(order, rules, duration_of=self._duration, kana_of=lambda c: c.reading_kana,
                                    opening=self.opening)
        names = [team_name(i) for i in range(config.teams)] if config.teams else ["-"]
        self.match = mt.Match(names, [c.number for c in order], penalty=config.penalty)
        self.missed: set[int] = set()

    def _duration(self, card):
        length = self.app.voice.duration(self.deck, card)
        if length is None and not card.reading_kana:
            return IMAGE_ONLY_SECONDS
        return length

    @property
    def has_teams(self) -> bool:
        return self.config.teams > 0


def next_seed(app) -> int:
    """app.seed for the first session of this launch (so --seed replays it), then fresh seeds."""
    count = _sessions_started.get(app, 0)
    return int(app.seed) if count == 0 and isinstance(app.seed, int) else new_seed()


def note_session(app) -> None:
    _sessions_started[app] = _sessions_started.get(app, 0) + 1


def _load_sets(app) -> list[cs.CardSet]:
    return app.store.load(STORE_KEY, [], cs.load_saved)


# ====================================================================== setup


class SetupScene(Scene):
    """Everything a facilitator chooses before a session, on one screen, with no typing."""

    name = "gamemaster"

    def __init__(self, app, config: Config | None = None):
        super().__init__(app)
        self.config = config or Config.from_settings(app.settings, next_seed(app))
        self.saved: list[cs.CardSet] = _load_sets(app)
        self.back = back_button(self._back)
        self.buttons: list[Button] = []
        self._auto_t = 0.0
        self._auto_step = 0
        self._layout()

    # -- helpers

    @property
    def deck(self):
        return self.app.deck

    def mine(self) -> list[cs.CardSet]:
        return cs.for_deck(self.saved, self.deck.id)

    def in_play(self) -> list:
        return self.config.choice.cards(self.deck)

    def set_config(self, **changes) -> None:
        self.config = replace(self.config, **changes)
        self._layout()

    def _back(self) -> None:
        self.app.scenes.pop() if len(self.app.scenes) > 1 else self.app.go_title()

    def enter(self) -> None:
        self._layout()

    # -- layout

    ROW_Y = {"cards": 112, "sets": 196, "read": 276, "advance": 356, "teams": 436, "penalty": 516, "start": 620}
    X0 = 210

    def _layout(self) -> None:
        c = self.config
        b: list[Button] = []
        y = self.ROW_Y

        def opt(x, row, w, label, name, selected, action, enabled=True, color=theme.ACCENT, h=72, size=26):
            btn = Button((x, y[row], w, h), label, action, color=color, size=size, name=name, enabled=enabled)
            btn.selected = selected
            b.append(btn)
            return btn

        kind = c.choice.kind
        opt(self.X0, "cards", 140, "ぜんぶ", "cards:all", kind == cs.ALL, lambda: self._choose(cs.CardSet()))
        opt(self.X0 + 152, "cards", 170, "ぎょうで", "cards:rows", kind == cs.ROWS, self._open_rows)
        opt(self.X0 + 334, "cards", 190, "1まいずつ", "cards:pick", kind == cs.PICKED, self._open_picker)
        # saved sets
        mine = self.mine()
        current = next((s for s in mine if s.same_choice(c.choice)), None)
        full = len(mine) >= cs.MAX_SAVED and current is None
        opt(self.X0, "sets", 120, "ほぞん", "save", False, self._save, enabled=not full and bool(self.in_play()),
            color=theme.GOOD, h=64, size=24)
        opt(self.X0 + 128, "sets", 90, "けす", "delete", False, self._delete, enabled=current is not None,
            color=theme.ACCENT_2, h=64, size=24)
        for i, s in enumerate(mine):
            btn = opt(self.X0 + 230 + i * 98, "sets", 92, s.name, f"set:{s.name}", s is current,
                      self._loader(s), color=theme.BG_DARK, h=64, size=22)
            btn.selected = s is current
        opt(self.X0, "read", 120, "1かい", "twice:1", not c.read_twice, lambda: self.set_config(read_twice=False))
        opt(self.X0 + 132, "read", 120, "2かい", "twice:2", c.read_twice, lambda: self.set_config(read_twice=True))
        opt(700, "read", 120, "あり", "opening:on", c.opening, lambda: self.set_config(opening=True))
        opt(832, "read", 120, "なし", "opening:off", not c.opening, lambda: self.set_config(opening=False))
        opt(self.X0, "advance", 170, "タップで", "advance:tap", c.auto == 0, lambda: self.set_config(auto=0))
        opt(self.X0 + 182, "advance", 170, "じどうで", "advance:auto", c.auto > 0,
            lambda: self.set_config(auto=c.auto or 10))
        if c.auto:
            opt(self.X0 + 376, "advance", 80, "－", "auto:-", False, lambda: self._auto_by(-1),
                enabled=c.auto > AUTO_CHOICES[0], color=theme.BG_DARK, size=34)
            opt(self.X0 + 646, "advance", 80, "＋", "auto:+", False, lambda: self._auto_by(1),
                enabled=c.auto < AUTO_CHOICES[-1], color=theme.BG_DARK, size=34)
        opt(self.X0, "teams", 120, "なし", "teams:0", c.teams == 0, lambda: self.set_config(teams=0))
        for i, n in enumerate((2, 3, 4)):
            opt(self.X0 + 132 + i * 112, "teams", 100, f"{n}", f"teams:{n}", c.teams == n,
                lambda n=n: self.set_config(teams=n), size=32)
        opt(self.X0, "penalty", 230, "1まい かえす", "penalty:give_back", c.penalty == mt.GIVE_BACK,
            lambda: self.set_config(penalty=mt.GIVE_BACK), enabled=c.teams > 0, size=24)
        opt(self.X0 + 242, "penalty", 230, "1かい やすみ", "penalty:sit_out", c.penalty == mt.SIT_OUT,
            lambda: self.set_config(penalty=mt.SIT_OUT), enabled=c.teams > 0, size=24)
        opt(self.X0 + 96, "start", 150, "かえる", "seed", False, self._open_seed, color=theme.BG_DARK, size=24)
        start = Button((684, 612, 320, 120), "はじめる", self._start, color=theme.ACCENT_2, size=44, name="start",
                       enabled=len(self.in_play()) >= 1)
        b.append(start)
        self.buttons = b

    # -- actions

    def _choose(self, choice: cs.CardSet) -> None:
        self.set_config(choice=choice)

    def _auto_by(self, step: int) -> None:
        choices = AUTO_CHOICES
        i = min(range(len(choices)), key=lambda k: abs(choices[k] - self.config.auto))
        i = min(max(i + step, 0), len(choices) - 1)
        self.set_config(auto=choices[i])

    def _loader(self, saved: cs.CardSet):
        def load():
            self._choose(replace(saved, name="", deck=""))
        return load

    def _save(self) -> None:
        try:
            self.saved, saved, added = cs.save_choice(self.saved, self.config.choice, self.deck.id)
        except cs.CardSetError:
            self.app.toast("ほぞんは 6つまでです。どれかを けしてね")
            return
        if added:
            self.app.store.save(STORE_KEY, cs.saved_data(self.saved))
            self.app.toast(f"「{saved.name}」に ほぞんしました")
        else:
            self.app.toast(f"もう「{saved.name}」に ほぞんしてあります")
        self._layout()

    def _delete(self) -> None:
        current = next((s for s in self.mine() if s.same_choice(self.config.choice)), None)
        if current is None:
            return
        self.saved = cs.delete_saved(self.saved, current.name, self.deck.id)
        self.app.store.save(STORE_KEY, cs.saved_data(self.saved))
        self.app.toast(f"「{current.name}」を けしました")
        self._layout()

    def _open_rows(self) -> None:
        self.app.scenes.push(RowPickerScene(self.app, self))

    def _open_picker(self) -> None:
        self.app.scenes.push(CardPickerScene(self.app, self))

    def _open_seed(self) -> None:
        self.app.scenes.push(SeedPadScene(self.app, self))

    def _start(self) -> None:
        if not self.in_play():
            self.app.toast("カードが 1まいも ありません")
            return
        if not self.app.autoplay:
            # A demo run must not change the facilitator's saved choices.
            self.config.save(self.app.settings)
        note_session(self.app)
        self.app.scenes.push(ShuffleScene(self.app, Session(self.app, self.config)))

    # -- events

    def handle(self, event) -> None:
        if isinstance(event, Key):
            if event.key == pygame.K_ESCAPE:
                self._back()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._start()
            return
        if self.back.handle(event):
            return
        for btn in self.buttons:
            if btn.handle(event):
                return

    def autoplay_step(self, dt: float) -> None:
        """A facilitator preparing a short demo: 10 picked cards, read once, auto-advance, 2 teams."""
        self._auto_t += dt
        if self._auto_t < 0.3:
            return
        self._auto_t = 0.0
        steps = [
            lambda: self._press("cards:pick"),
            lambda: self._press("twice:1"),
            lambda: self._press("opening:off"),
            lambda: self._press("advance:auto"),
            lambda: [self._press("auto:-") for _ in range(len(AUTO_CHOICES))],
            lambda: self._press("teams:2"),
            lambda: self._press("start"),
        ]
        if self._auto_step < len(steps):
            steps[self._auto_step]()
            self._auto_step += 1

    def _press(self, name: str) -> None:
        for btn in self.buttons:
            if btn.name == name and btn.enabled:
                btn.on_press()
                return

    # -- drawing

    def view_key(self):
        # A still form: repainted when a choice (a button's look), the summary or the saved sets change.
        c = self.config
        return (id(self.deck), tuple(b.look() for b in [self.back, *self.buttons]), c.choice.describe(self.deck),
                bool(self.mine()), c.teams, c.auto, c.seed)

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "よみて の じゅんび", self.deck.name)
        self.back.draw(surface, fonts)
        y = self.ROW_Y
        labels = {"cards": "カード", "sets": "ほぞん", "read": "よむ かいすう", "advance": "つぎへ",
                  "teams": "チーム", "penalty": "おてつき", "start": "ばんごう"}
        for row, text in labels.items():
            h = 64 if row == "sets" else 72
            color = theme.INK if (row != "penalty" or self.config.teams) else theme.INK_SOFT
            label = fonts.render(text, 26 if len(text) < 5 else 22, color, "bold")
            surface.blit(label, label.get_rect(midleft=(24, y[row] + h // 2)))
        summary = self.config.choice.describe(self.deck)
        s = fonts.render(summary, 24, theme.INK, "bold")
        if s.get_width() > 1008 - (self.X0 + 540):
            s = fonts.render(summary, 18, theme.INK, "bold")
        surface.blit(s, s.get_rect(midleft=(self.X0 + 540, y["cards"] + 36)))
        if not self.mine():
            hint = fonts.render("←「ほぞん」で この えらびかたを つかいまわせます", 20, theme.INK_SOFT)
            surface.blit(hint, hint.get_rect(midleft=(self.X0 + 232, y["sets"] + 32)))
        op = fonts.render("からよみ", 24, theme.INK, "bold")
        surface.blit(op, op.get_rect(midright=(688, y["read"] + 36)))
        if self.config.auto:
            secs = fonts.render(f"{self.config.auto}びょう", 30, theme.INK, "bold")
            surface.blit(secs, secs.get_rect(center=(self.X0 + 566, y["advance"] + 36)))
        else:
            secs = fonts.render("「つぎ」を おすまで まつ", 22, theme.INK_SOFT)
            surface.blit(secs, secs.get_rect(midleft=(self.X0 + 376, y["advance"] + 36)))
        if self.config.teams:
            for i in range(self.config.teams):
                # two columns of two: four colour names fit beside the buttons
                cx = self.X0 + 494 + (i % 2) * 150
                cy = y["teams"] + (36 if self.config.teams == 2 else 18 + (i // 2) * 36)
                pygame.draw.circle(surface, team_colour(i), (cx, cy), 14)
                name = fonts.render(team_name(i), 20, theme.INK, "bold")
                surface.blit(name, name.get_rect(midleft=(cx + 20, cy)))
        seed = fonts.render(str(self.config.seed), 30, theme.INK, "bold")
        surface.blit(seed, seed.get_rect(midleft=(self.X0 - 10, y["start"] + 36)).move(0, 0))
        note = fonts.render("おなじ ばんごうなら おなじ じゅんばんで よみます", 18, theme.INK_SOFT)
        surface.blit(note, (24, y["start"] + 84))
        for btn in self.buttons:
            btn.draw(surface, fonts)


# ====================================================================== pickers


class RowPickerScene(Scene):
    """Choose kana rows (あ行, か行, ...) with big toggles."""

    name = "gm-rows"

    def __init__(self, app, setup: SetupScene):
        super().__init__(app)
        self.setup = setup
        current = setup.config.choice
        self.rows_available = cs.deck_rows(app.deck)
        self.chosen: set[str] = set(current.rows) if current.kind == cs.ROWS else set()
        self.back = back_button(self.app.scenes.pop)
        self.buttons: list[Button] = []
        self._layout()

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
            self.setup._choose(cs.CardSet(cs.ROWS, tuple(self.chosen)))
        self.app.scenes.pop()

    def handle(self, event) -> None:
        for btn in [self.back, self.done, *self.buttons]:
            if btn.handle(event):
                return

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


class CardPickerScene(Scene):
    """Pick single cards by their picture: touch to put in or take out."""

    name = "gm-pick"
    COLS, ROWS = 11, 4
    THUMB = card_size(112)   # 79 x 112
    AUTO_PICKS = 10

    def __init__(self, app, setup: SetupScene):
        super().__init__(app)
        self.setup = setup
        self.deck = app.deck
        current = setup.config.choice
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
        self._auto_order = random.Random(f"{setup.config.seed}:demo-picks").sample(
            [c.number for c in self.deck.cards], min(self.AUTO_PICKS, len(self.deck.cards)))

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
                self.setup._choose(cs.CardSet())
            else:
                self.setup._choose(cs.CardSet(cs.PICKED, numbers=tuple(self.chosen)))
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

    def handle(self, event) -> None:
        buttons = [self.back, self.all_btn, self.none_btn, self.done]
        if self.pages > 1:
            buttons += [self.prev_btn, self.next_btn]
        for btn in buttons:
            if btn.handle(event):
                return
        if isinstance(event, Pointer) and event.is_tap:
            for rect, card in self.card_rects():
                hit = rect.inflate(8, 18)
                if hit.collidepoint(event.pos) and hit.collidepoint(event.start):
                    self.toggle(card.number)
                    return

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


class SeedPadScene(Scene):
    """Type a session number (seed) with big digit keys, to replay a session."""

    name = "gm-seed"

    def __init__(self, app, setup: SetupScene):
        super().__init__(app)
        self.setup = setup
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
            self.setup.set_config(seed=int(self.digits))
        self.app.scenes.pop()

    def _fresh(self) -> None:
        self.setup.set_config(seed=new_seed())
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
        shown = self.digits or str(self.setup.config.seed)
        color = theme.INK if self.digits else theme.INK_SOFT
        text = fonts.render(shown, 48, color, "bold")
        surface.blit(text, text.get_rect(center=box.center))
        for btn in [self.fresh, *self.keys]:
            btn.draw(surface, fonts)
        note = fonts.paragraph("まえと おなじ ばんごうに\nすると、おなじ じゅんばんで\nよみます。", 20, 250, theme.INK_SOFT)
        surface.blit(note, (760, HEADER_H + 230))


# ====================================================================== shuffle


class ShuffleScene(Scene):
    """自動でシャッフル: a visible riffle of card backs, seeded like the real order, skippable."""

    name = "gm-shuffle"
    RIFFLES = 3
    RIFFLE_TIME = 0.55
    HOLD = 0.7
    BACK = card_size(150)

    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        self.t = 0.0
        n = max(2, min(24, len(session.order) + (1 if session.opening else 0)))
        rng = random.Random(f"{session.config.seed}:riffle")
        # Which half each card starts in and how it drops, per riffle: the seed decides the show too.
        self.plan = [[(rng.random() < 0.5, rng.uniform(-6, 6), rng.uniform(-4, 4)) for _ in range(n)]
                     for _ in range(self.RIFFLES)]
        self.n = n
        self.skip = Button((824, 672, 184, 80), "とばす", self._finish, color=theme.BG_DARK, size=30, name="skip")
        self._back_face = _card_back(self.BACK)
        self._tilt_cache: dict[float, pygame.Surface] = {}
        self._done = False

    @property
    def duration(self) -> float:
        return self.RIFFLES * self.RIFFLE_TIME

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self.app.scenes.replace(LayoutScene(self.app, self.session))

    def update(self, dt: float) -> None:
        self.t += dt
        if self.t >= self.duration + self.HOLD:
            self._finish()

    def handle(self, event) -> None:
        self.skip.handle(event)

    def view_key(self):
        if self.t < self.duration:
            return None  # riffling: every frame moves
        return "done", self.skip.look()

    def _tilted(self, angle: float) -> pygame.Surface:
        # The halves hold one tilt for most of each riffle: the same rotation is not redone per frame.
        img = self._tilt_cache.get(angle)
        if img is None:
            if len(self._tilt_cache) >= 32:
                self._tilt_cache.clear()
            img = self._tilt_cache[angle] = pygame.transform.rotate(self._back_face, angle)
        return img

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        shuffling = self.t < self.duration
        title = fonts.render("シャッフル ちゅう…" if shuffling else "できた！", 48, theme.INK, "bold")
        surface.blit(title, title.get_rect(center=(w // 2, 80)))
        cx, cy = w // 2, 380
        bw, bh = self.BACK
        if shuffling:
            k = int(self.t // self.RIFFLE_TIME)
            p = (self.t % self.RIFFLE_TIME) / self.RIFFLE_TIME
            plan = self.plan[k]
            split = min(1.0, p / 0.35)            # halves slide apart
            merge = max(0.0, (p - 0.45) / 0.55)   # then drop back in, alternating
            for i, (left, jx, jy) in enumerate(plan):
                side = -1 if left else 1
                spread = math.sin(split * math.pi / 2) * 170
                dropped = merge * self.n > i
                x = cx + (0 if dropped else side * spread) + jx
                y = cy - i * 2 + (0 if dropped else -10 * math.sin(p * math.pi)) + jy
                angle = 0 if dropped else side * -8 * split
                img = self._tilted(angle) if angle else self._back_face
                surface.blit(img, img.get_rect(center=(int(x), int(y))))
        else:
            for i in range(self.n):
                surface.blit(self._back_face, self._back_face.get_rect(center=(cx, cy - i * 2)))
        count = fonts.render(f"{len(self.session.order)}まい", 30, theme.INK, "bold")
        surface.blit(count, count.get_rect(center=(cx, cy + bh // 2 + 40)))
        seed = fonts.render(f"ばんごう  {self.session.config.seed}", 34, theme.ACCENT, "bold")
        surface.blit(seed, seed.get_rect(center=(cx, 640)))
        note = fonts.render("この ばんごうで おなじ じゅんばんを もういちど よめます", 20, theme.INK_SOFT)
        surface.blit(note, note.get_rect(center=(cx, 684)))
        self.skip.draw(surface, fonts)


def _card_back(size) -> pygame.Surface:
    w, h = size
    surf = pygame.Surface(size, pygame.SRCALPHA)
    pygame.draw.rect(surf, (140, 40, 40), (0, 0, w, h), border_radius=10)
    pygame.draw.rect(surf, (240, 220, 180), (0, 0, w, h), width=4, border_radius=10)
    inner = pygame.Rect(0, 0, w, h).inflate(-18, -18)
    pygame.draw.rect(surf, (190, 70, 60), inner, width=3, border_radius=6)
    for k in range(6):  # a simple 麻の葉-like lattice so the back reads as a card back
        y = inner.top + 8 + k * (inner.height - 16) // 5
        pygame.draw.line(surf, (200, 90, 70), (inner.left + 6, y), (inner.right - 6, y), 2)
    pygame.draw.circle(surf, (240, 220, 180), (w // 2, h // 2), min(w, h) // 6, width=3)
    return surf


# ====================================================================== layout plan


class LayoutScene(Scene):
    """Where to lay the physical picture cards: a shuffled grid of kana, by side, team or spread."""

    name = "gm-layout"

    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        teams = session.config.teams
        self.group_choices = [(2, "2つに わける"), (1, "まんなかに ちらす")]
        if teams >= 3:
            self.group_choices.insert(0, (teams, f"{teams}チームに わける"))
        self.groups = teams if teams >= 3 else 2
        self.back = back_button(self._back)
        self.go = Button((688, 672, 320, 84), "ならべた！ よむ", self._start, color=theme.ACCENT_2, size=32,
                         name="start")
        self.choices: list[Button] = []
        self._auto_t = 0.0
        self._plan_cache: dict[int, list] = {}
        self._make_choices()

    def _make_choices(self) -> None:
        self.choices = []
        x = 180
        for groups, label in self.group_choices:
            btn = Button((x, 12, 250, 72), label, self._grouper(groups), color=theme.ACCENT, size=24,
                         name=f"groups:{groups}")
            btn.selected = groups == self.groups
            self.choices.append(btn)
            x += 262

    def _grouper(self, groups: int):
        def choose():
            self.groups = groups
            self._make_choices()
        return choose

    def _back(self) -> None:
        self.app.scenes.pop()

    def plan(self) -> list:
        if self.groups not in self._plan_cache:
            self._plan_cache[self.groups] = cs.layout_plan(self.session.order, self.session.config.seed,
                                                           self.groups)
        return self._plan_cache[self.groups]

    def _start(self) -> None:
        self.app.scenes.replace(ReadingScene(self.app, self.session))

    def handle(self, event) -> None:
        for btn in [self.back, self.go, *self.choices]:
            if btn.handle(event):
                return

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 1.2:
            self._start()

    def block_rects(self) -> list[pygame.Rect]:
        area = pygame.Rect(16, HEADER_H + 40, self.app.size[0] - 32, 520)
        n = len(self.plan())
        cols, rows = {1: (1, 1), 2: (1, 2), 3: (3, 1), 4: (2, 2)}[n]
        gap = 16
        bw = (area.width - (cols - 1) * gap) // cols
        bh = (area.height - (rows - 1) * gap) // rows
        return [pygame.Rect(area.left + (i % cols) * (bw + gap), area.top + (i // cols) * (bh + gap), bw, bh)
                for i in range(n)]

    def view_key(self):
        return self.groups, tuple(b.look() for b in [self.back, self.go, *self.choices])

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        pygame.draw.rect(surface, (236, 228, 210), (0, 0, self.app.size[0], HEADER_H))
        self.back.draw(surface, fonts)
        for btn in self.choices:
            btn.draw(surface, fonts)
        session = self.session
        info = f"ならべかた：{len(session.order)}まいを この とおりに ならべてね"
        note = fonts.render(info, 24, theme.INK, "bold")
        surface.blit(note, (24, HEADER_H + 8))
        plan = self.plan()
        teams = session.config.teams
        for i, (block, rect) in enumerate(zip(plan, self.block_rects())):
            if len(plan) == 1:
                label, colour = "まんなか（みんなで とる）", theme.CARD_EDGE
            elif len(plan) == teams:
                label, colour = f"{team_name(i)} チーム", team_colour(i)
            else:
                label, colour = ("むこうがわ", theme.ACCENT_2) if i == 0 else ("てまえ", theme.ACCENT)
            panel(surface, rect, color=theme.PAPER, border=colour, width=4)
            head = fonts.render(label, 22, colour, "bold")
            surface.blit(head, (rect.left + 12, rect.top + 6))
            self._draw_grid(surface, block, rect.inflate(-16, -44).move(0, 14))
        y = HEADER_H + 40 + 520 + 10
        if session.opening_from_play and session.opening is not None:
            msg = f"「{session.opening.kana}」の カードは からよみ で よむので ならべません"
            t = fonts.render(msg, 22, theme.ACCENT_2, "bold")
            surface.blit(t, (24, y + 4))
            y += 34
        seed = fonts.render(f"ばんごう {session.config.seed}", 22, theme.INK_SOFT)
        surface.blit(seed, (24, y + 4))
        self.go.draw(surface, fonts)

    def _draw_grid(self, surface, rows: list, area: pygame.Rect) -> None:
        fonts = self.app.fonts
        ncols = max(len(r) for r in rows) if rows else 1
        nrows = max(1, len(rows))
        gap = 6
        cell_w = (area.width - (ncols - 1) * gap) / ncols
        cell_h = (area.height - (nrows - 1) * gap) / nrows
        ch = min(cell_h, cell_w / 0.72)
        cw = ch * 0.72
        total_w = ncols * cw + (ncols - 1) * gap
        x0 = area.left + (area.width - total_w) / 2
        size = max(14, int(min(cw * 0.7, ch * 0.55)))
        for r, row in enumerate(rows):
            for c, card in enumerate(row):
                rect = pygame.Rect(int(x0 + c * (cw + gap)), int(area.top + r * (ch + gap)), int(cw), int(ch))
                pygame.draw.rect(surface, (255, 255, 255), rect, border_radius=6)
                pygame.draw.rect(surface, theme.CARD_EDGE, rect, width=2, border_radius=6)
                kana = fonts.render(card.kana, size, theme.INK, "card")
                surface.blit(kana, kana.get_rect(center=rect.center))


# ====================================================================== reading


class ReadingScene(Scene):
    """The reader at work: the card big, the controls, the history, and the team scoreboard."""

    name = "gm-reading"
    HISTORY_THUMB = card_size(124)

    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        self.tl = session.timeline
        self.match = session.match
        self.voice_ok: bool | None = None
        self.end_t: float | None = None
        self.last_event = ""
        self._rng = random.Random(f"{session.config.seed}:facilitator")
        self._auto_plan: tuple[float, str, int] | None = None
        self._auto_elapsed = 0.0
        self.quit_btn = Button((12, 10, 140, 64), "やめる", self._ask_quit, color=theme.BG_DARK, size=26, name="quit")
        y = 484
        self.back_btn = Button((16, y, 170, 88), "もどる", self._back, color=theme.BG_DARK, size=28, name="back")
        self.repeat_btn = Button((198, y, 220, 88), "もういちど", self._repeat, color=theme.GOOD, size=28,
                                 name="repeat")
        self.pause_btn = Button((430, y, 190, 88), "とめる", self._pause, color=theme.WARN, size=28, name="pause")
        self.next_btn = Button((632, y, 376, 88), "つぎ", self._next, color=theme.ACCENT_2, size=40, name="next")
        self._layer = Layer()
        self.team_btns: list[Button] = []
        self.fault_btns: list[Button] = []
        for i in range(session.config.teams):
            ty = HEADER_H + 36 + i * 86
            self.team_btns.append(Button((680, ty, 210, 76), team_name(i), self._taker(i), color=team_colour(i),
                                         size=26, name=f"take:{i}"))
            self.fault_btns.append(Button((900, ty, 108, 76), "おてつき", self._faulter(i), color=(120, 120, 120),
                                          size=20, name=f"fault:{i}"))
        self.tl.start()
        self._update_labels()

    # -- geometry

    @property
    def card_rect(self) -> pygame.Rect:
        right = 664 if self.session.has_teams else self.app.size[0] - 16
        return pygame.Rect(16, HEADER_H, right - 16, 372)

    # -- controls

    def _next(self) -> None:
        self.tl.next()

    def _repeat(self) -> None:
        self.tl.repeat()

    def _pause(self) -> None:
        self.tl.toggle_pause()

    def _back(self) -> None:
        self.tl.back()

    def _ask_quit(self) -> None:
        was_paused = self.tl.paused
        self.tl.pause()
        self._sync()

        def resume():
            if not was_paused:
                self.tl.resume()

        self.app.scenes.push(ConfirmScene(self.app, "よみてを やめますか？", "やめる", self._quit, "つづける", resume))

    def _quit(self) -> None:
        self.app.voice.stop()
        self.app.scenes.replace(RankingScene(self.app, self.session, finished=False))

    def _taker(self, team: int):
        def take():
            card = self.tl.current
            if card is None or self.tl.is_opening:
                return
            out = self.match.award(team, card.number, self.app.time)
            self.session.missed.discard(card.number)
            if out.kind == mt.TAKE:
                self.last_event = f"{team_name(team)} が とった！"
                self.tl.card_taken()
            elif out.kind == mt.MOVED:
                self.last_event = f"{team_name(team)} に なおしました"
            elif out.kind == mt.UNDONE:
                self.last_event = "とりけしました"
            self._sync()
        return take

    def _faulter(self, team: int):
        def fault():
            out = self.match.fault(team)
            msg = f"{team_name(team)} おてつき"
            if out.lost is not None:
                msg += "（1まい かえす）"
            elif self.match.penalty == mt.SIT_OUT:
                msg += "（つぎは やすみ）"
            self.last_event = msg
            self._update_labels()  # a card given back changes the team's score label
        return fault

    # -- time

    def update(self, dt: float) -> None:
        self.tl.update(dt, speaking=self.app.voice.busy())
        self._sync()
        if self.end_t is not None:
            self.end_t += dt
            if self.end_t > 1.5:
                self.app.scenes.replace(RankingScene(self.app, self.session, finished=True))

    def _sync(self) -> None:
        """Turn the timeline's cues into voice and scoreboard changes."""
        deck = self.session.deck
        for cue in self.tl.take_cues():
            if cue.kind == rd.BEGIN:
                self.last_event = ""
                self._auto_plan = None
                if cue.opening:
                    self.match.close()
                else:
                    self.match.call(cue.card.number, self.app.time)
                following = self.tl.index + 1
                if following < len(self.tl.slots):
                    # Decode the next reading during this card, so it starts on the beat.
                    self.app.voice.prepare(deck, self.tl.slots[following].card)
            elif cue.kind == rd.SAY:
                self.voice_ok = self.app.voice.say(deck, cue.card)
            elif cue.kind == rd.STOP:
                self.app.voice.stop()
            elif cue.kind == rd.TIMEOUT:
                if cue.card.number not in self.match.owner:
                    self.session.missed.add(cue.card.number)
            elif cue.kind == rd.UNREAD:
                self.match.undo(cue.card.number)
                self.session.missed.discard(cue.card.number)
            elif cue.kind == rd.END:
                self.app.voice.stop()
                self.end_t = 0.0
        self._update_labels()  # the buttons say what the timeline and the match now are

    # -- events

    def handle(self, event) -> None:
        if isinstance(event, Key):
            keys = {pygame.K_SPACE: self._next, pygame.K_RIGHT: self._next, pygame.K_r: self._repeat,
                    pygame.K_p: self._pause, pygame.K_LEFT: self._back}
            action = keys.get(event.key)
            if action is None and event.unicode in "1234" and event.unicode:
                i = int(event.unicode) - 1
                if i < len(self.team_btns):
                    action = self._taker(i)
            if action is not None:
                action()
                self._sync()
            return
        for btn in [self.quit_btn, self.back_btn, self.repeat_btn, self.pause_btn, self.next_btn,
                    *self.team_btns, *self.fault_btns]:
            if btn.handle(event):
                self._sync()
                return

    def autoplay_step(self, dt: float) -> None:
        """The class at play: some team takes each card part-way through its reading; now and then
        a team touches the wrong card first."""
        if not self.session.has_teams:
            if self.tl.phase == rd.WAITING and not self.tl.rules.auto_advance:
                self._next()
            return
        if not self.tl.accepting:
            return
        if self._auto_plan is None:
            at = self.tl.duration() * self._rng.uniform(0.35, 0.75)
            self._auto_plan = (at, "fault" if self._rng.random() < 0.15 else "take",
                               self._rng.randrange(self.session.config.teams))
            self._auto_elapsed = 0.0
        self._auto_elapsed += dt
        at, action, team = self._auto_plan
        if self._auto_elapsed >= at:
            if action == "fault":
                self.fault_btns[team].on_press()
                self._auto_plan = (at + 0.4, "take", (team + 1) % self.session.config.teams)
            else:
                self.team_btns[team].on_press()
                self._auto_plan = (float("inf"), "", 0)

    # -- drawing

    def _update_labels(self) -> None:
        self.pause_btn.label = "つづける" if self.tl.paused else "とめる"
        self.next_btn.label = "おわり" if (self.tl.left == 0 and self.tl.phase in (rd.WAITING, rd.GAP)) else "つぎ"
        current = self.tl.current
        holder = self.match.owner.get(current.number) if current is not None else None
        for i, take in enumerate(self.team_btns):
            take.label = f"{team_name(i)}  {self.match.sides[i].score}まい"
            take.selected = holder == i

    def _still_key(self) -> tuple:
        """Everything the screen shows but the moving bars (see _bars): a change repaints the still layer."""
        tl, match = self.tl, self.match
        countdown = tl.countdown
        card = tl.current
        sides = tuple((i in match.sitting_out, i in match.sits_next, side.faults) for i, side in enumerate(match.sides))
        history = tuple((c.number, match.owner.get(c.number), c.number in self.session.missed)
                        for c in self.finished_cards())
        buttons = (self.quit_btn, self.back_btn, self.repeat_btn, self.pause_btn, self.next_btn,
                   *self.team_btns, *self.fault_btns)
        return (tuple(b.look() for b in buttons), tl.is_opening, tl.read_count, tl.total, tl.left, self.voice_ok,
                self._status(), self.last_event, card.number if card is not None else None, tl.phase, tl.paused,
                tl.accepting, None if countdown is None else math.ceil(countdown), sides, history,
                bool(self.app.settings.get("kana_only")))

    def _bars(self) -> list[tuple[tuple, pygame.Rect, int]]:
        """The bars that grow or shrink every frame: the countdown and the reading's progress."""
        rect = self.card_rect
        bottom = pygame.Rect(rect.left + 20, rect.bottom - 48, rect.width - 40, 32)
        countdown = self.tl.countdown
        if countdown is not None and not self.tl.paused:
            total = self.tl.rules.auto_advance or 1
            bar = bottom.inflate(0, -12)
            bar.width = int(bar.width * countdown / total)
            return [(theme.GOOD, bar, 6)]
        if self.tl.phase == rd.READING:
            bar = bottom.inflate(0, -20)
            bar.width = int(bar.width * self.tl.reading_progress)
            if bar.width:
                return [((180, 200, 225), bar, 4)]
        return []

    def view_key(self):
        return self._still_key(), tuple((tuple(bar), tuple(colour)) for colour, bar, _ in self._bars())

    def draw(self, surface: pygame.Surface) -> None:
        # The reader's screen is still but for two thin bars: the rest is one picture, repainted on change.
        surface.blit(self._layer.get(self._still_key(), surface.get_size(), self._draw_still), (0, 0))
        if not self.tl.paused:  # paused, the bars lie under the shade, in the still picture
            for colour, bar, radius in self._bars():
                pygame.draw.rect(surface, colour, bar, border_radius=radius)

    def repaint(self, surface: pygame.Surface) -> bool:
        """Only a bar moved: put back the still strip under the bars and draw them again."""
        if self.tl.paused or self._layer.key != self._still_key():
            return False
        rect = self.card_rect
        strip = pygame.Rect(rect.left + 20, rect.bottom - 48, rect.width - 40, 32)
        surface.blit(self._layer.surface, strip, strip)
        for colour, bar, radius in self._bars():
            pygame.draw.rect(surface, colour, bar, border_radius=radius)
        return True

    def _draw_still(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        surface.fill(theme.BG)
        pygame.draw.rect(surface, (236, 228, 210), (0, 0, w, HEADER_H - 12))
        self.quit_btn.draw(surface, fonts)
        self._draw_progress(surface)
        self._draw_card(surface)
        for btn in (self.back_btn, self.repeat_btn, self.pause_btn, self.next_btn):
            btn.draw(surface, fonts)
        if self.session.has_teams:
            self._draw_scoreboard(surface)
        self._draw_history(surface)

    def _draw_progress(self, surface) -> None:
        fonts = self.app.fonts
        tl = self.tl
        text = f"{'からよみ' if tl.is_opening else f'{tl.read_count}まいめ'} ／ {tl.total}まい"
        t = fonts.render(text, 30, theme.INK, "bold")
        surface.blit(t, t.get_rect(midleft=(172, 30)))
        left = fonts.render(f"のこり {tl.left}まい", 24, theme.INK_SOFT, "bold")
        surface.blit(left, left.get_rect(midleft=(172 + t.get_width() + 24, 31)))
        bar = pygame.Rect(172, 58, 500, 12)
        pygame.draw.rect(surface, (210, 200, 180), bar, border_radius=6)
        if tl.total:
            done = bar.copy()
            done.width = int(bar.width * tl.read_count / tl.total)
            if done.width:
                pygame.draw.rect(surface, theme.GOOD, done, border_radius=6)
        right = self.app.size[0] - 16
        seed = fonts.render(f"ばんごう {self.session.config.seed}", 20, theme.INK_SOFT)
        surface.blit(seed, seed.get_rect(topright=(right, 14)))
        if self.voice_ok is False:
            hint = fonts.render("こえ なし：がめんの ぶんを よんでね", 18, theme.ACCENT_2, "bold")
            surface.blit(hint, hint.get_rect(topright=(right, 44)))

    def _status(self) -> tuple[str, tuple]:
        tl = self.tl
        if tl.paused:
            return "とまっています", theme.WARN
        if tl.phase == rd.LEAD:
            return "はじめるよ", theme.INK_SOFT
        if tl.is_opening and tl.phase in (rd.READING, rd.BETWEEN):
            return "からよみ（とらないでね）", theme.ACCENT_2
        if tl.phase == rd.READING:
            return ("1かいめ" if tl.pass_no == 1 else "2かいめ"), theme.ACCENT
        if tl.phase == rd.BETWEEN:
            return "もういちど よむよ", theme.ACCENT
        if tl.phase == rd.WAITING:
            return "とってね！", theme.GOOD
        if tl.phase == rd.GAP:
            return "つぎの カード…", theme.INK_SOFT
        if tl.phase == rd.DONE:
            return "おしまい！", theme.ACCENT_2
        return "", theme.INK

    def _draw_card(self, surface) -> None:
        fonts = self.app.fonts
        rect = self.card_rect
        panel(surface, rect, color=theme.PAPER)
        status, colour = self._status()
        if status:
            chip = fonts.render(status, 26, theme.WHITE, "bold")
            box = chip.get_rect(topleft=(rect.left + 14, rect.top + 12)).inflate(24, 10)
            box.topleft = (rect.left + 12, rect.top + 12)
            pygame.draw.rect(surface, colour, box, border_radius=12)
            surface.blit(chip, chip.get_rect(center=box.center))
        if self.last_event:
            ev = fonts.render(self.last_event, 24, theme.INK, "bold")
            surface.blit(ev, ev.get_rect(topright=(rect.right - 16, rect.top + 16)))
        card = self.tl.current
        body = pygame.Rect(rect.left + 20, rect.top + 60, rect.width - 40, rect.height - 120)
        if card is not None and self.tl.phase != rd.DONE:
            if card.reading:
                kana_only = bool(self.app.settings.get("kana_only"))
                size = 64
                text = fonts.ruby(card.reading, size, theme.INK, "card", max_width=body.width, kana_only=kana_only)
                while (text.get_height() > body.height or text.get_width() > body.width) and size > 28:
                    size -= 6
                    text = fonts.ruby(card.reading, size, theme.INK, "card", max_width=body.width,
                                      kana_only=kana_only)
                surface.blit(text, text.get_rect(center=body.center))
            else:
                # An image-only deck: the printed reading card itself, as big as it fits.
                img = self.app.faces.get(self.session.deck, card, "reading", fit_within((52, 73), body.size))
                surface.blit(img, img.get_rect(center=body.center))
        elif self.tl.phase == rd.LEAD:
            t = fonts.render("よみはじめます", 56, theme.INK_SOFT, "card")
            surface.blit(t, t.get_rect(center=body.center))
        bottom = pygame.Rect(rect.left + 20, rect.bottom - 48, rect.width - 40, 32)
        countdown = self.tl.countdown
        if countdown is not None and not self.tl.paused:
            pygame.draw.rect(surface, (225, 218, 200), bottom.inflate(0, -12), border_radius=6)
            # the bar itself moves every frame: drawn over this still picture by draw() (see _bars)
            secs = fonts.render(f"あと {math.ceil(countdown)}びょう", 24, theme.INK, "bold")
            surface.blit(secs, secs.get_rect(midright=(bottom.right, bottom.top - 14)))
        elif self.tl.phase == rd.WAITING:
            hint = fonts.render("とれたら「つぎ」を おしてね", 24, theme.INK_SOFT, "bold")
            surface.blit(hint, hint.get_rect(center=bottom.center))
        if self.tl.paused:
            for colour, bar, radius in self._bars():
                pygame.draw.rect(surface, colour, bar, border_radius=radius)
            shade = pygame.Surface(rect.size, pygame.SRCALPHA)
            shade.fill((250, 246, 236, 150))
            surface.blit(shade, rect)
            t = fonts.render("とまっています", 48, theme.WARN, "bold")
            surface.blit(t, t.get_rect(center=rect.center))

    def _draw_scoreboard(self, surface) -> None:
        fonts = self.app.fonts
        head = fonts.render("とった チームを タッチ", 20, theme.INK_SOFT, "bold")
        surface.blit(head, (682, HEADER_H + 6))
        for i, (take, fault) in enumerate(zip(self.team_btns, self.fault_btns)):
            side = self.match.sides[i]
            take.draw(surface, fonts)
            fault.draw(surface, fonts)
            badges = []
            if i in self.match.sitting_out and self.tl.accepting:
                badges.append("やすみ")
            elif i in self.match.sits_next:
                badges.append("つぎ やすみ")
            if side.faults:
                badges.append(f"おてつき{side.faults}")
            if badges:
                b = fonts.render(" ".join(badges), 16, theme.WHITE, "bold")
                box = b.get_rect(topright=(take.rect.right - 6, take.rect.top - 8)).inflate(10, 4)
                pygame.draw.rect(surface, theme.INK, box, border_radius=8)
                surface.blit(b, b.get_rect(center=box.center))

    def finished_cards(self) -> list:
        history = self.tl.history
        if history and self.tl.phase in (rd.READING, rd.BETWEEN, rd.WAITING) and not self.tl.is_opening:
            history = history[:-1]  # the card being read stays hidden: its picture would give it away
        return history

    def _draw_history(self, surface) -> None:
        fonts = self.app.fonts
        top = 588
        label = fonts.render("よんだ カード", 20, theme.INK_SOFT, "bold")
        surface.blit(label, (16, top))
        cards = self.finished_cards()
        tw, th = self.HISTORY_THUMB
        gap = 10
        fit = (self.app.size[0] - 32 + gap) // (tw + gap)
        shown = cards[-fit:]
        if len(cards) > len(shown):
            more = fonts.render(f"ほか {len(cards) - len(shown)}まい", 18, theme.INK_SOFT)
            surface.blit(more, more.get_rect(topright=(self.app.size[0] - 16, top + 2)))
        x = 16
        for card in shown:
            y = top + 28
            surface.blit(self.app.faces.get(self.session.deck, card, "picture", self.HISTORY_THUMB), (x, y))
            holder = self.match.owner.get(card.number)
            if holder is not None:
                pygame.draw.rect(surface, team_colour(holder), (x, y + th + 2, tw, 8), border_radius=4)
            elif card.number in self.session.missed:
                pygame.draw.rect(surface, (180, 180, 180), (x, y + th + 2, tw, 8), border_radius=4)
            x += tw + gap


# ====================================================================== ranking / end


class RankingScene(Scene):
    """The end: the teams ranked (ties share a place), or the list of cards read."""

    name = "gm-ranking"

    def __init__(self, app, session: Session, finished: bool = True):
        super().__init__(app)
        self.session = session
        self.finished = finished
        self.again = Button((16, 668, 380, 88), "おなじ じゅんばんで もういちど", self._again, color=theme.ACCENT,
                            size=24, name="again")
        self.fresh = Button((410, 668, 300, 88), "あたらしく はじめる", self._fresh, color=theme.GOOD, size=26,
                            name="fresh")
        self.done = Button((724, 668, 284, 88), "おわる", self.app.go_title, color=theme.BG_DARK, size=30,
                           name="done")
        self.app.voice.stop()

    def _again(self) -> None:
        self.app.scenes.replace(ShuffleScene(self.app, Session(self.app, self.session.config)))

    def _fresh(self) -> None:
        config = replace(self.session.config, seed=new_seed())
        self.app.scenes.replace(SetupScene(self.app, config))

    def handle(self, event) -> None:
        for btn in (self.again, self.fresh, self.done):
            if btn.handle(event):
                return

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        session = self.session
        tl = session.timeline
        title = "けっか" if session.has_teams else "おしまい！"
        t = fonts.render(title, 56, theme.INK, "bold")
        surface.blit(t, t.get_rect(center=(w // 2, 56)))
        sub = f"{tl.read_count}まい よみました" + ("" if self.finished else "（とちゅうで おわり）")
        s = fonts.render(sub, 24, theme.INK_SOFT, "bold")
        surface.blit(s, s.get_rect(center=(w // 2, 108)))
        if session.has_teams:
            self._draw_ranking(surface)
        else:
            self._draw_cards(surface)
        seed = fonts.render(f"ばんごう {session.config.seed}", 20, theme.INK_SOFT)
        surface.blit(seed, seed.get_rect(bottomright=(w - 16, 656)))
        given_back = [n for n in session.match.discard if n not in session.missed]
        if session.has_teams and given_back:
            g = fonts.render(f"おてつきで かえした カード {len(given_back)}まい", 20, theme.INK_SOFT)
            surface.blit(g, g.get_rect(bottomleft=(16, 656)))
        for btn in (self.again, self.fresh, self.done):
            btn.draw(surface, fonts)

    def _draw_ranking(self, surface) -> None:
        fonts = self.app.fonts
        ranking = self.session.match.ranking()
        thumb = card_size(84)
        y = 140
        row_h = min(120, 500 // max(1, len(ranking)))
        for rank, side in ranking:
            rect = pygame.Rect(60, y, 904, row_h - 12)
            colour = team_colour(side.index)
            panel(surface, rect, color=theme.PAPER, border=colour, width=5)
            medal = {1: (230, 180, 40), 2: (170, 170, 180), 3: (190, 120, 60)}.get(rank, (200, 200, 200))
            cx, cy = rect.left + 52, rect.centery
            pygame.draw.circle(surface, medal, (cx, cy), 38)
            r = fonts.render(f"{rank}い", 34, theme.INK, "bold")
            surface.blit(r, r.get_rect(center=(cx, cy)))
            if rank == 1:
                _crown(surface, (cx, cy - 44))
            pygame.draw.rect(surface, colour, (rect.left + 104, rect.top + 14, 24, rect.height - 28), border_radius=6)
            name = fonts.render(team_name(side.index), 36, theme.INK, "bold")
            surface.blit(name, name.get_rect(midleft=(rect.left + 142, cy - 12)))
            detail = f"おてつき {side.faults}" if side.faults else ""
            if detail:
                d = fonts.render(detail, 20, theme.INK_SOFT, "bold")
                surface.blit(d, d.get_rect(midleft=(rect.left + 144, cy + 24)))
            score = fonts.render(f"{side.score}まい", 44, colour, "bold")
            surface.blit(score, score.get_rect(midright=(rect.right - 24, cy)))
            # their cards, small
            x = rect.left + 330
            th = min(thumb[1], rect.height - 16)
            tsize = card_size(th)
            for number in side.taken[:8]:
                card = self.session.deck.card(number)
                if card is not None:
                    surface.blit(self.app.faces.get(self.session.deck, card, "picture", tsize), (x, cy - th // 2))
                x += tsize[0] + 6
            if len(side.taken) > 8:
                more = fonts.render(f"+{len(side.taken) - 8}", 22, theme.INK_SOFT, "bold")
                surface.blit(more, more.get_rect(midleft=(x, cy)))
            y += row_h

    def _draw_cards(self, surface) -> None:
        cards = self.session.timeline.history
        if not cards:
            return
        cols = 11
        rows = max(1, math.ceil(len(cards) / cols))
        h = min(150, (520 - (rows - 1) * 10) // rows)
        size = card_size(h)
        x0 = (self.app.size[0] - (min(cols, len(cards)) * (size[0] + 8) - 8)) // 2
        for i, card in enumerate(cards):
            x = x0 + (i % cols) * (size[0] + 8)
            y = 140 + (i // cols) * (h + 10)
            surface.blit(self.app.faces.get(self.session.deck, card, "picture", size), (x, y))


def _crown(surface, center) -> None:
    x, y = center
    pts = [(x - 26, y + 12), (x - 26, y - 10), (x - 13, y + 2), (x, y - 16), (x + 13, y + 2), (x + 26, y - 10),
           (x + 26, y + 12)]
    pygame.draw.polygon(surface, (240, 190, 30), pts)
    pygame.draw.polygon(surface, (150, 100, 20), pts, width=2)


# ====================================================================== confirm


class ConfirmScene(Scene):
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

    def _yes(self) -> None:
        self.app.scenes.pop()
        self.on_yes()

    def _no(self) -> None:
        self.app.scenes.pop()
        self.on_no()

    def handle(self, event) -> None:
        if isinstance(event, Key) and event.key == pygame.K_ESCAPE:
            self._no()
            return
        for btn in (self.yes_btn, self.no_btn):
            if btn.handle(event):
                return

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


class NoDeckScene(Scene):
    """Shown instead of a mode when no usable deck was found (the title explains why)."""

    name = "no-deck"

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


def open_setup(app) -> Scene:
    return SetupScene(app) if app.deck is not None and app.deck.cards else NoDeckScene(app)


SCENES = {"gamemaster": open_setup}
MODES = [registry.ModeInfo("gamemaster", "よみて（ゲームマスター）", theme.ACCENT, order=20)]
