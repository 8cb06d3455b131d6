"""The title screen: the deck in use, one big button per mode, the gallery, and the deck picker."""

from __future__ import annotations

import pygame

from ..app import theme
from ..app.ui import Button, panel
from . import registry
from .common import HEADER_H, back_button, draw_header
from .common.screen import ButtonScreen


SECONDARY_ORDER = 90  # modes from this order on (gallery, settings) sit in the bottom row


class TitleScene(ButtonScreen):
    name = "title"

    def __init__(self, app):
        super().__init__(app)
        self.buttons: list[Button] = []

    def controls(self):
        return self.buttons

    def enter(self) -> None:
        self._layout()

    def _layout(self) -> None:
        """Play modes as big buttons; the gallery, settings and deck picker in a row along the bottom."""
        modes = registry.modes() if self.app.deck else []
        play = [m for m in modes if m.order < SECONDARY_ORDER]
        secondary = [m for m in modes if m.order >= SECONDARY_ORDER]
        self.buttons = []
        screen_w, screen_h = self.app.size
        cols = 2 if len(play) <= 4 else 3
        gap, h = 24, 116
        w = (screen_w - 2 * 64 - (cols - 1) * gap) // cols
        for i, mode in enumerate(play):
            col, row = i % cols, i // cols
            rect = (64 + col * (w + gap), 300 + row * (h + gap), w, h)
            self.buttons.append(Button(rect, mode.label, self._opener(mode.scene), color=mode.color,
                                       size=36, name=mode.scene, icon=mode.icon, pictogram=mode.scene))
        bottom: list[tuple[str, object, tuple, str]] = [
            (m.label, self._opener(m.scene), m.color, m.scene) for m in secondary]
        if len(self.app.deck_entries) > 1 or not self.app.deck:
            bottom.append(("カルタをえらぶ", self._pick_deck, theme.BG_DARK, "decks"))
        if bottom:
            bw = min(300, (screen_w - 2 * 64 - (len(bottom) - 1) * gap) // len(bottom))
            x = (screen_w - (len(bottom) * bw + (len(bottom) - 1) * gap)) // 2
            for label, action, color, name in bottom:
                self.buttons.append(Button((x, screen_h - 112, bw, 88), label, action, color=color, size=30,
                                           name=name, pictogram=name))
                x += bw + gap

    def _opener(self, scene_name: str):
        def open_scene():
            self.app.scenes.push(self.app.make_scene(scene_name))
        return open_scene

    def _pick_deck(self) -> None:
        self.app.scenes.push(DeckPickerScene(self.app))

    def view_key(self):
        deck = self.app.deck
        return (deck and (deck.id, deck.folder), tuple(b.look() for b in self.buttons))

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        title = fonts.render("かるたで あそぼう", 64, theme.INK, "bold")
        surface.blit(title, title.get_rect(center=(w // 2, 90)))
        deck = self.app.deck
        if deck is not None:
            panel(surface, (112, 140, w - 224, 140), color=theme.PAPER)
            name = fonts.ruby(deck.name, 44, theme.INK, "card", max_width=w - 280)
            surface.blit(name, name.get_rect(center=(w // 2, 190)))
            if deck.district:
                d = fonts.ruby(deck.district, 20, theme.INK_SOFT, "ui", max_width=w - 280)
                surface.blit(d, d.get_rect(center=(w // 2, 250)))
        else:
            msg = fonts.render("つかえるカルタがありません", 40, theme.ACCENT_2, "bold")
            surface.blit(msg, msg.get_rect(center=(w // 2, 210)))
            hint = fonts.render("「カルタをえらぶ」で りゆうが みられます", 26, theme.INK_SOFT)
            surface.blit(hint, hint.get_rect(center=(w // 2, 270)))
        for b in self.buttons:
            b.draw(surface, fonts)


class DeckPickerScene(ButtonScreen):
    """Every deck found under decks/: valid ones can be chosen; broken ones show their first problem."""

    name = "deck_picker"

    PER_PAGE = 5

    def __init__(self, app):
        super().__init__(app)
        self.back = back_button(self._back)
        self.page = 0
        self.prev_btn = Button((40, 672, 180, 80), "まえ", lambda: self._turn(-1), color=theme.BG_DARK, name="prev")
        self.next_btn = Button((804, 672, 180, 80), "つぎ", lambda: self._turn(1), color=theme.BG_DARK, name="next")
        # Start on the page that holds the deck in use.
        for i, entry in enumerate(app.deck_entries):
            if app.deck is not None and entry.deck is not None and entry.deck.id == app.deck.id:
                self.page = i // self.PER_PAGE
        self.rows: list[tuple[Button | None, object]] = []
        self._layout()

    def controls(self):
        pages = [self.prev_btn, self.next_btn] if self.pages > 1 else []
        return [self.back, *pages, *(btn for btn, _ in self.rows if btn is not None)]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.app.deck_entries) // self.PER_PAGE))

    def _turn(self, step: int) -> None:
        self.page = (self.page + step) % self.pages
        self._layout()

    def _layout(self) -> None:
        self.rows = []
        y = HEADER_H + 24
        first = self.page * self.PER_PAGE
        for entry in self.app.deck_entries[first:first + self.PER_PAGE]:
            if entry.deck is not None:
                btn = Button((40, y, 944, 84), entry.deck.name_plain, self._chooser(entry.deck),
                             color=theme.ACCENT, size=32, name=f"deck:{entry.deck.id}")
                btn.selected = self.app.deck is not None and self.app.deck.id == entry.deck.id
                self.rows.append((btn, entry))
            else:
                self.rows.append((None, entry))
            y += 108

    def _back(self) -> None:
        # Opened first (--scene deck_picker), it has no title under it: popping would leave an empty screen.
        self.app.scenes.pop() if len(self.app.scenes) > 1 else self.app.go_title()

    def _chooser(self, deck):
        def choose():
            self.app.use_deck(deck)
            self.app.go_title()
        return choose

    def view_key(self):
        return (self.page, self.back.look(), self.prev_btn.look(), self.next_btn.look(),
                tuple(btn.look() for btn, _ in self.rows if btn is not None))

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "カルタをえらぶ")
        self.back.draw(surface, fonts)
        y = HEADER_H + 24
        for btn, entry in self.rows:
            if btn is not None:
                btn.draw(surface, fonts)
            else:
                panel(surface, (40, y, 944, 84), color=(238, 232, 232), border=(170, 120, 120))
                head = fonts.render(f"{entry.id}: つかえません", 26, theme.ACCENT_2, "bold")
                surface.blit(head, (60, y + 10))
                first = str(entry.problems[0]) if entry.problems else "unknown problem"
                if len(entry.problems) > 1:
                    first += f"  (+{len(entry.problems) - 1})"
                detail = fonts.render(_clip(fonts, first, 18, 900), 18, theme.INK)
                surface.blit(detail, (60, y + 50))
            y += 108
        if self.pages > 1:
            self.prev_btn.draw(surface, fonts)
            self.next_btn.draw(surface, fonts)
            page = fonts.render(f"{self.page + 1} / {self.pages}", 28, theme.INK)
            surface.blit(page, page.get_rect(center=(self.app.size[0] // 2, 712)))


def _clip(fonts, text: str, size: int, width: int) -> str:
    if fonts.size(text, size)[0] <= width:
        return text
    while text and fonts.size(text + "…", size)[0] > width:
        text = text[:-1]
    return text + "…"


SCENES = {"title": TitleScene, "deck_picker": DeckPickerScene}
