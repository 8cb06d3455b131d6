"""The cards a child has met at their signposts (出会ってカルタ), and what follows from it.

Only which cards were met and on which day is kept: nothing about the child, and never
a position. The record is plain JSON (``to_data``/``from_data``) validated on load, can
be merged with an imported export, and knows the kana rows (あ行 ...), the facilitator's
session limit and the nearest card still to find.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from .deck import Card, Deck
from .kana import AIUEO_ROWS, row_of

FORMAT = 1
_EPOCH = date(2000, 1, 1)        # day 0 of the compact export
_LAST_DAY = _EPOCH + timedelta(days=0xFFFF)
MAX_NUMBER = 999                  # card numbers are 1..999 (deck.py)
EARTH_RADIUS_M = 6_371_000.0
DIRECTIONS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


@dataclass(frozen=True)
class Row:
    """One kana row of a deck (あ行 ...) and how much of it was met."""

    name: str
    numbers: tuple[int, ...]
    met: tuple[int, ...]

    @property
    def complete(self) -> bool:
        return bool(self.numbers) and len(self.met) == len(self.numbers)


@dataclass(frozen=True)
class MeetResult:
    number: int
    new: bool                         # False: met before (the game says so kindly)
    first_met: date                   # the day it was first met
    rows_completed: tuple[str, ...]   # rows this meeting completed (empty when not new)
    deck_completed: bool              # this meeting completed the whole deck
    session_completed: bool           # ... or the facilitator's session set


@dataclass(frozen=True)
class Target:
    """The nearest card still to meet: where it is from the origin."""

    card: Card
    distance_m: float
    bearing_deg: float    # 0 = north, clockwise
    direction: str        # one of DIRECTIONS


@dataclass
class Collection:
    deck_id: str
    met: dict[int, date] = field(default_factory=dict)
    last: int | None = None                  # the card met most recently (origin of "next nearest")
    session: frozenset[int] | None = None    # facilitator's limit for this walk; None = every card

    # -------------------------------------------------------------- meeting

    def has(self, number: int) -> bool:
        return number in self.met

    def meet(self, deck: Deck, number: int, today: date) -> MeetResult:
        if deck.card(number) is None:
            raise KeyError(f"deck {deck.id} has no card {number}")
        self.last = number
        if number in self.met:
            return MeetResult(number, False, self.met[number], (), False, False)
        rows_before = {r.name for r in self.rows(deck) if r.complete}
        deck_before = self.deck_complete(deck)
        session_before = self.session_complete(deck)
        self.met[number] = today
        rows_now = [r.name for r in self.rows(deck) if r.complete and r.name not in rows_before]
        return MeetResult(
            number, True, today, tuple(rows_now),
            self.deck_complete(deck) and not deck_before,
            self.session is not None and self.session_complete(deck) and not session_before,
        )

    def merge(self, deck: Deck, other: Mapping[int, date]) -> int:
        """Add an imported export; the earlier date of a card wins. Returns how many cards are new."""
        added = 0
        for number, day in other.items():
            if deck.card(number) is None:
                continue
            if number not in self.met:
                added += 1
                self.met[number] = day
            elif day < self.met[number]:
                self.met[number] = day
        return added

    def reset(self) -> None:
        """Forget the cards met; the facilitator's session limit stays (it belongs to the walk, not the child)."""
        self.met.clear()
        self.last = None

    # -------------------------------------------------------------- progress

    def progress(self, deck: Deck) -> tuple[int, int]:
        numbers = [c.number for c in deck.cards]
        return sum(1 for n in numbers if n in self.met), len(numbers)

    def deck_complete(self, deck: Deck) -> bool:
        met, total = self.progress(deck)
        return total > 0 and met == total

    def session_cards(self, deck: Deck) -> list[Card]:
        """The cards of this walk: the session set, or the whole deck."""
        if self.session is None:
            return list(deck.cards)
        return [c for c in deck.cards if c.number in self.session]

    def session_progress(self, deck: Deck) -> tuple[int, int]:
        cards = self.session_cards(deck)
        return sum(1 for c in cards if c.number in self.met), len(cards)

    def session_complete(self, deck: Deck) -> bool:
        met, total = self.session_progress(deck)
        return total > 0 and met == total

    def rows(self, deck: Deck) -> list[Row]:
        """The deck's cards grouped in kana rows, in あいうえお row order."""
        groups: dict[str, list[int]] = {name: [] for name in AIUEO_ROWS}
        for card in deck.cards:
            groups.setdefault(row_of(card.kana), []).append(card.number)
        return [Row(name, tuple(nums), tuple(n for n in nums if n in self.met))
                for name, nums in groups.items() if nums]

    def limit_session(self, deck: Deck, numbers: Iterable[int] | None) -> None:
        if numbers is None:
            self.session = None
            return
        chosen = frozenset(n for n in numbers if deck.card(n) is not None)
        self.session = chosen if chosen and len(chosen) < len(deck.cards) else None

    # -------------------------------------------------------------- where next

    def origin(self, deck: Deck, position: tuple[float, float] | None = None) -> tuple[float, float] | None:
        """Where "next nearest" is measured from: the last card met, else the device's position hint."""
        if self.last is not None:
            card = deck.card(self.last)
            if card is not None and card.has_location:
                return card.lat, card.lon  # type: ignore[return-value]
        return position

    def next_target(self, deck: Deck, position: tuple[float, float] | None = None) -> Target | None:
        """The nearest card of this walk not met yet, from origin(); None when there is none or no origin."""
        start = self.origin(deck, position)
        if start is None:
            return None
        best: Target | None = None
        for card in self.session_cards(deck):
            if card.number in self.met or not card.has_location:
                continue
            d = distance_m(start, (card.lat, card.lon))
            if best is None or d < best.distance_m:
                b = bearing_deg(start, (card.lat, card.lon))
                best = Target(card, d, b, compass(b))
        return best

    # -------------------------------------------------------------- storage

    def to_data(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "deck": self.deck_id,
            "met": {str(n): d.isoformat() for n, d in sorted(self.met.items())},
            "last": self.last,
            "session": sorted(self.session) if self.session is not None else None,
        }

    @classmethod
    def from_data(cls, data: Any, deck: Deck) -> "Collection":
        """Validate stored data. ValueError for anything foreign; cards the deck no longer has are dropped."""
        if not isinstance(data, dict):
            raise ValueError("a collection must be a mapping")
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown collection format {data.get('format')!r}")
        if data.get("deck") != deck.id:
            raise ValueError(f"collection of deck {str(data.get('deck'))[:40]!r}, not {deck.id!r}")
        raw_met = data.get("met")
        if not isinstance(raw_met, dict):
            raise ValueError("met must be a mapping of card number to date")
        met: dict[int, date] = {}
        for key, value in raw_met.items():
            number = _number(key)
            day = _day(value)
            if deck.card(number) is not None:
                met[number] = day
        last = data.get("last")
        if last is not None:
            last = _number(last)
            if last not in met:
                last = None
        raw_session = data.get("session")
        session = None
        if raw_session is not None:
            if not isinstance(raw_session, list):
                raise ValueError("session must be a list of card numbers")
            session = frozenset(_number(n) for n in raw_session if deck.card(_number(n)) is not None) or None
        return cls(deck.id, met, last, session)

    @classmethod
    def validator(cls, deck: Deck):
        """A ``Store.load`` validate function: returns the cleaned data or raises ValueError."""
        return lambda data: cls.from_data(data, deck).to_data()


def _number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a card number")
    if isinstance(value, str) and value.isdigit() and len(value) <= 3:
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= MAX_NUMBER:
        raise ValueError(f"{str(value)[:20]!r} is not a card number")
    return value


def _day(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"{str(value)[:20]!r} is not a date (YYYY-MM-DD)")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if not _EPOCH <= day <= _LAST_DAY:
        raise ValueError(f"{value} is outside {_EPOCH.year}-{_LAST_DAY.year}")
    return day


# ---------------------------------------------------------------- export payload

def encode_met(met: Mapping[int, date]) -> bytes:
    """Cards met and their days in few bytes, so an export link fits a small QR code.

    Layout: format byte, base day (uint16 days since 2000-01-01), bitmap of card
    numbers 1..max (LSB first), then per met card in number order its day offset
    from the base as a LEB128 varint (one byte for walks within four months).
    """
    numbers = sorted(met)
    for n in numbers:
        _number(n)
    days = [(met[n] - _EPOCH).days for n in numbers]
    if any(not 0 <= d <= 0xFFFF for d in days):
        raise ValueError("a date is outside the exportable range")
    base = min(days) if days else 0
    out = bytearray([FORMAT, base >> 8, base & 0xFF])
    bitmap = bytearray((max(numbers) + 7) // 8 if numbers else 0)
    for n in numbers:
        bitmap[(n - 1) // 8] |= 1 << ((n - 1) % 8)
    out.append(len(bitmap))
    out += bitmap
    for d in days:
        out += _varint(d - base)
    return bytes(out)


def decode_met(raw: bytes) -> dict[int, date]:
    if len(raw) < 4 or raw[0] != FORMAT:
        raise ValueError("not a collection export of this game")
    base = (raw[1] << 8) | raw[2]
    size = raw[3]
    if len(raw) < 4 + size or size > (MAX_NUMBER + 7) // 8:
        raise ValueError("the list of cards is cut short")
    bitmap = raw[4:4 + size]
    numbers = [i * 8 + b + 1 for i, byte in enumerate(bitmap) for b in range(8) if byte >> b & 1]
    if any(n > MAX_NUMBER for n in numbers):
        raise ValueError("a card number is out of range")
    pos = 4 + size
    met: dict[int, date] = {}
    for n in numbers:
        offset, pos = _read_varint(raw, pos)
        day = base + offset
        if day > 0xFFFF:
            raise ValueError("a date is out of range")
        met[n] = _EPOCH + timedelta(days=day)
    if pos != len(raw):
        raise ValueError("unexpected bytes after the dates")
    return met


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(raw: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(raw) or shift > 14:
            raise ValueError("a date is cut short")
        byte = raw[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


# ---------------------------------------------------------------- geography

def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine) between (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bearing_deg(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Initial compass bearing from a to b in degrees (0 = north, 90 = east)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x)) % 360.0


def compass(bearing: float) -> str:
    """The nearest of eight directions (N, NE, ...)."""
    return DIRECTIONS[int((bearing % 360.0) / 45.0 + 0.5) % 8]


def nearest_cards(deck: Deck, center: int, count: int) -> list[int]:
    """The ``count`` cards nearest to card ``center`` (itself included): a walk around the school."""
    origin = deck.card(center)
    if origin is None or not origin.has_location:
        return []
    placed = [c for c in deck.cards if c.has_location]
    placed.sort(key=lambda c: (distance_m((origin.lat, origin.lon), (c.lat, c.lon)), c.number))
    return [c.number for c in placed[:max(0, count)]]
