"""How the picture cards fly across the shooting field: lanes, speeds, bounces (plain Python, seeded).

A flight is a pure function of time, so the scene can place every card at any moment of its own
clock, and a replay places them exactly the same.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Sequence


LANE_GAP = 40  # px of sky kept between neighbours in one lane


@dataclass(frozen=True)
class Flight:
    card: int
    lane: int
    y: float          # lane centre
    u0: float         # where along its path (0..period) the lane starts
    speed: float      # px/s, the sign is the direction
    period: float     # px travelled before the motion repeats
    bob: float        # px of up-and-down drift (kept inside the lane)
    bob_rate: float   # rad/s
    bob_phase: float
    bounce: bool = False  # the lane swings from edge to edge instead of wrapping round
    offset: float = 0.0   # bounce: this card's place in its lane's row


def lane_count(n: int) -> int:
    return 1 if n <= 1 else 2 if n <= 4 else 3


def flight_plan(cards: Sequence[int], field_rect: tuple[int, int, int, int], card_size: tuple[int, int],
                speed: float, seed, bounce: bool = False) -> list[Flight]:
    """Paths for the flying cards of one turn.

    Cards share a lane only at the same speed and evenly spaced, and lanes do not
    overlap, so targets never cover each other. Every card starts fully inside the
    field, so the answer can be seen from the first moment. Wrapping lanes carry
    cards off one side and back in on the other; bouncing lanes (for the youngest)
    swing their row of cards from edge to edge, so every card stays in full view.
    """
    fx, fy, fw, fh = field_rect
    cw, ch = card_size
    rng = random.Random(f"flight:{seed}")
    n_lanes = lane_count(len(cards))
    lane_h = fh / n_lanes
    lanes: list[list[int]] = [[] for _ in range(n_lanes)]
    for i, card in enumerate(cards):
        lanes[i % n_lanes].append(card)
    flights = []
    for lane, members in enumerate(lanes):
        if not members:
            continue
        k = len(members)
        lane_speed = speed * rng.uniform(0.85, 1.15) * (1 if lane % 2 == 0 else -1)
        room = max(0.0, (lane_h - ch) / 2 - 2)
        bob = min(room, ch * 0.12)
        y = fy + (lane + 0.5) * lane_h
        if bounce:
            # a row as wide as about half the field, so it has as much room to swing
            spacing = max(cw + LANE_GAP, (fw - cw) / (k + 0.5)) if k > 1 else 0.0
            travel = max(0.0, fw - cw - (k - 1) * spacing)
            period = 2 * travel if travel > 0 else 1.0
            u0 = rng.uniform(0, period)
            for j, card in enumerate(members):
                flights.append(Flight(card=card, lane=lane, y=y, u0=u0, speed=lane_speed if travel > 0 else 0.0,
                                      period=period, bob=bob, bob_rate=rng.uniform(1.2, 2.0),
                                      bob_phase=rng.uniform(0, math.tau), bounce=True, offset=j * spacing))
            continue
        period = max(fw + cw + LANE_GAP, k * (cw + LANE_GAP))
        spacing = period / k
        # u in [cw, fw] means fully inside the field; fit all k cards in that window at the start.
        slack = (fw - cw) - (k - 1) * spacing
        start = cw + (rng.uniform(0, slack) if slack > 0 else 0.0)
        for j, card in enumerate(members):
            flights.append(Flight(card=card, lane=lane, y=y, u0=(start + j * spacing) % period, speed=lane_speed,
                                  period=period, bob=bob, bob_rate=rng.uniform(1.2, 2.0),
                                  bob_phase=rng.uniform(0, math.tau)))
    return flights


def flight_pos(f: Flight, t: float, field_rect: tuple[int, int, int, int], card_w: int) -> tuple[float, float]:
    """Centre of a flying card ``t`` seconds into the turn (a pure function of time)."""
    fx, fy, fw, fh = field_rect
    y = f.y + f.bob * math.sin(f.bob_rate * t + f.bob_phase)
    u = (f.u0 + abs(f.speed) * t) % f.period
    if f.bounce:
        travel = f.period / 2
        swing = u if u <= travel else f.period - u  # 0 -> travel -> 0: a triangle wave
        if f.speed < 0:
            swing = travel - swing
        return fx + swing + f.offset + card_w / 2, y
    if f.speed >= 0:
        x = fx - card_w / 2 + u
    else:
        x = fx + fw + card_w / 2 - u
    return x, y
