"""Simple pictograms for the mode buttons, so a child who cannot read the label yet can still
find the game they want. Drawn with pygame.draw (no image files), in one colour."""

from __future__ import annotations

import math

import pygame


def draw(name: str, surface: pygame.Surface, rect: pygame.Rect, color) -> bool:
    """Draw the pictogram called ``name`` inside ``rect``; False when there is none of that name."""
    painter = _PAINTERS.get(name)
    if painter is None:
        return False
    painter(surface, pygame.Rect(rect), color)
    return True


def names() -> list[str]:
    return sorted(_PAINTERS)


def _target(s, r, c):  # shooting: a target with an arrow in it
    cx, cy, rad = r.centerx, r.centery, r.width // 2 - 2
    w = max(3, rad // 6)
    pygame.draw.circle(s, c, (cx, cy), rad, w)
    pygame.draw.circle(s, c, (cx, cy), rad * 6 // 10, w)
    pygame.draw.circle(s, c, (cx, cy), max(3, rad // 5))
    pygame.draw.line(s, c, (cx, cy), (r.right, r.top), w)
    pygame.draw.polygon(s, c, [(r.right, r.top), (r.right - rad // 2, r.top), (r.right, r.top + rad // 2)])


def _speaker(s, r, c):  # game master: a loudspeaker with sound waves
    h = r.height
    body = pygame.Rect(r.left, r.top + h * 35 // 100, h * 22 // 100, h * 30 // 100)
    pygame.draw.rect(s, c, body)
    pygame.draw.polygon(s, c, [(body.right - 1, body.top), (body.right + h * 25 // 100, r.top + h // 10),
                               (body.right + h * 25 // 100, r.bottom - h // 10), (body.right - 1, body.bottom)])
    w = max(3, h // 14)
    for i, k in enumerate((0.22, 0.36, 0.5)):
        arc = pygame.Rect(0, 0, int(h * k * 2), int(h * k * 2))
        arc.center = (body.right + h // 6, r.centery)
        pygame.draw.arc(s, c, arc, -0.8, 0.8, w)


def _players(s, r, c):  # on-screen play: a card with players all around it
    card = pygame.Rect(0, 0, r.width * 36 // 100, r.height * 50 // 100)
    card.center = r.center
    pygame.draw.rect(s, c, card, max(3, r.width // 16), border_radius=4)
    rad = max(4, r.width // 10)
    for dx, dy in ((0, -1), (0, 1), (-1, 0), (1, 0)):
        pygame.draw.circle(s, c, (r.centerx + dx * (r.width // 2 - rad), r.centery + dy * (r.height // 2 - rad)), rad)


def _pin(s, r, c):  # meet: a map pin
    rad = r.width * 30 // 100
    cx, cy = r.centerx, r.top + rad + 2
    pygame.draw.circle(s, c, (cx, cy), rad)
    pygame.draw.polygon(s, c, [(cx - rad * 8 // 10, cy + rad // 2), (cx + rad * 8 // 10, cy + rad // 2), (cx, r.bottom)])
    hole = max(3, rad * 4 // 10)
    pygame.draw.circle(s, (0, 0, 0, 0), (cx, cy), hole)


def _book(s, r, c):  # gallery: an open book
    mid, top, bottom = r.centerx, r.top + r.height // 5, r.bottom - r.height // 6
    w = max(3, r.width // 16)
    pygame.draw.polygon(s, c, [(r.left, top + 4), (mid - 2, top + 10), (mid - 2, bottom), (r.left, bottom - 6)], w)
    pygame.draw.polygon(s, c, [(r.right, top + 4), (mid + 2, top + 10), (mid + 2, bottom), (r.right, bottom - 6)], w)


def _gear(s, r, c):  # settings: a cog wheel
    cx, cy = r.center
    outer, inner = r.width // 2 - 2, r.width * 32 // 100
    for i in range(8):
        a = i * math.pi / 4
        tooth = [(cx + math.cos(a + d) * rr, cy + math.sin(a + d) * rr)
                 for d, rr in ((-0.2, inner), (-0.14, outer), (0.14, outer), (0.2, inner))]
        pygame.draw.polygon(s, c, tooth)
    pygame.draw.circle(s, c, (cx, cy), inner + 1)
    pygame.draw.circle(s, (0, 0, 0, 0), (cx, cy), max(3, inner * 45 // 100))


_PAINTERS = {
    "shooting": _target,
    "gamemaster": _speaker,
    "onscreen": _players,
    "meet": _pin,
    "gallery": _book,
    "settings": _gear,
}
