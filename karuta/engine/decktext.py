"""The text rules of a deck: placeholders, what a screen can show, and how a value is quoted in a message."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .messages import N_, Message

PLACEHOLDER = "TODO"
# "TODO", "TODO: ..." or "todo ..." mark a value still to write; "Todoroki" is a real name, not a placeholder.
_PLACEHOLDER_RE = re.compile(r"^TODO(?![A-Za-z0-9])", re.IGNORECASE)
_UNSHOWABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufffe\uffff]")
# Problems any part of a deck can have (deckcheck.py, deckmap.py): one catalog entry each.
MISSING = N_("missing")
UNKNOWN_FIELD = N_("unknown field (a typo?); known fields: {known}")


def is_placeholder(value: Any) -> bool:
    """True for a value a deck maker still has to write ("TODO: ...")."""
    return isinstance(value, str) and bool(_PLACEHOLDER_RE.match(value.strip()))


def printable(text: str) -> str:
    """``text`` with what no screen or terminal can show (control characters, lone surrogates)
    written as escapes such as \\x00, so a message about a bad value can itself be shown."""
    if not _UNSHOWABLE_RE.search(text):
        return text
    return _UNSHOWABLE_RE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                              else f"\\u{ord(m.group()):04x}", text)


def unshowable(text: str) -> Message | None:
    """Why a deck text cannot be shown (a control character, a line break, a lone surrogate), or None."""
    m = _UNSHOWABLE_RE.search(text)
    if m is None:
        return None
    ch, at = m.group(), m.start() + 1
    code = f"U+{ord(ch):04X}"
    if ch in "\r\n\u2028\u2029":
        return Message(N_("contains a line break (after character {at}): write the text on one line; "
                          "the game wraps long text by itself"), at=at - 1)
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return Message(N_("contains an unpaired surrogate ({code}) at character {at}: the text is not valid "
                          "Unicode; type that part again"), code=code, at=at)
    if ch == "\x00":
        return Message(N_("contains a NUL character ({code}) at character {at}: remove it"), code=code, at=at)
    return Message(N_("contains an invisible control character ({code}) at character {at}: remove it"),
                   code=code, at=at)


_KINDS = {dict: N_("a mapping"), list: N_("a list"), bool: N_("true/false"), type(None): N_("empty")}


def kind(value: Any) -> Message | str:
    """What sort of value a deck holds where another was wanted ("a list"); other types by name."""
    name = _KINDS.get(type(value))
    return Message(name) if name else type(value).__name__


def short(value: str, n: int = 30) -> str:
    return value if len(value) <= n else value[: n - 1] + "…"


def shown(value: Any, n: int = 30) -> str:
    """A short text for a value in a message, without building the text of a huge value first
    (a YAML alias bomb expands to millions of items)."""
    import reprlib

    if isinstance(value, str):
        return printable(short(value, n))
    r = reprlib.Repr()
    r.maxlevel, r.maxlist, r.maxdict, r.maxstring, r.maxother = 2, 4, 4, n, n
    return short(r.repr(value), n)


def quoted(value: Any, n: int = 30) -> str:
    """A value quoted for a message: bounded, printable, text in quotes."""
    return f"'{shown(value, n)}'" if isinstance(value, str) else shown(value, n)


def blank(value: Any) -> bool:
    """Nothing written: missing, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_kana(ch: str) -> bool:
    return 0x3041 <= ord(ch) <= 0x30FF and ch not in "・ー゛゜"


def is_kanji(ch: str) -> bool:
    # by code point: literal range ends would be characters the web build's fonts must carry
    return 0x4E00 <= ord(ch) <= 0x9FFF or 0x3400 <= ord(ch) <= 0x4DBF or ch in "々〆"


def leading_letter(text: str) -> str:
    """The first letter or digit of a text (what is read first), skipping punctuation and spaces."""
    for ch in text:
        if ch != "ー" and unicodedata.category(ch)[0] in "LN":
            return ch
    return ""


def to_number(value: Any) -> float | None:
    """A number written as a number or as text; None for anything else."""
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
