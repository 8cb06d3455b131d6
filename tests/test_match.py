"""Match rules: takes, お手つき penalties, simultaneous touches, the scoreboard, ranking."""

from __future__ import annotations

import pytest

from karuta.engine import match as M
from karuta.engine.match import Match, MatchError, Touch


def test_a_take_moves_the_card_from_the_field_to_the_player():
    m = Match(2, [1, 2, 3])
    m.call(2, time=10.0)
    out = m.touch(0, 2, 11.5)
    assert out.kind == M.TAKE and out.reaction == pytest.approx(1.5)
    assert m.field == [1, 3] and m.sides[0].taken == [2] and m.scores == [1, 0]
    # The card is decided: the slower player is late, not at fault.
    assert m.touch(1, 2, 11.6).kind == M.LATE
    assert m.sides[1].faults == 0


def test_touches_without_a_card_being_read_do_nothing():
    m = Match(2, [1, 2])
    assert m.touch(0, 1, 0.0).kind == M.IDLE
    m.call(1)
    m.close()
    assert m.touch(0, 1, 0.0).kind == M.IDLE
    assert m.field == [1, 2] and m.scores == [0, 0]


def test_wrong_card_give_back_loses_the_latest_card_and_ends_the_chance_at_this_card():
    m = Match(2, [1, 2, 3, 4], penalty=M.GIVE_BACK)
    m.call(1)
    m.touch(0, 1, 1.0)
    m.call(2)
    m.touch(0, 2, 2.0)
    m.call(3)
    out = m.touch(0, 4, 3.0)
    assert out.kind == M.FAULT and out.lost == 2
    assert m.sides[0].taken == [1] and m.discard == [2] and m.sides[0].faults == 1
    assert m.field == [3, 4]  # the wrongly touched card stays on the field
    assert m.touch(0, 3, 3.5).kind == M.LOCKED  # no second try at this card
    assert m.touch(1, 3, 3.6).kind == M.TAKE


def test_give_back_with_no_cards_costs_nothing():
    m = Match(2, [1, 2], penalty=M.GIVE_BACK)
    m.call(1)
    out = m.touch(1, 2, 0.5)
    assert out.kind == M.FAULT and out.lost is None
    assert m.discard == [] and m.scores == [0, 0]


def test_sit_out_rule_skips_the_next_card_only():
    m = Match(2, [1, 2, 3, 4], penalty=M.SIT_OUT)
    m.call(1)
    assert m.touch(0, 2, 1.0).kind == M.FAULT
    assert m.sits_next == {0}
    m.touch(1, 1, 1.2)
    m.call(2)
    assert m.sitting_out == {0}
    assert m.touch(0, 2, 2.0).kind == M.LOCKED
    m.touch(1, 2, 2.1)
    m.call(3)
    assert m.sitting_out == set()
    assert m.touch(0, 3, 3.0).kind == M.TAKE
    assert m.sides[0].taken == [3]  # sitting out took no card away


def test_no_penalty_rule_only_counts_the_fault():
    m = Match(1, [1, 2], penalty=M.NONE)
    m.call(1)
    m.touch(0, 1, 0.1)
    m.call(2)
    assert m.touch(0, 1, 0.2).kind == M.IDLE  # a taken card is no longer on the field
    m2 = Match(1, [1, 2, 3], penalty=M.NONE)
    m2.call(1)
    m2.touch(0, 1, 0.1)
    m2.call(2)
    assert m2.touch(0, 3, 0.2).kind == M.FAULT
    assert m2.sides[0].taken == [1] and m2.sits_next == set()


def test_without_lockout_a_fault_leaves_the_card_open_for_another_try():
    m = Match(1, [1, 2, 3], penalty=M.NONE, lockout=False)
    m.call(1)
    assert m.touch(0, 2, 0.5).kind == M.FAULT
    assert m.touch(0, 3, 0.7).kind == M.FAULT
    assert m.touch(0, 1, 0.9).kind == M.TAKE
    assert m.sides[0].faults == 2 and m.sides[0].taken == [1]


def test_simultaneous_touches_go_to_whoever_touched_first():
    m = Match(3, [1, 2, 3])
    m.call(2, time=0.0)
    results = m.resolve([Touch(0, 2, 1.30), Touch(1, 2, 1.25), Touch(2, 3, 1.20)])
    by_side = {r.side: r.kind for r in results}
    assert by_side == {2: M.FAULT, 1: M.TAKE, 0: M.LATE}
    assert m.sides[1].taken == [2]


def test_equal_times_keep_the_order_the_touches_arrived_in():
    m = Match(2, [5, 6])
    m.call(5)
    results = m.resolve([Touch(1, 5, 2.0), Touch(0, 5, 2.0)])
    assert [(r.side, r.kind) for r in results] == [(1, M.TAKE), (0, M.LATE)]


def test_a_fault_after_the_card_was_taken_is_ignored():
    m = Match(2, [1, 2])
    m.call(1)
    results = m.resolve([Touch(0, 1, 1.0), Touch(1, 2, 1.1)])
    assert [r.kind for r in results] == [M.TAKE, M.IDLE]
    assert m.sides[1].faults == 0


def test_missed_card_leaves_the_field_and_the_match_finishes():
    m = Match(2, [1, 2])
    m.call(1)
    assert m.miss()
    assert m.field == [2] and m.discard == [1] and not m.finished
    m.call(2)
    m.touch(1, 2, 0.4)
    assert m.finished


# ---------------------------------------------------------------- facilitator's scoreboard


def test_award_records_moves_and_undoes_a_take():
    m = Match(["あお", "オレンジ"], [1, 2, 3])
    m.call(1)
    assert m.award(0).kind == M.TAKE and m.scores == [1, 0]
    assert m.award(1, 1).kind == M.MOVED and m.scores == [0, 1]
    assert m.award(1, 1).kind == M.UNDONE and m.scores == [0, 0]
    assert 1 in m.field


def test_award_after_the_card_is_over_names_the_card():
    m = Match(2, [1, 2])
    m.call(1)
    m.close()
    assert m.award(0).kind == M.IDLE
    assert m.award(0, 1).kind == M.TAKE and m.sides[0].taken == [1]


def test_award_of_a_missed_card_brings_it_back_from_the_discard():
    m = Match(2, [1, 2])
    m.call(1)
    m.miss()
    assert m.award(1, 1).kind == M.TAKE
    assert m.discard == [] and m.sides[1].taken == [1]


def test_fault_recorded_by_the_facilitator_applies_the_rule():
    m = Match(2, [1, 2, 3], penalty=M.GIVE_BACK)
    m.call(1)
    m.award(0)
    out = m.fault(0)
    assert out.lost == 1 and m.scores == [0, 0] and m.sides[0].faults == 1
    s = Match(2, [1, 2, 3], penalty=M.SIT_OUT)
    s.call(1)
    s.fault(1)
    s.call(2)
    assert s.sitting_out == {1}


def test_undo_returns_the_card_to_the_field():
    m = Match(2, [1, 2])
    m.call(1)
    m.award(1)
    assert m.undo(1) == 1
    assert m.scores == [0, 0] and 1 in m.field
    assert m.undo(1) is None


# ---------------------------------------------------------------- ranking


def test_ranking_shares_ranks_on_equal_scores():
    m = Match(["a", "b", "c", "d"], range(10))
    for card, side in [(0, 1), (1, 1), (2, 2), (3, 2), (4, 0)]:
        m.call(card)
        m.award(side)
    ranks = [(rank, side.name) for rank, side in m.ranking()]
    assert ranks == [(1, "b"), (1, "c"), (3, "a"), (4, "d")]
    assert [s.name for s in m.winners()] == ["b", "c"]


def test_reaction_times_are_kept_per_side():
    m = Match(1, [1, 2])
    m.call(1, time=5.0)
    m.touch(0, 1, 6.0)
    m.call(2, time=10.0)
    m.touch(0, 2, 12.5)
    assert m.sides[0].reactions == [pytest.approx(1.0), pytest.approx(2.5)]


# ---------------------------------------------------------------- bad input


def test_bad_setups_are_refused_with_a_clear_message():
    with pytest.raises(MatchError, match="1 to 4"):
        Match(5)
    with pytest.raises(MatchError, match="お手つき"):
        Match(2, penalty="explode")
    with pytest.raises(MatchError, match="twice"):
        Match(2, [1, 1])
    m = Match(2, [1])
    with pytest.raises(MatchError, match="no player 3"):
        m.touch(3, 1, 0.0)
