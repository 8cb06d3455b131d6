"""Shared test helpers: headless pygame, an App driven frame by frame, and real posted events."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
# Tools imported in this process speak English whatever the developer's locale, so tests can read
# their messages; tests/tool_locales.py runs tools as processes under a chosen locale.
os.environ["LANGUAGE"] = "en"

import pygame  # noqa: E402
import pytest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from karuta.app import options  # noqa: E402
from karuta.app.game import App  # noqa: E402


class Driver:
    """Runs an App headless and posts real pygame events to it."""

    def __init__(self, app: App):
        self.app = app

    def frames(self, n: int = 1) -> None:
        for _ in range(n):
            self.app.step(1 / 60)

    def tap(self, pos, frames: int = 2) -> None:
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        self.frames(1)
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
        self.frames(frames)

    def finger(self, kind: str, pos, finger_id: int = 0) -> None:
        etype = {"down": pygame.FINGERDOWN, "up": pygame.FINGERUP, "move": pygame.FINGERMOTION}[kind]
        w, h = self.app.size
        pygame.event.post(pygame.event.Event(etype, x=pos[0] / w, y=pos[1] / h, dx=0, dy=0,
                                             finger_id=finger_id, touch_id=1, pressure=1.0))

    def key(self, key: int, frames: int = 2) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
        self.frames(frames)

    def button(self, name: str):
        """The Button named ``name`` in the top scene (searched in the scene's attributes)."""
        scene = self.app.scenes.top
        for b in _buttons(scene):
            if b.name == name:
                return b
        raise AssertionError(f"no button {name!r} in {type(scene).__name__}: {[b.name for b in _buttons(scene)]}")

    def press(self, name: str, frames: int = 2) -> None:
        self.tap(self.button(name).rect.center, frames)

    def screenshot(self, path: str) -> None:
        pygame.image.save(self.app.screen, path)


def _buttons(scene):
    from karuta.app.ui import Button

    found = []
    for value in vars(scene).values():
        if isinstance(value, Button):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, Button):
                    found.append(item)
                elif isinstance(item, tuple):
                    found.extend(x for x in item if isinstance(x, Button))
        elif isinstance(value, dict):
            found.extend(v for v in value.values() if isinstance(v, Button))
    return found


@pytest.fixture
def make_app(tmp_path):
    """make_app("--scene", "gallery", ...) -> Driver with the first scene pushed; save data in tmp_path."""
    created = []

    def factory(*argv: str, platform=None) -> Driver:
        args = ["--headless", "--seed", "1", "--data-dir", str(tmp_path / "data"), *argv]
        opts = options.parse(args)
        app = App(opts, platform=platform)
        from karuta.app.game import start_scene

        app.scenes.push(start_scene(app))
        pygame.event.clear()
        created.append(app)
        return Driver(app)

    yield factory
    pygame.event.clear()
