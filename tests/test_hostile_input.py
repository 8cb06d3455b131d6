"""Issue 17, case by case: decks made to hurt, save data in every broken state, tools given what a
clumsy hand gives them. Each numbered case of the issue has its test here; the fuzz tests
(test_fuzz_deck.py, test_fuzz_storage.py) cover the same classes with generated input.

Everything runs against the real parts: PyYAML, Pillow and pygame's own decoder, the real file
system (links, FIFOs, /dev/zero), the real command lines. The one stand-in is the read-only data
folder: the tests run as root here, who may write anywhere, so a Platform that refuses writes
plays that folder (said where it is used).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import zipfile
import struct
import zlib
from pathlib import Path

import pygame
import pytest
from PIL import Image

from karuta.app.platform import Platform
from karuta.app.settings import DEFAULTS, Settings
from karuta.app.storage import MAX_RECORD, Store, _checksum
from karuta.app.text import Fonts
from karuta.engine.deck import (MAX_DECK_FILE_BYTES, DeckError, check_deck, deck_files, discover_decks,
                                load_deck)
from karuta.tools import deck as deck_tool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "decks", "demo")
DEMO_YAML = Path(DEMO, "deck.yaml").read_text(encoding="utf-8")


def deck_text(name="テスト", **card) -> str:
    fields = {"number": 1, "kana": "あ", "reading": "あさの 川(かわ)", "title": "あさひばし"}
    fields.update(card)
    lines = ["format: 1", "id: t", f"name: {json.dumps(name, ensure_ascii=False)}", "cards:"]
    first = True
    for key, value in fields.items():
        lines.append(("  - " if first else "    ") + f"{key}: {json.dumps(value, ensure_ascii=False)}")
        first = False
    return "\n".join(lines) + "\n"


def make_deck(folder, text: str | None = None, **card):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "deck.yaml"), "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write(text if text is not None else deck_text(**card))
    return str(folder)


def validate(capsys, *paths) -> tuple[int, str, str]:
    code = deck_tool.run(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def png_bytes(size=(60, 84), colour=(200, 40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes(size=(60, 84)) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buf, "JPEG", quality=90)
    return buf.getvalue()


def image_size(path) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size


# ---------------------------------------------------------------- 1. alias bomb, huge deck.yaml


ALIAS_BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    + ["id: bomb", "name: bomb", "cards: []", "format: *a8"]) + "\n"


def test_1_a_yaml_alias_bomb_is_refused_at_its_first_alias(tmp_path, capsys):
    assert len(ALIAS_BOMB) < 1500  # 9^9 items once expanded: the 1.3 KB file of the issue
    folder = make_deck(tmp_path / "decks" / "bomb", ALIAS_BOMB)
    deck, problems = check_deck(folder)
    assert deck is None
    assert [(p.field, p.message) for p in problems] == [
        ("line 2", "not valid YAML: an alias (*a0) repeats another value; a deck may not use anchors and "
                   "aliases: write each value out")]
    code, out, _ = validate(capsys, folder)
    assert code == 1 and "an alias (*a0)" in out
    # beside the demo deck, the game finds the demo and lists the bomb as unusable
    make_deck(tmp_path / "decks" / "demo", DEMO_YAML)
    entries = {e.id: e for e in discover_decks(tmp_path / "decks")}
    assert entries["bomb"].deck is None and entries["demo"].deck is not None


def test_1_a_deck_yaml_over_the_size_limit_is_refused_unread(tmp_path):
    text = deck_text(explanation="あ" * 100) + "# " + "x" * MAX_DECK_FILE_BYTES + "\n"
    deck, problems = check_deck(make_deck(tmp_path / "big", text))
    assert deck is None
    assert [(p.field, p.message) for p in problems] == [
        ("file", "larger than 1000 KB; a deck's texts fit in far less (are images or other data pasted into it?)")]


# ---------------------------------------------------------------- 2. NUL, control characters, lone surrogates


@pytest.mark.parametrize("field", ["name", "district", "reading", "title", "explanation"])
def test_2_a_nul_in_any_deck_text_is_refused_by_validate(tmp_path, capsys, field):
    bad = "あさの\x00川(かわ)"
    text = deck_text(name=bad) if field == "name" else (
        deck_text().replace("cards:", f"district: {json.dumps(bad)}\ncards:") if field == "district"
        else deck_text(**{field: bad}))
    folder = make_deck(tmp_path / "d", text)
    deck, problems = check_deck(folder)
    assert deck is None
    assert [p.field for p in problems] == [field]
    assert problems[0].message == "contains a NUL character (U+0000) at character 4: remove it"
    code, out, err = validate(capsys, folder)
    assert code == 1 and "NUL character" in out


def test_2_a_lone_surrogate_is_reported_not_a_crash_of_validate(tmp_path, capsys):
    folder = make_deck(tmp_path / "d", deck_text().replace('"あさひばし"', '"あさ\\ud800ばし"'))
    deck, problems = check_deck(folder)
    assert deck is None and problems[0].field == "title"
    assert "unpaired surrogate (U+D800) at character 3" in problems[0].message
    code, out, err = validate(capsys, folder)
    assert code == 1  # was 3: UnicodeEncodeError while printing
    out.encode("utf-8")


def test_2_control_characters_line_breaks_and_overlong_texts_are_refused(tmp_path):
    cases = {"\x07": "invisible control character (U+0007)", "a\nb": "line break",
             "a\u2028b": "line break", "x" * 81: "is 81 characters long; at most 80"}
    for value, expected in cases.items():
        deck, problems = check_deck(make_deck(tmp_path / "d", title=value))
        assert deck is None and expected in problems[0].message, (value, problems)


def test_2_the_font_renderer_survives_a_text_that_comes_from_elsewhere():
    pygame.font.init()
    fonts = Fonts()
    for text in ("a\x00b", "x\ud800y", "\x07"):
        fonts.render(text, 20)
        fonts.ruby(text, 20, max_width=200)
        fonts.paragraph(text, 20, 200)
        fonts.size(text, 20)


def test_2_a_bad_folder_name_or_key_gives_a_printable_problem(tmp_path):
    folder = make_deck(tmp_path / "d", deck_text() + "\"\\x01bad\\ud800\": 1\n")
    deck, problems = check_deck(folder)
    assert deck is None and problems[0].field == "\\x01bad\\ud800"
    str(problems[0]).encode("utf-8")


# ---------------------------------------------------------------- 3. nothing from outside the deck


@pytest.fixture
def linked(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    return secret


def test_3_a_conventional_recording_linked_to_outside_is_refused(tmp_path, linked):
    folder = make_deck(tmp_path / "d")
    os.mkdir(os.path.join(folder, "audio"))
    os.symlink(linked, os.path.join(folder, "audio", "1.ogg"))
    deck, problems = check_deck(folder)
    assert deck is None
    assert [(p.field, p.message) for p in problems] == [(
        "audio/1.ogg", "is a link to a file outside the deck folder; put the file itself in the deck folder "
                       "(a file named like a card's recording is used by the game)")]


def test_3_an_images_folder_that_is_a_link_to_outside_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "01a.png").write_bytes(png_bytes())
    folder = make_deck(tmp_path / "d")
    os.symlink(outside, os.path.join(folder, "images"))
    deck, problems = check_deck(folder)
    assert deck is None and problems[0].field == "images.picture"
    assert "images/01a.png is a link to a file outside the deck folder" in problems[0].message


def test_3_a_fifo_or_a_folder_named_like_a_card_file_is_refused(tmp_path):
    folder = make_deck(tmp_path / "d", **{"images": {"picture": "images/pic.png"}})
    os.mkdir(os.path.join(folder, "images"))
    os.mkfifo(os.path.join(folder, "images", "pic.png"))
    deck, problems = check_deck(folder)
    assert deck is None
    assert problems[0].message == ("'images/pic.png' is not a regular file (a pipe, socket or device); "
                                   "put a real file there")


def test_3_deck_files_lists_only_regular_files_inside_and_the_build_uses_it(tmp_path, linked):
    folder = make_deck(tmp_path / "d")
    os.mkdir(os.path.join(folder, "images"))
    (tmp_path / "d" / "images" / "01a.png").write_bytes(png_bytes())
    deck = load_deck(folder)
    assert deck_files(deck) == ["images/01a.png"]
    # the file is swapped for a link after validation (between validate and build-web)
    os.unlink(os.path.join(folder, "images", "01a.png"))
    os.symlink(linked, os.path.join(folder, "images", "01a.png"))
    with pytest.raises(DeckError) as caught:
        deck_files(deck)
    assert "images/01a.png: is a link to a file outside the deck folder" in str(caught.value)
    from karuta.tools.web.decks import stage_deck
    from karuta.tools.web.errors import BuildError
    from karuta.tools.web.stage import Stage

    stage = Stage(tmp_path / "stage")
    with pytest.raises(BuildError) as built:
        stage_deck(stage, deck)
    assert "images/01a.png: is a link to a file outside the deck folder" in str(built.value)
    assert not any(p.is_file() and p.read_text(errors="replace").startswith("root:")
                   for p in (tmp_path / "stage").rglob("*"))


# ---------------------------------------------------------------- 4. save data in any state


def record(key: str, data) -> str:
    """A checksum-valid record holding ``data`` (written as the game writes, but allowing NaN)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return json.dumps({"magic": "karuta-save", "v": 1, "key": key, "sum": _checksum(payload), "data": payload})


def test_4_a_folder_in_place_of_the_settings_file_is_moved_aside_and_the_game_saves_again(tmp_path, make_app):
    data = tmp_path / "data"
    (data / "settings.json").mkdir(parents=True)
    (data / "settings.json" / "mine.txt").write_text("a person's file")
    driver = make_app("--scene", "settings")
    driver.frames(2)
    assert any("はじめから" in m for m, _ in driver.app._toasts)
    moved = [p for p in data.iterdir() if p.name.startswith("settings.json.folder-")]
    assert len(moved) == 1 and (moved[0] / "mine.txt").read_text() == "a person's file"
    driver.app.settings.set("volume", 0.3)
    assert Settings(Store(Platform(str(data)))).get("volume") == 0.3


class ReadOnlyPlatform(Platform):
    """Stand-in for a read-only data folder (the suite runs as root, who can write to any folder)."""

    def storage_set(self, key, value):
        raise PermissionError(13, "Permission denied")

    def storage_delete(self, key):
        raise PermissionError(13, "Permission denied")


def test_4_a_read_only_folder_with_a_corrupt_settings_file_still_starts(tmp_path):
    platform = Platform(str(tmp_path))
    platform.storage_set("settings", "{ not json")
    platform.storage_set("settings.bak", record("settings", {"volume": 0.2}))
    store = Store(ReadOnlyPlatform(str(tmp_path)))
    settings = Settings(store)
    assert settings.get("volume") == 0.2  # the last good copy, for this session at least
    settings.set("volume", 0.5)  # cannot be written: a notice, not an exception
    assert any("ほぞんできませんでした" in n for n in store.take_notices())
    (tmp_path / "settings.bak.json").unlink()
    store = Store(ReadOnlyPlatform(str(tmp_path)))
    assert Settings(store).get("volume") == DEFAULTS["volume"]
    assert any("はじめから" in n for n in store.notices)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e308, -5, "loud", [1], {"a": 1}, True])
def test_4_a_nonsensical_volume_is_reset_with_a_notice_and_the_settings_screen_draws(tmp_path, make_app, value):
    data = tmp_path / "data"
    Platform(str(data)).storage_set("settings", record("settings", {"volume": value, "voice_rate": 1.2}))
    driver = make_app("--scene", "settings")
    driver.frames(3)
    assert driver.app.settings.get("volume") == DEFAULTS["volume"]
    shown = [m for m, _ in driver.app._toasts]
    if isinstance(value, float) and value != value or value == float("inf"):
        # NaN and infinity are not JSON this game writes: the whole record is unusable (no copy to restore)
        assert driver.app.settings.values == DEFAULTS and shown == ["ほぞんデータ（せってい）がよめなかったので、はじめからにしました。"]
    else:
        assert driver.app.settings.get("voice_rate") == 1.2  # what was fine is kept
        assert shown == ["せっていの いくつかが おかしかったので、もとに もどしました。"]


def test_4_deeply_nested_and_oversize_records_start_with_defaults_and_saving_works_again(tmp_path):
    platform = Platform(str(tmp_path))
    nested = "[" * 100_000 + "]" * 100_000
    raw = json.dumps({"magic": "karuta-save", "v": 1, "key": "settings", "sum": _checksum(nested), "data": nested})
    platform.storage_set("settings", raw)
    store = Store(platform)
    assert Settings(store).values == DEFAULTS
    assert any("はじめから" in n for n in store.notices)
    platform.storage_set("settings", record("settings", {"deck": "demo", "junk": "x" * (10 * 1024 * 1024)}))
    store = Store(platform)
    settings = Settings(store)
    assert settings.values == DEFAULTS
    settings.set("volume", 0.4)  # a 10 MB record no longer blocks saving
    assert Settings(Store(platform)).get("volume") == 0.4
    assert os.path.getsize(tmp_path / "settings.json") < MAX_RECORD


def test_4_a_failed_save_is_not_logged_as_a_reset(tmp_path, capsys):
    store = Store(ReadOnlyPlatform(str(tmp_path)))
    assert store.save("settings", {"volume": 0.5}) is False
    err = capsys.readouterr().err
    assert "not saved; the copy saved before is kept" in err and "using defaults" not in err


# ---------------------------------------------------------------- 5. images decoded in full


def test_5_a_png_whose_image_data_ends_early_is_reported_by_validate(tmp_path, capsys):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    w, h = 60, 84
    rows = b"".join(b"\x00" + bytes([i]) * w * 3 for i in range(h // 2))  # half the rows: a valid zlib stream
    short = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
             + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    folder = make_deck(tmp_path / "d")
    os.mkdir(os.path.join(folder, "images"))
    (tmp_path / "d" / "images" / "01a.png").write_bytes(short)
    code, out, _ = validate(capsys, folder)
    assert code == 1
    assert ("card 1 (あ): images.picture: images/01a.png: the image is damaged and the game cannot show it "
            "(libpng error: Not enough image data)") in out


def test_5_a_jpeg_cut_short_is_reported_as_damaged(tmp_path, capsys):
    folder = make_deck(tmp_path / "d")
    os.mkdir(os.path.join(folder, "images"))
    (tmp_path / "d" / "images" / "01a.jpg").write_bytes(jpeg_bytes()[:300])
    code, out, _ = validate(capsys, folder)
    assert code == 1 and "images/01a.jpg: a damaged JPEG image (its header cannot be read" in out
    (tmp_path / "d" / "images" / "01a.jpg").write_bytes(jpeg_bytes()[:-400])
    code, out, _ = validate(capsys, folder)
    assert code == 1 and "images/01a.jpg: the image is damaged and cannot be decoded (image file is truncated" in out


# ---------------------------------------------------------------- 6. --force loses nothing


def open_data_zip(path, entries: dict) -> str:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return str(path)


def test_6_import_force_keeps_files_a_person_added(tmp_path, capsys):
    z = open_data_zip(tmp_path / "in.zip", {"k/01a.jpg": jpeg_bytes(), "k/01b.jpg": jpeg_bytes()})
    out = tmp_path / "decks" / "k"
    (tmp_path / "decks").mkdir()
    assert deck_tool.run(["import", "--zip", z, "--out", str(out), "--quiet"]) == 0
    (out / "images" / "custom.png").write_bytes(png_bytes())          # a person's own picture
    (out / "images" / "01a.png").write_bytes(png_bytes((600, 840)))  # a better original, named like a card image
    capsys.readouterr()
    assert deck_tool.run(["import", "--zip", z, "--out", str(out), "--quiet", "--force"]) == 0
    printed = capsys.readouterr().out
    assert (out / "images" / "custom.png").read_bytes() == png_bytes()
    kept = [p for p in out.iterdir() if p.name.startswith("kept-")]
    assert len(kept) == 1 and image_size(kept[0] / "images" / "01a.png") == (600, 840)
    assert f"Kept 1 file this tool did not make (or that were changed since): moved to {kept[0]}" in printed
    assert load_deck(str(out)).cards[0].image("picture") == "images/01a.jpg"


def test_6_from_csv_over_its_own_images_keeps_the_originals(tmp_path, capsys):
    deck = tmp_path / "decks" / "k"
    (deck / "images").mkdir(parents=True)
    (deck / "deck.yaml").write_text(deck_text())
    big = jpeg_bytes((1200, 1800))
    (deck / "images" / "01a.jpg").write_bytes(big)
    (deck / "images" / "01b.jpg").write_bytes(big)
    (deck / "cards.csv").write_text("kana,reading,title\nあ,あさの 川(かわ),あさひばし\n", encoding="utf-8")
    code = deck_tool.run(["from-csv", "--csv", str(deck / "cards.csv"), "--images", str(deck / "images"),
                          "--out", str(deck), "--name", "テスト", "--force", "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    kept = [p for p in deck.iterdir() if p.name.startswith("kept-")]
    assert len(kept) == 1
    assert (kept[0] / "images" / "01a.jpg").read_bytes() == big and (kept[0] / "images" / "01b.jpg").read_bytes() == big
    assert image_size(deck / "images" / "01a.jpg")[1] <= 600
    assert "Kept 3 files" in printed and "nothing was deleted" in printed  # the two originals and the old deck.yaml
    assert (deck / "cards.csv").exists()


def test_6_deck_new_force_keeps_the_images_and_recordings(tmp_path, capsys):
    folder = tmp_path / "decks" / "k"
    (tmp_path / "decks").mkdir()
    assert deck_tool.run(["new", str(folder), "--name", "テスト"]) == 0
    (folder / "images" / "01a.png").write_bytes(png_bytes())
    (folder / "audio" / "1.ogg").write_bytes(b"OggS recording")
    capsys.readouterr()
    assert deck_tool.run(["new", str(folder), "--name", "あたらしい", "--force"]) == 0
    assert (folder / "images" / "01a.png").read_bytes() == png_bytes()
    assert (folder / "audio" / "1.ogg").read_bytes() == b"OggS recording"
    assert "Kept" not in capsys.readouterr().out  # the old deck.yaml was the tool's own, unchanged


# ---------------------------------------------------------------- 7. no hangs on what is not a file


def run_cli(*argv, timeout=60) -> subprocess.CompletedProcess:
    """The real command line in a child process: a regression that blocks fails here instead of hanging."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    return subprocess.run([sys.executable, "-m", "karuta", *map(str, argv)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)


def test_7_a_fifo_or_a_device_as_input_is_refused_at_once_in_one_line(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    images = tmp_path / "imgs"
    images.mkdir()
    os.mkfifo(images / "01a.jpg")
    (tmp_path / "cards.csv").write_text("kana,reading,title\nあ,あさ,あさ\n", encoding="utf-8")
    cases = [
        (["deck", "import", "--zip", fifo, "--out", tmp_path / "o1"], f"{fifo}: is a named pipe (FIFO), not a "
                                                                       "regular file; give the ZIP file itself"),
        (["deck", "import", "--zip", "/dev/zero", "--out", tmp_path / "o2"], "/dev/zero: is a device or socket"),
        (["deck", "from-csv", "--csv", fifo, "--out", tmp_path / "o3"], f"{fifo}: is a named pipe (FIFO)"),
        (["deck", "from-csv", "--csv", "/dev/zero", "--out", tmp_path / "o4"], "/dev/zero: is a device or socket"),
        (["deck", "from-csv", "--csv", tmp_path / "cards.csv", "--images", images, "--out", tmp_path / "o5"],
         f"{images}/01a.jpg: is a named pipe (FIFO), not a regular file; give the image file itself"),
    ]
    for argv, expected in cases:
        done = run_cli(*argv)
        assert done.returncode == 1, (argv, done.stderr)
        assert expected in done.stderr.splitlines()[0], (argv, done.stderr)
        assert "Traceback" not in done.stderr
    assert not any((tmp_path / f"o{i}").exists() for i in range(1, 6))
    # a deck whose deck.yaml is a FIFO: validate (and the game's deck search) refuse it without opening it
    deck = tmp_path / "fifodeck"
    deck.mkdir()
    os.mkfifo(deck / "deck.yaml")
    done = run_cli("deck", "validate", deck)
    assert done.returncode == 1 and ("deck.yaml: file: is not a regular file (a pipe, socket or device)"
                                     in done.stdout), done.stdout + done.stderr


# ---------------------------------------------------------------- 8. --screenshot


@pytest.mark.parametrize("where, expected", [
    ("missing/shot.png", "the folder {tmp}/missing does not exist; create it first"),
    ("", "is a folder; give a file name, e.g. out.png"),
])
def test_8_a_bad_screenshot_path_is_one_line_before_the_run(tmp_path, capsys, where, expected):
    from karuta.app import game

    path = str(tmp_path / where) if where else str(tmp_path)
    code = asyncio.run(game.main(["--headless", "--frames", "600", "--screenshot", path,
                                  "--data-dir", str(tmp_path / "data")]))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"karuta: --screenshot {path}: {expected.format(tmp=tmp_path)}"
    assert not (tmp_path / "data").exists()  # refused before the game started


# ---------------------------------------------------------------- 10. messages that say what is wrong


def test_10_a_truncated_zip_says_it_is_damaged(tmp_path, capsys):
    z = open_data_zip(tmp_path / "in.zip", {"k/01a.jpg": jpeg_bytes(), "k/01b.jpg": jpeg_bytes()})
    data = Path(z).read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) * 2 // 3])
    code = deck_tool.run(["import", "--zip", str(tmp_path / "cut.zip"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1
    assert ("cut.zip: a damaged ZIP file (it starts like a ZIP but its list of files is missing or broken: was "
            "the download cut short?); download it again") in err


def test_10_a_zip_holding_the_same_name_twice_says_so(tmp_path, capsys):
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("karuta/01a.jpg", jpeg_bytes())
        with pytest.warns(UserWarning):
            z.writestr("karuta/01a.jpg", jpeg_bytes())
    code = deck_tool.run(["import", "--zip", str(path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1 and "karuta/01a.jpg is in the ZIP twice (two entries with the same name" in err


def test_10_a_truncated_jpeg_in_a_zip_says_damaged_not_not_a_jpeg(tmp_path, capsys):
    z = open_data_zip(tmp_path / "in.zip", {"k/01a.jpg": jpeg_bytes()[:10], "k/01b.jpg": jpeg_bytes()})
    code = deck_tool.run(["import", "--zip", z, "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "k/01a.jpg: a damaged JPEG image" in err and "not a JPEG" not in err


def test_10_a_csv_with_one_nul_names_its_line(tmp_path, capsys):
    (tmp_path / "c.csv").write_bytes("kana,reading,title\nあ,あさ,あさ\nい,い\x00け,いけ\n".encode("utf-8"))
    code = deck_tool.run(["from-csv", "--csv", str(tmp_path / "c.csv"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1 and "c.csv: line 3: contains a NUL character" in err


def test_10_from_csv_lists_every_bad_location(tmp_path, capsys):
    rows = ["kana,reading,title,lat,lon", "あ,あさ,あさ,north,139", "い,いけ,いけ,36.3,139.1", "う,うみ,うみ,36,east"]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code = deck_tool.run(["from-csv", "--csv", str(tmp_path / "c.csv"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1
    assert "2 rows with a location that is not two decimal numbers" in err
    assert "line 2: lat, lon 「north, 139」" in err and "line 4: lat, lon 「36, east」" in err


def test_10_a_quoted_number_says_to_remove_the_quotes(tmp_path):
    deck, problems = check_deck(make_deck(tmp_path / "d", number="1"))
    assert str(problems[0]).endswith("""cards[1]: number: "1" is text (in quotes); write the number without """
                                     "quotes: number: 1")


def test_10_a_reading_that_starts_with_no_kana_is_refused(tmp_path):
    deck, problems = check_deck(make_deck(tmp_path / "d", reading="123"))
    assert deck is None
    assert problems[0].message.startswith("starts with 「1」, not with a kana: a reading starts with its card's "
                                          "kana 「あ」")
    deck, problems = check_deck(make_deck(tmp_path / "e", reading="｜123(あいうえ)"))
    assert deck is not None, problems


def test_10_two_folders_with_one_deck_id_are_told_apart(tmp_path, capsys):
    root = tmp_path / "decks"
    demo = DEMO_YAML
    make_deck(root / "demo", demo)
    make_deck(root / "demo-copy", demo)
    entries = discover_decks(root)
    assert [(os.path.basename(e.folder), e.deck is not None) for e in entries] == [("demo", True),
                                                                                   ("demo-copy", False)]
    assert str(entries[1].problems[0]) == (
        "demo-copy/deck.yaml: id: demo is taken by the deck in folder demo; give this deck another id, e.g. demo-copy")
    code, out, _ = validate(capsys, root / "demo", root / "demo-copy")
    assert code == 1 and out.splitlines()[-1] == (
        f"{root / 'demo-copy' / 'deck.yaml'}: id: demo is taken by the deck in folder demo; give this deck another "
        "id, e.g. demo-copy")
    from karuta.app import game

    code = asyncio.run(game.main(["--headless", "--frames", "1", "--decks-dir", str(root), "--deck", "nope",
                                  "--data-dir", str(tmp_path / "data")]))
    assert code == 2 and "(valid: demo)" in capsys.readouterr().err
