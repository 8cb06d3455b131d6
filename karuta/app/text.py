"""Fonts and text: every rendered string is cached, and furigana is drawn above kanji."""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from dataclasses import dataclass

import pygame

from ..engine import ruby

FONT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "assets", "fonts")
FACES = {
    "ui": "BIZUDPGothic-Regular.ttf",
    "bold": "BIZUDPGothic-Bold.ttf",
    "card": "KleeOne-SemiBold.ttf",
}
# Characters that must not start a line (Japanese line-breaking rules, kinsoku).
_NO_LINE_START = set("、。，．・：；？！ー)）」』】〕ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々")
_BREAK_AFTER = set(" 　")


# Deck validation refuses texts with these (engine.deck.unshowable); this guard only keeps a text
# from elsewhere (a save, a link) from stopping the game: SDL_ttf raises on NUL and lone surrogates.
_UNDRAWABLE_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f\ud800-\udfff]")  # not \n: paragraphs break lines there


def drawable(text: str) -> str:
    """``text`` without what the font renderer cannot take (control characters, lone surrogates)."""
    return _UNDRAWABLE_RE.sub("", text) if _UNDRAWABLE_RE.search(text) else text


FONT_BYTES = 384 * 1024  # memory one open font holds (measured: BIZ UDPGothic and Klee One, 10-50 px)


class Fonts:
    """Font objects by (face, size), and a bounded cache of rendered text surfaces.

    The cache is bounded by count and by pixel bytes: a gallery of 44 cards renders about
    1 MB of furigana per card, and an iPad tab must not grow by that much per card visited.
    """

    def __init__(self, font_dir: str = FONT_DIR, cache_size: int = 1500, cache_bytes: int = 24 * 1024 * 1024):
        self.font_dir = font_dir
        # Opening a font costs about 0.1 ms but holds some 380 KB (FONT_BYTES); sizes found by
        # shrink-to-fit loops would otherwise stay for the whole session.
        self._fonts: OrderedDict[tuple[str, int], pygame.font.Font] = OrderedDict()
        self._font_limit = 32
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._cache_size = cache_size
        self._cache_bytes = cache_bytes
        self.cached_bytes = 0

    def font(self, face: str, size: int) -> pygame.font.Font:
        key = (face, size)
        f = self._fonts.get(key)
        if f is None:
            if not pygame.font.get_init():
                pygame.font.init()
            f = pygame.font.Font(os.path.join(self.font_dir, FACES.get(face, face)), size)
            self._fonts[key] = f
            if len(self._fonts) > self._font_limit:
                self._fonts.popitem(last=False)
        else:
            self._fonts.move_to_end(key)
        return f

    def render(self, text: str, size: int, color=(33, 33, 33), face: str = "ui") -> pygame.Surface:
        """A cached surface of one line of text."""
        key = ("t", text, size, tuple(color), face)
        surf = self._cache.get(key)
        if surf is None:
            surf = self.font(face, size).render(drawable(text), True, color)
            self._store(key, surf)
        else:
            self._cache.move_to_end(key)
        return surf

    def size(self, text: str, size: int, face: str = "ui") -> tuple[int, int]:
        return self.font(face, size).size(drawable(text))

    def ruby(self, markup: str, size: int, color=(33, 33, 33), face: str = "card", max_width: int = 0,
             align: str = "center", kana_only: bool = False, line_gap: float = 0.15) -> pygame.Surface:
        """A cached surface of furigana markup, wrapped to max_width, ruby above each kanji run."""
        key = ("r", markup, size, tuple(color), face, max_width, align, kana_only, line_gap)
        surf = self._cache.get(key)
        if surf is None:
            surf = self._render_ruby(drawable(markup), size, color, face, max_width, align, kana_only, line_gap)
            self._store(key, surf)
        else:
            self._cache.move_to_end(key)
        return surf

    def wrap(self, text: str, size: int, max_width: int, face: str = "ui") -> list[str]:
        """Split plain text into lines that fit max_width, honouring Japanese line-break rules."""
        f = self.font(face, size)
        lines: list[str] = []
        for paragraph in drawable(text).split("\n"):
            line = ""
            for ch in paragraph:
                if line and f.size(line + ch)[0] > max_width and ch not in _NO_LINE_START:
                    lines.append(line)
                    line = ch.lstrip(" 　")
                else:
                    line += ch
            lines.append(line)
        return lines

    def paragraph(self, text: str, size: int, max_width: int, color=(33, 33, 33), face: str = "ui",
                  line_height: float = 1.45) -> pygame.Surface:
        """Cached multi-line text (plain, no furigana)."""
        key = ("p", text, size, max_width, tuple(color), face, line_height)
        surf = self._cache.get(key)
        if surf is None:
            lines = self.wrap(text, size, max_width, face)
            step = int(size * line_height)
            surf = pygame.Surface((max_width, max(step * len(lines), 1)), pygame.SRCALPHA)
            for i, line in enumerate(lines):
                surf.blit(self.font(face, size).render(line, True, color), (0, i * step))
            self._store(key, surf)
        else:
            self._cache.move_to_end(key)
        return surf

    def _store(self, key: tuple, surf: pygame.Surface) -> None:
        self._cache[key] = surf
        self.cached_bytes += surface_bytes(surf)
        while len(self._cache) > 1 and (len(self._cache) > self._cache_size or self.cached_bytes > self._cache_bytes):
            _, gone = self._cache.popitem(last=False)
            self.cached_bytes -= surface_bytes(gone)

    # ------------------------------------------------------------------ ruby layout

    def _render_ruby(self, markup, size, color, face, max_width, align, kana_only, line_gap) -> pygame.Surface:
        try:
            segments = ruby.parse(markup)
        except ruby.RubyError:
            segments = [ruby.Segment(markup)]
        if kana_only:
            segments = [ruby.Segment(s.ruby if s.ruby else s.base) for s in segments]
        base_font = self.font(face, size)
        ruby_size = max(10, size // 2)
        ruby_font = self.font(face, ruby_size)
        has_ruby = any(s.ruby for s in segments)
        ruby_h = ruby_font.get_height() if has_ruby else 0
        units = _units(segments)
        lines = _layout(units, base_font, ruby_font, max_width)
        line_h = ruby_h + base_font.get_height()
        gap = int(size * line_gap)
        widths = [sum(w for _, w in line) for line in lines]
        width = max(widths + [1]) if not max_width else max_width
        height = max(1, len(lines) * line_h + (len(lines) - 1) * gap)
        surf = pygame.Surface((width, height), pygame.SRCALPHA)
        y = 0
        for line, lw in zip(lines, widths):
            x = {"left": 0, "right": width - lw}.get(align, (width - lw) // 2)
            for (base, rb), w in line:
                b = base_font.render(base, True, color)
                surf.blit(b, (x + (w - b.get_width()) // 2, y + ruby_h))
                if rb:
                    r = ruby_font.render(rb, True, color)
                    if r.get_width() > w:  # long reading over short base: squeeze to the unit
                        r = pygame.transform.smoothscale(r, (w, r.get_height()))
                    surf.blit(r, (x + (w - r.get_width()) // 2, y))
                x += w
            y += line_h + gap
        return surf


def surface_bytes(surf: pygame.Surface) -> int:
    """Pixel memory of a surface (what a cache of surfaces really holds)."""
    return surf.get_pitch() * surf.get_height()


@dataclass(frozen=True)
class _Unit:
    base: str
    ruby: str | None
    break_after: bool


def _units(segments) -> list[_Unit]:
    out: list[_Unit] = []
    for s in segments:
        if s.ruby:
            out.append(_Unit(s.base, s.ruby, False))
        else:
            for ch in s.base:
                out.append(_Unit(ch, None, ch in _BREAK_AFTER))
    return out


def _layout(units: list[_Unit], base_font, ruby_font, max_width: int):
    """Greedy line filling; prefers breaking at spaces, never breaks inside a ruby unit."""
    measured = []
    for u in units:
        w = base_font.size(u.base)[0]
        if u.ruby:
            # The reading may spill a little over its base; keep the unit wide enough to stay legible.
            w = max(w, int(ruby_font.size(u.ruby)[0] * 0.85))
        measured.append(((u.base, u.ruby), w, u))
    lines: list[list] = [[]]
    width = 0
    last_space = -1
    for item in measured:
        (_, _), w, u = item
        line = lines[-1]
        if max_width and line and width + w > max_width and u.base not in _NO_LINE_START:
            if last_space >= 0 and last_space < len(line) - 1:
                carry = line[last_space + 1:]
                del line[last_space + 1:]
            else:
                carry = []
            _trim(line)
            lines.append(carry)
            line = lines[-1]
            width = sum(x[1] for x in line)
            last_space = -1
            if not line and u.base in _BREAK_AFTER:
                continue
        line.append((item[0], w))
        width += w
        if u.break_after:
            last_space = len(line) - 1
    for line in lines:
        _trim(line)
    return [line for line in lines if line] or [[]]


def _trim(line: list) -> None:
    while line and line[-1][0][0] in _BREAK_AFTER:
        line.pop()
    while line and line[0][0][0] in _BREAK_AFTER:
        line.pop(0)
