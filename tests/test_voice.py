"""Voice: the demo voice pack, where a reading comes from, the voice tool, audio channels,
web speech through the platform seam, the settings and tap-to-start scenes."""

from __future__ import annotations

import array
import glob
import importlib.util
import json
import math
import os
import shutil
import sys
from pathlib import Path

import pygame
import pytest

from karuta.app import theme
from karuta.app import voice as voices
from karuta.app.audio import Audio
from karuta.app.platform import Platform, WebPlatform
from karuta.engine import voicepack
from karuta.engine.deck import check_deck, load_deck
from karuta.modes.settings import SettingsScene, step_value
from karuta.modes.start import StartScene
from karuta.modes.title import TitleScene

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "decks", "demo")
DEMO_AUDIO = sorted(glob.glob(os.path.join(DEMO, "audio", "*.ogg")))

TINY_DECK = """\
format: 1
id: tiny
name: "ちいさいかるた"
kana_order: aiueo
cards:
  - number: 1
    kana: あ
    reading: "秋(あき)の畑(はた)　あかとんぼ"
    title: "はたけ"
  - number: 2
    kana: い
    reading: "いけのこい　すいすいと"
    title: "いけ"
  - number: 3
    kana: う
    reading: "うめのはな　さいた"
    title: "うめ"
"""


def make_deck(folder, recordings=(), pack=(), manifest_text=None):
    """A 3-card deck; ``recordings``/``pack`` are card numbers given a demo .ogg as a recording / a pack file."""
    os.makedirs(os.path.join(folder, "audio"), exist_ok=True)
    with open(os.path.join(folder, "deck.yaml"), "w", encoding="utf-8") as f:
        f.write(TINY_DECK)
    files = {}
    for n in list(recordings) + list(pack):
        dest = os.path.join(folder, "audio", f"{n}.ogg")
        shutil.copy(DEMO_AUDIO[n - 1], dest)
        if n in pack:
            files[f"audio/{n}.ogg"] = {"card": n, "sha256": voicepack.file_digest(dest)}
    if manifest_text is not None:
        with open(voicepack.manifest_path(str(folder)), "w", encoding="utf-8") as f:
            f.write(manifest_text)
    elif files:
        voicepack.save_manifest(str(folder), {"format": 1, "files": files})
    deck, problems = check_deck(folder)
    assert deck is not None, problems
    return deck


class FakeSettings(dict):
    def get(self, key):
        return dict.get(self, key)


def settings(**overrides):
    values = {"voice": True, "voice_rate": 1.0, "volume": 0.8, "read_twice": True,
              "gap_between_readings": 1.5, "gap_between_cards": 1.1}
    values.update(overrides)
    return FakeSettings(values)


class FakeStorage:
    def __init__(self):
        self.items = {}

    def getItem(self, key):
        return self.items.get(key)

    def setItem(self, key, value):
        self.items[key] = value

    def removeItem(self, key):
        self.items.pop(key, None)


class FakeLocation:
    search = ""


class FakeWindow:
    """Stands in for pygbag's ``platform.window``: records every eval, answers like karuta.js."""

    def __init__(self, available=True):
        self.calls: list[str] = []
        self.available = available
        self.speaking = False
        self.localStorage = FakeStorage()
        self.location = FakeLocation()

    def eval(self, code: str):
        self.calls.append(code)
        if "karutaSpeech.available()" in code:
            return 1 if self.available else 0
        if "karutaSpeech.speak(" in code:
            self.speaking = True
            return 1
        if "karutaSpeech.stop()" in code:
            self.speaking = False
            return None
        if "karutaSpeech.speaking()" in code:
            return 1 if self.speaking else 0
        return None

    def spoken(self) -> list[list]:
        """[text, rate, volume] of each speak call, decoded from the JavaScript that was run."""
        out = []
        for code in self.calls:
            if "karutaSpeech.speak(..." in code:
                out.append(json.loads(code.split("speak(...", 1)[1].rsplit(")", 1)[0]))
        return out


class FakeWebPlatform(WebPlatform):
    def __init__(self, window=None):
        super().__init__(window=window or FakeWindow())
        self.unlocks = 0

    def unlock_audio(self):
        self.unlocks += 1


@pytest.fixture
def mixer():
    """The mixer opened on SDL's dummy driver, as a desktop with sound would have it."""
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    pygame.mixer.quit()
    audio = Audio(enabled=True)
    assert audio.available
    yield audio
    pygame.mixer.quit()


# ------------------------------------------------------------------ the committed demo pack


def test_demo_pack_has_44_readings_that_load_and_last_half_a_second_to_ten(mixer):
    assert len(DEMO_AUDIO) == 44
    deck = load_deck(DEMO)
    manifest, problem = voicepack.load_manifest(DEMO)
    assert problem is None
    for card in deck.cards:
        assert card.audio == f"audio/{card.number}.ogg"
        path = deck.path(card.audio)
        sound = pygame.mixer.Sound(path)
        length = sound.get_length()
        assert 0.5 <= length <= 10.0, (path, length)
        info = voicepack.ogg_info(path)
        assert (info.codec, info.channels, info.sample_rate) == ("vorbis", 1, 22050)
        assert abs(info.seconds - length) < 0.05, (path, info.seconds, length)
        assert os.path.getsize(path) < 60_000
        # each file is the pack's reading of this card's own text
        assert voicepack.is_generated(DEMO, card.audio, manifest)
        assert manifest["files"][card.audio]["text"] == voicepack.speech_units(card.reading)[0]


def test_demo_cards_are_heard_and_last_their_real_length(mixer):
    deck = load_deck(DEMO)
    voice = voices.Voice(mixer, Platform(data_dir="/nonexistent"), settings())
    card = deck.cards[5]
    assert voice.source(deck, card) == voices.PACK
    assert voice.sources(deck) == {voices.RECORDING: 0, voices.PACK: 44, voices.BROWSER: 0, voices.NONE: 0}
    assert voice.say(deck, card) is True
    assert voice.busy()
    assert voice.last_source == voices.PACK
    assert voice.duration(deck, card) == pytest.approx(pygame.mixer.Sound(deck.path(card.audio)).get_length(),
                                                       abs=0.05)
    voice.stop()
    assert not voice.busy()


# ------------------------------------------------------------------ where a reading comes from


def test_priority_recording_then_pack_then_browser_then_none(tmp_path):
    deck = make_deck(tmp_path, recordings=[1], pack=[2])
    one, two, three = deck.cards
    desktop = voices.Voice(Audio(enabled=False), Platform(data_dir=str(tmp_path)), settings())
    assert [desktop.source(deck, c) for c in deck.cards] == [voices.RECORDING, voices.PACK, voices.NONE]
    web = voices.Voice(Audio(enabled=False), FakeWebPlatform(), settings())
    assert [web.source(deck, c) for c in deck.cards] == [voices.RECORDING, voices.PACK, voices.BROWSER]
    mute = voices.Voice(Audio(enabled=False), FakeWebPlatform(FakeWindow(available=False)), settings())
    assert mute.source(deck, three) == voices.NONE


def test_a_recording_dropped_over_a_pack_file_wins(tmp_path):
    deck = make_deck(tmp_path, pack=[1, 2])
    shutil.copy(DEMO_AUDIO[10], os.path.join(tmp_path, "audio", "2.ogg"))  # someone recorded card 2
    voice = voices.Voice(Audio(enabled=False), Platform(data_dir=str(tmp_path)), settings())
    assert voice.source(deck, deck.cards[0]) == voices.PACK
    assert voice.source(deck, deck.cards[1]) == voices.RECORDING


def test_a_broken_manifest_makes_every_file_a_recording(tmp_path):
    deck = make_deck(tmp_path, recordings=[1, 2], manifest_text="{not json")
    manifest, problem = voicepack.load_manifest(str(tmp_path))
    assert manifest["files"] == {} and "voicepack.json" in problem
    voice = voices.Voice(Audio(enabled=False), Platform(data_dir=str(tmp_path)), settings())
    assert voice.source(deck, deck.cards[0]) == voices.RECORDING


def test_speed_retimes_the_pack_but_never_a_recording(tmp_path):
    deck = make_deck(tmp_path, recordings=[1], pack=[2])
    s = settings(voice_rate=0.8)
    voice = voices.Voice(Audio(enabled=False), Platform(data_dir=str(tmp_path)), s)
    rec = voicepack.ogg_info(deck.path("audio/1.ogg")).seconds
    pack = voicepack.ogg_info(deck.path("audio/2.ogg")).seconds
    assert voice.duration(deck, deck.cards[0]) == pytest.approx(rec)
    assert voice.duration(deck, deck.cards[1]) == pytest.approx(pack / 0.8)
    assert voice.duration(deck, deck.cards[2]) is None  # no file: the timeline estimates


def test_the_reading_timeline_uses_the_real_file_lengths():
    from karuta.engine.reading import Timeline, estimate_duration

    deck = load_deck(DEMO)
    voice = voices.Voice(Audio(enabled=False), Platform(data_dir="/nonexistent"), settings())
    timeline = Timeline(list(deck.cards), duration_of=lambda c: voice.duration(deck, c),
                        kana_of=lambda c: c.reading_kana)
    for card in deck.cards[:5]:
        real = voicepack.ogg_info(deck.path(card.audio)).seconds
        assert timeline.duration(card) == pytest.approx(real)
        assert real != pytest.approx(estimate_duration(card.reading_kana), abs=0.01)


def test_pack_speed_keeps_the_pitch(mixer):
    rate = mixer.rate
    tone = array.array("h", (int(9000 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(rate * 2)))

    def crossings(samples):
        return sum(1 for a, b in zip(samples, samples[1:]) if (a < 0) != (b < 0)) / (len(samples) / rate)

    for speed in (0.8, 1.25):
        out = voicepack.stretch(tone, rate, speed)
        assert len(out) / rate == pytest.approx(2 / speed, rel=0.01)
        assert crossings(out[rate // 10:-rate // 10]) == pytest.approx(crossings(tone), rel=0.03)
    assert voicepack.stretch(tone, rate, 1.0) == tone


def test_a_slowed_pack_reading_plays_longer(mixer, tmp_path):
    deck = make_deck(tmp_path, pack=[1])
    voice = voices.Voice(mixer, Platform(data_dir=str(tmp_path)), settings(voice_rate=0.8))
    voice.prepare(deck, deck.cards[0])
    sound = voice._sound(deck, deck.cards[0], voices.PACK)
    plain = voicepack.ogg_info(deck.path("audio/1.ogg")).seconds
    assert sound.get_length() == pytest.approx(plain / 0.8, rel=0.02)
    assert voice.say(deck, deck.cards[0])


# ------------------------------------------------------------------ web speech through the seam


def test_web_speech_reads_the_kana_with_phrase_pauses_at_the_set_speed_and_volume(tmp_path):
    deck = make_deck(tmp_path)
    window = FakeWindow()
    voice = voices.Voice(Audio(enabled=False), FakeWebPlatform(window), settings(voice_rate=0.8, volume=0.5))
    card = deck.cards[0]
    assert voice.say(deck, card) is True
    assert voice.last_source == voices.BROWSER
    assert window.spoken() == [["あきのはた、あかとんぼ", 0.8, 0.5]]
    assert voice.busy()
    window.speaking = False  # the browser finished
    assert not voice.busy()
    calls = len(window.calls)
    assert not voice.busy() and len(window.calls) == calls  # no more asking the page once it is quiet
    voice.say(deck, deck.cards[1])
    voice.stop()
    assert any("karutaSpeech.stop()" in c for c in window.calls)
    assert not window.speaking


def test_on_the_web_a_file_that_cannot_play_falls_back_to_speech(tmp_path):
    deck = make_deck(tmp_path, pack=[1])
    window = FakeWindow()
    voice = voices.Voice(Audio(enabled=False), FakeWebPlatform(window), settings())
    assert voice.say(deck, deck.cards[0]) is True
    assert window.spoken()[0][0] == "あきのはた、あかとんぼ"


def test_voice_off_says_nothing(tmp_path):
    deck = make_deck(tmp_path)
    window = FakeWindow()
    voice = voices.Voice(Audio(enabled=False), FakeWebPlatform(window), settings(voice=False))
    assert voice.say(deck, deck.cards[0]) is False
    assert window.spoken() == []


# ------------------------------------------------------------------ no voice, no device


def test_a_deck_without_voice_says_so_once(make_app, tmp_path):
    decks = tmp_path / "decks"
    make_deck(decks / "tiny")
    d = make_app("--decks-dir", str(decks), "--deck", "tiny", "--scene", "title")
    app = d.app
    for card in app.deck.cards:
        assert app.voice.say(app.deck, card) is False
    d.frames(1)
    messages = [m for m, _ in app._toasts]
    assert messages.count(voices.NO_VOICE_MESSAGE) == 1


def test_headless_plays_silently_and_still_knows_lengths(make_app, capsys):
    d = make_app("--scene", "title")
    app = d.app
    assert not app.audio.available
    card = app.deck.cards[0]
    assert app.voice.source(app.deck, card) == voices.PACK
    assert app.voice.say(app.deck, card) is False
    assert not app.voice.busy()
    assert app.voice.duration(app.deck, card) == pytest.approx(voicepack.ogg_info(app.deck.path(card.audio)).seconds)
    app.audio.sfx("hit")
    d.frames(2)
    assert [m for m, _ in app._toasts] == []  # nothing alarming on screen
    assert capsys.readouterr().err == ""


def test_a_machine_without_sound_plays_silently(monkeypatch, capsys):
    def no_device(*args, **kwargs):
        raise pygame.error("No available audio device")

    pygame.mixer.quit()
    monkeypatch.setattr(pygame.mixer, "init", no_device)
    audio = Audio(enabled=True)
    assert not audio.available
    audio.sfx("hit")
    audio.unlock()
    assert audio.play_voice(object()) is False and not audio.voice_busy()
    err = capsys.readouterr().err
    assert err.count("playing silently") == 1  # one quiet line, not a traceback


# ------------------------------------------------------------------ channels


def test_effects_never_cut_a_reading_and_a_new_card_stops_the_last(mixer):
    beep = pygame.mixer.Sound(buffer=bytes(4 * 22050))
    mixer._sfx["beep"] = beep
    first = pygame.mixer.Sound(DEMO_AUDIO[0])
    second = pygame.mixer.Sound(DEMO_AUDIO[1])
    assert mixer.play_voice(first)
    for _ in range(20):  # far more effects than there are channels
        mixer.sfx("beep")
    voice_channel = pygame.mixer.Channel(0)
    assert voice_channel.get_busy() and voice_channel.get_sound() == first
    assert mixer.play_voice(second)
    assert voice_channel.get_sound() == second
    busy_effects = [pygame.mixer.Channel(i).get_sound() for i in range(1, pygame.mixer.get_num_channels())]
    assert all(s == beep for s in busy_effects)  # the effects were not cut by the new reading


# ------------------------------------------------------------------ the ogg reader


def test_ogg_info_names_the_file_and_the_problem(tmp_path):
    wav = tmp_path / "1.ogg"
    wav.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40))
    with pytest.raises(voicepack.AudioFileError, match=r"1\.ogg.*WAV"):
        voicepack.ogg_info(str(wav))
    cut = tmp_path / "2.ogg"
    cut.write_bytes(Path(DEMO_AUDIO[0]).read_bytes()[:6000])
    with pytest.raises(voicepack.AudioFileError, match=r"2\.ogg.*cut short"):
        voicepack.ogg_info(str(cut))


def test_speech_units_mark_furigana_and_make_pauses():
    text, protected = voicepack.speech_units("秋(あき)の畑(はた)　あかとんぼ")
    assert text == "あきのはた、あかとんぼ"
    assert "".join(c for c, p in zip(text, protected) if p) == "あきはた"
    assert voicepack.speech_text("  うめのはな\u3000\u3000さいた ") == "うめのはな、さいた"


# ------------------------------------------------------------------ the voice tool


def _has_engine() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("pyopenjtalk", "soundfile", "numpy"))


needs_engine = pytest.mark.skipif(not _has_engine(),
                                  reason="the optional 'voice' extra is not installed "
                                         "(pip install -e '.[voice]' for pyopenjtalk-plus and soundfile)")


@needs_engine
def test_voice_tool_makes_small_valid_oggs_and_keeps_recordings(tmp_path, capsys):
    from karuta.tools import voice as tool

    deck = make_deck(tmp_path, recordings=[2])
    recording = (tmp_path / "audio" / "2.ogg").read_bytes()
    assert tool.run([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "[1/3]" in out and "recording kept" in out and "2 made" in out
    for n in (1, 3):
        path = str(tmp_path / "audio" / f"{n}.ogg")
        info = voicepack.ogg_info(path)
        assert (info.codec, info.channels, info.sample_rate) == ("vorbis", 1, 22050)
        assert 1.0 <= info.seconds <= 8.0
        assert os.path.getsize(path) < 40_000
    assert (tmp_path / "audio" / "2.ogg").read_bytes() == recording
    manifest, _ = voicepack.load_manifest(str(tmp_path))
    assert sorted(manifest["files"]) == ["audio/1.ogg", "audio/3.ogg"]
    assert manifest["files"]["audio/1.ogg"]["text"] == "あきのはた、あかとんぼ"
    # Reloaded, the deck's sources are what the files are.
    deck = load_deck(str(tmp_path))
    voice = voices.Voice(Audio(enabled=False), Platform(data_dir=str(tmp_path)), settings())
    assert [voice.source(deck, c) for c in deck.cards] == [voices.PACK, voices.RECORDING, voices.PACK]
    # A second run changes nothing; --force replaces the recording but keeps it aside.
    before = (tmp_path / "audio" / "1.ogg").read_bytes()
    assert tool.run([str(tmp_path), "--quiet"]) == 0
    assert "0 made, 2 unchanged" in capsys.readouterr().out
    assert (tmp_path / "audio" / "1.ogg").read_bytes() == before
    assert tool.run([str(tmp_path), "--force", "--quiet"]) == 0
    assert (tmp_path / "audio" / "replaced" / "2.ogg").read_bytes() == recording
    manifest, _ = voicepack.load_manifest(str(tmp_path))
    assert "audio/2.ogg" in manifest["files"]


@needs_engine
def test_kana_words_are_not_read_as_particles():
    import pyopenjtalk

    from karuta.tools.voice import fix_particles

    def pron(markup):
        text, protected = voicepack.speech_units(markup)
        return "".join(n["pron"] for n in fix_particles(pyopenjtalk.run_frontend(text), text, protected))

    assert pron("うめのはな　さいた").startswith("ウメノハナ")      # 梅の花, not a topic は
    assert pron("秋(あき)の畑(はた)") == "アキノハタ"
    assert pron("くわのみは　むらさき").startswith("クワノミワ")      # a は that ends a phrase stays a particle
    assert "エ" in pron("まちへゆく")


def test_voice_tool_goes_on_past_a_card_that_fails_and_lists_what_it_made(tmp_path, monkeypatch, capsys):
    """The tool's bookkeeping with a stand-in synthesiser, so it is checked without the optional extra."""
    from karuta.tools import voice as tool

    def synthesise(tts, sf, text, protected, rate, path):
        if text.startswith("うめ"):
            raise RuntimeError("engine error")
        shutil.copy(DEMO_AUDIO[0], path)
        return voicepack.ogg_info(path).seconds

    monkeypatch.setattr(tool, "_load_engine", lambda: (None, None))
    monkeypatch.setattr(tool, "_synthesise", synthesise)
    make_deck(tmp_path, recordings=[2])
    assert tool.run([str(tmp_path), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "card 3" in captured.err and "engine error" in captured.err
    assert "1 made" in captured.out and "1 failed" in captured.out
    manifest, _ = voicepack.load_manifest(str(tmp_path))
    assert sorted(manifest["files"]) == ["audio/1.ogg"]
    assert not (tmp_path / "audio" / "3.ogg").exists()


def test_voice_tool_explains_bad_input_without_a_traceback(tmp_path, capsys):
    from karuta.tools import voice as tool

    assert tool.run([str(tmp_path / "nowhere")]) == 1
    assert "nowhere: no such deck folder" in capsys.readouterr().err
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "deck.yaml").write_text("format: 1\nid: broken\ncards: [", encoding="utf-8")
    assert tool.run([str(tmp_path / "broken")]) == 1
    err = capsys.readouterr().err
    assert "deck.yaml" in err and "not valid YAML" in err
    assert tool.run([DEMO, "--rate", "5"]) == 1
    assert "0.5 to 2.0" in capsys.readouterr().err


# ------------------------------------------------------------------ the settings scene


def test_settings_change_by_big_buttons_and_persist(make_app):
    d = make_app("--scene", "settings")
    assert isinstance(d.app.scenes.top, SettingsScene)
    d.press("voice_rate+")
    d.press("voice_rate+")
    d.press("volume-")
    d.press("read_twice=False")
    d.press("gap_between_cards+")
    d.press("voice=False")
    s = d.app.settings
    assert s.get("voice_rate") == 1.2 and s.get("volume") == 0.7 and s.get("read_twice") is False
    assert s.get("gap_between_cards") == 1.5 and s.get("voice") is False
    assert d.app.audio.volume == 0.7
    # the gap between two readings means nothing when a card is read once
    assert not d.button("gap_between_readings+").enabled
    again = make_app("--scene", "settings")  # same save folder: a restart
    s2 = again.app.settings
    assert (s2.get("voice_rate"), s2.get("volume"), s2.get("read_twice"), s2.get("voice")) == (1.2, 0.7, False, False)
    assert again.button("read_twice=False").selected and not again.button("read_twice=True").selected


def test_settings_steppers_stop_at_the_ends():
    assert step_value((0.5, 1.0, 1.5), 1.5, 1) == 1.5
    assert step_value((0.5, 1.0, 1.5), 0.5, -1) == 0.5
    assert step_value((0.5, 1.1, 1.5), 0.8, 1) == 1.1  # a value between steps goes to the next one
    assert step_value((0.5, 1.1, 1.5), 0.8, -1) == 0.5


def test_settings_buttons_fit_the_screen_and_fingers(make_app):
    d = make_app("--scene", "settings")
    scene = d.app.scenes.top
    buttons = scene.buttons + [scene.test_btn, scene.back]
    screen = pygame.Rect(0, 0, *theme.SCREEN_SIZE)
    for i, b in enumerate(buttons):
        assert screen.contains(b.rect.move(0, 5))  # with its shadow
        assert b.rect.width >= theme.MIN_TOUCH and b.rect.height >= theme.MIN_TOUCH
        assert not any(b.rect.colliderect(o.rect) for o in buttons[i + 1:])


class FakeVoice:
    """Records says; each reading sounds for ``seconds`` of game time."""

    def __init__(self, app, seconds=0.5):
        self.app = app
        self.said = []
        self.until = 0.0
        self.seconds = seconds

    def say(self, deck, card):
        self.said.append(card.number)
        self.until = self.app.time + self.seconds
        return True

    def busy(self):
        return self.app.time < self.until

    def stop(self):
        self.until = 0.0

    def source(self, deck, card):
        return voices.PACK

    def sources(self, deck):
        return {voices.PACK: len(deck.cards)}


def test_try_it_reads_a_card_twice_with_the_set_gap(make_app):
    d = make_app("--scene", "settings")
    fake = FakeVoice(d.app, seconds=0.5)
    d.app.voice = fake
    d.press("test", frames=1)
    assert fake.said == [1]
    d.frames(30 + 80)  # the 0.5 s reading ends, and the gap (1.5 s = 90 frames) is not over yet
    assert fake.said == [1]
    d.frames(12)
    assert fake.said == [1, 1]
    d.frames(60)
    d.press("read_twice=False")
    d.press("test", frames=1)
    d.frames(200)
    assert fake.said == [1, 1, 2]  # once, and the next press reads the next card


def test_try_it_without_sound_says_why_on_screen(make_app):
    d = make_app("--scene", "settings")
    d.press("test")
    assert d.app.scenes.top.message == "この きかいでは おとが でません"


# ------------------------------------------------------------------ tap to start


def test_the_web_opens_on_tap_to_start_and_the_tap_unlocks_audio(make_app):
    platform = FakeWebPlatform()
    d = make_app(platform=platform)
    assert isinstance(d.app.scenes.top, StartScene)
    d.frames(3)
    d.finger("down", (100, 700))
    d.frames(1)
    d.finger("up", (100, 700))
    d.frames(1)
    assert platform.unlocks == 1 and d.app.voice.unlocked
    assert isinstance(d.app.scenes.top, TitleScene)


def test_the_desktop_starts_at_the_title_and_start_is_reachable(make_app):
    assert isinstance(make_app().app.scenes.top, TitleScene)
    d = make_app("--scene", "start")
    assert isinstance(d.app.scenes.top, StartScene)
    d.key(pygame.K_SPACE)
    assert isinstance(d.app.scenes.top, TitleScene)
    assert d.app.voice.unlocked
