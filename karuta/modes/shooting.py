"""カルタシューティング: setup -> round -> results, with a pause overlay.

Thin by design: taps become ``Round.shoot`` calls, the round's state becomes pixels.
Everything on screen moves as a function of the scene's own clock (seconds of play,
standing still while paused), so the picture is the same at any frame rate.
"""

from __future__ import annotations

import math
import random

import pygame

from ..app import theme
from ..app.faces import card_size
from ..app.input import DOWN, Key, Pointer
from ..app.layers import Layer
from ..app.scene import Scene
from ..app.ui import Button, fit_within, panel
from ..engine import shooting as rules
from . import registry
from .common import HEADER_H, back_button, draw_header

SCREEN_W, SCREEN_H = theme.SCREEN_SIZE
TOP_H = 140                                         # reading panel, pause, score
FIELD = pygame.Rect(0, TOP_H, SCREEN_W, 500)        # where cards fly (140..640)
READING_COLUMN = pygame.Rect(8, TOP_H + 8, 196, FIELD.height - 16)  # image-only decks: the reading card
READING_PANEL = pygame.Rect(164, 8, 640, 124)
SCORE_PANEL = pygame.Rect(816, 8, 192, 124)
LAUNCHER = (SCREEN_W // 2, SCREEN_H - 8)            # the base of the launcher, bottom centre
PILE = pygame.Rect(880, 654, 128, 108)              # captured cards
PILE_CARD = card_size(92)
TIMER_BAR = pygame.Rect(24, 650, 420, 14)
OTETSUKI_BOX = pygame.Rect(16, 668, 420, 94)        # bottom left, under the field: no card is hidden

SHOT_TIME = 0.12      # s for the shot to reach the tap point
CAPTURE_FLIGHT = 0.8  # s for a captured card to fly to the pile (inside rules.CAPTURE_TIME)
SETTINGS_KEY = "shooting"  # last choices on the setup screen (a mode-owned setting)


def _ease(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def _lerp(a, b, k):
    return a + (b - a) * k


def _alpha_copy(surface: pygame.Surface, alpha: float) -> pygame.Surface:
    """A faded copy: cached text surfaces are shared, so they must never be faded in place."""
    out = surface.copy()
    out.set_alpha(max(0, min(255, int(alpha * 255))))
    return out


def _veiled_copy(face: pygame.Surface, veil: pygame.Surface) -> pygame.Surface:
    """``face`` with the veil blended over its colours and its own transparency kept.

    Drawn over the veiled field, it gives what veiling the field with the card on it gives
    (the blend is the same sum; rounding may differ by one level where the card is translucent).
    """
    out = face.copy()
    out.blit(veil, (0, 0), pygame.Rect((0, 0), face.get_size()))
    if face.get_flags() & pygame.SRCALPHA:
        rgba = bytearray(pygame.image.tobytes(out, "RGBA"))
        rgba[3::4] = pygame.image.tobytes(face, "RGBA")[3::4]  # the veil must not fill the rounded corners
        out = pygame.image.frombytes(bytes(rgba), face.get_size(), "RGBA").convert_alpha()
    return out


# ====================================================================== setup


class ShootingSetupScene(Scene):
    """One screen, no typing: deck, number of cards, difficulty, and a big はじめる."""

    name = "shooting"

    def __init__(self, app):
        super().__init__(app)
        prefs = app.settings.get(SETTINGS_KEY)
        prefs = prefs if isinstance(prefs, dict) else {}
        self.difficulty = prefs.get("difficulty") if prefs.get("difficulty") in rules.DIFFICULTIES \
            else rules.DEFAULT_DIFFICULTY
        self.count = prefs.get("count") if prefs.get("count") in rules.COUNTS else rules.DEFAULT_COUNT
        self.rounds = 0
        self._auto_t = 0.0
        self.back = back_button(self._back)
        self.start_btn = Button((312, 580, 400, 116), "はじめる", self.start, color=theme.GOOD, size=52,
                                name="start")
        self.deck_buttons: list[Button] = []
        self.count_buttons: list[Button] = []
        self.difficulty_buttons: list[Button] = []
        self._best_records: dict | None = None
        self._layout()

    # -- layout and choices

    def _layout(self) -> None:
        decks = self.app.valid_decks
        self.deck_buttons = []
        if 1 < len(decks) <= 3:
            for i, deck in enumerate(decks):
                b = Button((200 + i * 264, 108, 248, 72), deck.name_plain, self._deck_chooser(deck),
                           color=theme.BG_DARK, size=26, name=f"deck:{deck.id}")
                self.deck_buttons.append(b)
        elif len(decks) > 3:
            self.deck_buttons.append(Button((728, 108, 240, 72), "ほかの カルタ", self._next_deck,
                                            color=theme.BG_DARK, size=26, name="deck:next"))
        size = len(self.app.deck.cards) if self.app.deck else 0
        self.count_buttons = []
        for i, count in enumerate(rules.COUNTS):
            label = f"{count}まい" if count else f"ぜんぶ（{size}まい）"
            b = Button((200 + i * 256, 212, 232, 84), label, self._count_chooser(count), color=theme.ACCENT,
                       size=32 if count else 28, name=f"count:{rules.count_key(count)}")
            b.enabled = count == 0 or count < size
            self.count_buttons.append(b)
        if self.count and self.count >= size:
            self.count = 0  # a small deck: "10 cards" would be all of them anyway
        self.difficulty_buttons = []
        colours = {"easy": theme.GOOD, "normal": theme.WARN, "hard": theme.ACCENT_2}
        for i, (key, diff) in enumerate(rules.DIFFICULTIES.items()):
            b = Button((200 + i * 256, 336, 232, 96), diff.label, self._difficulty_chooser(key),
                       color=colours.get(key, theme.ACCENT), size=34, name=f"difficulty:{key}")
            self.difficulty_buttons.append(b)
        self._mark()

    def _mark(self) -> None:
        for b in self.deck_buttons:
            b.selected = self.app.deck is not None and b.name == f"deck:{self.app.deck.id}"
        for b, count in zip(self.count_buttons, rules.COUNTS):
            b.selected = count == self.count
        for b, key in zip(self.difficulty_buttons, rules.DIFFICULTIES):
            b.selected = key == self.difficulty

    def _deck_chooser(self, deck):
        def choose():
            self.app.use_deck(deck)
            self._layout()
        return choose

    def _next_deck(self) -> None:
        decks = self.app.valid_decks
        i = next((k for k, d in enumerate(decks) if d is self.app.deck), -1)
        self.app.use_deck(decks[(i + 1) % len(decks)])
        self._layout()

    def _count_chooser(self, count):
        def choose():
            self.count = count
            self._mark()
        return choose

    def _difficulty_chooser(self, key):
        def choose():
            self.difficulty = key
            self._mark()
        return choose

    def _back(self) -> None:
        self.app.scenes.pop() if len(self.app.scenes) > 1 else self.app.go_title()

    def best(self) -> int | None:
        if self._best_records is None:
            self._best_records = self.app.store.load(rules.SCORES_KEY, {}, rules.clean_records)
        return rules.best_score(self._best_records, self.app.deck.id, self.difficulty, self.count)

    def enter(self) -> None:
        self._best_records = None  # a round may have set a new best
        self._layout()

    def view_key(self):
        buttons = (self.back, self.start_btn, *self.deck_buttons, *self.count_buttons, *self.difficulty_buttons)
        deck = self.app.deck
        return (deck and deck.id, self.difficulty, self.count, self.best() if deck else None,
                tuple(b.look() for b in buttons))

    # -- start

    def round_seed(self):
        """The first round replays exactly with --seed; later rounds differ but stay reproducible."""
        return self.app.seed if self.rounds == 0 else f"{self.app.seed}-{self.rounds}"

    def start(self) -> None:
        if self.app.deck is None:
            return
        self.app.settings.set(SETTINGS_KEY, {"difficulty": self.difficulty, "count": self.count})
        seed = self.round_seed()
        self.rounds += 1
        self.app.scenes.push(ShootingRoundScene(self.app, self.difficulty, self.count, seed, setup=self))

    def handle(self, event) -> None:
        if isinstance(event, Key) and event.key == pygame.K_ESCAPE:
            self._back()
            return
        if isinstance(event, Key) and event.key in (pygame.K_RETURN, pygame.K_SPACE):
            self.start()
            return
        for b in [self.back, self.start_btn, *self.deck_buttons, *self.count_buttons, *self.difficulty_buttons]:
            if b.handle(event):
                return

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t >= 1.0:  # a moment to see the screen, as a facilitator would
            self._auto_t = 0.0
            self.count = 10 if any(b.enabled for b, c in zip(self.count_buttons, rules.COUNTS) if c == 10) else 0
            self._mark()
            self.start()

    # -- drawing

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        deck = self.app.deck
        draw_header(surface, fonts, "シューティング", deck.name if deck else "")
        self.back.draw(surface, fonts)
        for label, y in (("カルタ", 144), ("まいすう", 254), ("むずかしさ", 384)):
            text = fonts.render(label, 28, theme.INK, "bold")
            surface.blit(text, text.get_rect(midleft=(36, y)))
        if deck is not None and len(self.deck_buttons) != len(self.app.valid_decks):
            name = fonts.ruby(deck.name, 32, theme.INK, "card", align="left")
            if name.get_width() > 500:
                name = pygame.transform.smoothscale(name, fit_within(name.get_size(), (500, 72)))
            surface.blit(name, name.get_rect(midleft=(204, 144)))
        for b in [*self.deck_buttons, *self.count_buttons, *self.difficulty_buttons]:
            b.draw(surface, fonts)
        for b, diff in zip(self.difficulty_buttons, rules.DIFFICULTIES.values()):
            blurb = fonts.render(diff.blurb, 19, theme.INK_SOFT)
            if blurb.get_width() > b.rect.width + 16:
                blurb = pygame.transform.smoothscale(blurb, fit_within(blurb.get_size(), (b.rect.width + 16, 30)))
            surface.blit(blurb, blurb.get_rect(midtop=(b.rect.centerx, b.rect.bottom + 14)))
        if deck is not None:
            best = self.best()
            what = f"（{rules.DIFFICULTIES[self.difficulty].label}・" \
                   f"{'ぜんぶ' if not self.count else str(self.count) + 'まい'}）"
            line = f"さいこう きろく {best}てん {what}" if best is not None else f"まだ きろくは ないよ {what}"
            text = fonts.render(line, 28, theme.INK, "bold")
            surface.blit(text, text.get_rect(center=(SCREEN_W // 2, 522)))
        self.start_btn.draw(surface, fonts)


# ====================================================================== effects


class _Effect:
    """Something drawn for a while after ``t0`` (seconds of the scene clock)."""

    def __init__(self, t0: float, duration: float):
        self.t0, self.duration = t0, duration

    def alive(self, now: float) -> bool:
        return now < self.t0 + self.duration

    def progress(self, now: float) -> float:
        return min(1.0, max(0.0, (now - self.t0) / self.duration))


class _Shot(_Effect):
    def __init__(self, t0, start, end, kind):
        super().__init__(t0, SHOT_TIME + 0.45)
        self.start, self.end, self.kind = start, end, kind  # kind: hit, miss, none


class _Popup(_Effect):
    def __init__(self, t0, pos, surf, rise=70.0, duration=1.1):
        super().__init__(t0, duration)
        self.pos, self.surf, self.rise = pos, surf, rise


class _Confetti(_Effect):
    COLOURS = (theme.ACCENT, theme.ACCENT_2, theme.GOOD, theme.WARN, (204, 121, 167), (240, 228, 66))

    def __init__(self, t0, pos, seed, count=22):
        super().__init__(t0, 1.0)
        rng = random.Random(seed)
        self.pos = pos
        self.bits = [(rng.uniform(-1, 1) * 260, rng.uniform(-420, -120), rng.choice(self.COLOURS),
                      rng.randint(5, 9)) for _ in range(count)]


class _Capture(_Effect):
    def __init__(self, t0, card, start_center, start_size):
        super().__init__(t0, CAPTURE_FLIGHT)
        self.card, self.start, self.size = card, start_center, start_size


# ====================================================================== the round


class ShootingRoundScene(Scene):
    name = "shooting_round"

    def __init__(self, app, difficulty: str = rules.DEFAULT_DIFFICULTY, count: int = rules.DEFAULT_COUNT,
                 seed=None, setup: ShootingSetupScene | None = None):
        super().__init__(app)
        self.deck = app.deck
        self.setup = setup
        self.difficulty_key = difficulty
        self.diff = rules.DIFFICULTIES[difficulty]
        self.count = count
        self.seed = app.seed if seed is None else seed
        self.cards = {c.number: c for c in self.deck.cards}
        self.game = rules.Round(list(self.cards), self.diff, self.seed, count,
                                {n: c.kana for n, c in self.cards.items()})
        self.card_size = card_size(self.diff.card_height)
        self.image_reading = any(not c.reading and c.image("reading") for c in self.deck.cards)
        self.field = FIELD.copy()
        if self.image_reading:
            # The reading card is a picture: give it a column of its own, big enough to read.
            self.field = pygame.Rect(READING_COLUMN.right + 8, FIELD.top, FIELD.right - READING_COLUMN.right - 8,
                                     FIELD.height)
        self.clock = 0.0
        self.turn_start = 0.0       # when this turn's cards appeared
        self.freeze_motion_at: float | None = None  # reveal: the cards stop so the answer can be seen
        self.flights: list[rules.Flight] = []
        self.voiced = False
        self.effects: list[_Effect] = []
        self.capture: _Capture | None = None
        self.pile: list[int] = []
        self.aim = (LAUNCHER[0], FIELD.centery)  # where the launcher points
        self.shots_fired = 0
        self.missed_card: tuple[int, float] | None = None
        self.bot = rules.AutoPlayer(self.seed) if app.autoplay else None
        self.pause_btn = Button((16, 20, 136, 100), "とめる", self.pause, color=theme.BG_DARK, size=30,
                                name="pause")
        self.listen_btn = Button((READING_PANEL.right - 150, READING_PANEL.bottom - 76, 140, 68), "もういちど",
                                 self.listen_again, color=theme.ACCENT, size=24, name="listen")
        self._reading_cache: dict = {}
        self._background = self._make_background()
        self._still = Layer()
        self._veiled = Layer()  # the still picture with the お手つき veil over the field
        self._veiled_faces: dict[tuple[int, tuple[int, int]], pygame.Surface] = {}
        self._drawn_frozen = False  # whether the screen holds a veiled frame (see repaint)
        self._moved: list[pygame.Rect] = []  # where the last frame drew over the still picture (see repaint)
        self._veil = pygame.Surface(self.field.size, pygame.SRCALPHA)
        self._veil.fill((235, 245, 255, 110))
        self._dim = pygame.Surface(self.card_size, pygame.SRCALPHA)
        pygame.draw.rect(self._dim, (250, 246, 236, 185), self._dim.get_rect(), border_radius=8)
        self._new_turn(0.0)

    # -------------------------------------------------------------- turns

    def _new_turn(self, t: float) -> None:
        turn = self.game.turn
        self.turn_start = t
        self.freeze_motion_at = None
        self.missed_card = None
        self.voiced = False
        self.flights = rules.flight_plan(turn.flyers, tuple(self.field), self.card_size, self.diff.speed,
                                         f"{self.seed}:{self.game.index}", self.diff.bounce) if turn else []

    def update(self, dt: float) -> None:
        self.clock += dt
        for happened in self.game.update(self.clock):
            self._react(happened)
        self.effects = [e for e in self.effects if e.alive(self.clock)]
        if self.capture is not None and not self.capture.alive(self.clock) and self.capture.t0 <= self.clock:
            self.pile.append(self.capture.card)
            self.capture = None

    def _react(self, happened) -> None:
        if not isinstance(happened, rules.Entered):
            return
        if happened.phase == rules.INTRO:
            if self.capture is not None:  # land the last capture before the cards change
                self.pile.append(self.capture.card)
                self.capture = None
            self._new_turn(happened.t)
        elif happened.phase == rules.AIM and happened.first:
            self._say()
        elif happened.phase == rules.REVEAL:
            self.freeze_motion_at = happened.t
            self.app.voice.stop()
        elif happened.phase == rules.DONE:
            self.app.voice.stop()
            self.app.scenes.replace(ShootingResultsScene(self.app, self))

    def _say(self) -> None:
        turn = self.game.turn
        if turn is not None:
            self.voiced = bool(self.app.voice.say(self.deck, self.cards[turn.answer]))

    def listen_again(self) -> None:
        if self.game.phase in (rules.AIM, rules.FROZEN):
            self._say()

    # -------------------------------------------------------------- pause

    def pause(self) -> None:
        self.app.scenes.push(ShootingPauseScene(self.app, self))

    def leave(self) -> None:
        self.app.voice.stop()

    def view_key(self):
        # Covered by the pause, the round does not update: its picture holds. On top it moves every
        # frame (None) and redraws through repaint().
        return ("covered",) if self.app.scenes.top is not self else None

    def enter(self) -> None:
        # back from the pause: read the card again, the child may have forgotten it
        if self.voiced and self.game.phase in (rules.AIM, rules.FROZEN):
            self._say()

    # -------------------------------------------------------------- where things are

    def motion_time(self) -> float:
        now = self.clock if self.freeze_motion_at is None else min(self.clock, self.freeze_motion_at)
        return now - self.turn_start

    def flyer_rects(self) -> list[tuple[int, pygame.Rect]]:
        """Every card in the air now, as (card number, rect on screen)."""
        t = self.motion_time()
        w, h = self.card_size
        out = []
        for f in self.flights:
            x, y = rules.flight_pos(f, t, tuple(self.field), w)
            out.append((f.card, pygame.Rect(int(round(x - w / 2)), int(round(y - h / 2)), w, h)))
        if self.game.phase == rules.REVEAL and self.game.turn is not None:
            out = [(c, self._reveal_rect(r) if c == self.game.turn.answer else r) for c, r in out]
        return out

    def _reveal_rect(self, rect: pygame.Rect) -> pygame.Rect:
        """The answer glides fully into view when it was half off the edge."""
        inside = rect.clamp(self.field.inflate(-24, -24))  # room for the highlight ring
        k = _ease((self.clock - self.game.phase_since) / 0.4)
        return pygame.Rect(int(_lerp(rect.x, inside.x, k)), int(_lerp(rect.y, inside.y, k)), *rect.size)

    def rect_of(self, card: int) -> pygame.Rect | None:
        for c, r in self.flyer_rects():
            if c == card:
                return r
        return None

    def card_at(self, pos) -> int | None:
        """The flying card under a tap: the nearest one whose (slightly forgiving) box holds it."""
        best, best_d = None, None
        for card, rect in self.flyer_rects():
            if self.capture is not None and card == self.capture.card:
                continue
            if rect.inflate(12, 12).collidepoint(pos):
                d = (rect.centerx - pos[0]) ** 2 + (rect.centery - pos[1]) ** 2
                if best_d is None or d < best_d:
                    best, best_d = card, d
        return best

    # -------------------------------------------------------------- shooting

    def handle(self, event) -> None:
        if isinstance(event, Key):
            if event.key in (pygame.K_ESCAPE, pygame.K_p):
                self.pause()
            return
        if self.pause_btn.handle(event):
            return
        if self.voiced and self.reading_view() == "listen" and self.listen_btn.handle(event):
            return
        # Shoot on touch-down: in a race, the moment of the touch is what counts.
        if isinstance(event, Pointer) and event.kind == DOWN and self.field.collidepoint(event.pos):
            self.shoot_at(event.pos)

    def shoot_at(self, pos) -> str:
        """A shot at a point of the field (from a tap or the autoplayer). Returns the rules' verdict."""
        phase = self.game.phase
        if phase not in (rules.AIM, rules.FROZEN):
            return rules.IGNORED
        if phase == rules.FROZEN:
            return rules.IGNORED  # frozen: the launcher shows it is resting; no shot
        self.aim = pos
        card = self.card_at(pos)
        self.shots_fired += 1
        self.app.audio.sfx("shot")
        if card is None:
            self.effects.append(_Shot(self.clock, self._muzzle(), pos, "none"))
            return rules.IGNORED
        rect = self.rect_of(card)
        verdict = self.game.shoot(card, self.clock)
        self.effects.append(_Shot(self.clock, self._muzzle(), pos, verdict))
        arrive = self.clock + SHOT_TIME
        if verdict == rules.HIT:
            self.app.audio.sfx("hit")
            self.capture = _Capture(arrive, card, rect.center, self.card_size)
            self.effects.append(_Confetti(arrive, pos, f"{self.seed}:{self.game.index}:c"))
            points = self.app.fonts.render(f"+{self.game.last_points}てん", 40, theme.GOOD, "bold")
            self.effects.append(_Popup(arrive, (rect.centerx, rect.top - 10), points))
            streak = self.game.streak
            if streak >= 2:
                s = self.app.fonts.render(f"れんぞく {streak}かい！", 30, theme.ACCENT_2, "bold")
                self.effects.append(_Popup(arrive + 0.15, (rect.centerx, rect.top + 30), s, rise=60))
            if streak >= 3:
                self.app.audio.sfx("celebrate")
        elif verdict == rules.MISS:
            self.app.audio.sfx("miss")
            self.missed_card = (card, self.clock)
        return verdict

    def _muzzle(self) -> tuple[float, float]:
        ang = self._aim_angle()
        return (LAUNCHER[0] + math.cos(ang) * 74, LAUNCHER[1] - 18 + math.sin(ang) * 74)

    def _aim_angle(self) -> float:
        dx, dy = self.aim[0] - LAUNCHER[0], self.aim[1] - (LAUNCHER[1] - 18)
        ang = math.atan2(dy, dx)
        # keep the barrel pointing upwards, even for a tap beside the launcher
        return min(-0.25, max(-math.pi + 0.25, ang))

    def autoplay_step(self, dt: float) -> None:
        if self.bot is None:
            self.bot = rules.AutoPlayer(self.seed)
        card = self.bot.target(self.game, self.clock)
        if card is None:
            return
        rect = self.rect_of(card)
        seen = rect.clip(self.field) if rect is not None else None
        if not seen or seen.width * seen.height < 0.6 * rect.width * rect.height:
            return  # a child waits until the card is well in view (the bot asks again next frame)
        ox, oy = self.bot.offset(rect.size)
        self.shoot_at((int(min(max(rect.centerx + ox, seen.left + 4), seen.right - 4)), int(rect.centery + oy)))

    # -------------------------------------------------------------- what the reading panel shows

    def reading_view(self) -> str:
        """"intro", "text", "image", "listen" (voice only), "wait" (text comes soon) or "answer" (timeout)."""
        phase = self.game.phase
        if phase == rules.INTRO:
            return "intro"
        if phase in (rules.REVEAL, rules.DONE):
            return "answer"
        card = self.cards[self.game.turn.answer]
        shown = phase == rules.CAPTURED or rules.reading_visible(
            self.diff, self.clock - self.game.aim_start, self.voiced)
        if not shown:
            return "listen" if self.voiced else "wait"
        return "text" if card.reading else "image"

    # -------------------------------------------------------------- drawing

    def _make_background(self) -> pygame.Surface:
        surf = pygame.Surface(theme.SCREEN_SIZE)
        surf.fill(theme.BG)
        top, bottom = (206, 232, 246), (240, 246, 236)
        for y in range(FIELD.top, FIELD.bottom):
            k = (y - FIELD.top) / FIELD.height
            pygame.draw.line(surf, tuple(int(_lerp(a, b, k)) for a, b in zip(top, bottom)), (0, y), (SCREEN_W, y))
        rng = random.Random(7)
        for _ in range(6):  # a few soft clouds, always in the same places
            cx, cy = rng.randint(60, SCREEN_W - 60), rng.randint(FIELD.top + 30, FIELD.bottom - 60)
            for dx, r in ((-30, 22), (0, 30), (30, 22)):
                pygame.draw.circle(surf, (248, 251, 253), (cx + dx, cy), r)
        pygame.draw.line(surf, theme.CARD_EDGE, (0, FIELD.top), (SCREEN_W, FIELD.top), 2)
        pygame.draw.line(surf, theme.CARD_EDGE, (0, FIELD.bottom), (SCREEN_W, FIELD.bottom), 2)
        return surf.convert() if pygame.display.get_surface() else surf

    def _still_key(self) -> tuple:
        """Everything the still picture (sky, panels, texts, pile) depends on; see _draw_still."""
        game, turn = self.game, self.game.turn
        return (self.pause_btn.look(), self.listen_btn.look(), self.voiced, self.reading_view(), game.index,
                game.turns, game.score, turn.answer if turn is not None else None,
                bool(self.app.settings.get("kana_only")), self._hint(), tuple(self.pile[-3:]), len(self.pile))

    def draw(self, surface: pygame.Surface) -> None:
        # Cards fly every frame, but the sky, the panels and their texts change a few times a round:
        # they are one picture, painted again only when its key changes; the rest is drawn over it.
        frozen = self.game.phase == rules.FROZEN
        surface.blit(self._base(surface.get_size(), frozen), (0, 0))
        self._drawn_frozen = frozen
        self._moved = self._draw_moving(surface)

    def _base(self, size, frozen: bool) -> pygame.Surface:
        """The still picture; during お手つき, veiled once per freeze instead of veiling every frame."""
        still = self._still.get(self._still_key(), size, self._draw_still)
        if not frozen:
            return still

        def paint(surface: pygame.Surface) -> None:
            surface.blit(still, (0, 0))
            surface.blit(self._veil, self.field.topleft)

        return self._veiled.get(self._still_key(), size, paint)

    def repaint(self, surface: pygame.Surface) -> bool:
        """Only what moved: put back the still picture where the last frame drew, then draw again.

        The App calls this when the screen still holds this scene's last frame; the result is the
        same picture as draw() (tests compare them), for a fraction of the copying.
        """
        if self._still.key != self._still_key() or (self.game.phase == rules.FROZEN) != self._drawn_frozen:
            return False  # the still picture itself changed, or the veil came or went: draw everything
        still = self._base(surface.get_size(), self._drawn_frozen)
        for rect in self._moved:
            surface.blit(still, rect, rect)
        self._moved = self._draw_moving(surface)
        return True

    def _draw_moving(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Draw what moves over the still picture; return every rectangle it touched."""
        touched: list[pygame.Rect] = []
        frozen = self.game.phase == rules.FROZEN
        self._draw_cards(surface, touched, veiled=frozen)
        self._draw_timer(surface, touched)
        self._draw_launcher(surface, touched)
        if frozen:
            effects: list[pygame.Rect] = []
            self._draw_effects(surface, effects)
            touched += effects
            self._veil_effects(surface, effects)
            self._draw_otetsuki(surface, touched)
        else:
            self._draw_effects(surface, touched)
        return [r for r in touched if r.width and r.height]

    def _veil_effects(self, surface: pygame.Surface, effects: list[pygame.Rect]) -> None:
        """Effects in the field go under the veil: where they drew, draw that part again unveiled and veil it once."""
        drawn = [r for r in effects if r.width and r.height]
        if not drawn:
            return
        area = drawn[0].unionall(drawn[1:]).clip(self.field)
        if not area.width or not area.height:
            return
        surface.blit(self._still.surface, area, area)
        clip = surface.get_clip()
        surface.set_clip(area)
        scratch: list[pygame.Rect] = []
        self._draw_cards(surface, scratch)
        self._draw_effects(surface, scratch)
        surface.set_clip(clip)
        surface.blit(self._veil, area, area.move(-self.field.left, -self.field.top))

    def _face(self, card: int, veiled: bool) -> pygame.Surface:
        face = self.app.faces.get(self.deck, self.cards[card], "picture", self.card_size)
        if not veiled:
            return face
        key = (card, face.get_size())
        out = self._veiled_faces.get(key)
        if out is None:
            if len(self._veiled_faces) > 24:  # a field holds a dozen cards at most
                self._veiled_faces.clear()
            out = _veiled_copy(face, self._veil)
            self._veiled_faces[key] = out
        return out

    def _draw_still(self, surface: pygame.Surface) -> None:
        surface.blit(self._background, (0, 0))
        self._draw_top(surface)
        if self.image_reading:
            self._draw_reading_column(surface)
        self._draw_bottom(surface)

    def _draw_top(self, surface) -> None:
        fonts = self.app.fonts
        self.pause_btn.draw(surface, fonts)
        panel(surface, READING_PANEL)
        view = self.reading_view()
        area = READING_PANEL.inflate(-24, -12)
        number = f"だい {min(self.game.index + 1, self.game.turns)} もん"
        if view == "intro":
            t = fonts.render(number, 44, theme.INK, "bold")
            surface.blit(t, t.get_rect(center=(area.centerx, area.centery - 18)))
            h = fonts.render("カードが とんでくるよ", 24, theme.INK_SOFT)
            surface.blit(h, h.get_rect(center=(area.centerx, area.centery + 30)))
        elif view == "answer":
            t = fonts.render("じかん ぎれ", 40, theme.INK, "bold")
            surface.blit(t, t.get_rect(center=(area.centerx, area.centery - 16)))
            h = fonts.render("ひかっている カードが こたえだよ", 24, theme.INK_SOFT)
            surface.blit(h, h.get_rect(center=(area.centerx, area.centery + 32)))
        elif view in ("listen", "wait") or (view == "image" and self.image_reading):
            if view == "listen":
                self._draw_speaker(surface, (area.left + 40, area.centery))
            label = {"listen": "よく きいてね", "wait": "もうすぐ よみふだが でるよ"}.get(view, "よみふだを みてね")
            t = fonts.render(label, 36, theme.INK, "bold")
            n = fonts.render(number, 22, theme.INK_SOFT)
            if view == "listen":  # beside the speaker, clear of the listen-again button
                surface.blit(t, t.get_rect(midleft=(area.left + 84, area.centery - 14)))
                surface.blit(n, n.get_rect(midleft=(area.left + 86, area.centery + 30)))
            else:
                surface.blit(t, t.get_rect(center=(area.centerx, area.centery - 14)))
                surface.blit(n, n.get_rect(center=(area.centerx, area.centery + 30)))
            if self.voiced:
                self.listen_btn.draw(surface, fonts)
        elif view == "text":
            text = self._reading_text(area.size)
            surface.blit(text, text.get_rect(center=area.center))
        else:  # an image-only card in a deck that also has text: show the image in the panel
            card = self.cards[self.game.turn.answer]
            img = self.app.faces.get(self.deck, card, "reading", card_size(area.height))
            surface.blit(img, img.get_rect(center=area.center))
        panel(surface, SCORE_PANEL)
        label = fonts.render("とくてん", 20, theme.INK_SOFT, "bold")
        surface.blit(label, label.get_rect(midtop=(SCORE_PANEL.centerx, SCORE_PANEL.top + 8)))
        score = fonts.render(f"{self.game.score}", 44, theme.INK, "bold")
        surface.blit(score, score.get_rect(center=(SCORE_PANEL.centerx, SCORE_PANEL.top + 58)))
        turn = fonts.render(f"{min(self.game.index + 1, self.game.turns)} / {self.game.turns}", 22, theme.INK_SOFT)
        surface.blit(turn, turn.get_rect(midbottom=(SCORE_PANEL.centerx, SCORE_PANEL.bottom - 8)))

    def _reading_text(self, box) -> pygame.Surface:
        card = self.cards[self.game.turn.answer]
        kana_only = bool(self.app.settings.get("kana_only"))
        key = (card.number, kana_only, box)
        surf = self._reading_cache.get(key)
        if surf is None:
            for size in (40, 36, 32, 28, 24, 20):
                surf = self.app.fonts.ruby(card.reading, size, theme.INK, "card", max_width=box[0],
                                           kana_only=kana_only)
                if surf.get_height() <= box[1]:
                    break
            if surf.get_height() > box[1]:
                surf = pygame.transform.smoothscale(surf, fit_within(surf.get_size(), box))
            self._reading_cache = {key: surf}
        return surf

    def _draw_reading_column(self, surface) -> None:
        col = READING_COLUMN
        panel(surface, col, color=theme.PAPER)
        view = self.reading_view()
        turn = self.game.turn
        if turn is not None and view in ("image", "text", "answer"):
            card = self.cards[turn.answer]
            size = card_size(min(col.height - 24, int((col.width - 16) / (52 / 73))))
            img = self.app.faces.get(self.deck, card, "reading", size)
            surface.blit(img, img.get_rect(center=col.center))
        else:
            t = self.app.fonts.render("よみふだ", 26, theme.INK_SOFT, "bold")
            surface.blit(t, t.get_rect(center=(col.centerx, col.centery - 20)))
            if view == "listen":
                self._draw_speaker(surface, (col.centerx, col.centery + 30))

    def _draw_speaker(self, surface, center) -> None:
        x, y = center
        pygame.draw.rect(surface, theme.ACCENT, (x - 22, y - 10, 14, 20))
        pygame.draw.polygon(surface, theme.ACCENT, [(x - 10, y - 10), (x + 6, y - 24), (x + 6, y + 24), (x - 10, y + 10)])
        for r in (14, 24):
            pygame.draw.arc(surface, theme.ACCENT, (x + 6 - r, y - r, 2 * r, 2 * r), -0.9, 0.9, 4)

    def _draw_cards(self, surface, touched: list, veiled: bool = False) -> None:
        turn = self.game.turn
        if turn is None:
            return
        phase = self.game.phase
        answer = turn.answer
        clip = surface.get_clip()
        surface.set_clip(self.field.clip(clip))
        for card, rect in self.flyer_rects():
            if self.capture is not None and card == self.capture.card:
                if self.clock < self.capture.t0:  # the shot is still on its way
                    touched.append(surface.blit(self._face(card, veiled), rect))
                continue
            if phase == rules.CAPTURED and card == answer and self.capture is None:
                continue
            r = rect
            if self.missed_card and self.missed_card[0] == card and self.clock - self.missed_card[1] < 0.5:
                wobble = math.sin((self.clock - self.missed_card[1]) * 40) * 8 * (1 - (self.clock - self.missed_card[1]) / 0.5)
                r = rect.move(int(wobble), 0)
            if phase == rules.REVEAL and card != answer:
                touched.append(surface.blit(self.app.faces.get(self.deck, self.cards[card], "picture",
                                                               self.card_size), r))
                touched.append(surface.blit(self._dim, r))
                continue
            touched.append(surface.blit(self._face(card, veiled), r))
        surface.set_clip(clip)
        if phase == rules.REVEAL:
            rect = self.rect_of(answer)
            if rect is not None:
                pulse = 0.5 + 0.5 * math.sin((self.clock - self.game.phase_since) * 6)
                ring = rect.inflate(14 + int(6 * pulse), 14 + int(6 * pulse))
                touched.append(pygame.draw.rect(surface, theme.WARN, ring, width=7, border_radius=14))
                touched.append(self._draw_answer_note(surface, rect, self.cards[answer]))

    def _draw_answer_note(self, surface, rect: pygame.Rect, card) -> pygame.Rect:
        """One line under (or over) the answer: which card it was."""
        name = card.title_plain if card.title and len(card.title_plain) <= 10 else ""
        line = f"こたえは 「{card.kana}」の カード" + (f"：{name}" if name else "")
        text = self.app.fonts.render(line, 26, theme.INK, "bold")
        box = text.get_rect().inflate(28, 18)
        if rect.bottom + 16 + box.height <= self.field.bottom:
            box.midtop = (rect.centerx, rect.bottom + 16)
        else:
            box.midbottom = (rect.centerx, rect.top - 16)
        box = box.clamp(self.field.inflate(-8, -8))
        panel(surface, box, color=(255, 246, 214), border=theme.WARN, radius=12)
        surface.blit(text, text.get_rect(center=box.center))
        return box.copy()

    def _draw_timer(self, surface, touched: list) -> None:
        """Time left: drawn every frame over the still picture (the answer's ring may reach its track)."""
        game = self.game
        touched.append(pygame.draw.rect(surface, (225, 220, 205), TIMER_BAR, border_radius=7))
        if game.phase in (rules.AIM, rules.FROZEN):
            total = game.deadline - game.aim_start
            share = game.time_left(self.clock) / total if total > 0 else 0
            bar = TIMER_BAR.copy()
            bar.width = max(0, int(bar.width * share))
            colour = theme.GOOD if share > 0.3 else theme.WARN
            if bar.width:
                pygame.draw.rect(surface, colour, bar, border_radius=7)

    def _hint(self) -> str:
        game = self.game
        if game.phase in (rules.AIM, rules.FROZEN) and self.shots_fired == 0 and game.index == 0:
            return "よまれた カードに タッチ！"
        if game.streak >= 2:
            return f"れんぞく {game.streak}かい"
        return ""

    def _draw_bottom(self, surface) -> None:
        """The still part under the field: the hint and the pile of captured cards."""
        fonts = self.app.fonts
        hint = self._hint()
        if hint:
            t = fonts.render(hint, 28, theme.INK, "bold")
            surface.blit(t, t.get_rect(midleft=(TIMER_BAR.left, 712)))
        # the pile of captured cards
        shown = self.pile[-3:]
        for i, number in enumerate(shown):
            img = self.app.faces.get(self.deck, self.cards[number], "picture", PILE_CARD)
            surface.blit(img, (PILE.left + 4 + i * 12, PILE.top + 2 + (len(shown) - 1 - i) * 3))
        if not shown:
            pygame.draw.rect(surface, (225, 220, 205), (PILE.left + 4, PILE.top + 2, *PILE_CARD), width=3,
                             border_radius=8)
        count = fonts.render(f"{len(self.pile)}まい", 26, theme.WHITE, "bold")
        badge = count.get_rect(bottomright=(PILE.right - 2, PILE.bottom + 2)).inflate(16, 6)
        pygame.draw.rect(surface, theme.GOOD, badge, border_radius=14)
        surface.blit(count, count.get_rect(center=badge.center))

    def _draw_launcher(self, surface, touched: list) -> None:
        frozen = self.game.phase == rules.FROZEN
        body = (150, 170, 190) if frozen else theme.ACCENT
        x, y = LAUNCHER
        ang = self._aim_angle()
        base = (x, y - 18)
        ux, uy = math.cos(ang), math.sin(ang)
        px, py = -uy, ux
        half = 13
        tip = (base[0] + ux * 78, base[1] + uy * 78)
        barrel = [(base[0] + px * half, base[1] + py * half), (tip[0] + px * half, tip[1] + py * half),
                  (tip[0] - px * half, tip[1] - py * half), (base[0] - px * half, base[1] - py * half)]
        touched.append(pygame.draw.polygon(surface, theme.BG_DARK, barrel))
        touched.append(pygame.draw.circle(surface, theme.WARN if not frozen else (190, 190, 190),
                                          (int(tip[0]), int(tip[1])), 10))
        touched.append(pygame.draw.circle(surface, body, (x, y + 8), 58))
        pygame.draw.circle(surface, theme.BG_DARK, (x, y + 8), 58, width=4)  # the body's rim: inside its rectangle
        star = [(x + math.cos(-math.pi / 2 + i * math.pi / 5) * (18 if i % 2 == 0 else 8),
                 y - 16 + math.sin(-math.pi / 2 + i * math.pi / 5) * (18 if i % 2 == 0 else 8)) for i in range(10)]
        pygame.draw.polygon(surface, theme.WHITE, star)  # inside the body: no rectangle of its own

    def _draw_effects(self, surface, touched: list) -> None:
        now = self.clock
        for e in self.effects:
            if now < e.t0 and not isinstance(e, _Shot):
                continue
            if isinstance(e, _Shot):
                self._draw_shot(surface, e, now, touched)
            elif isinstance(e, _Confetti):
                t = now - e.t0
                fade = 1 - e.progress(now)
                for vx, vy, colour, size in e.bits:
                    bx = e.pos[0] + vx * t
                    by = e.pos[1] + vy * t + 600 * t * t
                    s = max(2, int(size * (0.4 + 0.6 * fade)))
                    touched.append(pygame.draw.rect(surface, colour, (int(bx), int(by), s, s)))
            elif isinstance(e, _Popup):
                k = e.progress(now)
                pos = (e.pos[0], e.pos[1] - e.rise * _ease(k))
                img = e.surf if k < 0.6 else _alpha_copy(e.surf, 1 - (k - 0.6) / 0.4)
                rect = img.get_rect(center=(int(pos[0]), int(pos[1])))
                touched.append(surface.blit(img, rect.clamp(self.field)))
        cap = self.capture
        if cap is not None and now >= cap.t0:
            k = _ease(cap.progress(now))
            target = (PILE.left + 4 + PILE_CARD[0] // 2 + 12 * min(2, len(self.pile)), PILE.top + 2 + PILE_CARD[1] // 2)
            h = int(_lerp(cap.size[1], PILE_CARD[1], k)) // 4 * 4  # a few sizes only: each is cached
            size = card_size(max(PILE_CARD[1], h))
            img = self.app.faces.get(self.deck, self.cards[cap.card], "picture", size)
            pos = (_lerp(cap.start[0], target[0], k), _lerp(cap.start[1], target[1], k) - math.sin(k * math.pi) * 80)
            glow = img.get_rect(center=(int(pos[0]), int(pos[1]))).inflate(12, 12)
            touched.append(pygame.draw.rect(surface, (255, 236, 150), glow, border_radius=12))
            touched.append(surface.blit(img, img.get_rect(center=(int(pos[0]), int(pos[1])))))

    def _draw_shot(self, surface, shot: _Shot, now: float, touched: list) -> None:
        t = now - shot.t0
        if t < SHOT_TIME:
            k = t / SHOT_TIME
            head = (_lerp(shot.start[0], shot.end[0], k), _lerp(shot.start[1], shot.end[1], k))
            tail_k = max(0.0, k - 0.35)
            tail = (_lerp(shot.start[0], shot.end[0], tail_k), _lerp(shot.start[1], shot.end[1], tail_k))
            touched.append(pygame.draw.line(surface, (255, 214, 90), tail, head, 8))
            touched.append(pygame.draw.circle(surface, theme.WARN, (int(head[0]), int(head[1])), 11))
            pygame.draw.circle(surface, theme.WHITE, (int(head[0]), int(head[1])), 5)
            return
        k = min(1.0, (t - SHOT_TIME) / 0.45)
        x, y = int(shot.end[0]), int(shot.end[1])
        if shot.kind == rules.HIT:
            r = int(20 + 70 * k)
            touched.append(pygame.draw.circle(surface, theme.GOOD, (x, y), r, width=max(2, int(10 * (1 - k)))))
            for i in range(8):
                a = i * math.pi / 4
                inner, outer = 24 + 50 * k, 40 + 70 * k
                touched.append(pygame.draw.line(surface, (240, 200, 40),
                                                (x + math.cos(a) * inner, y + math.sin(a) * inner),
                                                (x + math.cos(a) * outer, y + math.sin(a) * outer),
                                                max(2, int(7 * (1 - k)))))
        else:
            r = int(10 + 26 * k)
            colour = (150, 150, 160) if shot.kind == rules.MISS else (190, 190, 190)
            for i in range(5):
                a = i * 2 * math.pi / 5 + 0.3
                touched.append(pygame.draw.circle(surface, colour, (int(x + math.cos(a) * r), int(y + math.sin(a) * r)),
                                                  max(1, int(8 * (1 - k)))))

    def _draw_otetsuki(self, surface, touched: list) -> None:
        """A kind pause: the field is veiled but every card stays in sight (the child may look for the
        right one meanwhile); a friendly note below, with a ring that empties as the second passes."""
        fonts = self.app.fonts
        box = OTETSUKI_BOX
        touched.append(box.copy())  # the panel, its texts and the emptying ring stay inside it
        panel(surface, box, color=(255, 244, 224), border=theme.WARN, radius=20, width=4)
        t = fonts.render("おてつき！", 36, theme.ACCENT_2, "bold")
        surface.blit(t, t.get_rect(midleft=(box.left + 92, box.top + 30)))
        lost = self.game.last_points
        sub = "すこし まってね" + (f"（{lost}てん）" if lost else "")
        s = fonts.render(sub, 24, theme.INK, "bold")
        surface.blit(s, s.get_rect(midleft=(box.left + 92, box.top + 70)))
        k = min(1.0, (self.clock - self.game.phase_since) / self.diff.penalty_time)
        centre = (box.left + 46, box.centery)
        pygame.draw.circle(surface, (240, 226, 200), centre, 32)
        if k < 1:
            pygame.draw.arc(surface, theme.WARN, (centre[0] - 32, centre[1] - 32, 64, 64),
                            math.pi / 2, math.pi / 2 + 2 * math.pi * (1 - k), 9)


# ====================================================================== pause


class ShootingPauseScene(Scene):
    name = "shooting_pause"
    overlay = True

    def __init__(self, app, round_scene: ShootingRoundScene):
        super().__init__(app)
        self.round = round_scene
        self.resume_btn = Button((312, 300, 400, 110), "つづける", self.resume, color=theme.GOOD, size=44,
                                 name="resume")
        self.quit_btn = Button((312, 450, 400, 100), "やめる", self.quit, color=theme.ACCENT_2, size=38,
                               name="quit")
        self._veil = pygame.Surface(theme.SCREEN_SIZE, pygame.SRCALPHA)
        self._veil.fill((30, 40, 50, 150))

    def resume(self) -> None:
        if self.app.scenes.top is self:
            self.app.scenes.pop()

    def quit(self) -> None:
        self.app.go_title()

    def handle(self, event) -> None:
        if isinstance(event, Key) and event.key in (pygame.K_ESCAPE, pygame.K_p, pygame.K_SPACE):
            self.resume()
            return
        for b in (self.resume_btn, self.quit_btn):
            if b.handle(event):
                return

    def view_key(self):
        return self.resume_btn.look(), self.quit_btn.look()

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self._veil, (0, 0))
        box = pygame.Rect(232, 150, 560, 440)
        panel(surface, box, radius=28, width=4)
        t = self.app.fonts.render("ひとやすみ", 52, theme.INK, "bold")
        surface.blit(t, t.get_rect(center=(box.centerx, box.top + 76)))
        self.resume_btn.draw(surface, self.app.fonts)
        self.quit_btn.draw(surface, self.app.fonts)


# ====================================================================== results


class ShootingResultsScene(Scene):
    name = "shooting_results"

    def __init__(self, app, round_scene: ShootingRoundScene):
        super().__init__(app)
        self.deck = round_scene.deck
        self.round_scene = round_scene
        self.setup = round_scene.setup
        self.difficulty = round_scene.difficulty_key
        self.count = round_scene.count
        self.results = round_scene.game.results()
        store = app.store
        records = store.load(rules.SCORES_KEY, {}, rules.clean_records)
        self.previous_best = rules.best_score(records, self.deck.id, self.difficulty, self.count)
        records, self.new_best = rules.record_best(records, self.deck.id, self.difficulty, self.count, self.results)
        if self.new_best:
            store.save(rules.SCORES_KEY, records)
        self.again_btn = Button((300, 672, 320, 84), "もういちど", self.again, color=theme.GOOD, size=36,
                                name="again")
        self.title_btn = Button((660, 672, 320, 84), "おわる", app.go_title, color=theme.BG_DARK, size=34,
                                name="title")
        self.thumb, self.cols = self._thumb_layout(len(self.results.captured))
        self._played = False

    GRID = pygame.Rect(440, HEADER_H + 150, 560, 400)

    def _thumb_layout(self, n: int) -> tuple[tuple[int, int], int]:
        gap = 8
        for h in range(150, 40, -4):
            w, _ = card_size(h)
            cols = (self.GRID.width + gap) // (w + gap)
            rows = (self.GRID.height + gap) // (h + gap)
            if cols * rows >= max(1, n):
                return (w, h), cols
        return card_size(40), max(1, self.GRID.width // 36)

    def thumb_rects(self) -> list[pygame.Rect]:
        (w, h), cols = self.thumb, self.cols
        out = []
        for i in range(len(self.results.captured)):
            r, c = divmod(i, cols)
            out.append(pygame.Rect(self.GRID.left + c * (w + 8), self.GRID.top + r * (h + 8), w, h))
        return out

    def enter(self) -> None:
        if not self._played:
            self._played = True
            if self.new_best or len(self.results.captured) * 2 >= self.results.turns:
                self.app.audio.sfx("celebrate")

    def view_key(self):
        return self.again_btn.look(), self.title_btn.look()

    def again(self) -> None:
        setup = self.setup
        if setup is not None:
            seed = setup.round_seed()
            setup.rounds += 1
        else:
            seed = f"{self.round_scene.seed}-again"
        self.app.scenes.replace(ShootingRoundScene(self.app, self.difficulty, self.count, seed, setup=setup))

    def handle(self, event) -> None:
        if isinstance(event, Key) and event.key == pygame.K_ESCAPE:
            self.app.go_title()
            return
        for b in (self.again_btn, self.title_btn):
            if b.handle(event):
                return

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        r = self.results
        diff = rules.DIFFICULTIES[self.difficulty]
        draw_header(surface, fonts, "けっか", self.deck.name)
        tag = fonts.render(f"{diff.label}・{r.turns}まい", 26, theme.INK_SOFT, "bold")
        surface.blit(tag, tag.get_rect(midright=(SCREEN_W - 24, HEADER_H // 2)))
        # score
        score_box = pygame.Rect(24, HEADER_H + 16, 392, 176)
        panel(surface, score_box)
        label = fonts.render("とくてん", 26, theme.INK_SOFT, "bold")
        surface.blit(label, label.get_rect(midtop=(score_box.centerx, score_box.top + 10)))
        score = fonts.render(f"{r.score}てん", 60, theme.INK, "bold")
        surface.blit(score, score.get_rect(center=(score_box.centerx, score_box.top + 84)))
        if self.new_best:
            best = fonts.render("さいこう きろく！", 28, theme.ACCENT_2, "bold")
        elif self.previous_best is not None:
            best = fonts.render(f"さいこう きろくは {self.previous_best}てん", 22, theme.INK_SOFT, "bold")
        else:
            best = None
        if best is not None:
            surface.blit(best, best.get_rect(midbottom=(score_box.centerx, score_box.bottom - 12)))
        # numbers, one per line: what it is on the left, the value on the right
        stats_box = pygame.Rect(24, score_box.bottom + 16, 392, 324)
        panel(surface, stats_box)
        avg = r.average_reaction
        rows = [
            ("とれた カード", f"{len(r.captured)} / {r.turns}まい"),
            ("おてつき", f"{r.misses}かい"),
            ("はやさ（へいきん）", f"{avg:.1f}びょう" if avg is not None else "ー"),
            ("れんぞく（さいこう）", f"{r.best_streak}かい"),
            ("じかん ぎれ", f"{r.timeouts}かい"),
        ]
        y = stats_box.top + 12
        for i, (name, value) in enumerate(rows):
            if i:
                pygame.draw.line(surface, (230, 222, 204), (stats_box.left + 16, y), (stats_box.right - 16, y), 2)
            n = fonts.render(name, 24, theme.INK_SOFT, "bold")
            v = fonts.render(value, 32, theme.INK, "bold")
            surface.blit(n, n.get_rect(midleft=(stats_box.left + 20, y + 30)))
            surface.blit(v, v.get_rect(midright=(stats_box.right - 20, y + 30)))
            y += 60
        # captured cards
        head = fonts.render("とった カード", 28, theme.INK, "bold")
        surface.blit(head, head.get_rect(bottomleft=(self.GRID.left, self.GRID.top - 10)))
        if r.captured:
            for rect, number in zip(self.thumb_rects(), r.captured):
                card = self.deck.card(number)
                if card is not None:
                    surface.blit(self.app.faces.get(self.deck, card, "picture", rect.size), rect)
        else:
            msg = fonts.render("こんどは きっと とれるよ！", 30, theme.INK_SOFT, "bold")
            surface.blit(msg, msg.get_rect(center=(self.GRID.centerx, self.GRID.top + 80)))
        self.again_btn.draw(surface, fonts)
        self.title_btn.draw(surface, fonts)


SCENES = {"shooting": ShootingSetupScene, "shooting_round": ShootingRoundScene}
MODES = [registry.ModeInfo("shooting", "シューティング", theme.ACCENT_2, order=10)]
