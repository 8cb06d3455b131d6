"""The layout plan: where to lay the physical picture cards."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView, panel
from ...engine import cardset as cs
from ..common import HEADER_H, back_button
from ..common.teams import team_colour, team_name
from ..common.screen import ButtonScreen
from .session import Session
from .reading import ReadingScene


@dataclass(frozen=True)
class LayoutStill:
    """What the layout plan shows (its view key and its drawing's only input)."""

    blocks: tuple           # per block: (its rect, its rows of kana)
    teams: int
    cards: int              # how many cards are laid
    opening: str            # the 空読み card's kana when it is taken out of play, else ""
    seed: int
    back: ButtonsView
    choices: ButtonsView
    go: ButtonsView


class LayoutScene(StillView, ButtonScreen):
    """Where to lay the physical picture cards: a shuffled grid of kana, by side, team or spread."""

    name = "layout"

    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        teams = session.config.teams
        self.group_choices = [(2, "2つに わける"), (1, "まんなかに ちらす")]
        if teams >= 3:
            self.group_choices.insert(0, (teams, f"{teams}チームに わける"))
        self.groups = teams if teams >= 3 else 2
        self.back = back_button(self.go_back)
        self.go = Button((688, 672, 320, 84), "ならべた！ よむ", self._start, color=theme.ACCENT_2, size=32,
                         name="start")
        self.choices: list[Button] = []
        self._auto_t = 0.0
        self._plan_cache: dict[int, list] = {}
        self._make_choices()

    def controls(self):
        return [self.back, self.go, *self.choices]

    def _make_choices(self) -> None:
        self.choices = []
        x = 180
        for groups, label in self.group_choices:
            btn = Button((x, 12, 250, 72), label, self._grouper(groups), color=theme.ACCENT, size=24,
                         name=f"groups:{groups}")
            btn.selected = groups == self.groups
            self.choices.append(btn)
            x += 262

    def _grouper(self, groups: int):
        def choose():
            self.groups = groups
            self._make_choices()
        return choose

    def plan(self) -> list:
        if self.groups not in self._plan_cache:
            self._plan_cache[self.groups] = cs.layout_plan(self.session.order, self.session.config.seed,
                                                           self.groups)
        return self._plan_cache[self.groups]

    def _start(self) -> None:
        self.app.scenes.replace(ReadingScene(self.app, self.session))

    def autoplay_step(self, dt: float) -> None:
        self._auto_t += dt
        if self._auto_t > 1.2:
            self._start()

    def block_rects(self) -> list[pygame.Rect]:
        area = pygame.Rect(16, HEADER_H + 40, self.app.size[0] - 32, 520)
        n = len(self.plan())
        cols, rows = {1: (1, 1), 2: (1, 2), 3: (3, 1), 4: (2, 2)}[n]
        gap = 16
        bw = (area.width - (cols - 1) * gap) // cols
        bh = (area.height - (rows - 1) * gap) // rows
        return [pygame.Rect(area.left + (i % cols) * (bw + gap), area.top + (i // cols) * (bh + gap), bw, bh)
                for i in range(n)]

    def still(self) -> LayoutStill:
        session = self.session
        blocks = tuple((tuple(rect), tuple(tuple(card.kana for card in row) for row in block))
                       for block, rect in zip(self.plan(), self.block_rects()))
        opening = session.opening.kana if session.opening_from_play and session.opening is not None else ""
        return LayoutStill(blocks, session.config.teams, len(session.order), opening, session.config.seed,
                           ButtonsView.of(self.back), ButtonsView.of(*self.choices), ButtonsView.of(self.go))

    def paint(self, surface: pygame.Surface, v: LayoutStill) -> None:
        fonts = self.app.fonts
        pygame.draw.rect(surface, (236, 228, 210), (0, 0, self.app.size[0], HEADER_H))
        v.back.draw(surface, fonts)
        v.choices.draw(surface, fonts)
        info = f"ならべかた：{v.cards}まいを この とおりに ならべてね"
        note = fonts.render(info, 24, theme.INK, "bold")
        surface.blit(note, (24, HEADER_H + 8))
        for i, (rect, block) in enumerate(v.blocks):
            rect = pygame.Rect(rect)
            if len(v.blocks) == 1:
                label, colour = "まんなか（みんなで とる）", theme.CARD_EDGE
            elif len(v.blocks) == v.teams:
                label, colour = f"{team_name(i)} チーム", team_colour(i)
            else:
                label, colour = ("むこうがわ", theme.ACCENT_2) if i == 0 else ("てまえ", theme.ACCENT)
            panel(surface, rect, color=theme.PAPER, border=colour, width=4)
            head = fonts.render(label, 22, colour, "bold")
            surface.blit(head, (rect.left + 12, rect.top + 6))
            self._draw_grid(surface, block, rect.inflate(-16, -44).move(0, 14))
        y = HEADER_H + 40 + 520 + 10
        if v.opening:
            msg = f"「{v.opening}」の カードは からよみ で よむので ならべません"
            t = fonts.render(msg, 22, theme.ACCENT_2, "bold")
            surface.blit(t, (24, y + 4))
            y += 34
        seed = fonts.render(f"ばんごう {v.seed}", 22, theme.INK_SOFT)
        surface.blit(seed, (24, y + 4))
        v.go.draw(surface, fonts)

    def _draw_grid(self, surface, rows: list, area: pygame.Rect) -> None:
        fonts = self.app.fonts
        ncols = max(len(r) for r in rows) if rows else 1
        nrows = max(1, len(rows))
        gap = 6
        cell_w = (area.width - (ncols - 1) * gap) / ncols
        cell_h = (area.height - (nrows - 1) * gap) / nrows
        ch = min(cell_h, cell_w / 0.72)
        cw = ch * 0.72
        total_w = ncols * cw + (ncols - 1) * gap
        x0 = area.left + (area.width - total_w) / 2
        size = max(14, int(min(cw * 0.7, ch * 0.55)))
        for r, row in enumerate(rows):
            for c, card_kana in enumerate(row):
                rect = pygame.Rect(int(x0 + c * (cw + gap)), int(area.top + r * (ch + gap)), int(cw), int(ch))
                pygame.draw.rect(surface, (255, 255, 255), rect, border_radius=6)
                pygame.draw.rect(surface, theme.CARD_EDGE, rect, width=2, border_radius=6)
                kana = fonts.render(card_kana, size, theme.INK, "card")
                surface.blit(kana, kana.get_rect(center=rect.center))
