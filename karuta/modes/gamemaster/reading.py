"""The reader at work: the card big, the controls, the history and the team scoreboard."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.input import Key
from ...app.layers import Layer
from ...app.scene import Scene
from ...app.ui import Button, ButtonsView, fit_within, panel
from ...engine import match as mt
from ...engine import reading as rd
from ...engine.deck import Deck
from ..common import HEADER_H
from ..common.confirm import ConfirmScene
from ..common.cues import CueReader
from ..common.teams import team_colour, team_name
from .session import Session
from .ranking import RankingScene


@dataclass(frozen=True)
class ReadingStill:
    """Everything the reading screen shows but the two moving bars: the key of its still picture and
    the only input of the drawing that paints it (so what is compared and what is drawn cannot drift)."""

    deck: Deck = field(hash=False)  # compared as the same object first (tuple equality), so cheaply
    seed: int
    quit: ButtonsView               # labels are set in update/handle (see _update_labels)
    controls: ButtonsView           # もどる, もういちど, とめる, つぎ
    opening: bool               # the card being read is the 空読み
    read_count: int
    total: int
    left: int
    voice_ok: bool | None
    status: tuple[str, tuple]   # the chip's text and colour
    last_event: str
    card: int | None            # the card being read (its number)
    phase: str
    paused: bool
    countdown: int | None       # whole seconds left, when auto-advancing
    sides: tuple                # per team: (its two buttons, the take button's rect, sitting out now,
                                #            sitting out next, faults); empty without teams
    history: tuple              # the cards read: (number, team that took it or None, missed)
    kana_only: bool
    card_area: tuple            # where the card is shown (narrower beside a scoreboard)
    paused_bars: tuple          # paused, the bars stand still and lie in this picture: (colour, rect, radius)


class ReadingScene(Scene):
    """The reader at work: the card big, the controls, the history, and the team scoreboard."""

    name = "reading"
    HISTORY_THUMB = card_size(124)

    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        self.tl = session.timeline
        self.match = session.match
        self.reader = CueReader(app, session.deck, self.tl)
        self.end_t: float | None = None
        self.last_event = ""
        self._rng = random.Random(f"{session.config.seed}:facilitator")
        self._auto_plan: tuple[float, str, int] | None = None
        self._auto_elapsed = 0.0
        self.quit_btn = Button((12, 10, 140, 64), "やめる", self._ask_quit, color=theme.BG_DARK, size=26, name="quit")
        y = 484
        self.back_btn = Button((16, y, 170, 88), "もどる", self._back, color=theme.BG_DARK, size=28, name="back")
        self.repeat_btn = Button((198, y, 220, 88), "もういちど", self._repeat, color=theme.GOOD, size=28,
                                 name="repeat")
        self.pause_btn = Button((430, y, 190, 88), "とめる", self._pause, color=theme.WARN, size=28, name="pause")
        self.next_btn = Button((632, y, 376, 88), "つぎ", self._next, color=theme.ACCENT_2, size=40, name="next")
        self._layer = Layer()
        self.team_btns: list[Button] = []
        self.fault_btns: list[Button] = []
        for i in range(session.config.teams):
            ty = HEADER_H + 36 + i * 86
            self.team_btns.append(Button((680, ty, 210, 76), team_name(i), self._taker(i), color=team_colour(i),
                                         size=26, name=f"take:{i}"))
            self.fault_btns.append(Button((900, ty, 108, 76), "おてつき", self._faulter(i), color=(120, 120, 120),
                                          size=20, name=f"fault:{i}"))
        self.tl.start()
        self._update_labels()

    # -- geometry

    @property
    def card_rect(self) -> pygame.Rect:
        right = 664 if self.session.has_teams else self.app.size[0] - 16
        return pygame.Rect(16, HEADER_H, right - 16, 372)

    # -- controls

    def _next(self) -> None:
        self.tl.next()

    def _repeat(self) -> None:
        self.tl.repeat()

    def _pause(self) -> None:
        self.tl.toggle_pause()

    def _back(self) -> None:
        self.tl.back()

    def _ask_quit(self) -> None:
        was_paused = self.tl.paused
        self.tl.pause()
        self._sync()

        def resume():
            if not was_paused:
                self.tl.resume()

        self.app.scenes.push(ConfirmScene(self.app, "よみてを やめますか？", "やめる", self._quit, "つづける", resume))

    def _quit(self) -> None:
        self.app.voice.stop()
        self.app.scenes.replace(RankingScene(self.app, self.session, finished=False))

    def _taker(self, team: int):
        def take():
            card = self.tl.current
            if card is None or self.tl.is_opening:
                return
            out = self.match.award(team, card.number, self.app.time)
            self.session.missed.discard(card.number)
            if out.kind == mt.TAKE:
                self.last_event = f"{team_name(team)} が とった！"
                self.tl.card_taken()
            elif out.kind == mt.MOVED:
                self.last_event = f"{team_name(team)} に なおしました"
            elif out.kind == mt.UNDONE:
                self.last_event = "とりけしました"
            self._sync()
        return take

    def _faulter(self, team: int):
        def fault():
            out = self.match.fault(team)
            msg = f"{team_name(team)} おてつき"
            if out.lost is not None:
                msg += "（1まい かえす）"
            elif self.match.penalty == mt.SIT_OUT:
                msg += "（つぎは やすみ）"
            self.last_event = msg
            self._update_labels()  # a card given back changes the team's score label
        return fault

    # -- time

    def update(self, dt: float) -> None:
        self.tl.update(dt, speaking=self.app.voice.busy())
        self._sync()
        if self.end_t is not None:
            self.end_t += dt
            if self.end_t > 1.5:
                self.app.scenes.replace(RankingScene(self.app, self.session, finished=True))

    def _sync(self) -> None:
        """Turn the timeline's cues into voice (the reader) and scoreboard changes."""
        for cue in self.reader.take():
            if cue.kind == rd.BEGIN:
                self.last_event = ""
                self._auto_plan = None
                if cue.opening:
                    self.match.close()
                else:
                    self.match.call(cue.card.number, self.app.time)
            elif cue.kind == rd.TIMEOUT:
                if cue.card.number not in self.match.owner:
                    self.session.missed.add(cue.card.number)
            elif cue.kind == rd.UNREAD:
                self.match.undo(cue.card.number)
                self.session.missed.discard(cue.card.number)
            elif cue.kind == rd.END:
                self.end_t = 0.0
        self._update_labels()  # the buttons say what the timeline and the match now are

    # -- events

    def handle(self, event) -> None:
        if isinstance(event, Key):
            keys = {pygame.K_SPACE: self._next, pygame.K_RIGHT: self._next, pygame.K_r: self._repeat,
                    pygame.K_p: self._pause, pygame.K_LEFT: self._back}
            action = keys.get(event.key)
            if action is None and event.unicode in "1234" and event.unicode:
                i = int(event.unicode) - 1
                if i < len(self.team_btns):
                    action = self._taker(i)
            if action is not None:
                action()
                self._sync()
            return
        for btn in [self.quit_btn, self.back_btn, self.repeat_btn, self.pause_btn, self.next_btn,
                    *self.team_btns, *self.fault_btns]:
            if btn.handle(event):
                self._sync()
                return

    def autoplay_step(self, dt: float) -> None:
        """The class at play: some team takes each card part-way through its reading; now and then
        a team touches the wrong card first."""
        if not self.session.has_teams:
            if self.tl.phase == rd.WAITING and not self.tl.rules.auto_advance:
                self._next()
            return
        if not self.tl.accepting:
            return
        if self._auto_plan is None:
            at = self.tl.duration() * self._rng.uniform(0.35, 0.75)
            self._auto_plan = (at, "fault" if self._rng.random() < 0.15 else "take",
                               self._rng.randrange(self.session.config.teams))
            self._auto_elapsed = 0.0
        self._auto_elapsed += dt
        at, action, team = self._auto_plan
        if self._auto_elapsed >= at:
            if action == "fault":
                self.fault_btns[team].on_press()
                self._auto_plan = (at + 0.4, "take", (team + 1) % self.session.config.teams)
            else:
                self.team_btns[team].on_press()
                self._auto_plan = (float("inf"), "", 0)

    # -- drawing

    def _update_labels(self) -> None:
        self.pause_btn.label = "つづける" if self.tl.paused else "とめる"
        self.next_btn.label = "おわり" if (self.tl.left == 0 and self.tl.phase in (rd.WAITING, rd.GAP)) else "つぎ"
        current = self.tl.current
        holder = self.match.owner.get(current.number) if current is not None else None
        for i, take in enumerate(self.team_btns):
            take.label = f"{team_name(i)}  {self.match.sides[i].score}まい"
            take.selected = holder == i

    def _still(self) -> ReadingStill:
        """What the still picture shows now (see ReadingStill)."""
        tl, match = self.tl, self.match
        countdown = tl.countdown
        card = tl.current
        accepting = tl.accepting
        sides = tuple((ButtonsView.of(take, fault), tuple(take.rect), i in match.sitting_out and accepting,
                       i in match.sits_next, side.faults)
                      for i, (side, take, fault) in enumerate(zip(match.sides, self.team_btns, self.fault_btns))
                      ) if self.session.has_teams else ()
        history = tuple((c.number, match.owner.get(c.number), c.number in self.session.missed)
                        for c in self.finished_cards())
        controls = ButtonsView.of(self.back_btn, self.repeat_btn, self.pause_btn, self.next_btn)
        return ReadingStill(self.session.deck, self.session.config.seed, ButtonsView.of(self.quit_btn), controls,
                            tl.is_opening, tl.read_count, tl.total, tl.left,
                            self.reader.voice_ok, self._status(), self.last_event,
                            card.number if card is not None else None, tl.phase, tl.paused,
                            None if countdown is None else math.ceil(countdown), sides, history,
                            bool(self.app.settings.get("kana_only")), tuple(self.card_rect),
                            tuple((tuple(c), tuple(r), radius) for c, r, radius in self._bars()) if tl.paused else ())

    def _bars(self) -> list[tuple[tuple, pygame.Rect, int]]:
        """The bars that grow or shrink every frame: the countdown and the reading's progress."""
        rect = self.card_rect
        bottom = pygame.Rect(rect.left + 20, rect.bottom - 48, rect.width - 40, 32)
        countdown = self.tl.countdown
        if countdown is not None and not self.tl.paused:
            total = self.tl.rules.auto_advance or 1
            bar = bottom.inflate(0, -12)
            bar.width = int(bar.width * countdown / total)
            return [(theme.GOOD, bar, 6)]
        if self.tl.phase == rd.READING:
            bar = bottom.inflate(0, -20)
            bar.width = int(bar.width * self.tl.reading_progress)
            if bar.width:
                return [((180, 200, 225), bar, 4)]
        return []

    def view_key(self):
        return self._still(), tuple((tuple(bar), tuple(colour)) for colour, bar, _ in self._bars())

    def draw(self, surface: pygame.Surface) -> None:
        # The reader's screen is still but for two thin bars: the rest is one picture, repainted on change.
        still = self._still()
        surface.blit(self._layer.get(still, surface.get_size(), lambda layer: self._draw_still(layer, still)), (0, 0))
        if not self.tl.paused:  # paused, the bars lie under the shade, in the still picture
            for colour, bar, radius in self._bars():
                pygame.draw.rect(surface, colour, bar, border_radius=radius)

    def repaint(self, surface: pygame.Surface) -> bool:
        """Only a bar moved: put back the still strip under the bars and draw them again."""
        if self.tl.paused or self._layer.key != self._still():
            return False
        rect = self.card_rect
        strip = pygame.Rect(rect.left + 20, rect.bottom - 48, rect.width - 40, 32)
        surface.blit(self._layer.surface, strip, strip)
        for colour, bar, radius in self._bars():
            pygame.draw.rect(surface, colour, bar, border_radius=radius)
        return True

    def _draw_still(self, surface: pygame.Surface, v: ReadingStill) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        surface.fill(theme.BG)
        pygame.draw.rect(surface, (236, 228, 210), (0, 0, w, HEADER_H - 12))
        v.quit.draw(surface, fonts)
        self._draw_progress(surface, v)
        self._draw_card(surface, v)
        v.controls.draw(surface, fonts)
        if v.sides:
            self._draw_scoreboard(surface, v)
        self._draw_history(surface, v)

    def _draw_progress(self, surface, v: ReadingStill) -> None:
        fonts = self.app.fonts
        text = f"{'からよみ' if v.opening else f'{v.read_count}まいめ'} ／ {v.total}まい"
        t = fonts.render(text, 30, theme.INK, "bold")
        surface.blit(t, t.get_rect(midleft=(172, 30)))
        left = fonts.render(f"のこり {v.left}まい", 24, theme.INK_SOFT, "bold")
        surface.blit(left, left.get_rect(midleft=(172 + t.get_width() + 24, 31)))
        bar = pygame.Rect(172, 58, 500, 12)
        pygame.draw.rect(surface, (210, 200, 180), bar, border_radius=6)
        if v.total:
            done = bar.copy()
            done.width = int(bar.width * v.read_count / v.total)
            if done.width:
                pygame.draw.rect(surface, theme.GOOD, done, border_radius=6)
        right = self.app.size[0] - 16
        seed = fonts.render(f"ばんごう {v.seed}", 20, theme.INK_SOFT)
        surface.blit(seed, seed.get_rect(topright=(right, 14)))
        if v.voice_ok is False:
            hint = fonts.render("こえ なし：がめんの ぶんを よんでね", 18, theme.ACCENT_2, "bold")
            surface.blit(hint, hint.get_rect(topright=(right, 44)))

    def _status(self) -> tuple[str, tuple]:
        tl = self.tl
        if tl.paused:
            return "とまっています", theme.WARN
        if tl.phase == rd.LEAD:
            return "はじめるよ", theme.INK_SOFT
        if tl.is_opening and tl.phase in (rd.READING, rd.BETWEEN):
            return "からよみ（とらないでね）", theme.ACCENT_2
        if tl.phase == rd.READING:
            return ("1かいめ" if tl.pass_no == 1 else "2かいめ"), theme.ACCENT
        if tl.phase == rd.BETWEEN:
            return "もういちど よむよ", theme.ACCENT
        if tl.phase == rd.WAITING:
            return "とってね！", theme.GOOD
        if tl.phase == rd.GAP:
            return "つぎの カード…", theme.INK_SOFT
        if tl.phase == rd.DONE:
            return "おしまい！", theme.ACCENT_2
        return "", theme.INK

    def _draw_card(self, surface, v: ReadingStill) -> None:
        fonts = self.app.fonts
        rect = pygame.Rect(v.card_area)
        panel(surface, rect, color=theme.PAPER)
        status, colour = v.status
        if status:
            chip = fonts.render(status, 26, theme.WHITE, "bold")
            box = chip.get_rect(topleft=(rect.left + 14, rect.top + 12)).inflate(24, 10)
            box.topleft = (rect.left + 12, rect.top + 12)
            pygame.draw.rect(surface, colour, box, border_radius=12)
            surface.blit(chip, chip.get_rect(center=box.center))
        if v.last_event:
            ev = fonts.render(v.last_event, 24, theme.INK, "bold")
            surface.blit(ev, ev.get_rect(topright=(rect.right - 16, rect.top + 16)))
        card = v.deck.card(v.card) if v.card is not None else None
        body = pygame.Rect(rect.left + 20, rect.top + 60, rect.width - 40, rect.height - 120)
        if card is not None and v.phase != rd.DONE:
            if card.reading:
                kana_only = v.kana_only
                size = 64
                text = fonts.ruby(card.reading, size, theme.INK, "card", max_width=body.width, kana_only=kana_only)
                while (text.get_height() > body.height or text.get_width() > body.width) and size > 28:
                    size -= 6
                    text = fonts.ruby(card.reading, size, theme.INK, "card", max_width=body.width,
                                      kana_only=kana_only)
                surface.blit(text, text.get_rect(center=body.center))
            else:
                # An image-only deck: the printed reading card itself, as big as it fits.
                img = self.app.faces.get(v.deck, card, "reading", fit_within((52, 73), body.size))
                surface.blit(img, img.get_rect(center=body.center))
        elif v.phase == rd.LEAD:
            t = fonts.render("よみはじめます", 56, theme.INK_SOFT, "card")
            surface.blit(t, t.get_rect(center=body.center))
        bottom = pygame.Rect(rect.left + 20, rect.bottom - 48, rect.width - 40, 32)
        if v.countdown is not None and not v.paused:
            pygame.draw.rect(surface, (225, 218, 200), bottom.inflate(0, -12), border_radius=6)
            # the bar itself moves every frame: drawn over this still picture by draw() (see _bars)
            secs = fonts.render(f"あと {v.countdown}びょう", 24, theme.INK, "bold")
            surface.blit(secs, secs.get_rect(midright=(bottom.right, bottom.top - 14)))
        elif v.phase == rd.WAITING:
            hint = fonts.render("とれたら「つぎ」を おしてね", 24, theme.INK_SOFT, "bold")
            surface.blit(hint, hint.get_rect(center=bottom.center))
        if v.paused:
            # paused, the timeline stands still: the bars are part of the still picture, under the shade
            for colour, bar, radius in v.paused_bars:
                pygame.draw.rect(surface, colour, bar, border_radius=radius)
            shade = pygame.Surface(rect.size, pygame.SRCALPHA)
            shade.fill((250, 246, 236, 150))
            surface.blit(shade, rect)
            t = fonts.render("とまっています", 48, theme.WARN, "bold")
            surface.blit(t, t.get_rect(center=rect.center))

    def _draw_scoreboard(self, surface, v: ReadingStill) -> None:
        fonts = self.app.fonts
        head = fonts.render("とった チームを タッチ", 20, theme.INK_SOFT, "bold")
        surface.blit(head, (682, HEADER_H + 6))
        for buttons, take_rect, sitting_out, sits_next, faults in v.sides:
            buttons.draw(surface, fonts)
            take_rect = pygame.Rect(take_rect)
            badges = []
            if sitting_out:
                badges.append("やすみ")
            elif sits_next:
                badges.append("つぎ やすみ")
            if faults:
                badges.append(f"おてつき{faults}")
            if badges:
                b = fonts.render(" ".join(badges), 16, theme.WHITE, "bold")
                box = b.get_rect(topright=(take_rect.right - 6, take_rect.top - 8)).inflate(10, 4)
                pygame.draw.rect(surface, theme.INK, box, border_radius=8)
                surface.blit(b, b.get_rect(center=box.center))

    def finished_cards(self) -> list:
        history = self.tl.history
        if history and self.tl.phase in (rd.READING, rd.BETWEEN, rd.WAITING) and not self.tl.is_opening:
            history = history[:-1]  # the card being read stays hidden: its picture would give it away
        return history

    def _draw_history(self, surface, v: ReadingStill) -> None:
        fonts = self.app.fonts
        top = 588
        label = fonts.render("よんだ カード", 20, theme.INK_SOFT, "bold")
        surface.blit(label, (16, top))
        cards = v.history
        tw, th = self.HISTORY_THUMB
        gap = 10
        fit = (self.app.size[0] - 32 + gap) // (tw + gap)
        shown = cards[-fit:]
        if len(cards) > len(shown):
            more = fonts.render(f"ほか {len(cards) - len(shown)}まい", 18, theme.INK_SOFT)
            surface.blit(more, more.get_rect(topright=(self.app.size[0] - 16, top + 2)))
        x = 16
        for number, holder, missed in shown:
            y = top + 28
            card = v.deck.card(number)
            surface.blit(self.app.faces.get(v.deck, card, "picture", self.HISTORY_THUMB), (x, y))
            if holder is not None:
                pygame.draw.rect(surface, team_colour(holder), (x, y + th + 2, tw, 8), border_radius=4)
            elif missed:
                pygame.draw.rect(surface, (180, 180, 180), (x, y + th + 2, tw, 8), border_radius=4)
            x += tw + gap
