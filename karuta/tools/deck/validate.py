"""``karuta deck validate``: check decks, one OK line each or every problem, and advice (--notes)."""

from __future__ import annotations

import os
import sys
from collections import Counter

from ...engine import ruby
from ...engine.deck import Deck, Problem, check_deck, same_id
from ..i18n import _, ngettext
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
                print(_("  note: {note}").format(note=note))
    return status


def _problem_summary(folder: str, problems: list[Problem]) -> str:
    todo = [p for p in problems if p.incomplete]
    other = len(problems) - len(todo)
    parts = []
    if other:
        parts.append(ngettext("{n} problem to fix", "{n} problems to fix", other).format(n=other))
    if todo:
        per_card = Counter(p.field for p in todo if p.card is not None)
        detail = ", ".join([p.field for p in todo if p.card is None]
                           + [ngettext("{field} ({n} card)", "{field} ({n} cards)", n).format(field=f, n=n)
                              for f, n in per_card.items()])
        parts.append(ngettext("INCOMPLETE: {n} placeholder to fill in: {fields}",
                              "INCOMPLETE: {n} placeholders to fill in: {fields}", len(todo)).format(
                                  n=len(todo), fields=detail))
    return _("{folder}: {summary} (the game lists this deck as unusable until then)").format(
        folder=folder, summary="; ".join(parts))


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
                notes.append(_("{card}: {field}: {words} without furigana (young players read hiragana only)").format(
                    card=card.label, field=key, words=bare))
        from ..furigana import unchecked

        for key, words in unchecked(card).items():
            notes.append(_("{card}: {field}: furigana proposed by karuta deck furigana, not checked yet: {words} "
                           "(once checked: karuta deck furigana {deck} --checked {number})").format(
                               card=card.label, field=key, words=" ".join(words), deck=deck.folder,
                               number=card.number))
        for face, rel in card.images.items():
            try:
                from PIL import Image

                with Image.open(deck.path(rel)) as im:
                    w, h = im.size
            except Exception:  # reported by image_problems already
                continue
            if w > MAX_SIZE[0] * 1.5 or h > MAX_SIZE[1] * 1.5:
                notes.append(_("{card}: images.{face}: {file} is {width} x {height} px; {max_width} x {max_height} "
                               "is enough and loads faster on tablets").format(
                                   card=card.label, face=face, file=rel, width=w, height=h,
                                   max_width=MAX_SIZE[0], max_height=MAX_SIZE[1]))
    present = {c.kana for c in deck.cards}
    absent = [k for k in deck.kana_order if k not in present]
    if absent:
        if len(absent) <= 10:
            notes.append(_("kana_order: no card for {kana}").format(kana="".join(absent)))
        else:
            notes.append(_("kana_order: no card for {n} of its {total} kana").format(
                n=len(absent), total=len(deck.kana_order)))
    if not deck.licence:
        notes.append(_("licence: empty; say under which licence the cards may be used (docs/decks.md)"))
    if not deck.attribution:
        notes.append(_("attribution: empty; say who made the cards, as they wish to be credited"))
    return notes


def ok_line(folder: str, deck: Deck, notes: list[str]) -> str:
    cards = deck.cards
    texts = sum(1 for c in cards if c.reading)
    images = sum(1 for c in cards if c.images)
    from ...engine import voicepack

    manifest, _problem = voicepack.load_manifest(deck.folder)
    pack = sum(1 for c in cards if c.audio and voicepack.is_generated(deck.folder, c.audio, manifest))
    recorded = sum(1 for c in cards if c.audio) - pack
    places = sum(1 for c in cards if c.has_location)
    if pack:
        line = _("OK: {folder}: {name}: {cards} cards ({texts} with reading text, {images} with images, {recorded} "
                 "with recordings, {pack} with a voice pack reading, {places} with locations)")
    else:
        line = _("OK: {folder}: {name}: {cards} cards ({texts} with reading text, {images} with images, {recorded} "
                 "with recordings, {places} with locations)")
    line = line.format(folder=folder, name=deck.name_plain, cards=len(cards), texts=texts, images=images,
                       recorded=recorded, pack=pack, places=places)
    if notes:
        line += ngettext("; {n} note (--notes shows them)", "; {n} notes (--notes shows them)", len(notes)).format(
            n=len(notes))
    return line
