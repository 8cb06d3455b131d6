"""Furigana markup: ``漢字(かんじ)``.

A reading in parentheses follows the run of kanji it belongs to. Full-width
parentheses are accepted too, and a ``｜`` (or ``|``) marks where the base starts
when it is not a plain kanji run (``｜前橋(まえばし)`` or ``｜ABC(えーびーしー)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KANJI = r"\u3005\u3006\u30f6\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
_PATTERN = re.compile(
    r"[｜|](?P<mbase>[^｜|(（)）]+?)[(（](?P<mruby>[^()（）]*)[)）]"
    r"|(?P<base>[" + _KANJI + r"]+)[(（](?P<ruby>[^()（）]*)[)）]"
)
_KANJI_RE = re.compile("[" + _KANJI + "]")


class RubyError(ValueError):
    """Markup that cannot be read; the message says what is wrong and where."""


@dataclass(frozen=True)
class Segment:
    """A piece of text; ``ruby`` is the reading shown above ``base`` (None for plain text)."""

    base: str
    ruby: str | None = None


def parse(markup: str) -> list[Segment]:
    """Split markup into plain and ruby segments. Raises RubyError on broken markup."""
    segments: list[Segment] = []
    pos = 0
    for m in _PATTERN.finditer(markup):
        if m.start() > pos:
            _plain(segments, markup[pos : m.start()], markup)
        base = m.group("mbase") or m.group("base")
        ruby = (m.group("mruby") if m.group("mbase") else m.group("ruby")).strip()
        if not ruby:
            raise RubyError(f"empty furigana after 「{base}」")
        segments.append(Segment(base, ruby))
        pos = m.end()
    if pos < len(markup):
        _plain(segments, markup[pos:], markup)
    return segments


def _plain(segments: list[Segment], text: str, markup: str) -> None:
    for ch in "()（）｜|":
        if ch in text:
            where = text.index(ch)
            raise RubyError(f"unmatched 「{ch}」 near 「{text[max(0, where - 4): where + 4]}」")
    if segments and segments[-1].ruby is None:
        segments[-1] = Segment(segments[-1].base + text)
    else:
        segments.append(Segment(text))


def plain_text(markup: str) -> str:
    """The text as printed without furigana."""
    return "".join(s.base for s in parse(markup))


def kana_reading(markup: str) -> str:
    """The text with every ruby base replaced by its reading (for voice and hiragana-only display)."""
    return "".join(s.ruby if s.ruby is not None else s.base for s in parse(markup))


def kanji_without_ruby(markup: str) -> str:
    """Kanji that appear outside any ruby base (a child who reads only kana cannot read them)."""
    return "".join(ch for s in parse(markup) if s.ruby is None for ch in s.base if _KANJI_RE.match(ch))


def check(markup: str) -> str | None:
    """None when the markup parses, else a one-line description of the problem."""
    try:
        parse(markup)
    except RubyError as exc:
        return str(exc)
    return None
