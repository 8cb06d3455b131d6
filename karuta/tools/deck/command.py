"""The ``karuta deck`` command line: its parser, and running a subcommand with its exit code."""

from __future__ import annotations

import argparse
import os
import sys

from ...engine.kana import KANA_ORDERS
from ..i18n import _
from ..refuse import Refused
from .from_csv import cmd_from_csv
from .import_open_data import DEFAULT_LICENCE, cmd_import
from .new import cmd_new
from .validate import cmd_validate


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="karuta deck", description=_(
        "Make and check karuta decks (docs/decks.md). `karuta deck voice DECK` makes a voice pack, "
        "`karuta deck texts DECK --export/--import texts.csv` adds texts from a spreadsheet, "
        "`karuta deck furigana DECK` proposes furigana (see their --help)."))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def deck_options(sp: argparse.ArgumentParser, licence_default: str = "") -> None:
        sp.add_argument("--out", required=True, metavar="DIR",
                        help=_("the deck folder to write, e.g. decks/shimokawabuchi"))
        sp.add_argument("--id", help=_("deck id (default: the --out folder's name)"))
        sp.add_argument("--name", help=_("deck name shown to children; furigana as 漢字(かんじ)"))
        sp.add_argument("--district", help=_("the district the karuta is about"))
        sp.add_argument("--kana", choices=sorted(KANA_ORDERS),
                        help=_("kana order of the card numbers (default: from the CSV's kana, else aiueo)"))
        sp.add_argument("--licence", "--license", dest="licence",
                        help=_("licence of the content (default: {licence})").format(licence=licence_default)
                        if licence_default else _("licence of the content"))
        sp.add_argument("--attribution", help=_("credit line for the content"))
        sp.add_argument("--source-url", help=_("the page the files were downloaded from"))
        sp.add_argument("--force", action="store_true", help=_(
            "replace the deck in an existing --out folder (texts typed into its deck.yaml are kept; files the "
            "tools did not make are kept, or moved to kept-<date-time>/ when in the way)"))
        sp.add_argument("--quiet", action="store_true", help=_("no progress"))

    imp = sub.add_parser("import", help=_("make a deck from the city's open data (image ZIP + location CSV)"))
    imp.add_argument("--zip", required=True, metavar="IMAGES.zip",
                     help=_("the card images ZIP (01a.jpg, 01b.jpg, ...)"))
    imp.add_argument("--csv", metavar="LOCATIONS.csv", help=_("the signpost CSV: no, いろは, lat, lon, url"))
    deck_options(imp, DEFAULT_LICENCE)
    imp.set_defaults(func=cmd_import)

    val = sub.add_parser("validate", help=_("check decks: one OK line each, or every problem"))
    val.add_argument("paths", nargs="+", metavar="PATH", help=_("a deck folder or its deck.yaml"))
    val.add_argument("--notes", action="store_true", help=_("also list advice for good decks (furigana, sizes)"))
    val.set_defaults(func=cmd_validate)

    new = sub.add_parser("new", help=_("write a ready-to-edit deck with one card per kana"))
    new.add_argument("folder", metavar="decks/<id>", help=_("the deck folder to write"))
    new.add_argument("--name", help=_("deck name shown to children"))
    new.add_argument("--district", help=_("the district the karuta is about"))
    new.add_argument("--kana", choices=sorted(KANA_ORDERS), default="aiueo",
                     help=_("aiueo (44 cards), iroha (47) or iroha48 (48)"))
    new.add_argument("--id", help=_("deck id (default: the folder's name)"))
    new.add_argument("--force", action="store_true", help=_("replace the deck.yaml of an existing deck"))
    new.set_defaults(func=cmd_new)

    fcsv = sub.add_parser("from-csv", help=_("make a deck from a spreadsheet CSV and a folder of images"))
    fcsv.add_argument("--csv", required=True, metavar="CARDS.csv",
                      help=_("columns kana, reading, title, explanation, lat, lon (and optionally no, url)"))
    fcsv.add_argument("--images", metavar="DIR", help=_("card images named like 01a.jpg / 01b.jpg / 01c.jpg"))
    deck_options(fcsv)
    fcsv.set_defaults(func=cmd_from_csv)
    from ..maptiles import add_parser as add_map_parser

    add_map_parser(sub)  # `karuta deck map`: the map screen's picture from map tiles
    return p


def run(argv: list[str]) -> int:
    if argv and argv[0] == "voice":  # `karuta deck voice` is the voice tool, kept in its own module
        from .. import voice

        return voice.run(argv[1:])
    if argv and argv[0] in ("texts", "furigana"):  # the texts round trip and furigana proposals (own modules)
        from .. import furigana, texts

        return {"texts": texts, "furigana": furigana}[argv[0]].run(argv[1:])
    parser = build_parser()
    if not argv:
        parser.print_help()
        return 2
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    command = f"karuta deck {args.command}"
    try:
        return args.func(args)
    except Refused as exc:
        if args.command in ("import", "new", "from-csv"):
            print(_("{command}: {problem}\n(nothing was written)").format(command=command, problem=exc),
                  file=sys.stderr)
        else:
            print(f"{command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("{command}: interrupted; nothing was written").format(command=command), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so in one line rather than a traceback
        if os.environ.get("KARUTA_DEBUG"):
            raise
        print(_("{command}: unexpected error: {error} (a bug in karuta: please report it; KARUTA_DEBUG=1 shows "
                "the details)").format(command=command, error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 3
