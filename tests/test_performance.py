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


# ---------------------------------------------------------------- play scenes: still layers and view keys


def _assert_same_as_full_draw(app, scene):
    from karuta.app import theme

    full = pygame.Surface(app.screen.get_size())
    full.fill(theme.BG)
    scene.draw(full)
    assert pygame.image.tobytes(app.screen, "RGB") == pygame.image.tobytes(full, "RGB")


def _run_until(d, name: str, limit: int = 2000):
    for _ in range(limit):
        if getattr(d.app.scenes.top, "name", "") == name:
            return d.app.scenes.top
        d.frames(1)
    raise AssertionError(f"autoplay never reached {name}")


def test_the_map_paints_its_markers_once_and_repaints_only_the_pulsing_ring(make_app):
    import datetime

    d = make_app("--scene", "map")
    d.frames(2)
    scene = d.app.scenes.top
    assert d.app.frames_drawn == 1 or scene._target is not None  # nothing met, no position: no ring, all still
    scene.collection.meet(d.app.deck, scene.placed[0].number, datetime.date.today())  # now a next card to find
    d.frames(2)
    assert scene._target is not None
    layer_paints, drawn = scene._layer.paints, d.app.frames_drawn
    d.frames(60)  # one second: the ring around the next card grows and shrinks
    repaints = d.app.frames_drawn - drawn
    assert 2 <= repaints < 30  # only when its radius steps, not 60 times
    assert scene._layer.paints == layer_paints  # the markers, texts and panels were not drawn again
    # the ring really is drawn over the cached picture, at the radius of this moment, and the screen
    # redrawn around it in place is what a full draw shows
    assert pygame.image.tobytes(d.app.screen, "RGB") != pygame.image.tobytes(scene._layer.surface, "RGB")
    _assert_same_as_full_draw(d.app, scene)
    unmet = [c for c in scene.placed if not scene.collection.has(c.number)]
    if unmet:  # selecting a card not yet met changes the still picture: it is painted again, once
        d.tap(scene.proj.to_screen(unmet[0].lat, unmet[0].lon))
        assert scene.selected is unmet[0] and scene._layer.paints == layer_paints + 1
        d.frames(20)
        _assert_same_as_full_draw(d.app, scene)
        scene._layer.clear()  # and a still picture painted afresh is the same as the cached one
        _assert_same_as_full_draw(d.app, scene)


def test_the_readers_screen_keeps_one_still_picture_under_its_moving_bars(make_app):
    d = make_app("--scene", "gamemaster", "--autoplay")
    scene = _run_until(d, "gm-reading")
    d.frames(1)
    paints, drawn = scene._layer.paints, d.app.frames_drawn
    in_place = []
    real = scene.repaint
    scene.repaint = lambda surface: in_place.append(real(surface)) or in_place[-1]
    for _ in range(120):
        d.frames(1)
        _assert_same_as_full_draw(d.app, scene)
    assert d.app.frames_drawn - drawn > scene._layer.paints - paints  # bars moved over a reused picture
    assert in_place.count(True) > 10  # and only the strip under them was redrawn
    scene._pause()
    d.frames(1)
    paused_paints, drawn = scene._layer.paints, d.app.frames_drawn
    assert scene.tl.paused
    d.app.autoplay = False
    d.frames(30)
    assert d.app.frames_drawn == drawn and scene._layer.paints == paused_paints  # paused: nothing repainted
    shot = d.app.screen.copy()
    scene._layer.clear()
    d.app.invalidate()
    d.frames(1)
    assert pygame.image.tobytes(d.app.screen, "RGB") == pygame.image.tobytes(shot, "RGB")


def test_on_screen_play_paints_its_table_once_per_card_taken(make_app):
    d = make_app("--scene", "onscreen", "--autoplay")
    scene = _run_until(d, "onscreen-play")
    taken_before = len(scene.match.field)
    in_place = []
    real = scene.repaint
    scene.repaint = lambda surface: in_place.append(real(surface)) or in_place[-1]
    for _ in range(600):
        d.frames(1)
        if d.app.scenes.top is not scene:
            break
        if d.app.frame % 5 == 0:  # a card flying under a band, a band whose reading grew: as a full draw shows
            _assert_same_as_full_draw(d.app, scene)
    assert in_place.count(True) > 10
    taken = taken_before - len(scene.match.field)
    assert taken >= 1
    # the table is painted when a card leaves or is revealed, never per frame
    assert scene._table.paints <= 1 + 2 * taken + 2
    assert d.app.frames_drawn < d.app.frame  # between takes, still frames were not repainted


def test_the_met_celebration_reuses_one_rays_layer(make_app):
    from karuta.modes.meet.met import MetScene
    from karuta.engine.collection import MeetResult

    d = make_app("--scene", "meet")
    card = d.app.deck.cards[0]
    scene = MetScene(d.app, card, MeetResult(card.number, True, None, (), False, False))
    d.app.scenes.push(scene)
    d.frames(2)
    layer = scene._rays_layer
    assert layer is not None
    d.frames(10)
    assert scene._rays_layer is layer


def test_shooting_redraws_only_what_moved_and_shows_the_same_picture_as_a_full_draw(make_app):
    from karuta.app import theme

    d = make_app("--scene", "shooting_round", "--autoplay")
    scene = d.app.scenes.top
    in_place = []
    real = scene.repaint
    scene.repaint = lambda surface: in_place.append(real(surface)) or in_place[-1]
    phases = set()
    for _ in range(240):  # four seconds of a round: flights, shots, captures, penalties
        d.frames(1)
        if d.app.scenes.top is not scene:
            break
        phases.add(scene.game.phase)
        full = pygame.Surface(d.app.screen.get_size())
        full.fill(theme.BG)
        scene.draw(full)  # the whole picture of this moment, drawn from scratch
        assert pygame.image.tobytes(d.app.screen, "RGB") == pygame.image.tobytes(full, "RGB"), scene.game.phase
    assert in_place.count(True) > 100  # most frames were redrawn in place
    assert scene._still.paints < 20  # the sky, panels and texts were painted a few times, not per frame
    assert len(phases) >= 2


def test_in_place_redraws_give_way_to_full_paints_under_dialogs_and_messages(make_app):
    d = make_app("--scene", "shooting_round", "--autoplay")
    scene = d.app.scenes.top
    calls = []
    real = scene.repaint
    scene.repaint = lambda surface: calls.append(1) or real(surface)
    d.frames(3)
    assert calls  # painted alone: the scene may redraw in place
    calls.clear()
    d.app.toast("テスト")
    d.frames(3)
    assert not calls  # a message is drawn over the scene: full paints while it shows
    d.app._toasts.clear()
    d.frames(2)
    calls.clear()
    d.app.invalidate()
    d.frames(1)
    assert not calls  # invalidate() always means a full paint
    d.frames(1)
    assert calls
    scene.pause()
    calls.clear()
    d.frames(3)
    assert d.app.scenes.top is not scene and not calls  # a dialog over it: the stack is painted in full
