"""The layout plan: where to lay the physical picture cards."""

from __future__ import annotations

import pygame

from ...app import theme
from ...app.ui import Button, panel
from ...engine import cardset as cs
from ..common import HEADER_H, back_button
from ..common.teams import team_colour, team_name
from ..common.screen import ButtonScreen
from .session import Session
from .reading import ReadingScene


class LayoutScene(ButtonScreen):
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

    def view_key(self):
        return self.groups, tuple(b.look() for b in [self.back, self.go, *self.choices])

    def draw(self, surface: pygame.Surface) -> None:
        fonts = self.app.fonts
        pygame.draw.rect(surface, (236, 228, 210), (0, 0, self.app.size[0], HEADER_H))
        self.back.draw(surface, fonts)
        for btn in self.choices:
            btn.draw(surface, fonts)
        session = self.session
        info = f"ならべかた：{len(session.order)}まいを この とおりに ならべてね"
        note = fonts.render(info, 24, theme.INK, "bold")
        surface.blit(note, (24, HEADER_H + 8))
        plan = self.plan()
        teams = session.config.teams
        for i, (block, rect) in enumerate(zip(plan, self.block_rects())):
            if len(plan) == 1:
                label, colour = "まんなか（みんなで とる）", theme.CARD_EDGE
            elif len(plan) == teams:
                label, colour = f"{team_name(i)} チーム", team_colour(i)
            else:
                label, colour = ("むこうがわ", theme.ACCENT_2) if i == 0 else ("てまえ", theme.ACCENT)
            panel(surface, rect, color=theme.PAPER, border=colour, width=4)
            head = fonts.render(label, 22, colour, "bold")
            surface.blit(head, (rect.left + 12, rect.top + 6))
            self._draw_grid(surface, block, rect.inflate(-16, -44).move(0, 14))
        y = HEADER_H + 40 + 520 + 10
        if session.opening_from_play and session.opening is not None:
            msg = f"「{session.opening.kana}」の カードは からよみ で よむので ならべません"
            t = fonts.render(msg, 22, theme.ACCENT_2, "bold")
            surface.blit(t, (24, y + 4))
            y += 34
        seed = fonts.render(f"ばんごう {session.config.seed}", 22, theme.INK_SOFT)
        surface.blit(seed, (24, y + 4))
        self.go.draw(surface, fonts)

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
            for c, card in enumerate(row):
                rect = pygame.Rect(int(x0 + c * (cw + gap)), int(area.top + r * (ch + gap)), int(cw), int(ch))
                pygame.draw.rect(surface, (255, 255, 255), rect, border_radius=6)
                pygame.draw.rect(surface, theme.CARD_EDGE, rect, width=2, border_radius=6)
                kana = fonts.render(card.kana, size, theme.INK, "card")
                surface.blit(kana, kana.get_rect(center=rect.center))
