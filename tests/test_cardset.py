"""Choosing the cards in play, saved sets, the opening card and the layout plan."""

from __future__ import annotations

import pytest

from karuta.engine import cardset as C
from karuta.engine.cardset import CardSet, CardSetError
from karuta.engine.deck import Card, Deck
from karuta.engine.kana import AIUEO


def deck(kana: str = "".join(AIUEO), deck_id: str = "t") -> Deck:
    return Deck(deck_id, "test", tuple(Card(i + 1, k, reading=f"{k}のふだ") for i, k in enumerate(kana)))


def test_all_rows_and_picked_choose_the_right_cards_in_deck_order():
    d = deck()
    assert len(CardSet().cards(d)) == 44
    rows = CardSet(C.ROWS, ("か行", "あ行")).cards(d)
    assert "".join(c.kana for c in rows) == "あいうえおかきくけこ"
    picked = CardSet(C.PICKED, numbers=(44, 1, 7, 7)).cards(d)
    assert [c.number for c in picked] == [1, 7, 44]


def test_choices_made_in_any_order_are_the_same_choice():
    a = CardSet(C.ROWS, ("さ行", "あ行"))
    b = CardSet(C.ROWS, ("あ行", "さ行"), name="セット1")
    assert a.same_choice(b)
    assert not a.same_choice(CardSet(C.ROWS, ("あ行",)))


def test_dakuten_and_old_kana_belong_to_their_rows():
    d = deck("がゐを")
    assert [c.kana for c in CardSet(C.ROWS, ("か行",)).cards(d)] == ["が"]
    assert [c.kana for c in CardSet(C.ROWS, ("わ行",)).cards(d)] == ["ゐ", "を"]


def test_picked_numbers_missing_from_the_deck_are_skipped():
    assert [c.number for c in CardSet(C.PICKED, numbers=(2, 99)).cards(deck("あいう"))] == [2]


def test_deck_rows_counts_cards_per_row_and_leaves_out_empty_rows():
    assert C.deck_rows(deck("あいかさし")) == [("あ行", 2), ("か行", 1), ("さ行", 2)]


def test_describe_is_short_japanese():
    d = deck()
    assert CardSet().describe(d) == "ぜんぶ（44まい）"
    assert CardSet(C.ROWS, ("あ行", "か行")).describe(d) == "あ行・か行（10まい）"
    assert CardSet(C.PICKED, numbers=(1, 2, 3)).describe(d) == "えらんだ カード（3まい）"


# ---------------------------------------------------------------- saved sets


def test_round_trip_through_plain_data():
    cs = CardSet(C.PICKED, numbers=(3, 1), name="セット2", deck="demo")
    data = cs.to_data()
    assert data == {"kind": "picked", "name": "セット2", "deck": "demo", "numbers": [1, 3]}
    assert CardSet.from_data(data) == cs


@pytest.mark.parametrize("bad, message", [
    ([], "mapping"),
    ({"kind": "some"}, "unknown kind"),
    ({"kind": "rows", "rows": ["ん行"]}, "unknown kana row"),
    ({"kind": "rows", "rows": []}, "names no row"),
    ({"kind": "picked", "numbers": ["1"]}, "card numbers"),
    ({"kind": "picked", "numbers": [True]}, "card numbers"),
    ({"kind": "picked", "numbers": []}, "names no card"),
])
def test_bad_saved_data_is_refused_with_a_message(bad, message):
    with pytest.raises(CardSetError, match=message):
        CardSet.from_data(bad)


def test_load_saved_drops_bad_entries_but_refuses_foreign_data():
    good = CardSet(C.ROWS, ("あ行",), name="セット1", deck="demo").to_data()
    assert [s.name for s in C.load_saved([good, {"kind": "x"}, "junk", dict(good)])] == ["セット1"]
    with pytest.raises(ValueError):
        C.load_saved({"not": "a list"})


def test_save_choice_names_sets_automatically_and_does_not_duplicate():
    sets: list = []
    sets, first, added = C.save_choice(sets, CardSet(C.ROWS, ("あ行",)), "demo")
    assert added and first.name == "セット1" and first.deck == "demo"
    sets, second, added = C.save_choice(sets, CardSet(C.ROWS, ("か行",)), "demo")
    assert second.name == "セット2"
    sets, again, added = C.save_choice(sets, CardSet(C.ROWS, ("あ行",)), "demo")
    assert not added and again.name == "セット1" and len(sets) == 2
    # Another deck has its own numbering.
    sets, other, _ = C.save_choice(sets, CardSet(C.ROWS, ("あ行",)), "other")
    assert other.name == "セット1"
    # A deleted name is reused.
    sets = C.delete_saved(sets, "セット1", "demo")
    sets, reused, _ = C.save_choice(sets, CardSet(C.ALL), "demo")
    assert reused.name == "セット1"
    assert [s.name for s in C.for_deck(sets, "demo")] == ["セット2", "セット1"]


def test_save_choice_refuses_more_than_the_limit():
    sets: list = []
    for i in range(C.MAX_SAVED):
        sets, _, _ = C.save_choice(sets, CardSet(C.PICKED, numbers=(i + 1,)), "demo")
    with pytest.raises(CardSetError, match="at most"):
        C.save_choice(sets, CardSet(C.PICKED, numbers=(40,)), "demo")


# ---------------------------------------------------------------- order, opening, layout


def test_reading_order_is_seeded_and_is_a_permutation():
    cards = list(deck().cards)
    a = C.reading_order(cards, 7)
    assert a == C.reading_order(cards, 7)
    assert a != C.reading_order(cards, 8)
    assert sorted(c.number for c in a) == list(range(1, 45))


def test_opening_card_is_one_not_in_play():
    d = deck()
    in_play = CardSet(C.ROWS, ("あ行",)).cards(d)
    opening = C.choose_opening(d.cards, in_play, 3)
    assert opening is not None and opening.number not in {c.number for c in in_play}
    assert C.choose_opening(d.cards, in_play, 3) == opening
    assert C.choose_opening(d.cards, list(d.cards), 3) is None


def test_layout_plan_splits_cards_into_three_rows_per_side():
    cards = list(deck().cards)
    plan = C.layout_plan(cards, 5, groups=2)
    assert len(plan) == 2
    for block in plan:
        assert len(block) == 3
        assert sum(len(r) for r in block) == 22
    laid = [c.number for block in plan for row in block for c in row]
    assert sorted(laid) == list(range(1, 45))
    assert C.layout_plan(cards, 5, groups=2) == plan
    assert C.layout_plan(cards, 6, groups=2) != plan


def test_layout_plan_spread_and_teams():
    cards = list(deck().cards)
    spread = C.layout_plan(cards, 1, groups=1)
    assert len(spread) == 1
    widths = {len(r) for r in spread[0][:-1]}
    assert widths == {8} and len(spread[0]) == 6  # 44 cards spread 8 x 6, roughly 4:3
    four = C.layout_plan(cards, 1, groups=4)
    assert [[len(r) for r in b] for b in four] == [[6, 5]] * 4  # rows no wider than a child can reach
    small = C.layout_plan(cards[:10], 1, groups=2)
    assert [[len(r) for r in b] for b in small] == [[5], [5]]  # few cards: one row each, not a column
    few = C.layout_plan(cards[:2], 1, groups=2)
    assert [[len(r) for r in b] for b in few] == [[1], [1]]
    with pytest.raises(ValueError):
        C.layout_plan(cards, 1, groups=5)
