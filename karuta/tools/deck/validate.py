"""``karuta deck validate``: check decks, one OK line each or every problem, and advice (--notes)."""

from __future__ import annotations

import os
import sys
from collections import Counter

from ...engine import ruby
from ...engine.deck import Deck, Problem, check_deck, same_id
from ..images import MAX_SIZE, inspect_image_file
from ..refuse import Refused
from .common import TEXT_FIELDS, deck_folder


def cmd_validate(args) -> int:
    status = 0
    ids: dict[str, str] = {}  # the game keeps one deck per id (engine.deck.discover_decks)
    for path in args.paths:
        folder = deck_folder(path)
        deck, problems = check_deck(folder)
        if deck is not None and deck.id in ids:
            problems = [Problem(os.path.join(folder, "deck.yaml"), "id",
                                same_id(deck.id, ids[deck.id], os.path.basename(os.path.normpath(folder))))]
        elif deck is not None:
            ids[deck.id] = os.path.basename(os.path.normpath(folder))
            problems = image_problems(deck)
        if problems:
            status = 1
            for p in problems:
                print(p)
            print(_problem_summary(folder, problems), file=sys.stderr)
            continue
        notes = deck_notes(deck)
        print(ok_line(folder, deck, notes))
        if args.notes:
            for note in notes:
                print(f"  note: {note}")
    return status


def _problem_summary(folder: str, problems: list[Problem]) -> str:
    todo = [p for p in problems if p.incomplete]
    other = len(problems) - len(todo)
    parts = []
    if other:
        parts.append(f"{other} problem{'s' if other != 1 else ''} to fix")
    if todo:
        per_card = Counter(p.field for p in todo if p.card is not None)
        detail = ", ".join([p.field for p in todo if p.card is None]
                           + [f"{f} ({n} card{'s' if n != 1 else ''})" for f, n in per_card.items()])
        parts.append(f"INCOMPLETE: {len(todo)} placeholder{'s' if len(todo) != 1 else ''} to fill in: {detail}")
    return f"{folder}: " + "; ".join(parts) + " (the game lists this deck as unusable until then)"


def image_problems(deck: Deck) -> list[Problem]:
    """Images that the engine finds but that would not decode (damaged, or not really an image)."""
    try:
        import PIL  # noqa: F401
    except ImportError:  # pragma: no cover - the tools extra is not installed
        return []
    label = os.path.join(deck.folder, "deck.yaml")
    problems = []
    for card in deck.cards:
        for face, rel in card.images.items():
            try:
                inspect_image_file(deck.path(rel), rel)
            except Refused as exc:
                problems.append(Problem(label, f"images.{face}", str(exc), card.number, card.kana))
    if deck.map is not None:  # the engine read only its header
        try:
            inspect_image_file(deck.path(deck.map.image), deck.map.image)
        except Refused as exc:
            problems.append(Problem(label, "map.image", str(exc)))
    return problems


def deck_notes(deck: Deck) -> list[str]:
    """Advice that does not stop a deck from working."""
    notes = []
    for card in deck.cards:
        for key in TEXT_FIELDS:
            bare = ruby.kanji_without_ruby(getattr(card, key) or "")
            if bare:
                notes.append(f"{card.label}: {key}: {bare} without furigana (young players read hiragana only)")
        from ..furigana import unchecked

        for key, words in unchecked(card).items():
            notes.append(f"{card.label}: {key}: furigana proposed by karuta deck furigana, not checked yet: "
                         f"{' '.join(words)} (once checked: karuta deck furigana {deck.folder} --checked {card.number})")
        for face, rel in card.images.items():
            try:
                from PIL import Image

                with Image.open(deck.path(rel)) as im:
                    w, h = im.size
            except Exception:  # reported by image_problems already
                continue
            if w > MAX_SIZE[0] * 1.5 or h > MAX_SIZE[1] * 1.5:
                notes.append(f"{card.label}: images.{face}: {rel} is {w} x {h} px; {MAX_SIZE[0]} x {MAX_SIZE[1]} "
                             "is enough and loads faster on tablets")
    present = {c.kana for c in deck.cards}
    absent = [k for k in deck.kana_order if k not in present]
    if absent:
        which = "".join(absent) if len(absent) <= 10 else f"{len(absent)} of its {len(deck.kana_order)} kana"
        notes.append(f"kana_order: no card for {which}")
    if not deck.licence:
        notes.append("licence: empty; say under which licence the cards may be used (docs/decks.md)")
    if not deck.attribution:
        notes.append("attribution: empty; say who made the cards, as they wish to be credited")
    return notes


def ok_line(folder: str, deck: Deck, notes: list[str]) -> str:
    cards = deck.cards
    texts = sum(1 for c in cards if c.reading)
    images = sum(1 for c in cards if c.images)
    from ...engine import voicepack

    manifest, _ = voicepack.load_manifest(deck.folder)
    pack = sum(1 for c in cards if c.audio and voicepack.is_generated(deck.folder, c.audio, manifest))
    recorded = sum(1 for c in cards if c.audio) - pack
    places = sum(1 for c in cards if c.has_location)
    voice = f"{recorded} with recordings" + (f", {pack} with a voice pack reading" if pack else "")
    line = (f"OK: {folder}: {deck.name_plain}: {len(cards)} cards ({texts} with reading text, {images} with "
            f"images, {voice}, {places} with locations)")
    if notes:
        line += f"; {len(notes)} note{'s' if len(notes) != 1 else ''} (--notes shows them)"
    return line
