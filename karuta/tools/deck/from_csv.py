"""``karuta deck from-csv``: a deck from a district's own card sheet (CSV) and a folder of images."""

from __future__ import annotations

import os
import secrets

from ...engine import ruby
from ...engine.deck import Problem, deck_from_data, is_placeholder
from ..deckwrite import Output, deck_yaml, kept_note
from ..i18n import _, ngettext
from ..opencsv import LocationRow, parse_coordinate, parse_kana, read_sheet
from ..openzip import CardFiles, scan_folder
from ..refuse import Refused
from .common import (TEXT_FIELDS, Planned, check_written, convert_all, deck_id_for, deck_text_options, image_name,
                     kana_order, megabytes, old_deck)


def cmd_from_csv(args) -> int:
    out = args.out
    deck_id = deck_id_for(out, args.id)
    name_opt, district_opt, licence_opt, attribution_opt, source_opt = deck_text_options(args)
    Output(out, force=args.force).check()
    table, rows, notes = read_sheet(args.csv)
    label = table.label
    files = scan_folder(args.images) if args.images else CardFiles("", {})
    old = old_deck(out) if args.force else {}

    kana_of: dict[int, str] = {}
    for row in rows:
        kana = parse_kana(row.values["kana"])
        if kana is None:
            raise Refused(_("{csv}: line {line}: kana 「{kana}」 must be one kana (the first sound of the reading)")
                          .format(csv=label, line=row.line, kana=row.values["kana"]))
        kana_of[row.number] = kana
    order_value, _order = kana_order(args.kana, [kana_of[r.number] for r in rows])
    line_of = {r.number: r.line for r in rows}
    plans: list[Planned] = []
    bad_places: list[str] = []
    for row in rows:
        plan = Planned(row.number, kana_of[row.number])
        plan.files = {face: f for (n, face), f in files.files.items() if n == row.number}
        plan.texts = {k: row.values.get(k, "") for k in TEXT_FIELDS if row.values.get(k)}
        raw_lat, raw_lon = row.values.get("lat", ""), row.values.get("lon", "")
        if raw_lat or raw_lon:
            lat, lon = parse_coordinate(raw_lat), parse_coordinate(raw_lon)
            if lat is None or lon is None:
                bad_places.append(_("{csv}: line {line}: lat, lon 「{lat}, {lon}」").format(
                    csv=label, line=row.line, lat=raw_lat, lon=raw_lon))
                continue
            plan.row = LocationRow(row.line, row.number, plan.kana, lat, lon, row.values.get("url", ""))
        elif row.values.get("url"):
            plan.row = LocationRow(row.line, row.number, plan.kana, url=row.values["url"])
        # Planned image paths, so the check below sees the images the deck will have.
        width = max(2, len(str(max(line_of))))
        plan.images = {face: image_name(row.number, face, width, "jpg") for face in plan.files}
        plans.append(plan)
    if bad_places:  # every bad row at once: one run of the tool, one round of fixes
        raise Refused(ngettext(
            "{n} row with a location that is not two decimal numbers (e.g. 36.3416, 139.0865); fix them, or leave "
            "both cells empty:\n{rows}",
            "{n} rows with a location that is not two decimal numbers (e.g. 36.3416, 139.0865); fix them, or leave "
            "both cells empty:\n{rows}", len(bad_places)).format(
                n=len(bad_places), rows="\n".join(f"  {line}" for line in bad_places)))
    stray = sorted({n for n, _face in files.files} - set(line_of))

    name = name_opt or old.get("name") or "TODO: the deck's name"
    data = {
        "format": 1, "id": deck_id, "name": name,
        "district": district_opt if district_opt is not None else old.get("district", ""),
        "source_url": source_opt or old.get("source_url", ""),
        "licence": licence_opt or old.get("licence", ""),
        "attribution": attribution_opt or old.get("attribution", ""),
        "kana_order": order_value, "demo_locations": False,
        "link_secret": old.get("link_secret") or secrets.token_hex(8),
        "cards": [p.data() for p in plans],
    }
    _deck, problems = deck_from_data(data, ".", label, check_files=False)
    if problems:
        raise Refused(_("the CSV has problems; fix them and run again:\n{problems}").format(
            problems="\n".join("  " + _sheet_problem(p, label, line_of) for p in problems)))

    with Output(out, force=args.force) as output:
        for plan in plans:
            plan.images = {}
        if any(p.files for p in plans):
            count, size_in, size_out = convert_all([p for p in plans if p.files], output, args.quiet)
        else:
            count = size_in = size_out = 0
        data["cards"] = [p.data() for p in plans]
        header = (f"{ruby.plain_text(name)}: made by `karuta deck from-csv` from {os.path.basename(args.csv)}.\n"
                  f"Check it after editing: karuta deck validate {out}\nEvery field is described in docs/decks.md.")
        output.write_text("deck.yaml", deck_yaml(data, header=header, invite=TEXT_FIELDS))
        os.makedirs(output.path("images"), exist_ok=True)
        deck = check_written(output)
        moved = output.commit()
    print(_("Made {out} with {cards} cards from {csv} ({images} images, {size_in} -> {size_out}).").format(
        out=out, cards=len(deck.cards), csv=label, images=count, size_in=megabytes(size_in),
        size_out=megabytes(size_out)))
    for n in stray:
        print(_("  images for card {number} but no row with that number in {csv}: not used").format(number=n, csv=label))
    if files.skipped:
        print(_("  not card images (not used): {files}").format(files=", ".join(files.skipped[:8])))
    for note in notes:
        print(_("Note: {note}").format(note=note))
    if moved:
        print(kept_note(out, output.kept, moved))
    if is_placeholder(name):
        print(_("Give the deck its name in {file} (or --name), then: karuta deck validate {out}").format(
            file=os.path.join(out, "deck.yaml"), out=out))
    return 0


def _sheet_problem(p: Problem, label: str, line_of: dict[int, int]) -> str:
    if p.card is not None and p.card in line_of:
        return _("{csv}: line {line} (card {number}, {kana}): {field}: {problem}").format(
            csv=label, line=line_of[p.card], number=p.card, kana=p.kana or "?", field=p.field, problem=p.message)
    if p.field == "name" and p.incomplete:
        return _("--name: the deck needs a name (give --name)")
    return f"{label}: {p.field}: {p.message}"

