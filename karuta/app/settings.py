"""Player/facilitator settings that persist on the device (through Store)."""

from __future__ import annotations

from typing import Any

from .storage import Store

# Every setting with its default; a saved value of the wrong type falls back to the default.
DEFAULTS: dict[str, Any] = {
    "deck": "demo",
    "voice": True,            # read cards aloud when there is a voice
    "read_twice": True,       # local karuta reads each card twice
    "voice_rate": 1.0,        # synthesised / browser voice speed
    "volume": 0.8,
    "gap_between_readings": 1.5,   # s between the two readings of one card
    "gap_between_cards": 1.1,      # s after a card before the next (the rhythm)
    "kana_only": False,       # show readings in hiragana only (no kanji)
    "opening_card": True,     # game master: read one card first with no taking (空読み)
    "auto_advance": 0,        # game master: s to wait for the take before the next card; 0 = wait for 「つぎ」
    "teams": 0,               # game master: 0 (no scoreboard) or 2-4 teams
    "penalty": "give_back",   # お手つき: "give_back" (lose one card) or "sit_out" (sit out the next card)
    "onscreen_players": 2,    # on-screen play: 1-4 players around one screen
    "onscreen_cards": 10,     # on-screen play: cards laid out per game
}


class Settings:
    KEY = "settings"

    def __init__(self, store: Store):
        self.store = store
        self.values = dict(DEFAULTS)
        self.values.update(store.load(self.KEY, {}, _clean))

    def get(self, key: str) -> Any:
        return self.values.get(key, DEFAULTS.get(key))

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.store.save(self.KEY, self.values)

    def update(self, **changes: Any) -> None:
        self.values.update(changes)
        self.store.save(self.KEY, self.values)


def _clean(data: Any) -> dict:
    if not isinstance(data, dict):
        raise ValueError("settings are not a mapping")
    out = {}
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        default = DEFAULTS.get(key)
        if default is None:
            out[key] = value  # a setting added by a mode; the mode checks it
        elif isinstance(default, bool):
            if isinstance(value, bool):
                out[key] = value
        elif isinstance(default, (int, float)):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[key] = value
        elif isinstance(value, type(default)):
            out[key] = value
    return out
