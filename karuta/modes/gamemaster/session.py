"""A game-master session: the facilitator's choices (Config) and one reading session (Session)."""

from __future__ import annotations

from dataclasses import dataclass


from ...engine import cardset as cs
from ...engine import match as mt
from ...engine import reading as rd
from ..common.cues import reading_rules
from ..common.teams import team_name


STORE_KEY = "cardsets"
AUTO_CHOICES = (3, 5, 8, 10, 15, 20, 30)
IMAGE_ONLY_SECONDS = 4.0   # a person reads an image-only card aloud in about this long

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
        rules = reading_rules(app.settings, read_twice=config.read_twice,
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


def load_sets(app) -> list[cs.CardSet]:
    return app.store.load(STORE_KEY, [], cs.load_saved)
