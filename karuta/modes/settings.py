"""せってい: how the cards are read (voice on/off, once or twice, speed, volume, the rhythm gaps).

Everything is big buttons (no typing); each change is saved at once through
app.settings. 「きいてみる」 reads a card exactly as the games will, so a teacher
can set the rhythm by ear.
"""

from __future__ import annotations

import pygame

from ..app import theme
from ..app import voice as voices
from ..app.scene import Scene
from ..app.ui import Button, panel
from . import registry
from .common import HEADER_H, back_button, draw_header

# The values the +/- buttons step through: few enough to reach any of them in a few taps.
SPEEDS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5)
VOLUMES = tuple(round(i / 10, 1) for i in range(11))
READING_GAPS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)
CARD_GAPS = (0.5, 0.8, 1.1, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0)

ROW_Y0, ROW_H, ROW_STEP = HEADER_H + 14, 70, 80
LABEL_X = 40
CTRL_X, CTRL_W = 548, 436
STEP_W = 96
TEST_RECT = (40, 626, 330, 100)

SOURCE_WORDS = {
    voices.RECORDING: "ろくおんの こえ",
    voices.PACK: "きかいの こえ",
    voices.BROWSER: "ブラウザの こえ",
    voices.NONE: "こえなし",
}


def step_value(values: tuple[float, ...], current: float, direction: int) -> float:
    """The next value up (+1) or down (-1) from ``current``, which may lie between steps."""
    if direction > 0:
        bigger = [v for v in values if v > current + 1e-9]
        return bigger[0] if bigger else values[-1]
    smaller = [v for v in values if v < current - 1e-9]
    return smaller[-1] if smaller else values[0]


def speed_words(rate: float) -> str:
    if rate < 0.95:
        return f"ゆっくり {rate:.1f}"
    if rate > 1.05:
        return f"はやい {rate:.1f}"
    return "ふつう 1.0"


def seconds_words(seconds: float) -> str:
    return f"{seconds:g} びょう"


class SettingsScene(Scene):
    name = "settings"

    def __init__(self, app):
        super().__init__(app)
        self.back = back_button(self._back)
        self.rows: list[dict] = []
        self.buttons: list[Button] = []
        y = ROW_Y0
        self._toggle_row(y, "こえで よむ", "voice", ("よむ", True), ("よまない", False))
        y += ROW_STEP
        self._toggle_row(y, "よむ かいすう", "read_twice", ("1かい", False), ("2かい", True))
        y += ROW_STEP
        self._stepper_row(y, "よむ はやさ", "voice_rate", SPEEDS, speed_words)
        y += ROW_STEP
        self._stepper_row(y, "おとの おおきさ", "volume", VOLUMES, None)
        y += ROW_STEP
        self._stepper_row(y, "1かいめと 2かいめの あいだ", "gap_between_readings", READING_GAPS, seconds_words)
        y += ROW_STEP
        self._stepper_row(y, "つぎの ふだまでの あいだ", "gap_between_cards", CARD_GAPS, seconds_words)
        self.test_btn = Button(TEST_RECT, "きいてみる", self._test, color=theme.GOOD, size=36, name="test")
        self.test_index = 0
        self._plan: list[tuple[str, float]] = []
        self._wait = 0.0
        self._said = False
        self.message = ""
        self._auto_t = 0.0
        self._sources: dict[str, int] | None = None
        self._refresh()

    def enter(self) -> None:
        self._sources = None  # the deck may have changed while another screen was on top

    # ------------------------------------------------------------------ rows

    def _toggle_row(self, y: int, label: str, key: str, first: tuple, second: tuple) -> None:
        w = (CTRL_W - 16) // 2
        row = {"label": label, "key": key, "kind": "toggle", "y": y, "buttons": []}
        for i, (text, value) in enumerate((first, second)):
            b = Button((CTRL_X + i * (w + 16), y, w, ROW_H), text, self._setter(key, value),
                       color=theme.ACCENT, size=28, name=f"{key}={value}")
            b.value = value
            row["buttons"].append(b)
            self.buttons.append(b)
        self.rows.append(row)

    def _stepper_row(self, y: int, label: str, key: str, values: tuple, words) -> None:
        minus = Button((CTRL_X, y, STEP_W, ROW_H), "－", self._stepper(key, values, -1),
                       color=theme.BG_DARK, size=40, name=f"{key}-")
        plus = Button((CTRL_X + CTRL_W - STEP_W, y, STEP_W, ROW_H), "＋", self._stepper(key, values, 1),
                      color=theme.BG_DARK, size=40, name=f"{key}+")
        self.buttons += [minus, plus]
        self.rows.append({"label": label, "key": key, "kind": "stepper", "y": y, "buttons": [minus, plus],
                          "values": values, "words": words})

    def _setter(self, key: str, value):
        def set_value():
            self.app.settings.set(key, value)
            if key == "voice" and not value:
                self._stop_test()
            self._refresh()
        return set_value

    def _stepper(self, key: str, values: tuple, direction: int):
        def step():
            current = float(self.app.settings.get(key))
            value = step_value(values, current, direction)
            self.app.settings.set(key, value)
            if key == "volume":
                self.app.audio.set_volume(value)
            self._refresh()
        return step

    def _refresh(self) -> None:
        """Selected toggles and the ends of each range follow the saved values."""
        settings = self.app.settings
        for row in self.rows:
            value = settings.get(row["key"])
            if row["kind"] == "toggle":
                for b in row["buttons"]:
                    b.selected = bool(value) == b.value
                    b.color = theme.ACCENT if b.selected else (226, 221, 210)
                    b.text_color = theme.WHITE if b.selected else theme.INK
            else:
                minus, plus = row["buttons"]
                minus.enabled = float(value) > row["values"][0] + 1e-9
                plus.enabled = float(value) < row["values"][-1] - 1e-9
        twice = bool(settings.get("read_twice"))
        if not twice:
            for b in self._row("gap_between_readings")["buttons"]:
                b.enabled = False

    def _row(self, key: str) -> dict:
        return next(r for r in self.rows if r["key"] == key)

    # ------------------------------------------------------------------ test reading

    def _test(self) -> None:
        if self._plan or self._said:
            self._stop_test()
            return
        deck = self.app.deck
        if deck is None or not deck.cards:
            return
        if not self.app.settings.get("voice"):
            self.message = "「こえで よむ」が「よまない」に なっています"
            return
        card = deck.cards[self.test_index % len(deck.cards)]
        self.test_index += 1
        self.test_card = card
        passes = 2 if self.app.settings.get("read_twice") else 1
        self._plan = [("say", 0.0)]
        if passes == 2:
            self._plan += [("gap", float(self.app.settings.get("gap_between_readings"))), ("say", 0.0)]
        self.message = ""
        self._next_step()

    def _next_step(self) -> None:
        self._said = False
        while self._plan:
            kind, seconds = self._plan.pop(0)
            if kind == "gap":
                self._wait = seconds
                return
            if self.app.voice.say(self.app.deck, self.test_card):
                self._said = True
                self._wait = 0.0
                return
            self._plan.clear()
            self.message = self._why_silent()
        self.test_btn.label = "きいてみる"

    def _why_silent(self) -> str:
        source = self.app.voice.source(self.app.deck, self.test_card)
        if source == voices.NONE:
            return "この カルタには こえが ありません"
        return "この きかいでは おとが でません"

    def _stop_test(self) -> None:
        self._plan.clear()
        self._said = False
        self._wait = 0.0
        self.app.voice.stop()
        self.test_btn.label = "きいてみる"

    def update(self, dt: float) -> None:
        if self._said:
            self._wait += dt
            # A reading counts as over once the voice is quiet (after a moment for speech to start).
            if self._wait > 0.25 and not self.app.voice.busy():
                self._next_step()
        elif self._plan:
            self._wait -= dt
            if self._wait <= 0:
                self._next_step()
        self.test_btn.label = "とめる" if (self._plan or self._said) else "きいてみる"

    # ------------------------------------------------------------------ scene

    def _back(self) -> None:
        self._stop_test()
        if len(self.app.scenes) > 1:
            self.app.scenes.pop()
        else:
            self.app.go_title()

    def leave(self) -> None:
        self._stop_test()

    def handle(self, event) -> None:
        if self.back.handle(event) or self.test_btn.handle(event):
            return
        for b in self.buttons:
            if b.handle(event):
                return

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 2.0:
            self._back()

    def draw(self, surface: pygame.Surface) -> None:
        fonts, settings = self.app.fonts, self.app.settings
        draw_header(surface, fonts, "せってい", self.app.deck.name if self.app.deck else "")
        self.back.draw(surface, fonts)
        for i, row in enumerate(self.rows):
            y = row["y"]
            if i % 2 == 0:
                pygame.draw.rect(surface, (242, 236, 222), (16, y - 5, self.app.size[0] - 32, ROW_H + 10),
                                 border_radius=12)
            enabled = any(b.enabled for b in row["buttons"])
            color = theme.INK if enabled else theme.INK_SOFT
            label = fonts.render(row["label"], 28, color, "bold")
            surface.blit(label, label.get_rect(midleft=(LABEL_X, y + ROW_H // 2)))
            for b in row["buttons"]:
                b.draw(surface, fonts)
            if row["kind"] == "stepper":
                box = pygame.Rect(CTRL_X + STEP_W + 10, y, CTRL_W - 2 * (STEP_W + 10), ROW_H)
                panel(surface, box, color=theme.PAPER, radius=12, width=2)
                value = float(settings.get(row["key"]))
                if row["key"] == "volume":
                    self._draw_volume(surface, box, value)
                else:
                    text = fonts.render(row["words"](value), 30, color, "bold")
                    surface.blit(text, text.get_rect(center=box.center))
        self.test_btn.draw(surface, fonts)
        self._draw_source(surface)

    def _draw_volume(self, surface: pygame.Surface, box: pygame.Rect, value: float) -> None:
        """Ten bars rising left to right: loudness children can see without reading a number."""
        n = 10
        gap = 5
        bar_w = (box.width - 32 - (n - 1) * gap) // n
        x = box.left + 16
        lit = round(value * n)
        for i in range(n):
            h = 14 + (box.height - 30) * (i + 1) // n
            rect = pygame.Rect(x, box.bottom - 8 - h, bar_w, h)
            pygame.draw.rect(surface, theme.WARN if i < lit else (215, 210, 200), rect, border_radius=3)
            x += bar_w + gap
        if lit == 0:
            mute = self.app.fonts.render("おとなし", 24, theme.INK_SOFT, "bold")
            surface.blit(mute, mute.get_rect(center=box.center))

    def _draw_source(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        area = pygame.Rect(TEST_RECT[0] + TEST_RECT[2] + 24, TEST_RECT[1], 0, TEST_RECT[3])
        area.width = self.app.size[0] - area.left - 24
        deck = self.app.deck
        lines = []
        if self.message:
            lines.append((self.message, theme.ACCENT_2))
        if deck is not None:
            if self._sources is None:  # once, not per frame: on the web each card asks the page
                self._sources = {k: v for k, v in self.app.voice.sources(deck).items() if v}
            counts = self._sources
            parts = [f"{SOURCE_WORDS[k]} {v}まい" for k, v in counts.items()]
            lines.append(("この カルタ: " + "、".join(parts), theme.INK))
            if counts.get(voices.RECORDING) and not (counts.get(voices.PACK) or counts.get(voices.BROWSER)):
                lines.append(("ろくおんの こえは はやさが かわりません", theme.INK_SOFT))
        y = area.top + 6
        for text, color in lines[:3]:
            for line in fonts.wrap(text, 22, area.width, "bold")[:2]:
                surf = fonts.render(line, 22, color, "bold")
                surface.blit(surf, (area.left, y))
                y += 30


SCENES = {"settings": SettingsScene}
MODES = [registry.ModeInfo("settings", "せってい", theme.BG_DARK, order=95)]
