"""``karuta`` command: with no tool name it plays the game (same options as main.py); tools are subcommands."""

from __future__ import annotations

import asyncio
import sys

# tool name -> "module:function"; each function takes argv (list of str) and returns an exit code.
TOOLS: dict[str, tuple[str, str]] = {
    "voice": ("karuta.tools.voice", "make a deck's voice pack: karuta voice decks/<id> [--force] [--rate R]"),
    "deck": ("karuta.tools.deck", "decks: import (open data ZIP + CSV), validate, new, from-csv"),
    "build-web": ("karuta.tools.build_web", "web build for iPads: karuta build-web [--out build/web] [--deck ID ...]"),
    "bench": ("karuta.tools.bench", "start-up, frame times, memory, import, soak: karuta bench [--json FILE] [--quick]"),
    "soak": ("karuta.tools.soak", "long sessions: karuta soak [--scene NAME] [--minutes 30] [--scale 1]"),
    "qr": ("karuta.tools.qr", "signpost labels: karuta qr --deck decks/<id> --base-url URL --out DIR"),
    "sounds": ("karuta.tools.make_sounds", "synthesise the sound effects into assets/sounds/*.ogg (CC0)"),
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in TOOLS:
        module_name, help_text = TOOLS[argv[0]]
        import importlib

        module = importlib.import_module(module_name)
        raise SystemExit(module.run(argv[1:]))
    if argv and argv[0] in ("-h", "--help") and TOOLS:
        print("usage: karuta [TOOL ...] | karuta [game options]\n\ntools:")
        for name, (_, help_text) in TOOLS.items():
            print(f"  {name:12} {help_text}")
        print("\ngame options: see `karuta play --help`\n")
        raise SystemExit(0)
    if argv and argv[0] == "play":
        argv = argv[1:]
    from .app.game import main as game_main

    raise SystemExit(asyncio.run(game_main(argv)))
