"""The round: the shared field, each player's band, touches decided by time."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.faces import CARD_RATIO, card_size
from ...app.input import DOWN, MOVE, UP, Key, Pointer
from ...app.layers import Layer
from ...app.scene import Scene
from ...app.ui import Button, ButtonsView
from ...engine import match as mt
from ...engine import reading as rd
from ...engine.shuffle import shuffled
from ..common.confirm import ConfirmScene
from ..common.cues import CueReader, reading_rules
from ..common.teams import team_colour, team_name
from .geometry import ANGLE, BAND, CARD_GAP, band_rects, field_rect, grid_for, owner_at, seats_for
from .config import FAULT_SECONDS, REVEAL, WAIT, PlayConfig
from .end import OnscreenEndScene


@dataclass(frozen=True)
class TableStill:
    """The table's picture: its key in the Layer and the only input of _draw_table."""

    field: tuple            # the card numbers still on the table
    reveal: int | None      # a missed card shown where it lay


@dataclass(frozen=True)
class HudStill:
    """One player's band: its cache key and the only input of _draw_hud."""

    score: int
    recent: tuple           # the last three cards taken
    message: str            # a short flash (お手つき, とった!) in place of the reading
    shown: str              # the reading as far as it has been spoken
    sitting: bool           # sitting this card out
    timer: str              # the practice clock (one player)
    image_only: bool        # the card has no reading text: its printed reading card is shown
    number: int             # that card's number (0 otherwise)


@dataclass(frozen=True)
class PlayStill:
    """The whole screen between takes (the view key then); a flying card moves every frame."""

    table: TableStill
    huds: tuple             # per player: HudStill
    menu: ButtonsView


class OnscreenPlayScene(Scene):
    name = "onscreen_play"

    def __init__(self, app, config: PlayConfig):
        super().__init__(app)
        self.config = config
        self.deck = app.deck
        self.seats = seats_for(config.players)
        seed = config.seed
        cards = shuffled(self.deck.cards, f"{seed}:onscreen")[: config.cards]
        self.by_number = {c.number: c for c in cards}
        self.layout_order = shuffled(cards, f"{seed}:field")
        order = shuffled(cards, f"{seed}:order")
        rules = reading_rules(app.settings, read_twice=bool(app.settings.get("read_twice")), auto_advance=WAIT,
                              lead_in=2.0)
        self.tl = rd.Timeline(order, rules, duration_of=lambda c: app.voice.duration(self.deck, c),
                              kana_of=lambda c: c.reading_kana)
        self.reader = CueReader(app, self.deck, self.tl, prepare_at=rd.SAY)
        names = [team_name(i) for i in range(config.players)]
        self.solo = config.players == 1
        self.match = mt.Match(names, [c.number for c in order], penalty=mt.NONE if self.solo else config.penalty,
                              lockout=not self.solo)
        self.fault_time = 0.0                               # practice: seconds added for お手つき
        self.bands = band_rects(app.size, self.seats)
        self.field = field_rect(app.size, self.seats)
        self._place_cards()
        self.pointers: dict[int, tuple[int, bool]] = {}   # pointer id -> (player, used)
        self._touches: list[mt.Touch] = []
        self.flash: dict[int, tuple[str, float]] = {}     # player -> (message, until)
        self.reveal: tuple[int, float] | None = None       # a missed card shown where it lay
        self.flying: list[tuple[int, int, float]] = []     # (card, player, start time)
        self.card_started = 0.0
        self.clock: list[float] = []                        # practice: seconds per card
        self.end_t: float | None = None
        self._hud_cache: dict[int, tuple[tuple, pygame.Surface]] = {}
        self._face_cache: dict[tuple, pygame.Surface] = {}
        self._table = Layer()
        self._moved: list[pygame.Rect] = []              # where cards flew in the last frame (see repaint)
        self._shown_huds: dict[int, pygame.Surface] = {}  # the HUD each band shows now
        self._shown_menu: tuple | None = None
        self.menu = Button((8, app.size[1] - BAND + 20, 72, 72), "||", self._ask_quit, color=theme.BG_DARK,
                           size=26, name="menu")
        self._rng = random.Random(f"{seed}:players")
        self._plan: list[tuple[float, int, int]] = []
        self._auto_since = 0.0
        self.tl.start()

    # -- layout

    def _place_cards(self) -> None:
        n = len(self.layout_order)
        upright = all(s in ("top", "bottom") for s in self.seats)
        cols, rows, h = grid_for(n, self.field, upright)
        self.card_h = h
        cell_w, cell_h = self.field.width / cols, self.field.height / rows
        # Centre a last, shorter row so the gaps stay even.
        self.spots: dict[int, tuple[pygame.Rect, int]] = {}
        for i, card in enumerate(self.layout_order):
            r, c = divmod(i, cols)
            in_row = min(cols, n - r * cols)
            x_off = (cols - in_row) * cell_w / 2
            cx = self.field.left + x_off + (c + 0.5) * cell_w
            cy = self.field.top + (r + 0.5) * cell_h
            owner = owner_at((cx, cy), self.app.size, self.seats)
            angle = ANGLE[self.seats[owner]]
            w, hh = card_size(h)
            if angle in (90, -90):
                w, hh = hh, w
            rect = pygame.Rect(0, 0, w, hh)
            rect.center = (int(cx), int(cy))
            self.spots[card.number] = (rect, angle)

    def card_at(self, pos) -> int | None:
        for number, (rect, _) in self.spots.items():
            if number in self.match.field and rect.inflate(CARD_GAP - 2, CARD_GAP - 2).collidepoint(pos):
                return number
        return None

    def face(self, number: int, angle: int, h: int) -> pygame.Surface:
        key = (number, angle, h)
        surf = self._face_cache.get(key)
        if surf is None:
            surf = self.app.faces.get(self.deck, self.by_number[number], "picture", card_size(h))
            if angle:
                surf = pygame.transform.rotate(surf, angle)
            self._face_cache[key] = surf
        return surf

    # -- input

    def handle(self, event) -> None:
        if self.menu.handle(event):
            return
        if isinstance(event, Key):
            if event.key == pygame.K_ESCAPE:
                self._ask_quit()
            return
        if not isinstance(event, Pointer):
            return
        if event.kind == DOWN:
            player = owner_at(event.pos, self.app.size, self.seats)
            # A finger already down before the card opened may not slide onto it: lift and touch again.
            self.pointers[event.id] = (player, not self.match.open)
            self._try(event)
        elif event.kind == MOVE:
            self._try(event)
        elif event.kind == UP:
            self.pointers.pop(event.id, None)

    def _try(self, event: Pointer) -> None:
        entry = self.pointers.get(event.id)
        if entry is None or entry[1]:
            return
        number = self.card_at(event.pos)
        if number is None:
            return
        self.pointers[event.id] = (entry[0], True)   # one try per touch
        self._touches.append(mt.Touch(entry[0], number, event.time))

    def _resolve(self) -> None:
        if not self._touches:
            return
        touches, self._touches = self._touches, []
        for out in self.match.resolve(touches):
            if out.kind == mt.TAKE:
                self._flash(out.side, "とった！")
                self.clock.append(self.app.time - self.card_started)
                self.flying.append((out.card, out.side, self.app.time))
                self.app.audio.sfx("hit")
                self.tl.card_taken()
            elif out.kind == mt.FAULT:
                msg = "おてつき！"
                if self.solo:
                    self.fault_time += FAULT_SECONDS
                    msg += f" ＋{FAULT_SECONDS:.0f}びょう"
                elif out.lost is not None:
                    msg += " 1まい かえす"
                elif self.match.penalty == mt.SIT_OUT:
                    msg += " つぎは やすみ"
                self._flash(out.side, msg)
                self.app.audio.sfx("miss")
            elif out.kind == mt.LOCKED:
                self._flash(out.side, "いまは やすみ")
            elif out.kind == mt.LATE:
                self._flash(out.side, "おしい！")

    def _flash(self, player: int, message: str, seconds: float = 1.4) -> None:
        self.flash[player] = (message, self.app.time + seconds)

    def _ask_quit(self) -> None:
        self.tl.pause()
        self._sync()
        self.app.scenes.push(ConfirmScene(self.app, "ゲームを やめますか？", "やめる", self._quit, "つづける",
                                          self.tl.resume))

    def _quit(self) -> None:
        self.app.voice.stop()
        self.app.scenes.replace(self._end_screen(finished=False))

    # -- time

    def update(self, dt: float) -> None:
        self._resolve()
        self.tl.update(dt, speaking=self.app.voice.busy())
        self._sync()
        self.flying = [f for f in self.flying if self.app.time - f[2] < 0.5]
        if self.reveal is not None and self.app.time > self.reveal[1]:
            self.reveal = None
        if self.end_t is not None:
            self.end_t += dt
            if self.end_t > 1.2:
                self.app.scenes.replace(self._end_screen(finished=True))

    def _sync(self) -> None:
        for cue in self.reader.take():
            if cue.kind == rd.BEGIN:
                self.match.call(cue.card.number, self.app.time)
                self.card_started = self.app.time
                self._plan = []
                for p in self.match.sitting_out:
                    self._flash(p, "この カードは やすみ", 2.0)
            elif cue.kind == rd.TIMEOUT:
                if self.match.miss(cue.card.number):
                    self.clock.append(self.app.time - self.card_started)
                    self.reveal = (cue.card.number, self.app.time + REVEAL)
            elif cue.kind == rd.UNREAD:
                self.match.undo(cue.card.number)
            elif cue.kind == rd.END:
                self.match.close()
                if self.end_t is None:
                    self.end_t = 0.0
                    self.app.audio.sfx("celebrate")

    # -- autoplay: children at the screen

    def autoplay_step(self, dt: float) -> None:
        if not self.match.open:
            self._auto_since = 0.0
            return
        if not self._plan:
            self._plan = self._make_plan()
        self._auto_since += dt
        while self._plan and self._plan[0][0] <= self._auto_since:
            _, player, number = self._plan.pop(0)
            self._auto_touch(player, number)

    def _make_plan(self) -> list[tuple[float, int, int]]:
        target = self.match.target
        plan = []
        for p in range(self.config.players):
            if p in self.match.locked:
                continue
            at = self._rng.uniform(0.9, 2.6)
            card = target
            others = [n for n in self.match.field if n != target]
            if others and self._rng.random() < 0.12:
                card = self._rng.choice(others)   # a hasty child touches the wrong card, then the right one
                plan.append((at + 0.6, p, target))
            plan.append((at, p, card))
        plan.sort()
        plan.append((WAIT + 60.0, -1, -1))   # keeps the plan from being remade for this card
        return plan

    def _auto_touch(self, player: int, number: int) -> None:
        if player < 0 or number not in self.spots:
            return
        target = self.spots[number][0].center
        pid = 100 + player
        now = self.app.time
        if owner_at(target, self.app.size, self.seats) == player:
            self.handle(Pointer(DOWN, target, pid, now, target))
        else:
            home = self.bands[self.seats[player]].center
            self.handle(Pointer(DOWN, home, pid, now, home))
            self.handle(Pointer(MOVE, target, pid, now, home))
        self.handle(Pointer(UP, target, pid, now, target))

    # -- drawing

    def still(self) -> PlayStill:
        table = TableStill(tuple(self.match.field), self.reveal[0] if self.reveal is not None else None)
        return PlayStill(table, tuple(self._hud_state(p) for p in range(len(self.seats))), ButtonsView.of(self.menu))

    def view_key(self):
        # Between takes the table stands still but for the reading text and the practice clock,
        # which are part of the HUD states; a card flying to its taker moves every frame.
        if self.flying:
            return None
        return self.still()

    def _table_picture(self, table: TableStill, size) -> pygame.Surface:
        # the table and its cards are one picture, painted again only when a card leaves or is revealed
        return self._table.get(table, size, lambda surface: self._draw_table(surface, table))

    def draw(self, surface: pygame.Surface) -> None:
        v = self.still()
        surface.blit(self._table_picture(v.table, surface.get_size()), (0, 0))
        self._moved = self._draw_flying(surface)
        for player, seat in enumerate(self.seats):
            band = self.bands[seat]
            hud = self._hud(player, band, v.huds[player])
            surface.blit(hud, band)
            self._shown_huds[player] = hud
        v.menu.draw(surface, self.app.fonts)
        self._shown_menu = v.menu

    def repaint(self, surface: pygame.Surface) -> bool:
        """Redraw only what changed: the flying cards' trails and the bands whose HUD changed.

        The bands and the menu are opaque and drawn last, so a band put back whole covers any
        card that flew under it; the menu is drawn again over its band.
        """
        v = self.still()
        if self._table.key != v.table or self._shown_menu != v.menu:
            return False
        table = self._table.surface
        for rect in self._moved:
            surface.blit(table, rect, rect)
        touched = self._moved
        self._moved = self._draw_flying(surface)
        touched = touched + self._moved
        for player, seat in enumerate(self.seats):
            band = self.bands[seat]
            hud = self._hud(player, band, v.huds[player])
            if hud is not self._shown_huds.get(player) or band.collidelist(touched) != -1:
                surface.blit(hud, band)
                self._shown_huds[player] = hud
                if band.colliderect(self.menu.rect):
                    v.menu.draw(surface, self.app.fonts)
        return True

    def _draw_flying(self, surface: pygame.Surface) -> list[pygame.Rect]:
        drawn = []
        for number, player, t0 in self.flying:
            rect, angle = self.spots[number]
            k = min(1.0, (self.app.time - t0) / 0.5)
            end = self.bands[self.seats[player]].center
            pos = (rect.centerx + (end[0] - rect.centerx) * k, rect.centery + (end[1] - rect.centery) * k)
            img = self.face(number, angle, self.card_h)
            scaled = pygame.transform.smoothscale(img, (max(1, int(img.get_width() * (1 - 0.5 * k))),
                                                        max(1, int(img.get_height() * (1 - 0.5 * k)))))
            drawn.append(surface.blit(scaled, scaled.get_rect(center=(int(pos[0]), int(pos[1])))))
        return drawn

    def _draw_table(self, surface: pygame.Surface, table: TableStill) -> None:
        surface.fill(theme.BG)
        pygame.draw.rect(surface, (232, 222, 200), self.field.inflate(12, 12), border_radius=18)
        for number, (rect, angle) in self.spots.items():
            if number in table.field:
                surface.blit(self.face(number, angle, self.card_h), rect)
        if table.reveal is not None:
            number = table.reveal
            rect, angle = self.spots[number]
            img = self.face(number, angle, self.card_h).copy()
            img.set_alpha(170)
            surface.blit(img, rect)
            pygame.draw.rect(surface, theme.ACCENT_2, rect.inflate(10, 10), width=5, border_radius=10)
            msg = self.app.fonts.render("ここ だったよ", 24, theme.WHITE, "bold")
            box = msg.get_rect(midtop=(rect.centerx, rect.bottom + 8)).inflate(16, 8)
            box.clamp_ip(self.field)
            pygame.draw.rect(surface, theme.ACCENT_2, box, border_radius=10)
            surface.blit(msg, msg.get_rect(center=box.center))

    def _hud_state(self, player: int) -> HudStill:
        side = self.match.sides[player]
        message = ""
        flash = self.flash.get(player)
        if flash and flash[1] > self.app.time:
            message = flash[0]
        card = self.tl.current
        shown = ""
        if card is not None and self.tl.phase in (rd.READING, rd.BETWEEN, rd.WAITING):
            text = card.reading_kana
            if self.tl.phase == rd.READING and self.tl.pass_no == 1:
                # Reveal the reading as it is spoken, so that listening stays the game.
                text = text[: math.ceil(len(text) * self.tl.reading_progress)]
            shown = text
        elif self.tl.phase == rd.LEAD:
            shown = "よーい…"
        sitting = player in self.match.sitting_out and self.match.open
        timer = ""
        if self.config.players == 1:
            total = self.elapsed_total()
            timer = f"{total:.1f}"
        image_only = bool(card is not None and not card.reading and shown == "")
        return HudStill(side.score, tuple(side.taken[-3:]), message, shown, sitting, timer, image_only,
                        card.number if image_only else 0)

    def elapsed_total(self) -> float:
        """Practice clock: time from each card's start to its take (or miss), plus お手つき seconds."""
        running = self.app.time - self.card_started if self.match.open else 0.0
        return sum(self.clock) + running + self.fault_time

    def _hud(self, player: int, band: pygame.Rect, state: HudStill) -> pygame.Surface:
        cached = self._hud_cache.get(player)
        if cached is not None and cached[0] == state:
            return cached[1]
        seat = self.seats[player]
        length = band.width if seat in ("top", "bottom") else band.height
        surf = self._draw_hud(player, state, length)
        angle = ANGLE[seat]
        if angle == 180:
            surf = pygame.transform.flip(surf, True, True)  # the same pixels as a half turn, several times faster
        elif angle:
            surf = pygame.transform.rotate(surf, angle)
        self._hud_cache[player] = (state, surf)
        return surf

    def _draw_hud(self, player: int, state: HudStill, length: int) -> pygame.Surface:
        fonts = self.app.fonts
        score, recent, message, shown = state.score, state.recent, state.message, state.shown
        sitting, timer, image_only, number = state.sitting, state.timer, state.image_only, state.number
        colour = team_colour(player)
        # Opaque: the band is painted edge to edge in solid colours, so it blits as a plain copy.
        surf = pygame.Surface((length, BAND))
        pygame.draw.rect(surf, _mix(colour, theme.BG, 0.78), (0, 0, length, BAND))
        pygame.draw.rect(surf, colour, (0, 0, length, 8))
        # name and score (the bottom player's menu button sits at the far left)
        x = 88 if player == 0 else 12
        name_w = 128
        box = pygame.Rect(x, 16, name_w, BAND - 28)
        pygame.draw.rect(surf, colour, box, border_radius=14)
        n = fonts.render(team_name(player), 24, theme.WHITE, "bold")
        surf.blit(n, n.get_rect(midtop=(box.centerx, box.top + 6)))
        s = fonts.render(f"{score}まい", 32, theme.WHITE, "bold")
        surf.blit(s, s.get_rect(midbottom=(box.centerx, box.bottom - 4)))
        # taken cards, facing their owner
        right_w = 150 if length > 600 else 96
        rx = length - right_w - 8
        if timer:
            t = fonts.render(f"{timer}びょう", 28, theme.INK, "bold")
            surf.blit(t, t.get_rect(midright=(length - 14, BAND // 2 + 4)))
        else:
            th = BAND - 30
            tw = int(th * CARD_RATIO)
            for i, num in enumerate(recent):
                card = self.by_number.get(num)
                if card is not None:
                    img = self.app.faces.get(self.deck, card, "picture", (tw, th))
                    surf.blit(img, (rx + i * (tw // 3 + 4), 18))
        # the reading, big enough to read from the edge of the table
        mid = pygame.Rect(box.right + 14, 12, rx - box.right - 24, BAND - 20)
        if message:
            pass  # a short message (お手つき, とった!) stands in for the reading: never text on text
        elif sitting:
            t = fonts.render("この カードは やすみ", 28, theme.INK_SOFT, "bold")
            surf.blit(t, t.get_rect(center=mid.center))
        elif image_only and number in self.by_number:
            size = card_size(BAND - 16)
            img = self.app.faces.get(self.deck, self.by_number[number], "reading", size)
            surf.blit(img, img.get_rect(center=mid.center))
        elif shown:
            size = 32 if mid.width > 500 else 24
            text = fonts.paragraph(shown, size, mid.width, theme.INK, "card", line_height=1.25)
            while text.get_height() > mid.height and size > 16:
                size -= 2
                text = fonts.paragraph(shown, size, mid.width, theme.INK, "card", line_height=1.25)
            surf.blit(text, text.get_rect(midleft=(mid.left, mid.centery)))
        if message:
            m = fonts.render(message, 30, theme.WHITE, "bold")
            mbox = m.get_rect(center=(mid.centerx, BAND // 2)).inflate(28, 14)
            mbox.clamp_ip(mid.inflate(20, 16))
            pygame.draw.rect(surf, theme.ACCENT_2 if "おてつき" in message else theme.INK, mbox, border_radius=14)
            surf.blit(m, m.get_rect(center=mbox.center))
        return surf

    def _end_screen(self, finished: bool) -> OnscreenEndScene:
        """The end screen gets this round's results as values (it never changes this scene)."""
        return OnscreenEndScene(self.app, self.config, self.deck, self.match, self.elapsed_total(), finished)


def _mix(a, b, k: float):
    return tuple(int(a[i] * (1 - k) + b[i] * k) for i in range(3))
