"""Player/facilitator settings that persist on the device (through Store)."""

from __future__ import annotations

import json
import math
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


# What a loaded value may be (the settings screen's own steps lie inside these): a value outside
# is put back to its default, so a hand-edited or damaged save (NaN, 1e308) never reaches a screen.
RANGES: dict[str, tuple[float, float]] = {
    "voice_rate": (0.5, 2.0),
    "volume": (0.0, 1.0),
    "gap_between_readings": (0.0, 10.0),
    "gap_between_cards": (0.0, 10.0),
    "auto_advance": (0, 30),
    "onscreen_players": (1, 4),
    "onscreen_cards": (1, 48),
}
CHOICES: dict[str, tuple] = {"teams": (0, 2, 3, 4), "penalty": ("give_back", "sit_out")}
MAX_TEXT = 200          # a deck id is at most 40 characters
MAX_MODE_SETTING = 4096  # characters of JSON for a setting a mode adds (shooting's last choices)


class Settings:
    KEY = "settings"

    def __init__(self, store: Store):
        self.store = store
        self.values = dict(DEFAULTS)
        reset: list[str] = []
        self.values.update(store.load(self.KEY, {}, lambda data: _clean(data, reset)))
        if reset:
            store.notices.append("せっていの いくつかが おかしかったので、もとに もどしました。")

    def get(self, key: str) -> Any:
        return self.values.get(key, DEFAULTS.get(key))

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.store.save(self.KEY, self.values)

    def update(self, **changes: Any) -> None:
        self.values.update(changes)
        self.store.save(self.KEY, self.values)


def _clean(data: Any, reset: list[str] | None = None) -> dict:
    """The usable settings of a loaded record; the keys of values that were not usable go to ``reset``."""
    if not isinstance(data, dict):
        raise ValueError("settings are not a mapping")
    reset = reset if reset is not None else []
    out = {}
    for key, value in data.items():
        if not isinstance(key, str) or len(key) > 40:
            reset.append(str(key)[:40])
            continue
        if _usable(key, value):
            # JSON written elsewhere may spell a whole number 3.0: keep a whole-number setting an int
            whole = type(DEFAULTS.get(key)) is int and isinstance(value, float)
            out[key] = int(value) if whole else value
        else:
            reset.append(key)
    return out


def _usable(key: str, value: Any) -> bool:
    default = DEFAULTS.get(key)
    if default is None:  # a setting added by a mode; the mode checks its content, this only its size
        try:
            return len(json.dumps(value, allow_nan=False)) <= MAX_MODE_SETTING
        except (ValueError, TypeError, RecursionError):
            return False
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if not math.isfinite(value):
            return False
        if type(default) is int and isinstance(value, float) and not value.is_integer():
            return False  # a whole-number setting (seconds, counts) never takes a fraction
        if key in CHOICES:
            return value in CHOICES[key]
        low, high = RANGES.get(key, (-1e6, 1e6))
        return low <= value <= high
    if isinstance(default, str):
        return isinstance(value, str) and len(value) <= MAX_TEXT and (key not in CHOICES or value in CHOICES[key])
    return isinstance(value, type(default))
