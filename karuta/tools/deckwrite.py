"""Writing decks: deck.yaml that people edit by hand, and an output folder that is either fully
written or left as it was.

deck.yaml is emitted by hand rather than with yaml.dump so that it keeps a fixed field order,
comments, and one card per block; every string is double-quoted so that no text (a kana such as
``の``, a ``#`` in a URL, ``yes``) is ever read back as something else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from typing import Any, Iterable

from .refuse import Refused

STAGE = ".karuta-tmp"  # inside the output folder: an interrupted run never writes beside it
TOP_ORDER = ("format", "id", "name", "district", "source_url", "licence", "attribution", "kana_order",
             "demo_locations", "link_secret")
CARD_ORDER = ("number", "kana", "reading", "title", "explanation", "furigana_to_check", "lat", "lon", "url", "images", "audio")


def quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax, plus escapes YAML requires)."""
    s = json.dumps(text, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", s)


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to deck.yaml")


def card_lines(card: dict, *, invite: Iterable[str] = ()) -> list[str]:
    """One card as YAML lines. Fields in ``invite`` are written even when empty, ready to fill in."""
    lines: list[str] = []
    first = True
    for key in CARD_ORDER:
        value = card.get(key)
        if value in (None, "", {}) and key not in invite:
            continue
        if value is None:
            value = ""
        lead = "  - " if first else "    "
        first = False
        if key == "images" and isinstance(value, dict):
            lines.append(f"{lead}images:")
            lines.extend(f"      {face}: {scalar(path)}" for face, path in value.items())
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return lines


def deck_yaml(data: dict, *, header: str = "", invite: Iterable[str] = (), tail: str = "") -> str:
    """The whole deck.yaml text for deck data (as from engine.deck.deck_to_data)."""
    out: list[str] = []
    if header:
        out.extend(f"# {line}".rstrip() for line in header.splitlines())
        out.append("")
    for key in TOP_ORDER:
        if key not in data:
            continue
        value = data[key]
        if key == "kana_order" and isinstance(value, str):
            out.append(f"kana_order: {value}")
        else:
            out.append(f"{key}: {scalar(value)}")
    out.append("cards:")
    invite = tuple(invite)
    for card in data.get("cards", []):
        out.extend(card_lines(card, invite=invite))
    text = "\n".join(out) + "\n"
    if tail:
        text += "\n" + tail.rstrip("\n") + "\n"
    return text


class Output:
    """The output folder of a tool run.

    Everything is written to a stage folder *inside* the output folder and moved into place only
    by ``commit()``. On any failure the stage is removed, and the output folder too when this run
    created it; an existing deck is only replaced with ``force`` and only when it is a deck.
    """

    def __init__(self, out: str, *, force: bool):
        self.out = out
        self.force = force
        self.created = False
        self.committed = False
        self.stage = os.path.join(out, STAGE)

    def check(self) -> None:
        """Refuse an output folder that cannot be used, before any slow work is done."""
        out = self.out
        if os.path.lexists(out) and not os.path.isdir(out):
            raise Refused(f"{out}: exists and is not a folder")
        if os.path.isdir(out):
            existing = [n for n in os.listdir(out) if n != STAGE]
            if existing and not self.force:
                raise Refused(f"{out}: already exists and is not empty; add --force to replace the deck in it")
            if existing and not any(n in existing for n in ("deck.yaml", "deck.yml", "deck.json")):
                raise Refused(f"{out}: is not a deck folder (no deck.yaml in it); --force only replaces decks. "
                              "Choose a new folder")
        elif not os.path.isdir(os.path.dirname(os.path.abspath(out))):
            raise Refused(f"{out}: the folder {os.path.dirname(out) or '.'} does not exist (run the "
                          "command from the project folder, or create it first)")

    def __enter__(self) -> "Output":
        out = self.out
        self.check()
        if not os.path.isdir(out):
            try:
                os.mkdir(out)
            except OSError as exc:
                raise Refused(f"{out}: cannot be created ({exc.strerror or exc})") from None
            self.created = True
        try:
            _remove(self.stage)  # left over from an interrupted run
            os.mkdir(self.stage)
        except OSError as exc:
            self.__exit__(type(exc), exc, None)
            raise Refused(f"{out}: cannot write in it ({exc.strerror or exc})") from None
        return self

    def path(self, *parts: str) -> str:
        return os.path.join(self.stage, *parts)

    def write_bytes(self, relative: str, data: bytes) -> None:
        full = self.path(*relative.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def commit(self) -> None:
        """Move what was staged into the output folder, replacing same-named files and folders."""
        for name in sorted(os.listdir(self.stage)):
            target = os.path.join(self.out, name)
            _remove(target)
            os.replace(os.path.join(self.stage, name), target)
        _remove(self.stage)
        self.committed = True

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.committed:
            return
        if self.created:
            _remove(self.out)
        else:
            _remove(self.stage)


def _remove(path: str) -> None:
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
