"""Keeping a deck's ``map:`` entry when ``karuta deck import --force`` rewrites deck.yaml.

The importer writes deck.yaml afresh from the open data, keeping what a person added (typed texts,
furigana still to check). The map picture made by ``karuta deck map`` is such an addition: it
needed the internet once, so losing its entry on a re-import would leave the picture unused and
the facilitator without a map where there is no network. The entry is kept when its picture is
still in the deck folder and the deck, as re-imported, still validates with it (the new CSV may
have moved a signpost outside the picture); otherwise the import says why it was not kept.
"""

from __future__ import annotations

import os
import posixpath

from ...engine.deck import check_deck
from ..deckwrite import Output
from ..i18n import _
from ..maptiles import map_block, with_map


def keep_map(old: dict, out: str, output: Output, text: str) -> tuple[str, str]:
    """deck.yaml's new ``text`` with the old deck's map entry, and the line to print about it.

    When kept, the picture is staged beside the new deck.yaml (same content, so ``commit`` leaves
    the file as it is). Returns ``(text, "")`` when the old deck had no map.
    """
    entry = old.get("map")
    if entry is None:
        return text, ""
    picture = _picture(entry)
    if picture is None:
        return text, _("map: the old map entry was not kept (it is not a complete map entry); "
                       "make it again with karuta deck map {out}").format(out=out)
    full = os.path.join(out, *picture.split("/"))
    if os.path.islink(full) or not os.path.isfile(full):
        return text, _("map: the old map entry was not kept: its picture {image} is not in {out}; "
                       "make it again with karuta deck map {out}").format(image=picture, out=out)
    with open(full, "rb") as f:
        output.write_bytes(picture, f.read())
    candidate = with_map(text, map_block(entry))
    output.write_text("deck.yaml", candidate)
    problems = check_deck(output.stage)[1]
    map_problems = [p for p in problems if p.field == "map" or p.field.startswith("map.")]
    if map_problems:
        os.unlink(output.path(*picture.split("/")))
        return text, _("map: the old map entry was not kept ({problem}); "
                       "make it again with karuta deck map {out}").format(problem=map_problems[0].message, out=out)
    return candidate, _("map: the map picture {image} and its entry were kept").format(image=picture)


def _picture(entry) -> str | None:
    """The entry's picture path when the entry has every field map_block writes, else None."""
    if not isinstance(entry, dict):
        return None
    if not all(isinstance(entry.get(k), str) and entry[k].strip() for k in ("image", "attribution")):
        return None
    if not all(isinstance(entry.get(k), (int, float)) and not isinstance(entry[k], bool)
               for k in ("north", "south", "west", "east")):
        return None
    picture = posixpath.normpath(entry["image"].replace("\\", "/"))
    if picture.startswith(("/", "../")) or picture in ("..", ".") or ":" in picture:
        return None  # outside the deck folder: validation would refuse it anyway
    return picture
