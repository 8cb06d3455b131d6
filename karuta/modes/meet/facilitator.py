"""Facilitator screens: limit today's walk to some cards, back up the collection as a QR code, reset it.

The facilitator screen opens with a 2-second press on the home screen, and the reset needs
another 3-second press: a child tapping around cannot reach or trigger either by accident.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ...app import qr, theme
from ...app.scene import Scene, StillView
from ...app.ui import Button, ButtonsView
from ...engine import links
from ...engine.collection import nearest_cards
from ..common import HEADER_H, back_button, draw_header
from . import state
from .widgets import HoldButton

NEAR_COUNT = 8
SELECTED = theme.GOOD
UNSELECTED = (225, 225, 225)


def base_url(app) -> str:
    """Where this game is hosted, for export links a phone's camera can open.

    The platform knows it on the web (the page's own address); on the desktop there is
    none and the export is a bare ``?deck=..`` link that the in-game scanner still reads.
    """
    getter = getattr(app.platform, "page_url", None)
    url = getter() if callable(getter) else ""
    try:
        return links.check_base_url(url or "")
    except ValueError:
        return ""


@dataclass(frozen=True)
class FacilitatorStill:
    """What the facilitator screen shows (its view key and its drawing's only input)."""

    chosen: int             # cards chosen for today (0 = all)
    message: str            # furigana markup: what the last action did
    progress: tuple         # (cards met, cards in the deck)
    back: ButtonsView
    choices: ButtonsView    # one key per card, then 「ぜんぶ」 and 「ちかくの 8まい」
    actions: ButtonsView    # the backup QR code and the reset (a hold button)


class FacilitatorScene(StillView, Scene):
    name = "facilitator"

    def __init__(self, app):
        super().__init__(app)
        self.deck = app.deck
        self.collection = state.load(app)
        self.selected: set[int] = set(self.collection.session or ())
        w, h = app.size
        self.back = back_button(self.app.scenes.pop)
        self.toggles = self._grid()
        y = 470
        self.controls = [
            Button((32, y, 200, 72), "ぜんぶ", self._all, color=theme.ACCENT, size=30, name="all"),
            Button((248, y, 300, 72), f"ちかくの {NEAR_COUNT}まい", self._near, color=theme.ACCENT, size=28,
                   name="near"),
        ]
        self.export = Button((32, h - 120, 400, 96), "バックアップ QRコード", self._export, color=theme.GOOD,
                             size=30, name="export")
        self.reset = HoldButton((w - 452, h - 120, 420, 96), "リセット（3びょう おしつづける）", self._reset,
                                hold=3.0, color=theme.ACCENT_2, size=26, name="reset")
        self.message = ""

    def _grid(self) -> list[Button]:
        cards = list(self.deck.cards)
        cols = min(12, max(6, -(-len(cards) // 4)))
        gap = 8
        kw = min(84, (self.app.size[0] - 64 - (cols - 1) * gap) // cols)
        rows = -(-len(cards) // cols)
        kh = max(64, min(72, (300 - (rows - 1) * gap) // max(1, rows)))
        x0, y0 = 32, HEADER_H + 56
        keys = []
        for i, card in enumerate(cards[:cols * 4]):
            r, c = divmod(i, cols)
            keys.append(Button((x0 + c * (kw + gap), y0 + r * (kh + gap), kw, kh), card.kana, self._toggle(card.number),
                               color=UNSELECTED, text_color=theme.INK, size=34, face="card", name=f"card:{card.number}"))
        return keys

    # ------------------------------------------------------------------ actions

    def _save(self) -> None:
        self.collection = state.load(self.app)
        self.collection.limit_session(self.deck, self.selected or None)
        state.save(self.app, self.collection)

    def _toggle(self, number: int):
        def flip():
            self.selected ^= {number}
            self._save()
        return flip

    def _all(self) -> None:
        self.selected = set()
        self._save()
        self.message = "ぜんぶの カードで あそびます"

    def _near(self) -> None:
        if len(self.selected) != 1:
            self.message = "まず 学校(がっこう)に ちかい カードを 1まい えらんでね"
            return
        centre = next(iter(self.selected))
        near = nearest_cards(self.deck, centre, NEAR_COUNT)
        if not near:
            self.message = "その カードには ばしょの じょうほうが ありません"
            return
        self.selected = set(near)
        self._save()
        self.message = f"ちかくの {len(near)}まいを えらびました"

    def _export(self) -> None:
        self.app.scenes.push(ExportScene(self.app))

    def _reset(self) -> None:
        self.collection = state.load(self.app)
        self.collection.reset()
        state.save(self.app, self.collection)
        self.message = "あつめたカルタを リセットしました"
        self.app.toast("あつめたカルタを リセットしました", 4.0)

    def handle(self, event) -> None:
        for b in (self.back, *self.toggles, *self.controls, self.export, self.reset):
            if b.handle(event):
                return

    def still(self) -> FacilitatorStill:
        return FacilitatorStill(len(self.selected), self.message, self.collection.progress(self.deck),
                                ButtonsView.of(self.back), ButtonsView.of(*self.toggles, *self.controls),
                                ButtonsView.of(self.export, self.reset))

    def update(self, dt: float) -> None:
        self.reset.update(dt)
        for b in self.toggles:
            number = int(b.name.split(":")[1])
            b.color = SELECTED if number in self.selected else UNSELECTED
            b.text_color = theme.WHITE if number in self.selected else theme.INK
            b.selected = number in self.selected

    def paint(self, surface: pygame.Surface, v: FacilitatorStill) -> None:
        fonts = self.app.fonts
        w, h = self.app.size
        draw_header(surface, fonts, "せんせいよう")
        v.back.draw(surface, fonts)
        got, total = v.progress
        prog = fonts.render(f"あつめた: {got} / {total}まい", 28, theme.INK, "bold")
        surface.blit(prog, prog.get_rect(midright=(w - 24, HEADER_H // 2)))
        t = fonts.ruby("きょう さがす カード（タッチで えらぶ。えらばないと ぜんぶ）", 24, theme.INK, "bold", align="left")
        surface.blit(t, (32, HEADER_H + 14))
        v.choices.draw(surface, fonts)
        count = v.chosen
        status = f"{count}まい えらんでいます" if count else "ぜんぶの カード"
        s = fonts.render(status, 28, theme.INK, "bold")
        surface.blit(s, s.get_rect(midleft=(572, 506)))
        if v.message:
            m = fonts.ruby(v.message, 24, theme.ACCENT_2, "bold", align="left")
            surface.blit(m, (32, 560))
        pygame.draw.line(surface, theme.CARD_EDGE, (24, h - 140), (w - 24, h - 140), 2)
        v.actions.draw(surface, fonts)


@dataclass(frozen=True)
class ExportStill:
    """What the backup screen shows (its view key and its drawing's only input)."""

    link: str               # what the QR code holds ("" with no card met yet)
    progress: tuple         # (cards met, cards in the deck)
    back: ButtonsView


class ExportScene(StillView, Scene):
    """The collection as a QR code on screen: photograph it; scanning it later brings the cards back."""

    name = "export"

    def __init__(self, app):
        super().__init__(app)
        self.deck = app.deck
        self.collection = state.load(app)
        self.back = back_button(self.app.scenes.pop)
        self.link = ""
        self._image: tuple[str, pygame.Surface] | None = None
        if self.collection.met:
            self.link = links.collection_link(base_url(app), self.deck, self.collection.met)

    def handle(self, event) -> None:
        self.back.handle(event)

    @property
    def image(self) -> pygame.Surface | None:
        """The backup's QR code as drawn (None with no card met yet)."""
        return self._code(self.link) if self.link else None

    def _code(self, link: str) -> pygame.Surface:
        """The QR code of ``link``, encoded once (encoding takes a noticeable moment)."""
        if self._image is None or self._image[0] != link:
            self._image = (link, qr.surface(qr.matrix(link, "M"), 440))
        return self._image[1]

    def still(self) -> ExportStill:
        return ExportStill(self.link, self.collection.progress(self.deck), ButtonsView.of(self.back))

    def paint(self, surface: pygame.Surface, v: ExportStill) -> None:
        fonts = self.app.fonts
        w, h = self.app.size
        draw_header(surface, fonts, "バックアップ")
        v.back.draw(surface, fonts)
        if not v.link:
            t = fonts.render("まだ カードが ありません", 40, theme.INK, "bold")
            surface.blit(t, t.get_rect(center=(w // 2, h // 2)))
            return
        image = self._code(v.link)
        box = image.get_rect(topleft=(40, HEADER_H + 40))
        surface.blit(image, box)
        col = pygame.Rect(box.right + 36, box.top, w - box.right - 36 - 32, box.height)
        got, total = v.progress
        lines = [
            (f"{got} / {total}まい", 40, "bold", theme.INK),
            ("この QRコードを べつの タブレットや カメラで しゃしんに とっておいてね。", 26, "ui", theme.INK),
            ("カードが きえてしまったら、「QRコードをよむ」で この QRコードを よむと もどります。", 26, "ui", theme.INK),
            ("（カードと ひづけ だけが はいっています）", 22, "ui", theme.INK_SOFT),
        ]
        y = col.top
        for text, size, face, colour in lines:
            para = fonts.paragraph(text, size, col.width, colour, face)
            surface.blit(para, (col.left, y))
            y += para.get_height() + 18
