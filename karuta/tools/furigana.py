"""``karuta deck furigana DECK``: propose furigana for kanji that have none, for a person to check.

Children in the first grades read hiragana only, and the voice pack reads the deck's kana, so every
kanji needs its reading. A facilitator who typed 44 readings from the city's cards should not have
to type the furigana too: OpenJTalk's dictionary (pyopenjtalk-plus, the optional ``voice`` extra,
offline) reads each text in context, and each run of kanji without furigana gets the reading the
dictionary gives it, written in the deck's markup ``漢字(かんじ)``.

Furigana a person wrote are never changed. A machine reading can be wrong (place names above all),
so every proposal is listed (card, word, reading) and recorded in the card's ``furigana_to_check``
until a person has checked it (``--checked``); ``karuta deck validate --notes`` lists what is still
unchecked. Desktop only: pyopenjtalk is imported here, never by the game.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import unicodedata
from dataclasses import dataclass

from ..engine import ruby
from ..engine.deck import Card, is_placeholder, read_deck_data
from ..engine.kana import katakana_to_hiragana
from .i18n import _, ngettext
from .refuse import Refused
from .yamledit import DELETE, write_changes

TEXT_FIELDS = ("reading", "title", "explanation")
MARKER = "furigana_to_check"
_KANJI_RUN = re.compile("[" + ruby._KANJI + "]+")
_KANA_READING = re.compile(r"^[\u3041-\u3096ー]+$")
TARGET = 0.95  # the share of kanji runs read as a person wrote them, measured on the demo deck (docs/decks.md)


@dataclass(frozen=True)
class Proposal:
    card: int
    kana: str
    field: str
    word: str
    reading: str

    @property
    def markup(self) -> str:
        return f"{self.word}({self.reading})"

    def __str__(self) -> str:
        card = _("card {number} ({kana})").format(number=self.card, kana=self.kana)
        return f"{card}: {self.field}: {self.word} → {self.reading}"


def load_tagger():
    """pyopenjtalk, or Refused with the one line that says how to install it."""
    # pyopenjtalk-plus prints a note about an optional ONNX model on import; it does not concern us.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            import pyopenjtalk
        except ImportError:
            raise Refused(_("furigana need the optional 'voice' extra (pyopenjtalk-plus, with its offline "
                            "dictionary): pip install -e '.[voice]'")) from None
    return pyopenjtalk


# ---------------------------------------------------------------- readings


def kanji_readings(tagger, text: str) -> dict[tuple[int, int], str | None]:
    """Readings (hiragana) of the kanji groups of ``text`` as the dictionary reads it in context:
    (start, end) -> reading, for each run of kanji inside one dictionary word; None for a run
    whose reading cannot be told apart from a digit's next to it (１２月)."""
    with contextlib.redirect_stdout(io.StringIO()):
        nodes = tagger.run_frontend(text)
    result: dict[tuple[int, int], str] = {}
    pos = 0
    for node in nodes:
        word = node.get("string", "")
        at = _find(text, pos, word)
        if at is None:
            break  # the dictionary rewrote the text here; the rest is read run by run (see propose_text)
        pos = at + len(word)
        if not _KANJI_RUN.search(word):
            continue
        groups = _split_reading(word, node.get("read", ""))
        if groups is None:
            continue
        for m, reading in zip(_KANJI_RUN.finditer(word), groups):
            result[(at + m.start(), at + m.end())] = reading
    return result


def _find(text: str, pos: int, word: str) -> int | None:
    """Where ``word`` (as the dictionary spells it) starts at ``pos``, skipping spaces it dropped."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if text.startswith(word, pos):
        return pos
    # The dictionary gives full-width forms of digits and letters: compare as NFKC.
    n = len(word)
    if unicodedata.normalize("NFKC", text[pos:pos + n]) == unicodedata.normalize("NFKC", word):
        return pos
    return None


def _split_reading(word: str, read: str) -> list[str | None] | None:
    """Give each kanji run of a dictionary word its part of the word's reading.

    The kana of the word are matched literally (ひかりが丘 / ヒカリガオカ: 丘 is おか), so
    okurigana stay outside the furigana. A run next to a digit or letter cannot be separated
    from it and gets None."""
    reading = katakana_to_hiragana(read)
    if not _KANA_READING.match(reading or "-"):
        return None
    pattern, kinds = "", []
    for m in re.finditer(r"([" + ruby._KANJI + r"]+)|([\u3041-\u3096\u30a1-\u30fcー]+)|(.+?)", word):
        if m.group(1):
            pattern += "(.+?)"
            kinds.append("kanji")
        elif m.group(2):
            pattern += re.escape(katakana_to_hiragana(m.group(2)))
        else:
            pattern += "(.+?)"
            kinds.append("other")
    match = re.fullmatch(pattern, reading)
    if match is None:
        return None
    groups = list(match.groups())
    out: list[str | None] = []
    for i, kind in enumerate(kinds):
        if kind == "kanji":
            touches_other = (i > 0 and kinds[i - 1] == "other") or (i + 1 < len(kinds) and kinds[i + 1] == "other")
            out.append(None if touches_other else groups[i])
    return out


def run_reading(tagger, run: str, context: dict[tuple[int, int], str], start: int) -> str | None:
    """The reading of a kanji run at ``start``: from the groups read in context when they tile it,
    else from the run read on its own."""
    pieces, pos = [], start
    while pos < start + len(run):
        nxt = next(((s, e) for (s, e) in context if s == pos and e <= start + len(run)), None)
        if nxt is None:
            break
        if context[nxt] is None:
            return None  # read together with a digit: a person writes it (｜１２月(じゅうにがつ))
        pieces.append(context[nxt])
        pos = nxt[1]
    if pos == start + len(run):
        return "".join(pieces)
    alone = kanji_readings(tagger, run)
    pieces, pos = [], 0
    for (s, e), reading in sorted(alone.items()):
        if s != pos or reading is None:
            return None
        pieces.append(reading)
        pos = e
    return "".join(pieces) if pos == len(run) else None


def propose_text(tagger, markup: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """(markup with furigana added, [(word, reading)] proposed, [words no reading was found for]).

    Only the plain stretches between furigana a person wrote are touched; those furigana are copied
    character for character."""
    ruby.parse(markup)  # broken markup raises here, before anything is proposed
    plain = ruby.plain_text(markup)
    context = kanji_readings(tagger, plain) if _KANJI_RUN.search(plain) else {}
    out: list[str] = []
    proposed: list[tuple[str, str]] = []
    unread: list[str] = []
    pos = offset = 0

    def plain_stretch(text: str) -> None:
        last = 0
        for m in _KANJI_RUN.finditer(text):
            reading = run_reading(tagger, m.group(), context, offset + m.start())
            out.append(text[last:m.end()])
            if reading:
                out.append(f"({reading})")
                proposed.append((m.group(), reading))
            else:
                unread.append(m.group())
            last = m.end()
        out.append(text[last:])

    for m in ruby._PATTERN.finditer(markup):
        plain_stretch(markup[pos:m.start()])
        offset += m.start() - pos + len(m.group("mbase") or m.group("base"))
        out.append(m.group())
        pos = m.end()
    plain_stretch(markup[pos:])
    return "".join(out), proposed, unread


# ---------------------------------------------------------------- a deck


def propose_deck(folder: str, tagger) -> tuple[dict[int, dict], list[Proposal], list[str]]:
    """(changes for yamledit, proposals, words without a reading) for every card text of a deck.

    A field's text is rewritten only where a proposal was made, so a text a person wrote with
    every furigana stays byte for byte as it is."""
    data, problems, label = read_deck_data(folder)
    if problems:
        raise Refused("; ".join(str(p) for p in problems))
    if not isinstance(data, dict) or not isinstance(data.get("cards"), list):
        raise Refused(_("{file}: has no cards list; fix the deck first (karuta deck validate {deck})").format(
            file=label, deck=folder))
    changes: dict[int, dict] = {}
    proposals: list[Proposal] = []
    unread: list[str] = []
    for card in data["cards"]:
        if not isinstance(card, dict) or not isinstance(card.get("number"), int):
            continue
        number, kana = card["number"], str(card.get("kana") or "?")
        marked = dict(card.get(MARKER)) if isinstance(card.get(MARKER), dict) else {}
        for key in TEXT_FIELDS:
            value = card.get(key)
            if not isinstance(value, str) or not value.strip() or is_placeholder(value) or ruby.check(value):
                continue  # nothing to read, a TODO, or broken markup (validate names it)
            new, proposed, missing = propose_text(tagger, value)
            card_label = _("card {number} ({kana})").format(number=number, kana=kana)
            unread.extend(f"{card_label}: {key}: {w}" for w in missing)
            if not proposed:
                continue
            changes.setdefault(number, {})[key] = new
            proposals.extend(Proposal(number, kana, key, w, r) for w, r in proposed)
            words = [w for w in marked.get(key, []) if isinstance(w, str)]
            marked[key] = words + [f"{w}({r})" for w, r in proposed if f"{w}({r})" not in words]
        if number in changes:
            changes[number][MARKER] = marked
    return changes, proposals, unread


def checked_changes(folder: str, numbers: list[int] | None) -> tuple[dict[int, dict], int]:
    """Changes that mark the proposals of the given cards (all when None) as checked."""
    data, problems, _label = read_deck_data(folder)
    if problems:
        raise Refused("; ".join(str(p) for p in problems))
    cards = {c["number"]: c for c in data.get("cards") or []
             if isinstance(c, dict) and isinstance(c.get("number"), int)}
    unknown = [n for n in numbers or [] if n not in cards]
    if unknown:
        raise Refused(_("--checked: the deck has no card {numbers}").format(numbers=", ".join(map(str, unknown))))
    chosen = numbers if numbers is not None else list(cards)
    changes = {n: {MARKER: DELETE} for n in chosen if MARKER in cards[n]}
    words = sum(len(v) for n in changes if isinstance(cards[n][MARKER], dict)
                for v in cards[n][MARKER].values() if isinstance(v, list))
    return changes, words


def unchecked(card: Card) -> dict[str, list[str]]:
    """The proposals of a card still waiting for a person: those still in the text as proposed.
    (A word whose furigana a person has since changed counts as checked.)"""
    out: dict[str, list[str]] = {}
    for key, words in card.furigana_to_check.items():
        text = getattr(card, key, "") or ""
        still = [w for w in words if w in text]
        if still:
            out[key] = still
    return out


# ---------------------------------------------------------------- agreement (docs/decks.md)


def agreement(cards: list[dict], tagger) -> tuple[int, int, list[str]]:
    """Strip the hand-written furigana of every text, propose them again, and compare, kanji run by
    kanji run. Returns (equal, compared, differences). A run is compared when the person's furigana
    cover exactly that run with kanji bases (a base that includes okurigana is left out)."""
    equal = compared = 0
    differences = []
    for card in cards:
        for key in TEXT_FIELDS:
            value = card.get(key)
            if not isinstance(value, str) or not value or ruby.check(value):
                continue
            segments = ruby.parse(value)
            plain = "".join(s.base for s in segments)
            spans, pos = [], 0
            for s in segments:
                spans.append((pos, pos + len(s.base), s))
                pos += len(s.base)
            context = kanji_readings(tagger, plain) if _KANJI_RUN.search(plain) else {}
            for m in _KANJI_RUN.finditer(plain):
                inside = [s for a, b, s in spans if a < m.end() and b > m.start()]
                tiles = [(a, b) for a, b, s in spans if a < m.end() and b > m.start()]
                if (not inside or any(s.ruby is None for s in inside) or tiles[0][0] != m.start()
                        or tiles[-1][1] != m.end()):
                    continue
                hand = katakana_to_hiragana("".join(s.ruby for s in inside))
                proposed = run_reading(tagger, m.group(), context, m.start())
                compared += 1
                if proposed == hand:
                    equal += 1
                else:
                    differences.append(f"card {card.get('number')}: {key}: {m.group()}: "
                                       f"written {hand}, proposed {proposed or '(none)'}")
    return equal, compared, differences


# ---------------------------------------------------------------- command line


def build_parser():
    import argparse

    p = argparse.ArgumentParser(
        prog="karuta deck furigana",
        description=_("Propose furigana for every kanji without them in the deck's texts (offline, with the "
                      "'voice' extra), list each proposal, and mark them in deck.yaml as furigana_to_check until "
                      "a person has checked them. Furigana written by a person are never changed."))
    p.add_argument("deck", metavar="DECK", help=_("the deck folder, e.g. decks/shimokawabuchi"))
    p.add_argument("--checked", nargs="*", type=int, metavar="N",
                   help=_("mark the proposals of these cards (all cards when no number is given) as checked"))
    p.add_argument("--dry-run", action="store_true", help=_("list the proposals without changing deck.yaml"))
    return p


def run(argv: list[str]) -> int:
    from .deck.common import deck_folder

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        folder = deck_folder(args.deck)
        if args.checked is not None:
            changes, words = checked_changes(folder, args.checked or None)
            if changes and not args.dry_run:
                write_changes(folder, changes)
            print(ngettext("{n} card marked checked ({words} proposed furigana); karuta deck validate {deck} --notes "
                           "lists what is still unchecked",
                           "{n} cards marked checked ({words} proposed furigana); karuta deck validate {deck} --notes "
                           "lists what is still unchecked", len(changes)).format(
                               n=len(changes), words=words, deck=args.deck))
            return 0
        tagger = load_tagger()
        changes, proposals, unread = propose_deck(folder, tagger)
        for p in proposals:
            print(f"  {p}")
        for word in unread:
            print(_("  {word}: no reading found; write its furigana by hand").format(word=word))
        if changes and not args.dry_run:
            write_changes(folder, changes)
        cards = len({p.card for p in proposals})
        if args.dry_run:
            line = ngettext("furigana: {n} would be proposed (--dry-run: nothing written) in {cards} card",
                            "furigana: {n} would be proposed (--dry-run: nothing written) in {cards} cards", cards)
        else:
            line = ngettext("furigana: {n} proposed in {cards} card", "furigana: {n} proposed in {cards} cards", cards)
        line = line.format(n=len(proposals), cards=cards)
        if unread:
            line += _("; {n} without a reading").format(n=len(unread))
        print(line)
        if proposals and not args.dry_run:
            print(_("Check each reading above (place names above all); fix any in deck.yaml, then mark them: "
                    "karuta deck furigana {deck} --checked  (or --checked N for card N). "
                    "karuta deck validate {deck} --notes lists the unchecked ones.").format(deck=args.deck))
        return 0
    except Refused as exc:
        print(f"karuta deck furigana: {exc}", file=sys.stderr)
        return 1
