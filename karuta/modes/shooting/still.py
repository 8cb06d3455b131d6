"""The still picture of a shooting round: the sky, the reading panel, the score, the bottom bar.

ShootingRoundScene paints it into a cached Layer (see round.py) and draws what moves over it;
this half only reads the round's state, it never changes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.ui import ButtonsView, fit_within, panel
from ...engine import shooting as rules
from .effects import lerp
from .geometry import FIELD, PILE, PILE_CARD, READING_COLUMN, READING_PANEL, SCORE_PANEL, SCREEN_W, TIMER_BAR


@dataclass(frozen=True)
class RoundStill:
    """What the still picture shows: the Layer's key and the only input of _draw_still."""

    pause: ButtonsView
    listen: ButtonsView | None  # 「もういちど きく」 when the card was voiced
    view: str                   # what the reading panel shows (ShootingRoundScene.reading_view)
    index: int                  # the turn (from 0)
    turns: int
    score: int
    answer: int | None          # the card being read (its index in the round's cards)
    kana_only: bool
    hint: str                   # the line under the field
    pile: tuple                 # the top three captured cards
    captured: int               # how many cards were captured


class RoundStillPicture:
    """Mixed into ShootingRoundScene: paints everything that stands still between a round's changes."""

    def _make_background(self) -> pygame.Surface:
        surf = pygame.Surface(theme.SCREEN_SIZE)
        surf.fill(theme.BG)
        top, bottom = (206, 232, 246), (240, 246, 236)
        for y in range(FIELD.top, FIELD.bottom):
            k = (y - FIELD.top) / FIELD.height
            pygame.draw.line(surf, tuple(int(lerp(a, b, k)) for a, b in zip(top, bottom)), (0, y), (SCREEN_W, y))
        rng = random.Random(7)
        for _ in range(6):  # a few soft clouds, always in the same places
            cx, cy = rng.randint(60, SCREEN_W - 60), rng.randint(FIELD.top + 30, FIELD.bottom - 60)
            for dx, r in ((-30, 22), (0, 30), (30, 22)):
                pygame.draw.circle(surf, (248, 251, 253), (cx + dx, cy), r)
        pygame.draw.line(surf, theme.CARD_EDGE, (0, FIELD.top), (SCREEN_W, FIELD.top), 2)
        pygame.draw.line(surf, theme.CARD_EDGE, (0, FIELD.bottom), (SCREEN_W, FIELD.bottom), 2)
        return surf.convert() if pygame.display.get_surface() else surf

    def _draw_still(self, surface: pygame.Surface, v: RoundStill) -> None:
        surface.blit(self._background, (0, 0))
        self._draw_top(surface, v)
        if self.image_reading:
            self._draw_reading_column(surface, v)
        self._draw_bottom(surface, v)

    def _draw_top(self, surface, v: RoundStill) -> None:
        fonts = self.app.fonts
        v.pause.draw(surface, fonts)
        panel(surface, READING_PANEL)
        view = v.view
        area = READING_PANEL.inflate(-24, -12)
        number = f"だい {min(v.index + 1, v.turns)} もん"
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
            if v.listen is not None:
                v.listen.draw(surface, fonts)
        elif view == "text":
            text = self._reading_text(self.cards[v.answer], v.kana_only, area.size)
            surface.blit(text, text.get_rect(center=area.center))
        else:  # an image-only card in a deck that also has text: show the image in the panel
            card = self.cards[v.answer]
            img = self.app.faces.get(self.deck, card, "reading", card_size(area.height))
            surface.blit(img, img.get_rect(center=area.center))
        panel(surface, SCORE_PANEL)
        label = fonts.render("とくてん", 20, theme.INK_SOFT, "bold")
        surface.blit(label, label.get_rect(midtop=(SCORE_PANEL.centerx, SCORE_PANEL.top + 8)))
        score = fonts.render(f"{v.score}", 44, theme.INK, "bold")
        surface.blit(score, score.get_rect(center=(SCORE_PANEL.centerx, SCORE_PANEL.top + 58)))
        turn = fonts.render(f"{min(v.index + 1, v.turns)} / {v.turns}", 22, theme.INK_SOFT)
        surface.blit(turn, turn.get_rect(midbottom=(SCORE_PANEL.centerx, SCORE_PANEL.bottom - 8)))

    def _reading_text(self, card, kana_only: bool, box) -> pygame.Surface:
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

    def _draw_reading_column(self, surface, v: RoundStill) -> None:
        col = READING_COLUMN
        panel(surface, col, color=theme.PAPER)
        view = v.view
        if v.answer is not None and view in ("image", "text", "answer"):
            card = self.cards[v.answer]
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

    def _hint(self) -> str:
        game = self.game
        if game.phase in (rules.AIM, rules.FROZEN) and self.shots_fired == 0 and game.index == 0:
            return "よまれた カードに タッチ！"
        if game.streak >= 2:
            return f"れんぞく {game.streak}かい"
        return ""

    def _draw_bottom(self, surface, v: RoundStill) -> None:
        """The still part under the field: the hint and the pile of captured cards."""
        fonts = self.app.fonts
        hint = v.hint
        if hint:
            t = fonts.render(hint, 28, theme.INK, "bold")
            surface.blit(t, t.get_rect(midleft=(TIMER_BAR.left, 712)))
        # the pile of captured cards
        shown = v.pile
        for i, number in enumerate(shown):
            img = self.app.faces.get(self.deck, self.cards[number], "picture", PILE_CARD)
            surface.blit(img, (PILE.left + 4 + i * 12, PILE.top + 2 + (len(shown) - 1 - i) * 3))
        if not shown:
            pygame.draw.rect(surface, (225, 220, 205), (PILE.left + 4, PILE.top + 2, *PILE_CARD), width=3,
                             border_radius=8)
        count = fonts.render(f"{v.captured}まい", 26, theme.WHITE, "bold")
        badge = count.get_rect(bottomright=(PILE.right - 2, PILE.bottom + 2)).inflate(16, 6)
        pygame.draw.rect(surface, theme.GOOD, badge, border_radius=14)
        surface.blit(count, count.get_rect(center=badge.center))
