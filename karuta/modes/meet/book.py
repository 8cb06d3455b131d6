"""あつめたカルタ: every card of the deck as a slot, by kana row; met ones show their picture and date."""

from __future__ import annotations

import math

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.input import Pointer
from ...app.scene import Scene
from ...app.ui import Button, panel
from ...engine.collection import MeetResult
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


class BookScene(Scene):
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
        buttons = [self.back, *self.bottom, self.prev_btn, self.next_btn]
        return (self.page, tuple(sorted(self.collection.met.items())), self.collection.session,
                tuple(b.look() for b in buttons))

    def update(self, dt: float) -> None:
        self.t += dt

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 3.0:
            self._home()

    # ------------------------------------------------------------------ drawing

    def draw(self, surface: pygame.Surface) -> None:
        fonts, deck, coll = self.app.fonts, self.deck, self.collection
        w, h = self.app.size
        draw_header(surface, fonts, "あつめたカルタ")
        self.back.draw(surface, fonts)
        got, total = coll.progress(deck)
        prog = fonts.render(f"{got} / {total}まい", 38, theme.INK, "bold")
        surface.blit(prog, prog.get_rect(midright=(w - 24, HEADER_H // 2 - (12 if coll.session else 0))))
        if coll.session is not None:
            s_got, s_total = coll.session_progress(deck)
            sub = fonts.render(f"きょうの カード {s_got} / {s_total}", 22, theme.INK_SOFT, "bold")
            surface.blit(sub, sub.get_rect(midright=(w - 24, HEADER_H // 2 + 24)))
        if coll.deck_complete(deck):
            self._complete_ribbon(surface)
        lines = self.lines()[self.page * self.per_page:(self.page + 1) * self.per_page]
        fresh = set(self.celebrate.rows_completed) if self.celebrate else set()
        for i, (name, numbers, complete) in enumerate(lines):
            x0 = COLS_X[i // LINES_PER_COL]
            y0 = HEADER_H + 8 + (i % LINES_PER_COL) * LINE_H
            if name:
                self._row_label(surface, pygame.Rect(x0, y0, LABEL_W, SLOT_H - 4), name, complete, name in fresh)
        for rect, number in self.slots():
            self._slot(surface, rect, number)
        for b in self.bottom:
            b.draw(surface, fonts)
        if self.pages > 1:
            self.prev_btn.draw(surface, fonts)
            self.next_btn.draw(surface, fonts)
        if self.confetti is not None:
            self.confetti.draw(surface, self.t)

    def _row_label(self, surface, rect: pygame.Rect, name: str, complete: bool, fresh: bool) -> None:
        fonts = self.app.fonts
        if fresh and self.t < 4.0:
            glow = rect.inflate(8 + int(6 * abs(math.sin(self.t * 5))), 8 + int(6 * abs(math.sin(self.t * 5))))
            pygame.draw.rect(surface, theme.WARN, glow, border_radius=18)
        panel(surface, rect, color=GOLD if complete else theme.PAPER, border=theme.WARN if complete else theme.CARD_EDGE)
        label = fonts.ruby(state.row_markup(name), 26, theme.INK, "bold")
        surface.blit(label, label.get_rect(center=(rect.centerx, rect.top + 34)))
        if complete:
            star(surface, (rect.centerx, rect.top + 72), 15, theme.WARN, theme.INK)
            done = fonts.render("ぜんぶ", 16, theme.INK, "bold")
            surface.blit(done, done.get_rect(center=(rect.centerx, rect.bottom - 12)))

    def _slot(self, surface, rect: pygame.Rect, number: int) -> None:
        fonts, deck, coll = self.app.fonts, self.deck, self.collection
        card = deck.card(number)
        thumb = pygame.Rect(0, 0, *THUMB)
        thumb.midtop = (rect.centerx, rect.top)
        day = coll.met.get(number)
        if day is not None:
            surface.blit(self.app.faces.get(deck, card, "picture", THUMB), thumb)
            date = fonts.render(state.short_date(day), 18, theme.INK, "bold")
            surface.blit(date, date.get_rect(midtop=(rect.centerx, thumb.bottom + 1)))
            return
        in_session = coll.session is None or number in coll.session
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

