"""The files of a deck folder: which ones the game uses, and that each is safe to read.

A file of a deck must be a regular file inside the deck folder once links are resolved: a link to
/etc/passwd would otherwise be read and even packed into the web build, and a FIFO or a device
would block whoever reads it. Card images and recordings named by the open data's rule
(images/01a.jpg, audio/1.ogg) are used without being listed in deck.yaml.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from .deckmodel import FACES, Deck, DeckError, Problem
from .messages import N_, Message

FACE_LETTERS = {"a": "picture", "b": "reading", "c": "explanation"}  # the open data's file naming rule
# images/<number><a|b|c>.<png|jpg|jpeg>, number with or without zero padding, any letter case
_CONVENTIONAL_IMAGE_RE = re.compile(r"^0*([1-9][0-9]{0,2})([abc])\.(png|jpe?g)$", re.IGNORECASE)
_CONVENTIONAL_AUDIO_RE = re.compile(r"^0*([1-9][0-9]{0,2})\.ogg$")
IS_FOLDER = Message(N_("is a folder, not a file"))


def deck_file(folder: str | os.PathLike) -> Path | None:
    """The deck's data file: deck.yaml on the desktop, deck.json in a web build."""
    for name in ("deck.yaml", "deck.yml", "deck.json"):
        p = Path(folder) / name
        if os.path.lexists(p) and not p.is_dir():  # a link or a FIFO is found, then refused by read_deck_data
            return p
    return None


def real_path(path: str) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.path.abspath(path)


def unsafe_file(full: str, root: str) -> Message | None:
    """Why a file of a deck (``full``, in the deck folder whose real path is ``root``) must not be
    used, or None: it must be a regular file inside the folder once links are resolved."""
    real = real_path(full)
    try:
        inside = os.path.commonpath([real, root]) == root
    except ValueError:  # another drive on Windows
        inside = False
    if not inside:
        return Message(N_("is a link to a file outside the deck folder; put the file itself in the deck folder"))
    try:
        mode = os.stat(real).st_mode
    except (OSError, ValueError):
        return Message(N_("file not found"))
    if stat.S_ISDIR(mode):
        return IS_FOLDER
    if not stat.S_ISREG(mode):
        return Message(N_("is not a regular file (a pipe, socket or device); put a real file there"))
    return None


def conventional_card_file(rel: str) -> tuple[int, str] | None:
    """(card number, face or "audio") of a file the game uses for its name alone
    (images/01a.jpg, audio/1.ogg), else None."""
    folder, _, name = rel.replace("\\", "/").partition("/")
    if folder == "images" and "/" not in name:
        m = _CONVENTIONAL_IMAGE_RE.match(name)
        return (int(m.group(1)), FACE_LETTERS[m.group(2).lower()]) if m else None
    if folder == "audio" and "/" not in name:
        m = _CONVENTIONAL_AUDIO_RE.match(name)
        return (int(m.group(1)), "audio") if m else None
    return None


class DeckFolder:
    """The files of one deck folder as validation sees them (each folder listed once, not per card)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.root = real_path(folder)
        self._listings: dict[str, list[str]] = {}
        self._conventional: dict[int, dict[str, list]] | None = None

    def unsafe(self, relative: str) -> Message | None:
        return unsafe_file(os.path.join(self.folder, *PurePosixPath(relative).parts), self.root)

    def listdir(self, relative: str) -> list[str]:
        """Names in a folder of the deck, sorted; none when it cannot be listed."""
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
                why = self.unsafe(f"images/{name}")
                if why == IS_FOLDER:
                    continue
                # A file that would be used without being listed is checked like a listed one (deckcheck).
                face = FACE_LETTERS[m.group(2).lower()]
                found = f"images/{name}" if not why else (f"images/{name}", why)
                self._conventional.setdefault(int(m.group(1)), {}).setdefault(face, []).append(found)
        return self._conventional

    def conventional_audio(self, number: int) -> tuple[str, Message | None]:
        """A recording at audio/<number>.ogg (or zero-padded), used without being listed:
        (its path, None), (its path, why it must not be used), or ("", None) when there is none."""
        for name in (f"{number}.ogg", f"{number:02d}.ogg", f"{number:03d}.ogg"):
            rel = f"audio/{name}"
            if not os.path.lexists(os.path.join(self.folder, "audio", name)):
                continue
            why = self.unsafe(rel)
            if why == IS_FOLDER:
                continue
            return rel, why
        return "", None


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
    files = DeckFolder(deck.folder)
    label = str(deck_file(deck.folder) or os.path.join(deck.folder, "deck.yaml"))
    problems = []
    for rel in dict.fromkeys(wanted):
        why = files.unsafe(rel)
        if why:
            problems.append(Problem(label, rel, why))
    if problems:
        raise DeckError(problems)
    return list(dict.fromkeys(wanted))
