"""``karuta deck new``: a ready-to-edit deck.yaml with one card per kana, for a deck made by hand."""

from __future__ import annotations

import os
import secrets

from ...engine.deck import check_deck
from ...engine.kana import KANA_ORDERS
from ..deckwrite import Output, kept_note, quote
from ..i18n import _
from .common import ORDER_LABELS, deck_id_for, text_option


def cmd_new(args) -> int:
    out = args.folder
    deck_id = deck_id_for(out, args.id)
    name = text_option(args.name, "--name", markup=True, limit=80) or "TODO: the deck's name"
    district = text_option(args.district, "--district", markup=True, limit=200) or ""
    order = KANA_ORDERS[args.kana]
    with Output(out, force=args.force) as output:
        output.write_text("deck.yaml", scaffold_yaml(deck_id, name, district, args.kana, out))
        os.makedirs(output.path("images"), exist_ok=True)
        os.makedirs(output.path("audio"), exist_ok=True)
        moved = output.commit()
    _deck, problems = check_deck(out)
    todo = [p for p in problems if p.incomplete]
    print(_("Wrote {file}: {cards} cards in {order} order, with {todo} places marked TODO to fill in.").format(
        file=os.path.join(out, "deck.yaml"), cards=len(order), order=ORDER_LABELS[args.kana], todo=len(todo)))
    if moved:
        print(kept_note(out, output.kept, moved))
    print(_("Put card images in {images} (01a.jpg picture, 01b.jpg reading, 01c.jpg explanation) and recordings "
            "in audio/ (1.ogg); then check: karuta deck validate {out}").format(
                images=os.path.join(out, "images"), out=out))
    return 0


def scaffold_yaml(deck_id: str, name: str, district: str, order_name: str, out: str) -> str:
    order = KANA_ORDERS[order_name]
    width = max(2, len(str(len(order))))

    def field(key: str, value: str, comment: str) -> str:
        text = f"{key}: {value}"
        return f"{text:<25} # {comment}" if len(text) < 25 else f"{text}  # {comment}"

    head = "\n".join([
        "# A karuta deck. Fill in every \"TODO\" (a value still to write), then check the deck:",
        f"#     karuta deck validate {out}",
        "# Every field is described in docs/decks.md.",
        "#",
        "# Text fields take furigana in parentheses right after the kanji: 川(かわ), 前橋(まえばし).",
        "# Many players read hiragana only: give every kanji its reading.",
        "",
        field("format", "1", "the deck format version; leave it at 1"),
        field("id", quote(deck_id), "the folder's name: lower-case letters, digits, - or _"),
        field("name", quote(name), "shown on the title screen (furigana allowed)"),
        field("district", quote(district), "the district the karuta is about (optional)"),
        field("source_url", '""', "where the cards' texts and images come from: an http(s) address"),
        field("licence", '""', 'the content\'s licence, e.g. "CC BY 4.0" (see docs/decks.md)'),
        field("attribution", '""', "who made the cards, as they wish to be credited"),
        field("kana_order", order_name, "aiueo (44 kana), iroha (47) or iroha48 (47 + ん)"),
        field("demo_locations", "false", "true only when lat / lon are made up (shown as practice places)"),
        field("link_secret", quote(secrets.token_hex(8)), "signs signpost QR codes: keep it once they are printed"),
        "",
    ])
    head += """
# One entry per card, in kana order. The fields of a card:
#   number       the card's number (1, 2, 3, ...); images and recordings are named after it
#   kana         the big kana on the picture card: the first sound of the reading
#   reading      the reading card's text (読み札), with furigana
#   title        a short name of what the picture card shows
#   explanation  the explanation card's text (解説), shown in the gallery (optional)
#   lat, lon     where the card's signpost stands, in decimal degrees (optional; both or neither)
#   url          a web page about the card (optional)
#   images       the card's images, paths inside this folder (optional). images/01a.jpg (picture),
#                images/01b.jpg (reading) and images/01c.jpg (explanation) are used without listing them.
#   audio        a recording of the reading (.ogg, optional); audio/1.ogg is used without listing it.
# A card needs a reading or a reading image, and a title or a picture image: a deck of images only
# is playable; texts add voice, large type and hiragana for young readers.
cards:
"""
    lines = [head.rstrip("\n")]
    for i, kana in enumerate(order, start=1):
        nn = f"{i:0{width}d}"
        lines += [
            f"  - number: {i}",
            f"    kana: {quote(kana)}",
            f"    reading: {quote(f'TODO: starts with {kana}')}",
            f"    title: {quote('TODO')}",
            "    explanation: \"\"",
            "    # lat: TODO",
            "    # lon: TODO",
            "    # url: \"TODO: https://...\"",
            f"    # images: {{picture: images/{nn}a.jpg, reading: images/{nn}b.jpg, explanation: images/{nn}c.jpg}}",
            f"    # audio: audio/{i}.ogg",
        ]
    return "\n".join(lines) + "\n"

