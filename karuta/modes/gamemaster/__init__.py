"""ゲームマスター: the app as the reader for a game with physical cards.

Screens, in order: setup (cards in play, reading style, teams) -> the visible shuffle
(seeded; the seed is shown so a facilitator can replay a session) -> the layout plan
(where to lay the picture cards) -> the reading screen (big text, the controls,
the team scoreboard) -> the ranking. The rhythm lives in engine/reading.py, the
scoring in engine/match.py, the card choice in engine/cardset.py.
"""

from __future__ import annotations

from ...app import theme
from ...app.scene import Scene
from .. import registry
from ..common.nodeck import NoDeckScene
from .setup import GamemasterSetupScene


def open_setup(app) -> Scene:
    return GamemasterSetupScene(app) if app.deck is not None and app.deck.cards else NoDeckScene(app)


SCENES = {"gamemaster": open_setup}
MODES = [registry.ModeInfo("gamemaster", "よみて（ゲームマスター）", theme.ACCENT, order=20)]
