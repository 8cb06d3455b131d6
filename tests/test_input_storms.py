"""Random input storms in every scene: hundreds of taps, drags, multi-finger touches and key presses in a
few frames, posted as real pygame events. Nothing may raise, and afterwards the scene still answers:
no pointer is left held down and the way back to the title still works."""

import random
import zlib

import pygame
import pytest

from karuta.app.input import Pointer
from karuta.app.ui import Button
from karuta.modes import registry
from karuta.tools.soak_input import Toucher

# Buttons that lead back, in the order a child (or teacher) would try them; Escape after them.
BACK = ("back", "quit", "yes", "cancel", "done", "title", "menu")


def buttons_of(scene) -> list[Button]:
    found = []
    for value in vars(scene).values():
        items = value if isinstance(value, (list, tuple)) else value.values() if isinstance(value, dict) else [value]
        for item in items:
            if isinstance(item, Button):
                found.append(item)
            elif isinstance(item, tuple):
                found.extend(x for x in item if isinstance(x, Button))
    return found


def back_to_title(d, limit: int = 16) -> list[str]:
    """Leave through the scenes' own back buttons (or Escape) until the title shows; the path taken."""
    path = []
    for _ in range(limit):
        top = d.app.scenes.top
        name = getattr(top, "name", type(top).__name__)
        path.append(name)
        if name == "title":
            return path
        by_name = {b.name: b for b in buttons_of(top) if b.enabled}
        before = list(d.app.scenes)
        # "back" is not always a way out (a reader's back is the previous card): try the next one then.
        for n in BACK:
            if n in by_name:
                d.tap(by_name[n].rect.center, frames=3)
                if list(d.app.scenes) != before or not d.app.running:
                    break
        else:
            d.key(pygame.K_ESCAPE, frames=3)
            if list(d.app.scenes) == before:  # e.g. the tap-to-start screen: the whole screen is its button
                d.tap((d.app.size[0] // 2, d.app.size[1] // 2), frames=3)
        if not d.app.running:  # a scene may close the game; that is a working way out too
            return path + ["(quit)"]
    raise AssertionError(f"no way back to the title: {' -> '.join(path)}; "
                         f"buttons on top: {[b.name for b in buttons_of(d.app.scenes.top)]}")


def storm(d, seed: int, bursts: int = 3, gestures: int = 120) -> int:
    """``bursts`` storms of ``gestures`` gestures, each squeezed into 3 frames; returns events posted."""
    toucher = Toucher(random.Random(seed), d.app.size)
    frame = 0
    for _ in range(bursts):
        toucher.storm(gestures, frame=frame, spread=3)
        for _ in range(16):  # the storm's own frames, then its drags and holds play out
            toucher.post_due(frame)
            d.frames(1)
            frame += 1
    toucher.release_all()
    d.frames(3)
    return toucher.posted


@pytest.mark.parametrize("scene", registry.scene_names())
def test_a_storm_of_input_leaves_every_scene_working(scene, make_app):
    d = make_app("--scene", scene)
    d.frames(2)
    posted = storm(d, seed=zlib.crc32(scene.encode()))
    assert posted > 300
    if not d.app.running:
        pytest.skip(f"{scene}: a key in the storm closed the game (exit code {d.app.exit_code})")
    assert d.app.scenes.top is not None
    assert not d.app.input._down, f"pointers still held down after every finger lifted: {d.app.input._down}"
    d.frames(5)
    path = back_to_title(d)
    assert path[-1] in ("title", "(quit)")
    if path[-1] == "title":
        # and the title answers a plain tap: the gallery opens
        d.press("gallery", frames=3)
        assert getattr(d.app.scenes.top, "name", "") == "gallery"


def test_buttons_are_not_left_pressed_by_a_lost_finger(make_app):
    """A finger that went down on a button and never came up (the app lost it) does not block the button."""
    d = make_app("--scene", "title")
    d.frames(1)
    button = d.button("gallery")
    d.finger("down", button.rect.center, finger_id=42)
    d.frames(1)
    assert button._pressed_by is not None
    d.app.input.reset()  # the UP never comes
    d.tap(button.rect.center)
    assert getattr(d.app.scenes.top, "name", "") == "gallery"


def test_off_screen_and_stray_events_are_harmless(make_app):
    d = make_app("--scene", "gallery")
    d.frames(1)
    w, h = d.app.size
    for x, y in ((-50, -50), (w + 80, h + 80), (w // 2, -1), (-1, h // 2)):
        d.finger("down", (x, y), finger_id=7)
        d.frames(1)
        d.finger("up", (x, y), finger_id=7)
        d.frames(1)
    pygame.event.post(pygame.event.Event(pygame.FINGERUP, x=0.5, y=0.5, dx=0, dy=0, finger_id=999, touch_id=1,
                                         pressure=1.0))  # an UP with no DOWN
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(10, 10), button=1, touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-3, flipped=False, precise_x=0.0,
                                         precise_y=-3.0, touch=False))
    d.frames(2)
    assert getattr(d.app.scenes.top, "name", "") == "gallery"
    event = d.app.input.map(pygame.event.Event(pygame.FINGERDOWN, x=9.0, y=-4.0, dx=0, dy=0, finger_id=1,
                                               touch_id=1, pressure=1.0), 0.0)
    assert isinstance(event, Pointer)
    assert 0 <= event.pos[0] < w and 0 <= event.pos[1] < h  # clamped onto the screen
