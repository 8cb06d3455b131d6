"""The deck format: every validation rule, with its message asserted exactly."""

from __future__ import annotations

import copy
import os

import pytest
import yaml

from karuta.engine.deck import (DeckError, check_deck, deck_from_data, deck_to_data, discover_decks, is_placeholder,
                                load_deck)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # the engine does not decode images; the tools do
CARD = {"number": 1, "kana": "あ", "reading": "あさの川(かわ)", "title": "川(かわ)"}
BASE = {"format": 1, "id": "t", "name": "てすと", "cards": [CARD]}
KNOWN_CARD = "audio, explanation, furigana_to_check, images, kana, lat, lon, number, reading, title, url"
KNOWN_TOP = ("attribution, cards, demo_locations, district, format, id, kana_order, licence, link_secret, map, name, "
             "source_url")


def make(tmp_path, data=None, *, text=None, files=(), name="deck.yaml", folder="d"):
    path = tmp_path / folder
    path.mkdir(parents=True, exist_ok=True)
    if text is None:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (path / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    for rel in files:
        f = path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(PNG)
    return path


def problems(tmp_path, data=None, **kw):
    folder = make(tmp_path, data, **kw)
    deck, found = check_deck(str(folder))
    assert (deck is None) == bool(found)
    return [str(p).replace(str(folder) + os.sep, "") for p in found]


def with_card(**changes):
    data = copy.deepcopy(BASE)
    card = data["cards"][0]
    for key, value in changes.items():
        if value is None:
            card.pop(key, None)
        else:
            card[key] = value
    return data


def with_top(**changes):
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_a_good_deck_loads_with_its_fields(tmp_path):
    data = with_top(district="みどり町(ちょう)", source_url="https://example.org/k", licence="CC BY 4.0",
                    attribution="みどり町", kana_order="iroha")
    data["cards"][0].update(lat=36.3, lon=139.1, url="https://example.org/1", explanation="せつめい")
    deck = load_deck(str(make(tmp_path, data)))
    card = deck.cards[0]
    assert (deck.id, deck.name, deck.district, deck.licence, deck.kana_order[:3]) == (
        "t", "てすと", "みどり町(ちょう)", "CC BY 4.0", ("い", "ろ", "は"))
    assert (card.reading_kana, card.reading_plain, card.lat, card.lon) == ("あさのかわ", "あさの川", 36.3, 139.1)
    assert deck.link_secret == "t"  # no secret given: the id


def test_the_demo_deck_is_valid():
    deck = load_deck(os.path.join(ROOT, "decks", "demo"))
    assert len(deck.cards) == 44


def test_an_image_only_deck_is_valid(tmp_path):
    data = with_card(reading=None, title=None, images={"picture": "images/01a.png", "reading": "images/01b.png"})
    deck = load_deck(str(make(tmp_path, data, files=["images/01a.png", "images/01b.png"])))
    assert deck.cards[0].reading == "" and deck.cards[0].image("reading") == "images/01b.png"


def test_conventional_image_names_are_found_without_listing(tmp_path):
    data = with_card(reading=None, title=None)
    folder = make(tmp_path, data, files=["images/1A.PNG", "images/01b.jpg", "images/001c.jpeg", "images/2a.png"])
    deck = load_deck(str(folder))
    assert dict(deck.cards[0].images) == {"picture": "images/1A.PNG", "reading": "images/01b.jpg",
                                          "explanation": "images/001c.jpeg"}


def test_a_listed_image_wins_over_the_convention(tmp_path):
    data = with_card(images={"picture": "pics/own.png"})
    deck = load_deck(str(make(tmp_path, data, files=["pics/own.png", "images/01a.png"])))
    assert deck.cards[0].image("picture") == "pics/own.png"


def test_two_conventional_files_for_one_face_are_reported(tmp_path):
    assert problems(tmp_path, with_card(), files=["images/01a.png", "images/1a.jpg"]) == [
        "deck.yaml: card 1 (あ): images.picture: images/01a.png and images/1a.jpg could both be this card's "
        "picture image: keep one, or say which in images"]


def test_conventional_audio_is_found(tmp_path):
    deck = load_deck(str(make(tmp_path, BASE, files=["audio/01.ogg"])))
    assert deck.cards[0].audio == "audio/01.ogg"


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    data = with_top(id="Bad Id", source_url="ftp://x")
    data["cards"] = [{"number": 1, "kana": "あ", "reading": "いけ", "title": "x", "lat": 100, "lon": 1},
                     {"number": 1, "kana": "か", "reading": "かわ", "title": "y"}]
    assert problems(tmp_path, data) == [
        "deck.yaml: id: 'Bad Id' must be lower-case letters, digits, - or _ (at most 40), e.g. shimokawabuchi",
        "deck.yaml: source_url: 'ftp://x' is not an http(s) address (it must start with https://)",
        "deck.yaml: card 1 (あ): lat: 100 is not a latitude",
        "deck.yaml: card 1 (あ): reading: starts with 「い」 but the card's kana is 「あ」",
        "deck.yaml: card 1 (か): number: 1 is used twice (also entry 1 of cards)",
    ]


@pytest.mark.parametrize("changes, expected", [
    ({"id": None}, "deck.yaml: id: missing"),
    ({"format": 2}, "deck.yaml: format: 2 is not a known format version (this game reads 1)"),
    ({"name": None}, "deck.yaml: name: missing"),
    ({"name": "  "}, "deck.yaml: name: is empty"),
    ({"name": ["a"]}, "deck.yaml: name: must be text, not a list"),
    ({"name": "あ" * 81}, "deck.yaml: name: is 81 characters long; at most 80"),
    ({"name": "川(かわ"}, "deck.yaml: name: furigana markup: unmatched 「(」 near 「川(かわ」"),
    ({"district": "町()"}, "deck.yaml: district: furigana markup: empty furigana after 「町」"),
    ({"source_url": "www.example.org"}, "deck.yaml: source_url: 'www.example.org' is not an http(s) address (it must start with https://)"),
    ({"demo_locations": "yes please"}, "deck.yaml: demo_locations: must be true or false, not 'yes please'"),
    ({"kana_order": "abc"}, "deck.yaml: kana_order: 'abc' must be aiueo, iroha, iroha48 or a list of single kana (at most 100)"),
    ({"kana_order": ["あ", "あ"]}, "deck.yaml: kana_order: lists a kana more than once"),
    ({"cards": None}, "deck.yaml: cards: missing (a deck needs a list of cards)"),
    ({"cards": {"a": 1}}, "deck.yaml: cards: must be a list of cards, not a mapping"),
    ({"cards": []}, "deck.yaml: cards: the list is empty"),
    ({"cards": ["x"]}, "deck.yaml: cards[1]: each card must be a mapping of fields, not str"),
    ({"colour": "red"}, "deck.yaml: colour: unknown field (a typo?); known fields: " + KNOWN_TOP),
])
def test_deck_level_rules(tmp_path, changes, expected):
    assert problems(tmp_path, with_top(**changes)) == [expected]


@pytest.mark.parametrize("changes, expected", [
    ({"number": None}, "deck.yaml: cards[1]: number: missing"),
    ({"number": 0}, "deck.yaml: cards[1]: number: 0 must be a whole number from 1 to 999"),
    ({"number": "one"}, "deck.yaml: cards[1]: number: 'one' must be a whole number from 1 to 999"),
    ({"kana": None}, "deck.yaml: card 1 (?): kana: missing"),
    ({"kana": "あい"}, "deck.yaml: card 1 (あい): kana: 'あい' must be one kana (the card's first sound)"),
    ({"kana": "ア"}, "deck.yaml: card 1 (ア): kana: ア is not in the deck's kana order (write it in hiragana: あ)"),
    ({"kana": "ゑ", "reading": "ゑ", "title": "x"}, "deck.yaml: card 1 (ゑ): kana: ゑ is not in the deck's kana order"),
    ({"reading": None}, "deck.yaml: card 1 (あ): reading: is empty and there is no reading-card image "
                        "(images.reading): a card needs one or the other"),
    ({"title": None}, "deck.yaml: card 1 (あ): title: is empty and there is no picture-card image "
                      "(images.picture): a card needs one or the other"),
    ({"reading": "かわ"}, "deck.yaml: card 1 (あ): reading: starts with 「か」 but the card's kana is 「あ」"),
    ({"reading": "あさ(あさ"}, "deck.yaml: card 1 (あ): reading: furigana markup: unmatched 「(」 near 「あさ(あさ」"),
    ({"reading": "あ" * 201}, "deck.yaml: card 1 (あ): reading: is 201 characters long; at most 200"),
    ({"title": {"x": 1}}, "deck.yaml: card 1 (あ): title: must be text, not a mapping"),
    ({"url": "example.org"}, "deck.yaml: card 1 (あ): url: 'example.org' is not an http(s) address (it must start with https://)"),
    ({"lat": 36.3}, "deck.yaml: card 1 (あ): lon: missing (a location needs both lat and lon)"),
    ({"lat": "north", "lon": 139}, "deck.yaml: card 1 (あ): lat: north is not a latitude"),
    ({"lat": 36, "lon": 200}, "deck.yaml: card 1 (あ): lon: 200 is not a longitude"),
    ({"images": "01a.png"}, "deck.yaml: card 1 (あ): images: must map faces (picture, reading, explanation) to files, "
                            "not str"),
    ({"images": {"back": "images/x.png"}}, "deck.yaml: card 1 (あ): images.back: unknown face; use picture, "
                                          "reading, explanation"),
    ({"images": {"picture": "../x.png"}}, "deck.yaml: card 1 (あ): images.picture: '../x.png' leaves the deck "
                                         "folder; use a path inside it"),
    ({"images": {"picture": "/etc/x.png"}}, "deck.yaml: card 1 (あ): images.picture: '/etc/x.png' leaves the deck "
                                           "folder; use a path inside it"),
    ({"images": {"picture": "C:\\x.png"}}, "deck.yaml: card 1 (あ): images.picture: 'C:/x.png' leaves the deck "
                                          "folder; use a path inside it"),
    ({"images": {"picture": "images/x.gif"}}, "deck.yaml: card 1 (あ): images.picture: 'images/x.gif' is not a "
                                             "png / jpg / jpeg file"),
    ({"images": {"picture": "images/none.png"}}, "deck.yaml: card 1 (あ): images.picture: file not found: "
                                                "images/none.png"),
    ({"images": {"picture": 5}}, "deck.yaml: card 1 (あ): images.picture: must be a file path, not int"),
    ({"audio": "audio/1.mp3"}, "deck.yaml: card 1 (あ): audio: 'audio/1.mp3' is not a ogg file"),
    ({"audio": "audio/9.ogg"}, "deck.yaml: card 1 (あ): audio: file not found: audio/9.ogg"),
    ({"colour": "red"}, "deck.yaml: card 1 (あ): colour: unknown field (a typo?); known fields: " + KNOWN_CARD),
])
def test_card_rules(tmp_path, changes, expected):
    assert problems(tmp_path, with_card(**changes)) == [expected]


def test_a_missing_listed_image_is_reported_once_not_twice(tmp_path):
    data = with_card(reading=None, images={"reading": "images/01b.png"})
    assert problems(tmp_path, data) == ["deck.yaml: card 1 (あ): images.reading: file not found: images/01b.png"]


def test_a_file_name_in_the_wrong_letter_case_says_how_it_is_spelled(tmp_path):
    data = with_card(images={"picture": "images/01a.png"})
    assert problems(tmp_path, data, files=["images/01A.PNG"]) == [
        "deck.yaml: card 1 (あ): images.picture: file not found: images/01a.png (there is images/01A.PNG: "
        "write the name exactly, upper and lower case too)"]


def test_an_image_linked_from_outside_the_deck_is_refused(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    folder = make(tmp_path, with_card(images={"picture": "images/01a.png"}))
    (folder / "images").mkdir()
    os.symlink(outside, folder / "images" / "01a.png")
    deck, found = check_deck(str(folder))
    assert [p.message for p in found] == ["'images/01a.png' is a link to a file outside the deck folder; put the file itself in the deck folder"]


def test_duplicate_kana_are_reported(tmp_path):
    data = copy.deepcopy(BASE)
    data["cards"].append({"number": 2, "kana": "あ", "reading": "あめ", "title": "あめ"})
    assert problems(tmp_path, data) == ["deck.yaml: card 2 (あ): kana: あ is used twice (also card 1)"]


def test_the_n_card_of_an_iroha48_deck_may_read_another_sound(tmp_path):
    data = with_top(kana_order="iroha48")
    data["cards"] = [{"number": 48, "kana": "ん", "reading": "京(きょう)の夢(ゆめ)", "title": "京(きょう)"}]
    assert problems(tmp_path, data) == []


@pytest.mark.parametrize("text, expected", [
    ("id: [unclosed\n", "deck.yaml: line 2: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ("- a\n- b\n", "deck.yaml: deck: the file must hold a mapping of fields (id, name, cards, ...), not a list"),
    ("", "deck.yaml: deck: the file must hold a mapping of fields (id, name, cards, ...), not empty"),
    (b"id: t\nname: \x82\xa0\n", "deck.yaml: encoding: not UTF-8 text (byte 12); save the file as UTF-8"),
])
def test_files_that_are_not_a_deck(tmp_path, text, expected):
    assert problems(tmp_path, text=text) == [expected]


def test_a_json_deck_is_read_and_its_errors_name_the_line(tmp_path):
    assert problems(tmp_path, text='{"id": "t",\n "name": }', name="deck.json") == [
        "deck.json: line 2: not valid JSON: Expecting value"]


def test_a_folder_without_deck_yaml(tmp_path):
    (tmp_path / "empty").mkdir()
    deck, found = check_deck(str(tmp_path / "empty"))
    assert [(p.field, p.message) for p in found] == [("deck.yaml", "file not found (a deck folder needs deck.yaml)")]
    with pytest.raises(DeckError) as err:
        load_deck(str(tmp_path / "empty"))
    assert "file not found" in str(err.value)


# ---------------------------------------------------------------- placeholders


def test_placeholders_are_incomplete_and_say_so(tmp_path):
    data = with_top(name="TODO: the deck's name")
    data["cards"][0].update(reading="TODO", title="todo: what the picture shows", lat="TODO", lon="TODO",
                            images={"explanation": "TODO"})
    folder = make(tmp_path, data)
    deck, found = check_deck(str(folder))
    assert deck is None and all(p.incomplete for p in found)
    assert [str(p).replace(str(folder) + os.sep, "") for p in found] == [
        "deck.yaml: name: still a placeholder (TODO: the deck's name): fill it in",
        "deck.yaml: card 1 (あ): reading: still a placeholder (TODO): fill it in",
        "deck.yaml: card 1 (あ): title: still a placeholder (todo: what the picture shows): fill it in",
        "deck.yaml: card 1 (あ): lat: still a placeholder (TODO): fill it in, or delete lat and lon",
        "deck.yaml: card 1 (あ): lon: still a placeholder (TODO): fill it in, or delete lat and lon",
        "deck.yaml: card 1 (あ): images.explanation: still a placeholder (TODO): fill it in",
    ]


def test_real_words_that_begin_like_todo_are_not_placeholders():
    assert is_placeholder("TODO") and is_placeholder(" todo: x") and is_placeholder("TODO fill")
    assert not is_placeholder("Todoroki") and not is_placeholder("とど") and not is_placeholder(3)


def test_a_real_problem_next_to_a_placeholder_is_not_incomplete(tmp_path):
    data = with_card(reading="TODO", lat=500, lon=1)
    folder = make(tmp_path, data)
    _, found = check_deck(str(folder))
    assert [(p.field, p.incomplete) for p in found] == [("reading", True), ("lat", False)]


# ---------------------------------------------------------------- discovery, round trip


def test_discover_lists_broken_decks_with_short_labels_and_keeps_the_good_ones(tmp_path):
    root = tmp_path / "decks"
    make(root, BASE, folder="good")
    make(root, with_card(lat=500, lon=1), folder="broken")
    make(root, text="id: [x\n", folder="notyaml")
    (root / ".hidden").mkdir()
    (root / "README.txt").write_text("not a deck")
    entries = discover_decks(str(root))
    assert [(e.id, e.deck is not None) for e in entries] == [("broken", False), ("notyaml", False), ("t", True)]
    assert str(entries[0].problems[0]) == "broken/deck.yaml: card 1 (あ): lat: 500 is not a latitude"
    assert entries[0].folder == str(root / "broken")


def test_deck_to_data_round_trips(tmp_path):
    data = with_top(kana_order="iroha", district="町(まち)", licence="CC BY 4.0")
    data["cards"][0].update(kana="い", reading="いけ", lat=36.5, lon=139.5, images={"picture": "images/01a.png"})
    deck = load_deck(str(make(tmp_path, data, files=["images/01a.png"])))
    again, found = deck_from_data(deck_to_data(deck), deck.folder)
    assert found == [] and again == deck
