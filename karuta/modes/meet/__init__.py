"""出会ってカルタ (meet mode): walk the district, scan each signpost's QR code, meet its card, collect them all.

Scenes: ``meet`` (home with 「QRコードをよむ」), ``book`` (あつめたカルタ), ``map``, ``keypad``
(signpost codes when there is no camera), plus the met screen, the refusal screen and the
facilitator screens, which are opened with their data rather than by name.

``launch(app)`` opens a card link straight away: ``--open-url URL`` on the desktop, or
the page's ``?deck=..&card=..&k=..`` on the web (a backup link ``?deck=..&m=..&k=..`` too).
"""

from __future__ import annotations

from .. import registry
from . import navigation  # first: it loads every screen module in an order that works (see navigation.py)
from .book import BookScene
from .home import MeetHomeScene
from .keypad import KeypadScene
from .mapview import MapScene

SCENES = {
    "meet": MeetHomeScene,
    "book": BookScene,
    "map": MapScene,
    "keypad": KeypadScene,
}
# ochre: the title has vermillion (shooting), blue, purple, green and navy already
MODES = [registry.ModeInfo("meet", "であってカルタ", (176, 112, 0), order=40)]

_LINK_KEYS = ("card", "m", "k")


def launch(app):
    """The met (or refusal) screen for a link given at start, else None (the normal first scene)."""
    if app.deck is None:
        return None
    url = getattr(app.opts, "open_url", None)
    if url:
        return navigation.open_link(app, url, "launch")
    params = app.platform.launch_params()
    if any(k in params for k in _LINK_KEYS):
        return navigation.open_link(app, params, "launch")
    return None
