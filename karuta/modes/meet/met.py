"""The met screen (a card just met, or looked at again from the book) and the restore result."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.layers import Layer
from ...app.scene import Scene
from ...app.ui import Button, ButtonsView, panel
from ...app.voice import NONE
from ...engine.collection import MeetResult
from ...engine.deck import Card
from ..common import HEADER_H, back_button, draw_header
from . import navigation, state
from .mapview import draw_mini_map
from ..common.confetti import Confetti
from .widgets import star

PICTURE = card_size(360)  # 256 x 360
POP_TIME = 0.45
RAYS_TIME = 5.0  # the celebration's length; then the screen is still
RAYS_RADIUS = 250
RAYS_ALPHA = 70


class _Pictures:
    """The celebration's pictures: a full-screen still picture, the rays' square, what lies over them."""

    def __init__(self) -> None:
        self.still = Layer()
        self.over: tuple | None = None  # (key, premultiplied surface of what lies over the rays)
        self.rays: pygame.Surface | None = None


@dataclass(frozen=True)
class MetStill:
    """What the met screen shows but the celebration: the view key once still, the celebration's
    still picture's key, and the only input of _draw_under and _draw_over."""

    card: Card = field(hash=False)  # compared as the same object first (tuple equality), so cheaply
    headline: str
    progress: tuple                 # (cards met, cards in the deck)
    met: tuple                      # the numbers of the cards met (the mini map)
    met_line: str                   # when the card was met, in children's words
    fresh: bool                     # met just now for the first time (the line is green)
    banners: tuple                  # rows, the deck or today's cards completed by this meeting
    kana_only: bool
    back: ButtonsView
    buttons: ButtonsView            # the bottom row (with 「もういちど きく」 when the card has a voice)


class MetScene(Scene):
    name = "met"

    def __init__(self, app, card, outcome: MeetResult | None = None, review: bool = False):
        super().__init__(app)
        self.deck = app.deck
        self.card = card
        self.outcome = outcome
        self.review = review or outcome is None
        self.collection = state.load(app)
        w, h = app.size
        self.back = back_button(self._home)
        self.buttons = [
            Button((352, h - 92, 320, 76), "あつめたカルタ", self._book, color=theme.GOOD, size=32, name="book"),
            Button((702, h - 92, 290, 76), "つぎを さがす", self._home, color=theme.ACCENT_2, size=32, name="next"),
        ]
        self.listen = Button((32, h - 92, 290, 76), "もういちど きく", self._say, color=theme.ACCENT, size=30,
                             name="listen")
        self.has_voice = app.voice.source(self.deck, card) != NONE
        self.t = 0.0
        big = outcome is not None and (outcome.deck_completed or outcome.session_completed)
        self.confetti = None
        if outcome is not None and outcome.new:
            self.confetti = Confetti.shower(0.0, app.seed * 1000 + card.number, 150 if big else 70,
                                            pygame.Rect(0, 0, w, h), 5.0 if big else 3.0)
        self._said = False
        self._auto_t = 0.0
        # The celebration redraws only the rays' square and the confetti over a still picture
        # of the rest; what lies over the rays is kept as one premultiplied layer.
        self._pictures = _Pictures()  # let go when the celebration ends or the screen is left: 5 MB
        self._dirty: list[pygame.Rect] = []

    def enter(self) -> None:
        if not self._said and not self.review:
            self._said = True
            if self.outcome is not None and self.outcome.new:
                self.app.audio.sfx("celebrate")  # the shared effects set (assets/sounds)
            self._say()

    @property
    def _still(self) -> Layer:
        return self._pictures.still

    def leave(self) -> None:
        self.app.voice.stop()
        self._pictures = _Pictures()  # painted again if the child comes back during the celebration

    def _say(self) -> None:
        self.app.voice.say(self.deck, self.card)

    def _home(self) -> None:
        if self.review:
            self.app.scenes.pop() if len(self.app.scenes) > 1 else navigation.leave_to(self.app, "home", self)
        else:
            navigation.leave_to(self.app, "home", self)

    def _book(self) -> None:
        navigation.leave_to(self.app, "book", self)

    def handle(self, event) -> None:
        buttons = [self.back, *self.buttons] + ([self.listen] if self.has_voice else [])
        for b in buttons:
            if b.handle(event):
                return

    def update(self, dt: float) -> None:
        self.t += dt
        if not self._rays_on() and self._pictures.still.surface is not None:
            self._pictures = _Pictures()

    def view_key(self):
        if (not self.review and self.t < RAYS_TIME) or (self.confetti is not None and self.confetti.alive(self.t)):
            return None  # celebrating: every frame moves
        return self.still()

    def still(self) -> MetStill:
        buttons = [*self.buttons] + ([self.listen] if self.has_voice else [])
        return MetStill(self.card, self._headline(), self.collection.progress(self.deck),
                        tuple(sorted(self.collection.met)), self._met_line(),
                        bool(self.outcome and self.outcome.new), tuple(self._banners()),
                        bool(self.app.settings.get("kana_only")), ButtonsView.of(self.back), ButtonsView.of(*buttons))

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 3.0:
            self._home()

    # ------------------------------------------------------------------ drawing

    def _headline(self) -> str:
        if self.review:
            return f"{self.card.kana}　{self.card.title_plain}" if len(self.card.title_plain) < 12 else self.card.kana
        return "であえたね！" if self.outcome.new else "また あえたね！"

    def _rays_on(self) -> bool:
        return self.outcome is not None and self.outcome.new and self.t < RAYS_TIME

    def _centre(self) -> tuple[int, int]:
        return 32 + PICTURE[0] // 2, HEADER_H + 20 + PICTURE[1] // 2

    def _rays_square(self) -> pygame.Rect:
        return pygame.Rect(0, 0, RAYS_RADIUS * 2, RAYS_RADIUS * 2).move(
            self._centre()[0] - RAYS_RADIUS, self._centre()[1] - RAYS_RADIUS)

    def _rays_rect(self) -> pygame.Rect:
        """The part of the screen the rays can touch: their square, below the header."""
        w, h = self.app.size
        return self._rays_square().clip(pygame.Rect(0, HEADER_H + 2, w, h - HEADER_H - 2))


    def draw(self, surface: pygame.Surface) -> None:
        view = self.still()
        if self._rays_on():
            # the celebration: a still picture of everything but the rays, the card and the confetti
            still = self._still.get(view, surface.get_size(), lambda layer: self._paint_still(layer, view))
            surface.blit(still, (0, 0))
            self._dirty = self._draw_celebration(surface, view)
            return
        self._draw_under(surface, view)

        centre = self._centre()
        face = self.app.faces.get(self.deck, view.card, "picture", PICTURE)
        surface.blit(face, face.get_rect(center=centre))
        if self.outcome is not None and not self.outcome.new and self.t < RAYS_TIME:
            w, h = self.app.size
            clip = surface.get_clip()
            surface.set_clip(pygame.Rect(0, HEADER_H + 2, w, h - HEADER_H - 2))
            for i in range(5):
                a = self.t * 1.5 + i * math.tau / 5
                star(surface, (centre[0] + math.cos(a) * 150, centre[1] + math.sin(a) * 200), 12, theme.WARN,
                     theme.CARD_EDGE)
            surface.set_clip(clip)
        self._draw_over(surface, view)
        if self.confetti is not None:
            self.confetti.draw(surface, self.t)

    def repaint(self, surface: pygame.Surface) -> bool:
        """During the celebration: put back what the confetti covered, redraw the rays' square."""
        view = self.still()
        if not self._rays_on() or self._still.key != view:
            return False
        still = self._still.surface
        rays = self._rays_rect()
        for rect in self._dirty:
            if not rays.contains(rect):  # the rays' square is drawn again whole anyway
                surface.blit(still, rect, rect)
        self._dirty = self._draw_celebration(surface, view)
        return True

    def _paint_still(self, surface: pygame.Surface, v: MetStill) -> None:
        surface.fill(theme.BG)
        self._draw_under(surface, v)
        self._draw_over(surface, v)

    def _draw_under(self, surface: pygame.Surface, v: MetStill) -> None:
        """What lies under the rays: the header (the rays are clipped below it)."""
        fonts = self.app.fonts
        w = self.app.size[0]
        draw_header(surface, fonts, v.headline)
        v.back.draw(surface, fonts)
        got, total = v.progress
        prog = fonts.render(f"{got} / {total}まい", 34, theme.INK, "bold")
        surface.blit(prog, prog.get_rect(midright=(w - 24, HEADER_H // 2)))

    def _draw_celebration(self, surface: pygame.Surface, v: MetStill) -> list[pygame.Rect]:
        """The rays' square (background, rays, the card popping in, what lies over them) and the confetti."""
        rect = self._rays_rect()
        square = self._rays_square()
        clip = surface.get_clip()
        surface.set_clip(rect)
        surface.blit(self._rays(), square)
        surface.set_clip(clip)
        face = self.app.faces.get(self.deck, v.card, "picture", PICTURE)
        k = self._pop()
        if k < 0.999:
            face = pygame.transform.smoothscale(face, (max(1, int(PICTURE[0] * k)), max(1, int(PICTURE[1] * k))))
        surface.blit(face, face.get_rect(center=self._centre()))
        surface.blit(self._over_layer(v), rect, special_flags=pygame.BLEND_PREMULTIPLIED)
        drawn = [rect]
        if self.confetti is not None:
            drawn += self.confetti.draw(surface, self.t)
        return drawn

    def _over_layer(self, v: MetStill) -> pygame.Surface:
        """What draw puts over the rays (mini map, texts, buttons) as a premultiplied layer of the rays' rect.

        It is drawn once over black and once over white: over black each pixel is its colour times
        its coverage, and white minus black is what shows through. Blending it over the rays gives
        the direct drawing's pixels within one level of rounding, without drawing it every frame.
        """
        key = v
        if self._pictures.over is not None and self._pictures.over[0] == key:
            return self._pictures.over[1]
        self._pictures.over = None  # the last screen's layer is let go before this one is made
        rect = self._rays_rect()
        shots = []
        for backdrop in ((0, 0, 0), (255, 255, 255)):
            canvas = pygame.Surface(rect.bottomright)  # only as far as the rays reach: drawing beyond is clipped
            canvas.fill(backdrop)
            self._draw_over(canvas, v)
            shots.append(canvas.subsurface(rect).copy())
        black, through = shots
        through.blit(black, (0, 0), special_flags=pygame.BLEND_SUB)  # 255 * (1 - coverage)
        alpha = pygame.Surface(rect.size)
        alpha.fill((255, 255, 255))
        alpha.blit(through, (0, 0), special_flags=pygame.BLEND_SUB)  # 255 * coverage
        rgba = bytearray(pygame.image.tobytes(black, "RGBA"))
        rgba[3::4] = pygame.image.tobytes(alpha, "RGBA")[0::4]
        over = pygame.image.frombytes(bytes(rgba), rect.size, "RGBA").convert_alpha()
        self._pictures.over = (key, over)
        return over

    def _draw_over(self, surface: pygame.Surface, v: MetStill) -> None:
        """What lies over the card and the rays: the mini map, the text column, the buttons."""
        fonts, card, deck = self.app.fonts, v.card, self.deck
        w, h = self.app.size
        kana_only = v.kana_only
        mini = pygame.Rect(32, HEADER_H + 20 + PICTURE[1] + 14, PICTURE[0], h - 92 - 16 - (HEADER_H + 20 + PICTURE[1] + 14))
        draw_mini_map(surface, fonts, deck, set(v.met), mini, highlight=card.number)

        # reading, title, when it was met, any completion, explanation
        col = pygame.Rect(312, HEADER_H + 20, w - 312 - 32, h - 92 - 16 - HEADER_H - 20)
        y = col.top
        if card.reading:
            panel(surface, (col.left, y, col.width, 118))
            for size in (34, 28, 24, 20):  # one line if it fits, else smaller so two lines stay in the panel
                text = fonts.ruby(card.reading, size, theme.INK, "card", max_width=col.width - 36,
                                  kana_only=kana_only)
                if text.get_height() <= 104:
                    break
            surface.blit(text, text.get_rect(center=(col.centerx, y + 59)))
            y += 130
        elif card.image("reading"):
            img = self.app.faces.get(deck, card, "reading", (col.width, 150))
            surface.blit(img, (col.left, y))
            y += 160
        if card.title:
            t = fonts.ruby(card.title, 30, theme.INK, "card", max_width=col.width, align="left", kana_only=kana_only)
            surface.blit(t, (col.left, y))
            y += t.get_height() + 8
        line = v.met_line
        if line:
            colour = theme.GOOD if v.fresh else theme.INK_SOFT
            for part in line.split("\n"):  # sentence by sentence, smaller rather than broken mid-word
                text = fonts.render(part, 24, colour, "bold")
                if text.get_width() > col.width:
                    text = fonts.render(part, 20, colour, "bold")
                surface.blit(text, (col.left, y))
                y += text.get_height() + 4
            y += 4
        for banner in v.banners:
            y = self._banner(surface, banner, col, y)
        remaining = col.bottom - y
        if card.explanation and remaining > 30:
            body = fonts.ruby(card.explanation, 24, theme.INK, "ui", max_width=col.width, align="left",
                              kana_only=kana_only)
            if body.get_height() > remaining:
                body = fonts.ruby(card.explanation, 20, theme.INK, "ui", max_width=col.width, align="left",
                                  kana_only=kana_only)
            surface.blit(body, (col.left, y), area=pygame.Rect(0, 0, col.width, remaining))
        elif card.image("explanation") and remaining > 64:
            img = self.app.faces.get(deck, card, "explanation", (col.width, remaining))
            surface.blit(img, (col.left, y))

        v.buttons.draw(surface, fonts)

    def _met_line(self) -> str:
        first = self.collection.met.get(self.card.number)
        if first is None:
            return ""
        if self.review:
            return f"であった日: {state.date_words(first)}"
        if self.outcome.new:
            return f"{state.date_words(first)}に であったよ。あつめたカルタに はいったよ！"
        return f"まえに であったのは {state.date_words(first)}。\nまた きてくれて ありがとう！"

    def _banners(self) -> list[str]:
        o = self.outcome
        if o is None or self.review:
            return []
        out = [f"{state.row_markup(r)}を ぜんぶ あつめたよ！" for r in o.rows_completed]
        if o.deck_completed:
            out.append("ぜんぶの カードを あつめたよ！ おめでとう！")
        elif o.session_completed:
            out.append("きょうの カードを ぜんぶ あつめたよ！")
        return out

    def _banner(self, surface, markup: str, col: pygame.Rect, y: int) -> int:
        text = self.app.fonts.ruby(markup, 28, theme.INK, "bold", max_width=col.width - 90)
        box = pygame.Rect(col.left, y, col.width, text.get_height() + 16)
        panel(surface, box, color=(255, 236, 170), border=theme.WARN)
        star(surface, (box.left + 30, box.centery), 18, theme.WARN, theme.CARD_EDGE)
        star(surface, (box.right - 30, box.centery), 18, theme.WARN, theme.CARD_EDGE)
        surface.blit(text, text.get_rect(center=box.center))
        return box.bottom + 10

    def _pop(self) -> float:
        if self.review or self.outcome is None or not self.outcome.new or self.t >= POP_TIME:
            return 1.0
        x = self.t / POP_TIME
        return 0.6 + 0.4 * x + 0.18 * math.sin(math.pi * x)  # grows past full size, then settles

    def _rays(self) -> pygame.Surface:
        """The rays' square at this moment, opaque: the rays drawn in their colour as blended over the background.

        The rays never overlap (12 of 0.2 rad) and only the background lies under them, so this
        is the picture a translucent layer would give, at the cost of a fill and a copy.
        """
        radius = RAYS_RADIUS
        layer = self._pictures.rays
        if layer is None:
            layer = self._pictures.rays = pygame.Surface((radius * 2, radius * 2))
        layer.fill(theme.BG)
        colour = _blended(theme.WARN, RAYS_ALPHA, theme.BG)  # 1x1 blits: cheaper than a cache's bookkeeping
        for i in range(12):
            a = self.t * 0.4 + i * math.tau / 12
            pts = [(radius, radius),
                   (radius + math.cos(a - 0.1) * radius, radius + math.sin(a - 0.1) * radius),
                   (radius + math.cos(a + 0.1) * radius, radius + math.sin(a + 0.1) * radius)]
            pygame.draw.polygon(layer, colour, pts)
        return layer


def _blended(colour, alpha: int, under) -> pygame.Color:
    """The colour SDL gives ``colour`` at ``alpha`` over ``under`` (blended by SDL itself, so rounding matches)."""
    dot = pygame.Surface((1, 1), pygame.SRCALPHA)
    dot.fill((*colour, alpha))
    out = pygame.Surface((1, 1))
    out.fill(under)
    out.blit(dot, (0, 0))
    return out.get_at((0, 0))


class RestoredScene(Scene):
    """After scanning a backup QR code: how many cards came back."""

    name = "restored"

    def __init__(self, app, added: int, before: int):
        super().__init__(app)
        self.added = added
        self.before = before
        self.collection = state.load(app)
        w, h = app.size
        self.back = back_button(lambda: navigation.leave_to(app, "home", self))
        self.book = Button((w // 2 - 200, h - 180, 400, 100), "あつめたカルタ", lambda: navigation.leave_to(app, "book", self),
                           color=theme.GOOD, size=36, name="book")
        self.t = 0.0
        self.confetti = Confetti.shower(0.0, app.seed, 60, pygame.Rect(0, 0, w, h)) if added else None

    def update(self, dt: float) -> None:
        self.t += dt

    def handle(self, event) -> None:
        for b in (self.back, self.book):
            if b.handle(event):
                return

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        draw_header(surface, fonts, "バックアップから もどす")
        self.back.draw(surface, fonts)
        got, total = self.collection.progress(self.app.deck)
        head = "カードが もどったよ！" if self.added else "もう ぜんぶ はいっていたよ。"
        t1 = fonts.render(head, 48, theme.INK, "bold")
        surface.blit(t1, t1.get_rect(center=(w // 2, 260)))
        t2 = fonts.render(f"あたらしく {self.added}まい。いまは {got} / {total}まい。", 34, theme.INK)
        surface.blit(t2, t2.get_rect(center=(w // 2, 350)))
        self.back.draw(surface, fonts)
        self.book.draw(surface, fonts)
        if self.confetti:
            self.confetti.draw(surface, self.t)
