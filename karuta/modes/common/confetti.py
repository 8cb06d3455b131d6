"""Effects drawn over a screen for a while, and the one confetti effect (a hit's burst, a shower).

An effect draws itself at ``now`` (seconds of its screen's clock) and returns the rectangles it
drew, so a screen that repaints in place puts back only those over its still picture.
Why a list and not one Rect: confetti bits lie scattered, and one Rect around them is most of the
field (a shower: the whole 1024x768 screen) where the bits themselves cover a few thousand pixels.
"""

from __future__ import annotations

import math
import random

import pygame

from ...app import theme


class Effect:
    """Something drawn for a while after ``t0`` (seconds of the scene clock)."""

    def __init__(self, t0: float, duration: float):
        self.t0, self.duration = t0, duration

    def alive(self, now: float) -> bool:
        return now < self.t0 + self.duration

    def progress(self, now: float) -> float:
        return min(1.0, max(0.0, (now - self.t0) / self.duration))

    def visible(self, now: float) -> bool:
        return now >= self.t0

    def draw(self, surface: pygame.Surface, now: float) -> list[pygame.Rect]:
        """Draw at ``now``; return every rectangle drawn."""
        raise NotImplementedError


# The pieces' shapes. A burst's bit shrinks as the burst fades; a shower's pieces keep their size.
BIT, SLIP, DOT, STAR = "bit", "slip", "dot", "star"

BURST_COLOURS = (theme.ACCENT, theme.ACCENT_2, theme.GOOD, theme.WARN, (204, 121, 167), (240, 228, 66))
SHOWER_COLOURS = BURST_COLOURS[:5]


class Confetti(Effect):
    """Paper pieces moving with elapsed time only: x = x0 + vx t + sway sin(phase + 4t), y = y0 + vy t + g t².

    Make one with ``burst`` (thrown up from a point, falling back: a hit in the shooting game) or
    ``shower`` (falling from above the screen and swaying: a card met, a row completed).
    """

    SWAY_RATE = 4.0  # radians per second of a piece's sideways sway

    def __init__(self, t0: float, duration: float, pieces: list[tuple], *, gravity: float = 0.0,
                 sway: float = 0.0, keep_in: pygame.Rect | None = None):
        super().__init__(t0, duration)
        self.pieces = pieces  # (x0, y0, vx, vy, phase, colour, shape, size, corners of a star or None)
        self.gravity, self.sway = gravity, sway
        self.keep_in = keep_in  # pieces outside it (its top less 20 px to its bottom) are not drawn

    @classmethod
    def burst(cls, t0: float, pos, seed, count: int = 22) -> "Confetti":
        """A hit's burst: square bits thrown up from ``pos`` that fall back and shrink within a second."""
        rng = random.Random(seed)
        pieces = []
        for _ in range(count):
            vx, vy = rng.uniform(-1, 1) * 260, rng.uniform(-420, -120)
            colour, size = rng.choice(BURST_COLOURS), rng.randint(5, 9)
            pieces.append((pos[0], pos[1], vx, vy, 0.0, colour, BIT, size, None))
        return cls(t0, 1.0, pieces, gravity=600.0)

    @classmethod
    def shower(cls, t0: float, seed, count: int, area: pygame.Rect, duration: float = 3.0) -> "Confetti":
        """A shower over ``area``: squares, dots and stars that start above it, fall and sway."""
        rng = random.Random(seed)
        pieces = []
        for _ in range(count):
            x = rng.uniform(area.left, area.right)
            y = rng.uniform(-area.height * 0.6, 0)   # start above the top
            vy = rng.uniform(160, 320)                # fall speed px/s
            vx = rng.uniform(-40, 40)                 # drift px/s
            phase = rng.uniform(0, math.tau)
            colour = rng.choice(SHOWER_COLOURS)
            shape = (SLIP, DOT, STAR)[rng.randrange(3)]
            size = rng.uniform(7, 13)
            corners = star_offsets(size * 0.7) if shape == STAR else None  # once per piece, not per frame
            pieces.append((x, area.top + y, vx, vy, phase, colour, shape, size, corners))
        return cls(t0, duration, pieces, sway=12.0, keep_in=area)

    def draw(self, surface: pygame.Surface, now: float) -> list[pygame.Rect]:
        drawn: list[pygame.Rect] = []
        if not self.alive(now):
            return drawn
        t = now - self.t0
        shrink = 0.4 + 0.6 * (1 - self.progress(now))
        area = self.keep_in
        for x0, y0, vx, vy, phase, colour, shape, size, corners in self.pieces:
            y = y0 + vy * t + self.gravity * t * t
            if area is not None and (y < area.top - 20 or y > area.bottom):
                continue
            x = x0 + vx * t + math.sin(phase + t * self.SWAY_RATE) * self.sway
            if shape == BIT:
                s = max(2, int(size * shrink))
                drawn.append(pygame.draw.rect(surface, colour, (int(x), int(y), s, s)))
            elif shape == SLIP:
                drawn.append(pygame.draw.rect(surface, colour, (x - size / 2, y - size / 2, size, size * 0.6)))
            elif shape == DOT:
                drawn.append(pygame.draw.circle(surface, colour, (int(x), int(y)), int(size / 2)))
            else:
                drawn.append(pygame.draw.polygon(surface, colour, [(x + dx, y + dy) for dx, dy in corners]))
        return drawn


def star_offsets(radius: float) -> list[tuple[float, float]]:
    """A five-pointed star's corners relative to its centre (point up)."""
    out = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.45
        a = -math.pi / 2 + i * math.pi / 5
        out.append((math.cos(a) * r, math.sin(a) * r))
    return out
