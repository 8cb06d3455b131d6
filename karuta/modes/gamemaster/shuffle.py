"""自動でシャッフル: the visible, seeded riffle before a session."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pygame

from ...app import theme
from ...app.faces import card_size
from ...app.scene import Scene, StillView
from ...app.ui import Button, ButtonsView
from .session import Session
from .layout import LayoutScene


@dataclass(frozen=True)
class ShuffleStill:
    """What the shuffle shows around the moving cards, and all of it once done (the view key then)."""

    shuffling: bool
    backs: int          # card backs in the stack
    cards: int          # cards in the session
    seed: int
    skip: ButtonsView


class ShuffleScene(StillView, Scene):
    """自動でシャッフル: a visible riffle of card backs, seeded like the real order, skippable."""

    name = "shuffle"
    RIFFLES = 3
    RIFFLE_TIME = 0.55
    HOLD = 0.7
    BACK = card_size(150)

    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        self.t = 0.0
        n = max(2, min(24, len(session.order) + (1 if session.opening else 0)))
        rng = random.Random(f"{session.config.seed}:riffle")
        # Which half each card starts in and how it drops, per riffle: the seed decides the show too.
        self.plan = [[(rng.random() < 0.5, rng.uniform(-6, 6), rng.uniform(-4, 4)) for _ in range(n)]
                     for _ in range(self.RIFFLES)]
        self.n = n
        self.skip = Button((824, 672, 184, 80), "とばす", self._finish, color=theme.BG_DARK, size=30, name="skip")
        self._back_face = _card_back(self.BACK)
        self._tilt_cache: dict[float, pygame.Surface] = {}
        self._done = False

    @property
    def duration(self) -> float:
        return self.RIFFLES * self.RIFFLE_TIME

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self.app.scenes.replace(LayoutScene(self.app, self.session))

    def update(self, dt: float) -> None:
        self.t += dt
        if self.t >= self.duration + self.HOLD:
            self._finish()

    def handle(self, event) -> None:
        self.skip.handle(event)

    def still(self) -> ShuffleStill:
        return ShuffleStill(self.t < self.duration, self.n, len(self.session.order), self.session.config.seed,
                            ButtonsView.of(self.skip))

    def view_key(self):
        view = self.still()
        return None if view.shuffling else view  # riffling: every frame moves

    def _tilted(self, angle: float) -> pygame.Surface:
        # The halves hold one tilt for most of each riffle: the same rotation is not redone per frame.
        img = self._tilt_cache.get(angle)
        if img is None:
            if len(self._tilt_cache) >= 32:
                self._tilt_cache.clear()
            img = self._tilt_cache[angle] = pygame.transform.rotate(self._back_face, angle)
        return img

    def draw(self, surface: pygame.Surface) -> None:
        view = self.still()
        self.paint(surface, view)
        if view.shuffling:
            self._draw_riffle(surface)

    def _draw_riffle(self, surface: pygame.Surface) -> None:
        """The two halves sliding apart and dropping back in, at this moment of the riffle."""
        cx, cy = self.app.size[0] // 2, 380
        k = int(self.t // self.RIFFLE_TIME)
        p = (self.t % self.RIFFLE_TIME) / self.RIFFLE_TIME
        plan = self.plan[k]
        split = min(1.0, p / 0.35)            # halves slide apart
        merge = max(0.0, (p - 0.45) / 0.55)   # then drop back in, alternating
        for i, (left, jx, jy) in enumerate(plan):
            side = -1 if left else 1
            spread = math.sin(split * math.pi / 2) * 170
            dropped = merge * self.n > i
            x = cx + (0 if dropped else side * spread) + jx
            y = cy - i * 2 + (0 if dropped else -10 * math.sin(p * math.pi)) + jy
            angle = 0 if dropped else side * -8 * split
            img = self._tilted(angle) if angle else self._back_face
            surface.blit(img, img.get_rect(center=(int(x), int(y))))

    def paint(self, surface: pygame.Surface, v: ShuffleStill) -> None:
        fonts = self.app.fonts
        w = self.app.size[0]
        title = fonts.render("シャッフル ちゅう…" if v.shuffling else "できた！", 48, theme.INK, "bold")
        surface.blit(title, title.get_rect(center=(w // 2, 80)))
        cx, cy = w // 2, 380
        bw, bh = self.BACK
        if not v.shuffling:
            for i in range(v.backs):
                surface.blit(self._back_face, self._back_face.get_rect(center=(cx, cy - i * 2)))
        count = fonts.render(f"{v.cards}まい", 30, theme.INK, "bold")
        surface.blit(count, count.get_rect(center=(cx, cy + bh // 2 + 40)))
        seed = fonts.render(f"ばんごう  {v.seed}", 34, theme.ACCENT, "bold")
        surface.blit(seed, seed.get_rect(center=(cx, 640)))
        note = fonts.render("この ばんごうで おなじ じゅんばんを もういちど よめます", 20, theme.INK_SOFT)
        surface.blit(note, note.get_rect(center=(cx, 684)))
        v.skip.draw(surface, fonts)


def _card_back(size) -> pygame.Surface:
    w, h = size
    surf = pygame.Surface(size, pygame.SRCALPHA)
    pygame.draw.rect(surf, (140, 40, 40), (0, 0, w, h), border_radius=10)
    pygame.draw.rect(surf, (240, 220, 180), (0, 0, w, h), width=4, border_radius=10)
    inner = pygame.Rect(0, 0, w, h).inflate(-18, -18)
    pygame.draw.rect(surf, (190, 70, 60), inner, width=3, border_radius=6)
    for k in range(6):  # a simple 麻の葉-like lattice so the back reads as a card back
        y = inner.top + 8 + k * (inner.height - 16) // 5
        pygame.draw.line(surf, (200, 90, 70), (inner.left + 6, y), (inner.right - 6, y), 2)
    pygame.draw.circle(surf, (240, 220, 180), (w // 2, h // 2), min(w, h) // 6, width=3)
    return surf
