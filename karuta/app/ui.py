"""Small widgets: big buttons children can hit, and drawing helpers."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Callable

import pygame

from . import pictograms, theme
from .input import DOWN, UP, Pointer


class Button:
    """A big rounded button that fires on release inside it (a slip off the button cancels)."""

    def __init__(self, rect, label: str, on_press: Callable[[], None], *, color=theme.ACCENT,
                 text_color=theme.WHITE, size: int = 30, face: str = "bold", enabled: bool = True,
                 name: str = "", icon: str = "", pictogram: str = ""):
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
        self.pictogram = pictogram  # a name from karuta.app.pictograms, drawn left of the label
        self._pressed_by: int | None = None
        self.selected = False
        self._sprites: dict[tuple, pygame.Surface] = {}

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

    def look(self) -> tuple:
        """Everything that changes how the button is drawn (for a scene's view_key)."""
        return (tuple(self.rect), self.label, self.icon, self.pictogram, tuple(self.color), tuple(self.text_color), self.size,
                self.face, self.enabled, self.selected, self._pressed_by is not None)

    def draw(self, surface: pygame.Surface, fonts) -> None:
        # Rounded rectangles are drawn in software: a button is painted once per look into a
        # sprite and then only blitted (a screen of buttons was spending most of its frame here).
        pressed = self._pressed_by is not None
        key = (self.rect.size, self.label, self.icon, self.pictogram, tuple(self.color), tuple(self.text_color), self.size, self.face,
               self.enabled, self.selected, pressed, id(fonts))
        sprite = self._sprites.get(key)
        if sprite is None:
            sprite = self._paint(fonts, pressed)
            if len(self._sprites) >= 4:  # a button has a few looks; labels that change often must not pile up
                self._sprites.pop(next(iter(self._sprites)))
            self._sprites[key] = sprite
        surface.blit(sprite, (self.rect.x - _PAD, self.rect.y - _PAD))

    def _paint(self, fonts, pressed: bool) -> pygame.Surface:
        w, h = self.rect.size
        sprite = pygame.Surface((w + 2 * _PAD, h + 2 * _PAD + 4), pygame.SRCALPHA)
        r = pygame.Rect(_PAD, _PAD, w, h)
        color = self.color if self.enabled else (180, 180, 180)
        body = r.move(0, 3) if pressed else r
        if not pressed:
            pygame.draw.rect(sprite, _darker(color, 0.65), r.move(0, 5), border_radius=18)
        pygame.draw.rect(sprite, color, body, border_radius=18)
        if self.selected:
            pygame.draw.rect(sprite, theme.INK, body.inflate(8, 8), width=5, border_radius=22)
        text = self.label if not self.icon else f"{self.icon} {self.label}"
        text_area = body
        if self.pictogram:
            side = min(body.height - 28, 88)
            icon_rect = pygame.Rect(body.left + 20, body.centery - side // 2, side, side)
            if pictograms.draw(self.pictogram, sprite, icon_rect, self.text_color):
                text_area = pygame.Rect(icon_rect.right + 8, body.top, body.right - icon_rect.right - 8, body.height)
        size = self.size
        label = fonts.render(text, size, self.text_color, self.face)
        while label.get_width() > text_area.width - 16 and size > 14:
            size -= 2
            label = fonts.render(text, size, self.text_color, self.face)
        sprite.blit(label, label.get_rect(center=text_area.center))
        return sprite.convert_alpha() if pygame.display.get_surface() is not None else sprite




@dataclass(frozen=True)
class ButtonsView:
    """Buttons as a still view shows them: compared by their looks, drawn by the buttons themselves.

    ``Button.look()`` holds everything ``Button.draw`` uses, so equal looks draw equal pixels. The
    buttons are held weakly: the App keeps the last view key, and a key must not keep a left
    scene alive (a button's action refers to its scene).
    """

    looks: tuple
    buttons: tuple = field(compare=False, repr=False)  # weak references to the buttons, in drawing order

    @classmethod
    def of(cls, *buttons: "Button") -> "ButtonsView":
        return cls(tuple(b.look() for b in buttons), tuple(weakref.ref(b) for b in buttons))

    def draw(self, surface: pygame.Surface, fonts) -> None:
        for ref in self.buttons:
            button = ref()
            if button is not None:
                button.draw(surface, fonts)
_PAD = 4  # the selection ring reaches 4 px outside the rect; the pressed ring 7 px below it


def _darker(color, k: float):
    return tuple(int(c * k) for c in color[:3])


def panel(surface: pygame.Surface, rect, color=theme.PAPER, border=theme.CARD_EDGE, radius: int = 16,
          width: int = 3) -> None:
    rect = pygame.Rect(rect)
    if rect.width <= 0 or rect.height <= 0 or len(color) > 3 or len(border) > 3:
        # translucent colours keep the direct path: a sprite would blend where drawing replaces
        pygame.draw.rect(surface, color, rect, border_radius=radius)
        if width:
            pygame.draw.rect(surface, border, rect, width=width, border_radius=radius)
        return
    key = (rect.size, tuple(color), tuple(border), radius, width)
    image = _panels.get(key)
    if image is None:  # painted once per size and look, like buttons: rounded corners are slow to draw
        image = pygame.Surface(rect.size, pygame.SRCALPHA)
        local = image.get_rect()
        pygame.draw.rect(image, color, local, border_radius=radius)
        if width:
            pygame.draw.rect(image, border, local, width=width, border_radius=radius)
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha()
        _panels[key] = image
        # Panels that follow a moving size (a growing bar) or cover the screen must not pile up.
        while len(_panels) > 1 and (len(_panels) > 64 or cached_bytes() > PANEL_CACHE_BYTES):
            _panels.pop(next(iter(_panels)))
    surface.blit(image, rect)


PANEL_CACHE_BYTES = 4 * 1024 * 1024
_panels: dict[tuple, pygame.Surface] = {}


def cached_bytes() -> int:
    """Pixel memory held by the panel cache."""
    return sum(s.get_pitch() * s.get_height() for s in _panels.values())


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
