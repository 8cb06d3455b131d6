"""Card faces: drawn when a deck has no image, scaled from images when it has; always cached."""

import os

import pygame
import pytest

from karuta.app.faces import Faces
from karuta.app.text import Fonts
from karuta.engine.deck import load_deck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def faces():
    pygame.font.init()
    return Faces(Fonts())


@pytest.fixture(scope="module")
def demo():
    return load_deck(os.path.join(ROOT, "decks", "demo"))


@pytest.mark.parametrize("face", ["picture", "reading", "explanation"])
def test_drawn_faces_have_the_asked_size_and_are_cached(faces, demo, face):
    card = demo.cards[0]
    a = faces.get(demo, card, face, (200, 280))
    assert a.get_size() == (200, 280)
    assert faces.get(demo, card, face, (200, 280)) is a


def test_drawn_picture_cards_differ_between_cards(faces, demo):
    a = faces.get(demo, demo.cards[0], "picture", (84, 118))
    b = faces.get(demo, demo.cards[1], "picture", (84, 118))
    assert pygame.image.tobytes(a, "RGBA") != pygame.image.tobytes(b, "RGBA")


def test_deck_image_is_used_scaled_and_proportional(faces, tmp_path):
    folder = tmp_path / "img"
    (folder / "images").mkdir(parents=True)
    src = pygame.Surface((1400, 1000))  # landscape image on a portrait card: letterboxed, not stretched
    src.fill((200, 30, 30))
    pygame.image.save(src, str(folder / "images" / "01a.png"))
    (folder / "deck.yaml").write_text(
        'id: img\nname: "え"\ncards:\n  - {number: 1, kana: あ, images: {picture: images/01a.png, '
        'reading: images/01a.png}}\n', encoding="utf-8")
    deck = load_deck(str(folder))
    surf = faces.get(deck, deck.cards[0], "picture", (100, 140))
    assert surf.get_size() == (100, 140)
    centre = surf.get_at((50, 70))
    assert all(abs(a - b) <= 4 for a, b in zip(centre[:3], (200, 30, 30)))
    assert surf.get_at((50, 5)).a == 0  # above the image: empty, the proportions were kept


def test_unreadable_image_falls_back_to_a_drawn_face(faces, tmp_path):
    folder = tmp_path / "bad"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "01a.png").write_bytes(b"not a png")
    (folder / "deck.yaml").write_text(
        'id: bad\nname: "え"\ncards:\n  - {number: 1, kana: あ, title: "x", reading: "あ", '
        'images: {picture: images/01a.png}}\n', encoding="utf-8")
    deck = load_deck(str(folder))
    surf = faces.get(deck, deck.cards[0], "picture", (100, 140))
    assert surf.get_size() == (100, 140)
    assert any("01a.png" in k for k in faces.image_errors)
