"""Scenes and the scene stack: input goes to the top scene; push/pop/replace change screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:  # pragma: no cover
    from .game import App


class Scene:
    """One screen. The App calls exactly these methods; each has a default that does nothing.

    Every frame: ``handle`` for each Pointer/Key event, then ``update(dt)``, then (with
    --autoplay) ``autoplay_step(dt)``, then the App asks ``view_key()`` of each visible scene
    and, only when the keys changed, either ``repaint(surface)`` (the top scene alone on screen)
    or a full ``draw(surface)`` of the visible stack.
    """

    name = "scene"
    overlay = False  # draw the scene below first (for dialogs)

    def __init__(self, app: "App"):
        self.app = app

    def enter(self) -> None:
        """Called when the scene becomes the top of the stack (again)."""

    def leave(self) -> None:
        """Called when the scene stops being the top (popped, replaced or covered)."""

    def handle(self, event) -> None:
        """One Pointer or Key event (karuta.app.input), never a raw pygame event."""

    def update(self, dt: float) -> None:
        """Advance by ``dt`` seconds; motion depends on elapsed time only."""

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the 1024x768 logical screen."""

    def autoplay_step(self, dt: float) -> None:
        """With --autoplay, act as a player would (scenes that support it override this)."""

    def view_key(self):
        """What the screen shows, as a hashable value; None (the default) = draw every frame.

        A still screen returns a value that changes whenever its drawing would change, so the
        App skips repainting while it stays equal. Computing it must not change the scene (labels
        change in ``update``/``handle``): the key describes a frame, it does not prepare one.
        """
        return None

    def repaint(self, surface: pygame.Surface) -> bool:
        """Redraw only what moved over this scene's own last frame; False (the default) = draw in full.

        Called only when the screen holds exactly this scene's last frame (no dialog, no message).
        """
        return False


class StillView:
    """A still screen's protocol: one frozen dataclass is both its view key and its drawing's only input.

    Mix in before the Scene class (``class TitleScene(StillView, ButtonScreen)``). The screen builds
    the dataclass from its state in ``still()`` (building changes nothing) and paints it in
    ``paint(surface, view)``, which reads nothing else from the scene but services (``app.fonts``,
    ``app.faces``, ``app.size``). The App compares ``still()`` frame to frame and ``draw`` paints
    that same value, so a thing left out of the view cannot be drawn: what is compared and what is
    drawn cannot drift. The view is built when asked rather than kept from ``update``: in a frame
    ``handle`` and ``autoplay_step`` change the scene around ``update``, and a kept copy would miss that.
    """

    def still(self):
        """What the screen shows now: a frozen dataclass (compared with ==, never changed)."""
        raise NotImplementedError

    def paint(self, surface: pygame.Surface, view) -> None:
        """Paint ``view`` (what ``still()`` built) on the 1024x768 logical screen."""
        raise NotImplementedError

    def view_key(self):
        return self.still()

    def draw(self, surface: pygame.Surface) -> None:
        self.paint(surface, self.still())


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
