"""カルタシューティング: setup -> round -> results, with a pause overlay.

Thin by design: taps become ``Round.shoot`` calls, the round's state becomes pixels.
Everything on screen moves as a function of the scene's own clock (seconds of play,
standing still while paused), so the picture is the same at any frame rate.
"""

from __future__ import annotations

from ...app import theme
from .. import registry
from .round import ShootingRoundScene
from .setup import ShootingSetupScene


SCENES = {"shooting": ShootingSetupScene, "shooting_round": ShootingRoundScene}
MODES = [registry.ModeInfo("shooting", "シューティング", theme.ACCENT_2, order=10)]
