"""``karuta deck``: make and check decks.

    karuta deck import --zip IMAGES.zip --csv LOCATIONS.csv --out decks/<id> [--name NAME] [--force]
    karuta deck validate PATH [PATH ...]
    karuta deck new decks/<id> --name NAME [--kana aiueo|iroha|iroha48]
    karuta deck from-csv --csv CARDS.csv [--images DIR] --out decks/<id> [--name NAME]
    karuta deck map DECK [--tiles URL_TEMPLATE] [--margin METRES]   (tools/maptiles.py)

Exit codes: 0 done / deck OK, 1 refused or the deck has problems, 2 wrong command line.
The deck format itself is described in docs/decks.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections import Counter
from dataclasses import dataclass, field

from ..engine import ruby
from ..engine.deck import (FACES, Deck, Problem, check_deck, deck_from_data, is_placeholder,
                           is_valid_id, read_deck_data, same_id)
from ..engine.kana import KANA_ORDERS
from .deckwrite import Output, card_lines, deck_yaml, kept_note, quote
from .images import MAX_SIZE, convert_image, inspect_image_file
from .keepmap import keep_map
from .opencsv import Locations, LocationRow, parse_coordinate, parse_kana, read_locations, read_sheet
from .openzip import CardFiles, SourceFile, scan_folder, scan_zip
from .refuse import Refused, require_regular_file

DEFAULT_LICENCE = "CC BY 4.0 (前橋市オープンデータ)"
ORDER_LABELS = {"aiueo": "あいうえお", "iroha": "いろは", "iroha48": "いろは + ん"}
FACE_LETTER = {"picture": "a", "reading": "b", "explanation": "c"}
FACE_WORD = {"picture": "picture", "reading": "reading", "explanation": "explanation"}
TEXT_FIELDS = ("reading", "title", "explanation")


# ---------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="karuta deck", description="Make and check karuta decks (docs/decks.md). `karuta deck voice DECK` makes a voice pack, "
                                "`karuta deck texts DECK --export/--import texts.csv` adds texts from a spreadsheet, "
                                "`karuta deck furigana DECK` proposes furigana (see their --help).")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def deck_options(sp: argparse.ArgumentParser, licence_default: str = "") -> None:
        sp.add_argument("--out", required=True, metavar="DIR", help="the deck folder to write, e.g. decks/shimokawabuchi")
        sp.add_argument("--id", help="deck id (default: the --out folder's name)")
        sp.add_argument("--name", help="deck name shown to children; furigana as 漢字(かんじ)")
        sp.add_argument("--district", help="the district the karuta is about")
        sp.add_argument("--kana", choices=sorted(KANA_ORDERS), help="kana order of the card numbers "
                        "(default: from the CSV's kana, else aiueo)")
        sp.add_argument("--licence", "--license", dest="licence", help="licence of the content"
                        + (f" (default: {licence_default})" if licence_default else ""))
        sp.add_argument("--attribution", help="credit line for the content")
        sp.add_argument("--source-url", help="the page the files were downloaded from")
        sp.add_argument("--force", action="store_true", help="replace the deck in an existing --out folder "
                        "(texts typed into its deck.yaml are kept; files the tools did not make are kept, or "
                        "moved to kept-<date-time>/ when in the way)")
        sp.add_argument("--quiet", action="store_true", help="no progress")

    imp = sub.add_parser("import", help="make a deck from the city's open data (image ZIP + location CSV)")
    imp.add_argument("--zip", required=True, metavar="IMAGES.zip", help="the card images ZIP (01a.jpg, 01b.jpg, ...)")
    imp.add_argument("--csv", metavar="LOCATIONS.csv", help="the signpost CSV: no, いろは, lat, lon, url")
    deck_options(imp, DEFAULT_LICENCE)
    imp.set_defaults(func=cmd_import)

    val = sub.add_parser("validate", help="check decks: one OK line each, or every problem")
    val.add_argument("paths", nargs="+", metavar="PATH", help="a deck folder or its deck.yaml")
    val.add_argument("--notes", action="store_true", help="also list advice for good decks (furigana, sizes)")
    val.set_defaults(func=cmd_validate)

    new = sub.add_parser("new", help="write a ready-to-edit deck with one card per kana")
    new.add_argument("folder", metavar="decks/<id>")
    new.add_argument("--name", help="deck name shown to children")
    new.add_argument("--district", help="the district the karuta is about")
    new.add_argument("--kana", choices=sorted(KANA_ORDERS), default="aiueo",
                     help="aiueo (44 cards), iroha (47) or iroha48 (48)")
    new.add_argument("--id", help="deck id (default: the folder's name)")
    new.add_argument("--force", action="store_true", help="replace the deck.yaml of an existing deck")
    new.set_defaults(func=cmd_new)

    fcsv = sub.add_parser("from-csv", help="make a deck from a spreadsheet CSV and a folder of images")
    fcsv.add_argument("--csv", required=True, metavar="CARDS.csv",
                      help="columns kana, reading, title, explanation, lat, lon (and optionally no, url)")
    fcsv.add_argument("--images", metavar="DIR", help="card images named like 01a.jpg / 01b.jpg / 01c.jpg")
    deck_options(fcsv)
    fcsv.set_defaults(func=cmd_from_csv)
    from .maptiles import add_parser as add_map_parser

    add_map_parser(sub)  # `karuta deck map`: the map screen's picture from map tiles
    return p


def run(argv: list[str]) -> int:
    if argv and argv[0] == "voice":  # `karuta deck voice` is the voice tool, kept in its own module
        from . import voice

        return voice.run(argv[1:])
    if argv and argv[0] in ("texts", "furigana"):  # the texts round trip and furigana proposals (own modules)
        from . import furigana, texts

        return {"texts": texts, "furigana": furigana}[argv[0]].run(argv[1:])
    parser = build_parser()
    if not argv:
        parser.print_help()
        return 2
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except Refused as exc:
        writes = args.command in ("import", "new", "from-csv")
        print(f"karuta deck {args.command}: {exc}" + ("\n(nothing was written)" if writes else ""), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"karuta deck {args.command}: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so in one line rather than a traceback
        if os.environ.get("KARUTA_DEBUG"):
            raise
        print(f"karuta deck {args.command}: unexpected error: {type(exc).__name__}: {exc} "
              "(a bug in karuta: please report it; KARUTA_DEBUG=1 shows the details)", file=sys.stderr)
        return 3


# ---------------------------------------------------------------- helpers


class Progress:
    """Progress on stderr: one updating line in a terminal, a line per tenth in a log."""

    def __init__(self, total: int, what: str, quiet: bool = False, stream=None):
        self.total, self.what, self.quiet = total, what, quiet
        self.stream = stream or sys.stderr
        self.done = 0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_tenth = -1

    def step(self, name: str) -> None:
        self.done += 1
        if self.quiet or not self.total:
            return
        if self.tty:
            self.stream.write(f"\r{self.what} {self.done}/{self.total}  {name[-50:]:<50}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
            return
        tenth = self.done * 10 // self.total
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            print(f"{self.what} {self.done}/{self.total}", file=self.stream)


def _text_option(value: str | None, option: str, *, markup: bool = False, limit: int = 500) -> str | None:
    if value is None:
        return None
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(f"{option}: not valid text (check the terminal's encoding)") from None
    if len(value) > limit:
        raise Refused(f"{option}: {len(value)} characters long; at most {limit}")
    if markup and value:
        err = ruby.check(value)
        if err:
            raise Refused(f"{option}: furigana markup: {err} (write furigana as 漢字(かんじ); before other text mark the start: ｜ABC(えーびーしー))")
    if option == "--source-url" and value and not value.startswith(("http://", "https://")):
        raise Refused(f"--source-url: {value!r} is not an http(s) address")
    return value


def _deck_text_options(args) -> tuple[str | None, ...]:
    """--name, --district, --licence, --attribution, --source-url: checked as deck.yaml would check them."""
    return (_text_option(args.name, "--name", markup=True, limit=80),
            _text_option(args.district, "--district", markup=True, limit=200),
            _text_option(args.licence, "--licence", limit=200),
            _text_option(args.attribution, "--attribution", limit=500),
            _text_option(args.source_url, "--source-url"))


def _deck_id(out: str, given: str | None) -> str:
    deck_id = given if given is not None else os.path.basename(os.path.normpath(out))
    if not is_valid_id(deck_id):
        what = "--id" if given is not None else f"{out}: the folder name"
        raise Refused(f"{what} 「{deck_id}」 is not a deck id: use lower-case letters, digits, - or _ "
                      "(e.g. decks/shimokawabuchi), or give --id")
    return deck_id


def _old_deck(out: str) -> dict:
    """The raw data of the deck being replaced with --force ({} when there is none or it is unreadable)."""
    if not os.path.isdir(out):
        return {}
    data, problems, _ = read_deck_data(out)
    return data if isinstance(data, dict) and not problems else {}


def _old_cards(old: dict) -> dict[int, dict]:
    cards = old.get("cards") if isinstance(old.get("cards"), list) else []
    return {c["number"]: c for c in cards if isinstance(c, dict) and isinstance(c.get("number"), int)}


def _kept_text(old_card: dict, key: str) -> str:
    value = old_card.get(key)
    return value.strip() if isinstance(value, str) and value.strip() and not is_placeholder(value) else ""


def _kana_order(choice: str | None, kana: list[str]) -> tuple[str | list[str], tuple[str, ...]]:
    """The kana order: as chosen, else the smallest standard order holding every kana, else the kana as listed."""
    if choice:
        return choice, KANA_ORDERS[choice]
    for name in ("aiueo", "iroha", "iroha48"):
        if set(kana) <= set(KANA_ORDERS[name]):
            return name, KANA_ORDERS[name]
    return list(kana), tuple(kana)


def _derived_name(candidates: list[str], fallback: str) -> str:
    for text in candidates:
        text = (text or "").strip()
        if text and any(w in text.lower() for w in ("かるた", "カルタ", "karuta")) and len(text) <= 80 \
                and not ruby.check(text):
            return text
    return fallback


def _image_name(number: int, face: str, width: int, extension: str) -> str:
    return f"images/{number:0{width}d}{FACE_LETTER[face]}.{extension}"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000)) if n else 0} KB"


@dataclass
class Planned:
    number: int
    kana: str | None
    row: LocationRow | None = None
    files: dict[str, SourceFile] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)   # face -> path in the deck
    texts: dict[str, str] = field(default_factory=dict)    # reading / title / explanation / audio kept
    to_check: dict = field(default_factory=dict)            # furigana_to_check kept with the texts
    missing: list[str] = field(default_factory=list)
    left_out: str = ""                                      # why the card is not in the deck

    def data(self) -> dict:
        card: dict = {"number": self.number, "kana": self.kana}
        for key in TEXT_FIELDS:
            card[key] = self.texts.get(key, "")
        if self.row is not None and self.row.lat is not None:
            card["lat"], card["lon"] = self.row.lat, self.row.lon
        if self.row is not None and self.row.url:
            card["url"] = self.row.url
        if self.images:
            card["images"] = {face: self.images[face] for face in FACES if face in self.images}
        if self.texts.get("audio"):
            card["audio"] = self.texts["audio"]
        if self.to_check:
            card["furigana_to_check"] = self.to_check
        return card

    @property
    def label(self) -> str:
        return f"card {self.number} ({self.kana or '?'})"


def _convert_all(plans: list[Planned], output: Output, quiet: bool) -> tuple[int, int, int]:
    """Scale every card image into the stage. Returns (files, bytes read, bytes written)."""
    width = max(2, len(str(max(p.number for p in plans))))
    total = sum(len(p.files) for p in plans)
    progress = Progress(total, "images", quiet)
    read = written = 0
    for plan in plans:
        for face in FACES:
            source = plan.files.get(face)
            if source is None:
                continue
            data = source.read()
            read += len(data)
            image = convert_image(data, source.name)
            rel = _image_name(plan.number, face, width, image.extension)
            output.write_bytes(rel, image.data)
            written += len(image.data)
            plan.images[face] = rel
            progress.step(source.name)
    return total, read, written


def _check_written(output: Output, what: str) -> Deck:
    deck, problems = check_deck(output.stage)
    if deck is None:
        lines = "\n".join(f"  {p}" for p in problems)
        raise Refused(f"the {what} deck does not validate:\n{lines}")
    return deck


# ---------------------------------------------------------------- import


def cmd_import(args) -> int:
    out = args.out
    deck_id = _deck_id(out, args.id)
    name_opt, district_opt, licence_opt, attribution_opt, source_opt = _deck_text_options(args)
    Output(out, force=args.force).check()
    require_regular_file(args.zip, args.zip, "ZIP file")  # before anything is said or read: a FIFO would block
    if args.csv:
        require_regular_file(args.csv, args.csv, "CSV file")
    if not args.quiet:
        print(f"reading {args.csv or '(no --csv: cards get no locations)'} and {args.zip} ...", file=sys.stderr)
    locations: Locations | None = read_locations(args.csv) if args.csv else None
    files: CardFiles = scan_zip(args.zip)
    old = _old_deck(out) if args.force else {}
    old_cards = _old_cards(old)

    rows = locations.rows if locations else {}
    # The order is that of the cards with images: a CSV row without images does not widen it.
    pictured = [n for n in sorted(rows) if rows[n].kana and n in files.numbers] or sorted(rows)
    order_value, order = _kana_order(args.kana, [rows[n].kana for n in pictured if rows[n].kana])
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
                    plan.missing.append(f"kana {guess} taken from the {_order_label(order_value)} order "
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
                if _kept_text(old_card, key):
                    plan.texts[key] = _kept_text(old_card, key)
            if isinstance(old_card.get("furigana_to_check"), dict):  # proposals still to check stay marked
                plan.to_check = old_card["furigana_to_check"]
        plans.append(plan)

    with_files = [p for p in plans if p.files]
    with Output(out, force=args.force) as output:
        count, size_in, size_out = _convert_all(with_files, output, args.quiet)
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
        text = deck_yaml(data, header=_import_header(name, args, out), invite=TEXT_FIELDS, tail=_left_out_block(left))
        text, map_note = keep_map(old, out, output, text)  # the picture of `karuta deck map` stays in use
        output.write_text("deck.yaml", text)
        deck = _check_written(output, "imported")
        moved = output.commit()

    kept = sum(1 for p in included if any(k in p.texts for k in TEXT_FIELDS))
    print(f"Imported {len(deck.cards)} cards into {out} ({count} images, {_mb(size_in)} -> {_mb(size_out)}; "
          f"at most {MAX_SIZE[0]} x {MAX_SIZE[1]} px).")
    print(f"  name: {ruby.plain_text(name)}   kana order: {_order_label(order_value)}   "
          f"licence: {data['licence']}")
    if kept:
        print(f"  texts already typed for {kept} cards were kept from the old deck.yaml")
    if map_note:
        print(f"  {map_note}")
    _print_missing(plans, files, locations)
    if moved:
        print(kept_note(out, output.kept, moved))
    print(f"Next: add the texts (voice, large type, hiragana): karuta deck texts {out} --export texts.csv, "
          f"fill in texts.csv in Excel or Numbers, then karuta deck texts {out} --import texts.csv "
          f"(it proposes furigana), karuta deck voice {out} and karuta deck validate {out}")
    return 0


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _order_label(order_value) -> str:
    return ORDER_LABELS.get(order_value, "the CSV's") if isinstance(order_value, str) else "the CSV's"


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


# ---------------------------------------------------------------- from-csv


def cmd_from_csv(args) -> int:
    out = args.out
    deck_id = _deck_id(out, args.id)
    name_opt, district_opt, licence_opt, attribution_opt, source_opt = _deck_text_options(args)
    Output(out, force=args.force).check()
    table, rows, notes = read_sheet(args.csv)
    label = table.label
    files = scan_folder(args.images) if args.images else CardFiles("", {})
    old = _old_deck(out) if args.force else {}

    kana_of: dict[int, str] = {}
    for row in rows:
        kana = parse_kana(row.values["kana"])
        if kana is None:
            raise Refused(f"{label}: line {row.line}: kana 「{row.values['kana']}」 must be one kana "
                          "(the first sound of the reading)")
        kana_of[row.number] = kana
    order_value, _ = _kana_order(args.kana, [kana_of[r.number] for r in rows])
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
                bad_places.append(f"{label}: line {row.line}: lat, lon 「{raw_lat}, {raw_lon}」")
                continue
            plan.row = LocationRow(row.line, row.number, plan.kana, lat, lon, row.values.get("url", ""))
        elif row.values.get("url"):
            plan.row = LocationRow(row.line, row.number, plan.kana, url=row.values["url"])
        # Planned image paths, so the check below sees the images the deck will have.
        width = max(2, len(str(max(line_of))))
        plan.images = {face: _image_name(row.number, face, width, "jpg") for face in plan.files}
        plans.append(plan)
    if bad_places:  # every bad row at once: one run of the tool, one round of fixes
        raise Refused(f"{len(bad_places)} row{'s' if len(bad_places) != 1 else ''} with a location that is not "
                      "two decimal numbers (e.g. 36.3416, 139.0865); fix them, or leave both cells empty:\n"
                      + "\n".join(f"  {line}" for line in bad_places))
    stray = sorted({n for n, _ in files.files} - set(line_of))

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
    _, problems = deck_from_data(data, ".", label, check_files=False)
    if problems:
        raise Refused("the CSV has problems; fix them and run again:\n" + "\n".join(
            "  " + _sheet_problem(p, label, line_of) for p in problems))

    with Output(out, force=args.force) as output:
        for plan in plans:
            plan.images = {}
        if any(p.files for p in plans):
            count, size_in, size_out = _convert_all([p for p in plans if p.files], output, args.quiet)
        else:
            count = size_in = size_out = 0
        data["cards"] = [p.data() for p in plans]
        header = (f"{ruby.plain_text(name)}: made by `karuta deck from-csv` from {os.path.basename(args.csv)}.\n"
                  f"Check it after editing: karuta deck validate {out}\nEvery field is described in docs/decks.md.")
        output.write_text("deck.yaml", deck_yaml(data, header=header, invite=TEXT_FIELDS))
        os.makedirs(output.path("images"), exist_ok=True)
        deck = _check_written(output, "new")
        moved = output.commit()
    print(f"Made {out} with {len(deck.cards)} cards from {label} ({count} images, {_mb(size_in)} -> "
          f"{_mb(size_out)}).")
    for n in stray:
        print(f"  images for card {n} but no row with that number in {label}: not used")
    if files.skipped:
        print(f"  not card images (not used): {', '.join(files.skipped[:8])}")
    for note in notes:
        print(f"Note: {note}")
    if moved:
        print(kept_note(out, output.kept, moved))
    if is_placeholder(name):
        print(f"Give the deck its name in {os.path.join(out, 'deck.yaml')} (or --name), then: "
              f"karuta deck validate {out}")
    return 0


def _sheet_problem(p: Problem, label: str, line_of: dict[int, int]) -> str:
    if p.card is not None and p.card in line_of:
        return f"{label}: line {line_of[p.card]} (card {p.card}, {p.kana or '?'}): {p.field}: {p.message}"
    if p.field == "name" and p.incomplete:
        return "--name: the deck needs a name (give --name)"
    return f"{label}: {p.field}: {p.message}"


# ---------------------------------------------------------------- new


def cmd_new(args) -> int:
    out = args.folder
    deck_id = _deck_id(out, args.id)
    name = _text_option(args.name, "--name", markup=True, limit=80) or "TODO: the deck's name"
    district = _text_option(args.district, "--district", markup=True, limit=200) or ""
    order = KANA_ORDERS[args.kana]
    with Output(out, force=args.force) as output:
        output.write_text("deck.yaml", scaffold_yaml(deck_id, name, district, args.kana, out))
        os.makedirs(output.path("images"), exist_ok=True)
        os.makedirs(output.path("audio"), exist_ok=True)
        moved = output.commit()
    _, problems = check_deck(out)
    todo = [p for p in problems if p.incomplete]
    print(f"Wrote {os.path.join(out, 'deck.yaml')}: {len(order)} cards in {ORDER_LABELS[args.kana]} order, "
          f"with {len(todo)} places marked TODO to fill in.")
    if moved:
        print(kept_note(out, output.kept, moved))
    print(f"Put card images in {os.path.join(out, 'images')} (01a.jpg picture, 01b.jpg reading, "
          "01c.jpg explanation) and recordings in audio/ (1.ogg); then check: "
          f"karuta deck validate {out}")
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


# ---------------------------------------------------------------- validate


def cmd_validate(args) -> int:
    status = 0
    ids: dict[str, str] = {}  # the game keeps one deck per id (engine.deck.discover_decks)
    for path in args.paths:
        folder = _deck_folder(path)
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


def _deck_folder(path: str) -> str:
    if os.path.isfile(path) and os.path.basename(path) in ("deck.yaml", "deck.yml", "deck.json"):
        return os.path.dirname(path) or "."
    if os.path.isdir(path):
        return path
    if not os.path.exists(path):
        raise Refused(f"{path}: not found")
    raise Refused(f"{path}: not a deck folder or its deck.yaml")


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
        from .furigana import unchecked

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
    from ..engine import voicepack

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
