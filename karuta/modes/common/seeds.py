"""Session numbers (seeds): the first session after launch replays --seed, later ones are fresh."""

from __future__ import annotations

import weakref


from ...engine.shuffle import new_seed


# The first session after launch uses app.seed (so --seed replays it); later ones get fresh seeds.
_sessions_started: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def next_seed(app) -> int:
    """app.seed for the first session of this launch (so --seed replays it), then fresh seeds."""
    count = _sessions_started.get(app, 0)
    return int(app.seed) if count == 0 and isinstance(app.seed, int) else new_seed()


def note_session(app) -> None:
    _sessions_started[app] = _sessions_started.get(app, 0) + 1
