"""Decks: a folder of data with ``deck.yaml`` (or ``deck.json`` in the web build).

Loading validates everything and collects every problem, each naming the file,
the card and the field, so a deck maker can fix them all in one pass.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping

from . import ruby
from .deckmap import DeckMap, check_map
from .kana import KANA_ORDERS, first_sound, katakana_to_hiragana, same_initial

FORMAT_VERSION = 1
FACES = ("picture", "reading", "explanation")  # the open data's a / b / c
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
AUDIO_SUFFIXES = (".ogg",)
PLACEHOLDER = "TODO"
# "TODO", "TODO: ..." or "todo ..." mark a value still to write; "Todoroki" is a real name, not a placeholder.
_PLACEHOLDER_RE = re.compile(r"^TODO(?![A-Za-z0-9])", re.IGNORECASE)
FACE_LETTERS = {"a": "picture", "b": "reading", "c": "explanation"}  # the open data's file naming rule
# images/<number><a|b|c>.<png|jpg|jpeg>, number with or without zero padding, any letter case
_CONVENTIONAL_IMAGE_RE = re.compile(r"^0*([1-9][0-9]{0,2})([abc])\.(png|jpe?g)$", re.IGNORECASE)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_SECRET_MAX = 200
# deck.yaml of a full deck with long explanations is a few hundred KB; PyYAML's safe loader takes
# about 3 s of CPU per MB (measured on a 2-core EPYC), so a bigger file is refused before it is parsed
# and a deck beside the demo cannot hold the game's start for long (docs/decks.md, limits).
MAX_DECK_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck. ``incomplete`` marks a placeholder still to fill in."""

    file: str
    field: str
    message: str
    card: int | None = None
    kana: str | None = None
    incomplete: bool = False

    def __post_init__(self) -> None:
        # A problem is printed in a terminal and drawn in the deck picker: whatever the deck holds
        # (a NUL, a lone surrogate, a folder name in another encoding), its text must be showable.
        for name in ("file", "field", "message", "kana"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, printable(value))

    def __str__(self) -> str:
        where = f"{self.file}: "
        if self.card is not None:
            where += f"card {self.card} ({self.kana or '?'}): "
        return f"{where}{self.field}: {self.message}"


class DeckError(Exception):
    """A deck that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Card:
    number: int
    kana: str
    reading: str = ""  # furigana markup
    title: str = ""
    explanation: str = ""
    lat: float | None = None
    lon: float | None = None
    url: str = ""
    images: Mapping[str, str] = field(default_factory=dict)  # face -> path relative to the deck
    audio: str = ""  # path relative to the deck
    # Furigana a tool proposed and no person has checked yet: text field -> ["漢字(かんじ)", ...]
    furigana_to_check: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def reading_kana(self) -> str:
        """The reading in kana only, for voice and for children who read hiragana only."""
        return ruby.kana_reading(self.reading) if self.reading else ""

    @property
    def reading_plain(self) -> str:
        return ruby.plain_text(self.reading) if self.reading else ""

    @property
    def title_plain(self) -> str:
        return ruby.plain_text(self.title) if self.title else ""

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    def image(self, face: str) -> str:
        return self.images.get(face, "")

    @property
    def label(self) -> str:
        return f"card {self.number} ({self.kana})"


@dataclass(frozen=True)
class Deck:
    id: str
    name: str
    cards: tuple[Card, ...]
    folder: str = "."
    district: str = ""
    source_url: str = ""
    licence: str = ""
    attribution: str = ""
    kana_order: tuple[str, ...] = ()
    demo_locations: bool = False
    link_secret: str = ""
    map: DeckMap | None = None  # the district's streets under the signposts (deckmap.py)
    warnings: tuple[Problem, ...] = ()

    def card(self, number: int) -> Card | None:
        for c in self.cards:
            if c.number == number:
                return c
        return None

    def by_kana(self, kana: str) -> Card | None:
        for c in self.cards:
            if c.kana == kana:
                return c
        return None

    def path(self, relative: str) -> str:
        """Absolute-ish path of a file inside the deck folder."""
        return os.path.join(self.folder, *PurePosixPath(relative).parts)

    @property
    def name_plain(self) -> str:
        return ruby.plain_text(self.name)

    @property
    def has_audio(self) -> bool:
        return any(c.audio for c in self.cards)

    @property
    def has_locations(self) -> bool:
        return any(c.has_location for c in self.cards)


# ---------------------------------------------------------------- loading


def deck_file(folder: str | os.PathLike) -> Path | None:
    """The deck's data file: deck.yaml on the desktop, deck.json in a web build."""
    for name in ("deck.yaml", "deck.yml", "deck.json"):
        p = Path(folder) / name
        if os.path.lexists(p) and not p.is_dir():  # a link or a FIFO is found, then refused by read_deck_data
            return p
    return None


def read_deck_data(folder: str | os.PathLike) -> tuple[Any, list[Problem], str]:
    """Read the raw data of a deck folder: (data or None, problems, file label)."""
    folder = Path(folder)
    path = deck_file(folder)
    label = str(folder / "deck.yaml")
    if path is None:
        return None, [Problem(label, "deck.yaml", "file not found (a deck folder needs deck.yaml)")], label
    label = str(path)
    why = _unsafe_file(str(path), _real(str(folder)))
    if why:
        return None, [Problem(label, "file", why)], label
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_DECK_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(label, "file", f"cannot be read: {exc.strerror or exc}")], label
    if len(raw) > MAX_DECK_FILE_BYTES:
        return None, [Problem(label, "file", f"larger than {MAX_DECK_FILE_BYTES // 1000} KB; a deck's texts fit in "
                              "far less (are images or other data pasted into it?)")], label
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(label, "encoding", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")], label
    if path.suffix == ".json":
        try:
            return json.loads(text), [], label
        except json.JSONDecodeError as exc:
            return None, [Problem(label, f"line {exc.lineno}", f"not valid JSON: {exc.msg}")], label
        except RecursionError:
            return None, [Problem(label, "json", "not valid JSON: nested too deeply")], label
    try:
        import yaml  # desktop only: the web build ships deck.json
    except ImportError:  # pragma: no cover - only in a browser bundle without PyYAML
        return None, [Problem(label, "file", "YAML decks need PyYAML; the web build uses deck.json")], label
    try:
        return yaml.load(text, Loader=_loader_without_aliases(yaml)), [], label
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "yaml"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(label, where, f"not valid YAML: {problem}")], label
    except RecursionError:
        return None, [Problem(label, "yaml", "not valid YAML: nested too deeply")], label
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise these for values it parsed but cannot build
        # (an impossible date such as 2024-13-45, a bad !!int tag).
        return None, [Problem(label, "yaml", f"not valid YAML: a value cannot be read ({_short(str(exc), 80)})")], label


_LOADERS: dict = {}


def _loader_without_aliases(yaml):
    """PyYAML's safe loader, refusing aliases (``*name``) where they are met, before anything is built.

    Anchors and aliases repeat a value by reference: nested ones make a 1 KB file expand to
    gigabytes (an "alias bomb"). A deck has no use for them, so the first alias stops the load.
    """
    if "loader" not in _LOADERS:
        class NoAliasLoader(yaml.SafeLoader):
            def compose_node(self, parent, index):
                if self.check_event(yaml.AliasEvent):
                    event = self.peek_event()
                    raise yaml.composer.ComposerError(
                        None, None, f"an alias (*{_short(str(event.anchor), 20)}) repeats another value; a deck "
                        "may not use anchors and aliases: write each value out", event.start_mark)
                return super().compose_node(parent, index)

        _LOADERS["loader"] = NoAliasLoader
    return _LOADERS["loader"]


def check_deck(folder: str | os.PathLike, *, check_files: bool = True) -> tuple[Deck | None, list[Problem]]:
    """Load and validate a deck folder. Returns (deck or None, all problems).

    The deck is returned only when there are no problems; ``incomplete`` problems
    (placeholders) also prevent use, so nothing half-written reaches a child.
    """
    data, problems, label = read_deck_data(folder)
    if problems:
        return None, problems
    return deck_from_data(data, str(folder), label, check_files=check_files)


def load_deck(folder: str | os.PathLike) -> Deck:
    """Load a deck or raise DeckError listing every problem."""
    deck, problems = check_deck(folder)
    if deck is None:
        raise DeckError(problems)
    return deck


@dataclass(frozen=True)
class DeckEntry:
    """A folder found under decks/: a usable deck, or the problems that stop it."""

    folder: str
    deck: Deck | None
    problems: tuple[Problem, ...]

    @property
    def id(self) -> str:
        return self.deck.id if self.deck else os.path.basename(self.folder.rstrip("/\\"))


def discover_decks(root: str | os.PathLike) -> list[DeckEntry]:
    """Every deck folder under root, valid or not, sorted with the demo deck first."""
    entries: list[DeckEntry] = []
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return entries
    for name in names:
        folder = os.path.join(root, name)
        if name.startswith(".") or not os.path.isdir(folder):
            continue
        try:
            deck, problems = check_deck(folder)
        except Exception as exc:  # a deck must never take the game down
            deck, problems = None, [Problem(folder, "deck", f"could not be read: {exc!r}")]
        # The picker has one line per broken deck: "<deck>/deck.yaml: ..." leaves room for the problem itself.
        problems = [replace(p, file=_relative_label(p.file, root)) for p in problems]
        entries.append(DeckEntry(folder, deck, tuple(problems)))
    entries = _one_deck_per_id(entries, root)
    entries.sort(key=lambda e: (e.id != "demo", e.id, e.folder))
    return entries


def _one_deck_per_id(entries: list[DeckEntry], root: str | os.PathLike) -> list[DeckEntry]:
    """Two folders with the same deck id would share saves and links and look the same in the
    picker: the folder named like the id keeps it (else the first by name); the others are listed
    as unusable, naming the folder that has the id."""
    by_id: dict[str, list[DeckEntry]] = {}
    for e in entries:
        if e.deck is not None:
            by_id.setdefault(e.deck.id, []).append(e)
    out = []
    for e in entries:
        same = by_id.get(e.deck.id, []) if e.deck is not None else []
        if len(same) > 1:
            keeper = next((x for x in same if os.path.basename(x.folder) == e.deck.id), same[0])
            if e is not keeper:
                label = _relative_label(deck_file(e.folder) or os.path.join(e.folder, "deck.yaml"), root)
                mine, theirs = os.path.basename(e.folder), os.path.basename(keeper.folder)
                e = DeckEntry(e.folder, None, (Problem(str(label), "id", same_id(e.deck.id, theirs, mine)),))
        out.append(e)
    return out


def same_id(deck_id: str, theirs: str, mine: str) -> str:
    """The problem of a deck whose id another folder's deck already has."""
    return f"{deck_id} is taken by the deck in folder {theirs}; give this deck another id, e.g. {mine}"


def _relative_label(label: str, root: str | os.PathLike) -> str:
    try:
        rel = os.path.relpath(label, root)
    except ValueError:  # another drive on Windows
        return label
    return label if rel.startswith("..") else rel.replace(os.sep, "/")


# ---------------------------------------------------------------- validation


class _Checker:
    def __init__(self, folder: str, label: str, check_files: bool):
        self.folder = folder
        self.label = label
        self.check_files = check_files
        self.problems: list[Problem] = []
        self._listings: dict[str, list[str]] = {}
        self._conventional: dict[int, dict[str, list[str]]] | None = None
        self.root = _real(folder)

    def add(self, fieldname: str, message: str, card: int | None = None, kana: str | None = None,
            incomplete: bool = False) -> None:
        self.problems.append(Problem(self.label, fieldname, message, card, kana, incomplete))

    # -- scalar helpers

    def text(self, data: Mapping, key: str, where: dict, *, required: bool = False, markup: bool = False,
             limit: int = 2000) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, "missing", **where)
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(key, f"must be text, not {_kind(value)}", **where)
            return ""
        value = str(value).strip()
        if len(value) > limit:  # first: nothing below formats or scans a huge value
            self.add(key, f"is {len(value)} characters long; at most {limit}", **where)
            return ""
        why = unshowable(value)
        if why:
            self.add(key, why, **where)
            return ""
        if is_placeholder(value):
            self.add(key, f"still a placeholder ({_short(value)}): fill it in", incomplete=True, **where)
            return ""
        if required and not value:
            self.add(key, "is empty", **where)
        if markup and value:
            err = ruby.check(value)
            if err:
                self.add(key, f"furigana markup: {err}", **where)
                return ""
        return value

    def relpath(self, value: Any, fieldname: str, where: dict, suffixes: tuple[str, ...]) -> str:
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.add(fieldname, f"must be a file path, not {_kind(value)}", **where)
            return ""
        value = value.strip().replace("\\", "/")
        if len(value) > 300:
            self.add(fieldname, f"is {len(value)} characters long; a file path inside the deck has at most 300",
                     **where)
            return ""
        why = unshowable(value)
        if why:
            self.add(fieldname, why, **where)
            return ""
        if is_placeholder(value):
            self.add(fieldname, f"still a placeholder ({_short(value)}): fill it in", incomplete=True, **where)
            return ""
        p = PurePosixPath(value)
        if p.is_absolute() or re.match(r"^[A-Za-z]:", value) or ".." in p.parts:
            self.add(fieldname, f"{_q(value)} leaves the deck folder; use a path inside it", **where)
            return ""
        if p.suffix.lower() not in suffixes:
            self.add(fieldname, f"{_q(value)} is not a {' / '.join(s[1:] for s in suffixes)} file", **where)
            return ""
        if self.check_files:
            full = os.path.join(self.folder, *p.parts)
            if os.path.lexists(full):
                why = _unsafe_file(full, self.root)
                if why:
                    self.add(fieldname, f"{_q(value)} {why}", **where)
                    return ""
            on_disk = self.spelled_on_disk(p.parts)
            if on_disk is not None and on_disk != str(p):
                # Desktops forgive a wrong letter case; the web version and Linux do not.
                self.add(fieldname, f"file not found: {value} (there is {on_disk}: write the name exactly, "
                         "upper and lower case too)", **where)
                return ""
            if not os.path.isfile(full):
                self.add(fieldname, f"file not found: {value}", **where)
                return ""
        return str(p)

    def listdir(self, relative: str) -> list[str]:
        """Names in a folder of the deck (cached: a deck lists its images folder once, not per card)."""
        if relative not in self._listings:
            try:
                self._listings[relative] = sorted(os.listdir(os.path.join(self.folder, relative)))
            except OSError:
                self._listings[relative] = []
        return self._listings[relative]

    def spelled_on_disk(self, parts: tuple[str, ...]) -> str | None:
        """How a relative path is really spelled on disk (matching letter case loosely); None if absent."""
        found: list[str] = []
        for part in parts:
            names = self.listdir("/".join(found))
            if part in names:
                found.append(part)
                continue
            alt = [n for n in names if n.lower() == part.lower()]
            if len(alt) != 1:
                return None
            found.append(alt[0])
        return "/".join(found)

    def conventional_images(self) -> dict[int, dict[str, list]]:
        """images/<number><a|b|c>.png|jpg found in the deck: number -> face -> files
        (a file that must not be used is a (name, why) pair)."""
        if self._conventional is None:
            self._conventional = {}
            for name in self.listdir("images"):
                m = _CONVENTIONAL_IMAGE_RE.match(name)
                if not m:
                    continue
                why = _unsafe_file(os.path.join(self.folder, "images", name), self.root)
                if why == "is a folder, not a file":
                    continue
                # A file that would be used without being listed is checked like a listed one (_card).
                face = FACE_LETTERS[m.group(2).lower()]
                found = f"images/{name}" if not why else (f"images/{name}", why)
                self._conventional.setdefault(int(m.group(1)), {}).setdefault(face, []).append(found)
        return self._conventional

    def conventional_audio(self, number: int) -> str:
        """A recording at audio/<number>.ogg (or zero-padded) is used without being listed."""
        for name in (f"{number}.ogg", f"{number:02d}.ogg", f"{number:03d}.ogg"):
            full = os.path.join(self.folder, "audio", name)
            if not os.path.lexists(full):
                continue
            why = _unsafe_file(full, self.root)
            if why == "is a folder, not a file":
                continue
            if why:
                self.add(f"audio/{name}", f"{why} (a file named like a card's recording is used by the game)")
                return ""
            return f"audio/{name}"
        return ""


def conventional_card_file(rel: str) -> tuple[int, str] | None:
    """(card number, face or "audio") of a file the game uses for its name alone
    (images/01a.jpg, audio/1.ogg), else None."""
    folder, _, name = rel.replace("\\", "/").partition("/")
    if folder == "images" and "/" not in name:
        m = _CONVENTIONAL_IMAGE_RE.match(name)
        return (int(m.group(1)), FACE_LETTERS[m.group(2).lower()]) if m else None
    if folder == "audio" and "/" not in name:
        m = re.match(r"^0*([1-9][0-9]{0,2})\.ogg$", name)
        return (int(m.group(1)), "audio") if m else None
    return None


def is_placeholder(value: Any) -> bool:
    """True for a value a deck maker still has to write ("TODO: ...")."""
    return isinstance(value, str) and bool(_PLACEHOLDER_RE.match(value.strip()))


def is_valid_id(value: Any) -> bool:
    """A deck id: the folder name, lower-case letters, digits, - or _ (it appears in links and file names)."""
    return isinstance(value, str) and bool(_ID_RE.match(value))


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


def _short(value: str, n: int = 30) -> str:
    return value if len(value) <= n else value[: n - 1] + "…"


def _shown(value: Any, n: int = 30) -> str:
    """A short text for a value in a message, without building the text of a huge value first
    (a YAML alias bomb expands to millions of items)."""
    import reprlib

    if isinstance(value, str):
        return printable(_short(value, n))
    r = reprlib.Repr()
    r.maxlevel, r.maxlist, r.maxdict, r.maxstring, r.maxother = 2, 4, 4, n, n
    return _short(r.repr(value), n)


def _blank(value: Any) -> bool:
    """Nothing written: missing, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_kana(ch: str) -> bool:
    return 0x3041 <= ord(ch) <= 0x30FF and ch not in "・ー゛゜"


def _is_kanji(ch: str) -> bool:
    # by code point: literal range ends would be characters the web build's fonts must carry
    return 0x4E00 <= ord(ch) <= 0x9FFF or 0x3400 <= ord(ch) <= 0x4DBF or ch in "々〆"


def _leading_letter(text: str) -> str:
    """The first letter or digit of a text (what is read first), skipping punctuation and spaces."""
    for ch in text:
        if ch != "ー" and unicodedata.category(ch)[0] in "LN":
            return ch
    return ""


def _q(value: Any, n: int = 30) -> str:
    """A value quoted for a message: bounded, printable, text in quotes."""
    return f"'{_shown(value, n)}'" if isinstance(value, str) else _shown(value, n)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


_UNSHOWABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` with what no screen or terminal can show (control characters, lone surrogates)
    written as escapes such as \\x00, so a message about a bad value can itself be shown."""
    if not _UNSHOWABLE_RE.search(text):
        return text
    return _UNSHOWABLE_RE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                              else f"\\u{ord(m.group()):04x}", text)


def unshowable(text: str) -> str | None:
    """Why a deck text cannot be shown (a control character, a line break, a lone surrogate), or None."""
    m = _UNSHOWABLE_RE.search(text)
    if m is None:
        return None
    ch, at = m.group(), m.start() + 1
    code = f"U+{ord(ch):04X}"
    if ch in "\r\n\u2028\u2029":
        return (f"contains a line break (after character {at - 1}): write the text on one line; "
                "the game wraps long text by itself")
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return (f"contains an unpaired surrogate ({code}) at character {at}: the text is not valid Unicode; "
                "type that part again")
    if ch == "\x00":
        return f"contains a NUL character ({code}) at character {at}: remove it"
    return f"contains an invisible control character ({code}) at character {at}: remove it"


def _real(path: str) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.path.abspath(path)


def _unsafe_file(full: str, root: str) -> str | None:
    """Why a file of a deck must not be used, or None: it must be a regular file inside the deck
    folder once links are resolved (a link to /etc/passwd would otherwise be read and even packed
    into the web build; a FIFO or a device would block whoever reads it)."""
    real = _real(full)
    try:
        inside = os.path.commonpath([real, root]) == root
    except ValueError:  # another drive on Windows
        inside = False
    if not inside:
        return "is a link to a file outside the deck folder; put the file itself in the deck folder"
    try:
        mode = os.stat(real).st_mode
    except (OSError, ValueError):
        return "file not found"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, socket or device); put a real file there"
    return None


def deck_from_data(data: Any, folder: str, label: str = "deck.yaml", *, check_files: bool = True
                   ) -> tuple[Deck | None, list[Problem]]:
    """Validate parsed deck data. Returns (deck or None, problems)."""
    ck = _Checker(folder, label, check_files)
    if not isinstance(data, Mapping):
        ck.add("deck", f"the file must hold a mapping of fields (id, name, cards, ...), not {_kind(data)}")
        return None, ck.problems
    top: dict = {}

    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        ck.add("format", f"{_q(fmt)} is not a known format version (this game reads {FORMAT_VERSION})")

    deck_id = data.get("id")
    if deck_id is None:
        ck.add("id", "missing")
    elif not isinstance(deck_id, str) or not _ID_RE.match(deck_id):
        ck.add("id", f"{_q(deck_id, 50)} must be lower-case letters, digits, - or _ (at most 40), "
               "e.g. shimokawabuchi")
        deck_id = None
    name = ck.text(data, "name", top, required=True, markup=True, limit=80)
    district = ck.text(data, "district", top, markup=True, limit=200)
    source_url = ck.text(data, "source_url", top, limit=500)
    if source_url and not re.match(r"^https?://", source_url):
        ck.add("source_url", f"{_q(source_url)} is not an http(s) address (it must start with https://)")
    licence = ck.text(data, "licence", top, limit=200)
    attribution = ck.text(data, "attribution", top, limit=500)
    secret = ck.text(data, "link_secret", top, limit=_SECRET_MAX)
    demo = data.get("demo_locations", False)
    if not isinstance(demo, bool):
        ck.add("demo_locations", f"must be true or false, not {_q(demo)}")
        demo = False

    order_raw = data.get("kana_order", "aiueo")
    if isinstance(order_raw, str) and order_raw in KANA_ORDERS:
        kana_order = KANA_ORDERS[order_raw]
    elif (isinstance(order_raw, list) and 0 < len(order_raw) <= 100
          and all(isinstance(k, str) and len(k) == 1 and _is_kana(k) for k in order_raw)):
        kana_order = tuple(order_raw)
        if len(set(kana_order)) != len(kana_order):
            ck.add("kana_order", "lists a kana more than once")
    else:
        ck.add("kana_order", f"{_q(order_raw)} must be aiueo, iroha, iroha48 or a list of single kana "
               "(at most 100)")
        kana_order = KANA_ORDERS["aiueo"]

    raw_cards = data.get("cards")
    cards: list[Card] = []
    if raw_cards is None:
        ck.add("cards", "missing (a deck needs a list of cards)")
    elif not isinstance(raw_cards, list):
        ck.add("cards", f"must be a list of cards, not {_kind(raw_cards)}")
    elif not raw_cards:
        ck.add("cards", "the list is empty")
    else:
        seen_numbers: dict[int, int] = {}
        seen_kana: dict[str, int] = {}
        for index, raw in enumerate(raw_cards, start=1):
            card = _card(ck, raw, index, kana_order)
            if card is None:
                continue
            if card.number in seen_numbers:
                ck.add("number", f"{card.number} is used twice (also entry {seen_numbers[card.number]} of cards)",
                       card.number, card.kana)
            else:
                seen_numbers[card.number] = index
            if card.kana in seen_kana:
                ck.add("kana", f"{card.kana} is used twice (also card {seen_kana[card.kana]})", card.number, card.kana)
            else:
                seen_kana[card.kana] = card.number
            cards.append(card)

    deck_map = check_map(ck, data.get("map"), cards)
    unknown = sorted(_shown(k) for k in data if k not in _TOP_KEYS)
    for key in unknown:
        ck.add(key, "unknown field (a typo?); known fields: " + ", ".join(sorted(_TOP_KEYS)))

    if ck.check_files:
        from .voicepack import MANIFEST

        manifest = os.path.join(folder, *PurePosixPath(MANIFEST).parts)
        why = _unsafe_file(manifest, ck.root) if os.path.lexists(manifest) else None
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


_TOP_KEYS = {"format", "id", "name", "district", "source_url", "licence", "attribution", "kana_order",
             "demo_locations", "link_secret", "cards", "map"}
_CARD_KEYS = {"number", "kana", "reading", "title", "explanation", "lat", "lon", "url", "images", "audio",
              "furigana_to_check"}
_TEXT_KEYS = ("reading", "title", "explanation")


def _card(ck: _Checker, raw: Any, index: int, kana_order: Iterable[str]) -> Card | None:
    if not isinstance(raw, Mapping):
        ck.add(f"cards[{index}]", f"each card must be a mapping of fields, not {_kind(raw)}")
        return None
    number = raw.get("number")
    kana = raw.get("kana")
    kana_s = kana if isinstance(kana, str) else None
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 999:
        if number is None:
            shown = "missing"
        elif isinstance(number, str) and number.strip().isdigit():
            shown = (f"\"{_shown(number)}\" is text (in quotes); write the number without quotes: "
                     f"number: {_shown(number.strip())}")
        else:
            shown = f"{_q(number)} must be a whole number from 1 to 999"
        ck.add(f"cards[{index}]: number", shown, None, None)
        return None
    where = {"card": number, "kana": kana_s}
    if kana is None or kana == "":
        ck.add("kana", "missing", **where)
    elif not isinstance(kana, str) or len(kana.strip()) != 1:
        ck.add("kana", f"{_q(kana)} must be one kana (the card's first sound)", **where)
        kana = None
    elif kana.strip() not in kana_order:
        hira = katakana_to_hiragana(kana.strip())
        hint = f" (write it in hiragana: {hira})" if hira in kana_order else ""
        ck.add("kana", f"{kana} is not in the deck's kana order{hint}", **where)
        kana = None  # one problem is enough: no "reading starts with ..." on top
    kana = kana.strip() if isinstance(kana, str) else ""

    reading = ck.text(raw, "reading", where, markup=True, limit=200)
    title = ck.text(raw, "title", where, markup=True, limit=80)
    explanation = ck.text(raw, "explanation", where, markup=True, limit=2000)
    url = ck.text(raw, "url", where, limit=500)
    if url and not re.match(r"^https?://", url):
        ck.add("url", f"{_q(url)} is not an http(s) address (it must start with https://)", **where)

    lat = lon = None
    has_lat, has_lon = raw.get("lat") not in (None, ""), raw.get("lon") not in (None, "")
    for key in ("lat", "lon"):
        if is_placeholder(raw.get(key)):
            ck.add(key, f"still a placeholder ({_short(raw[key])}): fill it in, or delete lat and lon",
                   incomplete=True, **where)
            has_lat = has_lon = False
    if has_lat or has_lon:
        lat, lon = _number(raw.get("lat")), _number(raw.get("lon"))
        if not has_lat or not has_lon:
            ck.add("lat" if not has_lat else "lon", "missing (a location needs both lat and lon)", **where)
            lat = lon = None
        else:
            if lat is None or not math.isfinite(lat) or not -90 <= lat <= 90:
                ck.add("lat", f"{_shown(raw.get('lat'))} is not a latitude", **where)
                lat = None
            if lon is None or not math.isfinite(lon) or not -180 <= lon <= 180:
                ck.add("lon", f"{_shown(raw.get('lon'))} is not a longitude", **where)
                lon = None

    images: dict[str, str] = {}
    raw_images = raw.get("images")
    if raw_images not in (None, ""):
        if not isinstance(raw_images, Mapping):
            ck.add("images", f"must map faces ({', '.join(FACES)}) to files, not {_kind(raw_images)}", **where)
        else:
            for face, value in raw_images.items():
                if face not in FACES:
                    ck.add(f"images.{face}", f"unknown face; use {', '.join(FACES)}", **where)
                    continue
                path = ck.relpath(value, f"images.{face}", where, IMAGE_SUFFIXES)
                if path:
                    images[face] = path
    listed = raw_images if isinstance(raw_images, Mapping) else {}
    if ck.check_files:
        for face, files in ck.conventional_images().get(number, {}).items():
            if face in listed:
                continue  # the deck says which file; the convention only fills gaps
            unsafe = [f for f in files if isinstance(f, tuple)]
            for name, why in unsafe:
                ck.add(f"images.{face}", f"{name} {why} (a file named like a card image is used without "
                       "being listed)", **where)
            if unsafe:
                continue
            if len(files) > 1:
                ck.add(f"images.{face}", f"{' and '.join(files)} could both be this card's {face} image: "
                       "keep one, or say which in images", **where)
            else:
                images[face] = files[0]
    audio = ck.relpath(raw.get("audio"), "audio", where, AUDIO_SUFFIXES)
    if not audio and raw.get("audio") in (None, "") and ck.check_files:
        audio = ck.conventional_audio(number)

    if not reading and "reading" not in images and "reading" not in _incomplete_fields(ck, number):
        if not _blank(raw.get("reading")) or not _blank(listed.get("reading")):
            pass  # already reported (bad markup or type, or a listed image that is missing)
        else:
            ck.add("reading", "is empty and there is no reading-card image (images.reading): "
                   "a card needs one or the other", **where)
    if reading and kana and kana != "ん":  # no word starts with ん: an いろは deck's ん card reads another sound
        spoken = ruby.kana_reading(reading)
        lead = _leading_letter(spoken)
        first = first_sound(spoken)
        if lead and not _is_kana(lead) and not _is_kanji(lead):  # a bare kanji is a furigana note (validate --notes)
            ck.add("reading", f"starts with 「{lead}」, not with a kana: a reading starts with its card's kana "
                   f"「{kana}」 (give numbers and letters furigana: ｜{lead}(…))", **where)
        elif first and not same_initial(kana, first):
            ck.add("reading", f"starts with 「{first}」 but the card's kana is 「{kana}」", **where)
    if not title and "picture" not in images and "title" not in _incomplete_fields(ck, number):
        if _blank(raw.get("title")) and _blank(listed.get("picture")):
            ck.add("title", "is empty and there is no picture-card image (images.picture): "
                   "a card needs one or the other", **where)
    for key in sorted(_shown(k) for k in raw if k not in _CARD_KEYS):
        ck.add(key, "unknown field (a typo?); known fields: " + ", ".join(sorted(_CARD_KEYS)), **where)

    return Card(number=number, kana=kana, reading=reading, title=title, explanation=explanation,
                lat=lat, lon=lon, url=url, images=images, audio=audio,
                furigana_to_check=_furigana_to_check(ck, raw.get("furigana_to_check"), where))


def _furigana_to_check(ck: _Checker, value: Any, where: dict) -> dict[str, tuple[str, ...]]:
    """``furigana_to_check: {reading: ["漢字(かんじ)", ...]}``: proposals of `karuta deck furigana`
    that a person has not checked yet (docs/decks.md). Advice only; the game ignores it."""
    if value in (None, "", {}):
        return {}
    if not isinstance(value, Mapping):
        ck.add("furigana_to_check", f"must map text fields ({', '.join(_TEXT_KEYS)}) to lists of "
               f"words such as \"漢字(かんじ)\", not {_kind(value)}", **where)
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for key, words in value.items():
        if key not in _TEXT_KEYS:
            ck.add(f"furigana_to_check.{key}", f"unknown field; use {', '.join(_TEXT_KEYS)}", **where)
        elif not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            ck.add(f"furigana_to_check.{key}", f"must be a list of words such as \"漢字(かんじ)\", "
                   f"not {_kind(words)}", **where)
        else:
            result[key] = tuple(words)
    return result


def _incomplete_fields(ck: _Checker, number: int) -> set[str]:
    return {p.field for p in ck.problems if p.card == number and p.incomplete}


def deck_files(deck: Deck) -> list[str]:
    """Every file of a deck that the game uses or a build may pack (images, audio, the voice pack's
    manifest), as paths relative to the deck folder; each checked now to be a regular file inside
    the folder once links are resolved. Raises DeckError naming any file that is not."""
    from .voicepack import MANIFEST  # the voice pack's list of generated files travels with the deck

    wanted: list[str] = []
    for card in deck.cards:
        wanted.extend(card.images[face] for face in FACES if face in card.images)
        if card.audio:
            wanted.append(card.audio)
    if deck.map is not None:
        wanted.append(deck.map.image)  # the map screen's picture (engine/deckmap.py)
    if os.path.lexists(os.path.join(deck.folder, *PurePosixPath(MANIFEST).parts)):
        wanted.append(MANIFEST)
    root = _real(deck.folder)
    label = str(deck_file(deck.folder) or os.path.join(deck.folder, "deck.yaml"))
    problems = []
    for rel in dict.fromkeys(wanted):
        why = _unsafe_file(deck.path(rel), root)
        if why:
            problems.append(Problem(label, rel, why))
    if problems:
        raise DeckError(problems)
    return list(dict.fromkeys(wanted))


def deck_to_data(deck: Deck) -> dict:
    """The plain data of a deck (for deck.json in the web build and for tools that rewrite decks)."""
    cards = []
    for c in deck.cards:
        item: dict[str, Any] = {"number": c.number, "kana": c.kana}
        for key in ("reading", "title", "explanation", "url", "audio"):
            if getattr(c, key):
                item[key] = getattr(c, key)
        if c.has_location:
            item["lat"], item["lon"] = c.lat, c.lon
        if c.images:
            item["images"] = dict(c.images)
        cards.append(item)
    data: dict[str, Any] = {"format": FORMAT_VERSION, "id": deck.id, "name": deck.name}
    for key in ("district", "source_url", "licence", "attribution", "link_secret"):
        if getattr(deck, key):
            data[key] = getattr(deck, key)
    order = next((k for k, v in KANA_ORDERS.items() if v == deck.kana_order), None)
    data["kana_order"] = order or list(deck.kana_order)
    data["demo_locations"] = deck.demo_locations
    if deck.map is not None:
        data["map"] = deck.map.to_data()
    data["cards"] = cards
    return data
