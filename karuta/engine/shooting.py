"""カルタシューティング: the rules of the shooting mode, with no pygame.

A round reads cards one by one (seeded order, never the same card twice). In each
turn the answer's picture card flies across the field among a few decoys; the
player shoots one. The right card is captured (points for speed, a bonus for a
streak); a wrong card is お手つき (a short freeze and a small deduction); when
time runs out the answer is shown and the next turn begins.

Time is whatever clock the caller passes in (seconds, only ever increasing):
the scene passes its own clock, which stands still while the game is paused.
Everything that changes the score is recorded as an ``Event``; ``replay`` turns
the events back into the same results, so a score can be checked after the fact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .kana import row_of

# ---------------------------------------------------------------- difficulty

TEXT_ALWAYS, TEXT_HINT, TEXT_HEARD = "always", "hint", "heard"


@dataclass(frozen=True)
class Difficulty:
    key: str
    label: str            # what children read
    blurb: str            # one short line for the setup screen
    flyers: int           # cards in the air at once (the answer included)
    speed: float          # px per second of the flying cards (logical 1024-wide screen)
    card_height: int      # px; bigger targets for the little ones
    turn_time: float      # s to find the card before it is shown
    text: str             # TEXT_ALWAYS, TEXT_HINT (after hint_after s) or TEXT_HEARD (voice only)
    hint_after: float = 0.0
    penalty_time: float = 1.0   # お手つき freeze, s
    penalty_points: int = 30
    lookalikes: bool = False    # decoys from the answer's kana row (harder to tell apart)
    bounce: bool = False        # cards swing edge to edge and never leave the screen


DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty("easy", "やさしい", "ゆっくり・4まい・もじが でる", flyers=4, speed=45.0,
                       card_height=170, turn_time=20.0, text=TEXT_ALWAYS, bounce=True),
    "normal": Difficulty("normal", "ふつう", "6まい・もじは あとから", flyers=6, speed=70.0,
                         card_height=150, turn_time=15.0, text=TEXT_HINT, hint_after=4.0),
    "hard": Difficulty("hard", "むずかしい", "はやい・8まい・きくだけ", flyers=8, speed=100.0,
                       card_height=136, turn_time=12.0, text=TEXT_HEARD, hint_after=2.0,
                       lookalikes=True),
}
DEFAULT_DIFFICULTY = "easy"
COUNTS = (10, 20, 0)  # 0 = every card of the deck
DEFAULT_COUNT = 10


def round_length(deck_size: int, count: int) -> int:
    """How many cards a round reads: ``count`` (0 = all), never more than the deck has."""
    if count <= 0:
        return deck_size
    return min(count, deck_size)


def reading_visible(difficulty: Difficulty, elapsed: float, voiced: bool) -> bool:
    """Whether the reading card's text (or image) is on screen ``elapsed`` s into a turn.

    Without a voice there is nothing to hear, so the text always comes, on hard a
    little later: a round must stay playable on a silent iPad.
    """
    if difficulty.text == TEXT_ALWAYS:
        return True
    if difficulty.text == TEXT_HINT:
        return not voiced or elapsed >= difficulty.hint_after
    return not voiced and elapsed >= difficulty.hint_after


# ---------------------------------------------------------------- scoring

BASE_POINTS = 100
SPEED_POINTS = 100     # at most, for an instant hit; nothing left at the time limit
STREAK_STEP = 25       # per card in a row after the first
STREAK_CAP = 100


def speed_points(reaction: float, difficulty: Difficulty) -> int:
    share = 1.0 - max(0.0, reaction) / difficulty.turn_time
    return int(round(SPEED_POINTS * min(1.0, max(0.0, share))))


def streak_points(streak: int) -> int:
    """Bonus for the ``streak``-th card in a row (1 = no bonus yet)."""
    return min(STREAK_CAP, STREAK_STEP * max(0, streak - 1))


def hit_points(reaction: float, streak: int, difficulty: Difficulty) -> int:
    return BASE_POINTS + speed_points(reaction, difficulty) + streak_points(streak)


# ---------------------------------------------------------------- round setup


@dataclass(frozen=True)
class TurnPlan:
    answer: int                 # card number
    flyers: tuple[int, ...]     # card numbers in the air, answer included, in lane order


def plan_round(numbers: Sequence[int], difficulty: Difficulty, seed, count: int,
               kana_of: dict[int, str] | None = None) -> list[TurnPlan]:
    """Which card each turn reads and which cards fly with it. Same inputs, same round."""
    numbers = list(dict.fromkeys(numbers))
    rng = random.Random(f"shooting:{seed}")
    order = list(numbers)
    rng.shuffle(order)
    order = order[:round_length(len(numbers), count)]
    n_fly = max(1, min(difficulty.flyers, len(numbers)))
    plans = []
    for answer in order:
        others = [n for n in numbers if n != answer]
        rng.shuffle(others)
        if difficulty.lookalikes and kana_of:
            # Same-row kana (か/き/く...) look and sound alike: a fair challenge for older children.
            row = row_of(kana_of.get(answer, ""))
            others.sort(key=lambda n: row_of(kana_of.get(n, "")) != row)  # stable: keeps the shuffle within groups
        flyers = [answer] + others[:n_fly - 1]
        rng.shuffle(flyers)
        plans.append(TurnPlan(answer, tuple(flyers)))
    return plans


# ---------------------------------------------------------------- the round

INTRO, AIM, FROZEN, CAPTURED, REVEAL, DONE = "intro", "aim", "frozen", "captured", "reveal", "done"
INTRO_TIME = 0.8     # "だい 3 もん": cards come in; shots do not count yet
CAPTURE_TIME = 1.1   # the captured card flies to the pile
REVEAL_TIME = 3.0    # the answer is shown after a timeout

HIT, MISS, IGNORED = "hit", "miss", "ignored"


@dataclass(frozen=True)
class Event:
    kind: str          # "aim" (turn starts), "hit", "miss", "timeout"
    t: float
    turn: int
    card: int | None = None


@dataclass(frozen=True)
class Entered:
    """A phase the round entered during ``update`` (``first``: the turn's first AIM, not a return from a freeze)."""

    phase: str
    t: float
    first: bool = False


@dataclass(frozen=True)
class Results:
    score: int
    turns: int
    captured: tuple[int, ...]
    misses: int
    timeouts: int
    best_streak: int
    reactions: tuple[float, ...]

    @property
    def average_reaction(self) -> float | None:
        return sum(self.reactions) / len(self.reactions) if self.reactions else None


class Round:
    """One round of shooting karuta. Drive it with ``update(now)`` and ``shoot(card, now)``."""

    def __init__(self, numbers: Sequence[int], difficulty: Difficulty, seed, count: int = DEFAULT_COUNT,
                 kana_of: dict[int, str] | None = None, start: float = 0.0):
        if not numbers:
            raise ValueError("a round needs at least one card")
        self.difficulty = difficulty
        self.seed = seed
        self.plans = plan_round(numbers, difficulty, seed, count, kana_of)
        self.events: list[Event] = []
        self.index = 0
        self.phase = INTRO
        self.phase_since = start
        self.aim_start = start
        self.turn_misses = 0
        self.score = 0
        self.streak = 0
        self.best_streak = 0
        self.captured: list[int] = []
        self.misses = 0
        self.timeouts = 0
        self.reactions: list[float] = []
        self.last_points = 0
        self.now = start

    # -- what the scene reads

    @property
    def turn(self) -> TurnPlan | None:
        return self.plans[self.index] if self.index < len(self.plans) else None

    @property
    def turns(self) -> int:
        return len(self.plans)

    @property
    def done(self) -> bool:
        return self.phase == DONE

    @property
    def deadline(self) -> float:
        """When the turn times out: each お手つき freeze is added, so a freeze never eats the turn."""
        return self.aim_start + self.difficulty.turn_time + self.turn_misses * self.difficulty.penalty_time

    def time_left(self, now: float) -> float:
        if self.phase not in (AIM, FROZEN):
            return 0.0
        return max(0.0, self.deadline - now)

    def phase_end(self) -> float | None:
        if self.phase == INTRO:
            return self.phase_since + INTRO_TIME
        if self.phase == FROZEN:
            return self.phase_since + self.difficulty.penalty_time
        if self.phase == CAPTURED:
            return self.phase_since + CAPTURE_TIME
        if self.phase == REVEAL:
            return self.phase_since + REVEAL_TIME
        if self.phase == AIM:
            return self.deadline
        return None

    # -- time

    def update(self, now: float) -> list[Event | Entered]:
        """Advance to ``now``. Returns what happened, in order: new Events and the phases entered."""
        happened: list[Event | Entered] = []
        self.now = max(self.now, now)
        while True:
            end = self.phase_end()
            if end is None or self.now < end:
                return happened
            if self.phase == INTRO:
                self.aim_start = end
                self._enter(AIM, end, happened, first=True)
                happened.append(self._record("aim", end, None))
            elif self.phase == FROZEN:
                self._enter(AIM, end, happened)
            elif self.phase == AIM:
                self.timeouts += 1
                self.streak = 0
                happened.append(self._record("timeout", end, self.turn.answer))
                self._enter(REVEAL, end, happened)
            else:  # CAPTURED or REVEAL: next turn
                self.index += 1
                self.turn_misses = 0
                if self.index >= len(self.plans):
                    self._enter(DONE, end, happened)
                else:
                    self._enter(INTRO, end, happened)

    def _enter(self, phase: str, t: float, happened: list, first: bool = False) -> None:
        self.phase = phase
        self.phase_since = t
        happened.append(Entered(phase, t, first))

    def _record(self, kind: str, t: float, card: int | None) -> Event:
        event = Event(kind, t, self.index, card)
        self.events.append(event)
        return event

    # -- shooting

    def shoot(self, card: int, now: float) -> str:
        """The player shot ``card``: HIT, MISS (お手つき) or IGNORED (not a moment for shooting)."""
        self.update(now)
        turn = self.turn
        if self.phase != AIM or turn is None or card not in turn.flyers:
            return IGNORED
        t = self.now
        if card == turn.answer:
            reaction = t - self.aim_start
            self.streak += 1
            self.best_streak = max(self.best_streak, self.streak)
            self.last_points = hit_points(reaction, self.streak, self.difficulty)
            self.score += self.last_points
            self.captured.append(card)
            self.reactions.append(reaction)
            self._record("hit", t, card)
            self.phase, self.phase_since = CAPTURED, t
            return HIT
        before = self.score
        self.score = max(0, self.score - self.difficulty.penalty_points)  # a child's score never goes below zero
        self.last_points = self.score - before
        self.misses += 1
        self.turn_misses += 1
        self.streak = 0
        self._record("miss", t, card)
        self.phase, self.phase_since = FROZEN, t
        return MISS

    def results(self) -> Results:
        return Results(score=self.score, turns=len(self.plans), captured=tuple(self.captured), misses=self.misses,
                       timeouts=self.timeouts, best_streak=self.best_streak, reactions=tuple(self.reactions))


def replay(events: Iterable[Event], difficulty: Difficulty, turns: int) -> Results:
    """The results a list of recorded events earns, computed afresh from the scoring rules."""
    score = streak = best = misses = timeouts = 0
    captured: list[int] = []
    reactions: list[float] = []
    aim_at: dict[int, float] = {}
    for e in events:
        if e.kind == "aim":
            aim_at[e.turn] = e.t
        elif e.kind == "hit":
            reaction = e.t - aim_at[e.turn]
            streak += 1
            best = max(best, streak)
            score += hit_points(reaction, streak, difficulty)
            captured.append(e.card)
            reactions.append(reaction)
        elif e.kind == "miss":
            score = max(0, score - difficulty.penalty_points)
            misses += 1
            streak = 0
        elif e.kind == "timeout":
            timeouts += 1
            streak = 0
    return Results(score=score, turns=turns, captured=tuple(captured), misses=misses, timeouts=timeouts,
                   best_streak=best, reactions=tuple(reactions))


# ---------------------------------------------------------------- best scores

SCORES_KEY = "scores.shooting"


def count_key(count: int) -> str:
    return "all" if count <= 0 else str(count)


def best_key(deck_id: str, difficulty: str) -> str:
    return f"{deck_id}:{difficulty}"


def best_score(records: dict, deck_id: str, difficulty: str, count: int) -> int | None:
    entry = records.get(best_key(deck_id, difficulty), {}).get(count_key(count))
    return entry["score"] if entry else None


def record_best(records: dict, deck_id: str, difficulty: str, count: int, results: Results) -> tuple[dict, bool]:
    """New records with ``results`` kept if they beat the best (per deck, difficulty and round length).

    Round lengths are kept apart because a 44-card round always outscores a 10-card one.
    Returns (records, True when it is a new best).
    """
    old = best_score(records, deck_id, difficulty, count)
    if old is not None and results.score <= old:
        return records, False
    out = {k: dict(v) for k, v in records.items()}
    out.setdefault(best_key(deck_id, difficulty), {})[count_key(count)] = {
        "score": results.score, "captured": len(results.captured), "turns": results.turns,
        "best_streak": results.best_streak,
    }
    return out, True


def clean_records(data) -> dict:
    """Saved best scores with anything malformed dropped (for Store.load's validate)."""
    if not isinstance(data, dict):
        raise ValueError("best scores are not a mapping")
    out: dict = {}
    for key, per_count in data.items():
        if not isinstance(key, str) or not isinstance(per_count, dict):
            continue
        for ck, entry in per_count.items():
            if (isinstance(ck, str) and isinstance(entry, dict) and isinstance(entry.get("score"), int)
                    and not isinstance(entry.get("score"), bool) and entry["score"] >= 0):
                out.setdefault(key, {})[ck] = entry
    return out


# ---------------------------------------------------------------- the built-in player


@dataclass
class AutoPlayer:
    """Plays like a child: waits a moment, aims a little off-centre, sometimes shoots the wrong card."""

    seed: object = 0
    mistake_rate: float = 0.15
    rng: random.Random = field(init=False)
    _turn: int = field(default=-1, init=False)
    _fire_at: float = field(default=0.0, init=False)
    _wrong: int | None = field(default=None, init=False)

    def __post_init__(self):
        self.rng = random.Random(f"autoplayer:{self.seed}")

    def target(self, game: Round, now: float) -> int | None:
        """The card to shoot now, or None to keep waiting."""
        turn = game.turn
        if turn is None or game.phase != AIM:
            if game.phase == FROZEN:
                # after a freeze a child looks again before shooting
                self._fire_at = game.phase_since + game.difficulty.penalty_time + self.rng.uniform(0.4, 0.9)
            return None
        if self._turn != game.index:
            self._turn = game.index
            self._fire_at = now + self.rng.uniform(1.0, 2.2)
            decoys = [c for c in turn.flyers if c != turn.answer]
            self._wrong = self.rng.choice(decoys) if decoys and self.rng.random() < self.mistake_rate else None
            if self._wrong is not None:
                self._fire_at = now + self.rng.uniform(0.6, 1.2)
        if now < self._fire_at:
            return None
        if self._wrong is not None:
            wrong, self._wrong = self._wrong, None
            return wrong
        return turn.answer

    def offset(self, size: tuple[int, int]) -> tuple[float, float]:
        """Where on the card the tap lands, relative to its centre (inside the card)."""
        return (self.rng.uniform(-0.3, 0.3) * size[0], self.rng.uniform(-0.3, 0.3) * size[1])
