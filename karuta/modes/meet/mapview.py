"""The map of signposts: met and not-yet-met told apart by shape, the next nearest card, a position hint.

With a deck map picture (deck.yaml ``map``) the district's streets lie under the markers, placed in
Web Mercator like the tiles the picture was made from; without one the markers stand on a plain
field. Close signposts are spread apart (engine/geo.spread) with a leader line to their true spot.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache

import pygame

from ...app import theme
from ...app.input import Pointer
from ...app.layers import Layer
from ...app.scene import Scene
from ...app.ui import ButtonsView, panel
from ...engine.collection import Target, bearing_deg, compass, distance_m
from ...engine.geo import PICTURE_SIZE, MapView, fit_view, spread
from ..common import HEADER_H, back_button, draw_header
from . import navigation, state
from .widgets import arrow, check_mark, compass_arrow, dashed_circle, star

MAP_BG = (226, 238, 214)
MET = theme.GOOD
NOT_MET = theme.WHITE
OUTSIDE = (200, 200, 200)
POSITION = (86, 180, 233)  # sky blue (Okabe-Ito)
TAP_RADIUS = 36             # a 72 px circle: bigger than the 64 px minimum
MARKER_RADIUS = 20
# Marker centres stay this far apart: 8 px between two 40 px markers, so every kana is readable
# and a tap (nearest marker within TAP_RADIUS) always finds the one under the finger.
MARKER_SPACING = 48
LEADER_MIN_PX = 6           # a marker moved further than this from its spot gets a leader line
ATTRIBUTION_SIZE = 16


@lru_cache(maxsize=1)
def map_picture(path: str, size: tuple[int, int]) -> pygame.Surface | None:
    """The deck's map picture decoded and scaled once (kept while the same deck's map is shown)."""
    try:
        img = pygame.image.load(path)
    except (pygame.error, OSError, ValueError) as exc:
        print(f"karuta: map: {path}: not shown ({exc})", file=sys.stderr)
        return None
    if img.get_bitsize() not in (24, 32):
        img = img.convert(24) if pygame.display.get_surface() else img.convert_alpha()
    scaled = pygame.transform.smoothscale(img, size) if img.get_size() != size else img
    # rounded corners like the panel it lies in (its rim is 3 px of a 16 px radius)
    picture = pygame.Surface(size, pygame.SRCALPHA)
    picture.blit(scaled, (0, 0))
    mask = pygame.Surface(size, pygame.SRCALPHA)
    pygame.draw.rect(mask, (255, 255, 255, 255), mask.get_rect(), border_radius=13)
    picture.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
    return picture.convert_alpha() if pygame.display.get_surface() else picture


@lru_cache(maxsize=4)
def _spread(spots: tuple, room: tuple, overlays: tuple) -> tuple:
    """The marker layout, kept: opening the same map again costs nothing (a crowded deck takes 0.1-0.2 s on a
    desktop, several times that in a browser)."""
    return tuple(spread(spots, room, MARKER_SPACING, MARKER_RADIUS + 2, overlays))


def draw_marker(surface, fonts, pos, kana: str, met: bool, radius: int, in_session: bool = True) -> None:
    """Met: a filled circle with a tick. Not met: a white circle with a dashed rim and the kana."""
    x, y = pos
    if met:
        pygame.draw.circle(surface, MET, pos, radius)
        pygame.draw.circle(surface, theme.INK, pos, radius, 2)
        if radius >= 14:
            label = fonts.render(kana, int(radius * 1.0), theme.WHITE, "bold")
            surface.blit(label, label.get_rect(center=(x - radius * 0.05, y - radius * 0.2)))
            check_mark(surface, (x + radius * 0.55, y + radius * 0.55), radius * 0.7, theme.INK, 3)
        else:
            check_mark(surface, pos, radius * 1.2, theme.WHITE, 2)
    else:
        colour = NOT_MET if in_session else OUTSIDE
        pygame.draw.circle(surface, colour, pos, radius)
        dashed_circle(surface, theme.INK if in_session else theme.INK_SOFT, pos, radius, 3 if radius >= 14 else 2)
        if radius >= 14:
            label = fonts.render(kana, int(radius * 1.1), theme.INK if in_session else theme.INK_SOFT, "bold")
            surface.blit(label, label.get_rect(center=pos))


def draw_mini_map(surface, fonts, deck, met, rect: pygame.Rect, highlight: int | None) -> None:
    """A small map of every signpost with one card marked by a star (the met screen); ``met``: the numbers met."""
    panel(surface, rect, color=MAP_BG)
    placed = state.located_cards(deck)
    if not placed:
        text = fonts.render("ばしょの じょうほうは ありません", 18, theme.INK_SOFT)
        surface.blit(text, text.get_rect(center=rect.center))
        return
    label = fonts.render("ばしょ", 18, theme.INK, "bold")
    band = pygame.Rect(rect.left + 3, rect.top + 3, rect.width - 6, label.get_height() + 6)
    pygame.draw.rect(surface, theme.PAPER, band, border_radius=12)
    surface.blit(label, (rect.left + 12, rect.top + 6))
    area = pygame.Rect(rect.left, band.bottom, rect.width, rect.bottom - band.bottom)
    proj = fit_view([(c.lat, c.lon) for c in placed], area, pad=14)
    for card in placed:
        if card.number == highlight:
            continue
        pos = proj.to_screen(card.lat, card.lon)
        if card.number in met:  # met: a filled dot; not met: a ring (told apart without colour)
            pygame.draw.circle(surface, MET, pos, 5)
            pygame.draw.circle(surface, theme.INK, pos, 5, 1)
        else:
            pygame.draw.circle(surface, theme.WHITE, pos, 5)
            pygame.draw.circle(surface, theme.INK_SOFT, pos, 5, 2)
    card = deck.card(highlight) if highlight is not None else None
    if card is not None and card.has_location:
        star(surface, proj.to_screen(card.lat, card.lon), 16, theme.ACCENT_2, theme.INK)


@dataclass(frozen=True)
class MapStill:
    """Everything the map shows but the pulsing ring: the Layer's key and the only input of its drawing."""

    back: ButtonsView
    progress: tuple                 # (cards met, cards in the deck)
    met: tuple                      # the numbers of the cards met
    session: frozenset | None       # the facilitator's cards for this walk; None = every card
    last: int | None                # the card met most recently
    position: tuple | None          # the device's position hint (lat, lon, accuracy)
    selected: int | None            # a card not met yet that was tapped
    target: Target | None = field(hash=False)  # the nearest card still to meet (its ring pulses)
    origin: tuple | None            # where that is measured from
    deck_complete: bool
    session_complete: bool


class MapScene(Scene):
    name = "map"

    def __init__(self, app):
        super().__init__(app)
        self.deck = app.deck
        self.collection = state.load(app)
        w, h = app.size
        self.back = back_button(self._back)
        self.area = pygame.Rect(24, HEADER_H + 12, PICTURE_SIZE[0] + 6, PICTURE_SIZE[1] + 6)
        self.inner = self.area.inflate(-6, -6)  # inside the panel's rim: the picture's place
        self.placed = state.located_cards(self.deck)
        deck_map = self.deck.map
        if deck_map is not None:
            self.proj = MapView(deck_map.bounds, self.inner)
            px, py, pw, ph = self.proj.picture
            self.picture_rect = pygame.Rect(round(px), round(py), round(pw), round(ph))
            self.picture = map_picture(self.deck.path(deck_map.image), self.picture_rect.size)
        else:
            self.proj = fit_view([(c.lat, c.lon) for c in self.placed], self.inner, pad=44)
            self.picture_rect, self.picture = None, None
        self.attribution = self._attribution_surface()
        self._backings = self._overlay_backings()
        self.markers = self._layout()
        self.selected = None
        self.position = None
        self._pos_t = 99.0
        self.t = 0.0
        self._layer = Layer()
        self._found: tuple | None = None  # (what it depends on, progress, origin, target, complete...): once per change

    def enter(self) -> None:
        self.collection = state.load(self.app)

    def _back(self) -> None:
        self.app.scenes.pop() if len(self.app.scenes) > 1 else self.app.go_title()

    def _attribution_surface(self):
        """The credit the map's makers require, drawn at the picture's lower right."""
        deck_map = self.deck.map
        if deck_map is None or self.picture is None:
            return None
        return self.app.fonts.render(deck_map.attribution, ATTRIBUTION_SIZE, theme.INK)

    def _overlays(self) -> list[pygame.Rect]:
        """What is drawn over the map: the scale bar, the north arrow, the attribution."""
        a = self.area
        rects = [pygame.Rect(a.left + 12, a.bottom - 62, 184, 54), pygame.Rect(a.right - 72, a.top + 16, 64, 86)]
        if self.attribution is not None:
            rects.append(self._attribution_rect())
        return rects

    def _overlay_backings(self) -> list[tuple[pygame.Surface, pygame.Rect]]:
        """Pale boxes under the scale bar and the north arrow, so they read on a busy map picture (made once)."""
        if self.picture is None:
            return []
        out = []
        for rect in self._overlays()[:2]:
            box = pygame.Surface(rect.size, pygame.SRCALPHA)
            pygame.draw.rect(box, (255, 255, 255, 190), box.get_rect(), border_radius=10)
            out.append((box, rect))
        return out

    def _attribution_rect(self) -> pygame.Rect:
        box = self.attribution.get_rect().inflate(12, 6)
        box.bottomright = (self.inner.right - 2, self.inner.bottom - 2)
        return box

    def _layout(self) -> dict[int, tuple[int, int]]:
        """Each card's marker centre: at its signpost, or moved clear of its neighbours and the overlays."""
        if not self.placed:
            return {}
        spots = [self.proj.to_screen_f(c.lat, c.lon) for c in self.placed]
        room = self.inner.inflate(-8, -8)
        centres = _spread(tuple(spots), tuple(room), tuple(tuple(r) for r in self._overlays()))
        return {c.number: (int(round(x)), int(round(y))) for c, (x, y) in zip(self.placed, centres)}

    def marker_pos(self, card) -> tuple[int, int]:
        """Where a card's marker is drawn (and tapped)."""
        return self.markers[card.number]

    def marker_at(self, pos):
        best, best_d = None, TAP_RADIUS ** 2
        for card in self.placed:
            x, y = self.marker_pos(card)
            d = (x - pos[0]) ** 2 + (y - pos[1]) ** 2
            if d <= best_d:
                best, best_d = card, d
        return best

    def handle(self, event) -> None:
        if self.back.handle(event):
            return
        if isinstance(event, Pointer) and event.is_tap and self.area.collidepoint(event.pos):
            card = self.marker_at(event.pos)
            if card is None:
                self.selected = None
            elif self.collection.has(card.number):
                self.app.scenes.push(navigation.review(self.app, card))
            else:
                self.selected = card

    def update(self, dt: float) -> None:
        self.t += dt
        self._pos_t += dt
        if self._pos_t >= 1.0:  # a hint only: read now and then, kept in memory, never saved
            self._pos_t = 0.0
            self.position = self.app.platform.position()

    def still(self) -> MapStill:
        deck, coll = self.deck, self.collection
        met = tuple(sorted(coll.met))
        position = self.position[:2] if self.position else None
        asked = (met, coll.last, coll.session, position)
        if self._found is None or self._found[0] != asked:  # what follows from the collection, worked out once
            target = coll.next_target(deck, position) if self.placed else None
            self._found = (asked, coll.progress(deck), coll.origin(deck, position), target, coll.deck_complete(deck),
                           coll.session is not None and coll.session_complete(deck))
        _, progress, origin, target, deck_complete, session_complete = self._found
        return MapStill(ButtonsView.of(self.back), progress, met, coll.session, coll.last, self.position,
                        self.selected.number if self.selected is not None else None, target, origin,
                        deck_complete, session_complete)

    @property
    def _target(self) -> Target | None:
        """The card whose ring pulses now (None: the map stands still)."""
        return self.still().target

    def _pulse(self) -> int:
        return 30 + int(4 * abs(((self.t * 2) % 2) - 1))

    def view_key(self):
        # Only the ring around the next card moves (when there is one): the screen is repainted when
        # its radius steps.
        v = self.still()
        return v, self._pulse() if v.target is not None else None

    def draw(self, surface: pygame.Surface) -> None:
        v = self.still()
        surface.blit(self._layer.get(v, surface.get_size(), lambda layer: self._draw_still(layer, v)), (0, 0))
        if self.placed:
            self._draw_moving(surface, self.inner, v)

    def repaint(self, surface: pygame.Surface) -> bool:
        """Only the ring's radius stepped: put back the still map around it and draw over it again."""
        v = self.still()
        if self._layer.key != v or not self.placed or v.target is None:
            return False
        centre = self.marker_pos(v.target.card)
        around = pygame.Rect(0, 0, 2 * 36, 2 * 36)  # the ring's largest radius (34) and a margin
        around.center = centre
        around = around.clip(self.inner)
        surface.blit(self._layer.surface, around, around)
        self._draw_moving(surface, around, v)  # clipped: what lies over the ring is drawn there once, as in draw()
        return True

    def _draw_moving(self, surface: pygame.Surface, clip_to: pygame.Rect, v: MapStill) -> None:
        deck = self.deck
        clip = surface.get_clip()
        surface.set_clip(clip_to)
        if v.target is not None:
            pygame.draw.circle(surface, theme.ACCENT_2, self.marker_pos(v.target.card), self._pulse(), 4)
        if v.last is not None and deck.card(v.last) and deck.card(v.last).has_location:
            last = deck.card(v.last)
            x, y = self.marker_pos(last)
            star(surface, (x + 20, y - 20), 11, theme.WARN, theme.INK)
        if v.selected is not None:
            pygame.draw.circle(surface, theme.INK, self.marker_pos(deck.card(v.selected)), 28, 3)
        self._draw_scale(surface)
        surface.set_clip(clip)

    def _draw_still(self, surface: pygame.Surface, v: MapStill) -> None:
        """Everything but the pulsing ring and what lies over it, painted once per change (see MapStill)."""
        fonts, deck = self.app.fonts, self.deck
        w, h = self.app.size
        surface.fill(theme.BG)
        draw_header(surface, fonts, "ちず", deck.name)
        v.back.draw(surface, fonts)
        got, total = v.progress
        prog = fonts.render(f"{got} / {total}まい", 34, theme.INK, "bold")
        surface.blit(prog, prog.get_rect(midright=(w - 24, HEADER_H // 2)))
        panel(surface, self.area, color=MAP_BG)
        if self.picture is not None:
            surface.blit(self.picture, self.picture_rect)
        if not self.placed:
            msg = fonts.render("この カルタには ばしょの じょうほうが ありません", 30, theme.INK_SOFT)
            surface.blit(msg, msg.get_rect(center=self.area.center))
            return
        clip = surface.get_clip()
        surface.set_clip(self.inner)
        target, origin = v.target, v.origin
        if target is not None and origin is not None:
            last = deck.card(v.last) if v.last is not None else None
            a = self.marker_pos(last) if last is not None and last.has_location else self.proj.to_screen(*origin)
            b = self.marker_pos(target.card)
            if (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 > 60 ** 2:
                arrow(surface, a, _towards(b, a, 30), theme.ACCENT_2, width=5, head=20)
        if v.position:
            self._draw_position(surface, v.position)
        self._draw_leaders(surface)
        met = set(v.met)
        for card in self.placed:
            draw_marker(surface, fonts, self.marker_pos(card), card.kana, card.number in met, MARKER_RADIUS,
                        v.session is None or card.number in v.session)
        if self.attribution is not None:
            box = self._attribution_rect()
            backing = pygame.Surface(box.size, pygame.SRCALPHA)
            backing.fill((255, 255, 255, 200))
            surface.blit(backing, box)
            surface.blit(self.attribution, self.attribution.get_rect(center=box.center))
        surface.set_clip(clip)
        # below the map's frame: nothing that moves is drawn over these
        self._draw_info(surface, v)
        self._draw_legend(surface, v)

    def _draw_leaders(self, surface) -> None:
        """A line from each moved marker to a dot at its true spot (drawn under every marker)."""
        for card in self.placed:
            spot = self.proj.to_screen(card.lat, card.lon)
            pos = self.marker_pos(card)
            if (spot[0] - pos[0]) ** 2 + (spot[1] - pos[1]) ** 2 <= LEADER_MIN_PX ** 2:
                continue
            pygame.draw.line(surface, theme.WHITE, spot, pos, 6)
            pygame.draw.line(surface, theme.INK, spot, pos, 3)
            pygame.draw.circle(surface, theme.WHITE, spot, 7)
            pygame.draw.circle(surface, theme.INK, spot, 5)

    def _draw_position(self, surface, position: tuple) -> None:
        lat, lon, accuracy = position
        pos = self.proj.to_screen(lat, lon)
        r = max(12, int(min(accuracy, 2000) * self.proj.px_per_m))
        halo = pygame.Surface((r * 2 + 4, r * 2 + 4), pygame.SRCALPHA)
        pygame.draw.circle(halo, (*POSITION, 60), (r + 2, r + 2), r)
        surface.blit(halo, halo.get_rect(center=pos))
        pygame.draw.circle(surface, POSITION, pos, 10)
        pygame.draw.circle(surface, theme.WHITE, pos, 10, 3)

    def _draw_scale(self, surface) -> None:
        fonts = self.app.fonts
        for box, rect in self._backings:
            surface.blit(box, rect)
        metres, px = self.proj.scale_bar()
        x, y = self.area.left + 20, self.area.bottom - 24
        pygame.draw.line(surface, theme.INK, (x, y), (x + px, y), 4)
        pygame.draw.line(surface, theme.INK, (x, y - 8), (x, y + 2), 3)
        pygame.draw.line(surface, theme.INK, (x + px, y - 8), (x + px, y + 2), 3)
        label = fonts.render(state.distance_words(metres), 20, theme.INK, "bold")
        surface.blit(label, (x, y - 32))
        # north is always up
        nx, ny = self.area.right - 40, self.area.top + 50
        arrow(surface, (nx, ny + 22), (nx, ny - 22), theme.INK, width=4, head=16)
        n = fonts.render("きた", 20, theme.INK, "bold")
        surface.blit(n, n.get_rect(midtop=(nx, ny + 24)))

    def _draw_info(self, surface, v: MapStill) -> None:
        fonts, deck, target = self.app.fonts, self.deck, v.target
        box = pygame.Rect(24, self.area.bottom + 10, self.app.size[0] - 48, 96)
        panel(surface, box)
        if v.selected is not None:
            card = deck.card(v.selected)
            line1 = f"「{card.kana}」 {card.title or card.kana}：まだ であっていないよ"
            origin = v.origin
            line2 = ""
            if origin is not None:
                d = distance_m(origin, (card.lat, card.lon))
                line2 = f"{state.DIRECTION_WORDS[compass(bearing_deg(origin, (card.lat, card.lon)))]}へ {state.distance_words(d)}"
        elif v.deck_complete:
            line1, line2 = "ぜんぶの カードに であえたよ！", ""
        elif target is not None:
            line1 = f"つぎに ちかいのは 「{target.card.kana}」 {target.card.title or target.card.kana}"
            line2 = f"{state.DIRECTION_WORDS[target.direction]}へ {state.distance_words(target.distance_m)}"
            if v.last is None:
                line2 += "（いまの ばしょ から、だいたい）"
            compass_arrow(surface, (box.right - 56, box.centery), target.bearing_deg, 34, theme.ACCENT_2)
        elif v.session_complete:
            line1, line2 = "きょうの カードは ぜんぶ あつめたよ！", ""
        else:
            line1, line2 = "カードに であうと、つぎに ちかい カードを おしえるよ", ""
        # line1 may hold a card title in furigana markup: kanji carry their reading for children
        t1 = fonts.ruby(line1, 24, theme.INK, "bold", align="left")
        if t1.get_width() > box.width - 140:
            t1 = fonts.ruby(line1, 20, theme.INK, "bold", align="left")
        surface.blit(t1, (box.left + 20, box.top + 6))
        if line2:
            t2 = fonts.render(line2, 24, theme.INK)
            surface.blit(t2, (box.left + 20, box.bottom - 8 - t2.get_height()))

    def _draw_legend(self, surface, v: MapStill) -> None:
        fonts = self.app.fonts
        y = self.app.size[1] - 40
        x = 40
        items = [("あった", True), ("まだ", False)]
        for label, met in items:
            draw_marker(surface, fonts, (x, y), "", met, 13)
            t = fonts.render(label, 24, theme.INK)
            surface.blit(t, t.get_rect(midleft=(x + 26, y)))
            x += 60 + t.get_width()
        pygame.draw.circle(surface, theme.ACCENT_2, (x, y), 18, 4)
        t = fonts.render("つぎ", 24, theme.INK)
        surface.blit(t, t.get_rect(midleft=(x + 28, y)))
        x += 70 + t.get_width()
        star(surface, (x, y), 14, theme.WARN, theme.INK)
        t = fonts.render("さいごに であった", 24, theme.INK)
        surface.blit(t, t.get_rect(midleft=(x + 24, y)))
        x += 60 + t.get_width()
        if v.position:
            pygame.draw.circle(surface, POSITION, (x, y), 10)
            t = fonts.render("いまの ばしょ（めやす）", 24, theme.INK)
            surface.blit(t, t.get_rect(midleft=(x + 20, y)))
        elif self.deck.demo_locations:
            t = fonts.render("（れんしゅうようの ばしょ）", 20, theme.INK_SOFT)
            surface.blit(t, t.get_rect(midright=(self.app.size[0] - 30, y)))


def _towards(point, source, gap: float):
    """``point`` moved ``gap`` px back towards ``source`` (so an arrow stops at a marker's rim)."""
    dx, dy = source[0] - point[0], source[1] - point[1]
    length = max(1.0, (dx * dx + dy * dy) ** 0.5)
    return point[0] + dx / length * gap, point[1] + dy / length * gap
