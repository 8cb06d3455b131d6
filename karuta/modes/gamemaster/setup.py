"""The game master's setup: everything a facilitator chooses before a session, on one screen."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pygame

from ...app import theme
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView
from ...engine import cardset as cs
from ...engine import match as mt
from ..common import back_button, draw_header
from ..common.seeds import next_seed, note_session
from ..common.teams import team_colour, team_name
from ..common.screen import SetupScreen
from .session import AUTO_CHOICES, STORE_KEY, Config, Session, load_sets
from .pickers import CardPickerScene, RowPickerScene
from .seedpad import SeedPadScene
from .shuffle import ShuffleScene


@dataclass(frozen=True)
class GamemasterSetupStill:
    """What the setup form shows (its view key and its drawing's only input)."""

    deck_name: str          # furigana markup
    summary: str            # which cards are in play, in words
    has_sets: bool          # the deck has saved card sets (else a hint says what 「ほぞん」 does)
    teams: int
    auto: int               # seconds before the next card; 0 = wait for 「つぎ」
    seed: int
    back: ButtonsView
    buttons: ButtonsView


class GamemasterSetupScene(StillView, SetupScreen):
    """Everything a facilitator chooses before a session, on one screen, with no typing."""

    name = "gamemaster_setup"

    def __init__(self, app, config: Config | None = None):
        super().__init__(app)
        self.config = config or Config.from_settings(app.settings, next_seed(app))
        self.saved: list[cs.CardSet] = load_sets(app)
        self.back = back_button(self.go_back)
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
        start = Button((684, 612, 320, 120), "はじめる", self.start, color=theme.ACCENT_2, size=44, name="start",
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
        self.app.scenes.push(RowPickerScene(self.app, self.config.choice, self._choose))

    def _open_picker(self) -> None:
        self.app.scenes.push(CardPickerScene(self.app, self.config.choice, self.config.seed, self._choose))

    def _open_seed(self) -> None:
        self.app.scenes.push(SeedPadScene(self.app, self.config.seed, lambda seed: self.set_config(seed=seed)))

    def start(self) -> None:
        if not self.in_play():
            self.app.toast("カードが 1まいも ありません")
            return
        if not self.app.autoplay:
            # A demo run must not change the facilitator's saved choices.
            self.config.save(self.app.settings)
        note_session(self.app)
        self.app.scenes.push(ShuffleScene(self.app, Session(self.app, self.config)))

    # -- events

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

    def still(self) -> GamemasterSetupStill:
        c = self.config
        return GamemasterSetupStill(self.deck.name, c.choice.describe(self.deck), bool(self.mine()), c.teams, c.auto,
                                    c.seed, ButtonsView.of(self.back), ButtonsView.of(*self.buttons))

    def paint(self, surface: pygame.Surface, v: GamemasterSetupStill) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "よみて の じゅんび", v.deck_name)
        v.back.draw(surface, fonts)
        y = self.ROW_Y
        labels = {"cards": "カード", "sets": "ほぞん", "read": "よむ かいすう", "advance": "つぎへ",
                  "teams": "チーム", "penalty": "おてつき", "start": "ばんごう"}
        for row, text in labels.items():
            h = 64 if row == "sets" else 72
            color = theme.INK if (row != "penalty" or v.teams) else theme.INK_SOFT
            label = fonts.render(text, 26 if len(text) < 5 else 22, color, "bold")
            surface.blit(label, label.get_rect(midleft=(24, y[row] + h // 2)))
        summary = v.summary
        s = fonts.render(summary, 24, theme.INK, "bold")
        if s.get_width() > 1008 - (self.X0 + 540):
            s = fonts.render(summary, 18, theme.INK, "bold")
        surface.blit(s, s.get_rect(midleft=(self.X0 + 540, y["cards"] + 36)))
        if not v.has_sets:
            hint = fonts.render("←「ほぞん」で この えらびかたを つかいまわせます", 20, theme.INK_SOFT)
            surface.blit(hint, hint.get_rect(midleft=(self.X0 + 232, y["sets"] + 32)))
        op = fonts.render("からよみ", 24, theme.INK, "bold")
        surface.blit(op, op.get_rect(midright=(688, y["read"] + 36)))
        if v.auto:
            secs = fonts.render(f"{v.auto}びょう", 30, theme.INK, "bold")
            surface.blit(secs, secs.get_rect(center=(self.X0 + 566, y["advance"] + 36)))
        else:
            secs = fonts.render("「つぎ」を おすまで まつ", 22, theme.INK_SOFT)
            surface.blit(secs, secs.get_rect(midleft=(self.X0 + 376, y["advance"] + 36)))
        if v.teams:
            for i in range(v.teams):
                # two columns of two: four colour names fit beside the buttons
                cx = self.X0 + 494 + (i % 2) * 150
                cy = y["teams"] + (36 if v.teams == 2 else 18 + (i // 2) * 36)
                pygame.draw.circle(surface, team_colour(i), (cx, cy), 14)
                name = fonts.render(team_name(i), 20, theme.INK, "bold")
                surface.blit(name, name.get_rect(midleft=(cx + 20, cy)))
        seed = fonts.render(str(v.seed), 30, theme.INK, "bold")
        surface.blit(seed, seed.get_rect(midleft=(self.X0 - 10, y["start"] + 36)).move(0, 0))
        note = fonts.render("おなじ ばんごうなら おなじ じゅんばんで よみます", 18, theme.INK_SOFT)
        surface.blit(note, (24, y["start"] + 84))
        v.buttons.draw(surface, fonts)
