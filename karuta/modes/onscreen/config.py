"""One round of on-screen play: its settings (a value the screens hand each other)."""

from __future__ import annotations

from dataclasses import dataclass


from ...engine import match as mt


WAIT = 10.0         # s for the taking after the reading, then the card is shown and removed
REVEAL = 1.6        # s the missed card is shown before it leaves
FAULT_SECONDS = 3.0  # practice alone: an お手つき costs time instead of a card
CARD_CHOICES = (6, 10, 20)
BEST_KEY = "onscreen_best"

@dataclass(frozen=True)
class PlayConfig:
    players: int = 2
    cards: int = 10
    penalty: str = mt.GIVE_BACK
    seed: int = 0
