"""Synthesise the game's sound effects into assets/sounds/*.ogg (desktop tool, run once by developers).

    python -m karuta.tools.make_sounds [--out DIR] [--list]

Every sound is built from sine waves and seeded noise, so running this again gives
the same sounds (the Ogg container's stream serial number may differ byte-wise).
They are the project's own work, dedicated to the public domain (CC0): see
assets/sounds/README.md. Encoding needs ``soundfile`` (the ``tools``/``dev``
extras), whose wheels bundle libsndfile with Ogg Vorbis.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys

RATE = 22050  # the game's mixer rate: no resampling at play time
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(PROJECT_ROOT, "assets", "sounds")


def _silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def _mix(into: list[float], sound: list[float], at: float, gain: float = 1.0) -> None:
    start = int(at * RATE)
    if len(into) < start + len(sound):
        into.extend([0.0] * (start + len(sound) - len(into)))
    for i, v in enumerate(sound):
        into[start + i] += v * gain


def _envelope(i: int, n: int, attack: float, decay: float) -> float:
    """Quick rise, exponential fall: percussive, so nothing drones on."""
    t = i / RATE
    rise = min(1.0, t / attack) if attack > 0 else 1.0
    fade_out = min(1.0, (n - i) / (RATE * 0.01))  # 10 ms tail to zero: no click at the end
    return rise * math.exp(-t / decay) * fade_out


def _tone(freq: float, seconds: float, *, attack=0.005, decay=0.2, harmonics=((1, 1.0),), vibrato=0.0) -> list[float]:
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        t = i / RATE
        wobble = 1.0 + vibrato * math.sin(2 * math.pi * 6.0 * t)
        v = sum(a * math.sin(2 * math.pi * freq * k * wobble * t) for k, a in harmonics)
        out.append(v * _envelope(i, n, attack, decay))
    return out


def _sweep(f0: float, f1: float, seconds: float, *, attack=0.004, decay=0.1, shape="sine") -> list[float]:
    """A pitch glide (exponential in frequency, as the ear hears it)."""
    n = int(RATE * seconds)
    out, phase = [], 0.0
    for i in range(n):
        f = f0 * (f1 / f0) ** (i / n)
        phase += 2 * math.pi * f / RATE
        if shape == "triangle":
            v = 2 / math.pi * math.asin(math.sin(phase))
        else:
            v = math.sin(phase)
        out.append(v * _envelope(i, n, attack, decay))
    return out


def _noise(seconds: float, seed: str, decay: float, smooth: float = 0.3) -> list[float]:
    rng = random.Random(seed)
    n = int(RATE * seconds)
    out, last = [], 0.0
    for i in range(n):
        last += smooth * (rng.uniform(-1, 1) - last)  # one-pole low-pass: a soft "puff", not a hiss
        out.append(last * _envelope(i, n, 0.001, decay))
    return out


def _normalise(samples: list[float], peak: float) -> list[float]:
    top = max(1e-9, max(abs(v) for v in samples))
    return [v * peak / top for v in samples]


def shot() -> list[float]:
    """A short "pyun": a falling whistle over a soft puff of air."""
    out = _sweep(1500, 380, 0.2, decay=0.07)
    _mix(out, _noise(0.08, "shot", 0.02), 0.0, 0.5)
    return _normalise(out, 0.6)


def hit() -> list[float]:
    """A bright two-note chime (C6 then G6): "pinpon"."""
    bell = ((1, 1.0), (2, 0.35), (3, 0.12))
    out = _silence(0.5)
    _mix(out, _tone(1046.5, 0.45, decay=0.16, harmonics=bell), 0.0, 0.8)
    _mix(out, _tone(1568.0, 0.45, decay=0.18, harmonics=bell), 0.08, 0.9)
    return _normalise(out, 0.75)


def miss() -> list[float]:
    """A gentle falling "bwoon": tells a child it was the wrong card without sounding like a buzzer."""
    out = _sweep(392, 247, 0.42, attack=0.02, decay=0.22, shape="triangle")
    return _normalise(out, 0.55)


def celebrate() -> list[float]:
    """A small fanfare: C-E-G-C up, then a shimmering C major chord."""
    bell = ((1, 1.0), (2, 0.3), (4, 0.08))
    out = _silence(1.3)
    for i, f in enumerate((523.25, 659.25, 783.99, 1046.5)):
        _mix(out, _tone(f, 0.3, decay=0.12, harmonics=bell), i * 0.1, 0.7)
    for f in (1046.5, 1318.5, 1568.0):
        _mix(out, _tone(f, 0.85, attack=0.01, decay=0.35, harmonics=bell, vibrato=0.004), 0.42, 0.45)
    return _normalise(out, 0.8)


SOUNDS = {"shot": shot, "hit": hit, "miss": miss, "celebrate": celebrate}


def write_ogg(path: str, samples: list[float]) -> None:
    import numpy  # desktop tool only: soundfile needs numpy arrays
    import soundfile

    soundfile.write(path, numpy.asarray(samples, dtype="float32"), RATE, format="OGG", subtype="VORBIS")


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="karuta sounds", description="Synthesise the game's sound effects (.ogg).")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"folder to write to (default: {DEFAULT_OUT})")
    parser.add_argument("--list", action="store_true", help="only list the sounds this tool makes")
    args = parser.parse_args(argv)
    if args.list:
        for name, make in SOUNDS.items():
            print(f"{name}.ogg  {(make.__doc__ or '').strip()}")
        return 0
    try:
        import soundfile  # noqa: F401
    except ImportError:
        print("karuta sounds: needs the 'soundfile' package to write Ogg Vorbis: pip install -e '.[tools]'",
              file=sys.stderr)
        return 2
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as exc:
        print(f"karuta sounds: {args.out}: cannot create the folder ({exc.strerror or exc})", file=sys.stderr)
        return 1
    for name, make in SOUNDS.items():
        path = os.path.join(args.out, name + ".ogg")
        samples = make()
        try:
            write_ogg(path, samples)
        except (OSError, RuntimeError) as exc:
            print(f"karuta sounds: {path}: cannot be written ({exc})", file=sys.stderr)
            return 1
        print(f"{path}: {len(samples) / RATE:.2f} s, {os.path.getsize(path)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
