"""Colours and sizes shared by every screen.

The palette is Okabe-Ito based so that colour-blind children can tell the
player/team colours apart; each colour also has a name and a shape in the UI.
"""

SCREEN_SIZE = (1024, 768)
MIN_TOUCH = 64  # logical px: the smallest thing a child is asked to touch

BG = (250, 246, 236)          # warm paper
BG_DARK = (44, 62, 80)
INK = (33, 33, 33)
INK_SOFT = (90, 90, 90)
PAPER = (255, 252, 242)
CARD_EDGE = (120, 96, 60)
ACCENT = (0, 114, 178)        # blue
ACCENT_2 = (213, 94, 0)       # vermillion
GOOD = (0, 158, 115)          # bluish green
WARN = (230, 159, 0)          # orange
WHITE = (255, 255, 255)
SHADOW = (0, 0, 0, 60)

# Player / team colours: (name for children, rgb)
TEAM_COLOURS = [
    ("あお", (0, 114, 178)),
    ("オレンジ", (230, 159, 0)),
    ("みどり", (0, 158, 115)),
    ("むらさき", (204, 121, 167)),
]

# Soft backgrounds for drawn picture cards, one per kana row.
ROW_TINTS = [
    (255, 226, 204), (255, 241, 196), (222, 240, 208), (208, 232, 244), (232, 220, 244),
    (250, 214, 222), (214, 236, 230), (244, 232, 208), (226, 226, 244), (240, 240, 220),
]
