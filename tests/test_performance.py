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
        d.tap(scene.marker_pos(unmet[0]))
        assert scene.selected is unmet[0] and scene._layer.paints == layer_paints + 1
        d.frames(20)
        _assert_same_as_full_draw(d.app, scene)
        scene._layer.clear()  # and a still picture painted afresh is the same as the cached one
        _assert_same_as_full_draw(d.app, scene)


def test_the_readers_screen_keeps_one_still_picture_under_its_moving_bars(make_app):
    d = make_app("--scene", "gamemaster", "--autoplay")
    scene = _run_until(d, "reading")
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
    scene = _run_until(d, "onscreen_play")
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


def _max_channel_difference_at_most(a: pygame.Surface, b: pygame.Surface, levels: int) -> bool:
    """True when no channel of any pixel differs by more than ``levels`` (pygame's blend ops, no numpy)."""
    up, down = a.copy(), b.copy()
    up.blit(b, (0, 0), special_flags=pygame.BLEND_SUB)
    down.blit(a, (0, 0), special_flags=pygame.BLEND_SUB)
    up.blit(down, (0, 0), special_flags=pygame.BLEND_ADD)
    up.fill((levels, levels, levels), special_flags=pygame.BLEND_SUB)
    data = pygame.image.tobytes(up, "RGB")
    return data.count(0) == len(data)


def _met_drawn_directly(scene) -> pygame.Surface:
    """The met screen at this moment as it was drawn before the celebration was layered: each part
    straight onto the screen, the rays through a translucent layer (the reference picture)."""
    import math

    from karuta.app import theme
    from karuta.modes.meet import met

    w, h = scene.app.size
    out = pygame.Surface((w, h))
    out.fill(theme.BG)
    scene._draw_under(out, scene.still())
    r = met.RAYS_RADIUS
    rays = pygame.Surface((r * 2, r * 2), pygame.SRCALPHA)
    for i in range(12):
        a = scene.t * 0.4 + i * math.tau / 12
        pts = [(r, r), (r + math.cos(a - 0.1) * r, r + math.sin(a - 0.1) * r),
               (r + math.cos(a + 0.1) * r, r + math.sin(a + 0.1) * r)]
        pygame.draw.polygon(rays, (*theme.WARN, met.RAYS_ALPHA), pts)
    out.set_clip(pygame.Rect(0, met.HEADER_H + 2, w, h - met.HEADER_H - 2))
    out.blit(rays, rays.get_rect(center=scene._centre()))
    out.set_clip(None)
    face = scene.app.faces.get(scene.deck, scene.card, "picture", met.PICTURE)
    k = scene._pop()
    if k < 0.999:
        face = pygame.transform.smoothscale(face, (max(1, int(met.PICTURE[0] * k)), max(1, int(met.PICTURE[1] * k))))
    out.blit(face, face.get_rect(center=scene._centre()))
    scene._draw_over(out, scene.still())
    scene.confetti.draw(out, scene.t)
    return out


def test_the_met_celebration_redraws_in_place_and_looks_as_if_drawn_directly(make_app):
    from karuta.engine.collection import MeetResult
    from karuta.modes.meet.met import RAYS_TIME, MetScene

    d = make_app("--scene", "meet")
    card = d.app.deck.cards[0]
    scene = MetScene(d.app, card, MeetResult(card.number, True, None, (), True, False))  # a big confetti shower
    d.app.scenes.push(scene)
    d.frames(1)
    painted, still_paints = d.app.frames_drawn, scene._still.paints
    checked = 0
    for frame in range(1, 200):
        d.frames(1)
        if frame % 12 == 0:  # popping in (0.45 s), then rays and confetti turning and falling
            assert scene._dirty, "the celebration draws the rays' square and the confetti in place"
            assert _max_channel_difference_at_most(d.app.screen, _met_drawn_directly(scene), 1)
            assert pygame.image.tobytes(d.app.screen, "RGB") != pygame.image.tobytes(
                _met_drawn_directly_without_confetti(scene), "RGB")  # the confetti is really there
            checked += 1
    assert checked >= 16
    assert d.app.frames_drawn - painted == 199  # it moves every frame, so every frame is (re)drawn ...
    assert scene._still.paints == still_paints  # ... over one still picture
    over = scene._over_layer(scene.still())
    d.frames(10)
    assert scene._over_layer(scene.still()) is over  # what lies over the rays was composed once

    while scene.t < RAYS_TIME:
        d.frames(10)
    d.frames(2)
    settled = d.app.frames_drawn
    d.frames(20)
    assert d.app.frames_drawn == settled  # after the celebration the screen is still
    _assert_same_as_full_draw(d.app, scene)


def _met_drawn_directly_without_confetti(scene) -> pygame.Surface:
    class NoConfetti:
        def draw(self, surface, now):
            return []

    confetti, scene.confetti = scene.confetti, NoConfetti()
    try:
        return _met_drawn_directly(scene)
    finally:
        scene.confetti = confetti


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


def _shooting_drawn_with_a_veil_each_frame(scene) -> pygame.Surface:
    """The お手つき frame as it was drawn before the veiled picture was kept: everything, then the veil."""
    out = scene._still.surface.copy()
    scratch: list = []
    scene._draw_cards(out, scratch)
    scene._draw_timer(out, scratch)
    scene._draw_launcher(out, scratch)
    scene._draw_effects(out, scratch)
    out.blit(scene._veil, scene.field.topleft)
    scene._draw_otetsuki(out, scratch)
    return out


def test_the_otetsuki_pause_veils_the_field_once_and_looks_as_if_veiled_every_frame(make_app):
    from karuta.engine import shooting as rules

    d = make_app("--scene", "shooting")
    d.press("difficulty:easy")
    d.press("start")
    scene = d.app.scenes.top
    in_place = []
    real = scene.repaint
    scene.repaint = lambda surface: in_place.append(real(surface)) or in_place[-1]
    for _ in range(600):
        if scene.game.phase == rules.AIM and any(scene.rect_of(c).clip(scene.field).width > 40
                                                 for c in scene.game.turn.flyers if c != scene.game.turn.answer):
            break
        d.frames(1)
    turn = scene.game.turn
    wrong = next(c for c in turn.flyers if c != turn.answer and scene.rect_of(c).clip(scene.field).width > 40)
    d.tap(scene.rect_of(wrong).clip(scene.field).center)
    assert scene.game.phase == rules.FROZEN
    in_place.clear()
    frozen_frames = 0
    while scene.game.phase == rules.FROZEN:
        d.frames(1)
        if scene.game.phase != rules.FROZEN:
            break
        frozen_frames += 1
        assert _max_channel_difference_at_most(d.app.screen, _shooting_drawn_with_a_veil_each_frame(scene), 1)
        assert scene._veiled.paints == 1  # the veiled field is painted once per pause
    assert frozen_frames >= 20 and sum(in_place) >= frozen_frames - 2  # ... and the cards move over it in place
    d.frames(2)  # the veil is lifted: the next frames are unveiled again
    assert scene.game.phase != rules.FROZEN
    _assert_same_as_full_draw(d.app, scene)


def test_shooting_setup_pause_and_results_are_still_screens(make_app):
    d = make_app("--scene", "shooting")
    d.frames(2)
    before = d.app.frames_drawn
    d.frames(20)
    assert d.app.frames_drawn == before  # the setup waits for a tap: nothing repainted
    d.press("difficulty:hard")
    assert d.app.frames_drawn > before  # a choice is a change
    d.press("start")
    d.frames(30)
    round_scene = d.app.scenes.top
    round_scene.pause()
    d.frames(2)
    before = d.app.frames_drawn
    shot = d.app.screen.copy()
    d.frames(20)
    assert d.app.frames_drawn == before  # paused: the round below holds still
    d.app.invalidate()
    d.frames(1)
    assert pygame.image.tobytes(d.app.screen, "RGB") == pygame.image.tobytes(shot, "RGB")
    d.press("resume")
    drawn = d.app.frames_drawn
    d.frames(10)
    assert d.app.frames_drawn == drawn + 10  # playing again: every frame moves
