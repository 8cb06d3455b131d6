"""`karuta deck`: import from files shaped like the city's open data, validate, new, from-csv.

Every fixture is built here, in the open-data format and its real-world variants: CP932 names in the
ZIP without the UTF-8 flag, a folder inside the ZIP, padded and unpadded numbers, upper-case
extensions, JPEG and PNG, a Shift_JIS CSV with CRLF and a blank last line. Every refusal is checked to
leave nothing behind.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pygame
import pytest
from PIL import Image

from karuta import cli
from karuta.engine.deck import check_deck, load_deck
from karuta.modes.title import DeckPickerScene
from karuta.tools import deck as deck_tool
from karuta.tools import openzip

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = "下川淵カルタ表"  # 表 is 0x95 0x5C in CP932: a backslash byte inside a name


class CP932Info(zipfile.ZipInfo):
    """An entry whose name is stored in CP932 without the UTF-8 flag, as Japanese Windows writes it."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp932"), self.flag_bits & ~0x800


def image_bytes(kind="JPEG", size=(520, 730), colour=(200, 40, 40), mode="RGB") -> bytes:
    im = Image.new(mode, size, colour)
    buf = io.BytesIO()
    im.save(buf, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return buf.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: decoding it would take width*height*3 bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def write_zip(path, entries: dict, *, cp932=True) -> str:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            info = CP932Info(name) if cp932 else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return str(path)


@pytest.fixture(scope="module")
def pictures():
    return {
        "jpeg": image_bytes("JPEG", (1040, 1460)),           # portrait, larger than the game needs
        "wide": image_bytes("JPEG", (1460, 1040), (40, 90, 200)),
        "png": image_bytes("PNG", (520, 730), (30, 160, 60)),
        "small": image_bytes("JPEG", (52, 73)),
    }


def open_data_entries(p) -> dict:
    f = FOLDER
    return {
        f"{f}/01a.jpg": p["jpeg"], f"{f}/01b.JPG": p["jpeg"], f"{f}/01c.jpg": p["wide"],  # padded, upper case
        f"{f}/2a.png": p["png"], f"{f}/2b.png": p["png"], f"{f}/2c.png": p["png"],         # unpadded, PNG
        f"{f}/03_a.jpeg": p["small"], f"{f}/03_b.jpeg": p["small"],                         # no c
        f"{f}/04a.jpg": p["small"],                                                         # no b: left out
        f"{f}/05-A.JPG": p["small"], f"{f}/05-B.JPG": p["small"], f"{f}/05c.jpg": p["small"],
        f"{f}/06a.jpg": p["small"], f"{f}/06b.jpg": p["small"],                             # no CSV row
        f"{f}/読んでね.txt": "説明".encode("cp932"),
        f"__MACOSX/{f}/._01a.jpg": b"\x00\x05\x16\x07",
    }


URL = "https://www.city.maebashi.gunma.jp/soshiki/shimin/shimokawa/gyomu/2/1/1/25953.html"
CSV_ROWS = [
    "no,いろは,lat,lon,url,",
    f" 1 , あ ,36.34159741,139.0865416,{URL},",
    f"2,い,36.33518889,139.0959917,{URL},",
    f"3,う,,,{URL},",
    f"4,え,36.33439327,139.0956862,{URL},",
    f"5,お,36.33400496,139.1052498,{URL},",
    f"7,き,36.3,139.1,{URL},",
]


def write_csv(path, rows=CSV_ROWS, encoding="cp932", newline="\r\n", blank_end=True) -> str:
    text = newline.join(rows) + newline + (newline if blank_end else "")
    with open(path, "wb") as f:
        f.write(text.encode(encoding))
    return str(path)


@pytest.fixture
def inputs(tmp_path, pictures):
    src = tmp_path / "in"
    src.mkdir()
    (tmp_path / "decks").mkdir()
    return {"zip": write_zip(src / "images.zip", open_data_entries(pictures)),
            "csv": write_csv(src / "locations.csv"), "src": src, "decks": tmp_path / "decks"}


def snapshot(root) -> set:
    return {os.path.relpath(os.path.join(d, n), root) for d, dirs, files in os.walk(root) for n in dirs + files}


def deck_cmd(capsys, *argv, progress=False) -> tuple[int, str, str]:
    quiet = [] if progress or argv[0] not in ("import", "from-csv") else ["--quiet"]
    code = deck_tool.run([str(a) for a in argv] + quiet)
    out, err = capsys.readouterr()
    return code, out, err


def do_import(capsys, inputs, out_name="shimokawabuchi", *extra, progress=False):
    out = inputs["decks"] / out_name
    return (*deck_cmd(capsys, "import", "--zip", inputs["zip"], "--csv", inputs["csv"], "--out", out, *extra,
                      progress=progress), out)


# ---------------------------------------------------------------- the fixtures are what they claim


def test_the_fixture_zip_and_csv_look_like_japanese_windows_files(inputs):
    with zipfile.ZipFile(inputs["zip"]) as z:
        info = next(i for i in z.infolist() if i.orig_filename.endswith("01a.jpg") and "MACOSX" not in i.orig_filename)
        assert info.flag_bits & 0x800 == 0
        raw = info.orig_filename.encode("cp437")
        assert raw == f"{FOLDER}/01a.jpg".encode("cp932") and b"\\" in raw
        assert FOLDER not in info.filename  # read naively, the name is mojibake
    data = Path(inputs["csv"]).read_bytes()
    assert b"\r\n" in data and data.endswith(b"\r\n\r\n")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_zip_names_in_utf8_without_the_flag_are_read_too(tmp_path):
    class Utf8NoFlag(zipfile.ZipInfo):  # as some macOS tools write them
        def _encodeFilenameFlags(self):
            return self.filename.encode("utf-8"), self.flag_bits & ~0x800

    path = tmp_path / "mac.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(Utf8NoFlag("かるた/01a.jpg"), b"x")
    with zipfile.ZipFile(path) as z:
        assert openzip.decode_entry_name(z.infolist()[0]) == "かるた/01a.jpg"


# ---------------------------------------------------------------- import


def test_import_makes_a_deck_that_validates_and_plays(capsys, inputs):
    before = snapshot(inputs["src"].parent)
    code, out, err = do_import(capsys, inputs, progress=True)[:3]
    deck_dir = inputs["decks"] / "shimokawabuchi"
    assert code == 0, err
    deck = load_deck(str(deck_dir))
    assert [(c.number, c.kana) for c in deck.cards] == [(1, "あ"), (2, "い"), (3, "う"), (5, "お"), (6, "か")]
    one, two, three = deck.cards[:3]
    assert dict(one.images) == {"picture": "images/01a.jpg", "reading": "images/01b.jpg",
                                "explanation": "images/01c.jpg"}
    assert two.image("picture") == "images/02a.jpg"  # an opaque PNG becomes a JPEG
    assert (one.lat, one.lon, one.url) == (36.34159741, 139.0865416, URL)
    assert not three.has_location and three.image("explanation") == ""
    assert deck.cards[4].lat is None  # card 6: images but no CSV row
    assert (deck.name, deck.licence, deck.source_url, deck.kana_order[:2]) == (
        FOLDER, "CC BY 4.0 (前橋市オープンデータ)", URL, ("あ", "い"))
    assert deck.attribution == f"出典：前橋市オープンデータライブラリ「{FOLDER}」（画像は縮小して使用）"
    assert len(deck.link_secret) == 16
    # resized once, proportions kept, never enlarged
    with Image.open(deck_dir / "images" / "01a.jpg") as im:
        assert im.size == (427, 600) and im.format == "JPEG"
    with Image.open(deck_dir / "images" / "01c.jpg") as im:
        assert im.size == (842, 600)
    with Image.open(deck_dir / "images" / "03a.jpg") as im:
        assert im.size == (52, 73)
    # the summary names every gap
    assert out.splitlines()[2:9] == [
        "Missing:",
        f"  card 3 (う): no location (line 4 of {inputs['csv']} has no lat / lon); no explanation image (c)",
        "  card 4 (え): no reading image (b): LEFT OUT of the deck; no explanation image (c)",
        f"  card 6 (か): kana か taken from the あいうえお order (no いろは in {inputs['csv']}); "
        f"no row in {inputs['csv']}: no location; no explanation image (c)",
        f"  card 7 (き): in {inputs['csv']} (line 7) but no images: LEFT OUT of the deck",
        f"Not card images (not imported): {FOLDER}/読んでね.txt",
        f"Next: add the texts (voice, large type, hiragana): karuta deck texts {deck_dir} --export texts.csv, "
        f"fill in texts.csv in Excel or Numbers, then karuta deck texts {deck_dir} --import texts.csv "
        f"(it proposes furigana), karuta deck voice {deck_dir} and karuta deck validate {deck_dir}",
    ]
    assert out.startswith("Imported 5 cards into")
    assert "images 14/14" in err  # progress
    # nothing but the deck folder was written, and no stage folder is left in it
    after = snapshot(inputs["src"].parent)
    assert {p for p in after - before if not p.startswith("decks/shimokawabuchi/")} == {"decks/shimokawabuchi"}
    # (and the record of what the tool wrote, so a later --force run can tell it from what a person added)
    assert sorted(os.listdir(deck_dir)) == [".karuta-made.json", "deck.yaml", "images"]
    assert len(os.listdir(deck_dir / "images")) == 14
    code, out, err = deck_cmd(capsys, "validate", deck_dir)
    assert code == 0 and out.count("\n") == 1 and out.startswith(f"OK: {deck_dir}: {FOLDER}: 5 cards")


def test_a_left_out_card_comes_back_by_uncommenting_it(capsys, inputs):
    code, _, _, out = do_import(capsys, inputs, "sk", "--name", "下川淵(しもかわふち)カルタ")
    assert code == 0
    text = (out / "deck.yaml").read_text(encoding="utf-8")
    assert "#   - number: 4" in text
    start = text.index("# Cards left out at import")
    head, block = text[:start], text[start:]
    lines = [head.rstrip("\n")]
    for line in block.splitlines():
        if line.startswith("#     reading: \"TODO"):
            continue  # the image will be there instead
        lines.append(line[2:] if line.startswith("#   ") else line)
    (out / "deck.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check_deck(str(out))[0] is None  # no reading image yet
    (out / "images" / "04b.jpg").write_bytes(image_bytes("JPEG", (52, 73)))
    deck = load_deck(str(out))
    assert [c.number for c in deck.cards] == [1, 2, 3, 4, 5, 6] and deck.name == "下川淵(しもかわふち)カルタ"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16"])
@pytest.mark.parametrize("header", [
    "no,いろは,lat,lon,url",
    "No. , いろは , 緯度 , 経度 , URL",
    "番号\tかな\tlatitude\tlongitude\tリンク",
    None,  # no header row at all
])
def test_csv_encodings_and_header_variants(capsys, tmp_path, pictures, encoding, header):
    sep = "\t" if header and "\t" in header else ","
    rows = ([header] if header else []) + [sep.join(["1", "あ", "36.5", "139.5", URL]),
                                           sep.join(["２", "イ", "36.6", "139.6", ""])]
    csv = write_csv(tmp_path / "l.csv", rows, encoding=encoding, newline="\n", blank_end=False)
    z = write_zip(tmp_path / "i.zip", {"1a.jpg": pictures["small"], "1b.jpg": pictures["small"],
                                       "2a.jpg": pictures["small"], "2b.jpg": pictures["small"]}, cp932=False)
    (tmp_path / "decks").mkdir()
    code, out, err = deck_cmd(capsys, "import", "--zip", z, "--csv", csv, "--out", tmp_path / "decks" / "v")
    assert code == 0, err
    deck = load_deck(str(tmp_path / "decks" / "v"))
    assert [(c.kana, c.lat, c.url) for c in deck.cards] == [("あ", 36.5, URL), ("い", 36.6, "")]
    assert ("no header row" in out) == (header is None)


def test_bad_rows_are_reported_and_the_rest_imported(capsys, tmp_path, pictures):
    rows = ["no,いろは,lat,lon,url", "1,あ,139.08,36.34,mailto:x", "x,い,1,1,", "2,い,36.3,north,"]
    csv = write_csv(tmp_path / "l.csv", rows)
    z = write_zip(tmp_path / "i.zip", {f"{n}{f}.jpg": pictures["small"] for n in (1, 2) for f in "ab"})
    (tmp_path / "decks").mkdir()
    code, out, _ = deck_cmd(capsys, "import", "--zip", z, "--csv", csv, "--out", tmp_path / "decks" / "v")
    assert code == 0
    assert "  card 1 (あ): no location: 139.08, 36.34 is not a latitude, longitude (lat and lon swapped?) (line 2); " \
           "url 「mailto:x」 is not an http(s) address; left out (line 2); no explanation image (c)" in out
    assert "  card 2 (い): no location: 「36.3, north」 are not numbers (line 4); no explanation image (c)" in out
    assert f"Note: {csv}: line 3: no 「x」 is not a card number (1-999); row skipped" in out
    assert not any(c.has_location for c in load_deck(str(tmp_path / "decks" / "v")).cards)


def test_import_without_csv_takes_kana_from_the_order(capsys, tmp_path, pictures):
    z = write_zip(tmp_path / "i.zip", {f"{n:02d}{f}.jpg": pictures["small"] for n in (1, 2, 3) for f in "ab"})
    (tmp_path / "decks").mkdir()
    code, _, _ = deck_cmd(capsys, "import", "--zip", z, "--out", tmp_path / "decks" / "i", "--kana", "iroha",
                          "--licence", "CC BY 4.0", "--attribution", "みどり町", "--source-url", "https://example.org")
    assert code == 0
    deck = load_deck(str(tmp_path / "decks" / "i"))
    assert [c.kana for c in deck.cards] == ["い", "ろ", "は"]
    assert (deck.licence, deck.attribution, deck.source_url) == ("CC BY 4.0", "みどり町", "https://example.org")


def test_transparent_png_stays_png(capsys, tmp_path):
    clear = image_bytes("PNG", (100, 140), (10, 10, 10, 0), mode="RGBA")
    z = write_zip(tmp_path / "i.zip", {"1a.png": clear, "1b.png": clear})
    (tmp_path / "decks").mkdir()
    assert deck_cmd(capsys, "import", "--zip", z, "--out", tmp_path / "decks" / "p")[0] == 0
    assert load_deck(str(tmp_path / "decks" / "p")).cards[0].image("picture") == "images/01a.png"


# ---------------------------------------------------------------- refusals leave nothing behind


def hostile(name, data):
    return lambda p: {"01a.jpg": p["small"], "01b.jpg": p["small"], name: data}


REFUSALS = [
    ("dotdot", hostile("../evil.jpg", b"x"), None,
     "{zip}: ../evil.jpg: the entry climbs out of the folder with ../; this ZIP is not a plain image archive, "
     "nothing was imported"),
    ("absolute", hostile("/tmp/evil.jpg", b"x"), None,
     "{zip}: /tmp/evil.jpg: the entry is an absolute path; this ZIP is not a plain image archive, "
     "nothing was imported"),
    ("drive", hostile("C:\\evil\\02a.jpg", b"x"), None,
     "{zip}: C:/evil/02a.jpg: the entry is an absolute path; this ZIP is not a plain image archive, "
     "nothing was imported"),
    ("not an image", hostile("02a.jpg", b"%PDF-1.4 this is a document"), None,
     "{zip}: 02a.jpg: not a JPEG or PNG image (it is a PDF)"),
    ("empty image", hostile("02b.png", b""), None, "{zip}: 02b.png: not a JPEG or PNG image (the file is empty)"),
    ("pixel bomb", hostile("02a.png", png_declaring(7000, 7000)), None,
     "{zip}: 02a.png: the image declares 7000 x 7000 pixels; decoding it could exhaust memory "
     "(at most 40 million pixels and 20000 px a side)"),
    ("huge bomb", hostile("02a.png", png_declaring(60000, 60000)), None,
     "{zip}: 02a.png: the image declares so many pixels that decoding it could exhaust memory"),
    ("zip bomb", hostile("02a.jpg", b"\x00" * 3_000_000), None,
     "{zip}: 02a.jpg: unpacks {ratio} times larger than it is stored; images do not compress like that: refused as "
     "a possible ZIP bomb"),
    ("same card twice", hostile("1a.png", b"x"), None,
     "{zip}: 01a.jpg and 1a.png are both card 1's picture image; remove one from the ZIP"),
    ("no card images", lambda p: {"photo.jpg": p["small"], "inner.zip": b"PK"}, None,
     "{zip}: no card images found (2 other files). It contains another ZIP (inner.zip): unpack that one and "
     "import it."),
    ("wrong csv columns", None, ["名前,住所", "あさひばし,みどり町1"],
     "{csv}: line 1: the columns are 名前, 住所; expected no, いろは, lat, lon, url (no column for number, kana, "
     "lat, lon). Is this the location CSV?"),
    ("duplicate kana in csv", None, ["no,いろは,lat,lon", "1,あ,36,139", "2,あ,36,139"],
     "{csv}: line 3: いろは あ is given to card 1 (line 2) and card 2; each kana belongs to one card"),
    ("empty csv", None, [""], "{csv}: the file is empty; expected the columns no, いろは, lat, lon, url"),
]


@pytest.mark.parametrize("case, entries, csv_rows, message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_write_nothing(capsys, tmp_path, pictures, case, entries, csv_rows, message):
    src = tmp_path / "in"
    src.mkdir()
    (tmp_path / "decks").mkdir()
    base = {"01a.jpg": pictures["small"], "01b.jpg": pictures["small"]}
    z = write_zip(src / "i.zip", entries(pictures) if entries else base, cp932=False)
    csv = write_csv(src / "l.csv", csv_rows or ["no,いろは,lat,lon", "1,あ,36,139"])
    before = snapshot(tmp_path)
    code, out, err = deck_cmd(capsys, "import", "--zip", z, "--csv", csv, "--out", tmp_path / "decks" / "x")
    with zipfile.ZipFile(z) as zf:
        ratio = max(i.file_size // max(1, i.compress_size) for i in zf.infolist())
    assert code == 1
    assert err == "karuta deck import: " + message.format(zip=z, csv=csv, ratio=ratio) + "\n(nothing was written)\n"
    assert snapshot(tmp_path) == before


def test_a_symbolic_link_entry_is_refused(capsys, tmp_path, pictures):
    z = tmp_path / "i.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("01a.jpg", pictures["small"])
        link = zipfile.ZipInfo("01b.jpg")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    before = snapshot(tmp_path)
    code, _, err = deck_cmd(capsys, "import", "--zip", z, "--out", tmp_path / "x")
    assert code == 1 and "01b.jpg: the entry is a symbolic link" in err
    assert snapshot(tmp_path) == before


def test_an_encrypted_entry_is_refused(capsys, tmp_path, pictures):
    z = tmp_path / "i.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("01a.jpg", pictures["small"])
    # zipfile cannot encrypt: set the "encrypted" flag in the local and the central header by hand
    data = bytearray(z.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    z.write_bytes(bytes(data))
    code, _, err = deck_cmd(capsys, "import", "--zip", z, "--out", tmp_path / "x")
    assert code == 1 and "01a.jpg: the entry is encrypted (password-protected ZIP)" in err
    assert not (tmp_path / "x").exists()


def test_an_entry_larger_than_any_card_image_is_refused(capsys, tmp_path, pictures, monkeypatch):
    monkeypatch.setattr(openzip, "MAX_FILE_BYTES", 1000)
    z = write_zip(tmp_path / "i.zip", {"01a.jpg": pictures["jpeg"]})
    code, _, err = deck_cmd(capsys, "import", "--zip", z, "--out", tmp_path / "x")
    assert code == 1
    assert f"01a.jpg: unpacks to {len(pictures['jpeg']):,} bytes; larger than any card image" in err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("content, message", [
    (b"hello, this is text", "not a ZIP file"),
    (b"%PDF-1.7\n", "not a ZIP file (it is a PDF)"),
    (b"", "not a ZIP file (the file is empty)"),
])
def test_a_file_that_is_not_a_zip_is_refused(capsys, tmp_path, content, message):
    z = tmp_path / "images.zip"
    z.write_bytes(content)
    code, _, err = deck_cmd(capsys, "import", "--zip", z, "--out", tmp_path / "x")
    assert (code, err) == (1, f"karuta deck import: {z}: {message}\n(nothing was written)\n")
    assert sorted(os.listdir(tmp_path)) == ["images.zip"]


def test_a_csv_that_is_not_text_is_refused(capsys, inputs):
    bad = inputs["src"] / "bad.csv"
    bad.write_bytes(b"PK\x03\x04\x00\xff\xfe\x00\x00")
    code, _, err = deck_cmd(capsys, "import", "--zip", inputs["zip"], "--csv", bad, "--out", inputs["decks"] / "x")
    assert (code, err) == (1, f"karuta deck import: {bad}: not a text CSV in UTF-8 or Shift_JIS (CP932) (it is a "
                              "ZIP)\n(nothing was written)\n")


def test_missing_input_files_are_named(capsys, tmp_path):
    code, _, err = deck_cmd(capsys, "import", "--zip", tmp_path / "nope.zip", "--out", tmp_path / "x")
    assert err.startswith(f"karuta deck import: {tmp_path / 'nope.zip'}: file not found")
    code, _, err = deck_cmd(capsys, "import", "--zip", tmp_path / "nope.zip", "--out", tmp_path / "no" / "x")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("out, message", [
    ("decks/Shimo Kawa", "{out}: the folder name 「Shimo Kawa」 is not a deck id: use lower-case letters, digits, "
                         "- or _ (e.g. decks/shimokawabuchi), or give --id"),
    ("missing/deck", "{out}: the folder {parent} does not exist (run the command from the project folder, or "
                     "create it first)"),
])
def test_bad_output_folders_are_refused(capsys, inputs, out, message):
    target = inputs["src"].parent / out
    before = snapshot(inputs["src"].parent)
    code, _, err = deck_cmd(capsys, "import", "--zip", inputs["zip"], "--out", target)
    assert err.splitlines()[0] == "karuta deck import: " + message.format(out=target, parent=target.parent)
    assert code == 1 and snapshot(inputs["src"].parent) == before


def test_an_existing_deck_is_replaced_only_with_force_and_keeps_typed_texts(capsys, inputs):
    code, _, _, out = do_import(capsys, inputs)
    assert code == 0
    text = (out / "deck.yaml").read_text(encoding="utf-8")
    secret = load_deck(str(out)).link_secret
    text = text.replace('reading: ""', 'reading: "あさの川(かわ)"', 1).replace('title: ""', 'title: "あさひばし"', 1)
    (out / "deck.yaml").write_text(text, encoding="utf-8")
    (out / "audio").mkdir()
    (out / "audio" / "1.ogg").write_bytes(b"OggS")
    (out / "images" / "99z.jpg").write_bytes(b"stale")
    before = snapshot(out)
    code, _, err, _ = do_import(capsys, inputs)
    assert code == 1 and "already exists and is not empty; add --force" in err
    assert snapshot(out) == before
    code, stdout, err, _ = do_import(capsys, inputs, "shimokawabuchi", "--force")
    assert code == 0, err
    deck = load_deck(str(out))
    first = deck.cards[0]
    assert (first.reading, first.title, first.audio) == ("あさの川(かわ)", "あさひばし", "audio/1.ogg")
    assert deck.link_secret == secret  # printed signposts stay valid
    assert "texts already typed for 1 cards were kept" in stdout
    # a file a person put in images/ stays (it is not named like a card image, so it is not in the way);
    # the new deck.yaml carries the typed texts, so it equals the edited one and nothing had to be kept aside
    assert (out / "images" / "99z.jpg").read_bytes() == b"stale" and (out / "audio" / "1.ogg").exists()
    assert not [p for p in out.iterdir() if p.name.startswith("kept-")] and "Kept" not in stdout


def test_force_does_not_touch_a_folder_that_is_not_a_deck(capsys, inputs):
    home = inputs["decks"] / "notadeck"
    home.mkdir()
    (home / "important.txt").write_text("keep me")
    code, _, err, _ = do_import(capsys, inputs, "notadeck", "--force")
    assert code == 1 and "is not a deck folder (no deck.yaml in it); --force only replaces decks" in err
    assert os.listdir(home) == ["important.txt"]


def test_a_refusal_after_starting_keeps_the_old_deck(capsys, inputs, pictures):
    assert do_import(capsys, inputs)[0] == 0
    out = inputs["decks"] / "shimokawabuchi"
    before = {p: (out / p).read_bytes() for p in snapshot(out) if (out / p).is_file()}
    entries = open_data_entries(pictures)
    entries[f"{FOLDER}/05c.jpg"] = b"GIF89a not allowed"
    write_zip(inputs["zip"], entries)
    code, _, err, _ = do_import(capsys, inputs, "shimokawabuchi", "--force")
    assert code == 1 and "05c.jpg: not a JPEG or PNG image (it is a GIF image)" in err
    assert {p: (out / p).read_bytes() for p in snapshot(out) if (out / p).is_file()} == before


# ---------------------------------------------------------------- validate


def test_validate_prints_one_line_for_a_good_deck(capsys):
    demo = os.path.join(ROOT, "decks", "demo")
    code, out, err = deck_cmd(capsys, "validate", demo)
    assert code == 0 and err == ""
    assert out.startswith(f"OK: {demo}: ひかりが丘かるた: 44 cards (44 with reading text,") and out.count("\n") == 1
    # the demo's readings are a generated voice pack, not a person's recordings
    assert "0 with recordings, 44 with a voice pack reading" in out
    code, out, _ = deck_cmd(capsys, "validate", os.path.join(demo, "deck.yaml"))
    assert code == 0 and out.startswith("OK: ")


def test_validate_prints_every_problem(capsys, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "deck.yaml").write_text(
        'id: bad\nname: "x"\ncards:\n  - {number: 1, kana: あ, reading: "いけ", title: "x", lat: 99, lon: 1}\n'
        '  - {number: 2, kana: い, reading: "TODO"}\n', encoding="utf-8")
    code, out, err = deck_cmd(capsys, "validate", folder)
    label = folder / "deck.yaml"
    assert code == 1
    assert out.splitlines() == [
        f"{label}: card 1 (あ): lat: 99 is not a latitude",
        f"{label}: card 1 (あ): reading: starts with 「い」 but the card's kana is 「あ」",
        f"{label}: card 2 (い): reading: still a placeholder (TODO): fill it in",
        f"{label}: card 2 (い): title: is empty and there is no picture-card image (images.picture): "
        "a card needs one or the other",
    ]
    assert err == (f"{folder}: 3 problems to fix; INCOMPLETE: 1 placeholder to fill in: reading (1 card) "
                   "(the game lists this deck as unusable until then)\n")


def test_validate_decodes_images_the_game_would_silently_replace(capsys, tmp_path, pictures):
    folder = tmp_path / "img"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "01a.jpg").write_bytes(pictures["jpeg"][:len(pictures["jpeg"]) // 2])  # cut off
    (folder / "images" / "01b.png").write_bytes(png_declaring(30000, 30000))
    (folder / "deck.yaml").write_text('id: img\nname: "x"\ncards:\n  - {number: 1, kana: あ}\n', encoding="utf-8")
    assert check_deck(str(folder))[0] is not None  # the engine does not decode
    code, out, _ = deck_cmd(capsys, "validate", folder)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{folder / 'deck.yaml'}: card 1 (あ): images.picture: images/01a.jpg: "
                               "the image is damaged and cannot be decoded")
    assert lines[1] == (f"{folder / 'deck.yaml'}: card 1 (あ): images.reading: images/01b.png: the image declares "
                        "so many pixels that decoding it could exhaust memory")


def test_validate_of_something_that_is_not_a_deck(capsys, tmp_path):
    code, _, err = deck_cmd(capsys, "validate", tmp_path / "nothing")
    assert (code, err) == (1, f"karuta deck validate: {tmp_path / 'nothing'}: not found\n")


def test_deck_is_a_registered_tool():
    with pytest.raises(SystemExit) as done:
        cli.main(["deck", "validate", os.path.join(ROOT, "decks", "demo")])
    assert done.value.code == 0


# ---------------------------------------------------------------- new


@pytest.mark.parametrize("kana, count", [("aiueo", 44), ("iroha", 47), ("iroha48", 48)])
def test_new_writes_an_incomplete_deck_that_lists_what_to_fill_in(capsys, tmp_path, kana, count):
    folder = tmp_path / "midori"
    code, out, _ = deck_cmd(capsys, "new", folder, "--name", "みどり町(ちょう)かるた", "--kana", kana)
    assert code == 0 and f"{count} cards" in out
    assert sorted(os.listdir(folder)) == [".karuta-made.json", "audio", "deck.yaml", "images"]
    code, out, err = deck_cmd(capsys, "validate", folder)
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2 * count
    assert lines[0] == f"{folder / 'deck.yaml'}: card 1 ({'あ' if kana == 'aiueo' else 'い'}): reading: still a " \
                       f"placeholder (TODO: starts with {'あ' if kana == 'aiueo' else 'い'}): fill it in"
    assert err == (f"{folder}: INCOMPLETE: {2 * count} placeholders to fill in: reading ({count} cards), "
                   f"title ({count} cards) (the game lists this deck as unusable until then)\n")
    # a deck maker fills in the placeholders: the deck validates
    text = (folder / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace('reading: "TODO: starts with ', 'reading: "').replace('title: "TODO"', 'title: "え"')
    (folder / "deck.yaml").write_text(text, encoding="utf-8")
    code, out, _ = deck_cmd(capsys, "validate", folder)
    assert code == 0 and out.startswith(f"OK: {folder}: みどり町かるた: {count} cards ({count} with reading text")


def test_new_without_a_name_leaves_it_to_fill_in_and_never_overwrites(capsys, tmp_path):
    folder = tmp_path / "d"
    assert deck_cmd(capsys, "new", folder)[0] == 0
    _, problems = check_deck(str(folder))
    assert problems[0].field == "name" and problems[0].incomplete
    code, _, err = deck_cmd(capsys, "new", folder, "--name", "x")
    assert code == 1 and "already exists and is not empty; add --force" in err


# ---------------------------------------------------------------- from-csv (spreadsheet route)


SHEET = [
    "かな,読み札,題,解説,緯度,経度",
    "あ,あさの川(かわ)　ひかる,あさひばし,川(かわ)にかかる　はしです,36.1,139.2",
    "い,,いけ,,,",
    "う,うめのはな,うめ,,36.2,139.3",
]


def test_from_csv_builds_a_deck_with_texts_and_images(capsys, tmp_path, pictures):
    images = tmp_path / "imgs"
    images.mkdir()
    (images / "1a.png").write_bytes(pictures["png"])
    (images / "02B.JPG").write_bytes(pictures["jpeg"])
    (images / "9a.jpg").write_bytes(pictures["small"])
    (images / "memo.txt").write_text("x")
    csv = write_csv(tmp_path / "cards.csv", SHEET, encoding="utf-8-sig")
    out = tmp_path / "midori"
    code, stdout, err = deck_cmd(capsys, "from-csv", "--csv", csv, "--images", images, "--out", out,
                                 "--name", "みどり町(ちょう)かるた", "--licence", "CC BY 4.0")
    assert code == 0, err
    deck = load_deck(str(out))
    a, i, u = deck.cards
    assert (a.reading, a.explanation, a.lat, a.image("picture")) == (
        "あさの川(かわ)　ひかる", "川(かわ)にかかる　はしです", 36.1, "images/01a.jpg")
    assert (i.reading, i.image("reading"), i.title) == ("", "images/02b.jpg", "いけ")
    assert not u.images and u.reading_kana == "うめのはな"
    assert f"  images for card 9 but no row with that number in {csv}: not used" in stdout
    assert deck_cmd(capsys, "validate", out)[0] == 0


def test_from_csv_reports_problems_by_line(capsys, tmp_path):
    rows = ["kana,reading,title", "あ,かわのおと,かわ", "い,,", "う,うめ(うめ,うめ"]
    csv = write_csv(tmp_path / "cards.csv", rows, encoding="cp932")
    code, _, err = deck_cmd(capsys, "from-csv", "--csv", csv, "--out", tmp_path / "d", "--name", "x")
    assert code == 1
    assert err.splitlines()[1:4] == [
        f"  {csv}: line 2 (card 1, あ): reading: starts with 「か」 but the card's kana is 「あ」",
        f"  {csv}: line 3 (card 2, い): reading: is empty and there is no reading-card image (images.reading): "
        "a card needs one or the other",
        f"  {csv}: line 3 (card 2, い): title: is empty and there is no picture-card image (images.picture): "
        "a card needs one or the other",
    ]
    assert "line 4 (card 3, う): reading: furigana markup: unmatched 「(」" in err
    assert not (tmp_path / "d").exists()


def test_from_csv_needs_its_columns(capsys, tmp_path):
    csv = write_csv(tmp_path / "c.csv", ["no,いろは,lat,lon,url", "1,あ,36,139,"])
    code, _, err = deck_cmd(capsys, "from-csv", "--csv", csv, "--out", tmp_path / "d")
    assert code == 1 and "expected kana, reading, title, explanation, lat, lon (and optionally no, url): " \
                         "at least kana, and reading or title" in err


# ---------------------------------------------------------------- the game sees imported decks


def test_the_game_lists_an_imported_deck_and_a_broken_one(capsys, inputs, make_app):
    assert do_import(capsys, inputs)[0] == 0
    broken = inputs["decks"] / "broken"
    broken.mkdir()
    (broken / "deck.yaml").write_text('id: broken\nname: "x"\ncards:\n  - {number: 1, kana: あ}\n', encoding="utf-8")
    d = make_app("--decks-dir", str(inputs["decks"]), "--scene", "title")
    d.press("decks")
    picker = d.app.scenes.top
    assert isinstance(picker, DeckPickerScene)
    shown = {entry.id: (btn is not None, entry.problems) for btn, entry in picker.rows}
    assert shown["shimokawabuchi"][0] and not shown["broken"][0]
    assert str(shown["broken"][1][0]) == ("broken/deck.yaml: card 1 (あ): reading: is empty and there is no "
                                          "reading-card image (images.reading): a card needs one or the other")
    d.press("deck:shimokawabuchi")
    assert d.app.deck.id == "shimokawabuchi"
    d.press("gallery")
    d.frames(1)
    rect, card = d.app.scenes.top.card_rects()[0]
    # the picture card shows the imported image (the fixture's red), not a drawn face
    pixel = d.app.screen.get_at(rect.center)
    assert card.number == 1 and abs(pixel.r - 200) < 20 and pixel.g < 70 and pixel.b < 70
    pygame.event.clear()
