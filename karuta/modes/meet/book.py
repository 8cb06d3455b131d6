"""あつめたカルタ: every card of the deck as a slot, by kana row; met ones show their picture and date."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.input import Pointer
from ...app.scene import Scene, StillView
from ...app.ui import Button, ButtonsView, panel
from ...engine.collection import MeetResult
from ...engine.deck import Deck
from ..common import HEADER_H, back_button, draw_header
from . import navigation, state
from ..common.confetti import Confetti
from .widgets import star

THUMB = card_size(90)        # 64 x 90: the slot itself (with its date) is 76 x 112
SLOT_W, SLOT_H = 76, 112
LABEL_W = 84
PER_LINE = 5
LINE_H = 116
LINES_PER_COL = 5
COLS_X = (24, 524)
GOLD = (255, 226, 140)


@dataclass(frozen=True)
class BookStill:
    """What a page of the book shows (its view key, once still, and its drawing's only input)."""

    deck: Deck = field(hash=False)  # compared as the same object first (tuple equality), so cheaply
    progress: tuple                 # (cards met, cards in the deck)
    session: tuple | None           # today's (cards met, cards chosen), when the facilitator chose some
    raised: bool                    # the progress sits higher to leave room for today's line
    complete: bool                  # every card met: a ribbon in the header
    labels: tuple                   # per kana row starting on this page: (its rect, name, complete, fresh)
    slots: tuple                    # per card on this page: (its rect, number, the day met or None, in today's walk)
    glow: int | None                # how far a freshly completed row's glow reaches now; None when not glowing
    back: ButtonsView
    buttons: ButtonsView            # the bottom row, and まえ / つぎ with more than one page


class BookScene(StillView, Scene):
    name = "book"

    def __init__(self, app, celebrate: MeetResult | None = None):
        super().__init__(app)
        self.deck = app.deck
        self.celebrate = celebrate
        self.collection = state.load(app)
        w, h = app.size
        self.back = back_button(self._back)
        self.bottom = [
            Button((200, h - 78, 280, 68), "ちず", self._map, color=theme.ACCENT, size=32, name="map"),
            Button((500, h - 78, 320, 68), "つぎを さがす", self._home, color=theme.ACCENT_2, size=30, name="next"),
        ]
        self.prev_btn = Button((16, h - 78, 150, 68), "まえ", lambda: self._turn(-1), color=theme.BG_DARK, name="prev")
        self.next_btn = Button((w - 166, h - 78, 150, 68), "つぎ", lambda: self._turn(1), color=theme.BG_DARK,
                               name="nextpage")
        self.page = 0
        self.t = 0.0
        big = celebrate is not None and (celebrate.deck_completed or bool(celebrate.rows_completed))
        self.confetti = Confetti.shower(0.0, app.seed + 7, 120 if celebrate and celebrate.deck_completed else 60,
                                        pygame.Rect(0, 0, w, h), 4.0) if big else None
        self._auto_t = 0.0

    def enter(self) -> None:
        self.collection = state.load(self.app)

    # ------------------------------------------------------------------ layout

    def lines(self) -> list[tuple[str, tuple[int, ...], bool]]:
        """(row name, card numbers, row complete) per line; rows longer than 5 wrap onto more lines."""
        out = []
        for row in self.collection.rows(self.deck):
            for i in range(0, len(row.numbers), PER_LINE):
                out.append((row.name if i == 0 else "", row.numbers[i:i + PER_LINE], row.complete))
        return out

    @property
    def per_page(self) -> int:
        return LINES_PER_COL * len(COLS_X)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.lines()) // self.per_page))

    def _turn(self, step: int) -> None:
        self.page = (self.page + step) % self.pages

    def slots(self) -> list[tuple[pygame.Rect, int]]:
        out = []
        for i, (_, numbers, _) in enumerate(self.lines()[self.page * self.per_page:(self.page + 1) * self.per_page]):
            x0 = COLS_X[i // LINES_PER_COL] + LABEL_W + 8
            y0 = HEADER_H + 8 + (i % LINES_PER_COL) * LINE_H
            for j, number in enumerate(numbers):
                out.append((pygame.Rect(x0 + j * SLOT_W, y0, SLOT_W, SLOT_H), number))
        return out

    # ------------------------------------------------------------------ actions

    def _back(self) -> None:
        navigation.home_or_back(self.app)

    def _home(self) -> None:
        navigation.leave_to(self.app, "home", self)

    def _map(self) -> None:
        self.app.scenes.push(self.app.make_scene("map"))

    def open_slot(self, number: int) -> None:
        if self.collection.has(number):
            self.app.scenes.push(navigation.review(self.app, self.deck.card(number)))
        else:
            self.app.toast("まだ であっていないよ。たてふだを さがそう！", 3.0)

    def handle(self, event) -> None:
        buttons = [self.back, *self.bottom] + ([self.prev_btn, self.next_btn] if self.pages > 1 else [])
        for b in buttons:
            if b.handle(event):
                return
        if isinstance(event, Pointer) and event.is_tap:
            for rect, number in self.slots():
                if rect.collidepoint(event.pos) and rect.collidepoint(event.start):
                    self.open_slot(number)
                    return

    def view_key(self):
        if (self.confetti is not None and self.confetti.alive(self.t)) or (self.celebrate and self.t < 4.0):
            return None  # celebrating: every frame moves
        return self.still()

    def still(self) -> BookStill:
        deck, coll = self.deck, self.collection
        lines = self.lines()[self.page * self.per_page:(self.page + 1) * self.per_page]
        fresh = set(self.celebrate.rows_completed) if self.celebrate else set()
        labels = tuple((tuple(pygame.Rect(COLS_X[i // LINES_PER_COL], HEADER_H + 8 + (i % LINES_PER_COL) * LINE_H,
                                          LABEL_W, SLOT_H - 4)), name, complete, name in fresh)
                       for i, (name, _, complete) in enumerate(lines) if name)
        slots = tuple((tuple(rect), number, coll.met.get(number), coll.session is None or number in coll.session)
                      for rect, number in self.slots())
        glow = int(6 * abs(math.sin(self.t * 5))) if fresh and self.t < 4.0 else None
        paging = [self.prev_btn, self.next_btn] if self.pages > 1 else []
        return BookStill(deck, coll.progress(deck),
                         coll.session_progress(deck) if coll.session is not None else None, bool(coll.session),
                         coll.deck_complete(deck), labels, slots, glow, ButtonsView.of(self.back),
                         ButtonsView.of(*self.bottom, *paging))

    def update(self, dt: float) -> None:
        self.t += dt

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 3.0:
            self._home()

    # ------------------------------------------------------------------ drawing

    def draw(self, surface: pygame.Surface) -> None:
        self.paint(surface, self.still())
        if self.confetti is not None:
            self.confetti.draw(surface, self.t)

    def paint(self, surface: pygame.Surface, v: BookStill) -> None:
        fonts = self.app.fonts
        w, h = self.app.size
        draw_header(surface, fonts, "あつめたカルタ")
        v.back.draw(surface, fonts)
        got, total = v.progress
        prog = fonts.render(f"{got} / {total}まい", 38, theme.INK, "bold")
        surface.blit(prog, prog.get_rect(midright=(w - 24, HEADER_H // 2 - (12 if v.raised else 0))))
        if v.session is not None:
            s_got, s_total = v.session
            sub = fonts.render(f"きょうの カード {s_got} / {s_total}", 22, theme.INK_SOFT, "bold")
            surface.blit(sub, sub.get_rect(midright=(w - 24, HEADER_H // 2 + 24)))
        if v.complete:
            self._complete_ribbon(surface)
        for rect, name, complete, fresh in v.labels:
            self._row_label(surface, pygame.Rect(rect), name, complete, v.glow if fresh else None)
        for rect, number, day, in_session in v.slots:
            self._slot(surface, pygame.Rect(rect), v.deck, v.deck.card(number), day, in_session)
        v.buttons.draw(surface, fonts)

    def _row_label(self, surface, rect: pygame.Rect, name: str, complete: bool, glow: int | None) -> None:
        fonts = self.app.fonts
        if glow is not None:
            pygame.draw.rect(surface, theme.WARN, rect.inflate(8 + glow, 8 + glow), border_radius=18)
        panel(surface, rect, color=GOLD if complete else theme.PAPER, border=theme.WARN if complete else theme.CARD_EDGE)
        label = fonts.ruby(state.row_markup(name), 26, theme.INK, "bold")
        surface.blit(label, label.get_rect(center=(rect.centerx, rect.top + 34)))
        if complete:
            star(surface, (rect.centerx, rect.top + 72), 15, theme.WARN, theme.INK)
            done = fonts.render("ぜんぶ", 16, theme.INK, "bold")
            surface.blit(done, done.get_rect(center=(rect.centerx, rect.bottom - 12)))

    def _slot(self, surface, rect: pygame.Rect, deck: Deck, card, day, in_session: bool) -> None:
        fonts = self.app.fonts
        thumb = pygame.Rect(0, 0, *THUMB)
        thumb.midtop = (rect.centerx, rect.top)
        if day is not None:
            surface.blit(self.app.faces.get(deck, card, "picture", THUMB), thumb)
            date = fonts.render(state.short_date(day), 18, theme.INK, "bold")
            surface.blit(date, date.get_rect(midtop=(rect.centerx, thumb.bottom + 1)))
            return
        fill = (240, 234, 220) if in_session else (228, 228, 228)
        pygame.draw.rect(surface, fill, thumb, border_radius=8)
        ink = theme.INK_SOFT if in_session else (170, 170, 170)
        _dashed_rect(surface, ink, thumb)
        kana = fonts.render(card.kana, 32, ink, "card")
        surface.blit(kana, kana.get_rect(center=(thumb.centerx, thumb.centery - 10)))
        mark = fonts.render("？" if in_session else "－", 20, ink, "bold")
        surface.blit(mark, mark.get_rect(center=(thumb.centerx, thumb.bottom - 16)))

    def _complete_ribbon(self, surface) -> None:
        fonts = self.app.fonts
        text = fonts.render("ぜんぶ あつめた！", 26, theme.INK, "bold")
        box = text.get_rect(midleft=(480, HEADER_H // 2)).inflate(60, 16)
        pygame.draw.rect(surface, GOLD, box, border_radius=14)
        star(surface, (box.left + 16, box.centery), 11, theme.WARN, theme.INK)
        surface.blit(text, text.get_rect(center=(box.centerx + 8, box.centery)))


def _dashed_rect(surface, colour, rect: pygame.Rect, dash: int = 8) -> None:
    for x in range(rect.left + 6, rect.right - 6, dash * 2):
        pygame.draw.line(surface, colour, (x, rect.top), (min(x + dash, rect.right - 6), rect.top), 2)
        pygame.draw.line(surface, colour, (x, rect.bottom - 1), (min(x + dash, rect.right - 6), rect.bottom - 1), 2)
    for y in range(rect.top + 6, rect.bottom - 6, dash * 2):
        pygame.draw.line(surface, colour, (rect.left, y), (rect.left, min(y + dash, rect.bottom - 6)), 2)
        pygame.draw.line(surface, colour, (rect.right - 1, y), (rect.right - 1, min(y + dash, rect.bottom - 6)), 2)

