"""The decks in the web build: which ones, and each staged as deck.json with its pictures scaled to the screen."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from ..i18n import _
from .errors import BuildError
from .layout import ROOT
from .stage import REFUSED_AUDIO, Stage

MAX_IMAGE_SIDE = 768                  # card images never show bigger than the screen's height


def _problem_lines(problems, limit: int | None = None) -> str:
    return "\n  ".join(str(p) for p in list(problems)[:limit])


def select_decks(decks_dir: Path, wanted: list[str]):
    from ...engine.deck import discover_decks

    entries = discover_decks(decks_dir)
    if not entries:
        raise BuildError(_("no deck folders under {dir}").format(dir=decks_dir))
    by_id = {e.id: e for e in entries}
    chosen = []
    if wanted:
        for deck_id in dict.fromkeys(wanted):
            entry = by_id.get(deck_id)
            if entry is None:
                raise BuildError(_("deck {deck!r} not found under {dir} (found: {found})")
                                 .format(deck=deck_id, dir=decks_dir, found=", ".join(sorted(by_id)) or _("none")))
            if entry.deck is None:
                raise BuildError(_("deck {deck!r} cannot be used:").format(deck=deck_id) + "\n  "
                                 + _problem_lines(entry.problems, 12))
            chosen.append(entry.deck)
    else:
        for entry in entries:
            if entry.deck is not None:
                chosen.append(entry.deck)
            else:
                first = entry.problems[0] if entry.problems else _("unknown problem")
                print(_("karuta build-web: leaving out deck {deck!r}: {problem}").format(deck=entry.id, problem=first),
                      file=sys.stderr)
        if not chosen:
            raise BuildError(_("no valid deck under {dir}; run `karuta deck check` on them").format(dir=decks_dir))
    return chosen


def stage_deck(stage: Stage, deck) -> None:
    from ...engine.deck import DeckError, check_deck, deck_files, deck_to_data
    from ...engine.geo import PICTURE_SIZE

    target = stage.root / "decks" / deck.id
    target.mkdir(parents=True)
    data = deck_to_data(deck)
    source_label = os.path.relpath(os.path.join(deck.folder, "deck.yaml"), ROOT)
    try:
        files = deck_files(deck)  # only regular files inside the deck folder, checked now
    except DeckError as exc:
        raise BuildError(_("deck {deck!r}:").format(deck=deck.id) + "\n  " + _problem_lines(exc.problems)) from None
    for rel in files:
        src = Path(deck.path(rel))
        dst = target / Path(*rel.split("/"))
        dst.parent.mkdir(parents=True, exist_ok=True)
        suffix = src.suffix.lower()
        if suffix in REFUSED_AUDIO:
            raise BuildError(_("{path}: browsers on iPads need .ogg audio; convert it and point the deck at the .ogg")
                             .format(path=src))
        if suffix in (".png", ".jpg", ".jpeg"):
            note = copy_image(src, dst, PICTURE_SIZE if rel == data.get("map", {}).get("image") else None)
            if note:
                stage.notes.append(note)
        else:
            shutil.copyfile(src, dst)
    (target / "deck.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                                      encoding="utf-8")
    # The browser reads the JSON back: prove now that it is the same, valid deck.
    staged, problems = check_deck(target)
    if staged is None:
        raise BuildError(_("deck {deck!r} does not load back from its deck.json:").format(deck=deck.id) + "\n  "
                         + _problem_lines(problems, 12))
    if len(staged.cards) != len(deck.cards):
        raise BuildError(_("deck {deck!r}: {before} cards became {after} in deck.json")
                         .format(deck=deck.id, before=len(deck.cards), after=len(staged.cards)))
    stage.decks.append(deck.id)
    _note_strings(stage, data, source_label)


def _note_strings(stage: Stage, value, where: str) -> None:
    if isinstance(value, str):
        for ch in value:
            stage.chars.setdefault(ch, where)
            stage.deck_chars.setdefault(ch, where)
    elif isinstance(value, dict):
        number = value.get("number")
        for key, item in value.items():
            here = (_("{where} card {number} {key}").format(where=where, number=number, key=key)
                    if number is not None and isinstance(item, str) else where)
            _note_strings(stage, item, here)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _note_strings(stage, item, where)


def copy_image(src: Path, dst: Path, box: tuple[int, int] | None = None) -> str:
    """Copy a card image (or the map picture, into ``box``), scaled down to screen size when it is bigger (iPad memory).

    Returns a note for the report when the picture was changed or could not be, else "".
    """
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    try:
        img = pygame.image.load(str(src))
    except (pygame.error, OSError) as exc:
        raise BuildError(_("{path}: not a readable image ({reason})").format(path=src, reason=exc))
    w, h = img.get_size()
    box = box or (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE)
    scale = min(box[0] / w, box[1] / h)
    if scale >= 1:
        shutil.copyfile(src, dst)
        return ""
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = pygame.transform.smoothscale(img if img.get_bitsize() in (24, 32) else img.convert(24), size)
    try:
        pygame.image.save(small, str(dst))
    except pygame.error:
        shutil.copyfile(src, dst)
        return _("{path}: could not be scaled ({w}x{h}); shipped as it is").format(path=src, w=w, h=h)
    if dst.stat().st_size >= src.stat().st_size:
        shutil.copyfile(src, dst)
        return ""
    return _("{path}: scaled from {w}x{h} to {new_w}x{new_h}").format(
        path=os.path.relpath(src, ROOT), w=w, h=h, new_w=size[0], new_h=size[1])
