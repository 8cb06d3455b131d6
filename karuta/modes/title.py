"""The title screen: the deck in use, one big button per mode, the gallery, and the deck picker."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ..app import theme
from ..app.scene import StillView
from ..app.ui import Button, ButtonsView, panel
from . import registry
from .common import HEADER_H, back_button, draw_header
from .common.screen import ButtonScreen


SECONDARY_ORDER = 90  # modes from this order on (gallery, settings) sit in the bottom row


@dataclass(frozen=True)
class TitleStill:
    """What the title screen shows (its view key and its drawing's only input)."""

    deck_name: str | None   # furigana markup; None when no deck can be used
    district: str
    buttons: ButtonsView


class TitleScene(StillView, ButtonScreen):
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

    def still(self) -> TitleStill:
        deck = self.app.deck
        return TitleStill(deck.name if deck else None, deck.district if deck else "", self.shown())

    def paint(self, surface: pygame.Surface, v: TitleStill) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        title = fonts.render("かるたで あそぼう", 64, theme.INK, "bold")
        surface.blit(title, title.get_rect(center=(w // 2, 90)))
        if v.deck_name is not None:
            panel(surface, (112, 140, w - 224, 140), color=theme.PAPER)
            name = fonts.ruby(v.deck_name, 44, theme.INK, "card", max_width=w - 280)
            surface.blit(name, name.get_rect(center=(w // 2, 190)))
            if v.district:
                d = fonts.ruby(v.district, 20, theme.INK_SOFT, "ui", max_width=w - 280)
                surface.blit(d, d.get_rect(center=(w // 2, 250)))
        else:
            msg = fonts.render("つかえるカルタがありません", 40, theme.ACCENT_2, "bold")
            surface.blit(msg, msg.get_rect(center=(w // 2, 210)))
            hint = fonts.render("「カルタをえらぶ」で りゆうが みられます", 26, theme.INK_SOFT)
            surface.blit(hint, hint.get_rect(center=(w // 2, 270)))
        v.buttons.draw(surface, fonts)


@dataclass(frozen=True)
class DeckPickerStill:
    """What the deck picker shows (its view key and its drawing's only input)."""

    back: ButtonsView
    decks: ButtonsView          # one button per usable deck on this page
    broken: tuple               # per broken deck on this page: (top y, folder name, its problems as text)
    paging: ButtonsView         # まえ / つぎ, when there is more than one page
    page_label: str             # "2 / 3", or "" with one page


class DeckPickerScene(StillView, ButtonScreen):
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
        broken = []  # per broken deck on the page: (top y, folder name, its first problem as text)
        y = HEADER_H + 24
        first = self.page * self.PER_PAGE
        for entry in self.app.deck_entries[first:first + self.PER_PAGE]:
            if entry.deck is None:
                problem = str(entry.problems[0]) if entry.problems else "unknown problem"
                if len(entry.problems) > 1:
                    problem += f"  (+{len(entry.problems) - 1})"
                broken.append((y, entry.id, problem))
            if entry.deck is not None:
                btn = Button((40, y, 944, 84), entry.deck.name_plain, self._chooser(entry.deck),
                             color=theme.ACCENT, size=32, name=f"deck:{entry.deck.id}")
                btn.selected = self.app.deck is not None and self.app.deck.id == entry.deck.id
                self.rows.append((btn, entry))
            else:
                self.rows.append((None, entry))
            y += 108
        self._broken = tuple(broken)

    def _back(self) -> None:
        # Opened first (--scene deck_picker), it has no title under it: popping would leave an empty screen.
        self.app.scenes.pop() if len(self.app.scenes) > 1 else self.app.go_title()

    def _chooser(self, deck):
        def choose():
            self.app.use_deck(deck)
            self.app.go_title()
        return choose

    def still(self) -> DeckPickerStill:
        several = self.pages > 1
        return DeckPickerStill(ButtonsView.of(self.back), ButtonsView.of(*(b for b, _ in self.rows if b is not None)),
                               self._broken, ButtonsView.of(self.prev_btn, self.next_btn) if several else ButtonsView.of(),
                               f"{self.page + 1} / {self.pages}" if several else "")

    def paint(self, surface: pygame.Surface, v: DeckPickerStill) -> None:
        fonts = self.app.fonts
        draw_header(surface, fonts, "カルタをえらぶ")
        v.back.draw(surface, fonts)
        v.decks.draw(surface, fonts)
        for y, folder, problem in v.broken:
            panel(surface, (40, y, 944, 84), color=(238, 232, 232), border=(170, 120, 120))
            head = fonts.render(f"{folder}: つかえません", 26, theme.ACCENT_2, "bold")
            surface.blit(head, (60, y + 10))
            detail = fonts.render(_clip(fonts, problem, 18, 900), 18, theme.INK)
            surface.blit(detail, (60, y + 50))
        v.paging.draw(surface, fonts)
        if v.page_label:
            page = fonts.render(v.page_label, 28, theme.INK)
            surface.blit(page, page.get_rect(center=(self.app.size[0] // 2, 712)))


def _clip(fonts, text: str, size: int, width: int) -> str:
    if fonts.size(text, size)[0] <= width:
        return text
    while text and fonts.size(text + "…", size)[0] > width:
        text = text[:-1]
    return text + "…"


SCENES = {"title": TitleScene, "deck_picker": DeckPickerScene}
