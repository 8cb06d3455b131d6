"""What the shell does for speed and memory, checked as behaviour (never as time): still screens are not
repainted, caches hold a byte ceiling, scenes that were left are freed at once, and a card image shown
at many sizes is decoded from its file once or twice, not once per size."""

import gc
import os
import weakref

import pygame

from karuta.app import faces as faces_module
from karuta.app import ui
from karuta.app.faces import Faces
from karuta.app.scene import Scene
from karuta.app.text import Fonts
from karuta.engine.deck import load_deck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_a_scene_that_was_left_is_freed_at_once(make_app):
    """Scenes are reference cycles holding surfaces; the App collects them when the stack changes."""
    d = make_app("--scene", "gallery")
    d.frames(2)
    gallery = d.app.scenes.top
    rect, _ = gallery.card_rects()[0]
    d.tap(rect.center)
    detail = d.app.scenes.top
    assert detail is not gallery
    gone = weakref.ref(detail)
    del detail
    d.press("back")
    assert d.app.scenes.top is gallery
    assert gone() is None, "the card page left behind was not collected"
    # and the frozen start-up objects are not what the collections scan
    assert gc.get_freeze_count() > 0


def test_text_and_face_caches_have_a_byte_ceiling():
    pygame.font.init()
    fonts = Fonts(cache_bytes=600_000)
    for i in range(200):
        fonts.render(f"かるた {i}", 40)
        fonts.ruby(f"川(かわ)の おと {i}", 30, max_width=300)
    assert 0 < fonts.cached_bytes <= 600_000
    assert fonts.cached_bytes == sum(s.get_pitch() * s.get_height() for s in fonts._cache.values())
    again = fonts.render("かるた 199", 40)
    assert fonts.render("かるた 199", 40) is again  # recent entries stay cached
    deck = load_deck(os.path.join(ROOT, "decks", "demo"))
    faces = Faces(fonts, cache_bytes=2_000_000)
    for card in deck.cards:
        faces.get(deck, card, "picture", (200, 280))
    assert 0 < faces.cached_bytes <= 2_000_000
    assert len(faces._cache) < len(deck.cards)
    faces.clear()
    assert faces.cached_bytes == 0


def test_panels_are_cached_within_their_ceiling():
    surface = pygame.Surface((1024, 768))
    for w in range(100, 1000, 5):  # a panel that follows a growing size
        ui.panel(surface, (0, 0, w, 700))
    assert ui.cached_bytes() <= ui.PANEL_CACHE_BYTES
    # a cached panel draws exactly what drawing it directly would
    a, b = pygame.Surface((300, 200)), pygame.Surface((300, 200))
    a.fill((10, 20, 30))
    b.fill((10, 20, 30))
    ui.panel(a, (10, 10, 200, 120), color=(250, 240, 200), border=(120, 96, 60), radius=16, width=3)
    pygame.draw.rect(b, (250, 240, 200), (10, 10, 200, 120), border_radius=16)
    pygame.draw.rect(b, (120, 96, 60), (10, 10, 200, 120), width=3, border_radius=16)
    assert pygame.image.tobytes(a, "RGB") == pygame.image.tobytes(b, "RGB")


def test_still_screens_are_not_repainted_but_changes_are(make_app):
    d = make_app("--scene", "gallery")
    d.frames(3)
    before = d.app.frames_drawn
    d.frames(30)
    assert d.app.frames_drawn == before  # nothing changed: nothing painted
    b = d.button("next") if d.app.scenes.top.pages > 1 else d.button("back")
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=b.rect.center, button=1))
    d.frames(1)
    assert d.app.frames_drawn == before + 1  # the pressed look is a change
    shot = d.app.screen.copy()
    d.app.invalidate()
    d.frames(1)
    assert pygame.image.tobytes(d.app.screen, "RGB") == pygame.image.tobytes(shot, "RGB")
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(5, 760), button=1))
    d.frames(1)


def test_scenes_without_a_view_key_are_painted_every_frame(make_app):
    d = make_app("--scene", "title")
    d.app.scenes.push(Scene(d.app))
    d.frames(1)
    before = d.app.frames_drawn
    d.frames(10)
    assert d.app.frames_drawn == before + 10


def test_a_card_image_asked_for_at_many_sizes_is_decoded_once_or_twice(tmp_path, monkeypatch):
    folder = tmp_path / "big"
    (folder / "images").mkdir(parents=True)
    src = pygame.Surface((1000, 1400))
    src.fill((30, 120, 200))
    pygame.draw.rect(src, (250, 250, 250), (0, 0, 1000, 200))  # a white band on top, to check placement
    pygame.image.save(src, str(folder / "images" / "01a.jpg"))
    (folder / "deck.yaml").write_text('id: big\nname: "え"\ncards:\n  - {number: 1, kana: あ, images: '
                                      '{picture: images/01a.jpg, reading: images/01a.jpg}}\n', encoding="utf-8")
    deck = load_deck(str(folder))
    loads = []
    real_load = pygame.image.load
    monkeypatch.setattr(pygame.image, "load", lambda path, *a: loads.append(path) or real_load(path, *a))
    faces = Faces(Fonts())
    sizes = [(int(h * 52 / 73), h) for h in range(92, 420, 16)]  # a card growing, as a capture animation does
    for size in sizes:
        surf = faces.get(deck, deck.cards[0], "picture", size)
        assert surf.get_size() == size
        centre = surf.get_at((size[0] // 2, size[1] * 3 // 4))
        assert all(abs(a - b) <= 8 for a, b in zip(centre[:3], (30, 120, 200)))
    assert len(loads) == 2  # the first size from the file, the second made the master, the rest from memory
    assert faces.master_bytes <= faces_module.MASTER_BYTES
    big = faces.get(deck, deck.cards[0], "picture", (900, 1260))  # larger than the master: the file again
    assert len(loads) == 3 and big.get_size() == (900, 1260)
    top = big.get_at((450, 40))
    assert all(v >= 230 for v in top[:3])  # full detail, letterboxed in place
