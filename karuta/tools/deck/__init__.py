"""``karuta deck``: make and check decks.

    karuta deck import --zip IMAGES.zip --csv LOCATIONS.csv --out decks/<id> [--name NAME] [--force]
    karuta deck validate PATH [PATH ...]
    karuta deck new decks/<id> --name NAME [--kana aiueo|iroha|iroha48]
    karuta deck from-csv --csv CARDS.csv [--images DIR] --out decks/<id> [--name NAME]
    karuta deck map DECK [--tiles URL_TEMPLATE] [--margin METRES]   (tools/maptiles.py)
    karuta deck texts | furigana | voice ...                       (tools/texts.py, furigana.py, voice.py)

Exit codes: 0 done / deck OK, 1 refused or the deck has problems, 2 wrong command line.
The deck format itself is described in docs/decks.md.

One module per subcommand (import_open_data, from_csv, new, validate), the command line in
command.py and what they share in common.py.
"""

from .command import build_parser, run

__all__ = ["build_parser", "run"]
