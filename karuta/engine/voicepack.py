"""Card audio files: what an .ogg holds, and which files are a generated voice pack.

A deck's readings live in ``audio/<number>.ogg``. A district's own recording and a
file made by ``karuta voice`` sit in the same place, so the voice tool writes a
manifest (``audio/voicepack.json``) naming each file it generated together with the
file's SHA-256. A file that is not in the manifest, or whose bytes changed since
(someone dropped a recording over it), is a recording; a recording always wins.

Pure standard library: this runs in the browser build as well as in the tools.
"""

from __future__ import annotations

import array
import hashlib
import json
import math
import operator
import os
import re
import struct
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

MANIFEST = "audio/voicepack.json"
MANIFEST_FORMAT = 1
_TAIL = 70_000  # an Ogg page is at most 65,307 bytes, so the last one starts within this tail


class AudioFileError(ValueError):
    """An audio file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class OggInfo:
    codec: str        # "vorbis" or "opus"
    channels: int
    sample_rate: int  # of the decoded audio (Opus always decodes at 48 kHz)
    seconds: float


def ogg_info(path: str) -> OggInfo:
    """Codec, channels, rate and exact length of an Ogg file, read from its headers and last page.

    Needs no audio device and no decoder, so durations are known headless and before a sound loads.
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(min(size, 4096))
            f.seek(max(0, size - _TAIL))
            tail = f.read()
    except OSError as exc:
        raise AudioFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not head.startswith(b"OggS"):
        kind = _sniff(head)
        raise AudioFileError(f"{path}: not an Ogg file{kind}; save it as Ogg Vorbis (.ogg)")
    first = _page(head, 0)
    if first is None:
        raise AudioFileError(f"{path}: damaged Ogg header")
    serial, payload = first[1], first[2]
    if payload.startswith(b"\x01vorbis") and len(payload) >= 16:
        channels = payload[11]
        rate = struct.unpack_from("<I", payload, 12)[0]
        codec, pre_skip, clock = "vorbis", 0, rate
    elif payload.startswith(b"OpusHead") and len(payload) >= 12:
        channels = payload[9]
        pre_skip = struct.unpack_from("<H", payload, 10)[0]
        codec, rate, clock = "opus", 48000, 48000
    else:
        raise AudioFileError(f"{path}: an Ogg file but not Vorbis or Opus audio")
    if not channels or not rate:
        raise AudioFileError(f"{path}: damaged audio header (channels {channels}, rate {rate})")
    granule = _last_granule(tail, serial)
    if granule is None:
        raise AudioFileError(f"{path}: cut short (the last Ogg page is missing); export the file again")
    seconds = max(0, granule - pre_skip) / clock
    return OggInfo(codec, channels, rate, seconds)


def _sniff(head: bytes) -> str:
    if head.startswith(b"RIFF"):
        return " (it is a WAV file)"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return " (it is an MP3 file)"
    if head[4:8] == b"ftyp":
        return " (it is an M4A/MP4 file)"
    if head.startswith(b"fLaC"):
        return " (it is a FLAC file)"
    return ""


def _page(data: bytes, at: int):
    """(granule, serial, first packet bytes, page length) of the Ogg page at ``at``, or None."""
    if data[at:at + 4] != b"OggS" or len(data) < at + 27:
        return None
    granule, serial = struct.unpack_from("<qI", data, at + 6)
    nseg = data[at + 26]
    table = data[at + 27:at + 27 + nseg]
    if len(table) != nseg:
        return None
    body = at + 27 + nseg
    first_len = 0
    for lace in table:
        first_len += lace
        if lace < 255:
            break
    length = 27 + nseg + sum(table)
    return granule, serial, data[body:body + first_len], length


def _last_granule(tail: bytes, serial: int) -> int | None:
    """The end position of the stream: the granule of its final page (the one marked end-of-stream)."""
    at = tail.rfind(b"OggS")
    while at >= 0:
        page = _page(tail, at)
        if page is not None and page[1] == serial and at + page[3] <= len(tail):
            end_of_stream = tail[at + 5] & 0x04
            return page[0] if end_of_stream and page[0] >= 0 else None
        at = tail.rfind(b"OggS", 0, at)
    return None


# ---------------------------------------------------------------- what is read aloud

_SPACES = re.compile(r"[\s\u3000]+")


def speech_text(kana: str) -> str:
    """The text a synthesiser reads: the card's kana, with its phrase breaks (spaces) as pauses.

    A full-width space makes no pause in speech engines, but the 5-7-5 phrasing of a
    reading card is what children listen for, so each break becomes a comma.
    """
    return re.sub("、{2,}", "、", _SPACES.sub("、", kana.strip())).strip("、")


def speech_units(markup: str) -> tuple[str, tuple[bool, ...]]:
    """``speech_text`` of a reading's furigana markup, and for each of its characters whether
    it comes from furigana (a word the deck spelled out, so never a particle は/へ)."""
    from . import ruby

    try:
        segments = ruby.parse(markup)
    except ruby.RubyError:
        segments = [ruby.Segment(markup)]
    chars: list[tuple[str, bool]] = []
    for seg in segments:
        from_ruby = seg.ruby is not None
        for ch in (seg.ruby if from_ruby else seg.base):
            if ch.isspace():
                if chars and chars[-1][0] != "、":
                    chars.append(("、", False))
            else:
                chars.append((ch, from_ruby))
    while chars and chars[0][0] == "、":
        chars.pop(0)
    while chars and chars[-1][0] == "、":
        chars.pop()
    return "".join(c for c, _ in chars), tuple(p for _, p in chars)


# ---------------------------------------------------------------- the manifest


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(65536), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(folder: str) -> str:
    return os.path.join(folder, *PurePosixPath(MANIFEST).parts)


def load_manifest(folder: str) -> tuple[dict[str, Any], str | None]:
    """(manifest, problem). A missing manifest is empty with no problem; a broken one is empty
    and the problem says so, which makes every file count as a recording (the safe side)."""
    path = manifest_path(folder)
    empty = {"format": MANIFEST_FORMAT, "files": {}}
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return empty, None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return empty, f"{path}: cannot be read ({exc}); its files are treated as recordings"
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return empty, f"{path}: not a voice-pack manifest (no \"files\" mapping); its files are treated as recordings"
    files = {k: v for k, v in data["files"].items()
             if isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("sha256"), str)}
    return {**data, "files": files}, None


def save_manifest(folder: str, manifest: dict[str, Any]) -> str:
    path = manifest_path(folder)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)
    return path


def is_generated(folder: str, relative: str, manifest: dict[str, Any]) -> bool:
    """True when ``relative`` (e.g. ``audio/3.ogg``) is a voice-pack file exactly as the tool wrote it."""
    entry = manifest.get("files", {}).get(str(PurePosixPath(relative)))
    if not entry:
        return False
    try:
        return file_digest(os.path.join(folder, *PurePosixPath(relative).parts)) == entry.get("sha256")
    except OSError:
        return False


# ---------------------------------------------------------------- speed without a chipmunk voice


def stretch(mono, rate: int, speed: float) -> array.array:
    """Play ``mono`` 16-bit samples ``speed`` times as fast, keeping the pitch (WSOLA).

    Resampling would make a slowed reading sound deep and slurred; overlap-adding
    short windows, each shifted to where it best continues the previous one, keeps
    the voice natural for the modest range a reading is slowed or hurried by.
    Plain Python on purpose (no numpy in the browser); a 4 s reading takes ~0.1 s,
    and the caller caches the result.
    """
    n = len(mono)
    if n == 0 or abs(speed - 1.0) < 1e-3:
        return array.array("h", mono)
    win = max(64, int(rate * 0.030)) & ~1  # 30 ms: a few pitch periods of a child-friendly voice
    hop = win // 2                          # Hann windows at half overlap sum to one
    tol = max(4, int(rate * 0.010))         # how far a window may slide to stay in phase
    out_len = int(n / speed)
    if n < 2 * win or out_len < 2 * win:
        return array.array("h", mono)  # too short to hear a difference
    out = [0.0] * (out_len + win)
    window = [0.5 - 0.5 * math.cos(2 * math.pi * i / win) for i in range(win)]
    src = list(mono)
    mul, add = operator.mul, operator.add
    prev, k = 0, 0
    while True:
        at = k * hop
        if at + win > out_len:
            break
        nominal = int(k * hop * speed)
        best = nominal
        if k:
            ref = src[prev + hop:prev + 2 * hop:8]  # what naturally follows the last window
            score = None
            for cand in range(max(0, nominal - tol), min(n - win, nominal + tol) + 1, 6):
                s = sum(map(mul, src[cand:cand + hop:8], ref))
                if score is None or s > score:
                    score, best = s, cand
        if best < 0 or best + win > n:
            break
        out[at:at + win] = list(map(add, out[at:at + win], map(mul, src[best:best + win], window)))
        prev, k = best, k + 1
    return array.array("h", [-32768 if v < -32768 else 32767 if v > 32767 else int(v) for v in out[:out_len]])
