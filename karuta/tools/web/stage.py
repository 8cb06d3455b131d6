"""The staged folder: exactly what the browser runs (main.py, the runtime packages, the sounds).

Decks are staged by web/decks.py and the fonts by web/fonts.py into the same folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _
from .errors import BuildError
from .layout import ROOT

RUNTIME_PACKAGES = ("engine", "app", "modes")   # never tools: the browser has no use for them
ASSET_SUFFIXES = {".ogg", ".png", ".jpg", ".jpeg", ".json", ".txt"}
REFUSED_AUDIO = {".wav", ".mp3", ".aiff", ".flac"}


@dataclass
class Stage:
    """The staged folder and what went into it."""

    root: Path
    decks: list[str] = field(default_factory=list)
    chars: dict[str, str] = field(default_factory=dict)       # character -> where it is first used
    deck_chars: dict[str, str] = field(default_factory=dict)  # the decks' text
    code_chars: dict[str, str] = field(default_factory=dict)  # the game's own string literals
    notes: list[str] = field(default_factory=list)            # translated lines for the report


def stage_code(stage: Stage) -> None:
    shutil.copyfile(ROOT / "main.py", stage.root / "main.py")
    package = ROOT / "karuta"
    (stage.root / "karuta").mkdir()
    shutil.copyfile(package / "__init__.py", stage.root / "karuta" / "__init__.py")
    for name in RUNTIME_PACKAGES:
        src = package / name
        if not src.is_dir():
            raise BuildError(_("{path} is missing: the runtime packages are {packages}")
                             .format(path=src, packages=", ".join(RUNTIME_PACKAGES)))
        for path in sorted(src.rglob("*")):
            rel = path.relative_to(package)
            if path.is_dir() or "__pycache__" in rel.parts or path.name.startswith("."):
                continue
            if path.suffix in (".pyc", ".pyo"):
                continue
            dst = stage.root / "karuta" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dst)


def stage_assets(stage: Stage) -> None:
    """assets/* except the page (assets/web) and the fonts (subset later)."""
    src_root = ROOT / "assets"
    for path in sorted(src_root.rglob("*")):
        rel = path.relative_to(src_root)
        if path.is_dir() or rel.parts[0] in ("web", "fonts") or path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix in REFUSED_AUDIO:
            raise BuildError(_("{path}: iPads play only .ogg in this game; convert it (e.g. ffmpeg -i IN OUT.ogg)")
                             .format(path=path))
        if suffix not in ASSET_SUFFIXES:
            continue  # sources, notes (.md) and other desktop files stay home
        dst = stage.root / "assets" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dst)
