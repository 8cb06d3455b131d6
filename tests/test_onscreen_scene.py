"""みんなで とる: on-screen play driven headless with real posted finger events (see conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pygame
import pytest

from karuta.app import theme
from karuta.modes.onscreen.config import BEST_KEY, FAULT_SECONDS
from karuta.modes.onscreen.end import OnscreenEndScene
from karuta.modes.onscreen.geometry import ANGLE, BAND, max_cards, owner_at, seats_for
from karuta.modes.onscreen.play import OnscreenPlayScene
from karuta.modes.onscreen.setup import OnscreenSetupScene
from karuta.modes.common.teams import team_colour
from karuta.modes.common.confirm import ConfirmScene

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = theme.SCREEN_SIZE


def until(d, test, limit=3000, what="condition"):
    for _ in range(limit):
        if test():
            return
        d.frames(1)
    raise AssertionError(f"never reached: {what}")


def start(d, *presses: str) -> OnscreenPlayScene:
    assert isinstance(d.app.scenes.top, OnscreenSetupScene)
    for name in presses:
        d.press(name)
    d.press("start")
    scene = d.app.scenes.top
    assert isinstance(scene, OnscreenPlayScene)
    return scene


def touch(d, pos, finger: int, frames: int = 1) -> None:
    d.finger("down", pos, finger)
    d.finger("up", pos, finger)
    d.frames(frames)


def wrong_card_of(scene: OnscreenPlayScene, player: int) -> int:
    """A card on the field, not the one being read, lying on ``player``'s side."""
    for number in scene.match.field:
        rect, _ = scene.spots[number]
        if number != scene.match.target and owner_at(rect.center, SIZE, scene.seats) == player:
            return number
    raise AssertionError("no wrong card on that side")


# ---------------------------------------------------------------- geometry


def test_each_side_owns_the_part_of_the_screen_nearest_it():
    two = seats_for(2)
    assert owner_at((500, 700), SIZE, two) == 0 and owner_at((500, 60), SIZE, two) == 1
    four = seats_for(4)
    assert [owner_at(p, SIZE, four) for p in [(512, 740), (512, 20), (20, 384), (1000, 384)]] == [0, 1, 2, 3]
    # The four sides meet on the diagonals of the screen.
    assert owner_at((100, 300), SIZE, four) == 2 and owner_at((300, 100), SIZE, four) == 1
    assert owner_at((5, 5), SIZE, (("bottom",))) == 0


def test_more_players_leave_less_room_so_fewer_cards_fit():
    assert max_cards(1) >= 44 and max_cards(2) >= 44
    assert 10 <= max_cards(4) < 44


# ---------------------------------------------------------------- setup


def test_setup_offers_what_fits_and_lays_out_big_enough_cards(make_app):
    d = make_app("--scene", "onscreen")
    setup = d.app.scenes.top
    assert setup.config.players == 2
    d.press("players:4")
    labels = [label for _, label in setup.card_choices()]
    assert "ぜんぶ" not in labels  # 44 cards would be too small for four players' fingers
    d.press(f"cards:{setup.card_choices()[-1][0]}")
    scene = start(d)
    assert scene.seats == ("bottom", "top", "left", "right")
    rects = [rect for rect, _ in scene.spots.values()]
    assert len(rects) == setup.card_choices()[-1][0]
    for i, r in enumerate(rects):
        assert min(r.size) >= theme.MIN_TOUCH and scene.field.contains(r)
        assert not any(r.colliderect(o) for o in rects[i + 1:])
    # Cards face the side they lie on.
    for number, (rect, angle) in scene.spots.items():
        assert angle == ANGLE[scene.seats[owner_at(rect.center, SIZE, scene.seats)]]


def test_players_option_from_the_command_line_and_the_first_game_replays_the_seed(make_app):
    d = make_app("--scene", "onscreen", "--players", "3")
    setup = d.app.scenes.top
    assert setup.config.players == 3 and setup.config.seed == 1
    start(d, "cards:6")
    assert OnscreenSetupScene(d.app).config.seed != 1  # the next game is dealt afresh


# ---------------------------------------------------------------- touches


def test_a_touch_counts_for_the_side_it_starts_from_and_ties_go_to_the_first(make_app):
    d = make_app("--scene", "onscreen")
    scene = start(d, "cards:10")
    until(d, lambda: scene.match.open, what="first card open")
    target = scene.match.target
    rect, _ = scene.spots[target]
    owner = owner_at(rect.center, SIZE, scene.seats)
    other = 1 - owner
    home = scene.bands[scene.seats[other]].center
    # In one frame: the other player slides in from their own side first, then the owner touches.
    d.finger("down", home, 1)
    d.finger("move", rect.center, 1)
    d.finger("down", rect.center, 2)
    d.frames(1)
    assert scene.match.sides[other].taken == [target]
    assert scene.match.sides[owner].taken == [] and scene.match.sides[owner].faults == 0
    assert scene.flash[owner][0] == "おしい！"
    d.finger("up", rect.center, 1)
    d.finger("up", rect.center, 2)
    # Next card: the touch that came a frame earlier wins.
    until(d, lambda: scene.match.open and scene.match.target != target, what="second card")
    target2 = scene.match.target
    rect2, _ = scene.spots[target2]
    owner2 = owner_at(rect2.center, SIZE, scene.seats)
    touch(d, rect2.center, 3)
    slider = 1 - owner2
    d.finger("down", scene.bands[scene.seats[slider]].center, 4)
    d.finger("move", rect2.center, 4)
    d.frames(1)
    assert target2 in scene.match.sides[owner2].taken
    assert target2 not in scene.match.sides[slider].taken


def test_wrong_card_costs_a_card_and_the_chance_at_this_one(make_app):
    d = make_app("--scene", "onscreen")
    scene = start(d, "cards:10", "penalty:give_back")
    until(d, lambda: scene.match.open)
    target = scene.match.target
    owner = owner_at(scene.spots[target][0].center, SIZE, scene.seats)
    touch(d, scene.spots[target][0].center, 1)
    assert scene.match.sides[owner].taken == [target]
    until(d, lambda: scene.match.open and scene.match.target != target)
    wrong = wrong_card_of(scene, owner)
    touch(d, scene.spots[wrong][0].center, 2)
    side = scene.match.sides[owner]
    assert side.faults == 1 and side.taken == [] and target in scene.match.discard
    assert "おてつき" in scene.flash[owner][0]
    # The same player cannot try again at this card; the other one still can.
    t = scene.match.target
    home = scene.bands[scene.seats[owner]].center
    d.finger("down", home, 3)
    d.finger("move", scene.spots[t][0].center, 3)
    d.frames(1)
    assert t in scene.match.field
    other = 1 - owner
    d.finger("down", scene.bands[scene.seats[other]].center, 4)
    d.finger("move", scene.spots[t][0].center, 4)
    d.frames(1)
    assert scene.match.sides[other].taken == [t]


def test_sit_out_rule_skips_the_next_card(make_app):
    d = make_app("--scene", "onscreen")
    scene = start(d, "cards:10", "penalty:sit_out")
    until(d, lambda: scene.match.open)
    first = scene.match.target
    wrong = wrong_card_of(scene, 0)
    touch(d, scene.spots[wrong][0].center, 1)
    assert scene.match.sits_next == {0}
    other_home = scene.bands[scene.seats[1]].center
    d.finger("down", other_home, 2)
    d.finger("move", scene.spots[first][0].center, 2)
    d.frames(1)
    until(d, lambda: scene.match.open and scene.match.target != first)
    assert scene.match.sitting_out == {0}
    assert scene._hud_state(0).sitting  # the HUD tells the player to sit this one out
    t = scene.match.target
    d.finger("down", scene.bands[scene.seats[0]].center, 3)
    d.finger("move", scene.spots[t][0].center, 3)
    d.frames(1)
    assert t in scene.match.field and scene.flash[0][0] == "いまは やすみ"


def test_a_finger_resting_before_the_card_opens_cannot_slide_onto_it(make_app):
    d = make_app("--scene", "onscreen")
    scene = start(d, "cards:10")
    home = scene.bands[scene.seats[0]].center
    d.finger("down", home, 1)  # during the lead-in, before any card is read
    d.frames(1)
    until(d, lambda: scene.match.open)
    d.finger("move", scene.spots[scene.match.target][0].center, 1)
    d.frames(1)
    assert scene.match.scores == [0, 0]


def test_nobody_takes_the_card_it_is_shown_then_removed(make_app):
    d = make_app("--scene", "onscreen")
    scene = start(d, "cards:6")
    until(d, lambda: scene.match.open)
    target = scene.match.target
    until(d, lambda: scene.reveal is not None, limit=60 * 20, what="the card shown after the wait")
    assert scene.reveal[0] == target and target in scene.match.discard


def test_the_top_player_hud_is_turned_to_face_them(make_app):
    d = make_app("--scene", "onscreen", "--players", "4")
    scene = start(d, "cards:10")
    d.frames(2)
    screen = d.app.screen
    colour = lambda p: tuple(screen.get_at(p))[:3]  # noqa: E731
    # Just inside the edge of each player's name box (the far left of their strip, as they see it).
    assert colour((92, SIZE[1] - BAND + 58)) == team_colour(0)   # bottom, upright
    assert colour((SIZE[0] - 1 - 92, BAND - 1 - 58)) == team_colour(1)  # top: turned round
    assert colour((BAND - 1 - 58, BAND + 16)) == team_colour(2)  # left: a quarter
    side_len = SIZE[1] - 2 * BAND
    assert colour((SIZE[0] - BAND + 58, BAND + side_len - 1 - 16)) == team_colour(3)
    # ...and not where an unturned strip would have put it.
    assert colour((92, BAND - 1 - 58)) != team_colour(1)


def test_menu_asks_before_quitting(make_app):
    d = make_app("--scene", "onscreen")
    scene = start(d, "cards:6")
    d.press("menu")
    assert isinstance(d.app.scenes.top, ConfirmScene) and scene.tl.paused
    d.press("no")
    assert d.app.scenes.top is scene and not scene.tl.paused
    d.press("menu")
    d.press("yes")
    assert isinstance(d.app.scenes.top, OnscreenEndScene) and not d.app.scenes.top.finished


# ---------------------------------------------------------------- one player: against the clock


def test_practice_alone_keeps_trying_after_a_fault_and_keeps_the_best_time(make_app):
    d = make_app("--scene", "onscreen")
    scene = start(d, "players:1", "cards:6")
    assert scene.solo
    until(d, lambda: scene.match.open)
    wrong = next(n for n in scene.match.field if n != scene.match.target)
    touch(d, scene.spots[wrong][0].center, 1)
    assert scene.fault_time == FAULT_SECONDS
    finger = 2
    while not isinstance(d.app.scenes.top, OnscreenEndScene):
        until(d, lambda: scene.match.open or isinstance(d.app.scenes.top, OnscreenEndScene), what="next card")
        if scene.match.open:
            touch(d, scene.spots[scene.match.target][0].center, finger)
            finger += 1
    end = d.app.scenes.top
    assert end.match.sides[0].score == 6 and end.match.sides[0].faults == 1
    assert end.total == pytest.approx(sum(scene.clock) + FAULT_SECONDS)
    assert end.new_best
    assert d.app.store.load(BEST_KEY, {}) == {"demo:6": round(end.total, 2)}


# ---------------------------------------------------------------- whole games


def test_autoplay_plays_a_two_player_game_to_the_end_screen(make_app):
    d = make_app("--scene", "onscreen", "--autoplay", "--players", "2")
    d.app.draw = lambda: None  # rules only here; the command-line test renders a game
    for _ in range(3000):
        d.frames(1)
        if isinstance(d.app.scenes.top, OnscreenEndScene):
            break
    end = d.app.scenes.top
    assert isinstance(end, OnscreenEndScene) and end.finished
    assert d.app.frame < 2700
    m = end.match
    assert not m.field and sum(m.scores) + len(m.discard) == 10
    assert m.winners() and all(s.score == max(m.scores) for s in m.winners())
    d.press("again")
    again = d.app.scenes.top
    assert isinstance(again, OnscreenPlayScene) and again.config.seed != end.config.seed


@pytest.mark.parametrize("players", ["2"])
def test_command_line_autoplay_runs_to_its_end_screen(tmp_path, players):
    shot = tmp_path / "out.png"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    proc = subprocess.run([sys.executable, "main.py", "--headless", "--scene", "onscreen", "--autoplay",
                           "--players", players, "--seed", "1", "--frames", "3000", "--screenshot", str(shot),
                           "--data-dir", str(tmp_path / "data")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    img = pygame.image.load(str(shot))
    assert tuple(img.get_at((740, 690)))[:3] == theme.BG_DARK  # the end screen's 「おわる」
