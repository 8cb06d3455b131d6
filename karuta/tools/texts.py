"""``karuta deck texts DECK --export texts.csv | --import texts.csv``: a deck's texts in a spreadsheet.

The city's open data has images only. A facilitator adds the texts (reading with furigana, title,
explanation) in Excel or Numbers rather than in deck.yaml: export writes one row per card with the
image file names to look at, import merges the filled sheet back. Export is UTF-8 with a BOM (so
Excel shows Japanese, not mojibake); import also reads the CP932 file Japanese Excel saves.

Import changes only the values that differ from deck.yaml, in place (tools/yamledit.py), and
checks every row before it writes anything: each bad row is one line
``texts.csv: row N (kana): field: what is wrong``, and deck.yaml stays as it was.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field

from ..engine.deck import FACES, check_deck, deck_from_data, is_placeholder, read_deck_data
from .opencsv import EXPLANATION, KANA, NUMBER, READING, TITLE, decode_text, map_columns, parse_number
from .i18n import _, ngettext
from .refuse import Refused
from .yamledit import apply_changes, write_changes

TEXT_FIELDS = ("reading", "title", "explanation")
# The exported header: Japanese first (facilitators read it), the field name after it.
HEADER = {"number": "番号 (number)", "kana": "かな (kana)", "reading": "読み札 (reading)",
          "title": "題 (title)", "explanation": "解説 (explanation)",
          "picture": "絵札の画像 (picture image)", "reading_image": "読み札の画像 (reading image)",
          "explanation_image": "解説札の画像 (explanation image)"}
IMAGE_COLUMNS = {"picture": "picture", "reading_image": "reading", "explanation_image": "explanation"}
COLUMNS = {"number": NUMBER + (HEADER["number"],), "kana": KANA + (HEADER["kana"],),
           "reading": READING + (HEADER["reading"],), "title": TITLE + (HEADER["title"],),
           "explanation": EXPLANATION + (HEADER["explanation"],),
           **{key: (HEADER[key], key) for key in IMAGE_COLUMNS}}
MAX_BYTES = 20_000_000   # 44 cards of text are a few 10 KB; refuse what cannot be a texts sheet
LIMITS = {"reading": 200, "title": 80, "explanation": 2000}  # as deck.yaml allows (engine/deck.py)


@dataclass
class Row:
    row: int                  # the spreadsheet's row number (the header is row 1)
    kana: str
    number: int | None
    values: dict[str, str] = field(default_factory=dict)

    def where(self, label: str) -> str:
        return _("{file}: row {row} ({kana})").format(file=label, row=self.row, kana=self.kana or "?")


# ---------------------------------------------------------------- export


def export_texts(folder: str, path: str, *, force: bool = False) -> int:
    """Write the deck's texts as a CSV; returns the number of rows."""
    data, problems, label = read_deck_data(folder)
    if problems:
        raise Refused("; ".join(str(p) for p in problems))
    cards = [c for c in (data.get("cards") if isinstance(data, dict) else None) or [] if isinstance(c, dict)]
    if not cards:
        raise Refused(_("{file}: no cards to export").format(file=label))
    if os.path.exists(path) and not force:
        raise Refused(_("{file}: already exists; add --force to replace it (a filled-in sheet would be lost)")
                      .format(file=path))
    deck, _problems = check_deck(folder)
    images = {c.number: dict(c.images) for c in deck.cards} if deck else {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # CRLF: what Excel writes and expects
    writer.writerow(HEADER.values())
    for card in sorted(cards, key=lambda c: c.get("number") if isinstance(c.get("number"), int) else 0):
        faces = images.get(card.get("number")) or (card.get("images") if isinstance(card.get("images"), dict) else {})
        writer.writerow([card.get("number", ""), card.get("kana", "")]
                        + [_cell(card.get(key)) for key in TEXT_FIELDS]
                        + [faces.get(face, "") for face in FACES])
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            f.write(out.getvalue())
    except OSError as exc:
        raise Refused(_("{file}: cannot be written ({reason})").format(file=path, reason=exc.strerror or exc)) from None
    return len(cards)


def _cell(value) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------- import


def read_rows(path: str) -> tuple[list[Row], str, str]:
    """The sheet's rows, its label and encoding. Raises Refused for a file that is not a texts sheet."""
    label = os.path.basename(path)
    try:
        if os.path.isdir(path):
            raise Refused(_("{file}: is a folder, not a CSV file").format(file=label))
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise Refused(_("{file}: file not found").format(file=path)) from None
    except OSError as exc:
        raise Refused(_("{file}: cannot be read ({reason})").format(file=path, reason=exc.strerror or exc)) from None
    if len(data) > MAX_BYTES:
        raise Refused(_("{file}: larger than {mb} MB; this is not a texts sheet").format(
            file=label, mb=MAX_BYTES // 1_000_000))
    # A NUL byte is never part of a UTF-8 or CP932 character: find the encoding without them, then
    # report the rows that hold them instead of refusing the whole file.
    _text, encoding = decode_text(data.replace(b"\x00", b""), label)
    text = data.decode(encoding)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_BYTES + 1)  # a long cell is reported as too long by its row, not as a broken CSV
    try:
        table = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as exc:
        raise Refused(_("{file}: not a readable CSV ({reason})").format(file=label, reason=exc)) from None
    finally:
        csv.field_size_limit(old_limit)
    table = [(n, [c.replace("\ufeff", "").strip() for c in cells]) for n, cells in table]
    table = [(n, cells) for n, cells in table if any(cells)]
    if not table:
        raise Refused(_("{file}: the file is empty; export one with karuta deck texts DECK --export {file}").format(
            file=label))
    first, header = table[0]
    while header and not header[-1]:
        header = header[:-1]
    expected = ", ".join(HEADER.values())
    try:
        columns, unknown = map_columns(header, COLUMNS)
    except Refused as exc:
        raise Refused(_("{file}: row {row}: columns: {problem}").format(file=label, row=first, problem=exc)) from None
    missing = [HEADER[k] for k in ("number", "kana") if k not in columns]
    if missing or unknown or not set(TEXT_FIELDS) & set(columns):
        if missing:
            what = _("missing {columns}").format(columns=", ".join(missing))
        elif unknown:
            what = _("unknown column {columns}").format(columns=", ".join(repr(u) for u in unknown))
        else:
            what = _("no text column")
        raise Refused(_("{file}: row {row}: columns: {problem}; expected the columns of the exported sheet: "
                        "{columns} (export a fresh one with --export)").format(
                            file=label, row=first, problem=what, columns=expected))
    rows = []
    for n, cells in table[1:]:
        values = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        rows.append(Row(n, values.get("kana", ""), parse_number(values.get("number", "")),
                        {k: v for k, v in values.items() if k in TEXT_FIELDS}))
        rows[-1].values["number"] = values.get("number", "")
    return rows, label, encoding


def plan_import(folder: str, path: str) -> tuple[dict[int, dict[str, str]], list[str], dict, str]:
    """(changes per card, problems as lines, the deck's raw data, encoding). Nothing is written."""
    data, problems, deck_label = read_deck_data(folder)
    if problems:
        raise Refused("; ".join(str(p) for p in problems))
    if not isinstance(data, dict) or not isinstance(data.get("cards"), list):
        raise Refused(_("{file}: has no cards list; fix the deck first (karuta deck validate {deck})").format(
            file=deck_label, deck=folder))
    rows, label, encoding = read_rows(path)
    cards = {c["number"]: c for c in data["cards"] if isinstance(c, dict) and isinstance(c.get("number"), int)}
    errors: list[tuple[int, str]] = []
    changes: dict[int, dict[str, str]] = {}
    row_of: dict[int, Row] = {}
    for row in rows:
        where = row.where(label)
        raw_number = row.values.pop("number")
        bad = [k for k, v in [("number", raw_number), ("kana", row.kana), *row.values.items()] if "\x00" in v]
        for key in bad:
            errors.append((row.row, _("{row}: {field}: contains NUL bytes (the file is damaged, or not text saved "
                                      "from a spreadsheet)").format(row=where, field=key)))
        if bad:
            continue
        if not raw_number:
            errors.append((row.row, _("{row}: number: empty (keep the number of the exported row)").format(row=where)))
            continue
        if row.number is None:
            errors.append((row.row, _("{row}: number: 「{value}」 is not a card number (1-999)").format(
                row=where, value=raw_number[:20])))
            continue
        if row.number in row_of:
            errors.append((row.row, _("{row}: number: card {number} is in the sheet twice (also row {other})").format(
                row=where, number=row.number, other=row_of[row.number].row)))
            continue
        row_of[row.number] = row
        card = cards.get(row.number)
        if card is None:
            errors.append((row.row, _("{row}: number: the deck has no card {number} (texts are added to the deck's "
                                      "cards; import its images first)").format(row=where, number=row.number)))
            continue
        if row.kana and row.kana != card.get("kana"):
            errors.append((row.row, _("{row}: kana: 「{kana}」 but card {number} of the deck is 「{deck_kana}」 (the "
                                      "kana cannot be changed here)").format(
                                          row=where, kana=row.kana[:10], number=row.number, deck_kana=card.get("kana"))))
            continue
        row.kana = row.kana or str(card.get("kana") or "")
        where = row.where(label)
        changed = {}
        for key, value in row.values.items():
            if len(value) > LIMITS[key]:
                errors.append((row.row, _("{row}: {field}: {length} characters long; at most {limit}").format(
                    row=where, field=key, length=f"{len(value):,}", limit=f"{LIMITS[key]:,}")))
            elif value != _cell(card.get(key)).strip():
                changed[key] = value
        if changed and not any(r == row.row for r, _line in errors):
            changes[row.number] = changed
    # Everything else (furigana markup, a reading that starts with another kana, ...) is checked by
    # the deck's own rules on the merged data, and reported on the row that made the value.
    merged = apply_changes(data, changes)
    _deck, deck_problems = deck_from_data(merged, folder, deck_label)
    for p in deck_problems:
        if p.card in changes and p.field in changes[p.card]:
            row = row_of[p.card]
            errors.append((row.row, f"{row.where(label)}: {p.field}: {p.message}"))
    errors.sort(key=lambda e: e[0])
    return changes, [line for _row, line in errors], data, encoding


def import_texts(folder: str, path: str) -> tuple[dict[int, dict[str, str]], str]:
    """Merge the sheet into deck.yaml. Raises Refused listing every bad row (and writes nothing)."""
    changes, errors, _data, encoding = plan_import(folder, path)
    if errors:
        count = len(errors)
        raise Refused("\n".join(errors) + "\n" + ngettext(
            "{file}: {n} problem; fix them and import again (deck.yaml was not changed)",
            "{file}: {n} problems; fix them and import again (deck.yaml was not changed)", count).format(
                file=os.path.basename(path), n=count))
    if changes:
        write_changes(folder, changes)
    return changes, encoding


def summary(changes: dict[int, dict[str, str]]) -> str:
    counts = {key: sum(1 for c in changes.values() if key in c) for key in TEXT_FIELDS}
    filled = ", ".join(f"{key} {n}" for key, n in counts.items() if n) or _("nothing")
    return ngettext("{n} card changed ({fields})", "{n} cards changed ({fields})", len(changes)).format(
        n=len(changes), fields=filled)


def placeholders_left(folder: str) -> int:
    data, problems, _label = read_deck_data(folder)
    if problems or not isinstance(data, dict):
        return 0
    return sum(1 for c in data.get("cards") or [] if isinstance(c, dict)
               for k in TEXT_FIELDS if is_placeholder(c.get(k)))


# ---------------------------------------------------------------- command line


def build_parser():
    import argparse

    p = argparse.ArgumentParser(
        prog="karuta deck texts",
        description=_("A deck's texts (reading with furigana, title, explanation) as a spreadsheet: export a CSV, "
                      "fill it in Excel or Numbers, import it back. Import proposes furigana for kanji "
                      "without them (karuta deck furigana) unless --no-furigana is given."))
    p.add_argument("deck", metavar="DECK", help=_("the deck folder, e.g. decks/shimokawabuchi"))
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--export", metavar="texts.csv", help=_("write the texts to this CSV (UTF-8 with a BOM)"))
    what.add_argument("--import", dest="import_", metavar="texts.csv",
                      help=_("merge this CSV into deck.yaml (UTF-8, with or without a BOM, or Shift_JIS/CP932)"))
    p.add_argument("--force", action="store_true", help=_("with --export: replace an existing CSV"))
    p.add_argument("--no-furigana", action="store_true", help=_("with --import: do not propose furigana"))
    return p


def run(argv: list[str]) -> int:
    import sys

    from .deck.common import deck_folder

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        folder = deck_folder(args.deck)
        if args.export:
            n = export_texts(folder, args.export, force=args.force)
            print(_("Wrote {file}: {n} cards (UTF-8 for Excel and Numbers). Fill in 読み札 (reading, with furigana as "
                    "漢字(かんじ) where you know them), 題 (title) and 解説 (explanation); keep the 番号 and かな columns. "
                    "Then: karuta deck texts {deck} --import {file}").format(file=args.export, n=n, deck=args.deck))
            return 0
        changes, encoding = import_texts(folder, args.import_)
        print(_("{file} ({encoding}): {summary} in {deck_file}").format(
            file=args.import_, encoding=encoding, summary=summary(changes), deck_file=os.path.join(folder, "deck.yaml")))
    except Refused as exc:
        print(f"karuta deck texts: {exc}", file=sys.stderr)
        return 1
    if not args.no_furigana:
        from . import furigana

        status = furigana.run([args.deck])
        if status:
            print(_("karuta deck texts: the texts were imported; furigana were not proposed (run karuta deck furigana "
                    "{deck} later)").format(deck=args.deck), file=sys.stderr)
    print(_("Next: karuta deck voice {deck}, then karuta deck validate {deck} --notes").format(deck=args.deck))
    return 0
