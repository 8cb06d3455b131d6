"""Validation of a deck's data: every problem collected, each naming the file, the card and the field,
so a deck maker can fix them all in one pass.

Each message is an English template marked with N_() and its values (engine/messages.py): a
facilitator tool shows it in the user's language, the game as written.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import PurePosixPath
from typing import Any, Iterable, Mapping

from . import ruby
from .deckfiles import DeckFolder, unsafe_file
from .deckmap import check_map
from .deckmodel import AUDIO_SUFFIXES, FACES, FORMAT_VERSION, IMAGE_SUFFIXES, Card, Deck, Problem, is_valid_id
from .decktext import (MISSING, UNKNOWN_FIELD, blank, is_kana, is_kanji, is_placeholder, kind, leading_letter,
                       quoted, short, shown, to_number, unshowable)
from .kana import KANA_ORDERS, first_sound, katakana_to_hiragana, same_initial
from .messages import N_, Message

_SECRET_MAX = 200
_TOP_KEYS = {"format", "id", "name", "district", "source_url", "licence", "attribution", "kana_order",
             "demo_locations", "link_secret", "cards", "map"}
_CARD_KEYS = {"number", "kana", "reading", "title", "explanation", "lat", "lon", "url", "images", "audio",
              "furigana_to_check"}
_TEXT_KEYS = ("reading", "title", "explanation")
PLACEHOLDER_TO_FILL = N_("still a placeholder ({value}): fill it in")
NOT_HTTP = N_("{value} is not an http(s) address (it must start with https://)")


class Checker:
    """Collects the problems of one deck file; the map's validation (deckmap.py) uses it too."""

    def __init__(self, folder: str, label: str, check_files: bool):
        self.folder = folder
        self.label = label
        self.check_files = check_files
        self.problems: list[Problem] = []
        self.files = DeckFolder(folder)

    def add(self, fieldname: str, message: Message | str, card: int | None = None, kana: str | None = None,
            incomplete: bool = False, **values: Any) -> None:
        """A problem: ``message`` is a template filled with ``values``, or a ready Message."""
        if not isinstance(message, Message):
            message = Message(message, **values)
        self.problems.append(Problem(self.label, fieldname, message, card, kana, incomplete))

    # -- scalar helpers

    def not_written(self, fieldname: str, value: str, where: dict) -> bool:
        """Report a text no screen can show, or a placeholder still to fill in; True when reported."""
        why = unshowable(value)
        if why:
            self.add(fieldname, why, **where)
            return True
        if is_placeholder(value):
            self.add(fieldname, PLACEHOLDER_TO_FILL, value=short(value), incomplete=True, **where)
            return True
        return False

    def text(self, data: Mapping, key: str, where: dict, *, required: bool = False, markup: bool = False,
             limit: int = 2000) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, MISSING, **where)
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(key, N_("must be text, not {kind}"), kind=kind(value), **where)
            return ""
        value = str(value).strip()
        if len(value) > limit:  # first: nothing below formats or scans a huge value
            self.add(key, N_("is {length} characters long; at most {limit}"), length=len(value), limit=limit,
                     **where)
            return ""
        if self.not_written(key, value, where):
            return ""
        if required and not value:
            self.add(key, N_("is empty"), **where)
        if markup and value:
            err = ruby.check(value)
            if err:
                self.add(key, N_("furigana markup: {error}"), error=err, **where)
                return ""
        return value

    def relpath(self, value: Any, fieldname: str, where: dict, suffixes: tuple[str, ...]) -> str:
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.add(fieldname, N_("must be a file path, not {kind}"), kind=kind(value), **where)
            return ""
        value = value.strip().replace("\\", "/")
        if len(value) > 300:
            self.add(fieldname, N_("is {length} characters long; a file path inside the deck has at most 300"),
                     length=len(value), **where)
            return ""
        if self.not_written(fieldname, value, where):
            return ""
        p = PurePosixPath(value)
        if p.is_absolute() or re.match(r"^[A-Za-z]:", value) or ".." in p.parts:
            self.add(fieldname, N_("{path} leaves the deck folder; use a path inside it"), path=quoted(value),
                     **where)
            return ""
        if p.suffix.lower() not in suffixes:
            self.add(fieldname, N_("{path} is not a {types} file"), path=quoted(value),
                     types=" / ".join(s[1:] for s in suffixes), **where)
            return ""
        if self.check_files:
            full = os.path.join(self.folder, *p.parts)
            if os.path.lexists(full):
                why = unsafe_file(full, self.files.root)
                if why:
                    self.add(fieldname, N_("{path} {why}"), path=quoted(value), why=why, **where)
                    return ""
            on_disk = self.files.spelled_on_disk(p.parts)
            if on_disk is not None and on_disk != str(p):
                # Desktops forgive a wrong letter case; the web version and Linux do not.
                self.add(fieldname, N_("file not found: {path} (there is {on_disk}: write the name exactly, "
                                       "upper and lower case too)"), path=value, on_disk=on_disk,
                         **where)
                return ""
            if not os.path.isfile(full):
                self.add(fieldname, N_("file not found: {path}"), path=value, **where)
                return ""
        return str(p)

    def incomplete_fields(self, number: int) -> set[str]:
        """The fields of a card still holding a placeholder."""
        return {p.field for p in self.problems if p.card == number and p.incomplete}


def deck_from_data(data: Any, folder: str, label: str = "deck.yaml", *, check_files: bool = True
                   ) -> tuple[Deck | None, list[Problem]]:
    """Validate parsed deck data. Returns (deck or None, problems)."""
    ck = Checker(folder, label, check_files)
    if not isinstance(data, Mapping):
        ck.add("deck", N_("the file must hold a mapping of fields (id, name, cards, ...), not {kind}"),
               kind=kind(data))
        return None, ck.problems
    top: dict = {}

    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        ck.add("format", N_("{value} is not a known format version (this game reads {version})"),
               value=quoted(fmt), version=FORMAT_VERSION)

    deck_id = data.get("id")
    if deck_id is None:
        ck.add("id", MISSING)
    elif not is_valid_id(deck_id):
        ck.add("id", N_("{value} must be lower-case letters, digits, - or _ (at most 40), e.g. shimokawabuchi"),
               value=quoted(deck_id, 50))
        deck_id = None
    name = ck.text(data, "name", top, required=True, markup=True, limit=80)
    district = ck.text(data, "district", top, markup=True, limit=200)
    source_url = ck.text(data, "source_url", top, limit=500)
    if source_url and not re.match(r"^https?://", source_url):
        ck.add("source_url", NOT_HTTP, value=quoted(source_url))
    licence = ck.text(data, "licence", top, limit=200)
    attribution = ck.text(data, "attribution", top, limit=500)
    secret = ck.text(data, "link_secret", top, limit=_SECRET_MAX)
    demo = data.get("demo_locations", False)
    if not isinstance(demo, bool):
        ck.add("demo_locations", N_("must be true or false, not {value}"), value=quoted(demo))
        demo = False

    order_raw = data.get("kana_order", "aiueo")
    if isinstance(order_raw, str) and order_raw in KANA_ORDERS:
        kana_order = KANA_ORDERS[order_raw]
    elif (isinstance(order_raw, list) and 0 < len(order_raw) <= 100
          and all(isinstance(k, str) and len(k) == 1 and is_kana(k) for k in order_raw)):
        kana_order = tuple(order_raw)
        if len(set(kana_order)) != len(kana_order):
            ck.add("kana_order", N_("lists a kana more than once"))
    else:
        ck.add("kana_order", N_("{value} must be aiueo, iroha, iroha48 or a list of single kana (at most 100)"),
               value=quoted(order_raw))
        kana_order = KANA_ORDERS["aiueo"]

    cards = _cards(ck, data.get("cards"), kana_order)
    deck_map = check_map(ck, data.get("map"), cards)
    for key in sorted(shown(k) for k in data if k not in _TOP_KEYS):
        ck.add(key, UNKNOWN_FIELD, known=", ".join(sorted(_TOP_KEYS)))

    if ck.check_files:
        from .voicepack import MANIFEST

        manifest = os.path.join(folder, *PurePosixPath(MANIFEST).parts)
        why = unsafe_file(manifest, ck.files.root) if os.path.lexists(manifest) else None
        if why:
            ck.add(MANIFEST, why)

    if ck.problems or deck_id is None:
        return None, ck.problems
    cards.sort(key=lambda c: c.number)
    deck = Deck(
        id=deck_id, name=name, cards=tuple(cards), folder=folder, district=district, source_url=source_url,
        licence=licence, attribution=attribution, kana_order=tuple(kana_order), demo_locations=demo,
        link_secret=secret or deck_id, map=deck_map,
    )
    return deck, []


def _cards(ck: Checker, raw_cards: Any, kana_order: Iterable[str]) -> list[Card]:
    """The deck's cards that could be read; numbers and kana used twice are reported."""
    cards: list[Card] = []
    if raw_cards is None:
        ck.add("cards", N_("missing (a deck needs a list of cards)"))
    elif not isinstance(raw_cards, list):
        ck.add("cards", N_("must be a list of cards, not {kind}"), kind=kind(raw_cards))
    elif not raw_cards:
        ck.add("cards", N_("the list is empty"))
    else:
        seen_numbers: dict[int, int] = {}
        seen_kana: dict[str, int] = {}
        for index, raw in enumerate(raw_cards, start=1):
            card = _card(ck, raw, index, kana_order)
            if card is None:
                continue
            if card.number in seen_numbers:
                ck.add("number", N_("{number} is used twice (also entry {entry} of cards)"), card.number, card.kana,
                       number=card.number, entry=seen_numbers[card.number])
            else:
                seen_numbers[card.number] = index
            if card.kana in seen_kana:
                ck.add("kana", N_("{kana_} is used twice (also card {number})"), card.number, card.kana,
                       kana_=card.kana, number=seen_kana[card.kana])
            else:
                seen_kana[card.kana] = card.number
            cards.append(card)
    return cards


def _card(ck: Checker, raw: Any, index: int, kana_order: Iterable[str]) -> Card | None:
    if not isinstance(raw, Mapping):
        ck.add(f"cards[{index}]", N_("each card must be a mapping of fields, not {kind}"), kind=kind(raw))
        return None
    number = raw.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 999:
        if number is None:
            ck.add(f"cards[{index}]: number", MISSING)
        elif isinstance(number, str) and number.strip().isdigit():
            ck.add(f"cards[{index}]: number", N_("\"{value}\" is text (in quotes); write the number without "
                                                 "quotes: number: {number}"),
                   value=shown(number), number=shown(number.strip()))
        else:
            ck.add(f"cards[{index}]: number", N_("{value} must be a whole number from 1 to 999"), value=quoted(number))
        return None
    kana = _kana(ck, raw.get("kana"), number, kana_order)
    where = {"card": number, "kana": raw.get("kana") if isinstance(raw.get("kana"), str) else None}

    reading = ck.text(raw, "reading", where, markup=True, limit=200)
    title = ck.text(raw, "title", where, markup=True, limit=80)
    explanation = ck.text(raw, "explanation", where, markup=True, limit=2000)
    url = ck.text(raw, "url", where, limit=500)
    if url and not re.match(r"^https?://", url):
        ck.add("url", NOT_HTTP, value=quoted(url), **where)
    lat, lon = _location(ck, raw, where)
    images, listed = _images(ck, raw.get("images"), number, where)
    audio = ck.relpath(raw.get("audio"), "audio", where, AUDIO_SUFFIXES)
    if not audio and raw.get("audio") in (None, "") and ck.check_files:
        audio, why = ck.files.conventional_audio(number)
        if why:
            ck.add(audio, N_("{why} (a file named like a card's recording is used by the game)"), why=why)
            audio = ""

    if not reading and "reading" not in images and "reading" not in ck.incomplete_fields(number):
        if not blank(raw.get("reading")) or not blank(listed.get("reading")):
            pass  # already reported (bad markup or type, or a listed image that is missing)
        else:
            ck.add("reading", N_("is empty and there is no reading-card image (images.reading): "
                                 "a card needs one or the other"), **where)
    if reading and kana and kana != "ん":  # no word starts with ん: an いろは deck's ん card reads another sound
        _check_first_sound(ck, reading, kana, where)
    if not title and "picture" not in images and "title" not in ck.incomplete_fields(number):
        if blank(raw.get("title")) and blank(listed.get("picture")):
            ck.add("title", N_("is empty and there is no picture-card image (images.picture): "
                               "a card needs one or the other"), **where)
    for key in sorted(shown(k) for k in raw if k not in _CARD_KEYS):
        ck.add(key, UNKNOWN_FIELD, known=", ".join(sorted(_CARD_KEYS)), **where)

    return Card(number=number, kana=kana, reading=reading, title=title, explanation=explanation,
                lat=lat, lon=lon, url=url, images=images, audio=audio,
                furigana_to_check=_furigana_to_check(ck, raw.get("furigana_to_check"), where))


def _kana(ck: Checker, kana: Any, number: int, kana_order: Iterable[str]) -> str:
    """The card's kana, or "" after reporting why it cannot be used."""
    where = {"card": number, "kana": kana if isinstance(kana, str) else None}
    if kana is None or kana == "":
        ck.add("kana", MISSING, **where)
        return ""
    if not isinstance(kana, str) or len(kana.strip()) != 1:
        ck.add("kana", N_("{value} must be one kana (the card's first sound)"), value=quoted(kana), **where)
        return ""
    if kana.strip() not in kana_order:
        hira = katakana_to_hiragana(kana.strip())
        if hira in kana_order:
            ck.add("kana", N_("{kana_} is not in the deck's kana order (write it in hiragana: {hiragana})"),
                   kana_=kana, hiragana=hira, **where)
        else:
            ck.add("kana", N_("{kana_} is not in the deck's kana order"), kana_=kana, **where)
        return ""  # one problem is enough: no "reading starts with ..." on top
    return kana.strip()


def _check_first_sound(ck: Checker, reading: str, kana: str, where: dict) -> None:
    """A reading starts with its card's kana (the sound players listen for)."""
    spoken = ruby.kana_reading(reading)
    lead = leading_letter(spoken)
    first = first_sound(spoken)
    if lead and not is_kana(lead) and not is_kanji(lead):  # a bare kanji is a furigana note (validate --notes)
        ck.add("reading", N_("starts with 「{lead}」, not with a kana: a reading starts with its card's kana "
                             "「{kana_}」 (give numbers and letters furigana: ｜{lead}(…))"),
               lead=lead, kana_=kana, **where)
    elif first and not same_initial(kana, first):
        ck.add("reading", N_("starts with 「{first}」 but the card's kana is 「{kana_}」"), first=first, kana_=kana,
               **where)


def _location(ck: Checker, raw: Mapping, where: dict) -> tuple[float | None, float | None]:
    lat = lon = None
    has_lat, has_lon = raw.get("lat") not in (None, ""), raw.get("lon") not in (None, "")
    for key in ("lat", "lon"):
        if is_placeholder(raw.get(key)):
            ck.add(key, N_("still a placeholder ({value}): fill it in, or delete lat and lon"),
                   value=short(raw[key]), incomplete=True, **where)
            has_lat = has_lon = False
    if has_lat or has_lon:
        lat, lon = to_number(raw.get("lat")), to_number(raw.get("lon"))
        if not has_lat or not has_lon:
            ck.add("lat" if not has_lat else "lon", N_("missing (a location needs both lat and lon)"), **where)
            lat = lon = None
        else:
            if lat is None or not math.isfinite(lat) or not -90 <= lat <= 90:
                ck.add("lat", N_("{value} is not a latitude"), value=shown(raw.get("lat")), **where)
                lat = None
            if lon is None or not math.isfinite(lon) or not -180 <= lon <= 180:
                ck.add("lon", N_("{value} is not a longitude"), value=shown(raw.get("lon")), **where)
                lon = None
    return lat, lon


def _images(ck: Checker, raw_images: Any, number: int, where: dict) -> tuple[dict[str, str], Mapping]:
    """(face -> file the card uses, the images the deck lists): listed ones, then those named by the
    open data's rule (images/01a.jpg) for the faces not listed."""
    images: dict[str, str] = {}
    if raw_images not in (None, ""):
        if not isinstance(raw_images, Mapping):
            ck.add("images", N_("must map faces ({faces}) to files, not {kind}"), faces=", ".join(FACES),
                   kind=kind(raw_images), **where)
        else:
            for face, value in raw_images.items():
                if face not in FACES:
                    ck.add(f"images.{face}", N_("unknown face; use {faces}"), faces=", ".join(FACES), **where)
                    continue
                path = ck.relpath(value, f"images.{face}", where, IMAGE_SUFFIXES)
                if path:
                    images[face] = path
    listed = raw_images if isinstance(raw_images, Mapping) else {}
    if not ck.check_files:
        return images, listed
    for face, files in ck.files.conventional_images().get(number, {}).items():
        if face in listed:
            continue  # the deck says which file; the convention only fills gaps
        unsafe = [f for f in files if isinstance(f, tuple)]
        for name, why in unsafe:
            ck.add(f"images.{face}", N_("{path} {why} (a file named like a card image is used without being "
                                        "listed)"), path=name, why=why, **where)
        if unsafe:
            continue
        if len(files) > 1:
            ck.add(f"images.{face}", N_("{files} could both be this card's {face} image: keep one, or say which "
                                        "in images"), files=_and_list(files), face=face, **where)
        else:
            images[face] = files[0]
    return images, listed


def _and_list(items: list[str]) -> Message | str:
    """The items joined as "a and b and c", in the user's language (one nested template)."""
    if len(items) == 1:
        return items[0]
    return Message(N_("{first} and {second}"), first=_and_list(items[:-1]), second=items[-1])


def _furigana_to_check(ck: Checker, value: Any, where: dict) -> dict[str, tuple[str, ...]]:
    """``furigana_to_check: {reading: ["漢字(かんじ)", ...]}``: proposals of `karuta deck furigana`
    that a person has not checked yet (docs/decks.md). Advice only; the game ignores it."""
    if value in (None, "", {}):
        return {}
    if not isinstance(value, Mapping):
        ck.add("furigana_to_check", N_("must map text fields ({fields}) to lists of words such as "
                                       "\"漢字(かんじ)\", not {kind}"), fields=", ".join(_TEXT_KEYS),
               kind=kind(value), **where)
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for key, words in value.items():
        if key not in _TEXT_KEYS:
            ck.add(f"furigana_to_check.{key}", N_("unknown field; use {fields}"), fields=", ".join(_TEXT_KEYS),
                   **where)
        elif not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            ck.add(f"furigana_to_check.{key}", N_("must be a list of words such as \"漢字(かんじ)\", not {kind}"),
                   kind=kind(words), **where)
        else:
            result[key] = tuple(words)
    return result
