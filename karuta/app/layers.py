"""A cached picture of the parts of a screen that stand still while other parts move.

A play scene that animates every frame would otherwise redraw its whole background (panels,
markers, texts, card faces) 60 times a second; on an iPad that is most of the frame budget.
The scene paints what stands still into a Layer once, keyed by everything that picture depends
on, and each frame blits it and draws only what moves on top.
"""

from __future__ import annotations

from typing import Callable, Hashable

import pygame

_UNPAINTED = object()


class Layer:
    def __init__(self) -> None:
        self.key: Hashable = _UNPAINTED
        self.surface: pygame.Surface | None = None
        self.paints = 0  # how often the picture was (re)painted: tests check that a still part is reused

    def get(self, key: Hashable, size: tuple[int, int], paint: Callable[[pygame.Surface], None]) -> pygame.Surface:
        """The picture for ``key``: painted by ``paint(surface)`` only when the key or size changed."""
        if self.surface is None or self.surface.get_size() != tuple(size):
            self.surface = pygame.Surface(size)  # opaque: blitting it is a plain copy
            self.key = _UNPAINTED
        if self.key is _UNPAINTED or self.key != key:
            paint(self.surface)
            self.key = key
            self.paints += 1
        return self.surface

    def clear(self) -> None:
        """Forget the picture (the next get paints again)."""
        self.key = _UNPAINTED
