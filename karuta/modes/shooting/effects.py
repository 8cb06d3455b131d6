"""What flies over the shooting field for a moment: shots, score pop-ups, a captured card.

Each effect draws itself at ``now`` (seconds of the round's clock) and returns the rectangles
it drew, so the round can put back only those over its still picture (see round.repaint).
A hit's confetti is the one confetti effect of karuta.modes.common.confetti (``Confetti.burst``).
"""

from __future__ import annotations

import math
from typing import Callable

import pygame

from ...app import theme
from ...app.faces import card_size
from ...engine import shooting as rules
from ..common.confetti import Effect
from .geometry import PILE, PILE_CARD

SHOT_TIME = 0.12      # s for the shot to reach the tap point
CAPTURE_FLIGHT = 0.8  # s for a captured card to fly to the pile (inside rules.CAPTURE_TIME)


def ease(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def lerp(a, b, k):
    return a + (b - a) * k


def alpha_copy(surface: pygame.Surface, alpha: float) -> pygame.Surface:
    """A faded copy: cached text surfaces are shared, so they must never be faded in place."""
    out = surface.copy()
    out.set_alpha(max(0, min(255, int(alpha * 255))))
    return out


class Shot(Effect):
    """The shot from the launcher to the tap point, then a burst (hit) or a puff (miss)."""

    def __init__(self, t0, start, end, kind):
        super().__init__(t0, SHOT_TIME + 0.45)
        self.start, self.end, self.kind = start, end, kind  # kind: hit, miss, none

    def visible(self, now: float) -> bool:
        return True  # it leaves the launcher the moment the child taps

    def draw(self, surface: pygame.Surface, now: float) -> list[pygame.Rect]:
        touched = []
        t = now - self.t0
        if t < SHOT_TIME:
            k = t / SHOT_TIME
            head = (lerp(self.start[0], self.end[0], k), lerp(self.start[1], self.end[1], k))
            tail_k = max(0.0, k - 0.35)
            tail = (lerp(self.start[0], self.end[0], tail_k), lerp(self.start[1], self.end[1], tail_k))
            touched.append(pygame.draw.line(surface, (255, 214, 90), tail, head, 8))
            touched.append(pygame.draw.circle(surface, theme.WARN, (int(head[0]), int(head[1])), 11))
            pygame.draw.circle(surface, theme.WHITE, (int(head[0]), int(head[1])), 5)
            return touched
        k = min(1.0, (t - SHOT_TIME) / 0.45)
        x, y = int(self.end[0]), int(self.end[1])
        if self.kind == rules.HIT:
            r = int(20 + 70 * k)
            touched.append(pygame.draw.circle(surface, theme.GOOD, (x, y), r, width=max(2, int(10 * (1 - k)))))
            for i in range(8):
                a = i * math.pi / 4
                inner, outer = 24 + 50 * k, 40 + 70 * k
                touched.append(pygame.draw.line(surface, (240, 200, 40),
                                                (x + math.cos(a) * inner, y + math.sin(a) * inner),
                                                (x + math.cos(a) * outer, y + math.sin(a) * outer),
                                                max(2, int(7 * (1 - k)))))
        else:
            r = int(10 + 26 * k)
            colour = (150, 150, 160) if self.kind == rules.MISS else (190, 190, 190)
            for i in range(5):
                a = i * 2 * math.pi / 5 + 0.3
                touched.append(pygame.draw.circle(surface, colour, (int(x + math.cos(a) * r), int(y + math.sin(a) * r)),
                                                  max(1, int(8 * (1 - k)))))
        return touched


class Popup(Effect):
    """A text (points, the card's kana) that rises and fades, kept inside ``bounds``."""

    def __init__(self, t0, pos, surf, bounds: pygame.Rect, rise=70.0, duration=1.1):
        super().__init__(t0, duration)
        self.pos, self.surf, self.bounds, self.rise = pos, surf, bounds, rise

    def draw(self, surface: pygame.Surface, now: float) -> list[pygame.Rect]:
        k = self.progress(now)
        pos = (self.pos[0], self.pos[1] - self.rise * ease(k))
        img = self.surf if k < 0.6 else alpha_copy(self.surf, 1 - (k - 0.6) / 0.4)
        rect = img.get_rect(center=(int(pos[0]), int(pos[1])))
        return [surface.blit(img, rect.clamp(self.bounds))]


class Capture(Effect):
    """A captured card flying in an arc to the top of the pile, shrinking to the pile's size."""

    def __init__(self, t0, card, start_center, start_size, face: Callable[[tuple[int, int]], pygame.Surface],
                 pile: list):
        super().__init__(t0, CAPTURE_FLIGHT)
        self.card, self.start, self.size = card, start_center, start_size
        self.face = face    # the card's picture at a size
        self.pile = pile    # the cards already captured (the flight ends on top of them)

    def draw(self, surface: pygame.Surface, now: float) -> list[pygame.Rect]:
        k = ease(self.progress(now))
        target = (PILE.left + 4 + PILE_CARD[0] // 2 + 12 * min(2, len(self.pile)), PILE.top + 2 + PILE_CARD[1] // 2)
        h = int(lerp(self.size[1], PILE_CARD[1], k)) // 4 * 4  # a few sizes only: each is cached
        img = self.face(card_size(max(PILE_CARD[1], h)))
        pos = (lerp(self.start[0], target[0], k), lerp(self.start[1], target[1], k) - math.sin(k * math.pi) * 80)
        glow = img.get_rect(center=(int(pos[0]), int(pos[1]))).inflate(12, 12)
        return [pygame.draw.rect(surface, (255, 236, 150), glow, border_radius=12),
                surface.blit(img, img.get_rect(center=(int(pos[0]), int(pos[1]))))]
