"""The collection of met cards: meeting, rows, sessions, merging, storage validation, where to go next."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date

import pytest

from karuta.engine import collection as col
from karuta.engine.collection import Collection
from karuta.engine.deck import load_deck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DAY = date(2024, 5, 3)


@pytest.fixture(scope="module")
def deck():
    return load_deck(os.path.join(ROOT, "decks", "demo"))


def numbers_of_row(deck, name):
    return next(r.numbers for r in Collection(deck.id).rows(deck) if r.name == name)


def test_first_meeting_and_meeting_again(deck):
    c = Collection(deck.id)
    first = c.meet(deck, 12, DAY)
    assert first.new and first.first_met == DAY
    again = c.meet(deck, 12, date(2024, 6, 1))
    assert not again.new and again.first_met == DAY  # the first day is kept
    assert c.progress(deck) == (1, 44)
    with pytest.raises(KeyError):
        c.meet(deck, 99, DAY)


def test_rows_follow_the_kana_rows(deck):
    rows = Collection(deck.id).rows(deck)
    assert [r.name for r in rows] == ["あ行", "か行", "さ行", "た行", "な行", "は行", "ま行", "や行", "ら行", "わ行"]
    assert sum(len(r.numbers) for r in rows) == 44
    a_row = [deck.card(n).kana for n in rows[0].numbers]
    assert a_row == list("あいうえお")


def test_completing_a_row_is_reported_once(deck):
    c = Collection(deck.id)
    a_row = numbers_of_row(deck, "あ行")
    results = [c.meet(deck, n, DAY) for n in a_row]
    assert [r.rows_completed for r in results[:-1]] == [()] * (len(a_row) - 1)
    assert results[-1].rows_completed == ("あ行",)
    assert c.meet(deck, a_row[0], DAY).rows_completed == ()
    assert [r.name for r in c.rows(deck) if r.complete] == ["あ行"]


def test_completing_the_whole_deck(deck):
    c = Collection(deck.id)
    results = [c.meet(deck, card.number, DAY) for card in deck.cards]
    assert [r.deck_completed for r in results].count(True) == 1 and results[-1].deck_completed
    assert results[-1].rows_completed  # the last card also finished its row
    assert c.deck_complete(deck)
    assert not results[-1].session_completed  # there was no session limit


def test_session_limit_counts_and_completes(deck):
    c = Collection(deck.id)
    c.limit_session(deck, [1, 2, 3, 999])
    assert c.session == frozenset({1, 2, 3})  # unknown cards are dropped
    assert c.session_progress(deck) == (0, 3)
    c.meet(deck, 20, DAY)  # a card outside the session still counts for the collection
    assert c.session_progress(deck) == (0, 3) and c.progress(deck) == (1, 44)
    c.meet(deck, 1, DAY)
    c.meet(deck, 2, DAY)
    assert c.meet(deck, 3, DAY).session_completed
    c.limit_session(deck, [c.number for c in deck.cards])
    assert c.session is None  # all cards is no limit
    c.limit_session(deck, [])
    assert c.session is None


def test_reset_keeps_the_session_limit(deck):
    c = Collection(deck.id)
    c.limit_session(deck, [4, 5])
    c.meet(deck, 4, DAY)
    c.reset()
    assert c.met == {} and c.last is None and c.session == frozenset({4, 5})


def test_merge_keeps_the_earlier_date_and_counts_new_cards(deck):
    c = Collection(deck.id)
    c.meet(deck, 1, date(2024, 5, 10))
    added = c.merge(deck, {1: date(2024, 5, 1), 2: date(2024, 5, 2), 500: date(2024, 5, 2)})
    assert added == 1
    assert c.met == {1: date(2024, 5, 1), 2: date(2024, 5, 2)}
    assert c.merge(deck, {1: date(2024, 6, 1)}) == 0 and c.met[1] == date(2024, 5, 1)


def test_round_trip_through_json(deck):
    c = Collection(deck.id)
    c.meet(deck, 3, DAY)
    c.meet(deck, 7, date(2024, 5, 4))
    c.limit_session(deck, [3, 7, 9])
    data = json.loads(json.dumps(c.to_data()))
    back = Collection.from_data(data, deck)
    assert back == c
    assert back.last == 7


@pytest.mark.parametrize("mutate, message", [
    (lambda d: [], "mapping"),
    (lambda d: {**d, "format": 9}, "format"),
    (lambda d: {**d, "deck": "elsewhere"}, "elsewhere"),
    (lambda d: {**d, "met": ["1"]}, "met"),
    (lambda d: {**d, "met": {"1": "yesterday"}}, "date"),
    (lambda d: {**d, "met": {"1": "2024-02-30"}}, "date"),
    (lambda d: {**d, "met": {"one": "2024-05-03"}}, "card number"),
    (lambda d: {**d, "met": {"1": "1999-12-31"}}, "outside"),
    (lambda d: {**d, "session": "all"}, "session"),
    (lambda d: {**d, "session": [True]}, "card number"),
])
def test_foreign_data_is_refused_on_load(deck, mutate, message):
    c = Collection(deck.id)
    c.meet(deck, 1, DAY)
    with pytest.raises(ValueError) as err:
        Collection.from_data(mutate(c.to_data()), deck)
    assert message in str(err.value)


def test_cards_the_deck_no_longer_has_are_dropped_on_load(deck):
    data = {"format": 1, "deck": "demo", "met": {"1": "2024-05-03", "77": "2024-05-03"}, "last": 77, "session": None}
    c = Collection.from_data(data, deck)
    assert c.met == {1: DAY} and c.last is None


def test_export_payload_round_trips_and_stays_small(deck):
    met = {n: date(2024, 5, 1 + n % 28) for n in range(1, 45)}
    raw = col.encode_met(met)
    assert col.decode_met(raw) == met
    assert len(raw) <= 4 + 6 + 44
    assert col.decode_met(col.encode_met({})) == {}
    far = {1: date(2000, 1, 1), 999: date(2150, 1, 1)}
    assert col.decode_met(col.encode_met(far)) == far


@pytest.mark.parametrize("raw", [b"", b"\x02\x00\x00\x00", b"\x01\x00\x00\x01\x01", b"\x01\x00\x00\x01\x01\x00\x00",
                                 b"\x01\x00\x00\xff\x01", b"\x01\xff\xff\x01\x01\x7f"])
def test_damaged_export_payloads_are_refused(raw):
    with pytest.raises(ValueError):
        col.decode_met(raw)


# ---------------------------------------------------------------- geography


def test_haversine_and_bearing_against_known_values():
    # one degree of latitude is about 111.2 km everywhere
    assert col.distance_m((36.0, 139.0), (37.0, 139.0)) == pytest.approx(111_195, rel=1e-3)
    # along a parallel the distance shrinks with cos(latitude)
    assert col.distance_m((60.0, 0.0), (60.0, 1.0)) == pytest.approx(55_597, rel=2e-3)
    assert col.bearing_deg((36.0, 139.0), (36.1, 139.0)) == pytest.approx(0.0, abs=1e-6)
    assert col.bearing_deg((36.0, 139.0), (36.0, 139.1)) == pytest.approx(90.0, abs=0.1)
    assert col.bearing_deg((36.0, 139.0), (35.9, 139.0)) == pytest.approx(180.0, abs=1e-6)
    assert col.bearing_deg((36.0, 139.0), (36.0, 138.9)) == pytest.approx(270.0, abs=0.1)
    assert [col.compass(b) for b in (0, 44, 46, 90, 180, 225, 300, 350)] == ["N", "NE", "NE", "E", "S", "SW", "NW", "N"]


def test_next_target_is_the_nearest_unmet_card_from_the_last_met(deck):
    c = Collection(deck.id)
    assert c.next_target(deck) is None  # nothing met and no position: no guess
    c.meet(deck, 1, DAY)
    target = c.next_target(deck)
    start = (deck.card(1).lat, deck.card(1).lon)
    others = [x for x in deck.cards if x.number != 1]
    expected = min(others, key=lambda x: col.distance_m(start, (x.lat, x.lon)))
    assert target.card == expected
    assert target.distance_m == pytest.approx(col.distance_m(start, (expected.lat, expected.lon)))
    assert target.direction == col.compass(target.bearing_deg)
    c.meet(deck, expected.number, DAY)
    assert c.next_target(deck).card != expected


def test_next_target_respects_the_session_and_uses_the_position_hint(deck):
    c = Collection(deck.id)
    c.limit_session(deck, [30, 40])
    here = (deck.card(40).lat + 0.0001, deck.card(40).lon)
    assert c.next_target(deck, here).card.number == 40
    c.meet(deck, 40, DAY)
    assert c.next_target(deck, here).card.number == 30
    c.meet(deck, 30, DAY)
    assert c.next_target(deck, here) is None  # the walk is done


def test_cards_without_location_are_skipped(deck):
    cards = tuple(replace(x, lat=None, lon=None) if x.number != 1 and x.number % 2 else x for x in deck.cards)
    sparse = replace(deck, cards=cards)
    c = Collection(deck.id)
    c.meet(sparse, 1, DAY)
    assert c.next_target(sparse).card.number % 2 == 0


def test_nearest_cards_for_a_walk_around_the_school(deck):
    near = col.nearest_cards(deck, 9, 5)
    assert near[0] == 9 and len(near) == 5
    school = (deck.card(9).lat, deck.card(9).lon)
    dist = [col.distance_m(school, (deck.card(n).lat, deck.card(n).lon)) for n in near]
    assert dist == sorted(dist)
    rest = [x for x in deck.cards if x.number not in near]
    assert min(col.distance_m(school, (x.lat, x.lon)) for x in rest) >= dist[-1]
