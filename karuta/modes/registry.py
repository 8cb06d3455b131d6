"""Which scenes exist and which modes the title screen offers.

A mode module declares ``SCENES`` (name -> factory taking the App), optionally
``MODES`` (buttons for the title screen) and ``launch(app)`` (a scene to open
from launch parameters such as a card link). Adding a mode is one line in
``MODULES``; a mode that is not listed here is not shown.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

MODULES = [
    "karuta.modes.start",  # first: on the web its launch() (tap to start) comes before any other
    "karuta.modes.title",
    "karuta.modes.gallery",
    "karuta.modes.shooting",
    "karuta.modes.settings",
    "karuta.modes.gamemaster",
    "karuta.modes.onscreen",
    "karuta.modes.meet",
]


@dataclass(frozen=True)
class ModeInfo:
    scene: str            # the scene the title button opens
    label: str            # what children read (hiragana first)
    color: tuple          # button colour (theme)
    order: int = 50       # position on the title screen
    icon: str = ""


_loaded: list | None = None


def _modules() -> list:
    global _loaded
    if _loaded is None:
        _loaded = [importlib.import_module(name) for name in MODULES]
    return _loaded


def scene_factory(name: str) -> Callable | None:
    for module in _modules():
        factory = getattr(module, "SCENES", {}).get(name)
        if factory is not None:
            return factory
    return None


def scene_names() -> list[str]:
    names: list[str] = []
    for module in _modules():
        names.extend(getattr(module, "SCENES", {}))
    return names


def modes() -> list[ModeInfo]:
    out: list[ModeInfo] = []
    for module in _modules():
        out.extend(getattr(module, "MODES", []))
    return sorted(out, key=lambda m: m.order)


def first_scene(app):
    """A scene asked for by launch parameters (e.g. a signpost link), else --scene."""
    for module in _modules():
        launch = getattr(module, "launch", None)
        if launch is not None:
            scene = launch(app)
            if scene is not None:
                return scene
    return app.make_scene(app.opts.scene)
