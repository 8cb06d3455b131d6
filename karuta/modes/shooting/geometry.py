"""Where things are on the shooting screens (1024x768 logical px)."""

from __future__ import annotations


import pygame

from ...app import theme
from ...app.faces import card_size


SCREEN_W, SCREEN_H = theme.SCREEN_SIZE
TOP_H = 140                                         # reading panel, pause, score
FIELD = pygame.Rect(0, TOP_H, SCREEN_W, 500)        # where cards fly (140..640)
READING_COLUMN = pygame.Rect(8, TOP_H + 8, 196, FIELD.height - 16)  # image-only decks: the reading card
READING_PANEL = pygame.Rect(164, 8, 640, 124)
SCORE_PANEL = pygame.Rect(816, 8, 192, 124)
LAUNCHER = (SCREEN_W // 2, SCREEN_H - 8)            # the base of the launcher, bottom centre
PILE = pygame.Rect(880, 654, 128, 108)              # captured cards
PILE_CARD = card_size(92)
TIMER_BAR = pygame.Rect(24, 650, 420, 14)
OTETSUKI_BOX = pygame.Rect(16, 668, 420, 94)        # bottom left, under the field: no card is hidden

SETTINGS_KEY = "shooting"  # last choices on the setup screen (a mode-owned setting)
