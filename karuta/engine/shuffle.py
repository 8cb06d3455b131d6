"""Seeded shuffling and drawing without repeats: the same seed gives the same game."""

from __future__ import annotations

import random
from typing import Generic, Iterable, Sequence, TypeVar

T = TypeVar("T")


def shuffled(items: Iterable[T], seed: int | str | None) -> list[T]:
    """A new list in a seeded random order (the input is not changed)."""
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def new_seed() -> int:
    """A fresh seed a facilitator can note down to replay a session (6 digits)."""
    return random.SystemRandom().randrange(100000, 1000000)


class Drawer(Generic[T]):
    """Draws items one by one in a seeded order, never the same item twice."""

    def __init__(self, items: Sequence[T], seed: int | str | None):
        self._order = shuffled(items, seed)
        self._next = 0

    def draw(self) -> T | None:
        """The next item, or None once all are drawn."""
        if self._next >= len(self._order):
            return None
        item = self._order[self._next]
        self._next += 1
        return item

    @property
    def drawn(self) -> list[T]:
        return self._order[: self._next]

    @property
    def remaining(self) -> int:
        return len(self._order) - self._next

    def __len__(self) -> int:
        return len(self._order)
