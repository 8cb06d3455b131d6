"""deck.yaml contents tried on purpose: random YAML-able structures, mutated valid decks, odd file paths and
raw YAML text. Every input gives a Deck or a list of Problems naming the file and the field, never an
unhandled exception, and a path is only ever accepted inside the deck folder."""

from __future__ import annotations

import copy
import datetime
import math
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from karuta.engine.deck import (Deck, Problem, check_deck, deck_files, deck_from_data, deck_to_data, load_deck,
                                printable, unshowable)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABEL = "decks/fuzz/deck.yaml"
DEMO = yaml.safe_load(Path(ROOT, "decks", "demo", "deck.yaml").read_text(encoding="utf-8"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Scalars a spreadsheet export or a hand edit can produce: kana, markup, paths, numbers as text, placeholders.
_words = st.sampled_from(["あ", "い", "ん", "ア", "川(かわ)", "漢字(かんじ", "(", ")", "TODO", "todo: x",
                          "Todoroki", "",
                          " ", "images/01a.jpg", "../x.png", "/etc/passwd", "C:\\x.png", "a\x00b.png", "x.ogg",
                          "https://example.org/", "javascript:alert(1)", "36.3", "-999", "1e400", "nan", "aiueo",
                          "iroha", "iroha48", "picture", "reading", "explanation", "demo", "Demo Deck"])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), _words, st.text(max_size=40),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.binary(max_size=8),
)
keys = st.one_of(st.sampled_from(["id", "name", "cards", "number", "kana", "reading", "title", "explanation", "lat",
                                  "lon", "url", "images", "audio", "picture", "reading", "format", "kana_order",
                                  "demo_locations", "link_secret", "district"]), st.text(max_size=12),
                 st.integers(min_value=-5, max_value=5))
structures = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                           st.dictionaries(keys, inner, max_size=6)),
                          max_leaves=25)


def assert_contract(result, label=LABEL):
    """A Deck and no problems, or no Deck and problems that each name the file and the field."""
    assert isinstance(result, tuple) and len(result) == 2
    deck, problems = result
    assert isinstance(problems, list)
    if deck is not None:
        assert isinstance(deck, Deck) and problems == []
        numbers = [c.number for c in deck.cards]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
        assert len({c.kana for c in deck.cards}) == len(deck.cards)
        for card in deck.cards:
            for path in list(card.images.values()) + ([card.audio] if card.audio else []):
                assert not path.startswith(("/", "\\")) and ".." not in path.replace("\\", "/").split("/")
            if card.has_location:
                assert -90 <= card.lat <= 90 and -180 <= card.lon <= 180
                assert math.isfinite(card.lat) and math.isfinite(card.lon)
            for text in (card.reading, card.title, card.explanation, card.url, card.kana):
                assert unshowable(text) is None  # what validation accepts, every screen can draw
        for text in (deck.name, deck.district, deck.licence, deck.attribution, deck.source_url):
            assert unshowable(text) is None
    else:
        assert problems, "no deck and no reason"
        for p in problems:
            assert isinstance(p, Problem)
            assert p.file == printable(label)
            assert isinstance(p.field, str)  # may be "" only when the offending key itself is ""
            assert isinstance(p.message, str) and p.message.strip()
            text = str(p)
            assert text.startswith(printable(label)) and len(text) < 2000  # one line, not a dump of the input
            assert "\n" not in text and unshowable(text) is None
            text.encode("utf-8")  # printable in a terminal: no lone surrogate
    return deck, problems


@FUZZ
@given(structures)
@example(None)
@example([])
@example({"cards": [{}]})
@example({"id": "x", "name": "x", "cards": [{"number": True, "kana": "あ", "title": "t"}]})
def test_any_structure_gives_a_deck_or_named_problems(data):
    assert_contract(deck_from_data(data, "decks/fuzz", LABEL, check_files=False))


# -------------------------------------------------------------------- mutations of a real deck

_TOP_FIELDS = sorted(DEMO)
_CARD_FIELDS = ["number", "kana", "reading", "title", "explanation", "lat", "lon", "url", "images", "audio"]


@st.composite
def mutated_demo(draw):
    data = copy.deepcopy(DEMO)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(["top", "card", "drop_top", "drop_card_field", "dup_card", "swap", "truncate"]))
        cards = data.get("cards") if isinstance(data.get("cards"), list) else None
        if kind == "top":
            data[draw(st.sampled_from(_TOP_FIELDS + ["unknown"]))] = draw(structures)
        elif kind == "drop_top" and data:
            data.pop(draw(st.sampled_from(sorted(data))), None)
        elif cards and kind in ("card", "drop_card_field"):
            card = draw(st.sampled_from(cards))
            if isinstance(card, dict):
                field = draw(st.sampled_from(_CARD_FIELDS + ["nmber"]))
                if kind == "card":
                    card[field] = draw(structures)
                else:
                    card.pop(field, None)
        elif cards and kind == "dup_card":
            cards.append(copy.deepcopy(draw(st.sampled_from(cards))))
        elif cards and kind == "swap" and len(cards) > 1:
            i, j = draw(st.integers(0, len(cards) - 1)), draw(st.integers(0, len(cards) - 1))
            cards[i], cards[j] = cards[j], cards[i]
        elif cards and kind == "truncate":
            del cards[draw(st.integers(0, len(cards) - 1)):]
    return data


@FUZZ
@given(mutated_demo())
def test_a_mutated_real_deck_gives_a_deck_or_named_problems(data):
    deck, problems = assert_contract(deck_from_data(data, os.path.join(ROOT, "decks", "demo"), LABEL,
                                                    check_files=False))
    if deck is not None:  # what survived validation writes back out and reads in the same
        again, more = deck_from_data(deck_to_data(deck), deck.folder, LABEL, check_files=False)
        assert more == [] and again.cards == deck.cards


def test_the_unmutated_demo_deck_is_a_deck():
    deck, problems = deck_from_data(copy.deepcopy(DEMO), os.path.join(ROOT, "decks", "demo"), LABEL)
    assert problems == [] and len(deck.cards) == 44


# -------------------------------------------------------------------- paths on a real folder

_path_parts = st.sampled_from(["images", "..", ".", "", "ok.png", "ok.PNG", "link.png", "outside", "a b.jpg",
                               "x.jpeg", "%2e%2e", "~", "C:", "\\", "con.png", "ok.png\x00.jpg", "テスト.png"])
paths = st.one_of(st.lists(_path_parts, min_size=1, max_size=5).map("/".join),
                  st.lists(_path_parts, min_size=1, max_size=4).map("\\".join),
                  st.text(max_size=30), st.just("/etc/hosts"), st.just("images/link.png"))


@pytest.fixture(scope="module")
def folder_with_a_link(tmp_path_factory):
    base = tmp_path_factory.mktemp("decklink")
    outside = base / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    deck = base / "deck"
    (deck / "images").mkdir(parents=True)
    (deck / "images" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    try:
        os.symlink(outside, deck / "images" / "link.png")
    except (OSError, NotImplementedError):  # pragma: no cover - no symlinks on this system
        pass
    return str(deck)


@FUZZ
@given(picture=paths, audio=paths)
@example(picture="images/link.png", audio="")
@example(picture="images/../images/ok.png", audio="../../x.ogg")
def test_only_paths_inside_the_deck_folder_are_accepted(folder_with_a_link, picture, audio):
    data = {"id": "fuzz", "name": "ふず", "cards": [{"number": 1, "kana": "あ", "title": "あ", "reading": "あ",
                                                   "images": {"picture": picture}, "audio": audio}]}
    before = sorted(os.listdir(folder_with_a_link))
    deck, problems = assert_contract(deck_from_data(data, folder_with_a_link, LABEL, check_files=True))
    root = os.path.realpath(folder_with_a_link)
    if deck is not None:
        for rel in list(deck.cards[0].images.values()) + [deck.cards[0].audio]:
            if rel:
                real = os.path.realpath(deck.path(rel))
                assert os.path.commonpath([real, root]) == root, f"{rel!r} resolves outside the deck"
                assert os.path.isfile(real)
    assert sorted(os.listdir(folder_with_a_link)) == before  # reading a deck writes nothing


# -------------------------------------------------------------------- YAML text on disk


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(structures)
def test_any_yaml_file_gives_a_deck_or_named_problems(tmp_path, data):
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        assume(False)
    folder = tmp_path / "d"
    folder.mkdir(exist_ok=True)
    (folder / "deck.yaml").write_text(text, encoding="utf-8")
    assert_contract(check_deck(str(folder)), label=str(folder / "deck.yaml"))
    assert sorted(os.listdir(folder)) == ["deck.yaml"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
@example(b"\xff\xfe\x00\x00")
@example("id: [unclosed\n")
@example("cards: &a [*a]\n")
@example("\ufeffid: x\n")
def test_random_bytes_in_deck_yaml_give_named_problems(tmp_path, raw):
    folder = tmp_path / "r"
    folder.mkdir(exist_ok=True)
    path = folder / "deck.yaml"
    path.write_bytes(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    assert_contract(check_deck(str(folder)), label=str(path))


# PyYAML's safe_load raises more than yaml.YAMLError: ValueError for impossible dates and bad explicit
# !!int/!!float tags, RecursionError for very deep nesting. Each must still be a named problem.
@pytest.mark.parametrize("text", ["id: 2024-13-45\nname: x\ncards: []\n",
                                  "id: x\nname: !!int x\ncards: []\n",
                                  "cards: " + "[" * 3000 + "]" * 3000 + "\n"],
                         ids=["impossible-date", "bad-int-tag", "deep-nesting"])
def test_yaml_that_pyyaml_cannot_construct_is_a_named_problem(tmp_path, text):
    folder = tmp_path / "y"
    folder.mkdir()
    (folder / "deck.yaml").write_text(text, encoding="utf-8")
    deck, problems = check_deck(str(folder))
    assert deck is None and problems and problems[0].file.endswith("deck.yaml")


def test_a_broken_deck_next_to_good_ones_never_stops_discovery(tmp_path):
    from karuta.engine.deck import discover_decks

    for name, text in (("bad", "id: 2024-13-45\n"), ("deep", "cards: " + "[" * 3000 + "]" * 3000)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "deck.yaml").write_text(text, encoding="utf-8")
    good = tmp_path / "good"
    good.mkdir()
    (good / "deck.yaml").write_text(yaml.safe_dump({"id": "good", "name": "よい", "cards": [
        {"number": 1, "kana": "あ", "reading": "あさ", "title": "あさ"}]}, allow_unicode=True), encoding="utf-8")
    entries = {e.id: e for e in discover_decks(str(tmp_path))}
    assert entries["good"].deck is not None
    for name in ("bad", "deep"):
        assert entries[name].deck is None and entries[name].problems
    assert load_deck(str(good)).id == "good"


# ---------------------------------------------------------------- issue 17: texts, aliases, links


# Any code point, lone surrogates and controls included: what a hand edit, a bad export or an attacker puts in.
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)
TEXT_FIELDS = ("name", "district", "licence", "attribution", "reading", "title", "explanation")


@FUZZ
@given(field=st.sampled_from(TEXT_FIELDS), text=any_text)
@example(field="name", text="ぬ\x00る")
@example(field="title", text="あ\ud800")
@example(field="explanation", text="一行目\n二行目")
def test_any_text_in_any_field_is_refused_or_showable(field, text):
    data = copy.deepcopy(DEMO)
    target = data if field in ("name", "district", "licence", "attribution") else data["cards"][0]
    target[field] = text
    deck, problems = assert_contract(deck_from_data(data, "decks/fuzz", LABEL, check_files=False))
    if unshowable(text.strip()) is not None:
        assert deck is None and any(p.field == field for p in problems)


@st.composite
def yaml_with_aliases(draw):
    """deck.yaml text defining anchors and using aliases somewhere (nested, in cards, as merge keys)."""
    depth = draw(st.integers(1, 6))
    width = draw(st.integers(1, 9))
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    use = draw(st.sampled_from([f"format: *a{depth - 1}", f"name: *a{depth - 1}",
                                f"cards: [{{number: 1, kana: あ, title: *a{depth - 1}}}]",
                                "cards: [{<<: *a0, number: 1}]", "id: &i demo\nname: *i"]))
    return "\n".join(draw(st.permutations(lines)) + ["id: fuzz", use]) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml_with_aliases())
def test_yaml_with_anchors_and_aliases_is_refused_before_it_expands(tmp_path, text):
    folder = tmp_path / "a"
    folder.mkdir(exist_ok=True)
    (folder / "deck.yaml").write_text(text, encoding="utf-8")
    deck, problems = assert_contract(check_deck(str(folder)), label=str(folder / "deck.yaml"))
    assert deck is None and len(problems) == 1 and "an alias (*" in problems[0].message


SLOT_KINDS = ("file", "link-inside", "link-outside", "fifo", "folder", "dangling")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(listed=st.sampled_from(SLOT_KINDS), conventional=st.sampled_from(SLOT_KINDS + ("none",)),
       audio=st.sampled_from(SLOT_KINDS + ("none",)))
def test_every_file_a_deck_uses_is_a_regular_file_inside_it(tmp_path_factory, listed, conventional, audio):
    root = tmp_path_factory.mktemp("links")
    outside = root / "outside.png"
    outside.write_bytes(b"\x89PNG secret")
    folder = root / "deck"
    (folder / "images").mkdir(parents=True)
    (folder / "audio").mkdir()
    (folder / "images" / "real.png").write_bytes(b"\x89PNG")

    def put(path, kind):
        if kind == "file":
            path.write_bytes(b"\x89PNG")
        elif kind == "link-inside":
            os.symlink(folder / "images" / "real.png", path)
        elif kind == "link-outside":
            os.symlink(outside, path)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        elif kind == "dangling":
            os.symlink(root / "nowhere.png", path)

    put(folder / "images" / "pic.png", listed)
    if conventional != "none":
        put(folder / "images" / "01b.png", conventional)
    if audio != "none":
        put(folder / "audio" / "1.ogg", audio)
    data = copy.deepcopy(DEMO)
    data["cards"] = [dict(data["cards"][0], images={"picture": "images/pic.png"})]
    (folder / "deck.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    deck, problems = assert_contract(check_deck(str(folder)), label=str(folder / "deck.yaml"))
    safe = {"file", "link-inside"}
    # a folder named like a card file is simply not a card file; a dangling link points outside the deck
    unsafe = ("link-outside", "fifo", "dangling")
    used_unsafe = (listed not in safe) or conventional in unsafe or audio in unsafe
    assert (deck is None) == used_unsafe, problems
    if deck is not None:
        real_root = os.path.realpath(folder)
        for rel in deck_files(deck):
            real = os.path.realpath(deck.path(rel))
            assert real.startswith(real_root + os.sep) and os.path.isfile(real)
