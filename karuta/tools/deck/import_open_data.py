"""``karuta deck import``: a deck from the city's open data (card image ZIP + signpost CSV)."""

from __future__ import annotations

import os
import secrets
import sys
from collections import Counter

from ...engine import ruby
from ..deckwrite import Output, card_lines, deck_yaml, kept_note
from ..images import MAX_SIZE
from ..opencsv import Locations, LocationRow, read_locations
from ..openzip import CardFiles, scan_zip
from ..refuse import Refused, require_regular_file
from .common import (TEXT_FIELDS, Planned, cards_by_number, check_written, convert_all, deck_id_for, deck_text_options,
                     kana_order, kept_text, megabytes, old_deck, order_label)

DEFAULT_LICENCE = "CC BY 4.0 (前橋市オープンデータ)"


def cmd_import(args) -> int:
    out = args.out
    deck_id = deck_id_for(out, args.id)
    name_opt, district_opt, licence_opt, attribution_opt, source_opt = deck_text_options(args)
    Output(out, force=args.force).check()
    require_regular_file(args.zip, args.zip, "ZIP file")  # before anything is said or read: a FIFO would block
    if args.csv:
        require_regular_file(args.csv, args.csv, "CSV file")
    if not args.quiet:
        print(f"reading {args.csv or '(no --csv: cards get no locations)'} and {args.zip} ...", file=sys.stderr)
    locations: Locations | None = read_locations(args.csv) if args.csv else None
    files: CardFiles = scan_zip(args.zip)
    old = old_deck(out) if args.force else {}
    old_cards = cards_by_number(old)

    rows = locations.rows if locations else {}
    # The order is that of the cards with images: a CSV row without images does not widen it.
    pictured = [n for n in sorted(rows) if rows[n].kana and n in files.numbers] or sorted(rows)
    order_value, order = kana_order(args.kana, [rows[n].kana for n in pictured if rows[n].kana])
    csv_label = locations.table.label if locations else ""
    plans: list[Planned] = []
    used_kana = {r.kana for r in rows.values() if r.kana}
    for number in sorted(set(files.numbers) | set(rows)):
        row = rows.get(number)
        plan = Planned(number, row.kana if row else None, row)
        plan.files = {face: f for (n, face), f in files.files.items() if n == number}
        if plan.kana is None:
            guess = order[number - 1] if number <= len(order) else None
            if guess and guess not in used_kana:
                plan.kana = guess
                used_kana.add(guess)
                if locations is not None:
                    plan.missing.append(f"kana {guess} taken from the {order_label(order_value)} order "
                                        f"(no いろは in {csv_label})")
        if locations is not None and row is None:
            plan.missing.append(f"no row in {csv_label}: no location")
        elif row is not None:
            plan.missing.extend(row.notes)
            if row.lat is None and not any(n.startswith("no location") for n in row.notes):
                plan.missing.append(f"no location (line {row.line} of {csv_label} has no lat / lon)")
        if not plan.files:
            plan.left_out = f"in {csv_label} (line {row.line}) but no images"
        elif plan.kana is None:
            plan.left_out = "no kana: it is not in the CSV and the number is beyond the kana order"
        old_card = old_cards.get(number, {})
        if old_card.get("kana") == plan.kana:
            for key in (*TEXT_FIELDS, "audio"):
                if kept_text(old_card, key):
                    plan.texts[key] = kept_text(old_card, key)
            if isinstance(old_card.get("furigana_to_check"), dict):  # proposals still to check stay marked
                plan.to_check = old_card["furigana_to_check"]
        plans.append(plan)

    with_files = [p for p in plans if p.files]
    with Output(out, force=args.force) as output:
        count, size_in, size_out = convert_all(with_files, output, args.quiet)
        for plan in with_files:
            if "explanation" not in plan.images and not plan.texts.get("explanation"):
                plan.missing.append("no explanation image (c)")
            if plan.left_out:
                continue
            needs = []
            if "reading" not in plan.images and not plan.texts.get("reading"):
                needs.append("no reading image (b)")
            if "picture" not in plan.images and not plan.texts.get("title"):
                needs.append("no picture image (a)")
            if needs:
                plan.left_out = " and ".join(needs)
        included = [p for p in with_files if not p.left_out]
        if not included:
            raise Refused(f"{args.zip}: no card has both a picture image (a) and a reading image (b); "
                          "nothing to play")
        name = name_opt or old.get("name") or _derived_name([files.top_folder, _stem(args.zip)], deck_id)
        data = {
            "format": 1,
            "id": deck_id,
            "name": name,
            "district": district_opt if district_opt is not None else old.get("district", ""),
            "source_url": source_opt or old.get("source_url") or _common_url(rows),
            "licence": licence_opt or old.get("licence") or DEFAULT_LICENCE,
            "attribution": attribution_opt or old.get("attribution")
            or f"出典：前橋市オープンデータライブラリ「{ruby.plain_text(name)}」（画像は縮小して使用）",
            "kana_order": order_value,
            "demo_locations": False,
            "link_secret": old.get("link_secret") or secrets.token_hex(8),
            "cards": [p.data() for p in included],
        }
        left = [p for p in plans if p.left_out and p.files]
        output.write_text("deck.yaml", deck_yaml(
            data, header=_import_header(name, args, out), invite=TEXT_FIELDS, tail=_left_out_block(left)))
        deck = check_written(output, "imported")
        moved = output.commit()

    kept = sum(1 for p in included if any(k in p.texts for k in TEXT_FIELDS))
    print(f"Imported {len(deck.cards)} cards into {out} ({count} images, {megabytes(size_in)} -> {megabytes(size_out)}; "
          f"at most {MAX_SIZE[0]} x {MAX_SIZE[1]} px).")
    print(f"  name: {ruby.plain_text(name)}   kana order: {order_label(order_value)}   "
          f"licence: {data['licence']}")
    if kept:
        print(f"  texts already typed for {kept} cards were kept from the old deck.yaml")
    _print_missing(plans, files, locations)
    if moved:
        print(kept_note(out, output.kept, moved))
    print(f"Next: add the texts (voice, large type, hiragana): karuta deck texts {out} --export texts.csv, "
          f"fill in texts.csv in Excel or Numbers, then karuta deck texts {out} --import texts.csv "
          f"(it proposes furigana), karuta deck voice {out} and karuta deck validate {out}")
    return 0


def _derived_name(candidates: list[str], fallback: str) -> str:
    for text in candidates:
        text = (text or "").strip()
        if text and any(w in text.lower() for w in ("かるた", "カルタ", "karuta")) and len(text) <= 80 \
                and not ruby.check(text):
            return text
    return fallback


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _common_url(rows: dict[int, LocationRow]) -> str:
    urls = Counter(r.url for r in rows.values() if r.url)
    return urls.most_common(1)[0][0] if urls else ""


def _import_header(name: str, args, out: str) -> str:
    sources = os.path.basename(args.zip) + (f" and {os.path.basename(args.csv)}" if args.csv else "")
    return (f"{ruby.plain_text(name)}: made by `karuta deck import` from {sources}.\n"
            "Images were scaled once to the size the game shows; the game does not need the originals.\n"
            "To add voice and large type, fill in reading (the reading card's text, furigana as 漢字(かんじ))\n"
            "and title for each card; explanation is read in the gallery. Then check the deck:\n"
            f"    karuta deck validate {out}\n"
            "Every field is described in docs/decks.md.")


def _left_out_block(left: list[Planned]) -> str:
    if not left:
        return ""
    lines = ["# Cards left out at import: something they need is missing. To add one, give it what is",
             "# missing (its image in images/, or the text instead of the TODO), then remove the \"# \"",
             "# in front of its lines: they continue the cards list above."]
    width = max(2, len(str(max(p.number for p in left))))
    for plan in left:
        card = plan.data()
        nn = f"{plan.number:0{width}d}"
        if "reading" not in plan.images and not card["reading"]:
            card["reading"] = f"TODO: the reading card's text, or add its image as images/{nn}b.jpg"
        if "picture" not in plan.images and not card["title"]:
            card["title"] = f"TODO: the picture card's title, or add its image as images/{nn}a.jpg"
        lines.append(f"# {plan.label}: {plan.left_out}")
        lines.extend(f"# {line}" for line in card_lines(card))
    return "\n".join(lines)


def _print_missing(plans: list[Planned], files: CardFiles, locations: Locations | None) -> None:
    lines = []
    for plan in plans:
        items = list(plan.missing)
        if plan.left_out:
            items.insert(0, f"{plan.left_out}: LEFT OUT of the deck")
        if items:
            lines.append(f"  {plan.label}: " + "; ".join(items))
    if lines:
        print("Missing:")
        print("\n".join(lines))
    if files.skipped:
        shown = ", ".join(files.skipped[:8]) + (f" and {len(files.skipped) - 8} more" if len(files.skipped) > 8 else "")
        print(f"Not card images (not imported): {shown}")
    for note in (locations.notes if locations else []):
        print(f"Note: {note}")

