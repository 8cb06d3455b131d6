"""``karuta voice decks/<id> [--force] [--rate R]``: make a deck's voice pack, offline.

Each reading card's kana reading (from its furigana, so names are read as the deck
writes them) is spoken by OpenJTalk (pyopenjtalk-plus, the optional ``voice`` extra),
then trimmed, levelled, made mono at 22,050 Hz and saved as a small Ogg Vorbis file
``audio/<number>.ogg``. ``audio/voicepack.json`` lists what was generated, so a
recording that a district adds later (same file name) is recognised and always wins;
a recording is never overwritten unless ``--force`` is given, and even then the
original is kept under ``audio/replaced/``.

Desktop only: numpy, soundfile and pyopenjtalk are imported here, never by the game.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import time
from pathlib import Path

from ..engine import voicepack
from ..engine.deck import Card, Deck, check_deck
from .i18n import _

SAMPLE_RATE = 22050      # plenty for speech; matches the game's mixer, so nothing is resampled at play time
TARGET_RMS_DB = -20.0    # speech level of every file, so no card is louder than the next
PEAK_DB = -1.0           # never clip
GATE_DB = -40.0          # quieter than this (relative to the peak) is silence: OpenJTalk breathes at about -45
LEAD_S, TAIL_S = 0.06, 0.12  # silence kept around the speech, so the start is not clipped
FADE_S = 0.008
QUALITY = 0.8            # soundfile's compression level for Vorbis (1 = smallest): ~5 kB a second of speech
PROCESS_VERSION = 1      # bump when the processing changes, so "unchanged" files are made again
DEFAULT_RATE = 0.9       # a little slower than conversation: readers read for children
MIN_S, MAX_S = 0.3, 15.0
DECKS_DIR = Path(__file__).resolve().parents[2] / "decks"


class ToolError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="karuta voice",
        description=_("Make a deck's voice pack: every reading card spoken offline into audio/<number>.ogg. "
                      "Cards with a recording are kept as they are unless --force is given."))
    p.add_argument("deck", help=_("the deck folder (decks/<id>) or a deck id"))
    p.add_argument("--force", action="store_true",
                   help=_("also replace recordings (the originals are moved to audio/replaced/) "
                          "and regenerate unchanged files"))
    p.add_argument("--rate", type=float, default=DEFAULT_RATE, metavar="R",
                   help=_("speaking speed, 0.5-2.0 (default {default})").format(default=DEFAULT_RATE))
    p.add_argument("--quiet", action="store_true", help=_("print only the summary and problems"))
    return p


def run(argv: list[str]) -> int:
    opts = build_parser().parse_args(argv)
    try:
        return _run(opts)
    except ToolError as exc:
        print(f"karuta voice: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n" + _("karuta voice: stopped; the files made so far are kept and listed"), file=sys.stderr)
        return 130


def _find_folder(name: str) -> Path:
    folder = Path(name)
    if folder.is_dir():
        return folder
    candidate = DECKS_DIR / name
    if os.sep not in name and "/" not in name and candidate.is_dir():
        return candidate
    raise ToolError(_("{deck}: no such deck folder (give decks/<id>)").format(deck=name))


def _load_engine():
    try:
        import numpy  # noqa: F401
        import soundfile
    except ImportError as exc:
        raise ToolError(_("needs the optional 'voice' extra ({module} is missing): pip install -e '.[voice]'").format(
            module=exc.name)) from None
    if "OGG" not in soundfile.available_formats() or "VORBIS" not in soundfile.available_subtypes("OGG"):
        raise ToolError(_("this soundfile/libsndfile ({version}) cannot write Ogg Vorbis; install soundfile from PyPI, "
                          "whose wheels include it").format(version=soundfile.__libsndfile_version__))
    # pyopenjtalk-plus prints a note about an optional ONNX model on import; it does not concern us.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            import pyopenjtalk
        except ImportError:
            raise ToolError(_("needs the optional 'voice' extra ({module} is missing): pip install -e '.[voice]'")
                            .format(module="pyopenjtalk-plus")) from None
    return pyopenjtalk, soundfile


def _version(dist: str) -> str:
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:
        return "?"


def _run(opts) -> int:
    if not 0.5 <= opts.rate <= 2.0:
        raise ToolError(_("--rate {rate}: choose a speed from 0.5 to 2.0").format(rate=opts.rate))
    folder = _find_folder(opts.deck)
    deck, problems = check_deck(folder)
    if deck is None:
        lines = "\n".join(f"  {p}" for p in problems[:20])
        if len(problems) > 20:
            lines += "\n  " + _("... and {n} more").format(n=len(problems) - 20)
        raise ToolError(_("{deck}: the deck has problems; fix them first:\n{problems}").format(deck=folder, problems=lines))
    tts, sf = _load_engine()
    manifest, problem = voicepack.load_manifest(str(folder))
    if problem:
        print(f"karuta voice: {problem}", file=sys.stderr)
    files: dict = dict(manifest.get("files", {}))
    say = (lambda *a: None) if opts.quiet else print
    say(_("karuta voice: {deck} ({name}), {cards} cards, speed {rate}").format(
        deck=folder, name=deck.name_plain, cards=len(deck.cards), rate=f"{opts.rate:g}"))
    counts = {"made": 0, "unchanged": 0, "recording": 0, "no text": 0, "failed": 0}
    total = len(deck.cards)
    started = time.perf_counter()
    try:
        for i, card in enumerate(deck.cards, 1):
            status = _one(tts, sf, deck, card, files, manifest, opts)
            counts[status[0]] += 1
            line = f"[{i:{len(str(total))}d}/{total}] {card.kana}  {status[1]}"
            if status[0] == "failed":
                print(_("karuta voice: {deck}: card {number} {line}").format(deck=folder, number=card.number, line=line),
                      file=sys.stderr)
            else:
                say(line)
    finally:
        # Save what was made even when stopped halfway, so the files are known as generated.
        _prune(deck, files)
        manifest.update({
            "format": voicepack.MANIFEST_FORMAT,
            "about": "Made by `karuta voice`. A file listed here whose bytes still match is a generated "
                     "reading; any other .ogg in this folder is a recording and wins.",
            "generator": f"pyopenjtalk-plus {_version('pyopenjtalk-plus')}",
            "sample_rate": SAMPLE_RATE,
            "files": files,
        })
        if files or os.path.exists(voicepack.manifest_path(str(folder))):
            voicepack.save_manifest(str(folder), manifest)
    size = sum(os.path.getsize(deck.path(rel)) for rel in files if os.path.isfile(deck.path(rel)))
    print(_("done in {seconds} s: {made} made, {unchanged} unchanged, {recordings} recordings kept, {no_text} without "
            "reading text, {failed} failed; voice pack {kb} KB in {folder}").format(
                seconds=f"{time.perf_counter() - started:.0f}", made=counts["made"], unchanged=counts["unchanged"],
                recordings=counts["recording"], no_text=counts["no text"], failed=counts["failed"], kb=size // 1024,
                folder=folder / "audio"))
    return 1 if counts["failed"] else 0


def _conventional(card: Card) -> set[str]:
    n = card.number
    return {f"audio/{n}.ogg", f"audio/{n:02d}.ogg", f"audio/{n:03d}.ogg"}


def _one(tts, sf, deck: Deck, card: Card, files: dict, manifest: dict, opts) -> tuple[str, str]:
    text, protected = voicepack.speech_units(card.reading)
    if not text:
        return "no text", _("no reading text (an image-only card): record it as audio/{number}.ogg").format(
            number=card.number)
    target = card.audio or f"audio/{card.number}.ogg"
    path = deck.path(target)
    exists = os.path.isfile(path)
    generated = exists and voicepack.is_generated(deck.folder, target, manifest)
    if exists and not generated:
        if target not in _conventional(card):
            return "recording", _("uses {file} (listed in deck.yaml); remove that line to use a generated voice").format(
                file=target)
        if not opts.force:
            files.pop(target, None)
            return "recording", _("recording kept ({file}; --force replaces it)").format(file=target)
        kept = _back_up(deck, target)
        files.pop(target, None)
        note = _(" (the recording was moved to {file})").format(file=kept)
    else:
        note = ""
        entry = files.get(target, {})
        if (generated and not opts.force and entry.get("text") == text and entry.get("rate") == opts.rate
                and entry.get("process") == PROCESS_VERSION):
            return "unchanged", _("unchanged ({file})").format(file=target)
    try:
        seconds = _synthesise(tts, sf, text, protected, opts.rate, path)
    except Exception as exc:  # one bad card must not stop the other 43
        return "failed", _("FAILED: {text}: {problem}").format(text=text, problem=exc)
    files[target] = {"card": card.number, "text": text, "rate": opts.rate, "process": PROCESS_VERSION,
                     "seconds": round(seconds, 3), "sha256": voicepack.file_digest(path)}
    return "made", f"{seconds:4.1f} s {os.path.getsize(path) // 1024:3d} KB  {text}{note}"


def _back_up(deck: Deck, relative: str) -> str:
    src = Path(deck.path(relative))
    dest_dir = src.parent / "replaced"
    dest_dir.mkdir(exist_ok=True)
    dest = dest_dir / src.name
    n = 1
    while dest.exists():
        dest = dest_dir / f"{src.stem}.{n}{src.suffix}"
        n += 1
    shutil.move(str(src), str(dest))
    return str(dest.relative_to(Path(deck.folder)))


def _prune(deck: Deck, files: dict) -> None:
    """Forget entries whose file is gone or was replaced by a recording."""
    manifest = {"files": dict(files)}
    for rel in list(files):
        if not voicepack.is_generated(deck.folder, rel, manifest):
            del files[rel]


# ---------------------------------------------------------------- sound processing (numpy)


def _synthesise(tts, sf, text: str, protected: tuple[bool, ...], rate: float, path: str) -> float:
    import numpy as np

    with contextlib.redirect_stdout(io.StringIO()):
        njd = tts.run_frontend(text)
        fix_particles(njd, text, protected)
        wave, sr = tts.synthesize(tts.make_label(njd), speed=rate)
    x = np.asarray(wave, dtype=np.float64) / 32768.0  # OpenJTalk gives int16-scaled floats (may overshoot)
    if x.size == 0 or not np.isfinite(x).all():
        raise ToolError(_("the synthesiser returned no sound"))
    x = x - x.mean()
    x = resample(x, int(sr), SAMPLE_RATE)
    x = trim(x, SAMPLE_RATE)
    x = level(x, SAMPLE_RATE)
    seconds = x.size / SAMPLE_RATE
    if not MIN_S <= seconds <= MAX_S:
        raise ToolError(_("the reading lasts {seconds} s (expected {min}-{max} s)").format(
            seconds=f"{seconds:.1f}", min=MIN_S, max=MAX_S))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".part"
    try:
        sf.write(tmp, x.astype(np.float32), SAMPLE_RATE, format="OGG", subtype="VORBIS",
                 compression_level=QUALITY)
        info = voicepack.ogg_info(tmp)  # check what was written before it replaces anything
        if info.codec != "vorbis" or info.channels != 1 or abs(info.seconds - seconds) > 0.1:
            raise ToolError(_("the encoder wrote an unexpected file ({info})").format(info=info))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return info.seconds


def fix_particles(njd: list, text: str, protected: tuple[bool, ...]) -> list:
    """Undo the synthesiser's particle guesses where the kana is part of a word.

    Written in kana only, 「うめのはな」 or 「あきのはた」 is parsed with a topic particle は
    and read "wa". Where the deck spelled the word out in furigana, or the は sits
    inside a phrase right after の (の花, の葉, の畑, の橋 ...) or before an ending the
    parser split off, it is read "ha"; a は that closes a phrase stays a particle.
    """
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for node in njd:
        s = node.get("string", "")
        if s and text.startswith(s, pos):
            spans.append((pos, pos + len(s)))
            pos += len(s)
        else:
            spans.append(None)
    for i, node in enumerate(njd):
        literal = {"は": "ハ", "へ": "ヘ"}.get(node.get("string", ""))
        if literal is None or node.get("pron") == literal:
            continue
        span = spans[i]
        if span is not None and any(protected[span[0]:span[1]]):
            node["pron"] = literal
            continue
        if literal != "ハ":
            continue  # へ between words is nearly always the particle
        nxt = njd[i + 1] if i + 1 < len(njd) else None
        if nxt is None or nxt.get("pos") == "記号":
            continue
        prev = njd[i - 1].get("string", "") if i else ""
        if prev.endswith("の") or nxt.get("pos") in ("助詞", "助動詞"):
            node["pron"] = literal
    return njd


def resample(x, sr_in: int, sr_out: int):
    """Band-limited resampling in the frequency domain, with a soft edge below the new Nyquist."""
    import numpy as np

    if sr_in == sr_out:
        return x
    n = x.size
    m = max(1, int(round(n * sr_out / sr_in)))
    spectrum = np.fft.rfft(x)
    keep = min(spectrum.size, m // 2 + 1)
    spectrum = spectrum[:keep].copy()
    edge = max(1, keep // 20)  # a raised-cosine roll-off over the top 5% stops ringing
    spectrum[-edge:] *= 0.5 + 0.5 * np.cos(np.linspace(0, np.pi, edge))
    return np.fft.irfft(spectrum, m) * (m / n)


def _frame_db(x, sr: int):
    import numpy as np

    hop = max(1, int(sr * 0.01))
    frames = x[: x.size // hop * hop].reshape(-1, hop) if x.size >= hop else x.reshape(1, -1)
    rms = np.sqrt(np.mean(frames ** 2, axis=1) + 1e-12)
    return 20 * np.log10(rms), hop


def trim(x, sr: int):
    """Cut the silence before and after the speech, keeping a short lead and tail, with short fades."""
    import numpy as np

    db, hop = _frame_db(x, sr)
    active = np.nonzero(db > max(db.max() + GATE_DB, -70.0))[0]
    if active.size == 0:
        raise ToolError(_("the synthesiser returned only silence"))
    start = max(0, active[0] * hop - int(LEAD_S * sr))
    end = min(x.size, (active[-1] + 1) * hop + int(TAIL_S * sr))
    y = x[start:end].copy()
    fade = min(int(FADE_S * sr), y.size // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        y[:fade] *= ramp
        y[-fade:] *= ramp[::-1]
    return y


def level(x, sr: int):
    """Same speech loudness for every card (RMS of the voiced frames), never above the peak limit."""
    import numpy as np

    db, hop = _frame_db(x, sr)
    voiced = db > db.max() + GATE_DB / 2
    frames = x[: db.size * hop].reshape(-1, hop) if x.size >= hop else x.reshape(1, -1)
    rms = float(np.sqrt(np.mean(frames[voiced] ** 2))) if voiced.any() else float(np.sqrt(np.mean(x ** 2)))
    gain = 10 ** (TARGET_RMS_DB / 20) / max(rms, 1e-9)
    peak = float(np.abs(x).max())
    gain = min(gain, 10 ** (PEAK_DB / 20) / max(peak, 1e-9))
    return x * gain


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:]))
