"""Random child input for the soak, the input-storm tests and the benchmark, as real pygame events.

Taps, drags and multi-finger touches, with a few key presses, wheel turns and focus changes,
spread over frames the way hands produce them.
"""

from __future__ import annotations

import random

# Keys a child (or a keyboard on a desktop) may press; the scenes decide what they mean.
_KEY_NAMES = ("escape", "return", "space", "backspace", "left", "right", "up", "down", "tab", "a", "q", "1",
              "f11", "ac back")


class Toucher:
    """Random input as real pygame events, spread over frames the way hands produce it.

    ``schedule(frame)`` starts one gesture (its events are due over the next few frames);
    ``post_due(frame)`` posts what is due. ``storm(n)`` posts n gestures at once, squeezed into
    a few frames; ``release_all()`` lifts every finger and the mouse button still down.
    """

    def __init__(self, rng: random.Random, size: tuple[int, int], keys: bool = True, odd: bool = True):
        import pygame

        self.pg = pygame
        self.rng = rng
        self.w, self.h = size
        self.keys = keys
        self.odd = odd  # off-screen positions, wheel, focus changes
        self._due: list[tuple[int, object]] = []
        self._fingers: set[int] = set()
        self._mouse_down = False
        self._next_finger = 0
        self.posted = 0
        self.key_codes = []
        for name in _KEY_NAMES:
            try:
                self.key_codes.append(pygame.key.key_code(name))
            except (ValueError, pygame.error):
                pass

    # ---------------------------------------------------------------- building events

    def _pos(self) -> tuple[int, int]:
        if self.odd and self.rng.random() < 0.03:  # fingers slip off the glass
            return self.rng.randint(-40, self.w + 40), self.rng.randint(-40, self.h + 40)
        return self.rng.randrange(self.w), self.rng.randrange(self.h)

    def _finger(self, kind: str, pos, fid: int, dx: float = 0.0, dy: float = 0.0):
        etype = {"down": self.pg.FINGERDOWN, "up": self.pg.FINGERUP, "move": self.pg.FINGERMOTION}[kind]
        return self.pg.event.Event(etype, x=pos[0] / self.w, y=pos[1] / self.h, dx=dx, dy=dy,
                                   finger_id=fid, touch_id=1, pressure=1.0)

    def _mouse(self, kind: str, pos, button: int = 1):
        pg = self.pg
        if kind == "move":
            return pg.event.Event(pg.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(1, 0, 0), touch=False)
        etype = pg.MOUSEBUTTONDOWN if kind == "down" else pg.MOUSEBUTTONUP
        return pg.event.Event(etype, pos=pos, button=button, touch=False)

    def _new_finger(self) -> int:
        # Every touch gets a new id, as on iOS and SDL; the game folds ids into 1..1000.
        self._next_finger = (self._next_finger + 1) % 100_000
        return self._next_finger

    def _at(self, frame: int, event) -> None:
        self._due.append((frame, event))

    def schedule(self, frame: int) -> None:
        """Start one random gesture at ``frame``."""
        r = self.rng.random()
        if r < 0.35:
            self._tap(frame)
        elif r < 0.60:
            self._drag(frame)
        elif r < 0.85:
            self._multi(frame)
        elif r < 0.95 and self.keys and self.key_codes:
            key = self.rng.choice(self.key_codes)
            char = self.rng.choice(("", "a", "あ", " ", "\r"))
            self._at(frame, self.pg.event.Event(self.pg.KEYDOWN, key=key, mod=0, unicode=char, scancode=0))
            self._at(frame + 1, self.pg.event.Event(self.pg.KEYUP, key=key, mod=0, unicode=char, scancode=0))
        elif self.odd:
            self._odd(frame)
        else:
            self._tap(frame)

    def _tap(self, frame: int) -> None:
        pos = self._pos()
        hold = self.rng.randint(0, 8)
        wobble = (pos[0] + self.rng.randint(-6, 6), pos[1] + self.rng.randint(-6, 6))
        if self.rng.random() < 0.5:
            fid = self._new_finger()
            self._at(frame, self._finger("down", pos, fid))
            self._at(frame + hold, self._finger("up", wobble, fid))
        else:
            self._at(frame, self._mouse("down", pos))
            self._at(frame + hold, self._mouse("up", wobble))

    def _drag(self, frame: int) -> None:
        start, end = self._pos(), self._pos()
        steps = self.rng.randint(1, 12)
        finger = self.rng.random() < 0.6
        fid = self._new_finger()
        self._at(frame, self._finger("down", start, fid) if finger else self._mouse("down", start))
        for i in range(1, steps + 1):
            p = (start[0] + (end[0] - start[0]) * i // steps, start[1] + (end[1] - start[1]) * i // steps)
            self._at(frame + i, self._finger("move", p, fid, 0.01, 0.01) if finger else self._mouse("move", p))
        self._at(frame + steps + 1, self._finger("up", end, fid) if finger else self._mouse("up", end))

    def _multi(self, frame: int) -> None:
        n = self.rng.randint(2, 5)
        ids = [self._new_finger() for _ in range(n)]
        for fid in ids:
            pos = self._pos()
            self._at(frame + self.rng.randint(0, 2), self._finger("down", pos, fid))
            if self.rng.random() < 0.4:
                self._at(frame + 2, self._finger("move", self._pos(), fid, 0.02, 0.0))
            self._at(frame + self.rng.randint(3, 10), self._finger("up", pos, fid))

    def _odd(self, frame: int) -> None:
        pg = self.pg
        choice = self.rng.randrange(4)
        if choice == 0:
            self._at(frame, pg.event.Event(pg.MOUSEWHEEL, x=0, y=self.rng.choice((-3, -1, 1, 3)), flipped=False,
                                           precise_x=0.0, precise_y=1.0, touch=False))
        elif choice == 1:
            pos = self._pos()
            self._at(frame, self._mouse("down", pos, button=self.rng.choice((2, 3, 4, 5))))
            self._at(frame + 1, self._mouse("up", pos, button=self.rng.choice((2, 3, 4, 5))))
        elif choice == 2:
            self._at(frame, pg.event.Event(pg.WINDOWFOCUSLOST))
            self._at(frame + 3, pg.event.Event(pg.WINDOWFOCUSGAINED))
        else:  # an UP whose DOWN was never seen (the app was busy, or the finger came from outside)
            self._at(frame, self._finger("up", self._pos(), self._new_finger()))

    # ---------------------------------------------------------------- posting

    def post_due(self, frame: int) -> int:
        """Post every event due at or before ``frame``; returns how many were posted."""
        if not self._due:
            return 0
        now = [e for f, e in self._due if f <= frame]
        if not now:
            return 0
        self._due = [(f, e) for f, e in self._due if f > frame]
        for event in now:
            self._track(event)
            self.pg.event.post(event)
        self.posted += len(now)
        return len(now)

    def _track(self, event) -> None:
        pg = self.pg
        if event.type == pg.FINGERDOWN:
            self._fingers.add(event.finger_id)
        elif event.type == pg.FINGERUP:
            self._fingers.discard(event.finger_id)
        elif event.type == pg.MOUSEBUTTONDOWN and event.button == 1:
            self._mouse_down = True
        elif event.type == pg.MOUSEBUTTONUP and event.button == 1:
            self._mouse_down = False

    def storm(self, gestures: int, frame: int = 0, spread: int = 3) -> None:
        """Schedule ``gestures`` gestures starting within ``spread`` frames of ``frame``."""
        for _ in range(gestures):
            self.schedule(frame + self.rng.randrange(max(1, spread)))

    @property
    def pending(self) -> int:
        return len(self._due)

    def release_all(self) -> None:
        """Drop what is still due and lift every finger and the mouse button (a clean hand-off)."""
        self._due.clear()
        for fid in sorted(self._fingers):
            self.pg.event.post(self._finger("up", (self.w // 2, self.h - 2), fid))
        self._fingers.clear()
        if self._mouse_down:
            self.pg.event.post(self._mouse("up", (self.w // 2, self.h - 2)))
            self._mouse_down = False
