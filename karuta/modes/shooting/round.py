"""The round: cards fly, the card is read, a tap shoots; the still parts are one cached picture."""

from __future__ import annotations

import math
from typing import Callable

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.input import DOWN, Key, Pointer
from ...app.layers import Layer
from ...app.scene import Scene
from ...app.ui import Button, ButtonsView, panel
from ...engine import shooting as rules
from ...engine.flights import Flight, flight_plan, flight_pos
from ..common.confetti import Confetti, Effect
from .effects import SHOT_TIME, Capture, Popup, Shot, ease, lerp
from .geometry import FIELD, LAUNCHER, OTETSUKI_BOX, READING_COLUMN, READING_PANEL, TIMER_BAR
from .pause import ShootingPauseScene
from .results import ShootingResultsScene
from .still import RoundStill, RoundStillPicture


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


def round_seed(app_seed, round_no: int):
    """The first round replays exactly with --seed; later rounds differ but stay reproducible."""
    return app_seed if round_no == 0 else f"{app_seed}-{round_no}"


class ShootingRoundScene(RoundStillPicture, Scene):
    name = "shooting_round"

    def __init__(self, app, difficulty: str = rules.DEFAULT_DIFFICULTY, count: int = rules.DEFAULT_COUNT,
                 seed=None, round_no: int | None = None):
        super().__init__(app)
        self.deck = app.deck
        self.round_no = round_no  # rounds started from the setup count up (see round_seed); None = started alone
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
        self.flights: list[Flight] = []
        self.voiced = False
        self.effects: list[Effect] = []
        self.capture: Capture | None = None
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
        self.flights = flight_plan(turn.flyers, tuple(self.field), self.card_size, self.diff.speed,
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
            self.app.scenes.replace(ShootingResultsScene(self.app, self.deck, self.difficulty_key, self.count, self.game,
                                                           self.seed, self.round_no))

    def _say(self) -> None:
        turn = self.game.turn
        if turn is not None:
            self.voiced = bool(self.app.voice.say(self.deck, self.cards[turn.answer]))

    def listen_again(self) -> None:
        if self.game.phase in (rules.AIM, rules.FROZEN):
            self._say()

    # -------------------------------------------------------------- pause

    def pause(self) -> None:
        self.app.scenes.push(ShootingPauseScene(self.app))

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
            x, y = flight_pos(f, t, tuple(self.field), w)
            out.append((f.card, pygame.Rect(int(round(x - w / 2)), int(round(y - h / 2)), w, h)))
        if self.game.phase == rules.REVEAL and self.game.turn is not None:
            out = [(c, self._reveal_rect(r) if c == self.game.turn.answer else r) for c, r in out]
        return out

    def _reveal_rect(self, rect: pygame.Rect) -> pygame.Rect:
        """The answer glides fully into view when it was half off the edge."""
        inside = rect.clamp(self.field.inflate(-24, -24))  # room for the highlight ring
        k = ease((self.clock - self.game.phase_since) / 0.4)
        return pygame.Rect(int(lerp(rect.x, inside.x, k)), int(lerp(rect.y, inside.y, k)), *rect.size)

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
            self.effects.append(Shot(self.clock, self._muzzle(), pos, "none"))
            return rules.IGNORED
        rect = self.rect_of(card)
        verdict = self.game.shoot(card, self.clock)
        self.effects.append(Shot(self.clock, self._muzzle(), pos, verdict))
        arrive = self.clock + SHOT_TIME
        if verdict == rules.HIT:
            self.app.audio.sfx("hit")
            self.capture = Capture(arrive, card, rect.center, self.card_size, self._picture(card), self.pile)
            self.effects.append(Confetti.burst(arrive, pos, f"{self.seed}:{self.game.index}:c"))
            points = self.app.fonts.render(f"+{self.game.last_points}てん", 40, theme.GOOD, "bold")
            self.effects.append(Popup(arrive, (rect.centerx, rect.top - 10), points, self.field))
            streak = self.game.streak
            if streak >= 2:
                s = self.app.fonts.render(f"れんぞく {streak}かい！", 30, theme.ACCENT_2, "bold")
                self.effects.append(Popup(arrive + 0.15, (rect.centerx, rect.top + 30), s, self.field, rise=60))
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

    def _still_key(self) -> RoundStill:
        """Everything the still picture (sky, panels, texts, pile) shows: its key and _draw_still's only input."""
        game, turn = self.game, self.game.turn
        return RoundStill(ButtonsView.of(self.pause_btn), ButtonsView.of(self.listen_btn) if self.voiced else None,
                          self.reading_view(), game.index, game.turns, game.score,
                          turn.answer if turn is not None else None, bool(self.app.settings.get("kana_only")),
                          self._hint(), tuple(self.pile[-3:]), len(self.pile))

    def draw(self, surface: pygame.Surface) -> None:
        # Cards fly every frame, but the sky, the panels and their texts change a few times a round:
        # they are one picture, painted again only when its key changes; the rest is drawn over it.
        frozen = self.game.phase == rules.FROZEN
        surface.blit(self._base(surface.get_size(), frozen), (0, 0))
        self._drawn_frozen = frozen
        self._moved = self._draw_moving(surface)

    def _base(self, size, frozen: bool) -> pygame.Surface:
        """The still picture; during お手つき, veiled once per freeze instead of veiling every frame."""
        view = self._still_key()
        still = self._still.get(view, size, lambda surface: self._draw_still(surface, view))
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

    def _picture(self, card: int) -> Callable[[tuple[int, int]], pygame.Surface]:
        """The card's picture at a size (for the capture's flight)."""
        return lambda size: self.app.faces.get(self.deck, self.cards[card], "picture", size)

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
            if e.visible(now):
                touched += e.draw(surface, now)
        if self.capture is not None and self.capture.visible(now):
            touched += self.capture.draw(surface, now)

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
