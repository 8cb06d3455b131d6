"""Card links carried by signpost QR codes, typeable signpost codes, and collection-export links.

A signpost's QR code holds ``BASE?c=<code>``, where ``<code>`` is the link's query
``deck=<id>&card=<n>&k=<check>`` written in base32 with the alphabet LINK_ALPHABET (digits and
lower-case letters without ``i l o p``). The web page's loader (pygbag 0.9.3's pythons.js) reads
the query string before the game does: a first parameter containing ``py`` picks the
interpreter, ``-i`` anywhere turns on its console, ``.apk`` (a regular expression: any
character then ``apk``) changes how it finds the bundle, a ``%`` that is not an escape stops it,
and every ``name=value`` becomes an environment variable. ``c=`` plus that alphabet can spell
none of these, whatever the deck id, card or check, so a link can never change what the loader
does. Links in the older plain form (``?deck=..&card=..&k=..``) are still read.

The check is a
short keyed hash (HMAC-SHA256 of the deck id and card number, keyed with the deck's
``link_secret``), so editing the number in a link does not collect another card.
This is protection against guessing and casual editing, NOT cryptography: the secret
ships inside the game, and a determined adult can read it. Nothing of value is behind it.

Each signpost also prints a code a facilitator can type on the in-game keypad when no
camera works: the card's kana and four digits (``あ-4821``). Digits keep the keypad
small; four of them give 1 chance in 10 000 per guess, plenty for a walk in the park.

A collection export is the same kind of link with ``m=<payload>`` instead of ``card``:
the cards met and their dates, compacted (see ``collection.encode_met``) and checked.

Parsing is strict and every refusal carries a ``reason`` code (REASONS) so the game can
show a kind, specific message and the log can say exactly what was wrong.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from .collection import decode_met, encode_met
from .deck import Deck
from .kana import katakana_to_hiragana

MAX_LINK = 512          # characters; a longer QR text is not one of ours
CHECK_LEN = 6           # base32 characters of the card check (30 bits)
CODE_DIGITS = 4         # digits of a signpost code
MAX_PAYLOAD = 400       # characters of a collection payload

# reason codes of LinkError (the game maps each to a message for children)
EMPTY = "empty"
OVERLONG = "overlong"
NON_ASCII = "non_ascii"
NOT_LINK = "not_link"
EXTRA = "extra"
UNKNOWN_DECK = "unknown_deck"
UNKNOWN_CARD = "unknown_card"
MISSING_CHECK = "missing_check"
BAD_CHECK = "bad_check"
BAD_PAYLOAD = "bad_payload"
BAD_CODE = "bad_code"
REASONS = (EMPTY, OVERLONG, NON_ASCII, NOT_LINK, EXTRA, UNKNOWN_DECK, UNKNOWN_CARD, MISSING_CHECK,
           BAD_CHECK, BAD_PAYLOAD, BAD_CODE)

_CHECK_RE = re.compile(r"^[A-Za-z2-7]+$")
_DECK_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_CARD_KEYS = ("deck", "card", "k")
_COLLECTION_KEYS = ("deck", "m", "k")
LINK_KEY = "c"
LINK_ALPHABET = "0123456789abcdefghjkmnqrstuvwxyz"   # no 'p' (py, apk), no '-' (-i), no '%'
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_LINK = str.maketrans(_B32, LINK_ALPHABET)
_FROM_LINK = str.maketrans(LINK_ALPHABET, _B32)
_LINK_CODE_RE = re.compile(f"^[{LINK_ALPHABET}]+$")


class LinkError(ValueError):
    """A link or code that is refused; ``reason`` is one of REASONS, the message says why in English."""

    def __init__(self, reason: str, detail: str):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


@dataclass(frozen=True)
class CardLink:
    deck_id: str
    number: int


@dataclass(frozen=True)
class CollectionLink:
    deck_id: str
    met: Mapping[int, date]


# ---------------------------------------------------------------- checks


def _mac(secret: str, message: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()


def card_check(deck: Deck, number: int) -> str:
    """The ``k`` of a card link: 6 upper-case base32 characters."""
    digest = _mac(deck.link_secret or deck.id, f"card|{deck.id}|{number}")
    return base64.b32encode(digest).decode("ascii")[:CHECK_LEN]


def _collection_check(deck: Deck, payload: str) -> str:
    digest = _mac(deck.link_secret or deck.id, f"collection|{deck.id}|{payload}")
    return base64.b32encode(digest).decode("ascii")[:CHECK_LEN]


def signpost_code(deck: Deck, number: int) -> str:
    """The code printed on a signpost, e.g. ``あ-4821`` (typed on the in-game keypad)."""
    card = deck.card(number)
    if card is None:
        raise KeyError(f"deck {deck.id} has no card {number}")
    digest = _mac(deck.link_secret or deck.id, f"code|{deck.id}|{number}")
    digits = int.from_bytes(digest[:4], "big") % (10 ** CODE_DIGITS)
    return f"{card.kana}-{digits:0{CODE_DIGITS}d}"


# ---------------------------------------------------------------- building


def check_base_url(base_url: str) -> str:
    """The base URL cleaned for building links; ValueError says what is wrong with it.

    An empty base gives bare ``?c=..`` links: the in-game scanner and ``--open-url``
    read them, but a phone's camera app cannot open them.
    """
    base = (base_url or "").strip()
    if not base:
        return ""
    if any(ord(c) > 126 or ord(c) < 33 for c in base):
        raise ValueError(f"{base!r}: use plain ASCII without spaces (percent-encode other characters)")
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{base!r} is not an http(s) address such as https://example.org/karuta/")
    if parts.query or parts.fragment or base.endswith(("?", "#")):
        raise ValueError(f"{base!r} must not contain '?' or '#': the game adds its own query")
    return base


def encode_query(query: str) -> str:
    """``deck=..&card=..`` as the loader-proof ``c=<code>`` (see the module's docstring)."""
    code = base64.b32encode(query.encode("ascii")).decode("ascii").rstrip("=")
    return f"{LINK_KEY}={code.translate(_TO_LINK)}"


def decode_query(code: str) -> str:
    """The query a ``c=`` code carries; LinkError when it is not one of ours."""
    if not code or len(code) > MAX_LINK or not _LINK_CODE_RE.match(code):
        raise LinkError(NOT_LINK, "the c= part is empty, too long or has characters our links never use")
    std = code.translate(_FROM_LINK)
    try:
        raw = base64.b32decode(std + "=" * (-len(std) % 8))
        query = raw.decode("ascii")
    except (ValueError, UnicodeDecodeError):
        raise LinkError(NOT_LINK, "the c= part does not decode to a link") from None
    if encode_query(query) != f"{LINK_KEY}={code}":
        raise LinkError(NOT_LINK, "the c= part is not in the form the game writes")
    return query


def card_link(base_url: str, deck: Deck, number: int) -> str:
    if deck.card(number) is None:
        raise KeyError(f"deck {deck.id} has no card {number}")
    base = check_base_url(base_url)
    return f"{base}?" + encode_query(f"deck={deck.id}&card={number}&k={card_check(deck, number)}")


def collection_link(base_url: str, deck: Deck, met: Mapping[int, date]) -> str:
    base = check_base_url(base_url)
    payload = base64.urlsafe_b64encode(encode_met(met)).decode("ascii").rstrip("=")
    return f"{base}?" + encode_query(f"deck={deck.id}&m={payload}&k={_collection_check(deck, payload)}")


# ---------------------------------------------------------------- parsing


def _deck_map(decks: Deck | Iterable[Deck] | Mapping[str, Deck]) -> dict[str, Deck]:
    if isinstance(decks, Deck):
        return {decks.id: decks}
    if isinstance(decks, Mapping):
        return dict(decks)
    return {d.id: d for d in decks}


def parse_link(text: str, decks: Deck | Iterable[Deck] | Mapping[str, Deck]) -> CardLink | CollectionLink:
    """Read the text of a QR code (or --open-url). Raises LinkError with a specific reason."""
    if not isinstance(text, str):
        raise LinkError(NOT_LINK, f"expected text, got {type(text).__name__}")
    # Scanners and copy-paste often add a trailing newline or spaces: that is not junk.
    text = text.strip()
    if not text:
        raise LinkError(EMPTY, "the text is empty")
    if len(text) > MAX_LINK:
        raise LinkError(OVERLONG, f"{len(text)} characters; a card link is at most {MAX_LINK}")
    if any(ord(c) > 126 for c in text):
        raise LinkError(NON_ASCII, "contains characters outside ASCII; card links are plain ASCII")
    if not (text.startswith("?") or re.match(r"(?i)https?://", text)):
        raise LinkError(NOT_LINK, "not an http(s) link")
    if any(ord(c) < 33 for c in text):
        raise LinkError(EXTRA, "contains spaces or control characters inside the link")
    if text.startswith("?"):
        query, fragment = text[1:], ""
        if "#" in query:
            query, fragment = query.split("#", 1)
    else:
        try:
            parts = urllib.parse.urlsplit(text)
        except ValueError as exc:
            raise LinkError(NOT_LINK, f"not a URL ({exc})") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise LinkError(NOT_LINK, "not an http(s) link")
        query, fragment = parts.query, parts.fragment
        if not query:
            raise LinkError(NOT_LINK, "the link has no ?c=.. part")
    if fragment or text.endswith("#"):
        raise LinkError(EXTRA, "the link has a '#...' part after the query")
    return parse_params(_split_query(query), decks)


def _split_query(query: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for item in query.split("&"):
        if "=" not in item:
            raise LinkError(EXTRA, f"the query part {item[:20]!r} is not name=value")
        key, value = item.split("=", 1)
        if "%" in key or "%" in value or "+" in value:
            # Our links never need escaping; an escaped value is an edited or foreign link.
            raise LinkError(EXTRA, f"the value of {key[:20]!r} is escaped; card links never are")
        pairs.append((key, value))
    return pairs


def parse_params(params: Mapping[str, str] | Iterable[tuple[str, str]],
                 decks: Deck | Iterable[Deck] | Mapping[str, Deck]) -> CardLink | CollectionLink:
    """Check already-split query parameters (the web page's launch parameters, or parse_link's)."""
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    if pairs and pairs[0][0] == LINK_KEY:
        if len(pairs) != 1:
            raise LinkError(EXTRA, "a c= link carries nothing else")
        pairs = _split_query(decode_query(pairs[0][1]))
        if pairs and pairs[0][0] == LINK_KEY:
            raise LinkError(NOT_LINK, "a c= link inside a c= link")
    keys = [k for k, _ in pairs]
    for k, v in pairs:
        if any(ord(c) > 126 for c in k + v):
            raise LinkError(NON_ASCII, f"the parameter {k[:20]!r} contains characters outside ASCII")
    if "deck" not in keys:
        raise LinkError(NOT_LINK, "no deck= in the link")
    if len(set(keys)) != len(keys):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        raise LinkError(EXTRA, f"{', '.join(twice)} given more than once")
    values = dict(pairs)
    kind_keys = _COLLECTION_KEYS if "m" in values else _CARD_KEYS
    extra = [k for k in keys if k not in kind_keys]
    if extra:
        raise LinkError(EXTRA, f"unexpected parameter(s): {', '.join(x[:20] for x in extra)}")
    if keys[0] != "deck":
        # Links we print start with deck=; pygbag's loader also reads the first parameter itself.
        raise LinkError(EXTRA, "deck= is not the first parameter")
    known = _deck_map(decks)
    deck_id = values["deck"]
    deck = known.get(deck_id) if _DECK_RE.match(deck_id) else None
    if deck is None:
        raise LinkError(UNKNOWN_DECK, f"no deck {deck_id[:40]!r} in this game"
                        + (f" (known: {', '.join(sorted(known))})" if known else ""))
    if "m" in values:
        return _parse_collection(deck, values)
    if "card" not in values:
        raise LinkError(NOT_LINK, "no card= in the link")
    raw_card = values["card"]
    if not re.fullmatch(r"[1-9][0-9]{0,2}", raw_card):
        raise LinkError(UNKNOWN_CARD, f"card {raw_card[:20]!r} is not a card number")
    number = int(raw_card)
    if deck.card(number) is None:
        raise LinkError(UNKNOWN_CARD, f"deck {deck.id} has no card {number}")
    k = values.get("k")
    if not k:
        raise LinkError(MISSING_CHECK, "the link has no check (k=)")
    if len(k) != CHECK_LEN or not _CHECK_RE.match(k) or not hmac.compare_digest(k.upper(), card_check(deck, number)):
        raise LinkError(BAD_CHECK, f"the check does not match card {number} of deck {deck.id}")
    return CardLink(deck.id, number)


def _parse_collection(deck: Deck, values: Mapping[str, str]) -> CollectionLink:
    payload = values["m"]
    if not payload or len(payload) > MAX_PAYLOAD or not _PAYLOAD_RE.match(payload):
        raise LinkError(BAD_PAYLOAD, "the collection part is empty, too long or has foreign characters")
    k = values.get("k")
    if not k:
        raise LinkError(MISSING_CHECK, "the collection link has no check (k=)")
    if len(k) != CHECK_LEN or not _CHECK_RE.match(k) or not hmac.compare_digest(k.upper(), _collection_check(deck, payload)):
        raise LinkError(BAD_CHECK, f"the check does not match this collection of deck {deck.id}")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        met = decode_met(raw)
    except ValueError as exc:
        raise LinkError(BAD_PAYLOAD, f"the collection cannot be read: {exc}") from None
    unknown = sorted(n for n in met if deck.card(n) is None)
    if unknown:
        raise LinkError(UNKNOWN_CARD, f"deck {deck.id} has no card {unknown[0]}")
    return CollectionLink(deck.id, met)


# ---------------------------------------------------------------- signpost codes


def normalise_code(text: str) -> str:
    """Fold what a keyboard may produce (full-width digits, katakana, other dashes) to ``あ-1234``."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    t = katakana_to_hiragana(t)
    t = re.sub(r"[\s\-‐‑–—―ー−]+", "", t)
    if t and not t[0].isdigit():
        return f"{t[0]}-{t[1:]}"
    return t


def parse_code(text: str, decks: Deck | Iterable[Deck] | Mapping[str, Deck]) -> CardLink:
    """Read a typed signpost code. The first deck given is tried first (the one in play)."""
    if not isinstance(text, str) or not text.strip():
        raise LinkError(EMPTY, "no code was entered")
    if len(text) > 40:
        raise LinkError(OVERLONG, "a signpost code is a kana and four digits")
    code = normalise_code(text)
    m = re.fullmatch(r"([ぁ-ゖ])-([0-9]+)", code)
    if not m:
        raise LinkError(BAD_CODE, f"{text[:20]!r} is not a kana followed by {CODE_DIGITS} digits")
    kana, digits = m.groups()
    if len(digits) != CODE_DIGITS:
        raise LinkError(BAD_CODE, f"the code needs {CODE_DIGITS} digits, not {len(digits)}")
    known = list(_deck_map(decks).values())
    if not any(d.by_kana(kana) for d in known):
        raise LinkError(UNKNOWN_CARD, f"no card with the kana {kana}")
    for deck in known:
        card = deck.by_kana(kana)
        if card is not None and hmac.compare_digest(signpost_code(deck, card.number).encode(), code.encode()):
            return CardLink(deck.id, card.number)
    raise LinkError(BAD_CODE, f"{code} is not the code of the {kana} signpost")
