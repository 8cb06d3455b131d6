"""ゲームマスター scenes, driven headless with real posted events (see conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pygame
import pytest

from karuta.app import theme
from karuta.engine import cardset as cs
from karuta.engine import match as mt
from karuta.engine import reading as rd
from karuta.modes.common.confirm import ConfirmScene
from karuta.modes.common.nodeck import NoDeckScene
from karuta.modes.common.teams import team_name
from karuta.modes.gamemaster.layout import LayoutScene
from karuta.modes.gamemaster.pickers import CardPickerScene, RowPickerScene
from karuta.modes.gamemaster.ranking import RankingScene
from karuta.modes.gamemaster.reading import ReadingScene
from karuta.modes.gamemaster.session import IMAGE_ONLY_SECONDS, STORE_KEY, Session
from karuta.modes.gamemaster.setup import GamemasterSetupScene
from karuta.modes.gamemaster.shuffle import ShuffleScene
from karuta.modes.title import TitleScene

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCREEN = pygame.Rect(0, 0, *theme.SCREEN_SIZE)


def all_buttons_fit(scene) -> None:
    from tests.conftest import _buttons

    for b in _buttons(scene):
        assert SCREEN.contains(b.rect), f"{b.name} falls off the screen: {b.rect}"
        assert b.rect.width >= theme.MIN_TOUCH and b.rect.height >= theme.MIN_TOUCH


def until(d, test, limit=3000, what="condition"):
    for _ in range(limit):
        if test():
            return
        d.frames(1)
    raise AssertionError(f"never reached: {what}")


def to_reading(d, *presses: str):
    """From the setup, through the shuffle (skipped) and the layout plan, to the reading screen."""
    for name in presses:
        d.press(name)
    d.press("start")
    assert isinstance(d.app.scenes.top, ShuffleScene)
    d.press("skip")
    assert isinstance(d.app.scenes.top, LayoutScene)
    d.press("start")
    scene = d.app.scenes.top
    assert isinstance(scene, ReadingScene)
    return scene


# ---------------------------------------------------------------- setup


def test_the_mode_is_on_the_title_and_opens_its_setup(make_app):
    d = make_app()
    assert isinstance(d.app.scenes.top, TitleScene)
    d.press("gamemaster")
    setup = d.app.scenes.top
    assert isinstance(setup, GamemasterSetupScene)
    assert setup.config.seed == 1  # --seed replays the first session
    all_buttons_fit(setup)


def test_setup_choices_are_made_by_taps_and_remembered(make_app):
    d = make_app("--scene", "gamemaster")
    for name in ("twice:1", "opening:off", "advance:auto", "auto:+", "teams:3", "penalty:sit_out"):
        d.press(name)
    c = d.app.scenes.top.config
    assert (c.read_twice, c.opening, c.auto, c.teams, c.penalty) == (False, False, 15, 3, mt.SIT_OUT)
    d.press("start")
    again = GamemasterSetupScene(d.app)
    c2 = again.config
    assert (c2.read_twice, c2.opening, c2.auto, c2.teams, c2.penalty) == (False, False, 15, 3, mt.SIT_OUT)
    assert c2.seed != c.seed  # a second session of the same launch is shuffled afresh


def test_auto_advance_stays_within_3_to_30_seconds(make_app):
    d = make_app("--scene", "gamemaster")
    d.press("advance:auto")
    for _ in range(10):
        if d.button("auto:-").enabled:
            d.press("auto:-")
    assert d.app.scenes.top.config.auto == 3 and not d.button("auto:-").enabled
    for _ in range(10):
        if d.button("auto:+").enabled:
            d.press("auto:+")
    assert d.app.scenes.top.config.auto == 30 and not d.button("auto:+").enabled
    d.press("advance:tap")
    assert d.app.scenes.top.config.auto == 0


def test_choosing_rows_and_saving_the_choice_under_an_automatic_name(make_app):
    d = make_app("--scene", "gamemaster")
    setup = d.app.scenes.top
    d.press("cards:rows")
    assert isinstance(d.app.scenes.top, RowPickerScene)
    all_buttons_fit(d.app.scenes.top)
    assert not d.button("done").enabled  # no row yet
    d.press("row:あ行")
    d.press("row:か行")
    d.press("done")
    assert d.app.scenes.top is setup
    assert setup.config.choice == cs.CardSet(cs.ROWS, ("あ行", "か行"))
    assert len(setup.in_play()) == 10
    d.press("save")
    saved = d.app.store.load(STORE_KEY, [], cs.load_saved)
    assert [(s.name, s.deck, s.rows) for s in saved] == [("セット1", "demo", ("あ行", "か行"))]
    # Another session: the saved set is offered and one tap brings it back.
    d.press("cards:all")
    fresh = GamemasterSetupScene(d.app)
    d.app.scenes.push(fresh)
    d.frames(1)
    d.press("set:セット1")
    assert fresh.config.choice.same_choice(cs.CardSet(cs.ROWS, ("あ行", "か行")))
    d.press("delete")
    assert d.app.store.load(STORE_KEY, [], cs.load_saved) == []


def test_picking_single_cards_by_their_pictures(make_app):
    d = make_app("--scene", "gamemaster")
    setup = d.app.scenes.top
    d.press("cards:pick")
    picker = d.app.scenes.top
    assert isinstance(picker, CardPickerScene)
    all_buttons_fit(picker)
    rects = picker.card_rects()
    assert len(rects) == 44
    for rect, _ in rects[:3]:
        assert rect.width >= theme.MIN_TOUCH and SCREEN.contains(rect)
        d.tap(rect.center)
    d.tap(rects[1][0].center)  # a second touch takes it out again
    d.press("done")
    assert setup.config.choice.kind == cs.PICKED
    assert setup.config.choice.numbers == (rects[0][1].number, rects[2][1].number)


def test_the_seed_pad_sets_the_session_number_and_it_fixes_the_order(make_app):
    d = make_app("--scene", "gamemaster")
    setup = d.app.scenes.top
    d.press("seed")
    for key in ("key:4", "key:2", "key:7", "key:erase", "key:0"):
        d.press(key)
    d.press("key:ok")
    assert setup.config.seed == 420
    a = Session(d.app, setup.config)
    b = Session(d.app, setup.config)
    assert [c.number for c in a.order] == [c.number for c in b.order]
    other = Session(d.app, replace(setup.config, seed=421))
    assert [c.number for c in other.order] != [c.number for c in a.order]


# ---------------------------------------------------------------- shuffle and layout plan


def test_shuffle_shows_the_seed_and_moves_on_by_itself(make_app):
    d = make_app("--scene", "gamemaster")
    d.press("start")
    shuffle = d.app.scenes.top
    assert isinstance(shuffle, ShuffleScene)
    d.frames(int(shuffle.duration * 60) - 10)
    assert d.app.scenes.top is shuffle
    d.frames(int(ShuffleScene.HOLD * 60) + 20)
    assert isinstance(d.app.scenes.top, LayoutScene)


def test_layout_plan_lays_out_every_card_but_the_opening_one(make_app):
    d = make_app("--scene", "gamemaster")
    d.press("opening:on")
    d.press("start")
    d.press("skip")
    layout = d.app.scenes.top
    session = layout.session
    assert session.opening_from_play  # all 44 cards are in play, so one of them opens the game
    laid = [c.number for block in layout.plan() for row in block for c in row]
    assert sorted(laid) == sorted(c.number for c in session.order)
    assert session.opening.number not in laid and len(laid) == 43
    assert len(layout.plan()) == 2
    d.press("groups:1")
    assert len(layout.plan()) == 1
    all_buttons_fit(layout)
    for rect in layout.block_rects():
        assert SCREEN.contains(rect)


def test_team_layout_gives_each_team_a_block(make_app):
    d = make_app("--scene", "gamemaster")
    d.press("teams:4")
    d.press("start")
    d.press("skip")
    layout = d.app.scenes.top
    assert layout.groups == 4 and len(layout.plan()) == 4


# ---------------------------------------------------------------- reading


def test_reading_with_teams_takes_faults_and_the_scoreboard(make_app):
    d = make_app("--scene", "gamemaster")
    scene = to_reading(d, "opening:off", "teams:2", "twice:2")
    tl, match = scene.tl, scene.match
    assert tl.phase == rd.LEAD
    until(d, lambda: tl.phase == rd.READING, what="first reading")
    first = tl.current
    assert match.target == first.number
    assert scene.finished_cards() == []  # the picture of the card being read stays hidden
    d.press("take:1")
    assert match.scores == [0, 1]
    assert tl.phase == rd.GAP  # taken: no second reading, no wait
    assert scene.finished_cards() == [first]
    d.press("take:0")  # the facilitator corrects the take during the gap
    assert match.scores == [1, 0] and tl.phase == rd.GAP
    until(d, lambda: tl.current is not first, what="second card")
    d.press("fault:0")
    assert match.sides[0].faults == 1 and match.scores == [0, 0]  # gave back the card it had
    d.press("next")
    assert tl.phase == rd.GAP
    all_buttons_fit(scene)


def test_back_makes_the_card_unread_and_removes_its_take(make_app):
    d = make_app("--scene", "gamemaster")
    scene = to_reading(d, "opening:off", "teams:2")
    tl, match = scene.tl, scene.match
    until(d, lambda: tl.phase == rd.READING)
    first = tl.current
    d.press("take:0")
    until(d, lambda: tl.current is not first)
    second = tl.current
    d.frames(40)
    d.press("take:1")
    assert match.scores == [1, 1]
    d.frames(40)
    d.press("back")
    assert tl.current is first and tl.phase == rd.READING
    assert match.scores == [1, 0] and second.number in match.field


def test_pause_and_repeat_and_wait_for_next(make_app):
    d = make_app("--scene", "gamemaster")
    scene = to_reading(d, "opening:off", "twice:1", "advance:tap")
    tl = scene.tl
    until(d, lambda: tl.phase == rd.WAITING, what="waiting for next")
    d.frames(300)
    assert tl.phase == rd.WAITING  # the reader waits for 「つぎ」 as long as it takes
    d.press("repeat")
    assert tl.phase == rd.READING
    d.press("pause")
    assert tl.paused and d.button("pause").label == "つづける"
    before = tl.elapsed
    d.frames(120)
    assert tl.elapsed == before
    d.press("pause")
    assert not tl.paused
    until(d, lambda: tl.phase == rd.WAITING)
    d.press("next")
    assert tl.phase == rd.GAP


def test_opening_card_cannot_be_taken(make_app):
    d = make_app("--scene", "gamemaster")
    scene = to_reading(d, "opening:on", "teams:2")
    tl = scene.tl
    until(d, lambda: tl.phase == rd.READING)
    assert tl.is_opening
    d.press("take:0")
    assert scene.match.scores == [0, 0]
    assert tl.read_count == 0


def test_auto_advance_counts_down_on_screen_and_moves_on(make_app):
    d = make_app("--scene", "gamemaster")
    scene = to_reading(d, "opening:off", "twice:1", "advance:auto", "auto:-", "auto:-", "auto:-")
    tl = scene.tl
    until(d, lambda: tl.phase == rd.WAITING)
    assert tl.countdown == pytest.approx(3, abs=0.1)
    d.frames(60)
    assert tl.countdown == pytest.approx(2, abs=0.1) and tl.phase == rd.WAITING
    first = tl.current
    until(d, lambda: tl.current is not first, limit=60 * 5)
    assert first.number in scene.session.missed  # nobody was recorded: shown grey in the history


def test_quit_asks_first_then_shows_the_ranking_so_far(make_app):
    d = make_app("--scene", "gamemaster")
    scene = to_reading(d, "opening:off", "teams:3")
    until(d, lambda: scene.tl.phase == rd.READING)
    d.press("take:2")
    d.press("quit")
    assert isinstance(d.app.scenes.top, ConfirmScene) and scene.tl.paused
    d.press("no")
    assert d.app.scenes.top is scene and not scene.tl.paused
    d.press("quit")
    d.press("yes")
    ranking = d.app.scenes.top
    assert isinstance(ranking, RankingScene) and not ranking.finished
    assert [side.name for rank, side in ranking.session.match.ranking()][0] == team_name(2)
    all_buttons_fit(ranking)
    d.press("again")
    assert isinstance(d.app.scenes.top, ShuffleScene)
    assert d.app.scenes.top.session.config.seed == scene.session.config.seed


def test_image_only_deck_shows_the_reading_card_image(make_app, tmp_path):
    folder = tmp_path / "decks" / "imgdeck"
    (folder / "img").mkdir(parents=True)
    lines = ["format: 1", "id: imgdeck", 'name: "えだけの かるた"', "cards:"]
    for i, k in enumerate("あいう", start=1):
        for face, colour in (("a", (200, 120, 90)), ("b", (40, 160, 200))):
            surf = pygame.Surface((52, 73))
            surf.fill(colour)
            pygame.image.save(surf, str(folder / "img" / f"{i:02d}{face}.png"))
        lines += [f"  - number: {i}", f"    kana: {k}", "    images:",
                  f"      picture: img/{i:02d}a.png", f"      reading: img/{i:02d}b.png"]
    (folder / "deck.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    d = make_app("--scene", "gamemaster", "--decks-dir", str(tmp_path / "decks"), "--deck", "imgdeck")
    scene = to_reading(d, "opening:off")
    until(d, lambda: scene.tl.phase == rd.READING)
    assert scene.tl.duration() == IMAGE_ONLY_SECONDS  # a person reads it aloud: give them time
    d.frames(2)
    assert tuple(d.app.screen.get_at(scene.card_rect.center))[:3] == (40, 160, 200)


# ---------------------------------------------------------------- the whole session, as the issue asks


def test_autoplay_reads_a_ten_card_session_to_the_ranking(make_app):
    d = make_app("--scene", "gamemaster", "--autoplay")
    d.app.draw = lambda: None  # rules only here; the command-line test below renders the same session
    for _ in range(3000):
        d.frames(1)
        if isinstance(d.app.scenes.top, RankingScene):
            break
    ranking = d.app.scenes.top
    assert isinstance(ranking, RankingScene) and ranking.finished
    assert d.app.frame < 2700  # fits the 3000 frames of the command line with margin
    session = ranking.session
    assert len(session.order) == 10 and session.timeline.done and session.timeline.read_count == 10
    m = session.match
    assert sum(m.scores) + len(m.discard) == 10  # every card read ended up somewhere
    assert all(n in m.sides[side].taken for n, side in m.owner.items())
    # A demo run leaves the facilitator's own settings alone.
    assert d.app.settings.get("teams") == 0


def test_command_line_autoplay_runs_to_its_end_screen(tmp_path):
    shot = tmp_path / "out.png"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    proc = subprocess.run([sys.executable, "main.py", "--headless", "--scene", "gamemaster", "--autoplay",
                           "--seed", "1", "--frames", "3000", "--screenshot", str(shot),
                           "--data-dir", str(tmp_path / "data")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    img = pygame.image.load(str(shot))
    # The ranking's 「おわる」 button (BG_DARK) is on screen at the end.
    assert tuple(img.get_at((740, 690)))[:3] == theme.BG_DARK


def test_without_a_usable_deck_the_modes_say_so_instead_of_crashing(make_app, tmp_path):
    empty = tmp_path / "nodecks"
    empty.mkdir()
    for scene in ("gamemaster", "onscreen"):
        d = make_app("--scene", scene, "--decks-dir", str(empty))
        assert isinstance(d.app.scenes.top, NoDeckScene)
        d.frames(2)
        d.press("back")
        assert isinstance(d.app.scenes.top, TitleScene)
