"""What the meet scenes share: the saved collection, refusals' log, words for children, the map projection.

The store is the single source of truth: every scene loads the collection when it opens
and saves right after a change, so a crash or a closed tab never loses a meeting.
"""

from __future__ import annotations

import math
import sys
from datetime import date
from typing import Sequence

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


# ---------------------------------------------------------------- map projection


class Projection:
    """Latitude/longitude to screen pixels, fitted to a rectangle with the same scale on both axes.

    An equirectangular view around the points' middle latitude: over a few kilometres
    it is indistinguishable from a real map projection.
    """

    MIN_SPAN_M = 200.0  # a deck with one signpost still gets a sensible scale

    def __init__(self, points: Sequence[tuple[float, float]], rect, pad: int = 36):
        x, y, w, h = rect
        self.rect = (x, y, w, h)
        pts = list(points) or [(0.0, 0.0)]
        lats = [p[0] for p in pts]
        lons = [p[1] for p in pts]
        self.lat0 = (min(lats) + max(lats)) / 2
        self.kx = math.cos(math.radians(self.lat0))
        self.m_per_deg = 111_195.0
        self.cx = (min(lons) + max(lons)) / 2 * self.kx
        self.cy = self.lat0
        span_x = max((max(lons) - min(lons)) * self.kx * self.m_per_deg, self.MIN_SPAN_M)
        span_y = max((max(lats) - min(lats)) * self.m_per_deg, self.MIN_SPAN_M)
        self.px_per_m = min((w - 2 * pad) / span_x, (h - 2 * pad) / span_y)
        self.centre = (x + w / 2, y + h / 2)

    def to_screen(self, lat: float, lon: float) -> tuple[int, int]:
        dx = (lon * self.kx - self.cx) * self.m_per_deg * self.px_per_m
        dy = (lat - self.cy) * self.m_per_deg * self.px_per_m
        return int(round(self.centre[0] + dx)), int(round(self.centre[1] - dy))

    def scale_bar(self, max_px: int = 160) -> tuple[int, int]:
        """A round distance in metres and its length in pixels, at most max_px long."""
        best = (10, int(10 * self.px_per_m))
        for metres in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
            px = metres * self.px_per_m
            if px <= max_px:
                best = (metres, int(round(px)))
        return best


def located_cards(deck: Deck):
    return [c for c in deck.cards if c.has_location]
