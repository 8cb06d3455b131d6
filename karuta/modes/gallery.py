"""図鑑 (gallery): browse every card of the deck; a card's page shows all it has."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from ..app import theme
from ..engine import ruby
from ..engine.deck import Card, Deck
from ..app.faces import card_size
from ..app.input import Pointer
from ..app.scene import Scene, StillView
from ..app.ui import Button, ButtonsView, panel
from . import registry
from .common import HEADER_H, back_button, draw_header

COLS, ROWS = 11, 4
THUMB = card_size(118)  # 84 x 118: well above the 64 px touch minimum
GAP_X, GAP_Y = 7, 14


@dataclass(frozen=True)
class GalleryStill:
    """What a page of the gallery shows (its view key and its drawing's only input)."""

    deck: Deck = field(hash=False)  # compared as the same object first (tuple equality), so cheaply
    page: int
    pages: int
    buttons: ButtonsView            # もどる, and まえ / つぎ with more than one page


class GalleryScene(StillView, Scene):
    name = "gallery"

    def __init__(self, app):
        super().__init__(app)
        self.deck = app.deck
        self.page = 0
        self.back = back_button(self._back)
        self.prev_btn = Button((16, 680, 150, 72), "まえ", lambda: self._turn(-1), color=theme.BG_DARK, name="prev")
        self.next_btn = Button((858, 680, 150, 72), "つぎ", lambda: self._turn(1), color=theme.BG_DARK, name="next")
        self._pressed: tuple[int, int] | None = None
        self._auto_t = 0.0
        self._auto_index = 0
        self._sheet: tuple[tuple, pygame.Surface, tuple[int, int]] | None = None

    # pages of cards
    @property
    def per_page(self) -> int:
        return COLS * ROWS

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.deck.cards) // self.per_page))

    def _turn(self, step: int) -> None:
        self.page = (self.page + step) % self.pages

    def _back(self) -> None:
        self.app.scenes.pop() if len(self.app.scenes) > 1 else self.app.go_title()

    def card_rects(self, deck: Deck | None = None, page: int | None = None) -> list[tuple[pygame.Rect, object]]:
        """Where each card of a page lies (by default the page on screen)."""
        deck = self.deck if deck is None else deck
        page = self.page if page is None else page
        cards = deck.cards[page * self.per_page:(page + 1) * self.per_page]
        total_w = COLS * THUMB[0] + (COLS - 1) * GAP_X
        x0 = (self.app.size[0] - total_w) // 2
        y0 = HEADER_H + 40
        out = []
        for i, card in enumerate(cards):
            col, row = i % COLS, i // COLS
            out.append((pygame.Rect(x0 + col * (THUMB[0] + GAP_X), y0 + row * (THUMB[1] + GAP_Y), *THUMB), card))
        return out

    def open_card(self, card) -> None:
        self.app.scenes.push(CardDetailScene(self.app, card))

    def handle(self, event) -> None:
        if self.back.handle(event):
            return
        if self.pages > 1 and (self.prev_btn.handle(event) or self.next_btn.handle(event)):
            return
        if isinstance(event, Pointer) and event.is_tap:
            for rect, card in self.card_rects():
                if rect.inflate(GAP_X, GAP_Y).collidepoint(event.pos) and rect.inflate(GAP_X, GAP_Y).collidepoint(event.start):
                    self.open_card(card)
                    return

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 1.0:
            self._auto_t = 0.0
            cards = self.deck.cards
            self.open_card(cards[self._auto_index % len(cards)])
            self._auto_index += 1

    def still(self) -> GalleryStill:
        buttons = (self.back, self.prev_btn, self.next_btn) if self.pages > 1 else (self.back,)
        return GalleryStill(self.deck, self.page, self.pages, ButtonsView.of(*buttons))

    def page_sheet(self, deck: Deck, page: int) -> tuple[pygame.Surface | None, tuple[int, int]]:
        """The page's thumbnails composed once on the background: one opaque blit instead of 44 alpha blits."""
        key = (deck.id, deck.folder, page, theme.BG)
        if self._sheet is None or self._sheet[0] != key:
            rects = self.card_rects(deck, page)
            if not rects:
                return None, (0, 0)
            area = rects[0][0].unionall([r for r, _ in rects])
            sheet = pygame.Surface(area.size)
            sheet.fill(theme.BG)
            for rect, card in rects:
                sheet.blit(self.app.faces.get(deck, card, "picture", THUMB), rect.move(-area.x, -area.y))
            if pygame.display.get_surface() is not None:
                sheet = sheet.convert()
            self._sheet = (key, sheet, area.topleft)
        return self._sheet[1], self._sheet[2]

    def paint(self, surface: pygame.Surface, v: GalleryStill) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "ずかん", v.deck.name)
        v.buttons.draw(surface, fonts)
        count = fonts.render(f"{len(v.deck.cards)}まい", 28, theme.INK_SOFT, "bold")
        surface.blit(count, count.get_rect(midright=(self.app.size[0] - 24, HEADER_H // 2)))
        sheet, at = self.page_sheet(v.deck, v.page)
        if sheet is not None:
            surface.blit(sheet, at)
        if v.pages > 1:
            page = fonts.render(f"{v.page + 1} / {v.pages}", 28, theme.INK)
            surface.blit(page, page.get_rect(center=(self.app.size[0] // 2, 716)))
        else:
            hint = fonts.render("カードに タッチすると くわしく みられるよ", 26, theme.INK_SOFT)
            surface.blit(hint, hint.get_rect(center=(self.app.size[0] // 2, 716)))


@dataclass(frozen=True)
class CardDetailStill:
    """What a card's page shows (its view key and its drawing's only input)."""

    deck: Deck = field(hash=False)  # compared as the same object first (tuple equality), so cheaply
    card: Card = field(hash=False)
    position: int                   # the card's place in the deck, from 1
    kana_only: bool
    show_image: bool                # the printed reading card instead of the text (when it has both)
    buttons: ButtonsView


class CardDetailScene(StillView, Scene):
    """One card: picture card, reading card (furigana), title, explanation, and where its signpost is."""

    name = "card_detail"
    PICTURE = card_size(400)

    def __init__(self, app, card):
        super().__init__(app)
        self.deck = app.deck
        self.card = card
        self.back = back_button(self.app.scenes.pop)
        self.prev_btn = Button((16, 680, 150, 72), "まえ", lambda: self._step(-1), color=theme.BG_DARK, name="prev")
        self.next_btn = Button((858, 680, 150, 72), "つぎ", lambda: self._step(1), color=theme.BG_DARK, name="next")
        # A card with reading text and a reading-card image (texts added to the open data's images):
        # the text is shown large with furigana, and this button swaps in the printed card.
        self.show_image = False
        self.image_btn = Button((182, 680, 260, 72), "よみふだを みる", self._toggle_image, color=theme.BG_DARK,
                                size=26, name="reading-image")
        self._auto_t = 0.0

    def _toggle_image(self) -> None:
        self.show_image = not self.show_image
        self.image_btn.label = "もじで みる" if self.show_image else "よみふだを みる"

    @property
    def _both(self) -> bool:
        return bool(self.card.reading and self.card.image("reading"))

    def _step(self, delta: int) -> None:
        cards = list(self.deck.cards)
        i = cards.index(self.card)
        self.card = cards[(i + delta) % len(cards)]

    def handle(self, event) -> None:
        for b in (self.back, self.prev_btn, self.next_btn) + ((self.image_btn,) if self._both else ()):
            if b.handle(event):
                return

    def still(self) -> CardDetailStill:
        buttons = (self.back, self.prev_btn, self.next_btn) + ((self.image_btn,) if self._both else ())
        return CardDetailStill(self.deck, self.card, list(self.deck.cards).index(self.card) + 1,
                               bool(self.app.settings.get("kana_only")), self.show_image, ButtonsView.of(*buttons))

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 1.5:
            self.app.scenes.pop()

    def paint(self, surface: pygame.Surface, v: CardDetailStill) -> None:
        fonts, faces, card, deck = self.app.fonts, self.app.faces, v.card, v.deck
        # The header has no room for furigana, so it shows the title in kana only.
        title = ruby.kana_reading(card.title) if card.title else ""
        draw_header(surface, fonts, f"{card.kana}  {title}" if 0 < len(title) < 16 else card.kana)
        x0, y0 = 32, HEADER_H + 24
        surface.blit(faces.get(deck, card, "picture", self.PICTURE), (x0, y0))
        right = pygame.Rect(x0 + self.PICTURE[0] + 28, y0, self.app.size[0] - (x0 + self.PICTURE[0] + 28) - 32, 552)
        y = right.top
        # reading card: text with furigana, or the deck's reading-card image
        drew_explanation_image = False
        if card.reading and not (v.show_image and card.image("reading")):
            text = fonts.ruby(card.reading, 36, theme.INK, "card", max_width=right.width - 40,
                              kana_only=v.kana_only)
            box_h = max(130, text.get_height() + 36)
            panel(surface, (right.left, y, right.width, box_h))
            surface.blit(text, text.get_rect(center=(right.centerx, y + box_h // 2)))
            y += box_h + 16
        elif card.image("reading"):
            # An image-only card (the open data as published): the reading card and the
            # explanation card side by side, as large as the page allows, so both can be read.
            shown = ["reading"] + (["explanation"] if card.image("explanation") and not card.explanation else [])
            cell_w = (right.width - 16 * (len(shown) - 1)) // len(shown)
            img_h = 400 if (card.title or card.explanation) else 500
            for i, face in enumerate(shown):
                surface.blit(faces.get(deck, card, face, (cell_w, img_h)), (right.left + i * (cell_w + 16), y))
            drew_explanation_image = len(shown) > 1
            y += img_h + 12
        if card.title:
            t = fonts.ruby(card.title, 32, theme.INK, "card", max_width=right.width, align="left")
            surface.blit(t, (right.left, y))
            y += t.get_height() + 10
        remaining = right.bottom - y - 50
        if card.explanation:
            body = fonts.ruby(card.explanation, 24, theme.INK, "ui", max_width=right.width, align="left")
            if body.get_height() > remaining:
                body = fonts.ruby(card.explanation, 20, theme.INK, "ui", max_width=right.width, align="left")
            surface.blit(body, (right.left, y), area=pygame.Rect(0, 0, right.width, remaining))
            y += min(body.get_height(), remaining) + 10
        elif card.image("explanation") and not drew_explanation_image:
            img = faces.get(deck, card, "explanation", (right.width, max(64, remaining)))
            surface.blit(img, (right.left, y))
            y += img.get_height() + 10
        if card.has_location:
            where = f"ばしょ: {card.lat:.5f}, {card.lon:.5f}"
            if deck.demo_locations:
                where += "（れんしゅうよう）"
            loc = fonts.render(where, 22, theme.INK_SOFT)
            surface.blit(loc, (right.left, right.bottom - 34))
        v.buttons.draw(surface, fonts)
        pos = fonts.render(f"{v.position} / {len(deck.cards)}", 28, theme.INK)
        surface.blit(pos, pos.get_rect(center=(self.app.size[0] // 2, 716)))


SCENES = {"gallery": GalleryScene}
MODES = [registry.ModeInfo("gallery", "ずかん", theme.GOOD, order=90)]
