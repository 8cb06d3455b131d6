"""The one confetti effect (a hit's burst, a shower): it reports every pixel it drew and stops on time."""

from __future__ import annotations

import pygame

from karuta.modes.common.confetti import Confetti

SIZE = (1024, 768)


def _changed_outside(before: pygame.Surface, after: pygame.Surface, rects: list[pygame.Rect]) -> bool:
    """Whether a pixel changed outside every returned rectangle (a repaint in place would leave it)."""
    restored = after.copy()
    for r in rects:
        restored.blit(before, r, r)  # put back what the rectangles cover: only untracked pixels stay changed
    return pygame.image.tobytes(restored, "RGB") != pygame.image.tobytes(before, "RGB")


def _frames(start: float, end: float, step: float = 0.1):
    now = start
    while now < end:
        yield now
        now += step


def test_every_drawn_pixel_lies_in_a_returned_rect_for_burst_and_shower():
    background = pygame.Surface(SIZE)
    background.fill((250, 246, 236))
    effects = [Confetti.burst(1.0, (500, 600), "7:3:c"), Confetti.shower(0.0, 7, 80, pygame.Rect((0, 0), SIZE))]
    for confetti in effects:
        drew_something = False
        for now in _frames(confetti.t0, confetti.t0 + confetti.duration):
            out = background.copy()
            rects = confetti.draw(out, now)
            drew_something |= bool(rects)
            assert not _changed_outside(background, out, rects), now
        assert drew_something


def test_confetti_draws_nothing_once_its_time_is_over():
    for confetti in (Confetti.burst(2.0, (300, 300), 1), Confetti.shower(0.0, 1, 60, pygame.Rect((0, 0), SIZE), 3.0)):
        end = confetti.t0 + confetti.duration
        assert confetti.alive(end - 0.01) and not confetti.alive(end)
        out = pygame.Surface(SIZE)
        assert confetti.draw(out, end) == []
        assert pygame.transform.average_color(out)[:3] == (0, 0, 0)


def test_a_burst_is_the_same_for_the_same_seed_and_differs_for_another():
    def picture(seed) -> bytes:
        out = pygame.Surface(SIZE)
        Confetti.burst(0.0, (500, 500), seed).draw(out, 0.3)
        return pygame.image.tobytes(out, "RGB")

    assert picture("1:0:c") == picture("1:0:c")
    assert picture("1:0:c") != picture("1:1:c")
