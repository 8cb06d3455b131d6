"""Command-line options of the game (``python main.py --help``)."""

from __future__ import annotations

import argparse
import os


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python main.py",
        description="かるた: local-history karuta games for children (shooting, game master, meet-the-signpost).",
        epilog=scene_list(),
    )
    p.add_argument("--deck", metavar="ID", help="deck to use (a folder name under decks/); default: demo")
    p.add_argument("--decks-dir", metavar="DIR", help="where decks are looked for (default: decks/ of the project)")
    p.add_argument("--scene", metavar="NAME", default="title",
                   help="scene to start in (default: title; the scenes are listed below)")
    p.add_argument("--seed", type=int, metavar="N", help="fix randomness (same seed, same game)")
    p.add_argument("--autoplay", action="store_true", help="a built-in player takes the turns (attract screen, tests)")
    p.add_argument("--headless", action="store_true",
                   help="no window and no audio device; time advances 1/60 s per frame")
    p.add_argument("--frames", type=int, metavar="N", help="stop after N frames")
    p.add_argument("--screenshot", metavar="PNG", help="save the last frame to this PNG file")
    p.add_argument("--data-dir", metavar="DIR", help="where save data is kept (default: the user data folder)")
    p.add_argument("--open-url", metavar="URL", help="open a card link (as from a signpost QR code)")
    p.add_argument("--players", type=int, choices=(1, 2, 3, 4), metavar="N",
                   help="on-screen play (--scene onscreen): number of players (1-4); "
                        "with --autoplay, built-in players play a whole game")
    p.add_argument("--fullscreen", action="store_true", help="desktop: start full screen")
    return p


def scene_list() -> str:
    """The names --scene accepts, as registered by the modes (so the list never goes stale)."""
    from ..modes import registry

    return "scenes for --scene: " + ", ".join(registry.scene_names())


def parse(argv: list[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def screenshot_problem(path: str | None) -> str | None:
    """Why ``--screenshot PATH`` could not be written, checked before the run starts (a run of
    thousands of frames must not end in an error about its output), or None."""
    if not path:
        return None
    if os.path.isdir(path):
        return "is a folder; give a file name, e.g. out.png"
    if not path.lower().endswith(".png"):
        return "the file name must end in .png"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"the folder {os.path.dirname(path) or folder} does not exist; create it first"
    if not os.access(folder, os.W_OK):
        return f"cannot write in the folder {os.path.dirname(path) or folder}"
    if os.path.lexists(path) and not os.path.isfile(path):
        return "exists and is not a regular file"
    return None
