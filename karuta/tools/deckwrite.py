"""Writing decks: deck.yaml that people edit by hand, and an output folder that is either fully
written or left as it was.

deck.yaml is emitted by hand rather than with yaml.dump so that it keeps a fixed field order,
comments, and one card per block; every string is double-quoted so that no text (a kana such as
``の``, a ``#`` in a URL, ``yes``) is ever read back as something else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from typing import Any, Iterable

from ..engine.deck import conventional_card_file
from .i18n import _, ngettext
from .refuse import Refused

STAGE = ".karuta-tmp"  # inside the output folder: an interrupted run never writes beside it
MADE = ".karuta-made.json"  # what the tools wrote into a deck folder (path -> sha256), to tell it from a person's files
KEPT_PREFIX = "kept-"  # <deck>/kept-<date-time>/: a person's files that a --force run moved out of the way
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
        self.kept = ""  # set by commit(): where a person's files that were in the way were moved

    def check(self) -> None:
        """Refuse an output folder that cannot be used, before any slow work is done."""
        out = self.out
        if os.path.lexists(out) and not os.path.isdir(out):
            raise Refused(_("{out}: exists and is not a folder").format(out=out))
        if os.path.isdir(out):
            existing = [n for n in os.listdir(out) if n != STAGE]
            if existing and not self.force:
                raise Refused(_("{out}: already exists and is not empty; add --force to replace the deck in it")
                              .format(out=out))
            if existing and not any(n in existing for n in ("deck.yaml", "deck.yml", "deck.json")):
                raise Refused(_("{out}: is not a deck folder (no deck.yaml in it); --force only replaces decks. "
                                "Choose a new folder").format(out=out))
        elif not os.path.isdir(os.path.dirname(os.path.abspath(out))):
            raise Refused(_("{out}: the folder {parent} does not exist (run the command from the project folder, or "
                            "create it first)").format(out=out, parent=os.path.dirname(out) or "."))

    def __enter__(self) -> "Output":
        out = self.out
        self.check()
        if not os.path.isdir(out):
            try:
                os.mkdir(out)
            except OSError as exc:
                raise Refused(_("{out}: cannot be created ({reason})").format(out=out, reason=exc.strerror or exc)) from None
            self.created = True
        try:
            _remove(self.stage)  # left over from an interrupted run
            os.mkdir(self.stage)
        except OSError as exc:
            self.__exit__(type(exc), exc, None)
            raise Refused(_("{out}: cannot write in it ({reason})").format(out=out, reason=exc.strerror or exc)) from None
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

    def commit(self) -> list[str]:
        """Move what was staged into the output folder, losing nothing the tools did not make.

        A file of the folder is replaced or removed silently only when a tool wrote it (it is in
        MADE with the same content) or it has exactly the new content. Anything else that would be
        overwritten, or that would be taken for a card image beside the new ones, is moved to
        ``kept-<date-time>/`` under the same relative path; other files stay where they are.
        Returns what was moved (relative paths); ``kept`` is the folder they are in.
        """
        made = _read_made(self.out)
        staged = _files_under(self.stage)
        managed = {rel.split("/")[0] for rel in staged if "/" in rel}  # folders the run writes into (images/)
        moved: list[str] = []
        self.kept = os.path.join(self.out, KEPT_PREFIX + time.strftime("%Y%m%d-%H%M%S"))
        for rel in sorted(_files_under(self.out, skip=(STAGE, MADE))):
            full = os.path.join(self.out, *rel.split("/"))
            ours = made.get(rel) is not None and made.get(rel) == _sha256(full)
            if rel in staged:
                if ours or _sha256(full) == staged[rel]:
                    continue  # replaced below: nothing of a person's is lost
            elif ours and rel.split("/")[0] in managed:
                os.unlink(full)  # the previous run's file that this run no longer makes
                continue
            elif not (rel.split("/")[0] in managed and is_conventional_file(rel)):
                continue  # a person's own file, out of the way: it stays
            target = os.path.join(self.kept, *rel.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(full, target)
            moved.append(rel)
        for rel in sorted(staged):
            target = os.path.join(self.out, *rel.split("/"))
            if os.path.isdir(target) and not os.path.islink(target):
                raise Refused(_("{target}: is a folder where the deck's file {file} belongs; move it away first")
                              .format(target=target, file=rel))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(self.stage, *rel.split("/")), target)
        for folder in _folders_under(self.stage):  # empty folders the run makes (images/, audio/)
            os.makedirs(os.path.join(self.out, *folder.split("/")), exist_ok=True)
        with open(os.path.join(self.out, MADE), "w", encoding="utf-8") as f:
            json.dump({"files": staged}, f, ensure_ascii=False, indent=0, sort_keys=True)
        _remove(self.stage)
        self.committed = True
        return moved

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.committed:
            return
        if self.created:
            _remove(self.out)
        else:
            _remove(self.stage)


def is_conventional_file(rel: str) -> bool:
    """A file the game uses because of its name alone (images/01a.jpg, audio/1.ogg)."""
    return conventional_card_file(rel) is not None


def _files_under(root: str, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Regular files under ``root`` (relative path -> sha256), not following links, leaving out
    ``skip`` at the top and earlier kept-* folders."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in skip and not d.startswith(KEPT_PREFIX)]
            filenames = [n for n in filenames if n not in skip]
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            out[rel] = _sha256(full)
    return out


def _folders_under(root: str) -> list[str]:
    return [os.path.relpath(d, root).replace(os.sep, "/") for d, _, _ in os.walk(root) if d != root]


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_made(out: str) -> dict[str, str]:
    try:
        with open(os.path.join(out, MADE), encoding="utf-8") as f:
            files = json.load(f).get("files", {})
        return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, ValueError, AttributeError):
        return {}  # no record (a deck made by hand or by an older version): nothing counts as the tools'


def kept_note(out: str, kept: str, moved: list[str]) -> str:
    """The line a tool prints when it moved a person's files out of the way ('' when it did not)."""
    if not moved:
        return ""
    shown = ", ".join(moved[:5])
    if len(moved) > 5:
        shown = _("{files} and {n} more").format(files=shown, n=len(moved) - 5)
    return ngettext("Kept {n} file this tool did not make (or that were changed since): moved to {folder} ({files}); "
                    "nothing was deleted",
                    "Kept {n} files this tool did not make (or that were changed since): moved to {folder} ({files}); "
                    "nothing was deleted", len(moved)).format(n=len(moved), folder=kept + os.sep, files=shown)


def _remove(path: str) -> None:
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
