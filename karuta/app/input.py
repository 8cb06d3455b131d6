"""The one input seam: mouse and touch become ``Pointer`` events in logical coordinates.

On an iPad a tap arrives as FINGERDOWN plus a synthesized MOUSEBUTTONDOWN with
``touch=True``; only the finger path is used for touches so nothing counts twice.
Each pointer has an id (0 for the mouse, 1+ for fingers) so on-screen play can
tell simultaneous touches apart and order them by time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

DOWN, MOVE, UP = "down", "move", "up"
TAP_SLOP = 24  # px a finger may wander and still count as a tap


@dataclass(frozen=True)
class Pointer:
    kind: str  # DOWN, MOVE or UP
    pos: tuple[int, int]
    id: int = 0
    time: float = 0.0  # seconds of game time when it happened
    start: tuple[int, int] | None = None  # where this pointer went down (for UP/MOVE)

    @property
    def is_tap(self) -> bool:
        """An UP close to where it went down."""
        if self.kind != UP or self.start is None:
            return False
        return abs(self.pos[0] - self.start[0]) <= TAP_SLOP and abs(self.pos[1] - self.start[1]) <= TAP_SLOP


@dataclass(frozen=True)
class Key:
    key: int
    unicode: str = ""


class InputMapper:
    """Turns raw pygame events into Pointer/Key events; remembers where each pointer went down."""

    def __init__(self, size: tuple[int, int]):
        self.size = size
        self._down: dict[int, tuple[int, int]] = {}

    def _clamp(self, x: float, y: float) -> tuple[int, int]:
        return (min(max(int(x), 0), self.size[0] - 1), min(max(int(y), 0), self.size[1] - 1))

    def map(self, event: pygame.event.Event, now: float) -> Pointer | Key | None:
        t = event.type
        if t in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(event, "touch", False):
                return None  # the FINGER* event carries this touch
            if t != pygame.MOUSEMOTION and getattr(event, "button", 1) not in (1, 2, 3):
                return None  # wheel
            pos = self._clamp(*event.pos)
            if t == pygame.MOUSEBUTTONDOWN:
                self._down[0] = pos
                return Pointer(DOWN, pos, 0, now, pos)
            if t == pygame.MOUSEBUTTONUP:
                start = self._down.pop(0, None)
                return Pointer(UP, pos, 0, now, start) if start is not None else None
            if 0 in self._down:
                return Pointer(MOVE, pos, 0, now, self._down[0])
            return None
        if t in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION):
            pid = 1 + (int(getattr(event, "finger_id", 0)) % 1000)
            pos = self._clamp(event.x * self.size[0], event.y * self.size[1])
            if t == pygame.FINGERDOWN:
                self._down[pid] = pos
                return Pointer(DOWN, pos, pid, now, pos)
            if t == pygame.FINGERUP:
                start = self._down.pop(pid, None)
                return Pointer(UP, pos, pid, now, start) if start is not None else None
            if pid in self._down:
                return Pointer(MOVE, pos, pid, now, self._down[pid])
            return None
        if t == pygame.KEYDOWN:
            return Key(event.key, getattr(event, "unicode", "") or "")
        return None

    def reset(self) -> None:
        """Forget pointers (a new scene must not receive the UP of a press it did not see)."""
        self._down.clear()
