"""Deck problems in the facilitator's language: English templates in the engine, Japanese from the catalog.

The engine's problems are Message templates (karuta/engine/messages.py) shown through the translator a
tool installs (karuta/tools/i18n.py); the game installs none and shows them as written.
"""

from __future__ import annotations

import copy
import gettext
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from karuta.engine import messages
from karuta.engine.deck import Problem, check_deck, deck_from_data, same_id
from karuta.engine.messages import N_, Message
from karuta.tools import i18n
from tool_locales import ROOT, ToolRun, check_japanese, english_sentences, japanese_lines, run_tool, tool_env

DEMO = yaml.safe_load(Path(ROOT, "decks", "demo", "deck.yaml").read_text(encoding="utf-8"))

BROKEN = """\
format: 1
id: Broken Deck
name: こわれたデッキ
licence: TODO
cards:
  - number: 1
    kana: あ
    reading: すいか
    title: 12
    lat: 200
    lon: 139
    images: {picture: images/missing.png}
  - number: "2"
    kana: い
  - number: 3
    kana: ア
    reading: あめ
    titel: x
"""

# `karuta deck validate` in English, exactly as before the messages became translatable.
ENGLISH = """\
{f}: id: 'Broken Deck' must be lower-case letters, digits, - or _ (at most 40), e.g. shimokawabuchi
{f}: licence: still a placeholder (TODO): fill it in
{f}: card 1 (あ): lat: 200 is not a latitude
{f}: card 1 (あ): images.picture: file not found: images/missing.png
{f}: card 1 (あ): reading: starts with 「す」 but the card's kana is 「あ」
{f}: cards[2]: number: "2" is text (in quotes); write the number without quotes: number: 2
{f}: card 3 (ア): kana: ア is not in the deck's kana order (write it in hiragana: あ)
{f}: card 3 (ア): title: is empty and there is no picture-card image (images.picture): a card needs one or the other
{f}: card 3 (ア): titel: unknown field (a typo?); known fields: audio, explanation, furigana_to_check, images, kana, \
lat, lon, number, reading, title, url
"""


@pytest.fixture
def japanese():
    """The engine's messages through the real Japanese catalog (as a tool under LANG=ja_JP.UTF-8 has them)."""
    catalog = gettext.translation(i18n.DOMAIN, str(i18n.LOCALE_DIR), languages=["ja"])
    messages.set_translator(catalog.gettext)
    try:
        yield
    finally:
        messages.set_translator(None)


def test_validate_prints_each_problem_in_japanese_naming_file_card_and_field(tmp_path):
    deck = tmp_path / "broken"
    (deck / "images").mkdir(parents=True)
    (deck / "deck.yaml").write_text(BROKEN, encoding="utf-8")
    en = run_tool(["deck", "validate", str(deck)], "C.UTF-8")
    ja = run_tool(["deck", "validate", str(deck)], "ja_JP.UTF-8")
    assert en.returncode == ja.returncode == 1
    label = deck / "deck.yaml"
    assert en.stdout == ENGLISH.format(f=label)
    lines = ja.stdout.splitlines()
    assert len(lines) == len(en.stdout.splitlines())
    assert f"{label}: カード 1（あ）: lat: 200 は緯度として正しくありません" in lines
    assert f"{label}: カード 3（ア）: kana: ア はデッキのかなの順（kana_order）にありません（ひらがなで書いてください: あ）" in lines
    assert f"{label}: id: 'Broken Deck' は使えません。" in ja.stdout
    assert all(line.startswith(f"{label}: ") for line in lines)
    # the problem lines only: the summary after them is tools/deck.py's own line
    check_japanese(ToolRun(ja.lang, ja.returncode, ja.stdout, ""))


def _broken_decks():
    """Deck data with one thing wrong each, together reaching most of the checker's messages."""
    def demo(**changes):
        data = copy.deepcopy(DEMO)
        for key, value in changes.items():
            if key.startswith("card_"):
                data["cards"][0][key[5:]] = value
            else:
                data[key] = value
        return data

    yield []
    yield None
    yield {"id": "x"}
    yield demo(format=2, id=None, source_url="ftp://x", demo_locations="yes", kana_order="abc")
    yield demo(kana_order=["あ", "あ"], link_secret=["x"], district="a\x00b", licence="x" * 300)
    yield demo(cards=None)
    yield demo(cards={"a": 1})
    yield demo(cards=[])
    yield demo(cards=[5, {"number": 0}, {"number": "7"}, {}])
    yield demo(bogus=1, map="x")
    yield demo(map={"image": "", "north": "n", "south": [1], "zzz": 1})
    yield demo(map={"image": "map.png", "north": 1.0, "south": 0.0, "west": 0.0, "east": 1.0, "attribution": "x"})
    yield demo(card_kana=None, card_reading="TODO", card_title={"a": 1}, card_url="ftp://x")
    yield demo(card_kana="かか", card_lat="TODO", card_images="x", card_furigana_to_check=[1])
    yield demo(card_kana="ア", card_lat=1.0, card_images={"back": "x.png", "picture": "../x.png"})
    yield demo(card_lat=100, card_lon=500, card_audio="x.mp3", card_furigana_to_check={"foo": 1, "title": 2})
    yield demo(card_reading="いぬ\nいぬ", card_explanation="\ud800", card_title="\x01", card_zzz=1,
               card_images={"picture": 5, "reading": "x" * 400})
    yield demo(card_reading="1ねん", card_title="", card_images={})
    yield demo(id="Demo Deck", card_reading="", card_lon=1.0, card_title=True, card_explanation=None,
               card_images={"reading": "images/none.png", "picture": "IMAGES/02A.PNG", "explanation": "images"})
    yield demo(name="", card_reading="かに", card_audio="audio", card_lat=None)
    yield demo(card_reading=" ", card_url="ftp://x",
               card_images={"picture": "images/02a.png", "reading": "images/dir.png", "explanation": "images/gone.png"})
    yield demo(map={"image": "map2.png", "north": 1.0, "south": 0.0, "west": 0.0, "east": 3.0, "attribution": "x"})
    twice = demo()
    twice["cards"].append(copy.deepcopy(twice["cards"][0]))
    yield twice
    yield {"id": "x", "name": "x", "cards": [{"number": n, "kana": k, "reading": k} for n, k in ((2, "い"), (3, "う"))]}


def _templates(message: Message) -> set[str]:
    found = {message.template}
    for _name, value in message.args:
        if isinstance(value, Message):
            found |= _templates(value)
    return found


def test_every_problem_the_checker_reports_has_a_japanese_translation(japanese, tmp_path):
    """A message added without N_() (or missing from the catalog) shows up here in English."""
    (tmp_path / "images").mkdir()
    os.symlink("/etc/hostname", tmp_path / "images" / "01a.png")
    (tmp_path / "images" / "02a.png").write_bytes(b"")  # card 2's picture twice, by the file naming rule
    (tmp_path / "images" / "2a.jpg").write_bytes(b"")
    os.mkfifo(tmp_path / "images" / "03c.png")  # a pipe named like card 3's explanation image
    (tmp_path / "audio").mkdir()
    os.symlink("/etc/hostname", tmp_path / "audio" / "3.ogg")
    (tmp_path / "images" / "dir.png").mkdir()
    os.symlink(tmp_path / "nowhere.png", tmp_path / "images" / "gone.png")
    (tmp_path / "map.png").write_bytes(b"")
    # a PNG header saying 10 x 10 px: all the engine reads of a map picture
    (tmp_path / "map2.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + struct.pack(">II", 10, 10) + bytes(8))
    templates: set[str] = set()
    for data in _broken_decks():
        for check_files in (False, True):
            deck, problems = deck_from_data(data, str(tmp_path), "decks/x/deck.yaml", check_files=check_files)
            assert deck is None and problems, data
            for p in problems:
                assert japanese_lines(p.message) and not english_sentences(p.message), str(p)
                templates |= _templates(p.what)
    assert len(templates) >= 65  # of the 70 the checker has (the rest: reading files, map pictures)


@pytest.mark.parametrize("name, content, field, japanese_part", [
    ("deck.yml", b"id: x\nname: \xff\n", "encoding", "UTF-8 の文字ではありません（12 バイト目）"),
    ("deck.yaml", b"id: x\nname: [\n", "3 行目", "正しい YAML ではありません: "),
    ("deck.yaml", b"a: &a [1]\nb: *a\n", "2 行目", "エイリアス（*a）で別の値をくり返しています"),
    ("deck.yaml", b"id: 2024-13-45\n", "yaml", "正しい YAML ではありません: 読めない値があります"),
    ("deck.yaml", b"x: [" * 5000, "yaml", "正しい YAML ではありません: 入れ子が深すぎます"),
    ("deck.json", b'{"id": ', "1 行目", "正しい JSON ではありません: "),
    ("deck.yaml", b"#" * 1_000_001, "file", "1000 KB より大きいファイルです"),
    (None, b"", "deck.yaml", "ファイルが見つかりません（デッキのフォルダーには deck.yaml が必要です）"),
])
def test_a_deck_file_that_cannot_be_read_is_reported_in_japanese(japanese, tmp_path, name, content, field,
                                                                 japanese_part):
    if name:
        (tmp_path / name).write_bytes(content)
    deck, problems = check_deck(tmp_path)
    assert deck is None and [p.field for p in problems] == [field]
    assert japanese_part in problems[0].message  # the reason after it may be the YAML or JSON reader's English


def test_the_game_shows_problems_as_written_without_any_catalog(tmp_path):
    """The game (and the browser build, which carries no .mo) never installs a translator."""
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "deck.yaml").write_text("id: broken\ncards: []\n", encoding="utf-8")
    code = ("import sys; from karuta.app import game; from karuta.engine.deck import discover_decks; "
            "print(*discover_decks(sys.argv[1])[0].problems, sep=chr(10)); "
            "assert 'karuta.tools.i18n' not in sys.modules")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=tool_env("ja_JP.UTF-8"), cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert out.splitlines() == ["broken/deck.yaml: name: missing", "broken/deck.yaml: cards: the list is empty"]


def test_a_problem_is_rendered_when_shown_not_when_made(japanese):
    """A problem made before the translator was installed is still shown in the user's language."""
    messages.set_translator(None)
    made = Problem("d/deck.yaml", "id", same_id("demo", "demo", "demo2"), 3, "あ")
    assert str(made) == ("d/deck.yaml: card 3 (あ): id: demo is taken by the deck in folder demo; give this deck "
                         "another id, e.g. demo2")
    catalog = gettext.translation(i18n.DOMAIN, str(i18n.LOCALE_DIR), languages=["ja"])
    messages.set_translator(catalog.gettext)
    assert str(made) == ("d/deck.yaml: カード 3（あ）: id: demo はフォルダー demo のデッキがすでに使っています。"
                         "このデッキには別の id をつけてください（例: demo2）")


def test_a_translation_that_drops_a_value_falls_back_to_english():
    """A stand-in translator with a broken template (the real catalog is checked by test_i18n)."""
    messages.set_translator(lambda template: "{nothing} です" if "{value}" in template else template)
    try:
        message = Message(N_("{value} is not a latitude"), value="200")
        assert str(message) == "200 is not a latitude"
    finally:
        messages.set_translator(None)


def test_plain_text_problems_from_tools_still_work(japanese):
    problem = Problem("d/deck.yaml", "images.picture", "cannot decode {this} image")
    assert problem.message == "cannot decode {this} image"
    _, problems = check_deck(os.path.join(ROOT, "decks", "demo"))
    assert problems == []
