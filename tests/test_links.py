"""Card links, signpost codes and collection-export links: build, parse strictly, refuse with a reason."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karuta.engine import links
from karuta.engine.deck import load_deck
from karuta.engine.links import CardLink, CollectionLink, LinkError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = "https://school.example/karuta/"


@pytest.fixture(scope="module")
def deck():
    return load_deck(os.path.join(ROOT, "decks", "demo"))


@pytest.fixture(scope="module")
def other(deck):
    """A second deck with the same cards but another id and secret."""
    return replace(deck, id="other", link_secret="another-secret")


def reason(text, decks):
    with pytest.raises(LinkError) as err:
        links.parse_link(text, decks)
    return err.value.reason


def plain(url: str) -> str:
    """A link in the older plain form (``?deck=..&card=..&k=..``), which is still read."""
    head, code = url.split("?c=", 1)
    return head + "?" + links.decode_query(code)


def wrapped(url: str) -> str:
    head, query = url.split("?", 1)
    return head + "?" + links.encode_query(query)


def test_every_card_link_round_trips(deck):
    for card in deck.cards:
        url = links.card_link(BASE, deck, card.number)
        assert url.startswith(BASE + "?c=")
        assert plain(url).startswith(BASE + "?deck=demo&card=")
        assert links.parse_link(url, [deck]) == CardLink("demo", card.number)
        assert links.parse_link(plain(url), [deck]) == CardLink("demo", card.number)


# What pygbag 0.9.3's loader (pythons.js) reacts to in the page's query string, as its code
# tests it: the first parameter containing 'py' (interpreter), '-i' anywhere (console),
# the regular expression '.apk' (archive), '%' (decodeURI may throw), a '#'.
def loader_reacts_to(query: str) -> list[str]:
    import re

    found = []
    first = query.split("&")[0]
    if "py" in first:
        found.append("py")
    if "-i" in query:
        found.append("-i")
    if re.search(".apk", query):
        found.append(".apk")
    if "%" in query or "#" in query:
        found.append("escape")
    if any(k.split("=")[0] in ("PYGPI", "USER", "HOME") for k in query.split("&")):
        found.append("environment")
    return found


@settings(max_examples=300, deadline=None)
@given(deck_id=st.from_regex(r"[a-z0-9][a-z0-9_-]{0,39}", fullmatch=True), number=st.integers(1, 99),
       secret=st.text(max_size=20))
def test_no_deck_id_card_or_check_gives_a_link_the_loader_reacts_to(deck, deck_id, number, secret):
    other = replace(deck, id=deck_id, link_secret=secret, cards=tuple(replace(c, number=number) for c in deck.cards[:1]))
    url = links.card_link(BASE, other, number)
    query = url.split("?", 1)[1]
    assert loader_reacts_to(query) == []
    assert links.parse_link(url, [other]) == CardLink(deck_id, number)
    met = {number: date(2024, 5, 1)}
    query = links.collection_link(BASE, other, met).split("?", 1)[1]
    assert loader_reacts_to(query) == []


@pytest.mark.parametrize("deck_id", ["happy-town", "py", "spy-island", "a-i", "x-i-py", "shop-apk", "percent"])
def test_ids_with_py_and_dash_i_make_links_the_loader_ignores(deck, deck_id):
    other = replace(deck, id=deck_id)
    url = links.card_link(BASE, other, 3)
    assert loader_reacts_to(plain(url).split("?", 1)[1]) != [] or deck_id == "percent"  # the old form did not
    assert loader_reacts_to(url.split("?", 1)[1]) == []
    assert links.parse_link(url, [other]) == CardLink(deck_id, 3)


def test_checks_differ_between_cards_and_decks(deck, other):
    checks = {links.card_check(deck, c.number) for c in deck.cards}
    assert len(checks) == len(deck.cards)
    assert all(len(k) == links.CHECK_LEN and k.isalnum() and k.isupper() for k in checks)
    assert links.card_check(deck, 1) != links.card_check(other, 1)


def test_changing_the_number_does_not_collect_another_card(deck):
    url = plain(links.card_link(BASE, deck, 12))
    tampered = url.replace("card=12", "card=13")
    assert reason(tampered, [deck]) == links.BAD_CHECK
    assert reason(wrapped(tampered), [deck]) == links.BAD_CHECK


def test_a_c_code_not_written_by_the_game_is_refused(deck):
    url = links.card_link(BASE, deck, 12)
    assert reason(url + "p", [deck]) == links.NOT_LINK          # a letter the alphabet lacks
    assert reason(url[:-1], [deck]) == links.NOT_LINK           # cut short
    assert reason(BASE + "?c=", [deck]) == links.NOT_LINK
    assert reason(url + "&deck=demo", [deck]) == links.EXTRA
    assert reason(BASE + "?" + links.encode_query(url.split("?", 1)[1]), [deck]) == links.NOT_LINK  # c= in c=


def test_a_deck_without_secret_still_checks_with_its_id(deck):
    plain = replace(deck, link_secret="")
    assert links.card_check(plain, 3) == links.card_check(replace(deck, link_secret="demo"), 3)


def test_bare_query_and_surrounding_whitespace_are_read(deck):
    url = links.card_link("", deck, 5)
    assert url.startswith("?c=")
    assert links.parse_link(url + "\n", [deck]) == CardLink("demo", 5)
    assert links.parse_link("  " + links.card_link(BASE, deck, 5), deck) == CardLink("demo", 5)


def test_check_is_case_insensitive_like_base32(deck):
    url = plain(links.card_link(BASE, deck, 7))
    head, k = url.rsplit("k=", 1)
    assert links.parse_link(head + "k=" + k.lower(), [deck]) == CardLink("demo", 7)


@pytest.mark.parametrize("make, expected", [
    (lambda u: "", links.EMPTY),
    (lambda u: "   \n", links.EMPTY),
    (lambda u: u + "&pad=" + "x" * 600, links.OVERLONG),
    (lambda u: u.replace("demo", "でも"), links.NON_ASCII),
    (lambda u: u + "&utm=1", links.EXTRA),
    (lambda u: u + "#top", links.EXTRA),
    (lambda u: u + "&card=3", links.EXTRA),
    (lambda u: u.replace("card=12", "card=%31%32"), links.EXTRA),
    (lambda u: u.replace("?deck=demo&card=12", "?card=12&deck=demo"), links.EXTRA),
    (lambda u: u.replace(" ", "") .replace("&k=", "& k="), links.EXTRA),
    (lambda u: u.replace("deck=demo", "deck=nosuchdeck"), links.UNKNOWN_DECK),
    (lambda u: u.replace("deck=demo", "deck=../etc"), links.UNKNOWN_DECK),
    (lambda u: u.replace("card=12", "card=99"), links.UNKNOWN_CARD),
    (lambda u: u.replace("card=12", "card=012"), links.UNKNOWN_CARD),
    (lambda u: u.replace("card=12", "card=-1"), links.UNKNOWN_CARD),
    (lambda u: u.split("&k=")[0], links.MISSING_CHECK),
    (lambda u: u.split("&k=")[0] + "&k=", links.MISSING_CHECK),
    (lambda u: u[:-1] + ("A" if u[-1] != "A" else "B"), links.BAD_CHECK),
    (lambda u: u + "A", links.BAD_CHECK),
    (lambda u: "hello world", links.NOT_LINK),
    (lambda u: "ftp://school.example/?deck=demo&card=12&k=AAAAAA", links.NOT_LINK),
    (lambda u: "https://school.example/karuta/", links.NOT_LINK),
    (lambda u: "https://school.example/?lang=ja", links.NOT_LINK),
])
def test_each_kind_of_bad_link_has_its_own_reason(deck, make, expected):
    url = plain(links.card_link(BASE, deck, 12))
    bad = make(url)
    assert reason(bad, [deck]) == expected
    # The same fault inside a c= link gets the same reason.
    if bad.startswith(BASE + "?") and bad.isascii() and "#" not in bad and " " not in bad and len(bad) < 500:
        assert reason(wrapped(bad), [deck]) == expected


def test_launch_parameters_are_checked_the_same_way(deck):
    k = links.card_check(deck, 4)
    assert links.parse_params({"deck": "demo", "card": "4", "k": k}, [deck]) == CardLink("demo", 4)
    with pytest.raises(LinkError) as err:
        links.parse_params({"deck": "demo", "card": "5", "k": k}, [deck])
    assert err.value.reason == links.BAD_CHECK
    with pytest.raises(LinkError) as err:
        links.parse_params({"deck": "demo", "card": "4", "k": k, "extra": "1"}, [deck])
    assert err.value.reason == links.EXTRA
    with pytest.raises(LinkError) as err:
        links.parse_params({"deck": "demo", "card": "4", "k": k + "あ"}, [deck])
    assert err.value.reason == links.NON_ASCII


def test_links_pick_the_right_deck_among_several(deck, other):
    url = links.card_link(BASE, other, 2)
    assert links.parse_link(url, [deck, other]) == CardLink("other", 2)
    assert reason(url, [deck]) == links.UNKNOWN_DECK
    # the other deck's check does not open the demo deck's card
    assert reason(wrapped(plain(url).replace("deck=other", "deck=demo")), [deck, other]) == links.BAD_CHECK


def test_bad_base_urls_are_refused_with_a_message(deck):
    for bad in ("school.example/karuta", "https://x.example/?a=1", "https://x.example/#f", "https://x.example/か"):
        with pytest.raises(ValueError) as err:
            links.card_link(bad, deck, 1)
        assert bad[:10] in str(err.value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_never_crashes_the_parser(text):
    deck = load_deck(os.path.join(ROOT, "decks", "demo"))
    try:
        result = links.parse_link(text, [deck])
    except LinkError as err:
        assert err.reason in links.REASONS
    else:  # only a real, checked link can get through
        assert links.parse_link(links.card_link("", deck, result.number), [deck]) == result


# ---------------------------------------------------------------- signpost codes


def test_signpost_codes_are_kana_and_four_digits_and_round_trip(deck):
    codes = set()
    for card in deck.cards:
        code = links.signpost_code(deck, card.number)
        kana, digits = code.split("-")
        assert kana == card.kana and len(digits) == 4 and digits.isdigit()
        assert links.parse_code(code, [deck]) == CardLink("demo", card.number)
        codes.add(code)
    assert len(codes) == len(deck.cards)


def test_codes_typed_on_a_keyboard_are_folded(deck):
    code = links.signpost_code(deck, 1)  # あ-dddd
    digits = code[2:]
    wide = "".join(chr(ord(d) + 0xFEE0) for d in digits)
    assert links.parse_code(f"ア－{wide}", [deck]) == CardLink("demo", 1)
    assert links.parse_code(f" あ {digits} ", [deck]) == CardLink("demo", 1)
    assert links.parse_code(f"あ{digits}", [deck]) == CardLink("demo", 1)


@pytest.mark.parametrize("text, expected", [
    ("", links.EMPTY),
    ("1234", links.BAD_CODE),
    ("あ-12", links.BAD_CODE),
    ("あ-123456", links.BAD_CODE),
    ("ん-1234", links.UNKNOWN_CARD),
    ("x" * 60, links.OVERLONG),
])
def test_bad_codes_have_reasons(deck, text, expected):
    with pytest.raises(LinkError) as err:
        links.parse_code(text, [deck])
    assert err.value.reason == expected


def test_a_wrong_code_for_a_real_kana_is_refused(deck):
    code = links.signpost_code(deck, 1)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(LinkError) as err:
        links.parse_code(wrong, [deck])
    assert err.value.reason == links.BAD_CODE


def test_code_of_another_deck_is_found_after_the_current_one(deck, other):
    code = links.signpost_code(other, 3)
    assert links.parse_code(code, [deck, other]) == CardLink("other", 3)


# ---------------------------------------------------------------- collection export


def test_collection_link_round_trips_with_dates(deck):
    met = {n: date(2024, 5, 1 + n % 20) for n in range(1, 45)}
    url = links.collection_link(BASE, deck, met)
    parsed = links.parse_link(url, [deck])
    assert parsed == CollectionLink("demo", met)
    assert len(url) < 213  # fits a version 10 QR code at level M (the in-game scanner reads it off a screen)


def test_tampered_collection_links_are_refused(deck):
    url = plain(links.collection_link(BASE, deck, {1: date(2024, 5, 1), 2: date(2024, 5, 2)}))
    head, k = url.split("&k=")
    payload = head.split("m=")[1]
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    assert reason(head.replace(payload, flipped) + "&k=" + k, [deck]) == links.BAD_CHECK
    assert reason(head, [deck]) == links.MISSING_CHECK
    assert reason(head.replace(payload, payload + "!") + "&k=" + k, [deck]) == links.BAD_PAYLOAD


def test_collection_link_with_a_valid_check_but_garbage_payload_is_refused(deck):
    payload = "AAAA"
    check = links._collection_check(deck, payload)
    assert reason(f"?deck=demo&m={payload}&k={check}", [deck]) == links.BAD_PAYLOAD
