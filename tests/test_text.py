"""Text rendering: every character the demo deck uses exists in the bundled fonts; furigana layout."""

import os

import pygame
import pytest

from karuta.app.text import FACES, FONT_DIR, Fonts
from karuta.engine.deck import load_deck
from karuta.engine import ruby

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def fonts():
    pygame.font.init()
    return Fonts()


def _deck_chars():
    deck = load_deck(os.path.join(ROOT, "decks", "demo"))
    chars = set(ruby.plain_text(deck.name))
    for c in deck.cards:
        for markup in (c.reading, c.title, c.explanation):
            chars |= set(ruby.plain_text(markup)) | set(ruby.kana_reading(markup))
    return {ch for ch in chars if not ch.isspace()}


@pytest.mark.parametrize("face", sorted(FACES))
def test_every_demo_deck_character_is_in_each_font(face):
    from fontTools.ttLib import TTFont

    with TTFont(os.path.join(FONT_DIR, FACES[face]), lazy=True) as font:
        cmap = font.getBestCmap()
    missing = sorted(ch for ch in _deck_chars() if ord(ch) not in cmap)
    assert missing == [], f"{FACES[face]} lacks {''.join(missing)}"


def test_font_licences_sit_next_to_the_fonts():
    names = os.listdir(FONT_DIR)
    assert "LICENSE-BIZUDPGothic.txt" in names and "LICENSE-KleeOne.txt" in names
    for name in ("LICENSE-BIZUDPGothic.txt", "LICENSE-KleeOne.txt"):
        with open(os.path.join(FONT_DIR, name), encoding="utf-8") as f:
            assert "Open Font License" in f.read() or "SIL" in name


def test_ruby_text_is_taller_than_plain_and_wraps_within_width(fonts):
    plain = fonts.ruby("あさのかわ", 40)
    with_ruby = fonts.ruby("あさの川(かわ)", 40)
    assert with_ruby.get_height() > plain.get_height()
    long = "あさひばし　わたるとひびく　川(かわ)のおと" * 2
    wrapped = fonts.ruby(long, 40, max_width=300)
    assert wrapped.get_width() == 300
    assert wrapped.get_height() > 2 * with_ruby.get_height()


def test_rendered_text_is_cached(fonts):
    a = fonts.render("こんにちは", 30)
    b = fonts.render("こんにちは", 30)
    assert a is b
    assert fonts.ruby("川(かわ)", 30) is fonts.ruby("川(かわ)", 30)


def test_kana_only_drops_the_kanji(fonts):
    kana = fonts.ruby("川(かわ)", 40, kana_only=True)
    both = fonts.ruby("川(かわ)", 40)
    assert kana.get_height() < both.get_height()


def test_wrap_never_starts_a_line_with_a_small_kana_or_closing_mark(fonts):
    lines = fonts.wrap("ちいさなっ、しょっぴんぐ。" * 6, 24, 120)
    assert len(lines) > 2
    for line in lines[1:]:
        assert line[0] not in "っ、。ょ"
