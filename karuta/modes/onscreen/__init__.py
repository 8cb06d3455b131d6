"""みんなで とる: on-screen play, 1-4 players around one iPad.

The round's picture cards lie shuffled in the middle; each player owns one side of
the screen (their colour, score, the card being read and their taken cards all face
them). A touch counts for the player whose side it starts from: touch a card on your
side, or put a finger down on your side and slide it onto a card anywhere. Touches
that come in together are decided by time in engine/match.py; the reader is the
shared timeline of engine/reading.py. With one player it is practice against the clock.
"""

from __future__ import annotations

from ...app.scene import Scene
from .. import registry
from ..common.nodeck import NoDeckScene
from .setup import OnscreenSetupScene


def open_setup(app) -> Scene:
    return OnscreenSetupScene(app) if app.deck is not None and app.deck.cards else NoDeckScene(app)


SCENES = {"onscreen": open_setup}
# The Okabe-Ito reddish purple, darkened so white text on it stays readable.
MODES = [registry.ModeInfo("onscreen", "みんなで とる", (153, 91, 125), order=30)]
