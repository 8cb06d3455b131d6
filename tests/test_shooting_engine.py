"""Rules of カルタシューティング (karuta.engine.shooting): pure Python, no pygame."""

import itertools
import random

import pytest

from karuta.engine.flights import flight_plan, flight_pos
from karuta.engine import shooting as sh
from karuta.engine.kana import AIUEO, row_of

NUMBERS = list(range(1, 45))
KANA = {n: k for n, k in zip(NUMBERS, AIUEO)}
EASY, NORMAL, HARD = sh.DIFFICULTIES["easy"], sh.DIFFICULTIES["normal"], sh.DIFFICULTIES["hard"]


def new_round(difficulty=EASY, seed=1, count=10, numbers=NUMBERS):
    return sh.Round(numbers, difficulty, seed, count, KANA)


def to_aim(game, now):
    """Advance until the current turn accepts shots; returns the time."""
    game.update(now)
    while game.phase == sh.INTRO or game.phase in (sh.CAPTURED, sh.REVEAL):
        now = game.phase_end()
        game.update(now)
    return now


# ---------------------------------------------------------------- setup


@pytest.mark.parametrize("difficulty", list(sh.DIFFICULTIES.values()), ids=lambda d: d.key)
def test_every_turn_flies_the_answer_among_distinct_cards(difficulty):
    for seed in range(30):
        for plan in sh.plan_round(NUMBERS, difficulty, seed, 0, KANA):
            assert plan.answer in plan.flyers
            assert len(set(plan.flyers)) == len(plan.flyers) == difficulty.flyers
            assert set(plan.flyers) <= set(NUMBERS)


def test_the_answer_does_not_always_fly_in_the_same_lane():
    positions = {plan.flyers.index(plan.answer) for plan in sh.plan_round(NUMBERS, HARD, 5, 0, KANA)}
    assert len(positions) > 3


def test_no_card_is_read_twice_and_lengths_follow_the_setting():
    for count, expected in ((10, 10), (20, 20), (0, 44), (99, 44)):
        answers = [p.answer for p in sh.plan_round(NUMBERS, NORMAL, 3, count, KANA)]
        assert len(answers) == expected
        assert len(set(answers)) == expected


def test_a_small_deck_flies_every_card_it_has():
    plans = sh.plan_round([7, 8, 9], HARD, 1, 10, None)
    assert len(plans) == 3
    assert all(sorted(p.flyers) == [7, 8, 9] for p in plans)
    with pytest.raises(ValueError):
        sh.Round([], EASY, 1)


def test_same_seed_same_round_and_another_seed_another_round():
    a = sh.plan_round(NUMBERS, NORMAL, 42, 10, KANA)
    b = sh.plan_round(NUMBERS, NORMAL, 42, 10, KANA)
    c = sh.plan_round(NUMBERS, NORMAL, 43, 10, KANA)
    assert a == b
    assert [p.answer for p in a] != [p.answer for p in c]


def test_hard_decoys_come_from_the_answers_kana_row_when_it_has_enough():
    same_row = total = 0
    for plan in sh.plan_round(NUMBERS, HARD, 9, 0, KANA):
        row = row_of(KANA[plan.answer])
        row_size = sum(1 for n in NUMBERS if row_of(KANA[n]) == row)
        decoys = [n for n in plan.flyers if n != plan.answer]
        in_row = sum(1 for n in decoys if row_of(KANA[n]) == row)
        assert in_row == min(row_size - 1, len(decoys))
        same_row += in_row
        total += len(decoys)
    easy_same = sum(1 for plan in sh.plan_round(NUMBERS, EASY, 9, 0, KANA) for n in plan.flyers
                    if n != plan.answer and row_of(KANA[n]) == row_of(KANA[plan.answer]))
    assert same_row > easy_same


# ---------------------------------------------------------------- flight


@pytest.mark.parametrize("difficulty", list(sh.DIFFICULTIES.values()), ids=lambda d: d.key)
def test_flying_cards_never_overlap_and_stay_in_their_lanes(difficulty):
    field = (0, 140, 1024, 500)
    ch = difficulty.card_height
    cw = int(ch * 52 / 73)
    for seed in range(8):
        cards = list(range(difficulty.flyers))
        flights = flight_plan(cards, field, (cw, ch), difficulty.speed, seed, difficulty.bounce)
        assert sorted(f.card for f in flights) == cards
        for step in range(0, 400):
            t = step * 0.173
            boxes = []
            for f in flights:
                x, y = flight_pos(f, t, field, cw)
                assert field[1] <= y - ch / 2 and y + ch / 2 <= field[1] + field[3]
                boxes.append((x - cw / 2, y - ch / 2, x + cw / 2, y + ch / 2))
            for a, b in itertools.combinations(boxes, 2):
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x <= 0 or overlap_y <= 0, (seed, t)


def test_every_card_starts_inside_the_field_and_then_moves_at_the_set_speed():
    field = (0, 140, 1024, 500)
    cw, ch = 97, 136
    flights = flight_plan(list(range(8)), field, (cw, ch), 100.0, 3)
    for f in flights:
        x, _ = flight_pos(f, 0.0, field, cw)
        assert cw / 2 <= x <= field[2] - cw / 2
        x1, _ = flight_pos(f, 0.5, field, cw)
        assert 85 * 0.5 - 1e-6 <= abs(x1 - x) <= 115 * 0.5 + 1e-6 or abs(x1 - x) > f.period / 2  # or it wrapped
        assert {f.speed > 0 for f in flights} == {True, False}  # lanes go both ways


def test_on_easy_every_card_stays_in_full_view_and_still_moves_across():
    for fw in (1024, 814):  # 814: the narrower field beside an image-only deck's reading card
        field = (1024 - fw, 140, fw, 500)
        cw, ch = 121, 170
        flights = flight_plan([1, 2, 3, 4], field, (cw, ch), EASY.speed, 4, bounce=True)
        for f in flights:
            xs = [flight_pos(f, i * 0.2, field, cw)[0] for i in range(300)]
            assert all(field[0] + cw / 2 - 1e-6 <= x <= field[0] + fw - cw / 2 + 1e-6 for x in xs)
            assert max(xs) - min(xs) > fw * 0.4  # it really travels
            steps = [abs(b - a) for a, b in zip(xs, xs[1:])]
            assert max(steps) <= abs(f.speed) * 0.2 + 1e-6  # no jumps: it turns round at the edges


def test_a_card_that_leaves_one_side_comes_back_on_the_other():
    field = (0, 140, 1024, 500)
    f = flight_plan([1], field, (100, 140), 50.0, 1)[0]
    xs = [flight_pos(f, i * 0.25, field, 100)[0] for i in range(int(f.period / abs(f.speed) * 4) + 8)]
    assert max(xs) >= field[2] + 50 - 13 and min(xs) <= -50 + 13


# ---------------------------------------------------------------- turns and scoring


def test_intro_shots_do_not_count_then_a_hit_captures_and_scores():
    game = new_round()
    plan = game.turn
    assert game.phase == sh.INTRO
    assert game.shoot(plan.answer, 0.2) == sh.IGNORED
    assert game.score == 0 and game.misses == 0
    now = to_aim(game, 0.2)
    assert game.phase == sh.AIM and now == pytest.approx(sh.INTRO_TIME)
    assert game.shoot(plan.answer, now + 2.0) == sh.HIT
    assert game.phase == sh.CAPTURED
    assert game.captured == [plan.answer]
    assert game.score == sh.hit_points(2.0, 1, EASY) == 100 + round(100 * (1 - 2 / 20))
    assert game.shoot(plan.answer, now + 2.1) == sh.IGNORED  # already captured
    game.update(now + 2.0 + sh.CAPTURE_TIME)
    assert game.index == 1 and game.phase == sh.INTRO


def test_faster_hits_earn_more_and_a_shot_at_a_card_not_flying_is_ignored():
    assert sh.speed_points(0.5, EASY) > sh.speed_points(5.0, EASY) > sh.speed_points(19.0, EASY)
    assert sh.speed_points(25.0, EASY) == 0
    game = new_round()
    now = to_aim(game, 0)
    stranger = next(n for n in NUMBERS if n not in game.turn.flyers)
    assert game.shoot(stranger, now + 1) == sh.IGNORED
    assert game.misses == 0 and game.phase == sh.AIM


def test_streak_bonus_grows_caps_and_is_broken_by_otetsuki_and_timeouts():
    assert [sh.streak_points(s) for s in range(1, 8)] == [0, 25, 50, 75, 100, 100, 100]
    game = new_round(count=0)
    now = 0.0
    gains = []
    for _ in range(6):
        now = to_aim(game, now)
        before = game.score
        game.shoot(game.turn.answer, now + 1.0)
        now += 1.0
        gains.append(game.score - before)
    assert gains == [sh.hit_points(1.0, s, EASY) for s in range(1, 7)]
    assert game.best_streak == 6
    now = to_aim(game, now)
    wrong = next(c for c in game.turn.flyers if c != game.turn.answer)
    game.shoot(wrong, now + 0.5)
    assert game.streak == 0
    now = game.phase_end()
    game.update(now)
    before = game.score
    game.shoot(game.turn.answer, now + 0.5)
    assert game.score - before == sh.hit_points(now + 0.5 - game.aim_start, 1, EASY)
    now = to_aim(game, now + 0.5)
    game.update(game.deadline)  # nobody found it
    assert game.phase == sh.REVEAL and game.streak == 0 and game.best_streak == 6


def test_otetsuki_costs_points_freezes_shots_and_adds_the_freeze_to_the_turn():
    game = new_round()
    now = to_aim(game, 0)
    game.shoot(game.turn.answer, now + 1)
    now = to_aim(game, now + 1)
    plan = game.turn
    wrong = next(c for c in plan.flyers if c != plan.answer)
    before, deadline = game.score, game.deadline
    assert game.shoot(wrong, now + 3) == sh.MISS
    assert game.score == before - EASY.penalty_points and game.last_points == -EASY.penalty_points
    assert game.phase == sh.FROZEN and game.misses == 1
    assert game.deadline == pytest.approx(deadline + EASY.penalty_time)
    assert game.shoot(plan.answer, now + 3 + EASY.penalty_time * 0.9) == sh.IGNORED  # still frozen
    assert game.shoot(plan.answer, now + 3 + EASY.penalty_time + 0.01) == sh.HIT  # the child can still find it


def test_score_never_goes_below_zero():
    game = new_round()
    now = to_aim(game, 0)
    wrong = next(c for c in game.turn.flyers if c != game.turn.answer)
    game.shoot(wrong, now + 1)
    assert game.score == 0 and game.last_points == 0 and game.misses == 1


def test_timeout_reveals_the_answer_then_the_next_turn_starts():
    game = new_round(HARD)
    now = to_aim(game, 0)
    happened = game.update(now + HARD.turn_time - 0.01)
    assert game.phase == sh.AIM and not happened
    happened = game.update(now + HARD.turn_time)
    assert game.phase == sh.REVEAL and game.timeouts == 1
    assert any(isinstance(e, sh.Event) and e.kind == "timeout" and e.card == game.turn.answer for e in happened)
    assert game.shoot(game.turn.answer, now + HARD.turn_time + 0.5) == sh.IGNORED
    game.update(now + HARD.turn_time + sh.REVEAL_TIME)
    assert game.index == 1 and game.phase == sh.INTRO


def test_a_long_pause_in_updates_runs_every_phase_in_order():
    game = new_round(count=3)
    happened = game.update(1000.0)
    assert game.done and game.timeouts == 3
    entered = [h for h in happened if isinstance(h, sh.Entered)]
    assert [e.phase for e in entered] == [sh.AIM, sh.REVEAL, sh.INTRO] * 2 + [sh.AIM, sh.REVEAL, sh.DONE]
    times = [e.t for e in entered]
    assert times == sorted(times) and times[0] == pytest.approx(sh.INTRO_TIME)
    assert times[1] == pytest.approx(sh.INTRO_TIME + EASY.turn_time)  # each at its own moment, not at 1000 s


def test_the_round_ends_after_the_last_card_with_full_results():
    game = new_round(count=10)
    now = 0.0
    for i in range(10):
        now = to_aim(game, now)
        game.shoot(game.turn.answer, now + 1.0 + i * 0.1)
        now += 1.0 + i * 0.1
    game.update(now + sh.CAPTURE_TIME)
    assert game.done and game.turn is None
    r = game.results()
    assert r.turns == 10 and len(r.captured) == 10 and r.misses == 0 and r.timeouts == 0
    assert r.best_streak == 10
    assert r.average_reaction == pytest.approx(1.45)
    assert r.captured == tuple(p.answer for p in game.plans)


@pytest.mark.parametrize("seed", range(12))
def test_the_score_is_reproducible_from_the_recorded_events(seed):
    rng = random.Random(seed)
    difficulty = list(sh.DIFFICULTIES.values())[seed % 3]
    game = new_round(difficulty, seed=seed, count=0)
    now = 0.0
    while not game.done:
        now += rng.uniform(0.05, 1.5)
        if game.phase == sh.AIM and rng.random() < 0.6:
            plan = game.turn
            pick = plan.answer if rng.random() < 0.7 else rng.choice(plan.flyers)
            game.shoot(pick, now)
        else:
            game.update(now)
    results = game.results()
    assert results.misses + results.timeouts > 0 and results.captured  # the sample covers every rule
    assert sh.replay(game.events, difficulty, game.turns) == results
    assert sh.replay(list(game.events), difficulty, game.turns).score == game.score
    tampered = [e if e.kind != "hit" else sh.Event("hit", e.t + 3.0, e.turn, e.card) for e in game.events]
    assert sh.replay(tampered, difficulty, game.turns).score < results.score


# ---------------------------------------------------------------- what is shown


def test_reading_text_policy_by_difficulty_and_voice():
    assert sh.reading_visible(EASY, 0.0, voiced=True)
    assert not sh.reading_visible(NORMAL, 1.0, voiced=True) and sh.reading_visible(NORMAL, 4.0, voiced=True)
    assert sh.reading_visible(NORMAL, 0.0, voiced=False)
    assert not any(sh.reading_visible(HARD, t, voiced=True) for t in (0, 5, 30))
    # a silent device must still be playable on hard
    assert not sh.reading_visible(HARD, 0.5, voiced=False) and sh.reading_visible(HARD, 2.5, voiced=False)


# ---------------------------------------------------------------- best scores


def _results(score):
    return sh.Results(score=score, turns=10, captured=(1, 2), misses=0, timeouts=0, best_streak=2, reactions=(1.0,))


def test_best_scores_are_kept_per_deck_difficulty_and_length():
    records, new = sh.record_best({}, "demo", "easy", 10, _results(500))
    assert new and sh.best_score(records, "demo", "easy", 10) == 500
    same, new = sh.record_best(records, "demo", "easy", 10, _results(400))
    assert not new and same is records
    records, new = sh.record_best(records, "demo", "easy", 10, _results(700))
    assert new and sh.best_score(records, "demo", "easy", 10) == 700
    assert sh.best_score(records, "demo", "hard", 10) is None
    assert sh.best_score(records, "demo", "easy", 0) is None
    assert sh.best_score(records, "other", "easy", 10) is None


def test_saved_best_scores_with_junk_are_cleaned_not_trusted():
    dirty = {"demo:easy": {"10": {"score": 300}, "20": {"score": "lots"}, "all": {"score": -5}},
             "x": "nope", "demo:hard": {"10": {"score": True}}}
    assert sh.clean_records(dirty) == {"demo:easy": {"10": {"score": 300}}}
    with pytest.raises(ValueError):
        sh.clean_records(["not", "a", "mapping"])


# ---------------------------------------------------------------- the built-in player


def test_the_autoplayer_finishes_rounds_with_human_delays_and_the_odd_mistake():
    total_turns = misses = 0
    reactions = []
    for seed in range(6):
        game = new_round(EASY, seed=seed, count=10)
        bot = sh.AutoPlayer(seed)
        now = 0.0
        while not game.done:
            now += 1 / 30
            game.update(now)
            card = bot.target(game, now)
            if card is not None:
                game.shoot(card, now)
        r = game.results()
        assert r.timeouts == 0 and len(r.captured) == 10
        total_turns += r.turns
        misses += r.misses
        reactions.extend(r.reactions)
    assert 0 < misses < total_turns * 0.35
    assert min(reactions) >= 0.6  # nobody is instant
    assert sum(reactions) / len(reactions) < 3.5


def test_the_autoplayer_is_reproducible():
    def play(seed):
        game = new_round(NORMAL, seed=2, count=5)
        bot = sh.AutoPlayer(seed)
        now = 0.0
        while not game.done:
            now += 1 / 20
            game.update(now)
            card = bot.target(game, now)
            if card is not None:
                game.shoot(card, now)
        return game.events

    assert play(7) == play(7)
