"""The results of a round: score, the cards taken, the best score kept on the device."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.scene import StillView
from ...app.ui import Button, ButtonsView, panel
from ...engine import shooting as rules
from ...engine.deck import Deck
from ..common import HEADER_H, draw_header
from ..common.screen import ButtonScreen
from .geometry import SCREEN_W

# the results start the next round: imported as a module, so the cycle resolves at call time
from . import round as round_screen
# the results start the next round: imported as a module, so the cycle resolves at call time


@dataclass(frozen=True)
class ResultsStill:
    """What the results show (their view key and their drawing's only input)."""

    deck: Deck = field(hash=False)  # compared as the same object first (tuple equality), so cheaply
    difficulty: str                 # its label
    results: rules.Results
    new_best: bool
    previous_best: int | None
    thumbs: tuple                   # per card taken: (its rect, its number)
    buttons: ButtonsView


class ShootingResultsScene(StillView, ButtonScreen):
    name = "shooting_results"

    def __init__(self, app, deck, difficulty: str, count: int, game: rules.Round, seed, round_no: int | None):
        super().__init__(app)
        self.deck = deck
        self.difficulty = difficulty
        self.count = count
        self.game = game  # the engine's finished round (its events replay it)
        self.seed = seed
        self.round_no = round_no
        self.results = game.results()
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

    def controls(self):
        return [self.again_btn, self.title_btn]

    def key(self, event) -> None:
        if event.key == pygame.K_ESCAPE:
            self.app.go_title()

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

    def still(self) -> ResultsStill:
        thumbs = tuple((tuple(rect), number) for rect, number in zip(self.thumb_rects(), self.results.captured))
        return ResultsStill(self.deck, rules.DIFFICULTIES[self.difficulty].label, self.results, self.new_best,
                            self.previous_best, thumbs, self.shown())

    def again(self) -> None:
        if self.round_no is not None:
            round_no = self.round_no + 1
            seed = round_screen.round_seed(self.app.seed, round_no)
        else:
            round_no, seed = None, f"{self.seed}-again"
        self.app.scenes.replace(round_screen.ShootingRoundScene(self.app, self.difficulty, self.count, seed, round_no))

    def paint(self, surface: pygame.Surface, view: ResultsStill) -> None:
        fonts = self.app.fonts
        r = view.results
        draw_header(surface, fonts, "けっか", view.deck.name)
        tag = fonts.render(f"{view.difficulty}・{r.turns}まい", 26, theme.INK_SOFT, "bold")
        surface.blit(tag, tag.get_rect(midright=(SCREEN_W - 24, HEADER_H // 2)))
        # score
        score_box = pygame.Rect(24, HEADER_H + 16, 392, 176)
        panel(surface, score_box)
        label = fonts.render("とくてん", 26, theme.INK_SOFT, "bold")
        surface.blit(label, label.get_rect(midtop=(score_box.centerx, score_box.top + 10)))
        score = fonts.render(f"{r.score}てん", 60, theme.INK, "bold")
        surface.blit(score, score.get_rect(center=(score_box.centerx, score_box.top + 84)))
        if view.new_best:
            best = fonts.render("さいこう きろく！", 28, theme.ACCENT_2, "bold")
        elif view.previous_best is not None:
            best = fonts.render(f"さいこう きろくは {view.previous_best}てん", 22, theme.INK_SOFT, "bold")
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
        if view.thumbs:
            for rect, number in view.thumbs:
                rect = pygame.Rect(rect)
                card = view.deck.card(number)
                if card is not None:
                    surface.blit(self.app.faces.get(view.deck, card, "picture", rect.size), rect)
        else:
            msg = fonts.render("こんどは きっと とれるよ！", 30, theme.INK_SOFT, "bold")
            surface.blit(msg, msg.get_rect(center=(self.GRID.centerx, self.GRID.top + 80)))
        view.buttons.draw(surface, fonts)
