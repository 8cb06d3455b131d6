"""``karuta`` command: with no tool name it plays the game (same options as main.py); tools are subcommands."""

from __future__ import annotations

import asyncio
import sys


def N_(message: str) -> str:
    """Marks a message for the catalog (karuta.tools.i18n translates it when printed)."""
    return message


# tool name -> ("module", help); each module has run(argv: list[str]) -> int (its exit code).
TOOLS: dict[str, tuple[str, str]] = {
    "deck": ("karuta.tools.deck", N_("decks: import (open data ZIP + CSV), validate, new, from-csv, voice")),
    "voice": ("karuta.tools.voice", N_("make a deck's voice pack: karuta voice decks/<id> [--force] [--rate R]")),
    "qr": ("karuta.tools.qr", N_("signpost labels: karuta qr --deck decks/<id> --base-url URL --out DIR; "
                                 "home-screen poster: karuta qr --site URL --out DIR")),
    "build-web": ("karuta.tools.build_web", N_("web build for iPads: karuta build-web [--out build/web] [--deck ID ...]")),
    "serve": ("karuta.tools.serve", N_("try the built site on this computer: karuta serve [--dir build/web] [--port N]")),
    "publish": ("karuta.tools.publish", N_("build the site for publishing (GitHub Pages): karuta publish [--base-url URL]")),
    "bench": ("karuta.tools.bench", N_("start-up, frame times, memory, import, soak: karuta bench [--json FILE] [--quick]")),
    "soak": ("karuta.tools.soak", N_("long sessions: karuta soak [--scene NAME] [--minutes 30] [--scale 1]")),
    "sounds": ("karuta.tools.make_sounds", N_("synthesise the sound effects into assets/sounds/*.ogg (CC0)")),
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in TOOLS:
        import importlib

        from .tools import i18n  # noqa: F401 - every tool speaks the user's language, deck problems too

        module = importlib.import_module(TOOLS[argv[0]][0])
        raise SystemExit(module.run(argv[1:]))
    if argv and argv[0] in ("-h", "--help"):
        raise SystemExit(print_tools(sys.stdout))
    if argv and argv[0] == "play":
        argv = argv[1:]
    elif argv and not argv[0].startswith("-"):
        # The game takes no positional arguments, so a bare word can only be a tool's name.
        from .tools.i18n import _

        print(_("karuta: no tool named '{name}' (tools: {tools}; `karuta --help` says what each does)")
              .format(name=argv[0], tools=", ".join(TOOLS)), file=sys.stderr)
        raise SystemExit(2)
    from .app.game import main as game_main

    raise SystemExit(asyncio.run(game_main(argv)))


def print_tools(out) -> int:
    from .tools.i18n import _

    print(_("usage: karuta TOOL [options] | karuta [play] [game options]"), file=out)
    print("", file=out)
    print(_("tools:"), file=out)
    for name, (_module, help_text) in TOOLS.items():
        print(f"  {name:10} {_(help_text)}", file=out)
    print("", file=out)
    print(_("With no tool name karuta plays the game; game options: karuta play --help"), file=out)
    return 0
