"""A round of karuta: the field, who took what, お手つき, scores and the ranking.

The same rules serve on-screen play (players touch cards; touches are resolved by
time) and the game master's scoreboard (the facilitator records which team took
the card being read, and お手つき against a team). Cards are identified by any
hashable key (the scenes use card numbers).

お手つき (touching a wrong card while a card is being read) always ends the
player's chance at the current card. The penalty rule then adds:
- GIVE_BACK: the player loses one taken card (their latest) to the discard pile;
  a player with no cards loses nothing.
- SIT_OUT: the player also sits out the next card.
- NONE: nothing more.
With ``lockout=False`` (practice alone against the clock) an お手つき does not end
the chance at the card either; the caller charges it in time instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Hashable, Iterable, Sequence, TypeVar

K = TypeVar("K", bound=Hashable)

GIVE_BACK, SIT_OUT, NONE = "give_back", "sit_out", "none"
PENALTIES = (GIVE_BACK, SIT_OUT, NONE)
MAX_SIDES = 4

# Outcome kinds
TAKE = "take"          # the side took the card being read
FAULT = "fault"        # お手つき
LOCKED = "locked"      # the side may not take this card (after お手つき, or sitting out)
LATE = "late"          # the right card, but someone was faster
IDLE = "idle"          # no card is being read (or it is already decided): nothing happens
MOVED = "moved"        # the facilitator moved a take to another side
UNDONE = "undone"      # the facilitator removed a take


@dataclass(frozen=True)
class Outcome(Generic[K]):
    kind: str
    side: int
    card: K | None = None
    lost: K | None = None          # the card given up by a GIVE_BACK お手つき
    reaction: float | None = None  # seconds from the call of the card to the take


@dataclass(frozen=True)
class Touch(Generic[K]):
    side: int
    card: K
    time: float


@dataclass
class Side(Generic[K]):
    index: int
    name: str
    taken: list = field(default_factory=list)
    faults: int = 0
    reactions: list = field(default_factory=list)  # seconds per taken card (practice against the clock)

    @property
    def score(self) -> int:
        return len(self.taken)


class MatchError(ValueError):
    pass


class Match(Generic[K]):
    def __init__(self, sides: int | Sequence[str], field: Iterable[K] = (), penalty: str = GIVE_BACK,
                 lockout: bool = True):
        names = [f"{i + 1}" for i in range(sides)] if isinstance(sides, int) else list(sides)
        if not 1 <= len(names) <= MAX_SIDES:
            raise MatchError(f"a match has 1 to {MAX_SIDES} players or teams, not {len(names)}")
        if penalty not in PENALTIES:
            raise MatchError(f"unknown お手つき rule {penalty!r}; use one of {', '.join(PENALTIES)}")
        self.sides: list[Side[K]] = [Side(i, n) for i, n in enumerate(names)]
        self.field: list[K] = list(field)
        if len(set(self.field)) != len(self.field):
            raise MatchError("the same card is on the field twice")
        self.penalty = penalty
        self.lockout = lockout
        self.discard: list[K] = []     # cards nobody holds: lost by お手つき, or not taken in time
        self.target: K | None = None   # the card being read
        self.called_at = 0.0
        self.locked: set[int] = set()        # may not take the current card
        self.sitting_out: set[int] = set()   # sitting out the current card (shown to the players)
        self._sit_next: set[int] = set()
        self.decided = False                 # the current card has been taken (or given up)
        self.log: list[Outcome[K]] = []
        self.owner: dict[K, int] = {}        # card -> side holding it

    # ------------------------------------------------------------------ the card being read

    def call(self, card: K, time: float = 0.0) -> None:
        """A new card is being read: it is the one to take; sitting out starts now."""
        self.target = card
        self.called_at = time
        self.decided = False
        self.sitting_out = set(self._sit_next)
        self.locked = set(self._sit_next)
        self._sit_next.clear()

    def close(self) -> None:
        """No more taking for this card (the reader moved on)."""
        self.target = None
        self.decided = True

    def miss(self, card: K | None = None) -> bool:
        """Nobody took the card in time: it leaves the field for the discard pile."""
        card = self.target if card is None else card
        if card is None or card not in self.field:
            return False
        self.field.remove(card)
        self.discard.append(card)
        if card == self.target:
            self.decided = True
        return True

    @property
    def open(self) -> bool:
        return self.target is not None and not self.decided

    # ------------------------------------------------------------------ touches (on-screen play)

    def touch(self, side: int, card: K, time: float) -> Outcome[K]:
        """One touch on a card. Call in time order, or use resolve() for a batch."""
        self._check_side(side)
        if self.decided and self.target is not None and card == self.target:
            return Outcome(LATE, side, card)
        if not self.open or card not in self.field:
            return Outcome(IDLE, side, card)
        if side in self.locked:
            return Outcome(LOCKED, side, card)
        if card == self.target:
            return self._take(side, card, time)
        return self._fault(side, card)

    def resolve(self, touches: Iterable[Touch[K]]) -> list[Outcome[K]]:
        """Touches that came in together, decided by who touched first (ties keep arrival order)."""
        ordered = sorted(enumerate(touches), key=lambda pair: (pair[1].time, pair[0]))
        return [self.touch(t.side, t.card, t.time) for _, t in ordered]

    # ------------------------------------------------------------------ the facilitator's scoreboard

    def award(self, side: int, card: K | None = None, time: float | None = None) -> Outcome[K]:
        """Record that ``side`` took the card (the one being read by default).

        Recording it again for the side that holds it removes the take (a mis-tap);
        recording it for another side moves it there.
        """
        self._check_side(side)
        card = self.target if card is None else card
        if card is None:
            return Outcome(IDLE, side)
        holder = self.owner.get(card)
        if holder == side:
            self.undo(card)
            return self._logged(Outcome(UNDONE, side, card))
        if holder is not None:
            self.sides[holder].taken.remove(card)
            del self.owner[card]
            self.sides[side].taken.append(card)
            self.owner[card] = side
            return self._logged(Outcome(MOVED, side, card))
        if card in self.discard:
            self.discard.remove(card)
            self.field.append(card)
        if card not in self.field:
            return Outcome(IDLE, side, card)
        return self._take(side, card, self.called_at if time is None else time)

    def fault(self, side: int) -> Outcome[K]:
        """Record an お手つき against ``side`` (no card named)."""
        self._check_side(side)
        return self._fault(side, None)

    def undo(self, card: K) -> int | None:
        """Take back a recorded take (the reader went back before this card): it returns to the field."""
        holder = self.owner.pop(card, None)
        if holder is None:
            return None
        self.sides[holder].taken.remove(card)
        self.field.append(card)
        if card == self.target:
            self.decided = False
        return holder

    # ------------------------------------------------------------------ results

    @property
    def scores(self) -> list[int]:
        return [s.score for s in self.sides]

    @property
    def finished(self) -> bool:
        return not self.field

    def ranking(self) -> list[tuple[int, Side[K]]]:
        """(rank, side), best first; equal scores share a rank (1, 1, 3)."""
        ordered = sorted(self.sides, key=lambda s: (-s.score, s.index))
        return [(1 + sum(1 for o in self.sides if o.score > s.score), s) for s in ordered]

    def winners(self) -> list[Side[K]]:
        return [s for rank, s in self.ranking() if rank == 1]

    # ------------------------------------------------------------------ rules

    def _take(self, side: int, card: K, time: float) -> Outcome[K]:
        self.field.remove(card)
        s = self.sides[side]
        s.taken.append(card)
        self.owner[card] = side
        reaction = max(0.0, time - self.called_at) if card == self.target else None
        if reaction is not None:
            s.reactions.append(reaction)
        if card == self.target:
            self.decided = True
        return self._logged(Outcome(TAKE, side, card, reaction=reaction))

    def _fault(self, side: int, card: K | None) -> Outcome[K]:
        s = self.sides[side]
        s.faults += 1
        if self.lockout:
            self.locked.add(side)
        lost = None
        if self.penalty == GIVE_BACK and s.taken:
            lost = s.taken.pop()
            del self.owner[lost]
            self.discard.append(lost)
        elif self.penalty == SIT_OUT:
            self._sit_next.add(side)
        return self._logged(Outcome(FAULT, side, card, lost=lost))

    def _logged(self, outcome: Outcome[K]) -> Outcome[K]:
        self.log.append(outcome)
        return outcome

    def _check_side(self, side: int) -> None:
        if not 0 <= side < len(self.sides):
            raise MatchError(f"no player {side}; this match has {len(self.sides)}")

    @property
    def sits_next(self) -> set[int]:
        """Sides that will sit out the next card."""
        return set(self._sit_next)
