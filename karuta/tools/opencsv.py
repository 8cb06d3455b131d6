"""CSV files as Japanese open data and spreadsheets really come: UTF-8 (with or without a BOM),
CP932/Shift_JIS or UTF-16 (Excel's "Unicode text"), comma or tab separated, CRLF line ends,
blank lines, spaces around values, and header spellings that vary (``no`` / ``No.`` / ``番号``).

Two kinds of table are read: the city's signpost locations (``no, いろは, lat, lon, url``) and a
district's card sheet (kana, reading, title, explanation, lat, lon, ...).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field

from ..engine.kana import katakana_to_hiragana
from .i18n import N_, _
from .images import sniff
from .refuse import Refused, require_regular_file

MAX_CSV_BYTES = 20_000_000  # the city's location CSV is 8.8 KB; a card sheet with long texts a few 100 KB


@dataclass
class Table:
    label: str
    encoding: str
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


def read_table(path: str, label: str | None = None) -> Table:
    """Read a CSV file into rows of stripped cells; blank rows are dropped. Raises Refused."""
    label = label or path
    require_regular_file(path, label, "CSV file")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise Refused(_("{file}: cannot be read ({reason})").format(file=label, reason=exc.strerror or exc)) from None
    if len(data) > MAX_CSV_BYTES:
        raise Refused(_("{file}: larger than {mb} MB; this is not a card CSV").format(
            file=label, mb=MAX_CSV_BYTES // 1_000_000))
    text, encoding = decode_text(data, label)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            cells = [_clean_cell(c) for c in cells]
            while cells and not cells[-1]:
                cells.pop()  # trailing separators ("..., url,") and Excel's empty columns
            if cells:
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise Refused(_("{file}: line {line}: not a readable CSV ({reason})").format(
            file=label, line=reader.line_num, reason=exc)) from None
    return Table(label, encoding, rows)


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: UTF-8 (BOM or not), UTF-16 with a BOM, or CP932."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            if text.count("\x00") * 4 > len(text):
                break  # UTF-16 without its mark, or not text at all
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise Refused(_("{file}: line {line}: contains a NUL character (an invisible zero byte); remove it, "
                            "or open the file in a spreadsheet and save it again as CSV").format(file=label, line=line))
        return text, encoding
    raise Refused(_("{file}: not a text CSV in UTF-8 or Shift_JIS (CP932){what_it_is}").format(
        file=label, what_it_is=sniff(data)))


def _clean_cell(cell: str) -> str:
    # str.strip() also removes the full-width space (U+3000) that Japanese spreadsheets often carry.
    return cell.replace("\ufeff", "").strip()


# ---------------------------------------------------------------- columns


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).lower()
    return re.sub(r"[\s_\-.・:：()（）\[\]#＃]", "", text)


NUMBER = ("no", "number", "num", "番号", "札番号", "カルタ番号", "かるた番号", "通し番号", "id")
KANA = ("いろは", "iroha", "kana", "かな", "仮名", "頭文字", "あいうえお", "文字", "もじ")
LAT = ("lat", "latitude", "緯度", "いど", "y")
LON = ("lon", "lng", "long", "longitude", "経度", "けいど", "x")
URL = ("url", "uri", "link", "リンク", "ホームページ", "web", "webページ", "ページ")
READING = ("reading", "読み札", "よみふだ", "読み", "よみ", "読み札の文", "読み札の文章", "text", "文", "ぶん")
TITLE = ("title", "題", "だい", "タイトル", "名前", "なまえ", "名称", "めいしょう", "見出し", "場所", "name")
EXPLANATION = ("explanation", "解説", "かいせつ", "説明", "せつめい", "解説文", "解説札", "description")

LOCATION_COLUMNS = {"number": NUMBER, "kana": KANA, "lat": LAT, "lon": LON, "url": URL}
LOCATION_REQUIRED = ("number", "kana", "lat", "lon")
LOCATION_EXPECTED = "no, いろは, lat, lon, url"
SHEET_COLUMNS = {"number": NUMBER, "kana": KANA, "reading": READING, "title": TITLE,
                 "explanation": EXPLANATION, "lat": LAT, "lon": LON, "url": URL}
SHEET_EXPECTED = N_("kana, reading, title, explanation, lat, lon (and optionally no, url)")


def map_columns(header: list[str], spec: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], list[str]]:
    """Which column holds which field: (field -> index, headers that matched nothing)."""
    found: dict[str, int] = {}
    unknown: list[str] = []
    names = {_key(n): fieldname for fieldname, names in spec.items() for n in names}
    for index, head in enumerate(header):
        fieldname = names.get(_key(head))
        if fieldname is None:
            unknown.append(head)
        elif fieldname in found:
            raise Refused(_("two columns are {field}: 「{first}」 and 「{second}」").format(
                field=fieldname, first=header[found[fieldname]], second=head))
        else:
            found[fieldname] = index
    return found, unknown


def _shown(header: list[str]) -> str:
    return ", ".join(h or _("(empty)") for h in header) or _("(none)")


# ---------------------------------------------------------------- cell values


def parse_number(text: str) -> int | None:
    """A card number: "1", "01", "１", or "1.0" as spreadsheets write it."""
    t = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"[0-9]{1,3}(\.0+)?", t):
        n = int(float(t))
        return n if 1 <= n <= 999 else None
    return None


def parse_coordinate(text: str) -> float | None:
    t = unicodedata.normalize("NFKC", text).strip().rstrip("°")
    if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", t):
        return None
    value = float(t)
    return value if math.isfinite(value) else None


def parse_kana(text: str) -> str | None:
    """One hiragana (katakana and half-width kana folded); None when the cell is not one kana."""
    t = katakana_to_hiragana(unicodedata.normalize("NFKC", text).strip())
    if len(t) == 1 and ("ぁ" <= t <= "ゖ"):
        return t
    return None


# ---------------------------------------------------------------- the city's location CSV


@dataclass
class LocationRow:
    line: int
    number: int
    kana: str | None = None
    lat: float | None = None
    lon: float | None = None
    url: str = ""
    notes: list[str] = field(default_factory=list)
    location_refused: bool = False  # lat / lon were given but are not a place (a note says why)


@dataclass
class Locations:
    table: Table
    rows: dict[int, LocationRow]  # by card number
    notes: list[str]              # about the file as a whole and rows that were skipped


def read_locations(path: str, label: str | None = None) -> Locations:
    """The city's signpost CSV: no, いろは, lat, lon, url. Raises Refused when it is not that table."""
    table = read_table(path, label)
    label = table.label
    if not table.rows:
        raise Refused(_("{file}: the file is empty; expected the columns {columns}").format(
            file=label, columns=LOCATION_EXPECTED))
    notes: list[str] = []
    first_line, header = table.rows[0]
    try:
        columns, unknown = map_columns(header, LOCATION_COLUMNS)
    except Refused as exc:
        raise Refused(_("{file}: line {line}: {problem}").format(file=label, line=first_line, problem=exc)) from None
    body = table.rows[1:]
    if not set(LOCATION_REQUIRED) <= set(columns):
        if _looks_like_location_data(header):
            # Headerless export: the columns are in the city's order.
            columns = {"number": 0, "kana": 1, "lat": 2, "lon": 3, "url": 4}
            body = table.rows
            notes.append(_("{file}: no header row; the columns were read as {columns}").format(
                file=label, columns=LOCATION_EXPECTED))
        else:
            missing = [n for n in LOCATION_REQUIRED if n not in columns]
            raise Refused(_("{file}: line {line}: the columns are {found}; expected {columns} (no column for "
                            "{missing}). Is this the location CSV?").format(
                file=label, line=first_line, found=_shown(header), columns=LOCATION_EXPECTED,
                missing=", ".join(missing)))
    if unknown:
        notes.append(_("{file}: columns not used: {columns}").format(file=label, columns=_shown(unknown)))
    rows: dict[int, LocationRow] = {}
    kana_at: dict[str, LocationRow] = {}

    def cell(cells: list[str], name: str) -> str:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    for line, cells in body:
        raw_no = cell(cells, "number")
        number = parse_number(raw_no)
        if number is None:
            notes.append(_("{file}: line {line}: no 「{value}」 is not a card number (1-999); row skipped").format(
                file=label, line=line, value=raw_no))
            continue
        row = LocationRow(line, number)
        raw_kana = cell(cells, "kana")
        row.kana = parse_kana(raw_kana) if raw_kana else None
        if raw_kana and row.kana is None:
            row.notes.append(_("いろは 「{value}」 is not one kana (line {line})").format(value=raw_kana, line=line))
        raw_lat, raw_lon = cell(cells, "lat"), cell(cells, "lon")
        if raw_lat or raw_lon:
            lat, lon = parse_coordinate(raw_lat), parse_coordinate(raw_lon)
            row.location_refused = True
            if not raw_lat or not raw_lon:
                row.notes.append(_("no location: only one of lat / lon is given (line {line})").format(line=line))
            elif lat is None or lon is None:
                row.notes.append(_("no location: 「{lat}, {lon}」 are not numbers (line {line})").format(
                    lat=raw_lat, lon=raw_lon, line=line))
            elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
                if -90 <= lon <= 90 and -180 <= lat <= 180:
                    note = _("no location: {lat}, {lon} is not a latitude, longitude (lat and lon swapped?) (line {line})")
                else:
                    note = _("no location: {lat}, {lon} is not a latitude, longitude (line {line})")
                row.notes.append(note.format(lat=raw_lat, lon=raw_lon, line=line))
            else:
                row.lat, row.lon = lat, lon
                row.location_refused = False
        url = cell(cells, "url")
        if url and not re.match(r"^https?://\S+$", url):
            row.notes.append(_("url 「{url}」 is not an http(s) address; left out (line {line})").format(
                url=url[:40], line=line))
        elif url:
            row.url = url
        previous = rows.get(number)
        if previous is not None:
            if (previous.kana, previous.lat, previous.lon, previous.url) == (row.kana, row.lat, row.lon, row.url):
                notes.append(_("{file}: line {line}: repeats line {other}; ignored").format(
                    file=label, line=line, other=previous.line))
                continue
            raise Refused(_("{file}: line {line}: card {number} is listed twice, differently (also line {other}); "
                            "keep the right row").format(file=label, line=line, number=number, other=previous.line))
        if row.kana is not None:
            other = kana_at.get(row.kana)
            if other is not None:
                raise Refused(_("{file}: line {line}: いろは {kana} is given to card {other} (line {other_line}) and "
                                "card {number}; each kana belongs to one card").format(
                    file=label, line=line, kana=row.kana, other=other.number, other_line=other.line, number=number))
            kana_at[row.kana] = row
        rows[number] = row
    if not rows:
        raise Refused(_("{file}: no rows with a card number under the header ({columns})").format(
            file=label, columns=_shown(header)))
    return Locations(table, rows, notes)


def _looks_like_location_data(cells: list[str]) -> bool:
    if len(cells) < 4:
        return False
    lat, lon = parse_coordinate(cells[2]), parse_coordinate(cells[3])
    return (parse_number(cells[0]) is not None and parse_kana(cells[1]) is not None
            and lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180)


# ---------------------------------------------------------------- a district's card sheet


@dataclass
class SheetRow:
    line: int
    number: int
    values: dict[str, str]  # field -> cell text (kana, reading, title, explanation, lat, lon, url)


def read_sheet(path: str, label: str | None = None) -> tuple[Table, list[SheetRow], list[str]]:
    """A card sheet: one row per card. Returns (table, rows, notes). Raises Refused."""
    table = read_table(path, label)
    label = table.label
    if not table.rows:
        raise Refused(_("{file}: the file is empty; expected the columns {columns}").format(
            file=label, columns=_(SHEET_EXPECTED)))
    first_line, header = table.rows[0]
    try:
        columns, unknown = map_columns(header, SHEET_COLUMNS)
    except Refused as exc:
        raise Refused(_("{file}: line {line}: {problem}").format(file=label, line=first_line, problem=exc)) from None
    if "kana" not in columns or not ({"reading", "title"} & set(columns)):
        raise Refused(_("{file}: line {line}: the columns are {found}; expected {columns}: at least kana, and "
                        "reading or title").format(file=label, line=first_line, found=_shown(header),
                                                   columns=_(SHEET_EXPECTED)))
    notes = [_("{file}: columns not used: {columns}").format(file=label, columns=_shown(unknown))] if unknown else []
    rows: list[SheetRow] = []
    seen: dict[int, int] = {}
    for index, (line, cells) in enumerate(table.rows[1:], start=1):
        values = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        if "number" in columns:
            number = parse_number(values["number"])
            if number is None:
                raise Refused(_("{file}: line {line}: no 「{value}」 is not a card number (1-999)").format(
                    file=label, line=line, value=values["number"]))
        else:
            number = index  # no number column: cards are numbered in row order
        if number in seen:
            raise Refused(_("{file}: line {line}: card {number} is listed twice (also line {other})").format(
                file=label, line=line, number=number, other=seen[number]))
        seen[number] = line
        rows.append(SheetRow(line, number, values))
    if not rows:
        raise Refused(_("{file}: no card rows under the header ({columns})").format(file=label, columns=_shown(header)))
    return table, rows, notes
