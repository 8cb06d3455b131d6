"""Where things are on a screen shared by 1-4 players: seats, bands, the field, the card grid (plain functions)."""

from __future__ import annotations

import math

import pygame

from ...app import theme
from ...app.faces import CARD_RATIO


SEATS = ("bottom", "top", "left", "right")   # player 1 sits at the bottom, 2 opposite, then the sides
ANGLE = {"bottom": 0, "top": 180, "left": -90, "right": 90}  # turn a HUD/card to face its player
BAND = 112          # px: the strip along each player's edge
CARD_GAP = 12
MIN_CARD_W = theme.MIN_TOUCH



def seats_for(players: int) -> tuple[str, ...]:
    return SEATS[:players]


def owner_at(pos, size, seats) -> int:
    """The player whose side a point is on: the nearest occupied edge, measured in screen
    proportions so that four sides meet on the diagonals."""
    x, y = pos
    w, h = size
    dist = {"bottom": (h - y) / h, "top": y / h, "left": x / w, "right": (w - x) / w}
    return min(range(len(seats)), key=lambda i: (dist[seats[i]], i))


def band_rects(size, seats) -> dict[str, pygame.Rect]:
    """Each seat's HUD strip; top and bottom span the width, the sides fit between them."""
    w, h = size
    top = BAND if "top" in seats else 0
    bottom = BAND if "bottom" in seats else 0
    out = {}
    for seat in seats:
        out[seat] = {
            "bottom": pygame.Rect(0, h - BAND, w, BAND),
            "top": pygame.Rect(0, 0, w, BAND),
            "left": pygame.Rect(0, top, BAND, h - top - bottom),
            "right": pygame.Rect(w - BAND, top, BAND, h - top - bottom),
        }[seat]
    return out


def field_rect(size, seats) -> pygame.Rect:
    w, h = size
    left = BAND if "left" in seats else 0
    right = BAND if "right" in seats else 0
    top = BAND if "top" in seats else 0
    bottom = BAND if "bottom" in seats else 0
    return pygame.Rect(left, top, w - left - right, h - top - bottom).inflate(-16, -16)


def grid_for(n: int, field: pygame.Rect, upright_only: bool) -> tuple[int, int, int]:
    """(columns, rows, card height) giving the biggest cards for n cards in the field.

    When players sit on the left or right, some cards lie sideways, so cells must be square."""
    best = (1, n, 0)
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        cw, ch = field.width / cols - CARD_GAP, field.height / rows - CARD_GAP
        h = min(ch, cw / CARD_RATIO) if upright_only else min(ch, cw)
        if h > best[2]:
            best = (cols, rows, int(h))
    return best


def max_cards(players: int, size=theme.SCREEN_SIZE, limit: int = 48) -> int:
    """The most cards that still leave every card at least MIN_CARD_W wide (a child's fingertip)."""
    seats = seats_for(players)
    field = field_rect(size, seats)
    upright = all(s in ("top", "bottom") for s in seats)
    best = 1
    for n in range(1, limit + 1):
        if grid_for(n, field, upright)[2] * CARD_RATIO >= MIN_CARD_W:
            best = n
    return best
