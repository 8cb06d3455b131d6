"""Scenes and the scene stack: input goes to the top scene; push/pop/replace change screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:  # pragma: no cover
    from .game import App


class Scene:
    """One screen. ``handle`` gets Pointer/Key events, ``update`` advances time, ``draw`` paints."""

    name = "scene"
    overlay = False  # draw the scene below first (for dialogs)

    def __init__(self, app: "App"):
        self.app = app

    def enter(self) -> None:
        """Called when the scene becomes the top of the stack (again)."""

    def leave(self) -> None:
        """Called when the scene stops being the top (popped, replaced or covered)."""

    def handle(self, event) -> None:
        pass

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        pass

    def autoplay_step(self, dt: float) -> None:
        """With --autoplay, act as a player would (scenes that support it override this)."""


class SceneStack:
    def __init__(self):
        self._stack: list[Scene] = []

    @property
    def top(self) -> Scene | None:
        return self._stack[-1] if self._stack else None

    def __len__(self) -> int:
        return len(self._stack)

    def __iter__(self):
        return iter(self._stack)

    def push(self, scene: Scene) -> None:
        if self._stack:
            self._stack[-1].leave()
        self._stack.append(scene)
        scene.enter()

    def pop(self) -> Scene | None:
        if not self._stack:
            return None
        scene = self._stack.pop()
        scene.leave()
        if self._stack:
            self._stack[-1].enter()
        return scene

    def replace(self, scene: Scene) -> None:
        if self._stack:
            self._stack.pop().leave()
        self._stack.append(scene)
        scene.enter()

    def reset(self, scene: Scene) -> None:
        """Clear everything and show ``scene`` (e.g. back to the title)."""
        while self._stack:
            self._stack.pop().leave()
        self._stack.append(scene)
        scene.enter()

    def draw(self, surface: pygame.Surface) -> None:
        start = len(self._stack) - 1
        while start > 0 and self._stack[start].overlay:
            start -= 1
        for scene in self._stack[start:]:
            scene.draw(surface)
