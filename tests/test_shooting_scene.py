"""カルタシューティング scenes, driven headless with real posted events (see conftest.py)."""

import os
from pathlib import Path

import pygame
import pytest

from karuta.app import theme
from karuta.app.platform import Platform
from karuta.app.ui import Button
from karuta.engine import shooting as rules
from karuta.modes.shooting.geometry import FIELD
from karuta.modes.shooting.pause import ShootingPauseScene
from karuta.modes.shooting.results import ShootingResultsScene
from karuta.modes.shooting.round import ShootingRoundScene
from karuta.modes.shooting.setup import ShootingSetupScene
from karuta.modes.title import TitleScene

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOUNDS = os.path.join(ROOT, "assets", "sounds")


def start_round(d, difficulty="easy", count="10"):
    d.press(f"difficulty:{difficulty}")
    d.press(f"count:{count}")
    d.press("start")
    scene = d.app.scenes.top
    assert isinstance(scene, ShootingRoundScene)
    return scene


def until(d, scene, phase, limit=3000):
    for _ in range(limit):
        if scene.game.phase == phase:
            return
        d.frames(1)
    raise AssertionError(f"never reached {phase}; stuck in {scene.game.phase}")


def visible_center(scene, card):
    rect = scene.rect_of(card).clip(scene.field)
    assert rect.width > 10, "card not on screen"
    return rect.center


# ---------------------------------------------------------------- setup


def test_a_child_starts_a_round_in_two_taps_from_the_title(make_app):
    d = make_app()
    d.frames(2)
    assert isinstance(d.app.scenes.top, TitleScene)
    d.press("shooting")
    setup = d.app.scenes.top
    assert isinstance(setup, ShootingSetupScene)
    d.press("start")
    scene = d.app.scenes.top
    assert isinstance(scene, ShootingRoundScene)
    assert scene.game.turns == 10 and scene.diff.key == "easy"  # sensible defaults preselected
    assert scene.seed == 1  # --seed replays the very same first round


def test_setup_choices_are_remembered_and_shape_the_round(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d, "hard", "all")
    assert scene.game.turns == len(d.app.deck.cards)
    assert all(len(p.flyers) == 8 for p in scene.game.plans)
    d.press("pause")
    d.press("quit")
    assert isinstance(d.app.scenes.top, TitleScene)
    d.press("shooting")
    setup = d.app.scenes.top
    assert setup.difficulty == "hard" and setup.count == 0
    assert d.button("difficulty:hard").selected and d.button("count:all").selected
    assert not d.button("difficulty:easy").selected


def test_setup_buttons_are_big_and_inside_the_screen(make_app):
    d = make_app("--scene", "shooting")
    d.frames(1)
    screen = pygame.Rect(0, 0, *theme.SCREEN_SIZE)
    setup = d.app.scenes.top
    buttons = [setup.back, setup.start_btn, *setup.count_buttons, *setup.difficulty_buttons, *setup.deck_buttons]
    for i, b in enumerate(buttons):
        assert screen.contains(b.rect)
        assert min(b.rect.size) >= theme.MIN_TOUCH
        assert all(not b.rect.colliderect(o.rect) for o in buttons[i + 1:])


# ---------------------------------------------------------------- playing by touch


def test_tapping_the_right_card_captures_it_and_scores(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d)
    until(d, scene, rules.AIM)
    answer = scene.game.turn.answer
    d.frames(30)
    d.tap(visible_center(scene, answer))
    assert scene.game.captured == [answer]
    assert scene.game.score >= rules.BASE_POINTS
    assert scene.game.phase == rules.CAPTURED
    assert scene.capture is not None and scene.capture.card == answer
    d.frames(int(rules.CAPTURE_TIME * 60) + 2)
    assert scene.pile == [answer]  # it reached the pile
    assert scene.game.index == 1


def test_a_wrong_card_is_otetsuki_then_the_right_one_can_still_be_found(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d, "easy")  # easy: every card stays in view
    until(d, scene, rules.AIM)
    turn = scene.game.turn
    wrong = next(c for c in turn.flyers if c != turn.answer)
    d.tap(visible_center(scene, wrong))
    assert scene.game.misses == 1 and scene.game.phase == rules.FROZEN
    assert scene.reading_view() == "text"  # the card is still there to read
    d.tap(visible_center(scene, turn.answer))  # frozen: this shot does not count
    assert not scene.game.captured and scene.game.misses == 1
    until(d, scene, rules.AIM)
    d.tap(visible_center(scene, turn.answer))
    assert scene.game.captured == [turn.answer] and scene.game.misses == 1


def test_a_tap_on_empty_sky_is_a_harmless_shot(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d)
    until(d, scene, rules.AIM)
    rects = [r for _, r in scene.flyer_rects()]
    spot = next((x, y) for y in range(FIELD.top + 10, FIELD.bottom - 10, 20) for x in range(20, 1000, 20)
                if not any(r.inflate(20, 20).collidepoint(x, y) for r in rects))
    d.tap(spot)
    assert scene.shots_fired == 1
    assert scene.game.misses == 0 and scene.game.phase == rules.AIM


def test_nobody_finds_it_the_answer_is_shown_then_the_next_turn(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d, "hard")
    until(d, scene, rules.AIM)
    answer = scene.game.turn.answer
    d.frames(int(rules.DIFFICULTIES["hard"].turn_time * 60) + 2)
    assert scene.game.phase == rules.REVEAL and scene.game.timeouts == 1
    assert scene.reading_view() == "answer"
    d.frames(30)
    assert scene.field.contains(scene.rect_of(answer))  # slid fully into view to be seen
    others = {c: r.topleft for c, r in scene.flyer_rects() if c != answer}
    d.frames(10)
    assert others == {c: r.topleft for c, r in scene.flyer_rects() if c != answer}  # the rest hold still
    d.frames(int(rules.REVEAL_TIME * 60))
    assert scene.game.index == 1 and scene.game.phase in (rules.INTRO, rules.AIM)


# ---------------------------------------------------------------- pause


def test_pause_stops_time_resume_goes_on_and_quit_returns_to_the_title(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d)
    until(d, scene, rules.AIM)
    d.press("pause")
    assert isinstance(d.app.scenes.top, ShootingPauseScene)
    clock, left = scene.clock, scene.game.time_left(scene.clock)
    positions = scene.flyer_rects()
    d.frames(300)
    assert scene.clock == clock and scene.flyer_rects() == positions
    d.tap((110, 400))  # a tap on the veil beside the pause box is not a shot
    d.tap((920, 600))
    assert scene.shots_fired == 0 and not scene.game.captured
    d.press("resume")
    assert d.app.scenes.top is scene
    assert scene.game.time_left(scene.clock) == pytest.approx(left, abs=0.1)
    d.key(pygame.K_ESCAPE)
    assert isinstance(d.app.scenes.top, ShootingPauseScene)
    d.press("quit")
    assert isinstance(d.app.scenes.top, TitleScene) and len(d.app.scenes) == 1


def test_pause_and_quit_buttons_are_big(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d)
    assert min(scene.pause_btn.rect.size) >= 96
    d.press("pause")
    pause = d.app.scenes.top
    for b in (pause.resume_btn, pause.quit_btn):
        assert min(b.rect.size) >= 96


# ---------------------------------------------------------------- motion


def test_motion_depends_on_elapsed_time_not_on_the_frame_rate(make_app):
    d = make_app("--scene", "shooting")
    a = ShootingRoundScene(d.app, "normal", 10, 5)
    b = ShootingRoundScene(d.app, "normal", 10, 5)
    for _ in range(90):
        a.update(1 / 60)
    for _ in range(18):
        b.update(1 / 12)
    assert a.clock == pytest.approx(b.clock)
    for (ca, ra), (cb, rb) in zip(a.flyer_rects(), b.flyer_rects()):
        assert ca == cb and abs(ra.x - rb.x) <= 1 and abs(ra.y - rb.y) <= 1
    before = {c: r.x for c, r in a.flyer_rects()}
    a.update(0.5)
    assert before != {c: r.x for c, r in a.flyer_rects()}


def test_cards_in_the_air_never_cover_each_other_and_are_big_enough(make_app):
    d = make_app("--scene", "shooting")
    for key in rules.DIFFICULTIES:
        scene = ShootingRoundScene(d.app, key, 10, 3)
        for _ in range(40):
            scene.update(0.37)
            rects = [r for _, r in scene.flyer_rects()]
            assert all(min(r.size) >= theme.MIN_TOUCH for r in rects)
            for i, r in enumerate(rects):
                assert not any(r.colliderect(o) for o in rects[i + 1:])
            if scene.game.done:
                break


# ---------------------------------------------------------------- reading: text, image, voice


class SpeakingPlatform(Platform):
    """A desktop platform that pretends to have the browser's voice."""

    def __init__(self, data_dir):
        super().__init__(data_dir=data_dir)
        self.said: list[str] = []

    def can_speak(self):
        return True

    def speak(self, text, rate=1.0, volume=1.0):
        self.said.append(text)
        return True


def test_each_turn_is_read_aloud_and_hard_shows_no_text_while_there_is_a_voice(make_app, tmp_path):
    platform = SpeakingPlatform(str(tmp_path / "voice-data"))
    d = make_app("--scene", "shooting", platform=platform)
    scene = start_round(d, "hard")
    until(d, scene, rules.AIM)
    answer = d.app.deck.card(scene.game.turn.answer)
    assert len(platform.said) == 1 and platform.said[0].startswith(answer.kana)  # this turn's card, once
    assert scene.voiced and scene.reading_view() == "listen"
    d.frames(240)
    assert scene.reading_view() == "listen"  # hard: heard only
    d.press("listen")
    assert len(platform.said) == 2 and platform.said[1] == platform.said[0]
    d.press("pause")
    d.press("resume")
    assert len(platform.said) == 3  # read again after a pause


def test_easy_shows_the_reading_with_furigana_and_a_silent_hard_round_still_shows_it(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d, "easy")
    until(d, scene, rules.AIM)
    assert not scene.voiced and scene.reading_view() == "text"
    d.press("pause")
    d.press("quit")
    d.press("shooting")
    scene = start_round(d, "hard")
    until(d, scene, rules.AIM)
    assert scene.reading_view() == "wait"
    d.frames(int(rules.DIFFICULTIES["hard"].hint_after * 60) + 2)
    assert scene.reading_view() == "text"


def _image_only_deck(root) -> str:
    """A deck of 6 cards with picture and reading-card images and no typed text."""
    folder = root / "imgdeck"
    (folder / "img").mkdir(parents=True)
    kana = "あいうえおか"
    lines = ["format: 1", "id: imgdeck", 'name: "えだけの かるた"', "cards:"]
    for i, k in enumerate(kana, start=1):
        for face, colour in (("a", (200, 120 + i * 20, 90)), ("b", (90, 140, 60 + i * 25))):
            surf = pygame.Surface((52, 73))
            surf.fill(colour)
            pygame.image.save(surf, str(folder / "img" / f"{i:02d}{face}.png"))
        lines += [f"  - number: {i}", f"    kana: {k}", "    images:",
                  f"      picture: img/{i:02d}a.png", f"      reading: img/{i:02d}b.png"]
    (folder / "deck.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(root)


def test_an_image_only_deck_shows_the_reading_card_image_beside_the_field(make_app, tmp_path):
    decks = _image_only_deck(tmp_path / "decks")
    d = make_app("--scene", "shooting", "--decks-dir", decks, "--deck", "imgdeck")
    assert d.app.deck.id == "imgdeck"
    setup = d.app.scenes.top
    assert not d.button("count:10").enabled  # 6 cards: only ぜんぶ makes sense
    assert setup.count == 0
    scene = start_round(d, "easy", "all")
    assert scene.game.turns == 6 and scene.image_reading
    assert not scene.field.colliderect(pygame.Rect(0, FIELD.top, 200, FIELD.height))
    until(d, scene, rules.AIM)
    assert scene.reading_view() == "image"
    d.frames(2)
    # the reading card's own image is on screen in the reading column
    card = d.app.deck.card(scene.game.turn.answer)
    expected = d.app.faces.get(d.app.deck, card, "reading", (80, 112)).get_at((40, 56))
    column = [d.app.screen.get_at((x, y))[:3] for x in range(20, 200, 6) for y in range(250, 550, 6)]
    assert tuple(expected[:3]) in column


# ---------------------------------------------------------------- results and autoplay


def test_autoplay_plays_a_whole_round_to_the_results_and_keeps_the_best_score(make_app):
    d = make_app("--scene", "shooting", "--autoplay")
    d.frames(3000)  # what `main.py --headless --scene shooting --autoplay --seed 1 --frames 3000` runs
    top = d.app.scenes.top
    assert isinstance(top, ShootingResultsScene)
    r = top.results
    assert r.turns == 10 and len(r.captured) + r.timeouts == 10 and r.captured
    assert r.score == rules.replay(top.game.events, rules.DIFFICULTIES["easy"], 10).score
    assert top.new_best
    saved = d.app.store.load(rules.SCORES_KEY, {}, rules.clean_records)
    assert rules.best_score(saved, "demo", "easy", 10) == r.score
    # the results screen shows every captured card, each big enough to see, inside the screen
    screen = pygame.Rect(0, 0, *theme.SCREEN_SIZE)
    rects = top.thumb_rects()
    assert len(rects) == len(r.captured)
    assert all(screen.contains(x) and x.height >= 64 for x in rects)
    assert all(not x.colliderect(b.rect) for x in rects for b in (top.again_btn, top.title_btn))


def test_results_again_plays_a_new_round_and_a_lower_score_keeps_the_best(make_app):
    d = make_app("--scene", "shooting", "--autoplay")
    d.frames(3000)
    first = d.app.scenes.top
    assert isinstance(first, ShootingResultsScene)
    d.app.autoplay = False  # now a child plays: nobody shoots
    d.press("again")
    scene = d.app.scenes.top
    assert isinstance(scene, ShootingRoundScene)
    assert [p.answer for p in scene.game.plans] != [p.answer for p in first.game.plans]
    scene.update(1000.0)  # every turn times out
    d.frames(1)
    second = d.app.scenes.top
    assert isinstance(second, ShootingResultsScene)
    assert second.results.score == 0 and not second.new_best and second.previous_best == first.results.score
    d.press("title")
    assert isinstance(d.app.scenes.top, TitleScene)


def test_the_sound_effects_load_and_are_short(tmp_path):
    pygame.mixer.init(22050, -16, 2, 1024)
    try:
        for name in ("shot", "hit", "miss", "celebrate"):
            path = os.path.join(SOUNDS, name + ".ogg")
            assert os.path.getsize(path) < 40_000
            length = pygame.mixer.Sound(path).get_length()
            assert 0.1 < length < 2.0, (name, length)
    finally:
        pygame.mixer.quit()
    licence = Path(SOUNDS, "LICENSE.txt").read_text(encoding="utf-8")
    assert "CC0" in licence and "synthesised" in licence


def test_the_sound_generator_makes_clean_short_sounds():
    from karuta.tools import make_sounds

    for name, make in make_sounds.SOUNDS.items():
        samples = make()
        assert 0.1 * make_sounds.RATE < len(samples) < 2.0 * make_sounds.RATE, name
        assert max(abs(v) for v in samples) <= 0.81, name  # headroom: never clips
        assert abs(samples[-1]) < 0.01, name  # ends at silence: no click
        assert make() == samples  # reproducible


def test_every_shooting_button_is_a_real_big_button(make_app):
    d = make_app("--scene", "shooting")
    scene = start_round(d)
    for b in (scene.pause_btn, scene.listen_btn):
        assert isinstance(b, Button) and min(b.rect.size) >= theme.MIN_TOUCH
