"""Drawing pieces of the meet mode: a hold-to-confirm button, marks that do not rely on colour."""

from __future__ import annotations

import math
from typing import Callable

import pygame

from ...app import theme
from ...app.input import DOWN, MOVE, UP, Pointer
from ...app.ui import Button
from ..common.confetti import star_offsets


class HoldButton(Button):
    """Fires only after being held down for ``hold`` seconds: a quick tap by a child does nothing.

    The fill grows while held so the facilitator sees it working; letting go or sliding
    off before the end cancels.
    """

    def __init__(self, rect, label: str, on_done: Callable[[], None], hold: float = 3.0, **kw):
        super().__init__(rect, label, lambda: None, **kw)
        self.on_done = on_done
        self.hold = hold
        self.held = 0.0
        self._fired = False

    def handle(self, event) -> bool:
        if not isinstance(event, Pointer) or not self.enabled:
            return False
        if event.kind == DOWN and self.rect.collidepoint(event.pos):
            self._pressed_by = event.id
            self.held = 0.0
            self._fired = False
            return True
        if self._pressed_by == event.id:
            if event.kind == UP or (event.kind == MOVE and not self.rect.collidepoint(event.pos)):
                self._pressed_by = None
                self.held = 0.0
            return True
        return False

    def update(self, dt: float) -> None:
        if self._pressed_by is None or self._fired:
            return
        self.held += dt
        if self.held >= self.hold:
            self._fired = True
            self._pressed_by = None
            self.held = 0.0
            self.on_done()

    @property
    def progress(self) -> float:
        return min(1.0, self.held / self.hold) if self._pressed_by is not None else 0.0

    def look(self) -> tuple:
        return (*super().look(), self.progress)  # the fill drawn while held

    def draw(self, surface: pygame.Surface, fonts) -> None:
        super().draw(surface, fonts)
        if self.progress > 0:
            body = self.rect.move(0, 3)
            fill = pygame.Rect(body.left, body.bottom - 12, int(body.width * self.progress), 12)
            pygame.draw.rect(surface, theme.WHITE, fill, border_radius=6)


def star(surface: pygame.Surface, centre, radius: float, colour, outline=None) -> pygame.Rect:
    cx, cy = centre
    pts = [(cx + dx, cy + dy) for dx, dy in star_offsets(radius)]
    drawn = pygame.draw.polygon(surface, colour, pts)
    if outline:
        drawn = drawn.union(pygame.draw.polygon(surface, outline, pts, width=2))
    return drawn


def check_mark(surface: pygame.Surface, centre, size: float, colour=theme.WHITE, width: int = 4) -> None:
    cx, cy = centre
    pts = [(cx - size * 0.5, cy), (cx - size * 0.12, cy + size * 0.38), (cx + size * 0.5, cy - size * 0.4)]
    pygame.draw.lines(surface, colour, False, pts, width)


def dashed_circle(surface: pygame.Surface, colour, centre, radius: int, width: int = 3, dashes: int = 12) -> None:
    rect = pygame.Rect(0, 0, radius * 2, radius * 2)
    rect.center = (int(centre[0]), int(centre[1]))
    step = math.tau / dashes
    for i in range(dashes):
        pygame.draw.arc(surface, colour, rect, i * step, i * step + step * 0.55, width)


def arrow(surface: pygame.Surface, start, end, colour, width: int = 6, head: float = 18) -> None:
    """A straight arrow from start to end (the head at end)."""
    sx, sy = start
    ex, ey = end
    angle = math.atan2(ey - sy, ex - sx)
    back = (ex - math.cos(angle) * head * 0.8, ey - math.sin(angle) * head * 0.8)
    pygame.draw.line(surface, colour, (sx, sy), back, width)
    left = (ex - math.cos(angle - 0.45) * head, ey - math.sin(angle - 0.45) * head)
    right = (ex - math.cos(angle + 0.45) * head, ey - math.sin(angle + 0.45) * head)
    pygame.draw.polygon(surface, colour, [(ex, ey), left, right])


def compass_arrow(surface: pygame.Surface, centre, bearing_deg: float, radius: float, colour) -> None:
    """An arrow pointing along a compass bearing (north is up on every map in this game)."""
    a = math.radians(bearing_deg)
    dx, dy = math.sin(a), -math.cos(a)
    cx, cy = centre
    arrow(surface, (cx - dx * radius, cy - dy * radius), (cx + dx * radius, cy + dy * radius), colour,
          width=max(3, int(radius / 4)), head=radius * 0.8)


def qr_icon(surface: pygame.Surface, rect: pygame.Rect, colour=theme.WHITE) -> None:
    """A small drawn QR symbol (three finder squares and a few modules): no emoji font needed."""
    s = rect.width
    m = s / 7
    for ox, oy in ((0, 0), (4, 0), (0, 4)):
        outer = pygame.Rect(rect.left + ox * m, rect.top + oy * m, 3 * m, 3 * m)
        pygame.draw.rect(surface, colour, outer, width=max(2, int(m / 2)))
        pygame.draw.rect(surface, colour, outer.inflate(-2 * m, -2 * m))
    for mx, my in ((4, 4), (5, 5), (6, 4), (4, 6), (6, 6)):
        pygame.draw.rect(surface, colour, (rect.left + mx * m, rect.top + my * m, m, m))
