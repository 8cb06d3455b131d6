"""What the deck subcommands share: checking command-line texts and ids, the deck being replaced,
the card plan of an import, scaling its images, and progress lines."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from ...engine import ruby
from ...engine.deck import FACES, Deck, check_deck, is_placeholder, is_valid_id, read_deck_data
from ...engine.kana import KANA_ORDERS
from ..deckwrite import Output
from ..i18n import _
from ..images import convert_image
from ..opencsv import LocationRow
from ..openzip import SourceFile
from ..refuse import Refused

ORDER_LABELS = {"aiueo": "あいうえお", "iroha": "いろは", "iroha48": "いろは + ん"}
FACE_LETTER = {"picture": "a", "reading": "b", "explanation": "c"}
TEXT_FIELDS = ("reading", "title", "explanation")


class Progress:
    """Progress on stderr: one updating line in a terminal, a line per tenth in a log."""

    def __init__(self, total: int, what: str, quiet: bool = False, stream=None):
        self.total, self.what, self.quiet = total, what, quiet
        self.stream = stream or sys.stderr
        self.done = 0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_tenth = -1

    def step(self, name: str) -> None:
        self.done += 1
        if self.quiet or not self.total:
            return
        if self.tty:
            self.stream.write(f"\r{self.what} {self.done}/{self.total}  {name[-50:]:<50}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
            return
        tenth = self.done * 10 // self.total
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            print(f"{self.what} {self.done}/{self.total}", file=self.stream)


def text_option(value: str | None, option: str, *, markup: bool = False, limit: int = 500) -> str | None:
    if value is None:
        return None
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(_("{option}: not valid text (check the terminal's encoding)").format(option=option)) from None
    if len(value) > limit:
        raise Refused(_("{option}: {length} characters long; at most {limit}").format(
            option=option, length=len(value), limit=limit))
    if markup and value:
        err = ruby.check(value)
        if err:
            raise Refused(_("{option}: furigana markup: {problem} (write furigana as 漢字(かんじ); before other text mark "
                            "the start: ｜ABC(えーびーしー))").format(option=option, problem=err))
    if option == "--source-url" and value and not value.startswith(("http://", "https://")):
        raise Refused(_("--source-url: {url} is not an http(s) address").format(url=repr(value)))
    return value


def deck_text_options(args) -> tuple[str | None, ...]:
    """--name, --district, --licence, --attribution, --source-url: checked as deck.yaml would check them."""
    return (text_option(args.name, "--name", markup=True, limit=80),
            text_option(args.district, "--district", markup=True, limit=200),
            text_option(args.licence, "--licence", limit=200),
            text_option(args.attribution, "--attribution", limit=500),
            text_option(args.source_url, "--source-url"))


def deck_id_for(out: str, given: str | None) -> str:
    deck_id = given if given is not None else os.path.basename(os.path.normpath(out))
    if not is_valid_id(deck_id):
        if given is not None:
            raise Refused(_("--id 「{id}」 is not a deck id: use lower-case letters, digits, - or _ "
                            "(e.g. decks/shimokawabuchi)").format(id=deck_id))
        raise Refused(_("{folder}: the folder name 「{id}」 is not a deck id: use lower-case letters, digits, - or _ "
                        "(e.g. decks/shimokawabuchi), or give --id").format(folder=out, id=deck_id))
    return deck_id


def old_deck(out: str) -> dict:
    """The raw data of the deck being replaced with --force ({} when there is none or it is unreadable)."""
    if not os.path.isdir(out):
        return {}
    data, problems, _label = read_deck_data(out)
    return data if isinstance(data, dict) and not problems else {}


def cards_by_number(old: dict) -> dict[int, dict]:
    cards = old.get("cards") if isinstance(old.get("cards"), list) else []
    return {c["number"]: c for c in cards if isinstance(c, dict) and isinstance(c.get("number"), int)}


def kept_text(old_card: dict, key: str) -> str:
    value = old_card.get(key)
    return value.strip() if isinstance(value, str) and value.strip() and not is_placeholder(value) else ""


def kana_order(choice: str | None, kana: list[str]) -> tuple[str | list[str], tuple[str, ...]]:
    """The kana order: as chosen, else the smallest standard order holding every kana, else the kana as listed."""
    if choice:
        return choice, KANA_ORDERS[choice]
    for name in ("aiueo", "iroha", "iroha48"):
        if set(kana) <= set(KANA_ORDERS[name]):
            return name, KANA_ORDERS[name]
    return list(kana), tuple(kana)


def image_name(number: int, face: str, width: int, extension: str) -> str:
    return f"images/{number:0{width}d}{FACE_LETTER[face]}.{extension}"


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000)) if n else 0} KB"


@dataclass
class Planned:
    number: int
    kana: str | None
    row: LocationRow | None = None
    files: dict[str, SourceFile] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)   # face -> path in the deck
    texts: dict[str, str] = field(default_factory=dict)    # reading / title / explanation / audio kept
    to_check: dict = field(default_factory=dict)            # furigana_to_check kept with the texts
    missing: list[str] = field(default_factory=list)
    left_out: str = ""                                      # why the card is not in the deck

    def data(self) -> dict:
        card: dict = {"number": self.number, "kana": self.kana}
        for key in TEXT_FIELDS:
            card[key] = self.texts.get(key, "")
        if self.row is not None and self.row.lat is not None:
            card["lat"], card["lon"] = self.row.lat, self.row.lon
        if self.row is not None and self.row.url:
            card["url"] = self.row.url
        if self.images:
            card["images"] = {face: self.images[face] for face in FACES if face in self.images}
        if self.texts.get("audio"):
            card["audio"] = self.texts["audio"]
        if self.to_check:
            card["furigana_to_check"] = self.to_check
        return card

    @property
    def label(self) -> str:
        return _("card {number} ({kana})").format(number=self.number, kana=self.kana or "?")


def convert_all(plans: list[Planned], output: Output, quiet: bool) -> tuple[int, int, int]:
    """Scale every card image into the stage. Returns (files, bytes read, bytes written)."""
    width = max(2, len(str(max(p.number for p in plans))))
    total = sum(len(p.files) for p in plans)
    progress = Progress(total, _("images"), quiet)
    read = written = 0
    for plan in plans:
        for face in FACES:
            source = plan.files.get(face)
            if source is None:
                continue
            data = source.read()
            read += len(data)
            image = convert_image(data, source.name)
            rel = image_name(plan.number, face, width, image.extension)
            output.write_bytes(rel, image.data)
            written += len(image.data)
            plan.images[face] = rel
            progress.step(source.name)
    return total, read, written


def check_written(output: Output) -> Deck:
    """The deck just staged, or Refused listing why it does not validate (a bug in the tools, not bad input)."""
    deck, problems = check_deck(output.stage)
    if deck is None:
        lines = "\n".join(f"  {p}" for p in problems)
        raise Refused(_("the deck made does not validate:\n{problems}").format(problems=lines))
    return deck


def order_label(order_value) -> str:
    """The order's name for messages: あいうえお / いろは / いろは + ん, or the CSV's own order."""
    if isinstance(order_value, str) and order_value in ORDER_LABELS:
        return ORDER_LABELS[order_value]
    return _("the CSV's")


def deck_folder(path: str) -> str:
    if os.path.isfile(path) and os.path.basename(path) in ("deck.yaml", "deck.yml", "deck.json"):
        return os.path.dirname(path) or "."
    if os.path.isdir(path):
        return path
    if not os.path.exists(path):
        raise Refused(_("{path}: not found").format(path=path))
    raise Refused(_("{path}: not a deck folder or its deck.yaml").format(path=path))
