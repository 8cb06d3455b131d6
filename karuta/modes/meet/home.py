"""The meet mode's home: the big 「QRコードをよむ」, the way to the book, the map and the keypad."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView, panel
from ..common import HEADER_H, back_button, draw_header
from ..common.screen import ButtonScreen
from ...engine import links
from . import navigation, state
from .widgets import HoldButton, compass_arrow, qr_icon


class ScanListener(ButtonScreen):
    """A scene that accepts a finished scan: the page's camera overlay, or a desktop/test injection."""

    def take_scan(self) -> bool:
        text = self.app.platform.poll_scan()
        if text is None:
            return False
        self.show_scanned(navigation.open_link(self.app, text, "scan"))
        return True

    def show_scanned(self, scene) -> None:
        """The screen for what was read, over this one."""
        self.app.scenes.push(scene)

    def update(self, dt: float) -> None:
        self.take_scan()


@dataclass(frozen=True)
class MeetHomeStill:
    """What the meet home shows (its view key and its drawing's only input)."""

    deck_name: str          # furigana markup
    progress: tuple         # (cards met, cards in the deck)
    hint: tuple             # (up to three lines, compass bearing or None)
    back: ButtonsView
    scan: ButtonsView       # 「QRコードをよむ」, with a drawn QR icon beside its label
    scan_rect: tuple
    nav: ButtonsView        # the book, the map, the keypad
    teacher: ButtonsView    # the facilitator's hold button (its fill grows while held)


class MeetHomeScene(StillView, ScanListener):
    name = "meet_home"

    def __init__(self, app):
        super().__init__(app)
        w = app.size[0]
        self.back = back_button(self.go_back)
        self.scan_btn = Button((w // 2 - 330, HEADER_H + 36, 660, 170), "QRコードをよむ", self._scan,
                               color=theme.ACCENT_2, size=56, name="scan")
        y = HEADER_H + 236
        self.nav = [
            Button((40, y, 300, 110), "あつめたカルタ", self._open("book"), color=theme.GOOD, size=34, name="book"),
            Button((362, y, 300, 110), "ちず", self._open("map"), color=theme.ACCENT, size=38, name="map"),
            Button((684, y, 300, 110), "コードを いれる", self._open("keypad"), color=theme.BG_DARK, size=32,
                   name="keypad"),
        ]
        self.teacher = HoldButton((w - 300, app.size[1] - 88, 284, 72), "せんせい（ながおし）", self._teacher,
                                  hold=2.0, color=(150, 150, 150), size=24, name="facilitator")
        self.collection = None
        self._hint: tuple = ((), None)
        self._hint_t = 0.0
        self._auto_t = 0.0

    def enter(self) -> None:
        self.collection = state.load(self.app)
        self._refresh_hint()
        self._hint_t = 0.0

    def _scan(self) -> None:
        navigation.start_scan(self.app)

    def _open(self, name: str):
        def go():
            self.app.scenes.push(self.app.make_scene(name))
        return go

    def _teacher(self) -> None:
        self.app.scenes.push(navigation.facilitator_screen(self.app))

    def controls(self):
        return [self.back, self.scan_btn, *self.nav, self.teacher]

    def update(self, dt: float) -> None:
        self.teacher.update(dt)
        self._hint_t += dt
        if self._hint_t >= 1.0:  # the position hint moves slowly; asking the page every frame costs
            self._hint_t = 0.0
            self._refresh_hint()
        super().update(dt)

    def autoplay_step(self, dt: float) -> None:
        """Attract mode: meet a random card by its own link, as a child at a signpost would."""
        self._auto_t += dt
        if self._auto_t > 1.5:
            self._auto_t = 0.0
            deck = self.app.deck
            card = deck.cards[(self.app.seed + self.app.frame) % len(deck.cards)]
            self.app.platform.inject_scan(links.card_link("", deck, card.number))

    def paint(self, surface: pygame.Surface, v: MeetHomeStill) -> None:
        fonts = self.app.fonts
        w, h = self.app.size
        draw_header(surface, fonts, "であってカルタ", v.deck_name)
        v.back.draw(surface, fonts)
        got, total = v.progress
        prog = fonts.render(f"{got} / {total}まい", 34, theme.INK, "bold")
        surface.blit(prog, prog.get_rect(midright=(w - 24, HEADER_H // 2)))
        v.scan.draw(surface, fonts)
        icon = pygame.Rect(0, 0, 77, 77)
        icon.midleft = (v.scan_rect[0] + 26, pygame.Rect(v.scan_rect).centery)
        qr_icon(surface, icon)
        v.nav.draw(surface, fonts)
        self._draw_hint(surface, v.hint)
        v.teacher.draw(surface, fonts)

    def _refresh_hint(self) -> None:
        """What the hint panel says: today's progress and the nearest card still to find."""
        deck, coll = self.app.deck, self.collection
        lines: list[str] = []
        bearing = None
        if coll.session is not None:
            got, total = coll.session_progress(deck)
            lines.append(f"きょうの カード　{got} / {total}まい")
        position = self.app.platform.position()  # a hint only: never stored
        target = coll.next_target(deck, position[:2] if position else None)
        if coll.deck_complete(deck):
            lines.append("ぜんぶの カードに であえたよ！ おめでとう！")
        elif coll.session is not None and coll.session_complete(deck):
            lines.append("きょうの カードは ぜんぶ あつめたよ！")
        elif target is not None:
            card = target.card
            lines.append(f"つぎに ちかいのは 「{card.kana}」 {card.title or card.kana}")  # furigana markup
            lines.append(f"{state.DIRECTION_WORDS[target.direction]}へ {state.distance_words(target.distance_m)}"
                         + ("（いまの ばしょ から、だいたい）" if coll.last is None else ""))
            bearing = round(target.bearing_deg)
        else:
            lines.append("まちの たてふだを さがして、")
            lines.append("QRコードを よもう！")
        self._hint = (tuple(lines[:3]), bearing)

    def still(self) -> MeetHomeStill:
        deck = self.app.deck
        return MeetHomeStill(deck.name, self.collection.progress(deck), self._hint, ButtonsView.of(self.back),
                             ButtonsView.of(self.scan_btn), tuple(self.scan_btn.rect), ButtonsView.of(*self.nav),
                             ButtonsView.of(self.teacher))

    def _draw_hint(self, surface: pygame.Surface, hint: tuple) -> None:
        fonts = self.app.fonts
        box = pygame.Rect(40, HEADER_H + 370, self.app.size[0] - 80, 176)
        panel(surface, box)
        lines, bearing = hint
        if bearing is not None:
            compass_arrow(surface, (box.right - 70, box.centery), bearing, 44, theme.ACCENT_2)
        y = box.top + 22
        for i, line in enumerate(lines):
            # a line may name a card by its title in furigana markup: kanji carry their reading
            text = fonts.ruby(line, 32 if i < 2 else 28, theme.INK, "bold" if i == 0 else "ui", align="left")
            if text.get_width() > box.width - 170:
                text = fonts.ruby(line, 26, theme.INK, "bold" if i == 0 else "ui", align="left")
            surface.blit(text, (box.left + 28, y))
            y += text.get_height() + 14


class ScanWaitScene(ScanListener):
    """Shown under the page's camera view while it looks for a QR code; 「やめる」 closes the camera."""

    name = "scan_wait"

    def __init__(self, app):
        super().__init__(app)
        w, h = app.size
        self.cancel = Button((w // 2 - 160, h - 190, 320, 100), "やめる", self._cancel, color=theme.BG_DARK,
                             size=36, name="cancel")
        self.keypad = Button((w // 2 - 200, h - 320, 400, 100), "コードを いれる", self._keypad,
                             color=theme.ACCENT, size=34, name="keypad")
        self.t = 0.0
        self._check_t = 0.0

    def _cancel(self) -> None:
        self.app.platform.cancel_scan()
        self.app.scenes.pop()

    def _keypad(self) -> None:
        self.app.platform.cancel_scan()
        self.app.scenes.replace(navigation.keypad_screen(self.app))

    def show_scanned(self, scene) -> None:
        self.app.scenes.replace(scene)  # the waiting is over: what was read takes its place

    def update(self, dt: float) -> None:
        self.t += dt
        if self.take_scan():
            return
        self._check_t += dt
        if self._check_t >= 0.5:
            self._check_t = 0.0
            self._check_camera()

    def _check_camera(self) -> None:
        """The page closes its camera view on a refusal or a cancel: follow it instead of waiting for ever."""
        platform = self.app.platform
        if not platform.can_scan():  # refused or missing now: the keypad is the way on
            self.app.scenes.replace(navigation.keypad_screen(self.app, camera_missing=True))
            return
        active = getattr(platform, "scan_active", None)
        if callable(active) and not active():
            self.app.scenes.pop()

    def controls(self):
        return [self.cancel, self.keypad]

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w, h = self.app.size
        draw_header(surface, fonts, "QRコードをよむ")
        msg = fonts.render("たてふだの QRコードに カメラを むけてね", 36, theme.INK, "bold")
        surface.blit(msg, msg.get_rect(center=(w // 2, 220)))
        left = w // 2 - fonts.size("さがしています・・・", 30)[0] // 2
        wait = fonts.render("さがしています" + "・" * (1 + int(self.t * 2) % 3), 30, theme.INK_SOFT)
        surface.blit(wait, wait.get_rect(midleft=(left, 290)))
        self.keypad.draw(surface, fonts)
        self.cancel.draw(surface, fonts)
