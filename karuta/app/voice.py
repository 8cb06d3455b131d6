"""Card voices: which source reads a card, and playing it.

Priority: the deck's own recording or voice pack (an .ogg listed as the card's
audio), then the browser's speech (web), else none (text only).
"""

from __future__ import annotations

from ..engine.deck import Card, Deck
from .audio import Audio
from .platform import Platform

RECORDING, BROWSER, NONE = "recording", "browser", "none"


class Voice:
    def __init__(self, audio: Audio, platform: Platform, settings):
        self.audio = audio
        self.platform = platform
        self.settings = settings
        self._sounds: dict[str, object] = {}

    def source(self, deck: Deck, card: Card) -> str:
        if card.audio:
            return RECORDING
        if self.platform.can_speak() and card.reading_kana:
            return BROWSER
        return NONE

    def _sound(self, deck: Deck, card: Card):
        path = deck.path(card.audio)
        if path not in self._sounds:
            self._sounds[path] = self.audio.load(path)
        return self._sounds[path]

    def duration(self, deck: Deck, card: Card) -> float | None:
        """Seconds the reading lasts, when known from the file."""
        if card.audio:
            snd = self._sound(deck, card)
            if snd is not None:
                return float(snd.get_length())
        return None

    def say(self, deck: Deck, card: Card) -> bool:
        """Start reading the card aloud (stopping any previous reading). False when nothing can be heard."""
        if not self.settings.get("voice"):
            return False
        self.stop()
        src = self.source(deck, card)
        if src == RECORDING:
            return self.audio.play_voice(self._sound(deck, card))
        if src == BROWSER:
            return self.platform.speak(card.reading_kana, float(self.settings.get("voice_rate")),
                                       float(self.settings.get("volume")))
        return False

    def stop(self) -> None:
        self.audio.stop_voice()
        self.platform.stop_speaking()

    def busy(self) -> bool:
        return self.audio.voice_busy() or self.platform.is_speaking()
