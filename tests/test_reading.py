"""The reader's timeline: rhythm, 空読み, read twice, waiting, repeat, back, pause."""

from __future__ import annotations

import pytest

from karuta.engine import reading as R
from karuta.engine.reading import Rules, Timeline, estimate_duration


def run(tl: Timeline, seconds: float, dt: float = 0.05, speaking: bool = False) -> list:
    """Advance in small steps; return every cue seen (kind, card, pass)."""
    cues = []
    for _ in range(int(round(seconds / dt))):
        tl.update(dt, speaking)
        cues += [(c.kind, c.card, c.pass_no) for c in tl.take_cues()]
    return cues


def kinds(cues) -> list[str]:
    return [c[0] for c in cues]


def fixed(seconds):
    return lambda card: seconds


def make(cards="ABC", **rules) -> Timeline:
    opening = rules.pop("opening", None)
    return Timeline(list(cards), Rules(**rules), duration_of=fixed(2.0), opening=opening)


# ---------------------------------------------------------------- estimate


def test_estimate_grows_with_length_and_pauses():
    short = estimate_duration("あさひ")
    long = estimate_duration("あさひばしわたるとひびくかわのおと")
    paused = estimate_duration("あさひばし　わたるとひびく　かわのおと")
    assert long > short
    assert paused > long  # the pauses between the 5-7-5 parts take time
    assert 2.5 < paused < 6.0  # a 5-7-5 card is read in a few seconds


def test_estimate_counts_contracted_sounds_as_one_mora():
    assert estimate_duration("きゃきゃきゃきゃきゃきゃきゃきゃきゃきゃ") == estimate_duration("かかかかかかかかかか")


def test_estimate_has_a_floor_for_empty_text():
    assert estimate_duration("") == R.MIN_READING


# ---------------------------------------------------------------- rules


def test_rules_bring_values_into_range():
    assert Rules(auto_advance=1).auto_advance == 3.0
    assert Rules(auto_advance=99).auto_advance == 30.0
    assert Rules(auto_advance=None).auto_advance is None
    assert Rules(gap_between_cards=-2).gap_between_cards == 0.0
    assert Rules(gap_between_readings=float("nan")).gap_between_readings == 1.5
    assert Rules(gap_between_cards="x").gap_between_cards == 1.1


# ---------------------------------------------------------------- the rhythm


def test_read_twice_rhythm_with_gaps_and_wait_for_next():
    tl = make("AB", read_twice=True, gap_between_readings=1.0, gap_between_cards=1.0, lead_in=0.5)
    tl.start()
    assert tl.phase == R.LEAD
    cues = run(tl, 0.5)
    assert cues == [(R.BEGIN, "A", 0), (R.SAY, "A", 1)]
    assert run(tl, 1.9) == [] and tl.phase == R.READING
    run(tl, 0.2)
    assert tl.phase == R.BETWEEN
    cues = run(tl, 1.0)
    assert cues == [(R.SAY, "A", 2)] and tl.pass_no == 2
    run(tl, 2.0)
    assert tl.phase == R.WAITING and tl.countdown is None
    # Without auto-advance the reader waits as long as it takes.
    assert run(tl, 60) == [] and tl.phase == R.WAITING
    assert tl.next()
    assert tl.phase == R.GAP and tl.current == "A"
    cues = run(tl, 1.0)
    assert cues == [(R.BEGIN, "B", 0), (R.SAY, "B", 1)]
    assert tl.read_count == 2 and tl.left == 0


def test_read_once_goes_straight_to_the_wait():
    tl = make("AB", read_twice=False, lead_in=0)
    tl.start()
    run(tl, 2.05)
    assert tl.phase == R.WAITING
    assert [c.kind for c in tl.take_cues()] == []


def test_auto_advance_counts_down_then_times_out_and_moves_on():
    tl = make("AB", read_twice=False, auto_advance=5, gap_between_cards=1.0, lead_in=0)
    tl.start()
    tl.take_cues()
    run(tl, 2.0)
    assert tl.phase == R.WAITING
    assert tl.countdown == pytest.approx(5.0)
    run(tl, 3.0)
    assert tl.countdown == pytest.approx(2.0)
    cues = run(tl, 2.0)
    assert (R.TIMEOUT, "A", 0) in cues
    assert tl.phase == R.GAP
    cues = run(tl, 1.0)
    assert (R.BEGIN, "B", 0) in cues


def test_session_ends_after_the_last_card():
    tl = make("A", read_twice=False, auto_advance=3, lead_in=0)
    tl.start()
    cues = run(tl, 5.1)
    assert kinds(cues)[-1] == R.END
    assert tl.done and tl.read_count == 1 and tl.left == 0
    assert tl.history == ["A"]
    assert tl.next() is False


def test_empty_order_ends_at_once():
    tl = make("")
    tl.start()
    assert tl.done
    assert [c.kind for c in tl.take_cues()] == [R.END]


def test_a_long_frame_crosses_several_phases():
    tl = make("AB", read_twice=True, gap_between_readings=0.5, gap_between_cards=0.5, lead_in=0.5,
              auto_advance=3)
    tl.start()
    tl.update(0.5 + 2 + 0.5 + 2 + 3 + 0.5 + 0.1)
    cues = [(c.kind, c.card) for c in tl.take_cues()]
    assert cues == [(R.BEGIN, "A"), (R.SAY, "A"), (R.SAY, "A"), (R.TIMEOUT, "A"), (R.BEGIN, "B"), (R.SAY, "B")]
    assert tl.elapsed == pytest.approx(0.1)


# ---------------------------------------------------------------- 空読み


def test_opening_card_is_read_without_taking_and_not_counted():
    tl = make("AB", read_twice=True, gap_between_readings=1.0, gap_between_cards=1.0, lead_in=0, opening="X",
              auto_advance=10)
    tl.start()
    assert tl.current == "X" and tl.is_opening
    assert not tl.accepting  # nobody may take during 空読み
    assert tl.read_count == 0 and tl.left == 2
    first = tl.take_cues()[0]
    assert first.kind == R.BEGIN and first.opening
    run(tl, 2.0 + 1.0 + 2.0)
    assert tl.phase == R.GAP  # no waiting for a take after the opening card
    cues = run(tl, 1.0)
    assert (R.BEGIN, "A", 0) in cues
    assert tl.accepting and tl.read_count == 1
    assert tl.history == ["A"]


# ---------------------------------------------------------------- taps


def test_next_during_reading_stops_the_voice_and_skips_to_the_gap():
    tl = make("AB", lead_in=0)
    tl.start()
    tl.take_cues()
    run(tl, 1.0)
    assert tl.next()
    assert [c.kind for c in tl.take_cues()] == [R.STOP]
    assert tl.phase == R.GAP


def test_double_tap_on_next_does_not_skip_a_card():
    tl = make("ABC", lead_in=0, gap_between_cards=0.1)
    tl.start()
    run(tl, 1.0)
    assert tl.next() is True
    assert tl.next() is False  # the same instant: a double tap
    run(tl, 0.3)
    assert tl.current == "B" and tl.phase == R.READING
    run(tl, R.NEXT_GUARD)
    assert tl.next() is True


def test_next_before_start_starts_and_next_in_lead_starts_reading():
    tl = make("AB", lead_in=2.0)
    assert tl.next() and tl.phase == R.LEAD
    run(tl, 1.0)
    assert tl.next() and tl.phase == R.READING and tl.current == "A"


def test_take_during_reading_skips_the_second_reading_and_the_wait():
    tl = make("AB", read_twice=True, lead_in=0, auto_advance=10)
    tl.start()
    tl.take_cues()
    run(tl, 1.0)
    assert tl.card_taken()
    assert [c.kind for c in tl.take_cues()] == [R.STOP]
    assert tl.phase == R.GAP and not tl.accepting


def test_take_recorded_during_the_gap_does_not_skip_the_next_card():
    tl = make("ABC", read_twice=False, lead_in=0, gap_between_cards=1.0)
    tl.start()
    run(tl, 2.05)
    tl.next()
    assert tl.phase == R.GAP
    assert tl.card_taken() is False
    run(tl, 1.0)
    assert tl.current == "B"


def test_repeat_reads_the_card_once_more_then_waits_again():
    tl = make("AB", read_twice=True, lead_in=0, gap_between_readings=1.0)
    tl.start()
    run(tl, 5.05)
    assert tl.phase == R.WAITING
    tl.take_cues()
    assert tl.repeat()
    assert [(c.kind, c.card, c.pass_no) for c in tl.take_cues()] == [(R.STOP, "A", 0), (R.SAY, "A", 1)]
    run(tl, 2.05)
    assert tl.phase == R.WAITING  # one extra reading, not two


def test_repeat_in_the_gap_rereads_the_card_just_read():
    tl = make("AB", read_twice=False, lead_in=0)
    tl.start()
    run(tl, 2.05)
    tl.next()
    assert tl.repeat()
    assert tl.current == "A" and tl.phase == R.READING


def test_back_unreads_the_current_card_and_rereads_the_previous():
    tl = make("ABC", read_twice=False, lead_in=0, gap_between_cards=0.5)
    tl.start()
    run(tl, 2.05)
    tl.next()
    run(tl, 0.6)
    assert tl.current == "B"
    tl.take_cues()
    assert tl.back()
    cues = [(c.kind, c.card) for c in tl.take_cues()]
    assert cues == [(R.STOP, "B"), (R.UNREAD, "B"), (R.BEGIN, "A"), (R.SAY, "A")]
    assert tl.current == "A" and tl.read_count == 1 and tl.history == ["A"]


def test_back_on_the_first_card_restarts_it_and_after_the_end_reopens_the_last():
    tl = make("AB", read_twice=False, lead_in=0, auto_advance=3, gap_between_cards=0.5)
    tl.start()
    run(tl, 1.0)
    assert tl.back() and tl.current == "A" and tl.elapsed == 0
    run(tl, 2 + 3 + 0.5 + 2 + 3 + 0.1)
    assert tl.done
    assert tl.back()
    assert tl.current == "B" and tl.phase == R.READING


def test_pause_freezes_time_and_resume_reads_the_pass_again():
    tl = make("AB", read_twice=False, lead_in=0)
    tl.start()
    run(tl, 1.0)
    tl.take_cues()
    tl.pause()
    assert [c.kind for c in tl.take_cues()] == [R.STOP]
    run(tl, 30)
    assert tl.phase == R.READING and tl.elapsed == pytest.approx(1.0)
    tl.resume()
    assert [(c.kind, c.pass_no) for c in tl.take_cues()] == [(R.SAY, 1)]
    assert tl.elapsed == 0.0
    run(tl, 2.05)
    assert tl.phase == R.WAITING


def test_pause_during_the_auto_wait_holds_the_countdown():
    tl = make("AB", read_twice=False, lead_in=0, auto_advance=5)
    tl.start()
    run(tl, 3.0)
    left = tl.countdown
    tl.toggle_pause()
    run(tl, 20)
    assert tl.countdown == pytest.approx(left)
    tl.toggle_pause()
    assert [c.kind for c in tl.take_cues() if c.kind == R.SAY] == []  # nothing to re-read while waiting


# ---------------------------------------------------------------- durations


def test_durations_come_from_the_callable_with_an_estimate_when_unknown():
    seen = []

    def duration_of(card):
        seen.append(card)
        return {"A": 4.0, "B": None, "C": float("nan"), "D": -1}.get(card)

    tl = Timeline(list("ABCD"), Rules(), duration_of=duration_of, kana_of=lambda c: "あいうえおかきくけこ")
    assert tl.duration("A") == 4.0
    expected = estimate_duration("あいうえおかきくけこ")
    assert tl.duration("B") == expected
    assert tl.duration("C") == expected
    assert tl.duration("D") == expected
    tl.duration("A")
    assert seen.count("A") == 1  # asked once per card


def test_reading_progress_follows_the_duration():
    tl = make("A", lead_in=0)
    tl.start()
    run(tl, 1.0)
    assert tl.reading_progress == pytest.approx(0.5)


def test_a_voice_still_speaking_holds_the_reading_but_not_for_ever():
    tl = make("A", read_twice=False, lead_in=0)
    tl.start()
    run(tl, 2.5, speaking=True)
    assert tl.phase == R.READING  # the estimate ran out but the voice is still going
    run(tl, 0.1, speaking=False)
    assert tl.phase == R.WAITING
    tl2 = make("A", read_twice=False, lead_in=0)
    tl2.start()
    run(tl2, 2.0 * 1.5 + 3.0 + 0.2, speaking=True)
    assert tl2.phase == R.WAITING  # a stuck voice cannot stop the game
