"""What the meet scenes share: the saved collection, refusals' log, words for children, the located cards.

The store is the single source of truth: every scene loads the collection when it opens
and saves right after a change, so a crash or a closed tab never loses a meeting.
"""

from __future__ import annotations

import sys
from datetime import date

from ...engine import links
from ...engine.collection import Collection
from ...engine.deck import Deck

# Japanese for children: hiragana first.
DIRECTION_WORDS = {"N": "きた", "NE": "きたひがし", "E": "ひがし", "SE": "みなみひがし",
                   "S": "みなみ", "SW": "みなみにし", "W": "にし", "NW": "きたにし"}

REASON_WORDS = {
    links.EMPTY: "なにも よみとれませんでした。",
    links.OVERLONG: "QRコードに よけいな ものが はいっているみたい。",
    links.NON_ASCII: "QRコードに よけいな ものが はいっているみたい。",
    links.EXTRA: "QRコードに よけいな ものが はいっているみたい。",
    links.NOT_LINK: "カルタの QRコードでは ないみたい。",
    links.UNKNOWN_DECK: "この ゲームに はいっていない カルタの QRコードです。",
    links.UNKNOWN_CARD: "この カルタには ない カードです。",
    links.MISSING_CHECK: "QRコードが かきかえられているみたい。",
    links.BAD_CHECK: "QRコードが かきかえられているみたい。",
    links.BAD_PAYLOAD: "バックアップの QRコードが こわれているみたい。",
    links.BAD_CODE: "コードが ちがうみたい。たてふだを もういちど みてね。",
}


def key(deck: Deck) -> str:
    return f"collection.{deck.id}"


def load(app, deck: Deck | None = None) -> Collection:
    deck = deck or app.deck
    data = app.store.load(key(deck), None, Collection.validator(deck))
    return Collection.from_data(data, deck) if data else Collection(deck.id)


def save(app, collection: Collection, deck: Deck | None = None) -> bool:
    return app.store.save(key(deck or app.deck), collection.to_data())


def today() -> date:
    return date.today()


def decks_in_order(app) -> list[Deck]:
    """The deck in play first: a typed code is tried against it before the others."""
    decks = list(app.valid_decks)
    if app.deck in decks:
        decks.remove(app.deck)
        decks.insert(0, app.deck)
    return decks


def log_refusal(source: str, err: links.LinkError) -> None:
    print(f"karuta: meet: {source} refused ({err.reason}): {err.detail}", file=sys.stderr)


# ---------------------------------------------------------------- words


def distance_words(metres: float) -> str:
    if metres < 1000:
        return f"{max(10, int(round(metres / 10.0)) * 10)}メートル"
    return f"{metres / 1000:.1f}キロメートル"


def date_words(day: date) -> str:
    return f"{day.month}がつ{day.day}にち"


def short_date(day: date) -> str:
    return f"{day.month}/{day.day}"


def row_markup(row_name: str) -> str:
    """あ行 with furigana over 行 (children who read only kana)."""
    return row_name.replace("行", "行(ぎょう)")


# ---------------------------------------------------------------- map


def located_cards(deck: Deck):
    return [c for c in deck.cards if c.has_location]
