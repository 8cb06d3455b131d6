"""The end of a round: each player's cards and the winner; practice: the time and the best time."""

from __future__ import annotations

import random
from dataclasses import replace

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.ui import Button, panel
from ...engine import match as mt
from ..common.effects import crown
from ..common.teams import team_colour, team_name
from ..common.screen import ButtonScreen
from .config import BEST_KEY, PlayConfig

# the end screen starts the next round: imported as a module, so the cycle resolves at call time
from . import play as play_screen
# the end screen starts the next round: imported as a module, so the cycle resolves at call time


class OnscreenEndScene(ButtonScreen):
    """Each player's cards and the winner; with one player, the time and the best time."""

    name = "onscreen_end"

    def __init__(self, app, config: PlayConfig, deck, match: mt.Match, total: float, finished: bool = True):
        super().__init__(app)
        self.config = config
        self.deck = deck
        self.finished = finished
        self.match = match
        self.again = Button((344, 668, 320, 88), "もういちど", self._again, color=theme.ACCENT, size=32, name="again")
        self.done = Button((688, 668, 320, 88), "おわる", self.app.go_title, color=theme.BG_DARK, size=32,
                           name="done")
        self.total = total  # seconds of play, with practice's お手つき time added
        self.best: float | None = None
        self.new_best = False
        if config.players == 1 and finished:
            self._record_best()

    def controls(self):
        return [self.again, self.done]

    def _record_best(self) -> None:
        key = f"{self.deck.id}:{self.config.cards}"
        bests = self.app.store.load(BEST_KEY, {}, _clean_bests)
        old = bests.get(key)
        if self.match.sides[0].score == self.config.cards and (old is None or self.total < old):
            # Only a round with every card taken can set a record; missed cards would make it easy.
            self.new_best = True
            bests[key] = round(self.total, 2)
            if not self.app.autoplay:
                self.app.store.save(BEST_KEY, bests)
        self.best = bests.get(key)

    def _again(self) -> None:
        config = replace(self.config, seed=random.Random(f"{self.config.seed}:again").randrange(1, 10 ** 6))
        self.app.scenes.replace(play_screen.OnscreenPlayScene(self.app, config))

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        solo = self.config.players == 1
        title = "れんしゅう おわり！" if solo else "けっか"
        t = fonts.render(title, 52, theme.INK, "bold")
        surface.blit(t, t.get_rect(center=(w // 2, 52)))
        if solo:
            self._draw_solo(surface)
        else:
            self._draw_players(surface)
        for btn in (self.again, self.done):
            btn.draw(surface, fonts)

    def _draw_players(self, surface) -> None:
        fonts = self.app.fonts
        ranking = self.match.ranking()
        winners = {s.index for s in self.match.winners()}
        everyone_tied = len(winners) == len(ranking)
        y = 100
        row_h = min(136, 548 // len(ranking))
        for rank, side in ranking:
            rect = pygame.Rect(24, y, 976, row_h - 10)
            colour = team_colour(side.index)
            panel(surface, rect, color=theme.PAPER, border=colour, width=5)
            pygame.draw.rect(surface, colour, (rect.left + 14, rect.top + 12, 150, rect.height - 24), border_radius=12)
            name = fonts.render(team_name(side.index), 30, theme.WHITE, "bold")
            surface.blit(name, name.get_rect(center=(rect.left + 89, rect.centery - 16)))
            score = fonts.render(f"{side.score}まい", 30, theme.WHITE, "bold")
            surface.blit(score, score.get_rect(center=(rect.left + 89, rect.centery + 20)))
            if side.index in winners and not everyone_tied:
                badge = fonts.render("かち！", 30, theme.ACCENT_2, "bold")
                surface.blit(badge, badge.get_rect(midright=(rect.right - 16, rect.centery)))
                crown(surface, (rect.right - 58, rect.centery - 38))
            elif everyone_tied:
                badge = fonts.render("ひきわけ", 26, theme.INK_SOFT, "bold")
                surface.blit(badge, badge.get_rect(midright=(rect.right - 16, rect.centery)))
            th = rect.height - 20
            size = card_size(th)
            x = rect.left + 180
            room = rect.right - 130 - x
            step = size[0] + 6
            if side.taken and step * len(side.taken) > room:
                step = max(12, (room - size[0]) // max(1, len(side.taken) - 1))  # overlap a long row
            for number in side.taken:
                card = self.deck.card(number)
                if card is not None:
                    surface.blit(self.app.faces.get(self.deck, card, "picture", size), (x, rect.top + 10))
                x += step
            if not side.taken:
                none = fonts.render("なし", 24, theme.INK_SOFT)
                surface.blit(none, none.get_rect(midleft=(x, rect.centery)))
            if side.faults:
                f = fonts.render(f"おてつき {side.faults}", 20, theme.INK_SOFT, "bold")
                surface.blit(f, f.get_rect(bottomright=(rect.right - 16, rect.bottom - 8)))
            y += row_h
        if not self.finished:
            note = fonts.render("とちゅうで おわりました", 22, theme.INK_SOFT, "bold")
            surface.blit(note, (24, 690))

    def _draw_solo(self, surface) -> None:
        fonts = self.app.fonts
        side = self.match.sides[0]
        cx = self.app.size[0] // 2
        t = fonts.render(f"{self.total:.1f}びょう", 72, theme.ACCENT, "bold")
        surface.blit(t, t.get_rect(center=(cx, 160)))
        taken = len(side.taken)
        line = f"{taken}まい とれた" + (f"　おてつき {side.faults}" if side.faults else "")
        surface.blit(fonts.render(line, 30, theme.INK, "bold"), fonts.render(line, 30, theme.INK, "bold")
                     .get_rect(center=(cx, 232)))
        if side.reactions:
            avg = sum(side.reactions) / len(side.reactions)
            a = fonts.render(f"1まい へいきん {avg:.1f}びょう", 26, theme.INK_SOFT, "bold")
            surface.blit(a, a.get_rect(center=(cx, 276)))
        if self.new_best:
            b = fonts.render("しんきろく！", 40, theme.ACCENT_2, "bold")
            surface.blit(b, b.get_rect(center=(cx, 330)))
        elif self.best is not None:
            b = fonts.render(f"いままでの いちばん {self.best:.1f}びょう", 26, theme.INK_SOFT, "bold")
            surface.blit(b, b.get_rect(center=(cx, 330)))
        size = card_size(120)
        cards = side.taken
        x0 = cx - (min(10, len(cards)) * (size[0] + 8) - 8) // 2
        for i, number in enumerate(cards[:20]):
            card = self.deck.card(number)
            if card is not None:
                x = x0 + (i % 10) * (size[0] + 8)
                y = 380 + (i // 10) * (size[1] + 8)
                if y + size[1] < 660:
                    surface.blit(self.app.faces.get(self.deck, card, "picture", size), (x, y))


def _clean_bests(data) -> dict:
    if not isinstance(data, dict):
        raise ValueError("best times are not a mapping")
    return {k: float(v) for k, v in data.items()
            if isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0}
