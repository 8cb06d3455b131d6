"""The app shell, title and gallery, driven headless with real posted events."""

import os
import subprocess
import sys

import pygame
import pytest

from karuta.app import theme
from karuta.app.ui import Button
from karuta.modes.gallery import CardDetailScene, GalleryScene
from karuta.modes.title import DeckPickerScene, TitleScene

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_title_lists_gallery_and_opens_it(make_app):
    d = make_app("--scene", "title")
    d.frames(2)
    assert isinstance(d.app.scenes.top, TitleScene)
    assert d.app.deck.id == "demo"
    d.press("gallery")
    assert isinstance(d.app.scenes.top, GalleryScene)


def test_gallery_tap_opens_card_and_back_returns(make_app):
    d = make_app("--scene", "gallery")
    d.frames(1)
    gallery = d.app.scenes.top
    rect, card = gallery.card_rects()[12]
    d.tap(rect.center)
    detail = d.app.scenes.top
    assert isinstance(detail, CardDetailScene) and detail.card is card
    d.press("next")
    assert detail.card.number == card.number + 1
    d.press("prev")
    d.press("prev")
    assert detail.card.number == card.number - 1
    d.press("back")
    assert d.app.scenes.top is gallery


def test_a_drag_across_the_gallery_does_not_open_a_card(make_app):
    d = make_app("--scene", "gallery")
    d.frames(1)
    (r1, _), (r2, _) = d.app.scenes.top.card_rects()[0], d.app.scenes.top.card_rects()[5]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=r1.center, button=1))
    d.frames(1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=r2.center, button=1))
    d.frames(1)
    assert isinstance(d.app.scenes.top, GalleryScene)


def test_all_44_cards_fit_and_are_big_enough_to_touch(make_app):
    d = make_app("--scene", "gallery")
    rects = [r for r, _ in d.app.scenes.top.card_rects()]
    assert len(rects) == 44
    screen = pygame.Rect(0, 0, *theme.SCREEN_SIZE)
    for i, r in enumerate(rects):
        assert screen.contains(r)
        assert r.width >= theme.MIN_TOUCH and r.height >= theme.MIN_TOUCH
        assert all(not r.colliderect(o) for o in rects[i + 1:])


def test_finger_taps_work_like_mouse_taps(make_app):
    d = make_app("--scene", "gallery")
    d.frames(1)
    rect, card = d.app.scenes.top.card_rects()[0]
    d.finger("down", rect.center)
    d.frames(1)
    d.finger("up", rect.center)
    d.frames(1)
    assert isinstance(d.app.scenes.top, CardDetailScene) and d.app.scenes.top.card is card


def test_buttons_refuse_to_be_smaller_than_a_child_can_hit():
    with pytest.raises(ValueError):
        Button((0, 0, 63, 100), "x", lambda: None)


def test_release_outside_a_button_cancels_it(make_app):
    d = make_app("--scene", "title")
    b = d.button("gallery")
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=b.rect.center, button=1))
    d.frames(1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(5, 5), button=1))
    d.frames(1)
    assert isinstance(d.app.scenes.top, TitleScene)


def _write_deck(folder, text):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "deck.yaml"), "w", encoding="utf-8") as f:
        f.write(text)


GOOD = """
id: tiny
name: "ちいさい かるた"
cards:
  - {number: 1, kana: あ, reading: "あさの川(かわ)", title: "川(かわ)"}
  - {number: 2, kana: い, reading: "いけのこい", title: "いけ"}
"""


def test_broken_decks_are_listed_with_their_problem_and_good_ones_still_work(make_app, tmp_path):
    decks = tmp_path / "decks"
    _write_deck(str(decks / "tiny"), GOOD)
    _write_deck(str(decks / "broken"), "id: broken\nname: x\ncards:\n  - {number: 1, kana: あ, lat: 236.1, lon: 1}\n")
    _write_deck(str(decks / "notyaml"), "id: [unclosed\n")
    d = make_app("--decks-dir", str(decks), "--scene", "title")
    assert d.app.deck.id == "tiny"
    d.press("decks")
    picker = d.app.scenes.top
    assert isinstance(picker, DeckPickerScene)
    broken = {e.id: e for b, e in picker.rows if b is None}
    assert set(broken) == {"broken", "notyaml"}
    assert any("lat: 236.1 is not a latitude" in str(p) for p in broken["broken"].problems)
    d.frames(1)
    d.press("deck:tiny")
    assert isinstance(d.app.scenes.top, TitleScene)
    assert d.app.settings.get("deck") == "tiny"


def test_no_valid_deck_at_all_still_shows_the_title(make_app, tmp_path):
    decks = tmp_path / "decks"
    _write_deck(str(decks / "broken"), "cards: 3\n")
    d = make_app("--decks-dir", str(decks), "--scene", "title")
    d.frames(2)
    assert d.app.deck is None
    assert [b.name for b in d.app.scenes.top.buttons] == ["decks"]


def run_main(*args, cwd=None):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args], capture_output=True,
                          text=True, env=env, cwd=cwd or ROOT, timeout=120)


def test_main_help_lists_the_options():
    out = run_main("--help")
    assert out.returncode == 0
    for option in ("--headless", "--scene", "--frames", "--screenshot", "--deck", "--seed", "--autoplay"):
        assert option in out.stdout


@pytest.mark.parametrize("scene", ["title", "gallery"])
def test_headless_run_saves_a_screenshot(tmp_path, scene):
    shot = tmp_path / f"{scene}.png"
    out = run_main("--headless", "--scene", scene, "--frames", "120", "--screenshot", str(shot),
                   "--data-dir", str(tmp_path / "data"))
    assert out.returncode == 0, out.stderr
    image = pygame.image.load(str(shot))
    assert image.get_size() == (1024, 768)
    # not a blank frame: the screen holds many colours
    colours = {image.get_at((x, y))[:3] for x in range(0, 1024, 16) for y in range(0, 768, 16)}
    assert len(colours) > 8


def test_unknown_scene_or_deck_is_a_clear_error():
    out = run_main("--headless", "--scene", "nope", "--frames", "1")
    assert out.returncode == 2 and "unknown scene 'nope'" in out.stderr
    out = run_main("--headless", "--deck", "nope", "--frames", "1")
    assert out.returncode == 2 and "deck 'nope'" in out.stderr
    assert "Traceback" not in out.stderr


def test_deck_picker_pages_through_many_decks(make_app, tmp_path):
    decks = tmp_path / "decks"
    for i in range(7):
        _write_deck(str(decks / f"d{i}"), GOOD.replace("id: tiny", f"id: d{i}"))
    d = make_app("--decks-dir", str(decks), "--deck", "d6", "--scene", "deck_picker")
    picker = d.app.scenes.top
    assert picker.pages == 2 and picker.page == 1  # opens on the page of the deck in use
    assert [e.id for _, e in picker.rows] == ["d5", "d6"]
    d.press("next")
    assert [e.id for _, e in picker.rows] == ["d0", "d1", "d2", "d3", "d4"]
    d.press("deck:d3")
    assert d.app.deck.id == "d3"


def test_every_title_button_has_a_pictogram_for_children_who_cannot_read_yet(make_app):
    from karuta.app import pictograms

    d = make_app("--scene", "title")
    d.frames(1)
    buttons = [b for b in d.app.scenes.top.buttons if b.name != "decks"]
    assert len(buttons) >= 6
    for b in buttons:
        assert b.pictogram in pictograms.names(), b.name
    # the pictogram is really drawn: the left part of the button holds the label colour
    b = buttons[0]
    area = pygame.Rect(b.rect.left + 20, b.rect.top + 14, 60, b.rect.height - 28)
    colours = {d.app.screen.get_at((x, y))[:3] for x in range(area.left, area.right, 3)
               for y in range(area.top, area.bottom, 3)}
    assert tuple(b.text_color[:3]) in colours
