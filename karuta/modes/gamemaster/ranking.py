"""The end of a session: the teams ranked, or the cards read."""

from __future__ import annotations

import math
from dataclasses import replace

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.ui import Button, panel
from ...engine.shuffle import new_seed
from ..common.effects import crown
from ..common.teams import team_colour, team_name
from ..common.screen import ButtonScreen
from .session import Session
# setup and shuffle lead (through layout and reading) to this screen: imported as modules, so the
# cycle resolves at call time.
from . import setup as setup_screen
from . import shuffle as shuffle_screen


class RankingScene(ButtonScreen):
    """The end: the teams ranked (ties share a place), or the list of cards read."""

    name = "ranking"

    def __init__(self, app, session: Session, finished: bool = True):
        super().__init__(app)
        self.session = session
        self.finished = finished
        self.again = Button((16, 668, 380, 88), "おなじ じゅんばんで もういちど", self._again, color=theme.ACCENT,
                            size=24, name="again")
        self.fresh = Button((410, 668, 300, 88), "あたらしく はじめる", self._fresh, color=theme.GOOD, size=26,
                            name="fresh")
        self.done = Button((724, 668, 284, 88), "おわる", self.app.go_title, color=theme.BG_DARK, size=30,
                           name="done")
        self.app.voice.stop()

    def controls(self):
        return [self.again, self.fresh, self.done]

    def _again(self) -> None:
        self.app.scenes.replace(shuffle_screen.ShuffleScene(self.app, Session(self.app, self.session.config)))

    def _fresh(self) -> None:
        config = replace(self.session.config, seed=new_seed())
        self.app.scenes.replace(setup_screen.GamemasterSetupScene(self.app, config))

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        session = self.session
        tl = session.timeline
        title = "けっか" if session.has_teams else "おしまい！"
        t = fonts.render(title, 56, theme.INK, "bold")
        surface.blit(t, t.get_rect(center=(w // 2, 56)))
        sub = f"{tl.read_count}まい よみました" + ("" if self.finished else "（とちゅうで おわり）")
        s = fonts.render(sub, 24, theme.INK_SOFT, "bold")
        surface.blit(s, s.get_rect(center=(w // 2, 108)))
        if session.has_teams:
            self._draw_ranking(surface)
        else:
            self._draw_cards(surface)
        seed = fonts.render(f"ばんごう {session.config.seed}", 20, theme.INK_SOFT)
        surface.blit(seed, seed.get_rect(bottomright=(w - 16, 656)))
        given_back = [n for n in session.match.discard if n not in session.missed]
        if session.has_teams and given_back:
            g = fonts.render(f"おてつきで かえした カード {len(given_back)}まい", 20, theme.INK_SOFT)
            surface.blit(g, g.get_rect(bottomleft=(16, 656)))
        for btn in (self.again, self.fresh, self.done):
            btn.draw(surface, fonts)

    def _draw_ranking(self, surface) -> None:
        fonts = self.app.fonts
        ranking = self.session.match.ranking()
        thumb = card_size(84)
        y = 140
        row_h = min(120, 500 // max(1, len(ranking)))
        for rank, side in ranking:
            rect = pygame.Rect(60, y, 904, row_h - 12)
            colour = team_colour(side.index)
            panel(surface, rect, color=theme.PAPER, border=colour, width=5)
            medal = {1: (230, 180, 40), 2: (170, 170, 180), 3: (190, 120, 60)}.get(rank, (200, 200, 200))
            cx, cy = rect.left + 52, rect.centery
            pygame.draw.circle(surface, medal, (cx, cy), 38)
            r = fonts.render(f"{rank}い", 34, theme.INK, "bold")
            surface.blit(r, r.get_rect(center=(cx, cy)))
            if rank == 1:
                crown(surface, (cx, cy - 44))
            pygame.draw.rect(surface, colour, (rect.left + 104, rect.top + 14, 24, rect.height - 28), border_radius=6)
            name = fonts.render(team_name(side.index), 36, theme.INK, "bold")
            surface.blit(name, name.get_rect(midleft=(rect.left + 142, cy - 12)))
            detail = f"おてつき {side.faults}" if side.faults else ""
            if detail:
                d = fonts.render(detail, 20, theme.INK_SOFT, "bold")
                surface.blit(d, d.get_rect(midleft=(rect.left + 144, cy + 24)))
            score = fonts.render(f"{side.score}まい", 44, colour, "bold")
            surface.blit(score, score.get_rect(midright=(rect.right - 24, cy)))
            # their cards, small
            x = rect.left + 330
            th = min(thumb[1], rect.height - 16)
            tsize = card_size(th)
            for number in side.taken[:8]:
                card = self.session.deck.card(number)
                if card is not None:
                    surface.blit(self.app.faces.get(self.session.deck, card, "picture", tsize), (x, cy - th // 2))
                x += tsize[0] + 6
            if len(side.taken) > 8:
                more = fonts.render(f"+{len(side.taken) - 8}", 22, theme.INK_SOFT, "bold")
                surface.blit(more, more.get_rect(midleft=(x, cy)))
            y += row_h

    def _draw_cards(self, surface) -> None:
        cards = self.session.timeline.history
        if not cards:
            return
        cols = 11
        rows = max(1, math.ceil(len(cards) / cols))
        h = min(150, (520 - (rows - 1) * 10) // rows)
        size = card_size(h)
        x0 = (self.app.size[0] - (min(cols, len(cards)) * (size[0] + 8) - 8)) // 2
        for i, card in enumerate(cards):
            x = x0 + (i % cols) * (size[0] + 8)
            y = 140 + (i // cols) * (h + 10)
            surface.blit(self.app.faces.get(self.session.deck, card, "picture", size), (x, y))
