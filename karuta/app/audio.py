"""Sound effects and card voices. Without an audio device everything here is a quiet no-op."""

from __future__ import annotations

import os
import sys

import pygame

SOUND_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "assets", "sounds")


class Audio:
    def __init__(self, enabled: bool = True):
        self.available = False
        self._sfx: dict[str, pygame.mixer.Sound | None] = {}
        self._voice_channel = None
        self._sfx_channels = []
        self.volume = 1.0
        if enabled:
            self._init()

    def _init(self) -> None:
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=22050, size=-16, channels=2, buffer=1024)
            pygame.mixer.set_num_channels(8)
            # Channel 0 is reserved for the card voice so effects never cut a reading off.
            pygame.mixer.set_reserved(1)
            self._voice_channel = pygame.mixer.Channel(0)
            self.available = True
        except (pygame.error, NotImplementedError) as exc:
            print(f"karuta: no audio device ({exc}); playing silently", file=sys.stderr)
            self.available = False

    def sfx(self, name: str) -> None:
        """Play a short effect by name (assets/sounds/<name>.ogg); unknown names are ignored."""
        if not self.available:
            return
        snd = self._load_sfx(name)
        if snd is not None:
            snd.set_volume(self.volume * 0.7)
            snd.play()

    def _load_sfx(self, name: str):
        if name not in self._sfx:
            path = os.path.join(SOUND_DIR, name + ".ogg")
            try:
                self._sfx[name] = pygame.mixer.Sound(path) if os.path.isfile(path) else None
            except pygame.error:
                self._sfx[name] = None
        return self._sfx[name]

    def load(self, path: str):
        """A Sound for a voice file, or None (missing file or no audio device)."""
        if not self.available:
            return None
        try:
            return pygame.mixer.Sound(path)
        except (pygame.error, FileNotFoundError):
            return None

    def play_voice(self, sound) -> bool:
        """Play on the voice channel, stopping any previous reading."""
        if not self.available or sound is None or self._voice_channel is None:
            return False
        self._voice_channel.stop()
        sound.set_volume(self.volume)
        self._voice_channel.play(sound)
        return True

    def stop_voice(self) -> None:
        if self._voice_channel is not None:
            self._voice_channel.stop()

    def voice_busy(self) -> bool:
        return bool(self._voice_channel is not None and self._voice_channel.get_busy())
