"""The reader's timeline: which card is read when, as a pure state machine driven by elapsed time.

The game master and on-screen play both read through a ``Timeline``. The scene feeds it
time with ``update(dt)`` and taps with ``next()`` / ``repeat()`` / ``back()`` /
``pause()``; the timeline answers with cues (start reading this card, stop the voice,
no one took the card, the session is over) that the scene turns into sound and pixels.

Per card the rhythm is::

    reading (pass 1) -> gap between readings -> reading (pass 2, if read twice)
        -> waiting for the take (until "next", or auto-advance after 3-30 s)
        -> gap between cards (the steady breath before the next card)

An optional opening card (空読み) is read first with no taking, so it skips the wait.
How long a reading lasts comes from a callable (the voice knows the real length of a
recording); without one, the length is estimated from the number of kana.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Sequence, TypeVar

T = TypeVar("T")

# Phases
READY = "ready"        # not started yet
LEAD = "lead"          # the short pause before the very first card
READING = "reading"    # a reading pass is sounding
BETWEEN = "between"    # the gap between the two readings of one card
WAITING = "waiting"    # time for the children to take the card
GAP = "gap"            # the rhythm gap before the next card
DONE = "done"

# Cue kinds
BEGIN = "begin"        # a card becomes the current one (fresh, not a repeat)
SAY = "say"            # start reading the card aloud (each pass, and on repeat/resume)
STOP = "stop"          # stop any reading that is sounding
TIMEOUT = "timeout"    # the auto-advance wait ran out with no take recorded
UNREAD = "unread"      # `back` made this card unread again (undo its take)
END = "end"            # every card has been read

AUTO_MIN, AUTO_MAX = 3.0, 30.0
GAP_MAX = 10.0
EPS = 1e-6            # summed frame times drift by a hair; a phase that is due by that much is due
NEXT_GUARD = 0.6       # s: a second tap of "next" this soon is a double tap, not a wish to skip a card

# Reading-length estimate (a clear reader or a speech engine at rate 1.0: about 6-7 morae a second).
SECONDS_PER_MORA = 0.15
SECONDS_PER_PAUSE = 0.35
SECONDS_BASE = 0.4
MIN_READING = 1.5
_SMALL = set("ゃゅょぁぃぅぇぉゎャュョァィゥェォヮ")
_PAUSES = set(" 　、。,.!?！？・…")


def estimate_duration(kana_text: str) -> float:
    """Seconds a reading of ``kana_text`` takes, from its length in morae and its pauses."""
    morae = 0
    pauses = 0
    previous_pause = True
    for ch in kana_text.strip():
        if ch in _PAUSES:
            if not previous_pause:
                pauses += 1
            previous_pause = True
            continue
        previous_pause = False
        if ch in _SMALL:
            continue  # きゃ is one mora
        morae += 1
    return max(MIN_READING, SECONDS_BASE + morae * SECONDS_PER_MORA + pauses * SECONDS_PER_PAUSE)


@dataclass(frozen=True)
class Rules:
    """How the reader reads. Values out of range are brought into range, never refused."""

    read_twice: bool = True
    gap_between_readings: float = 1.5
    gap_between_cards: float = 1.1
    auto_advance: float | None = None   # seconds of waiting for the take; None = wait for "next"
    lead_in: float = 1.5

    def __post_init__(self):
        object.__setattr__(self, "gap_between_readings", _clamp(self.gap_between_readings, 0.0, GAP_MAX, 1.5))
        object.__setattr__(self, "gap_between_cards", _clamp(self.gap_between_cards, 0.0, GAP_MAX, 1.1))
        object.__setattr__(self, "lead_in", _clamp(self.lead_in, 0.0, GAP_MAX, 1.5))
        if self.auto_advance is not None:
            object.__setattr__(self, "auto_advance", _clamp(self.auto_advance, AUTO_MIN, AUTO_MAX, AUTO_MIN))

    @property
    def passes(self) -> int:
        return 2 if self.read_twice else 1


def _clamp(value: Any, lo: float, hi: float, default: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    if math.isnan(v):
        return default
    return min(max(v, lo), hi)


@dataclass(frozen=True)
class Cue(Generic[T]):
    kind: str
    card: T | None = None
    opening: bool = False
    pass_no: int = 0


@dataclass(frozen=True)
class Slot(Generic[T]):
    card: T
    opening: bool = False


@dataclass
class Timeline(Generic[T]):
    """The reading of ``cards`` in the given order, after an optional opening card (空読み).

    ``duration_of(card)`` gives a reading's length in seconds or None; ``kana_of(card)``
    gives the kana text used to estimate it when None.
    """

    cards: Sequence[T]
    rules: Rules = field(default_factory=Rules)
    duration_of: Callable[[T], float | None] | None = None
    kana_of: Callable[[T], str] | None = None
    opening: T | None = None

    def __post_init__(self):
        self.slots: list[Slot[T]] = []
        if self.opening is not None:
            self.slots.append(Slot(self.opening, True))
        self.slots.extend(Slot(c) for c in self.cards)
        self.phase = READY
        self.index = -1           # the current slot (-1 before the first)
        self.pass_no = 0          # 1 or 2 while reading
        self.elapsed = 0.0        # seconds in the current phase (paused time does not count)
        self.paused = False
        self.taken = False        # a take was recorded for the current card
        self._cues: list[Cue[T]] = []
        self._durations: dict[int, float] = {}
        self._last_next: float | None = None
        self._clock = 0.0         # total unpaused time, for the double-tap guard
        self._passes_this_time = self.rules.passes

    # ------------------------------------------------------------------ queries

    @property
    def slot(self) -> Slot[T] | None:
        return self.slots[self.index] if 0 <= self.index < len(self.slots) else None

    @property
    def current(self) -> T | None:
        """The card being read, or just read (during the wait and the gap after it)."""
        s = self.slot
        return s.card if s else None

    @property
    def is_opening(self) -> bool:
        s = self.slot
        return bool(s and s.opening)

    @property
    def done(self) -> bool:
        return self.phase == DONE

    @property
    def total(self) -> int:
        """Cards in play (the opening card is not one)."""
        return len(self.cards)

    @property
    def read_count(self) -> int:
        """Cards in play whose reading has begun."""
        if self.phase == DONE:
            return self.total
        return sum(1 for s in self.slots[: self.index + 1] if not s.opening)

    @property
    def left(self) -> int:
        return self.total - self.read_count

    @property
    def history(self) -> list[T]:
        """Cards in play read so far, oldest first (the current one included)."""
        upto = len(self.slots) if self.phase == DONE else self.index + 1
        return [s.card for s in self.slots[:upto] if not s.opening]

    def duration(self, card: T | None = None) -> float:
        """Seconds one reading of the card lasts (the current card by default)."""
        if card is None:
            card = self.current
        if card is None:
            return 0.0
        key = id(card)
        if key not in self._durations:
            value = None
            if self.duration_of is not None:
                value = self.duration_of(card)
            if value is None or not isinstance(value, (int, float)) or not (value > 0) or math.isinf(value):
                value = estimate_duration(self.kana_of(card) if self.kana_of else "")
            self._durations[key] = float(value)
        return self._durations[key]

    @property
    def reading_progress(self) -> float:
        """0..1 through the current reading pass (1 once it is over)."""
        if self.phase != READING:
            return 0.0 if self.phase in (READY, LEAD) else 1.0
        d = self.duration()
        return min(1.0, self.elapsed / d) if d > 0 else 1.0

    @property
    def countdown(self) -> float | None:
        """Seconds left before auto-advance, while waiting with auto-advance on."""
        if self.phase != WAITING or self.rules.auto_advance is None:
            return None
        return max(0.0, self.rules.auto_advance - self.elapsed)

    @property
    def accepting(self) -> bool:
        """True while a take of the current card may be made (never for the opening card)."""
        return self.phase in (READING, BETWEEN, WAITING) and not self.is_opening and not self.taken

    def take_cues(self) -> list[Cue[T]]:
        out, self._cues = self._cues, []
        return out

    # ------------------------------------------------------------------ time

    def start(self) -> None:
        if self.phase != READY:
            return
        if not self.slots:
            self._finish_all()
            return
        self._enter(LEAD)
        if self.rules.lead_in <= 0:
            self._begin(0)

    def update(self, dt: float, speaking: bool = False) -> None:
        """Advance by dt seconds. ``speaking`` holds a reading whose voice runs past its estimate."""
        if self.paused or self.phase in (READY, DONE) or dt <= 0:
            return
        self._clock += dt
        self.elapsed += dt
        # One call may cross several phases (a long dt, or zero-length gaps).
        for _ in range(8):
            if not self._step(speaking):
                break

    def _step(self, speaking: bool) -> bool:
        if self.phase == LEAD:
            if self.elapsed >= self.rules.lead_in - EPS:
                self._begin(0, carry=self.elapsed - self.rules.lead_in)
                return True
        elif self.phase == READING:
            d = self.duration()
            if self.elapsed >= d - EPS:
                # A voice that is still sounding keeps the card open, within reason (a stuck
                # speech engine must not stop the game).
                if speaking and self.elapsed < d * 1.5 + 3.0:
                    return False
                carry = self.elapsed - d
                if self.pass_no < self._passes_this_time:
                    self._enter(BETWEEN, carry)
                else:
                    self._after_reading(carry)
                return True
        elif self.phase == BETWEEN:
            if self.elapsed >= self.rules.gap_between_readings - EPS:
                self._read_pass(self.pass_no + 1, carry=self.elapsed - self.rules.gap_between_readings)
                return True
        elif self.phase == WAITING:
            auto = self.rules.auto_advance
            if auto is not None and self.elapsed >= auto - EPS:
                self._cues.append(Cue(TIMEOUT, self.current))
                self._finish_card(carry=self.elapsed - auto)
                return True
        elif self.phase == GAP:
            if self.elapsed >= self.rules.gap_between_cards - EPS:
                self._begin(self.index + 1, carry=self.elapsed - self.rules.gap_between_cards)
                return True
        return False

    # ------------------------------------------------------------------ taps

    def next(self) -> bool:
        """The "next" button: move on now. False when ignored (a double tap, or nothing to do)."""
        if self.phase == DONE:
            return False
        if self._last_next is not None and self._clock - self._last_next < NEXT_GUARD:
            return False
        self._last_next = self._clock
        self.paused = False  # moving on is also the way out of a pause
        if self.phase == READY:
            self.start()
        elif self.phase == LEAD:
            self._begin(0)
        elif self.phase in (READING, BETWEEN):
            self._cues.append(Cue(STOP, self.current))
            self._finish_card()
        elif self.phase == WAITING:
            self._finish_card()
        elif self.phase == GAP:
            self._begin(self.index + 1)
        return True

    def card_taken(self) -> bool:
        """Someone took the current card: stop reading and go on after the rhythm gap.

        Only while the card is open; a take recorded later (a correction during the gap)
        must not skip the next card.
        """
        if not self.accepting:
            return False
        self.taken = True
        if self.phase in (READING, BETWEEN):
            self._cues.append(Cue(STOP, self.current))
        self._finish_card()
        return True

    def repeat(self) -> bool:
        """Read the current card once more (then wait for the take again)."""
        if self.index < 0 or self.phase in (READY, LEAD, DONE):
            return False
        self._cues.append(Cue(STOP, self.current))
        self.paused = False
        self._passes_this_time = 1
        self._read_pass(1)
        return True

    def back(self) -> bool:
        """Go back one card: the current card becomes unread and the previous one is read again."""
        if self.phase in (READY, LEAD) or not self.slots:
            return False
        self._cues.append(Cue(STOP, self.current))
        self.paused = False
        if self.phase == DONE:
            # After the end, "back" reopens the last card.
            self._begin(len(self.slots) - 1)
            return True
        if self.index <= 0:
            self._begin(0)
            return True
        left = self.slot
        if left is not None and not left.opening:
            self._cues.append(Cue(UNREAD, left.card))
        self._begin(self.index - 1)
        return True

    def pause(self) -> None:
        if self.paused or self.phase in (READY, DONE):
            return
        self.paused = True
        if self.phase == READING:
            self._cues.append(Cue(STOP, self.current))

    def resume(self) -> None:
        if not self.paused:
            return
        self.paused = False
        if self.phase == READING:
            # A voice cannot continue mid-sentence: the interrupted pass starts again.
            self._read_pass(self.pass_no)

    def toggle_pause(self) -> None:
        self.resume() if self.paused else self.pause()

    # ------------------------------------------------------------------ transitions

    def _enter(self, phase: str, carry: float = 0.0) -> None:
        self.phase = phase
        self.elapsed = max(0.0, carry)

    def _begin(self, index: int, carry: float = 0.0) -> None:
        if index >= len(self.slots):
            self._finish_all()
            return
        self.index = index
        self.taken = False
        self._passes_this_time = self.rules.passes
        slot = self.slots[index]
        self._cues.append(Cue(BEGIN, slot.card, slot.opening))
        self._read_pass(1, carry)

    def _read_pass(self, pass_no: int, carry: float = 0.0) -> None:
        self.pass_no = pass_no
        self._enter(READING, carry)
        slot = self.slot
        self._cues.append(Cue(SAY, slot.card, slot.opening, pass_no))

    def _after_reading(self, carry: float) -> None:
        if self.is_opening or self.taken:
            self._finish_card(carry)
        else:
            self._enter(WAITING, carry)

    def _finish_card(self, carry: float = 0.0) -> None:
        if self.index + 1 >= len(self.slots):
            self._finish_all()
        else:
            self._enter(GAP, carry)

    def _finish_all(self) -> None:
        self.phase = DONE
        self.elapsed = 0.0
        self._cues.append(Cue(END))
