"""Still screens: the App repaints only when the view changes, so after every tap the screen must be
what a full draw shows now (a thing drawn but left out of the view would leave stale pixels)."""

from __future__ import annotations

import pygame
import pytest

from karuta.app import theme
from karuta.app.scene import StillView
from conftest import _buttons

SCREENS = ["deck_picker", "gallery", "shooting", "gamemaster", "keypad", "meet"]


def _full_draw(app) -> bytes:
    full = pygame.Surface(app.screen.get_size())
    full.fill(theme.BG)
    app.scenes.draw(full)
    return pygame.image.tobytes(full, "RGB")


@pytest.mark.parametrize("screen", SCREENS)
def test_every_tap_on_a_still_screen_shows_what_a_full_draw_shows(make_app, screen):
    d = make_app("--scene", screen)
    d.frames(2)
    scene = d.app.scenes.top
    assert isinstance(scene, StillView)
    names = [b.name for b in _buttons(scene) if b.enabled]
    checked = 0
    for name in names:
        if d.app.scenes.top is not scene:  # the last tap opened another screen: start again
            d = make_app("--scene", screen)
            d.frames(2)
            scene = d.app.scenes.top
        button = next((b for b in _buttons(scene) if b.name == name), None)
        if button is None or not button.enabled:
            continue  # a choice made earlier hid or disabled it
        drawn = d.app.frames_drawn
        d.press(name)
        d.frames(2)
        if d.app.scenes.top is scene and not d.app._toasts:  # a message lies over the screen for a while
            assert pygame.image.tobytes(d.app.screen, "RGB") == _full_draw(d.app), f"{screen}: after {name}"
            checked += 1
        settled = d.app.frames_drawn
        d.frames(3)
        if d.app.scenes.top is scene and not d.app._toasts:
            assert d.app.frames_drawn == settled, f"{screen}: still, yet repainted after {name}"
        assert d.app.frames_drawn >= drawn
    assert checked >= 1
