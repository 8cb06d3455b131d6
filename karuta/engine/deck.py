"""Decks: a folder of data with ``deck.yaml`` (or ``deck.json`` in the web build).

Loading validates everything and collects every problem, each naming the file,
the card and the field, so a deck maker can fix them all in one pass.

This module reads deck files and finds the decks under decks/; the rest lives beside it and every
name is importable from here too:
  deckmodel.py  Deck, Card, Problem, DeckError      deckcheck.py  the validation (deck_from_data)
  deckfiles.py  which files a deck uses, safely     decktext.py   placeholders, showable text
  deckmap.py    the map picture                     messages.py   translatable problem messages
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .deckcheck import deck_from_data
from .deckfiles import (FACE_LETTERS, conventional_card_file, deck_file, deck_files, real_path,
                        unsafe_file)
from .deckmodel import (AUDIO_SUFFIXES, FACES, FORMAT_VERSION, IMAGE_SUFFIXES, Card, Deck, DeckError, Problem,
                        is_valid_id)
from .decktext import PLACEHOLDER, is_placeholder, printable, short, unshowable
from .kana import KANA_ORDERS
from .messages import N_, Message

__all__ = [
    "AUDIO_SUFFIXES", "FACES", "FACE_LETTERS", "FORMAT_VERSION", "IMAGE_SUFFIXES", "MAX_DECK_FILE_BYTES",
    "PLACEHOLDER", "Card", "Deck", "DeckEntry", "DeckError", "Problem", "check_deck", "conventional_card_file",
    "deck_file", "deck_files", "deck_from_data", "deck_to_data", "discover_decks", "is_placeholder", "is_valid_id",
    "load_deck", "printable", "read_deck_data", "same_id", "unshowable",
]

# deck.yaml of a full deck with long explanations is a few hundred KB; PyYAML's safe loader takes
# about 3 s of CPU per MB (measured on a 2-core EPYC), so a bigger file is refused before it is parsed
# and a deck beside the demo cannot hold the game's start for long (docs/decks.md, limits).
MAX_DECK_FILE_BYTES = 1_000_000
NOT_YAML = N_("not valid YAML: {reason}")


def read_deck_data(folder: str | os.PathLike) -> tuple[Any, list[Problem], str]:
    """Read the raw data of a deck folder: (data or None, problems, file label)."""
    folder = Path(folder)
    path = deck_file(folder)
    label = str(folder / "deck.yaml")
    if path is None:
        return None, [Problem(label, "deck.yaml", Message(N_("file not found (a deck folder needs deck.yaml)")))], label
    label = str(path)

    def refused(fieldname: str, template: str, **values: Any):
        return None, [Problem(label, fieldname, Message(template, **values))], label

    why = unsafe_file(str(path), real_path(str(folder)))
    if why:
        return None, [Problem(label, "file", why)], label
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_DECK_FILE_BYTES + 1)
    except OSError as exc:
        return refused("file", N_("cannot be read: {reason}"), reason=exc.strerror or str(exc))
    if len(raw) > MAX_DECK_FILE_BYTES:
        return refused("file", N_("larger than {kb} KB; a deck's texts fit in far less (are images or other data "
                                  "pasted into it?)"), kb=MAX_DECK_FILE_BYTES // 1000)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return refused("encoding", N_("not UTF-8 text (byte {byte}); save the file as UTF-8"), byte=exc.start)
    if path.suffix == ".json":
        try:
            return json.loads(text), [], label
        except json.JSONDecodeError as exc:
            return refused(_line(exc.lineno), N_("not valid JSON: {reason}"), reason=exc.msg)
        except RecursionError:
            return refused("json", N_("not valid JSON: nested too deeply"))
    try:
        import yaml  # desktop only: the web build ships deck.json
    except ImportError:  # pragma: no cover - only in a browser bundle without PyYAML
        return refused("file", N_("YAML decks need PyYAML; the web build uses deck.json"))
    try:
        return yaml.load(text, Loader=_loader_without_aliases(yaml)), [], label
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _line(mark.line + 1) if mark is not None else "yaml"
        return refused(where, NOT_YAML, reason=getattr(exc, "problem", None) or str(exc).splitlines()[0])
    except RecursionError:
        return refused("yaml", N_("not valid YAML: nested too deeply"))
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise these for values it parsed but cannot build
        # (an impossible date such as 2024-13-45, a bad !!int tag).
        return refused("yaml", N_("not valid YAML: a value cannot be read ({detail})"), detail=short(str(exc), 80))


def _line(number: int) -> str:
    """The field of a problem in a file that could not be parsed: where it is."""
    return str(Message(N_("line {number}"), number=number))


_LOADERS: dict = {}


def _loader_without_aliases(yaml):
    """PyYAML's safe loader, refusing aliases (``*name``) where they are met, before anything is built.

    Anchors and aliases repeat a value by reference: nested ones make a 1 KB file expand to
    gigabytes (an "alias bomb"). A deck has no use for them, so the first alias stops the load.
    """
    if "loader" not in _LOADERS:
        class NoAliasLoader(yaml.SafeLoader):
            def compose_node(self, parent, index):
                if self.check_event(yaml.AliasEvent):
                    event = self.peek_event()
                    why = Message(N_("an alias (*{name}) repeats another value; a deck may not use anchors and "
                                     "aliases: write each value out"), name=short(str(event.anchor), 20))
                    raise yaml.composer.ComposerError(None, None, str(why), event.start_mark)
                return super().compose_node(parent, index)

        _LOADERS["loader"] = NoAliasLoader
    return _LOADERS["loader"]


def check_deck(folder: str | os.PathLike, *, check_files: bool = True) -> tuple[Deck | None, list[Problem]]:
    """Load and validate a deck folder. Returns (deck or None, all problems).

    The deck is returned only when there are no problems; ``incomplete`` problems
    (placeholders) also prevent use, so nothing half-written reaches a child.
    """
    data, problems, label = read_deck_data(folder)
    if problems:
        return None, problems
    return deck_from_data(data, str(folder), label, check_files=check_files)


def load_deck(folder: str | os.PathLike) -> Deck:
    """Load a deck or raise DeckError listing every problem."""
    deck, problems = check_deck(folder)
    if deck is None:
        raise DeckError(problems)
    return deck


@dataclass(frozen=True)
class DeckEntry:
    """A folder found under decks/: a usable deck, or the problems that stop it."""

    folder: str
    deck: Deck | None
    problems: tuple[Problem, ...]

    @property
    def id(self) -> str:
        return self.deck.id if self.deck else os.path.basename(self.folder.rstrip("/\\"))


def discover_decks(root: str | os.PathLike) -> list[DeckEntry]:
    """Every deck folder under root, valid or not, sorted with the demo deck first."""
    entries: list[DeckEntry] = []
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return entries
    for name in names:
        folder = os.path.join(root, name)
        if name.startswith(".") or not os.path.isdir(folder):
            continue
        try:
            deck, problems = check_deck(folder)
        except Exception as exc:  # a deck must never take the game down
            deck, problems = None, [Problem(folder, "deck", Message(N_("could not be read: {error}"),
                                                                    error=repr(exc)))]
        # The picker has one line per broken deck: "<deck>/deck.yaml: ..." leaves room for the problem itself.
        problems = [replace(p, file=_relative_label(p.file, root)) for p in problems]
        entries.append(DeckEntry(folder, deck, tuple(problems)))
    entries = _one_deck_per_id(entries, root)
    entries.sort(key=lambda e: (e.id != "demo", e.id, e.folder))
    return entries


def _one_deck_per_id(entries: list[DeckEntry], root: str | os.PathLike) -> list[DeckEntry]:
    """Two folders with the same deck id would share saves and links and look the same in the
    picker: the folder named like the id keeps it (else the first by name); the others are listed
    as unusable, naming the folder that has the id."""
    by_id: dict[str, list[DeckEntry]] = {}
    for e in entries:
        if e.deck is not None:
            by_id.setdefault(e.deck.id, []).append(e)
    out = []
    for e in entries:
        same = by_id.get(e.deck.id, []) if e.deck is not None else []
        if len(same) > 1:
            keeper = next((x for x in same if os.path.basename(x.folder) == e.deck.id), same[0])
            if e is not keeper:
                label = _relative_label(deck_file(e.folder) or os.path.join(e.folder, "deck.yaml"), root)
                mine, theirs = os.path.basename(e.folder), os.path.basename(keeper.folder)
                e = DeckEntry(e.folder, None, (Problem(str(label), "id", same_id(e.deck.id, theirs, mine)),))
        out.append(e)
    return out


def same_id(deck_id: str, theirs: str, mine: str) -> Message:
    """The problem of a deck whose id another folder's deck already has."""
    return Message(N_("{deck_id} is taken by the deck in folder {theirs}; give this deck another id, e.g. {mine}"),
                   deck_id=deck_id, theirs=theirs, mine=mine)


def _relative_label(label: str, root: str | os.PathLike) -> str:
    try:
        rel = os.path.relpath(label, root)
    except ValueError:  # another drive on Windows
        return label
    return label if rel.startswith("..") else rel.replace(os.sep, "/")


def deck_to_data(deck: Deck) -> dict:
    """The plain data of a deck (for deck.json in the web build and for tools that rewrite decks)."""
    cards = []
    for c in deck.cards:
        item: dict[str, Any] = {"number": c.number, "kana": c.kana}
        for key in ("reading", "title", "explanation", "url", "audio"):
            if getattr(c, key):
                item[key] = getattr(c, key)
        if c.has_location:
            item["lat"], item["lon"] = c.lat, c.lon
        if c.images:
            item["images"] = dict(c.images)
        cards.append(item)
    data: dict[str, Any] = {"format": FORMAT_VERSION, "id": deck.id, "name": deck.name}
    for key in ("district", "source_url", "licence", "attribution", "link_secret"):
        if getattr(deck, key):
            data[key] = getattr(deck, key)
    order = next((k for k, v in KANA_ORDERS.items() if v == deck.kana_order), None)
    data["kana_order"] = order or list(deck.kana_order)
    data["demo_locations"] = deck.demo_locations
    if deck.map is not None:
        data["map"] = deck.map.to_data()
    data["cards"] = cards
    return data
