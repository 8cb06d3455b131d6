"""Team names and colours, the same for every mode (colour-blind safe, from the theme)."""

from __future__ import annotations

from ...app import theme


def team_name(i: int) -> str:
    return theme.TEAM_COLOURS[i][0]


def team_colour(i: int):
    return theme.TEAM_COLOURS[i][1]
