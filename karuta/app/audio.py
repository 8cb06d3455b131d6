"""Sound effects and card voices. Without an audio device everything here is a quiet no-op.

Channel 0 of the mixer is reserved for the card voice: effects are played on the
other channels, so a "pinpon" never cuts a reading off and a reading never
silences an effect. Only a new reading stops the previous one.
"""

from __future__ import annotations

import array
import os
import sys

import pygame

SOUND_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "assets", "sounds")
FREQUENCY = 22050   # the voice pack's rate: no resampling for readings, light work for the browser
CHANNELS = 8
SFX_SHARE = 0.7     # effects sit under the voice
DUCK = 0.5          # and under it further while a card is being read


class Audio:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.available = False
        self._sfx: dict[str, pygame.mixer.Sound | None] = {}
        self._voice_channel = None
        self.volume = 1.0
        self._warned = False
        if enabled:
            self._init()

    def _init(self) -> None:
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=FREQUENCY, size=-16, channels=2, buffer=1024)
            pygame.mixer.set_num_channels(CHANNELS)
            pygame.mixer.set_reserved(1)
            self._voice_channel = pygame.mixer.Channel(0)
            self.available = True
        except (pygame.error, NotImplementedError, OSError) as exc:
            self.available = False
            self._voice_channel = None
            if not self._warned:
                # One quiet line for whoever runs it; the game itself just plays without sound.
                print(f"karuta: no audio device ({exc}); playing silently", file=sys.stderr)
                self._warned = True

    def unlock(self) -> bool:
        """After the first touch on an iPad: (re)open the mixer and play a moment of silence.

        Browsers keep audio suspended until a user gesture; starting a sound from that
        gesture's frame is what wakes it. True when a device is there.
        """
        if not self.enabled:
            return False
        if not self.available:
            self._init()
        if not self.available:
            return False
        try:
            silence = pygame.mixer.Sound(buffer=bytes(4 * FREQUENCY // 20))  # 50 ms, 16-bit stereo
            silence.set_volume(0.0)
            silence.play()
        except pygame.error:
            pass
        return True

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.0, float(volume)))
        if self._voice_channel is not None:
            self._voice_channel.set_volume(self.volume)

    # ------------------------------------------------------------------ effects

    def sfx(self, name: str) -> None:
        """Play a short effect by name (assets/sounds/<name>.ogg); unknown names are ignored."""
        if not self.available:
            return
        snd = self._load_sfx(name)
        if snd is None:
            return
        channel = pygame.mixer.find_channel()  # never the reserved voice channel
        if channel is None:
            return  # all busy: dropping an effect is better than cutting one off
        channel.set_volume(self.volume * SFX_SHARE * (DUCK if self.voice_busy() else 1.0))
        channel.play(snd)

    def _load_sfx(self, name: str):
        if name not in self._sfx:
            path = os.path.join(SOUND_DIR, name + ".ogg")
            try:
                self._sfx[name] = pygame.mixer.Sound(path) if os.path.isfile(path) else None
            except pygame.error:
                self._sfx[name] = None
        return self._sfx[name]

    # ------------------------------------------------------------------ voice

    def load(self, path: str):
        """A Sound for a voice file, or None (missing or unreadable file, or no audio device)."""
        if not self.available:
            return None
        try:
            return pygame.mixer.Sound(path)
        except (pygame.error, FileNotFoundError, OSError) as exc:
            print(f"karuta: {path}: cannot be played ({exc})", file=sys.stderr)
            return None

    def samples(self, sound) -> tuple[array.array, int]:
        """(interleaved 16-bit samples, channel count) of a loaded Sound, in the mixer's format."""
        _, _, channels = pygame.mixer.get_init()
        data = array.array("h")  # the mixer was opened as signed 16-bit, native byte order
        data.frombytes(sound.get_raw())
        return data, channels

    def sound_from_mono(self, mono: array.array):
        """A Sound from mono 16-bit samples at the mixer's rate (duplicated to every channel)."""
        if not self.available:
            return None
        _, _, channels = pygame.mixer.get_init()
        if channels == 1:
            data = mono
        else:
            data = array.array("h", bytes(2 * len(mono) * channels))
            for c in range(channels):
                data[c::channels] = mono
        return pygame.mixer.Sound(buffer=data.tobytes())

    @property
    def rate(self) -> int:
        init = pygame.mixer.get_init() if self.available else None
        return init[0] if init else FREQUENCY

    def play_voice(self, sound) -> bool:
        """Play on the voice channel, stopping any previous reading (never an effect)."""
        if not self.available or sound is None or self._voice_channel is None:
            return False
        self._voice_channel.stop()
        sound.set_volume(1.0)
        self._voice_channel.set_volume(self.volume)
        self._voice_channel.play(sound)
        return True

    def stop_voice(self) -> None:
        if self._voice_channel is not None:
            self._voice_channel.stop()

    def voice_busy(self) -> bool:
        return bool(self._voice_channel is not None and self._voice_channel.get_busy())
