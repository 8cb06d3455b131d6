"""Small celebrations drawn over a screen: the winner's crown."""

from __future__ import annotations

import pygame


def crown(surface, center) -> None:
    x, y = center
    pts = [(x - 26, y + 12), (x - 26, y - 10), (x - 13, y + 2), (x, y - 16), (x + 13, y + 2), (x + 26, y - 10),
           (x + 26, y + 12)]
    pygame.draw.polygon(surface, (240, 190, 30), pts)
    pygame.draw.polygon(surface, (150, 100, 20), pts, width=2)
