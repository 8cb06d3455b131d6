"""Card faces: a deck's images scaled once, or faces drawn by the app when a deck has no image.

Every face is cached by (deck, card, face, size): nothing is redrawn per frame.
Originals are dropped after scaling so a full deck fits in an iPad's memory.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import pygame

from ..engine.deck import Card, Deck
from ..engine.kana import AIUEO_ROWS, row_of
from . import theme
from .text import Fonts, surface_bytes
from .ui import fit_within

CARD_RATIO = 52 / 73  # width / height of a printed karuta card
MASTER_BOX = (768, 768)  # the largest master copy of a card image (bigger sizes read the file)
MASTER_BYTES = 12 * 1024 * 1024


def card_size(height: int) -> tuple[int, int]:
    return int(height * CARD_RATIO), height


class Faces:
    """Card faces by (deck, card, face, size), bounded by count and by pixel bytes.

    48 MB holds every face a screen shows several times over (44 large cards of a play mode are
    about 10 MB), while a long session that visits every card at every size stays bounded.
    """

    def __init__(self, fonts: Fonts, cache_size: int = 400, cache_bytes: int = 48 * 1024 * 1024):
        self.fonts = fonts
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._cache_size = cache_size
        self._cache_bytes = cache_bytes
        self.cached_bytes = 0
        self.image_errors: dict[str, str] = {}
        # Images asked for at more than one size (a card that grows or flies) are decoded once into a
        # master copy; later sizes are scaled from memory, not from the file (see _source).
        self._masters: OrderedDict[str, pygame.Surface] = OrderedDict()
        self._sized: dict[str, tuple[int, int]] = {}
        self.master_bytes = 0

    def get(self, deck: Deck, card: Card, face: str, size: tuple[int, int]) -> pygame.Surface:
        """The card's face at exactly ``size`` (images are letterboxed onto the card)."""
        key = (deck.id, deck.folder, card.number, face, size)
        surf = self._cache.get(key)
        if surf is not None:
            self._cache.move_to_end(key)
            return surf
        path = card.image(face)
        surf = self._from_image(deck, path, size) if path else None
        if surf is None:
            surf = {"picture": self._draw_picture, "reading": self._draw_reading,
                    "explanation": self._draw_explanation}[face](deck, card, size)
        self._cache[key] = surf
        self.cached_bytes += surface_bytes(surf)
        while len(self._cache) > 1 and (len(self._cache) > self._cache_size or self.cached_bytes > self._cache_bytes):
            _, gone = self._cache.popitem(last=False)
            self.cached_bytes -= surface_bytes(gone)
        return surf

    def has(self, card: Card, face: str) -> bool:
        """True when the face has an image or the text to draw it."""
        if card.image(face):
            return True
        return bool({"picture": card.title or card.kana, "reading": card.reading,
                     "explanation": card.explanation}[face])

    def clear(self) -> None:
        self._cache.clear()
        self.cached_bytes = 0
        self._masters.clear()
        self._sized.clear()
        self.master_bytes = 0

    # ------------------------------------------------------------- images

    def _from_image(self, deck: Deck, rel: str, size: tuple[int, int]) -> pygame.Surface | None:
        full = deck.path(rel)
        img = self._source(full, size)
        if img is None:
            return None
        target = fit_within(img.get_size(), size)
        if img.get_bitsize() not in (24, 32) and pygame.display.get_surface():
            img = img.convert_alpha()  # palette images; JPEGs scale as they are, without a full-size copy
        scaled = pygame.transform.smoothscale(img, target)
        del img
        surf = pygame.Surface(size, pygame.SRCALPHA)
        surf.blit(scaled, scaled.get_rect(center=(size[0] // 2, size[1] // 2)))
        return _finish(surf)

    def _source(self, full: str, size: tuple[int, int]) -> pygame.Surface | None:
        """The image to scale from: the file, or its master copy once a second size was asked for.

        Decoding a scanned 1000x1400 JPEG takes some 10 ms; a capture animation that asks for twenty
        sizes of one card decoded it twenty times. A master of at most MASTER_BOX stays in memory
        (a few of them, MASTER_BYTES in all); a size larger than the master still reads the file.
        """
        master = self._masters.get(full)
        if master is not None and _covers(master.get_size(), size):
            self._masters.move_to_end(full)
            return master
        try:
            img = pygame.image.load(full)
        except (pygame.error, OSError, ValueError) as exc:
            self.image_errors[full] = str(exc)
            return None
        seen = self._sized.setdefault(full, size)
        if seen != size and img.get_bitsize() in (24, 32):
            w, h = img.get_size()
            box = fit_within((w, h), MASTER_BOX) if w > MASTER_BOX[0] or h > MASTER_BOX[1] else (w, h)
            if _covers(box, size):
                master = pygame.transform.smoothscale(img, box) if box != img.get_size() else img
                self._masters[full] = master
                self.master_bytes += surface_bytes(master)
                while len(self._masters) > 1 and self.master_bytes > MASTER_BYTES:
                    self.master_bytes -= surface_bytes(self._masters.popitem(last=False)[1])
                return master
        return img

    # ------------------------------------------------------------- drawn faces

    def _base(self, size, tint) -> pygame.Surface:
        w, h = size
        surf = pygame.Surface(size, pygame.SRCALPHA)
        radius = max(4, w // 14)
        pygame.draw.rect(surf, theme.PAPER, (0, 0, w, h), border_radius=radius)
        inner = pygame.Rect(0, 0, w, h).inflate(-max(4, w // 14), -max(4, w // 14))
        pygame.draw.rect(surf, tint, inner, border_radius=max(3, radius - 2))
        pygame.draw.rect(surf, theme.CARD_EDGE, (0, 0, w, h), width=max(2, w // 60), border_radius=radius)
        return surf

    def _draw_picture(self, deck: Deck, card: Card, size) -> pygame.Surface:
        w, h = size
        rows = list(AIUEO_ROWS)
        row_index = rows.index(row_of(card.kana)) if row_of(card.kana) in rows else 0
        tint = theme.ROW_TINTS[row_index % len(theme.ROW_TINTS)]
        surf = self._base(size, tint)
        # motif in the middle, varied by card number
        motif_rect = pygame.Rect(0, 0, int(w * 0.8), int(h * 0.42))
        motif_rect.center = (w // 2, int(h * 0.56))
        _motif(surf, motif_rect, card.number)
        # the big kana in a circle in the corner, as on printed local karuta
        radius = int(w * 0.2)
        cx, cy = int(w * 0.05) + radius + 2, int(w * 0.05) + radius + 2
        pygame.draw.circle(surf, theme.WHITE, (cx, cy), radius)
        pygame.draw.circle(surf, theme.ACCENT_2, (cx, cy), radius, width=max(2, radius // 8))
        kana = self.fonts.render(card.kana, max(8, int(radius * 1.45)), theme.INK, "card")
        surf.blit(kana, kana.get_rect(center=(cx, cy + radius // 12)))
        if card.title and w >= 90:
            # One line when it fits at a readable size; wrap only long titles.
            size_px = max(10, int(w * 0.095))
            label = self.fonts.ruby(card.title, size_px, theme.INK, "card")
            while label.get_width() > w * 0.88 and size_px > max(10, int(w * 0.07)):
                size_px -= 1
                label = self.fonts.ruby(card.title, size_px, theme.INK, "card")
            if label.get_width() > w * 0.88:
                label = self.fonts.ruby(card.title, size_px, theme.INK, "card", max_width=int(w * 0.88))
            if label.get_height() > h * 0.22:
                label = pygame.transform.smoothscale(label, fit_within(label.get_size(), (int(w * 0.88), int(h * 0.22))))
            surf.blit(label, label.get_rect(midbottom=(w // 2, int(h * 0.95))))
        return _finish(surf)

    def _draw_reading(self, deck: Deck, card: Card, size) -> pygame.Surface:
        w, h = size
        surf = self._base(size, (255, 255, 250))
        pad = int(w * 0.1)
        kana = self.fonts.render(card.kana, max(10, int(w * 0.16)), theme.ACCENT_2, "card")
        surf.blit(kana, (pad, pad // 2 + 2))
        if card.reading:
            text_size = max(10, int(w * 0.11))
            box = (w - 2 * pad, h - 2 * pad - kana.get_height())
            text = self.fonts.ruby(card.reading, text_size, theme.INK, "card", max_width=box[0])
            while text.get_height() > box[1] and text_size > 10:
                text_size -= 2
                text = self.fonts.ruby(card.reading, text_size, theme.INK, "card", max_width=box[0])
            surf.blit(text, text.get_rect(center=(w // 2, pad + kana.get_height() + box[1] // 2)))
        return _finish(surf)

    def _draw_explanation(self, deck: Deck, card: Card, size) -> pygame.Surface:
        w, h = size
        surf = self._base(size, (250, 250, 244))
        pad = int(w * 0.08)
        y = pad
        if card.title:
            title = self.fonts.ruby(card.title, max(10, int(w * 0.09)), theme.INK, "card", max_width=w - 2 * pad)
            surf.blit(title, title.get_rect(midtop=(w // 2, y)))
            y += title.get_height() + pad // 2
        if card.explanation:
            body = self.fonts.ruby(card.explanation, max(9, int(w * 0.06)), theme.INK, "card",
                                   max_width=w - 2 * pad, align="left")
            if body.get_height() > h - y - pad:
                body = pygame.transform.smoothscale(body, fit_within(body.get_size(), (w - 2 * pad, h - y - pad)))
            surf.blit(body, (pad, y))
        return _finish(surf)


def _covers(have: tuple[int, int], want: tuple[int, int]) -> bool:
    """True when an image of size ``have`` letterboxed into ``want`` is scaled down (or kept), not up."""
    return have[0] > 0 and have[1] > 0 and min(want[0] / have[0], want[1] / have[1]) <= 1


def _finish(surf: pygame.Surface) -> pygame.Surface:
    return surf.convert_alpha() if pygame.display.get_surface() is not None else surf


def _motif(surf: pygame.Surface, rect: pygame.Rect, number: int) -> None:
    """A simple picture, one of a few kinds, so drawn cards do not all look alike."""
    kind = number % 6
    x, y, w, h = rect
    ink = (80, 70, 60)
    if kind == 0:  # hills and sun
        pygame.draw.circle(surf, (240, 180, 60), (x + int(w * 0.75), y + int(h * 0.3)), int(h * 0.16))
        pygame.draw.ellipse(surf, (110, 170, 100), (x - w // 6, y + int(h * 0.45), int(w * 0.8), int(h * 0.9)))
        pygame.draw.ellipse(surf, (80, 150, 90), (x + w // 3, y + int(h * 0.55), int(w * 0.8), int(h * 0.8)))
    elif kind == 1:  # river waves
        for i in range(4):
            pts = [(x + t, y + int(h * (0.25 + 0.18 * i)) + int(math.sin(t / w * 6.28 * 1.5) * h * 0.06))
                   for t in range(0, w + 1, max(1, w // 24))]
            if len(pts) > 1:
                pygame.draw.lines(surf, (60, 130, 200), False, pts, max(2, h // 30))
    elif kind == 2:  # tree
        pygame.draw.rect(surf, (130, 90, 50), (x + int(w * 0.45), y + int(h * 0.5), int(w * 0.1), int(h * 0.5)))
        pygame.draw.circle(surf, (70, 150, 80), (x + w // 2, y + int(h * 0.38)), int(h * 0.36))
    elif kind == 3:  # shrine gate (torii)
        c = (200, 70, 40)
        t = max(3, h // 14)
        pygame.draw.rect(surf, c, (x + int(w * 0.12), y + int(h * 0.12), int(w * 0.76), t * 2))
        pygame.draw.rect(surf, c, (x + int(w * 0.2), y + int(h * 0.32), int(w * 0.6), t))
        pygame.draw.rect(surf, c, (x + int(w * 0.27), y + int(h * 0.12), t * 2, int(h * 0.86)))
        pygame.draw.rect(surf, c, (x + int(w * 0.73) - t * 2, y + int(h * 0.12), t * 2, int(h * 0.86)))
    elif kind == 4:  # house
        pygame.draw.polygon(surf, (150, 80, 60), [(x + w * 0.15, y + h * 0.45), (x + w * 0.5, y + h * 0.1),
                                                   (x + w * 0.85, y + h * 0.45)])
        pygame.draw.rect(surf, (235, 215, 180), (x + int(w * 0.22), y + int(h * 0.45), int(w * 0.56), int(h * 0.5)))
        pygame.draw.rect(surf, ink, (x + int(w * 0.44), y + int(h * 0.65), int(w * 0.12), int(h * 0.3)))
    else:  # flowers
        for i, (fx, fy) in enumerate(((0.25, 0.4), (0.5, 0.25), (0.75, 0.45), (0.4, 0.7), (0.65, 0.75))):
            cx, cy, r = x + int(w * fx), y + int(h * fy), max(4, int(h * 0.1))
            petal = ((230, 120, 150), (240, 190, 60), (180, 120, 220))[i % 3]
            for a in range(5):
                ang = a * 6.283 / 5
                pygame.draw.circle(surf, petal, (cx + int(math.cos(ang) * r), cy + int(math.sin(ang) * r)), r)
            pygame.draw.circle(surf, (250, 230, 120), (cx, cy), max(2, r // 2))
