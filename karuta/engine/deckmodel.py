"""What a deck is once loaded (Deck, Card) and what can be wrong with one (Problem, DeckError)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Mapping

from . import ruby
from .decktext import printable
from .deckmap import DeckMap
from .messages import N_, Message

FORMAT_VERSION = 1
FACES = ("picture", "reading", "explanation")  # the open data's a / b / c
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
AUDIO_SUFFIXES = (".ogg",)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CARD_LABEL = N_("card {number} ({kana})")


def is_valid_id(value: Any) -> bool:
    """A deck id: the folder name, lower-case letters, digits, - or _ (it appears in links and file names)."""
    return isinstance(value, str) and bool(_ID_RE.match(value))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck. ``incomplete`` marks a placeholder still to fill in.

    ``what`` is the message as a template and its values (engine/messages.py); ``message`` is it
    shown in the user's language. Plain text is accepted too (it is shown as it is unless the
    catalog happens to know it).
    """

    file: str
    field: str
    what: Message | str
    card: int | None = None
    kana: str | None = None
    incomplete: bool = False

    def __post_init__(self) -> None:
        # A problem is printed in a terminal and drawn in the deck picker: whatever the deck holds
        # (a NUL, a lone surrogate, a folder name in another encoding), its text must be showable.
        for name in ("file", "field", "kana"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, printable(value))
        if not isinstance(self.what, Message):
            object.__setattr__(self, "what", Message(str(self.what)))

    @property
    def message(self) -> str:
        """What is wrong, in the user's language."""
        return printable(str(self.what))

    def __str__(self) -> str:
        where = f"{self.file}: "
        if self.card is not None:
            where += f"{Message(CARD_LABEL, number=self.card, kana=self.kana or '?')}: "
        return f"{where}{self.field}: {self.message}"


class DeckError(Exception):
    """A deck that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Card:
    number: int
    kana: str
    reading: str = ""  # furigana markup
    title: str = ""
    explanation: str = ""
    lat: float | None = None
    lon: float | None = None
    url: str = ""
    images: Mapping[str, str] = field(default_factory=dict)  # face -> path relative to the deck
    audio: str = ""  # path relative to the deck
    # Furigana a tool proposed and no person has checked yet: text field -> ["漢字(かんじ)", ...]
    furigana_to_check: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def reading_kana(self) -> str:
        """The reading in kana only, for voice and for children who read hiragana only."""
        return ruby.kana_reading(self.reading) if self.reading else ""

    @property
    def reading_plain(self) -> str:
        return ruby.plain_text(self.reading) if self.reading else ""

    @property
    def title_plain(self) -> str:
        return ruby.plain_text(self.title) if self.title else ""

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    def image(self, face: str) -> str:
        return self.images.get(face, "")

    @property
    def label(self) -> str:
        """The card's name in messages, "card 3 (あ)", in the user's language."""
        return str(Message(CARD_LABEL, number=self.number, kana=self.kana))


@dataclass(frozen=True)
class Deck:
    id: str
    name: str
    cards: tuple[Card, ...]
    folder: str = "."
    district: str = ""
    source_url: str = ""
    licence: str = ""
    attribution: str = ""
    kana_order: tuple[str, ...] = ()
    demo_locations: bool = False
    link_secret: str = ""
    map: DeckMap | None = None  # the district's streets under the signposts (deckmap.py)
    warnings: tuple[Problem, ...] = ()

    def card(self, number: int) -> Card | None:
        for c in self.cards:
            if c.number == number:
                return c
        return None

    def by_kana(self, kana: str) -> Card | None:
        for c in self.cards:
            if c.kana == kana:
                return c
        return None

    def path(self, relative: str) -> str:
        """Absolute-ish path of a file inside the deck folder."""
        return os.path.join(self.folder, *PurePosixPath(relative).parts)

    @property
    def name_plain(self) -> str:
        return ruby.plain_text(self.name)

    @property
    def has_audio(self) -> bool:
        return any(c.audio for c in self.cards)

    @property
    def has_locations(self) -> bool:
        return any(c.has_location for c in self.cards)
