"""The signpost-code keypad: first the card's kana, then four digits, with big keys (no keyboard needed)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.input import Key
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView, panel
from ...engine.kana import AIUEO_ROWS, katakana_to_hiragana, row_of
from ...engine.links import CODE_DIGITS
from ..common import HEADER_H, back_button, draw_header
from ..common.digitpad import digit_pad
from .home import ScanListener
from . import navigation

DISPLAY = pygame.Rect(112, HEADER_H + 14, 800, 120)
_ROWS = list(AIUEO_ROWS)


@dataclass(frozen=True)
class KeypadStill:
    """What the keypad shows (its view key and its drawing's only input)."""

    kana: str | None        # the kana chosen, None while choosing it
    digits: str
    camera_missing: bool
    back: ButtonsView
    keys: ButtonsView       # the kana keys, or the digit pad and 「ひらがなを かえる」


class KeypadScene(StillView, ScanListener):
    name = "keypad"

    def __init__(self, app, camera_missing: bool = False):
        super().__init__(app)
        self.camera_missing = camera_missing
        self.kana: str | None = None
        self.digits = ""
        self.back = back_button(self._back)
        order = {k: i for i, k in enumerate(app.deck.kana_order)}
        self.kana_list = sorted({c.kana for c in app.deck.cards}, key=lambda k: (order.get(k, 999), k))
        self.kana_keys = self._kana_grid()
        self.digit_keys = self._digit_pad()
        self.rekana = Button((24, 340, 240, 100), "ひらがなを かえる", self._clear_kana, color=theme.BG_DARK,
                             size=26, name="rekana")

    # ------------------------------------------------------------------ layout

    def _kana_grid(self) -> list[Button]:
        w = self.app.size[0]
        n = len(self.kana_list)
        cols = min(12, max(5, -(-n // 4)))
        gap = 8
        size_w = min(96, (w - 48 - (cols - 1) * gap) // cols)
        rows = -(-n // cols)
        y0 = 330
        size_h = min(96, max(64, (self.app.size[1] - y0 - 24 - (rows - 1) * gap) // max(1, rows)))
        x0 = (w - (cols * size_w + (cols - 1) * gap)) // 2
        keys = []
        for i, kana in enumerate(self.kana_list):
            r, c = divmod(i, cols)
            # Each kana row has its own tint (as on the drawn cards) so a child finds the row first.
            tint = theme.ROW_TINTS[_ROWS.index(row_of(kana)) % len(theme.ROW_TINTS)] if row_of(kana) in _ROWS else theme.PAPER
            keys.append(Button((x0 + c * (size_w + gap), y0 + r * (size_h + gap), size_w, size_h), kana,
                               self._kana(kana), color=tint, text_color=theme.INK, size=40, face="card",
                               name=f"kana:{kana}"))
        return keys

    def _digit_pad(self) -> list[Button]:
        kw, kh, gap = 140, 90, 12
        x0 = (self.app.size[0] - (3 * kw + 2 * gap)) // 2
        return digit_pad((x0, 320), (kw, kh), gap, self._digit, self._delete, self._submit, ok_label="よむ",
                         ok_color=theme.GOOD, text_sizes=(48, 34, 38), names=("digit:{}", "del", "ok"))

    # ------------------------------------------------------------------ input

    def _back(self) -> None:
        navigation.home_or_back(self.app)

    def _kana(self, kana: str):
        def choose():
            self.kana = kana
        return choose

    def _clear_kana(self) -> None:
        self.kana = None
        self.digits = ""

    def _digit(self, d: str) -> None:
        if len(self.digits) < CODE_DIGITS:
            self.digits += d

    def _delete(self) -> None:
        if self.digits:
            self.digits = self.digits[:-1]
        else:
            self.kana = None

    @property
    def code(self) -> str:
        return f"{self.kana or ''}-{self.digits}"

    @property
    def complete(self) -> bool:
        return self.kana is not None and len(self.digits) == CODE_DIGITS

    def _submit(self) -> None:
        if not self.complete:
            return
        self.app.scenes.replace(navigation.open_link(self.app, self.code, "code"))

    def controls(self):
        keys = self.kana_keys if self.kana is None else [*self.digit_keys, self.rekana]
        return [self.back, *keys]

    def still(self) -> KeypadStill:
        back, *keys = self.controls()
        return KeypadStill(self.kana, self.digits, self.camera_missing, ButtonsView.of(back), ButtonsView.of(*keys))

    def key(self, event: Key) -> None:
        """A facilitator with a keyboard may type the code instead."""
        if event.key == pygame.K_BACKSPACE:
            self._delete()
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._submit()
        elif event.key == pygame.K_ESCAPE:
            self._back()
        else:
            ch = katakana_to_hiragana(unicodedata.normalize("NFKC", event.unicode or ""))
            if ch.isdigit() and self.kana is not None:
                self._digit(ch)
            elif ch in self.kana_list:
                self.kana = ch
                self.digits = ""

    def update(self, dt: float) -> None:
        for b in self.digit_keys:
            if b.name == "ok":
                b.enabled = self.complete
        super().update(dt)

    # ------------------------------------------------------------------ drawing

    def paint(self, surface: pygame.Surface, v: KeypadStill) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        draw_header(surface, fonts, "コードを いれる")
        v.back.draw(surface, fonts)
        panel(surface, DISPLAY)
        cells = [v.kana or ""] + list(v.digits.ljust(CODE_DIGITS))
        cell_w, gap = 104, 16
        x = DISPLAY.centerx - (len(cells) * cell_w + (len(cells) - 1) * gap + 40) // 2
        for i, ch in enumerate(cells):
            rect = pygame.Rect(x, DISPLAY.top + 14, cell_w, DISPLAY.height - 28)
            active = (i == 0 and v.kana is None) or (i == len(v.digits) + 1 and v.kana is not None)
            pygame.draw.rect(surface, theme.WHITE, rect, border_radius=12)
            pygame.draw.rect(surface, theme.ACCENT_2 if active else theme.CARD_EDGE, rect, 5 if active else 2,
                             border_radius=12)
            if ch.strip():
                t = fonts.render(ch, 64, theme.INK, "card" if i == 0 else "bold")
                surface.blit(t, t.get_rect(center=rect.center))
            x += cell_w + gap
            if i == 0:
                dash = fonts.render("－", 48, theme.INK_SOFT, "bold")
                surface.blit(dash, dash.get_rect(center=(x + 12, rect.centery)))
                x += 40
        if v.kana is None:
            prompt = "たてふだの コードの ひらがなを えらんでね"
        else:
            prompt = "つぎに すうじを 4つ いれて「よむ」を おしてね"
        if v.camera_missing:
            note = fonts.render("カメラが つかえないので、たてふだの コードを いれてね", 26, theme.ACCENT_2, "bold")
            surface.blit(note, note.get_rect(center=(w // 2, DISPLAY.bottom + 24)))
        t = fonts.render(prompt, 30, theme.INK, "bold")
        surface.blit(t, t.get_rect(center=(w // 2, DISPLAY.bottom + (64 if v.camera_missing else 40))))
        v.keys.draw(surface, fonts)
