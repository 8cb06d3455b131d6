"""A screen made of buttons: it owns them and their event loop."""

from __future__ import annotations

import pygame

from ...app.input import Key, Pointer
from ...app.scene import Scene
from ...app.ui import Button, ButtonsView
from . import go_back


def press_first(buttons, event) -> bool:
    """Give ``event`` to each button in turn until one takes it; True when one did."""
    for button in buttons:
        if button.handle(event):
            return True
    return False


class ButtonScreen(Scene):
    """A Scene whose taps go to its buttons.

    A subclass lists the buttons on screen now in ``controls()`` (in the order they get events),
    handles keys in ``key()`` and pointer events no button took in ``pointer()``.
    """

    def controls(self) -> list[Button]:
        return []

    def handle(self, event) -> None:
        if isinstance(event, Key):
            self.key(event)
        elif not press_first(self.controls(), event):
            self.pointer(event)

    def key(self, event: Key) -> None:
        """A key press (desktop); none by default."""

    def pointer(self, event: Pointer) -> None:
        """A pointer event that no button took; none by default."""

    def shown(self) -> ButtonsView:
        """The buttons on screen now as a still view shows them (compared by look, drawn in order)."""
        return ButtonsView.of(*self.controls())

    def go_back(self) -> None:
        go_back(self.app)


class SetupScreen(ButtonScreen):
    """A mode's setup screen: a back button and the choices' buttons; Esc goes back, Enter starts."""

    def controls(self) -> list[Button]:
        return [self.back, *self.buttons]

    def key(self, event: Key) -> None:
        if event.key == pygame.K_ESCAPE:
            self.go_back()
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()

    def start(self) -> None:
        """Begin with the chosen settings."""
        raise NotImplementedError
