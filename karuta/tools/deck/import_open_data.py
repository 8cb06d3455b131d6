"""``karuta deck import``: a deck from the city's open data (card image ZIP + signpost CSV)."""

from __future__ import annotations

import os
import secrets
import sys
from collections import Counter

from ...engine import ruby
from ..deckwrite import Output, card_lines, deck_yaml, kept_note
from ..i18n import _
from ..images import MAX_SIZE
from ..opencsv import Locations, LocationRow, read_locations
from ..openzip import CardFiles, scan_zip
from ..refuse import Refused, require_regular_file
from .keepmap import keep_map
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
        if args.csv:
            print(_("reading {csv} and {zip} ...").format(csv=args.csv, zip=args.zip), file=sys.stderr)
        else:
            print(_("reading {zip} (no --csv: cards get no locations) ...").format(zip=args.zip), file=sys.stderr)
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
                    plan.missing.append(_("kana {kana} taken from the {order} order (no いろは in {csv})").format(
                        kana=guess, order=order_label(order_value), csv=csv_label))
        if locations is not None and row is None:
            plan.missing.append(_("no row in {csv}: no location").format(csv=csv_label))
        elif row is not None:
            plan.missing.extend(row.notes)
            if row.lat is None and not row.location_refused:
                plan.missing.append(_("no location (line {line} of {csv} has no lat / lon)").format(
                    line=row.line, csv=csv_label))
        if not plan.files:
            plan.left_out = _("in {csv} (line {line}) but no images").format(csv=csv_label, line=row.line)
        elif plan.kana is None:
            plan.left_out = _("no kana: it is not in the CSV and the number is beyond the kana order")
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
                plan.missing.append(_("no explanation image (c)"))
            if plan.left_out:
                continue
            no_reading = "reading" not in plan.images and not plan.texts.get("reading")
            no_picture = "picture" not in plan.images and not plan.texts.get("title")
            if no_reading and no_picture:
                plan.left_out = _("no reading image (b) and no picture image (a)")
            elif no_reading:
                plan.left_out = _("no reading image (b)")
            elif no_picture:
                plan.left_out = _("no picture image (a)")
        included = [p for p in with_files if not p.left_out]
        if not included:
            raise Refused(_("{zip}: no card has both a picture image (a) and a reading image (b); nothing to play")
                          .format(zip=args.zip))
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
        text = deck_yaml(data, header=_import_header(name, args, out), invite=TEXT_FIELDS, tail=_left_out_block(left))
        text, map_note = keep_map(old, out, output, text)  # the picture of `karuta deck map` stays in use
        output.write_text("deck.yaml", text)
        deck = check_written(output)
        moved = output.commit()

    kept = sum(1 for p in included if any(k in p.texts for k in TEXT_FIELDS))
    print(_("Imported {cards} cards into {out} ({images} images, {size_in} -> {size_out}; at most {width} x {height} "
            "px).").format(cards=len(deck.cards), out=out, images=count, size_in=megabytes(size_in),
                           size_out=megabytes(size_out), width=MAX_SIZE[0], height=MAX_SIZE[1]))
    print(_("  name: {name}   kana order: {order}   licence: {licence}").format(
        name=ruby.plain_text(name), order=order_label(order_value), licence=data["licence"]))
    if kept:
        print(_("  texts already typed for {n} cards were kept from the old deck.yaml").format(n=kept))
    if map_note:
        print(f"  {map_note}")
    _print_missing(plans, files, locations)
    if moved:
        print(kept_note(out, output.kept, moved))
    print(_("Next: add the texts (voice, large type, hiragana): karuta deck texts {out} --export texts.csv, "
            "fill in texts.csv in Excel or Numbers, then karuta deck texts {out} --import texts.csv "
            "(it proposes furigana), karuta deck voice {out} and karuta deck validate {out}").format(out=out))
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
            items.insert(0, _("{why}: LEFT OUT of the deck").format(why=plan.left_out))
        if items:
            lines.append(f"  {plan.label}: " + "; ".join(items))
    if lines:
        print(_("Missing:"))
        print("\n".join(lines))
    if files.skipped:
        shown = ", ".join(files.skipped[:8])
        if len(files.skipped) > 8:
            shown = _("{files} and {n} more").format(files=shown, n=len(files.skipped) - 8)
        print(_("Not card images (not imported): {files}").format(files=shown))
    for note in (locations.notes if locations else []):
        print(_("Note: {note}").format(note=note))

