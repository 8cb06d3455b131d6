"""Which cards are in play: all of them, some kana rows (あ行, か行, ...), or picked cards.

A choice can be saved under a name and reused; saved choices are plain data (lists
and dicts) so they go through the app's Store. This module also plans the layout of
physical cards (a shuffled grid for the floor or a table) and picks the opening card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .kana import AIUEO_ROWS, row_of
from .shuffle import shuffled

ALL, ROWS, PICKED = "all", "rows", "picked"
KINDS = (ALL, ROWS, PICKED)
MAX_SAVED = 6
AUTO_NAME = "セット{}"
ROW_NAMES = tuple(AIUEO_ROWS)


class CardSetError(ValueError):
    """A saved choice that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class CardSet:
    kind: str = ALL
    rows: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    name: str = ""
    deck: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise CardSetError(f"unknown kind {self.kind!r}; use one of {', '.join(KINDS)}")
        unknown = [r for r in self.rows if r not in ROW_NAMES]
        if unknown:
            raise CardSetError(f"unknown kana row {unknown[0]!r}; use {'/'.join(ROW_NAMES)}")
        # A canonical order, so two equal choices compare equal however they were made.
        object.__setattr__(self, "rows", tuple(r for r in ROW_NAMES if r in set(self.rows)))
        object.__setattr__(self, "numbers", tuple(sorted(set(self.numbers))))

    def cards(self, deck) -> list:
        """The deck's cards in this choice, in deck order (cards the deck lacks are skipped)."""
        if self.kind == ALL:
            return list(deck.cards)
        if self.kind == ROWS:
            wanted = set(self.rows)
            return [c for c in deck.cards if row_of(c.kana) in wanted]
        wanted_n = set(self.numbers)
        return [c for c in deck.cards if c.number in wanted_n]

    def same_choice(self, other: "CardSet") -> bool:
        return (self.kind, self.rows, self.numbers) == (other.kind, other.rows, other.numbers)

    def named(self, name: str, deck: str) -> "CardSet":
        return CardSet(self.kind, self.rows, self.numbers, name, deck)

    def describe(self, deck) -> str:
        """A short line for the facilitator, e.g. 「あ行・か行（10まい）」."""
        n = len(self.cards(deck))
        if self.kind == ALL:
            return f"ぜんぶ（{n}まい）"
        if self.kind == ROWS:
            rows = "・".join(self.rows) if len(self.rows) <= 4 else f"{len(self.rows)}ぎょう"
            return f"{rows}（{n}まい）"
        return f"えらんだ カード（{n}まい）"

    def to_data(self) -> dict:
        data: dict[str, Any] = {"kind": self.kind, "name": self.name, "deck": self.deck}
        if self.kind == ROWS:
            data["rows"] = list(self.rows)
        if self.kind == PICKED:
            data["numbers"] = list(self.numbers)
        return data

    @classmethod
    def from_data(cls, data: Any) -> "CardSet":
        if not isinstance(data, dict):
            raise CardSetError(f"a card set must be a mapping, not {type(data).__name__}")
        kind = data.get("kind", ALL)
        rows = data.get("rows", [])
        numbers = data.get("numbers", [])
        name = data.get("name", "")
        deck = data.get("deck", "")
        if not isinstance(rows, list) or not all(isinstance(r, str) for r in rows):
            raise CardSetError("rows must be a list of kana rows such as あ行")
        if not isinstance(numbers, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            raise CardSetError("numbers must be a list of card numbers")
        if not isinstance(name, str) or not isinstance(deck, str):
            raise CardSetError("name and deck must be text")
        if kind == ROWS and not rows:
            raise CardSetError("a set of kana rows names no row")
        if kind == PICKED and not numbers:
            raise CardSetError("a set of picked cards names no card")
        return cls(kind, tuple(rows), tuple(numbers), name[:20], deck[:40])


# ---------------------------------------------------------------- rows


def deck_rows(deck) -> list[tuple[str, int]]:
    """Every kana row with the number of the deck's cards in it (rows with none are left out)."""
    counts = {r: 0 for r in ROW_NAMES}
    for c in deck.cards:
        counts[row_of(c.kana)] += 1
    return [(r, n) for r, n in counts.items() if n]


# ---------------------------------------------------------------- saved sets


def load_saved(data: Any) -> list[CardSet]:
    """Saved sets from stored data. Foreign data raises ValueError; a single bad entry is dropped."""
    if not isinstance(data, list):
        raise ValueError("saved card sets are not a list")
    out: list[CardSet] = []
    for item in data:
        try:
            cs = CardSet.from_data(item)
        except CardSetError:
            continue
        if cs.name and not any(o.name == cs.name and o.deck == cs.deck for o in out):
            out.append(cs)
    return out


def saved_data(sets: Iterable[CardSet]) -> list[dict]:
    return [s.to_data() for s in sets]


def for_deck(sets: Iterable[CardSet], deck_id: str) -> list[CardSet]:
    return [s for s in sets if s.deck == deck_id]


def auto_name(taken: Iterable[str]) -> str:
    """The first free 「セットN」 (no typing needed on an iPad)."""
    used = set(taken)
    n = 1
    while AUTO_NAME.format(n) in used:
        n += 1
    return AUTO_NAME.format(n)


def save_choice(sets: Sequence[CardSet], choice: CardSet, deck_id: str) -> tuple[list[CardSet], CardSet, bool]:
    """Add ``choice`` for the deck under an automatic name.

    Returns (all sets, the saved set, added). An identical choice already saved is
    returned as is (added False). Raises CardSetError when the deck has MAX_SAVED sets.
    """
    mine = for_deck(sets, deck_id)
    for s in mine:
        if s.same_choice(choice):
            return list(sets), s, False
    if len(mine) >= MAX_SAVED:
        raise CardSetError(f"at most {MAX_SAVED} saved sets per deck; delete one first")
    saved = choice.named(auto_name(s.name for s in mine), deck_id)
    return list(sets) + [saved], saved, True


def delete_saved(sets: Sequence[CardSet], name: str, deck_id: str) -> list[CardSet]:
    return [s for s in sets if not (s.name == name and s.deck == deck_id)]


# ---------------------------------------------------------------- order, opening card, layout


def reading_order(cards: Sequence, seed) -> list:
    """The order the reader reads the cards in play."""
    return shuffled(cards, f"{seed}:order")


def choose_opening(deck_cards: Sequence, in_play: Sequence, seed):
    """The card for 空読み: one not in play when there is one; else None (the caller then
    reads the first card of the order as the opening and leaves it out of the layout)."""
    numbers = {c.number for c in in_play}
    spare = [c for c in deck_cards if c.number not in numbers]
    if not spare:
        return None
    return shuffled(spare, f"{seed}:opening")[0]


SPREAD = 1  # one shared grid (ちらし); 2-4 = one block per side or team


ROW_MAX = 8  # cards in one row in front of a player: about as far as a child's arms reach


def grid_shape(n: int, rows: int | None = None) -> tuple[int, int]:
    """(columns, rows) for n cards: up to ``rows`` rows of at most ROW_MAX in front of a side
    (3 rows as in 1-on-1 play), or a 4:3 grid when spread."""
    if n <= 0:
        return 0, 0
    if rows is None:
        cols = max(1, math.ceil(math.sqrt(n * 4 / 3)))
        return cols, math.ceil(n / cols)
    rows = max(1, min(rows, math.ceil(n / ROW_MAX)))
    cols = math.ceil(n / rows)
    return cols, math.ceil(n / cols)


def layout_plan(cards: Sequence, seed, groups: int = 2, rows_per_group: int = 3) -> list[list[list]]:
    """Where to lay each physical picture card: groups -> rows -> cards.

    groups=1 spreads every card in one grid (ちらし); 2-4 deal the cards out evenly,
    one block of at most ``rows_per_group`` rows in front of each side or team.
    """
    if not 1 <= groups <= 4:
        raise ValueError(f"groups must be 1 to 4, not {groups}")
    order = shuffled(cards, f"{seed}:layout")
    if groups == 1:
        blocks = [order]
    else:
        blocks = [order[i::groups] for i in range(groups)]
    plan = []
    for block in blocks:
        cols, rows = grid_shape(len(block), None if groups == 1 else rows_per_group)
        plan.append([block[r * cols:(r + 1) * cols] for r in range(rows) if block[r * cols:(r + 1) * cols]])
    return plan
