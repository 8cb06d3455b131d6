"""Small widgets: big buttons children can hit, and drawing helpers."""

from __future__ import annotations

from typing import Callable

import pygame

from . import theme
from .input import DOWN, UP, Pointer


class Button:
    """A big rounded button that fires on release inside it (a slip off the button cancels)."""

    def __init__(self, rect, label: str, on_press: Callable[[], None], *, color=theme.ACCENT,
                 text_color=theme.WHITE, size: int = 30, face: str = "bold", enabled: bool = True,
                 name: str = "", icon: str = ""):
        self.rect = pygame.Rect(rect)
        if self.rect.width < theme.MIN_TOUCH or self.rect.height < theme.MIN_TOUCH:
            raise ValueError(f"button {label!r} is {self.rect.size}: smaller than {theme.MIN_TOUCH} px")
        self.label = label
        self.on_press = on_press
        self.color = color
        self.text_color = text_color
        self.size = size
        self.face = face
        self.enabled = enabled
        self.name = name or label
        self.icon = icon
        self._pressed_by: int | None = None
        self.selected = False

    def handle(self, event) -> bool:
        """True when the event was this button's (so a scene can stop looking)."""
        if not isinstance(event, Pointer) or not self.enabled:
            return False
        if event.kind == DOWN and self.rect.collidepoint(event.pos):
            self._pressed_by = event.id
            return True
        if event.kind == UP and self._pressed_by == event.id:
            self._pressed_by = None
            if self.rect.collidepoint(event.pos):
                self.on_press()
                return True
        return False

    def draw(self, surface: pygame.Surface, fonts) -> None:
        r = self.rect
        color = self.color if self.enabled else (180, 180, 180)
        pressed = self._pressed_by is not None
        body = r.move(0, 3) if pressed else r
        if not pressed:
            pygame.draw.rect(surface, _darker(color, 0.65), r.move(0, 5), border_radius=18)
        pygame.draw.rect(surface, color, body, border_radius=18)
        if self.selected:
            pygame.draw.rect(surface, theme.INK, body.inflate(8, 8), width=5, border_radius=22)
        text = self.label if not self.icon else f"{self.icon} {self.label}"
        size = self.size
        label = fonts.render(text, size, self.text_color, self.face)
        while label.get_width() > body.width - 16 and size > 14:
            size -= 2
            label = fonts.render(text, size, self.text_color, self.face)
        surface.blit(label, label.get_rect(center=body.center))


def _darker(color, k: float):
    return tuple(int(c * k) for c in color[:3])


def panel(surface: pygame.Surface, rect, color=theme.PAPER, border=theme.CARD_EDGE, radius: int = 16,
          width: int = 3) -> None:
    rect = pygame.Rect(rect)
    pygame.draw.rect(surface, color, rect, border_radius=radius)
    if width:
        pygame.draw.rect(surface, border, rect, width=width, border_radius=radius)


def blit_center(surface: pygame.Surface, image: pygame.Surface, center) -> pygame.Rect:
    rect = image.get_rect(center=(int(center[0]), int(center[1])))
    surface.blit(image, rect)
    return rect


def fit_within(image_size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with image_size's proportions that fits in box."""
    w, h = image_size
    if w <= 0 or h <= 0:
        return box
    k = min(box[0] / w, box[1] / h)
    return max(1, int(w * k)), max(1, int(h * k))
