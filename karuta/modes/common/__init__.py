"""Pieces several screens share: the header bar with a back button, and the deck title."""

from __future__ import annotations

import pygame

from ...app import theme
from ...app.ui import Button

HEADER_H = 96


def back_button(on_press, label: str = "もどる") -> Button:
    return Button((16, 12, 150, 72), label, on_press, color=theme.BG_DARK, size=28, name="back")


def draw_header(surface: pygame.Surface, fonts, title: str, subtitle_markup: str = "") -> None:
    pygame.draw.rect(surface, (236, 228, 210), (0, 0, surface.get_width(), HEADER_H))
    pygame.draw.line(surface, theme.CARD_EDGE, (0, HEADER_H), (surface.get_width(), HEADER_H), 2)
    text = fonts.render(title, 40, theme.INK, "bold")
    surface.blit(text, text.get_rect(midleft=(190, HEADER_H // 2 - (10 if subtitle_markup else 0))))
    if subtitle_markup:
        sub = fonts.ruby(subtitle_markup, 20, theme.INK_SOFT, "ui", align="left")
        surface.blit(sub, sub.get_rect(topleft=(192, HEADER_H // 2 + 12)).clamp(surface.get_rect()))


def go_back(app) -> None:
    """Leave a screen: back to the one below it, or to the title when it is the only one."""
    app.scenes.pop() if len(app.scenes) > 1 else app.go_title()
