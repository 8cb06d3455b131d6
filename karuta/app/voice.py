"""Card voices: which source reads a card, and playing it.

Where a reading comes from, best first:
1. RECORDING: the deck's own recording (``audio/<number>.ogg``, or a file the card lists);
2. PACK: a voice pack the ``karuta voice`` tool generated into the same folder
   (told apart from a recording by ``audio/voicepack.json``, see engine/voicepack.py);
3. BROWSER: on the web, the browser's own Japanese speech, through the platform seam;
4. NONE: text only, and the player is told so once per deck (a toast, not an error).

The speed setting applies to the synthesised voices (pack and browser); a person's
recording is always played as it was recorded. With no audio device everything is
silent and says nothing: ``say`` just returns False.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Callable

from ..engine import voicepack
from ..engine.deck import Card, Deck
from .audio import Audio
from .platform import Platform

RECORDING, PACK, BROWSER, NONE = "recording", "pack", "browser", "none"
RATE_MIN, RATE_MAX = 0.5, 2.0
NO_VOICE_MESSAGE = "このカルタには こえが ありません。もじを よんでね"
_CACHE = 12  # decoded readings kept (a few MB each at most; an iPad tab has little memory)


class Voice:
    def __init__(self, audio: Audio, platform: Platform, settings, notify: Callable[[str], None] | None = None):
        self.audio = audio
        self.platform = platform
        self.settings = settings
        self.notify = notify
        self.last_source = NONE
        self._sounds: OrderedDict[tuple[str, float], object] = OrderedDict()
        self._kinds: dict[str, str | None] = {}
        self._lengths: dict[str, float | None] = {}
        self._manifests: dict[str, dict] = {}
        self._told: set[str] = set()
        self._speaking = False
        self.unlocked = False  # the first touch woke audio and speech (the web's tap-to-start)

    # ------------------------------------------------------------------ where a reading comes from

    def source(self, deck: Deck, card: Card) -> str:
        """RECORDING, PACK, BROWSER or NONE: the best voice this card has here."""
        kind = self._file_kind(deck, card)
        if kind is not None:
            return kind
        if card.reading_kana and self.platform.can_speak():
            return BROWSER
        return NONE

    def sources(self, deck: Deck) -> dict[str, int]:
        """How many cards of the deck each source reads (for the settings screen)."""
        counts = {RECORDING: 0, PACK: 0, BROWSER: 0, NONE: 0}
        for card in deck.cards:
            counts[self.source(deck, card)] += 1
        return counts

    def _file_kind(self, deck: Deck, card: Card) -> str | None:
        if not card.audio:
            return None
        path = deck.path(card.audio)
        if path not in self._kinds:
            if not os.path.isfile(path):
                self._kinds[path] = None
            else:
                generated = voicepack.is_generated(deck.folder, card.audio, self._manifest(deck))
                self._kinds[path] = PACK if generated else RECORDING
        return self._kinds[path]

    def _manifest(self, deck: Deck) -> dict:
        if deck.folder not in self._manifests:
            manifest, _problem = voicepack.load_manifest(deck.folder)
            self._manifests[deck.folder] = manifest
        return self._manifests[deck.folder]

    # ------------------------------------------------------------------ settings

    def rate(self) -> float:
        try:
            value = float(self.settings.get("voice_rate"))
        except (TypeError, ValueError):
            value = 1.0
        return min(RATE_MAX, max(RATE_MIN, value))

    def _volume(self) -> float:
        try:
            return min(1.0, max(0.0, float(self.settings.get("volume"))))
        except (TypeError, ValueError):
            return 1.0

    # ------------------------------------------------------------------ lengths

    def duration(self, deck: Deck, card: Card) -> float | None:
        """Seconds the reading lasts as it will be played (speed included), when a file gives it.

        Read from the file's own headers, so it is known headless and with no audio
        device; the browser's speech has no known length (None).
        """
        kind = self._file_kind(deck, card)
        if kind is None:
            return None
        path = deck.path(card.audio)
        if path not in self._lengths:
            try:
                self._lengths[path] = voicepack.ogg_info(path).seconds
            except voicepack.AudioFileError:
                snd = self._sound(deck, card, RECORDING)
                self._lengths[path] = float(snd.get_length()) if snd is not None else None
        length = self._lengths[path]
        if length is None:
            return None
        return length / self.rate() if kind == PACK else length

    # ------------------------------------------------------------------ playing

    def prepare(self, deck: Deck, card: Card) -> None:
        """Decode (and re-time) a card's reading now, so that ``say`` starts without a hitch."""
        kind = self._file_kind(deck, card)
        if kind is not None and self.audio.available:
            self._sound(deck, card, kind)

    def say(self, deck: Deck, card: Card) -> bool:
        """Start reading the card aloud (stopping any previous reading). False when nothing can be heard."""
        self.stop()
        self.last_source = NONE
        if not self.settings.get("voice"):
            return False
        volume = self._volume()
        self.audio.set_volume(volume)
        kind = self._file_kind(deck, card)
        if kind is not None and self.audio.available:
            if self.audio.play_voice(self._sound(deck, card, kind)):
                self.last_source = kind
                return True
        text = voicepack.speech_text(card.reading_kana)
        if text and self.platform.can_speak():
            # The browser speaks when the file cannot be played here (no device, broken file) too.
            if self.platform.speak(text, self.rate(), volume):
                self._speaking = True
                self.last_source = BROWSER
                return True
            return False
        if kind is None:
            self._tell_no_voice(deck)
        return False

    def unlock(self) -> None:
        """Called from the first touch (modes/start.py): wake the mixer and, through the
        platform when it offers a hook, the page's audio and speech. iPadOS keeps both
        silent until a gesture; the page template also unlocks them on touchend."""
        self.audio.unlock()
        hook = getattr(self.platform, "unlock_audio", None)
        if callable(hook):
            hook()
        self.unlocked = True

    def stop(self) -> None:
        self.audio.stop_voice()
        self.platform.stop_speaking()
        self._speaking = False

    def busy(self) -> bool:
        if self.audio.voice_busy():
            return True
        if self._speaking:
            # Ask the page only while it is speaking for us: every ask crosses into JavaScript.
            self._speaking = bool(self.platform.is_speaking())
        return self._speaking

    def forget(self) -> None:
        """Drop cached sounds and what is known about files (after the voice tool changed a deck)."""
        self._sounds.clear()
        self._kinds.clear()
        self._lengths.clear()
        self._manifests.clear()

    def _sound(self, deck: Deck, card: Card, kind: str):
        path = deck.path(card.audio)
        speed = round(self.rate(), 2) if kind == PACK else 1.0
        key = (path, speed)
        if key in self._sounds:
            self._sounds.move_to_end(key)
            return self._sounds[key]
        base = self._sounds.get((path, 1.0)) if speed != 1.0 else None
        if base is None:
            base = self.audio.load(path)
        sound = base
        if base is not None and speed != 1.0:
            samples, channels = self.audio.samples(base)
            sound = self.audio.sound_from_mono(voicepack.stretch(samples[0::channels], self.audio.rate, speed))
        self._sounds[key] = sound
        while len(self._sounds) > _CACHE:
            self._sounds.popitem(last=False)
        return sound

    def _tell_no_voice(self, deck: Deck) -> None:
        if deck.id in self._told:
            return
        self._told.add(deck.id)
        if self.notify is not None:
            self.notify(NO_VOICE_MESSAGE)
            return
        # Until the app passes its toast in, the store's notices reach the screen the same way.
        notices = getattr(getattr(self.settings, "store", None), "notices", None)
        if isinstance(notices, list):
            notices.append(NO_VOICE_MESSAGE)
