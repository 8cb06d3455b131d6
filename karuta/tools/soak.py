"""Long sessions: each scene driven by autoplay plus random child input for N minutes of play.

``karuta soak`` runs every scene of the registry (or the ones named with ``--scene``), each in
its own process so memory and caches are separate. Time is simulated: one frame advances
``scale / 60`` seconds, so ``--minutes 30 --scale 1`` is 108000 real frames per scene, and
``--scale 10`` covers the same 30 minutes of play in 10800 frames of 1/6 s each (motion in the
game depends on elapsed time only, so a bigger step is the same session, sampled more coarsely).

A run fails when the game raises, or when memory in use grows by 5% or more between the end
of the warm-up (the first sixth of the run: caches fill as the deck is visited) and the end.
Memory is judged only in runs of at least JUDGED_FROM_MINUTES of play: in a shorter run the
bounded caches are still filling in steps (each new card's faces and texts; a celebration holds
about 5 MB while it is open), which is more than 5% of the window; such a run reports its
figures and fails only on an exception (docs/performance.md, "Soak").
"In use" is the C heap's live bytes (glibc's mallinfo2; RSS where that is not available) minus
what the bounded caches (text, card faces, panels; each has a byte ceiling) added meanwhile,
and Python's allocated block count. RSS is reported too: it also holds freed memory the
allocator keeps (fragmentation), which creeps and then levels off; see docs/performance.md.

Random input (``Toucher``, soak_input.py) is posted as real pygame events: taps, drags and
multi-finger touches, with a few key presses, wheel turns and focus changes. The input-storm
tests and the benchmark reuse it. The memory figures and the verdict live in soak_memory.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import traceback

from .soak_input import Toucher
from .soak_memory import (JUDGED_FROM_MINUTES, growth, live_heap_mb, memory_judged, memory_mb, memory_report,
                          within_limit)

WARMUP_SHARE = 1 / 6      # of the run
RESULT_MARK = "@@karuta-soak@@ "


# -------------------------------------------------------------------- one soak run


def make_app(scene: str, *, deck: str | None = None, decks_dir: str | None = None, data_dir: str,
             seed: int = 1, autoplay: bool = True):
    """A headless App showing ``scene`` (as the game would start with --scene)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from ..app import options
    from ..app.game import App

    argv = ["--headless", "--seed", str(seed), "--data-dir", data_dir, "--scene", scene]
    if autoplay:
        argv.append("--autoplay")
    if deck:
        argv += ["--deck", deck]
    if decks_dir:
        argv += ["--decks-dir", decks_dir]
    app = App(options.parse(argv))
    app.scenes.push(app.make_scene(scene))
    return app


def _left(app, scene: str) -> bool:
    """The child went back to the title screen (or nothing is shown): the mode under test was left."""
    stack = list(app.scenes)
    return not stack or (scene != "title" and getattr(stack[0], "name", "") == "title")


def cache_bytes(app) -> int:
    """Memory held by the app's bounded caches: text, card faces and their image masters, panels, open fonts."""
    from ..app import ui

    total = getattr(app.fonts, "cached_bytes", 0) + getattr(app.faces, "cached_bytes", 0)
    total += getattr(app.faces, "master_bytes", 0)
    from ..app import text

    total += len(getattr(app.fonts, "_fonts", ())) * getattr(text, "FONT_BYTES", 0)  # an estimate per open font
    return total + (ui.cached_bytes() if hasattr(ui, "cached_bytes") else 0)


def soak(scene: str, *, minutes: float = 30.0, scale: float = 1.0, seed: int = 1, deck: str | None = None,
         decks_dir: str | None = None, data_dir: str | None = None, gestures_per_second: float = 1.5,
         trace: bool = False, max_frames: int | None = None, app=None, warmup_share: float = WARMUP_SHARE) -> dict:
    """Play ``scene`` for ``minutes`` of simulated time; returns a report (see the module docstring).

    ``trace`` also reports tracemalloc's figure (slower; pygame's pixel buffers are not Python
    allocations, so it is information, not part of the verdict). ``app`` reuses an App (tests).
    """
    import tempfile

    import pygame

    dt = scale / 60.0
    frames = max(1, int(round(minutes * 60.0 / dt)))
    if max_frames is not None:
        frames = min(frames, max_frames)
    warmup = max(1, int(frames * warmup_share))
    sample_every = max(1, frames // 400)
    rng = random.Random(seed)
    report: dict = {"scene": scene, "deck": deck, "minutes": round(frames * dt / 60.0, 3), "scale": scale,
                    "dt": dt, "frames": frames, "seed": seed, "warmup_frames": warmup, "error": None}
    if trace:
        import tracemalloc

        tracemalloc.start()
    tmp = None
    try:
        if app is None:
            if data_dir is None:
                tmp = tempfile.TemporaryDirectory(prefix="karuta-soak-")
                data_dir = tmp.name
            app = make_app(scene, deck=deck, decks_dir=decks_dir, data_dir=data_dir, seed=seed)
        report["deck"] = app.deck.id if app.deck else None
        toucher = Toucher(rng, app.size)
        gesture_p = min(1.0, gestures_per_second * dt)
        resets = quits = 0
        shares: dict[str, int] = {}
        # (frame, RSS MB, live heap MB, bounded caches MB, Python blocks), kept in a preallocated
        # array so that the measuring itself does not add Python blocks while it counts them.
        import array

        slots = frames // sample_every + 2
        store = array.array("d", bytes(8 * 5 * slots))
        taken = 0
        heap: list[tuple[int, int]] = []
        t0 = time.perf_counter()
        frame = 0
        try:
            for frame in range(frames):
                if rng.random() < gesture_p:
                    toucher.schedule(frame)
                toucher.post_due(frame)
                app.step(dt)
                top = app.scenes.top
                name = getattr(top, "name", type(top).__name__) if top is not None else "-"
                shares[name] = shares.get(name, 0) + 1
                if not app.running:  # a scene asked to quit: count it and keep playing, as a new session would
                    quits += 1
                    app.running = True
                    toucher.release_all()
                    app.scenes.reset(app.make_scene(scene))
                elif _left(app, scene):  # back at the title: start the mode again, as the teacher would
                    resets += 1
                    toucher.release_all()
                    app.scenes.reset(app.make_scene(scene))
                if (frame % sample_every == 0 or frame == frames - 1) and taken < slots:
                    rss_now, live_now = memory_mb()["rss"], live_heap_mb()
                    store[5 * taken:5 * taken + 5] = array.array("d", (
                        frame, -1.0 if rss_now is None else rss_now, -1.0 if live_now is None else live_now,
                        cache_bytes(app) / (1024 * 1024), sys.getallocatedblocks()))
                    taken += 1
                    if trace:
                        heap.append((frame, tracemalloc.get_traced_memory()[0]))
        except Exception:
            report["error"] = traceback.format_exc(limit=12)
            report["error_frame"] = frame
        report["seconds"] = round(time.perf_counter() - t0, 2)
        report["frames_run"] = frame + 1
        report["events"] = toucher.posted
        report["scene_resets"] = resets
        report["quits"] = quits
        report["top_scenes"] = {k: round(v / max(1, frame + 1), 3) for k, v in sorted(shares.items())}
        report["caches"] = {"text": len(getattr(app.fonts, "_cache", ())),
                            "faces": len(getattr(app.faces, "_cache", ()))}
        samples = [tuple(None if v < 0 else v for v in store[5 * i:5 * i + 5]) for i in range(taken)]
        samples = [(int(f), r, v, c, int(b)) for f, r, v, c, b in samples]
        report["memory"] = memory_report([x for x in samples if x[0] >= warmup])
        report["memory"]["samples"] = [[f, _r(r), _r(v), _r(c), b] for f, r, v, c, b in
                                       samples[:: max(1, len(samples) // 60)]]
        if trace:
            report["heap"] = growth([v / 1e6 for f, v in heap if f >= warmup], "MB")
        # tracemalloc only sees what was allocated after it started (a few hundred KB of Python objects
        # in a warm process): its growth is reported to find where memory goes, not judged.
        report["memory_judged"] = memory_judged(report["minutes"])
        report["ok"] = report["error"] is None and (not report["memory_judged"] or within_limit(report["memory"]))
        pygame.event.clear()
        return report
    finally:
        if trace:
            tracemalloc.stop()
        if tmp is not None:
            tmp.cleanup()


def _r(v):
    return None if v is None else round(v, 2)


# -------------------------------------------------------------------- processes


def run_in_subprocess(scene: str, *, minutes: float, scale: float, seed: int = 1, deck: str | None = None,
                      decks_dir: str | None = None, timeout: float | None = None) -> dict:
    """One soak in a fresh interpreter (separate memory and caches); the report, or an error report."""
    import subprocess

    args = ["--child", "--scene", scene, "--minutes", repr(minutes), "--scale", repr(scale), "--seed", str(seed)]
    if deck:
        args += ["--deck", deck]
    if decks_dir:
        args += ["--decks-dir", decks_dir]
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    code = "import sys; from karuta.tools import soak; sys.exit(soak.run(sys.argv[1:]))"
    try:
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                             timeout=timeout, cwd=_project_root())
    except subprocess.TimeoutExpired:
        return {"scene": scene, "deck": deck, "ok": False, "error": f"timed out after {timeout:.0f} s"}
    for line in reversed(out.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    tail = (out.stderr or out.stdout).strip().splitlines()[-12:]
    return {"scene": scene, "deck": deck, "ok": False,
            "error": f"the soak process ended with code {out.returncode}: " + "\n".join(tail)}


def _project_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def describe(report: dict) -> str:
    """One line a person can read."""
    head = f"{report.get('scene', '?'):<12} {str(report.get('deck') or '-'):<14}"
    if report.get("error") and "memory" not in report:
        return f"{head} FAILED: {report['error'].strip().splitlines()[-1]}"
    mem = report.get("memory", {})
    verdict = "ok" if report.get("ok") else "FAILED"
    if report.get("ok") and not report.get("memory_judged", True):
        verdict = f"ok (no exception; memory not judged under {JUDGED_FROM_MINUTES} min)"

    def pct(v):
        return "n/a" if v is None else f"{v * 100:+.1f}%"

    line = (f"{head} {report['minutes']:>5.1f} min/{report['frames_run']:>6} frames {report['events']:>6} events  "
            f"{mem.get('leak_measure', 'memory')} {pct(mem.get('leak_growth'))} beyond caches, "
            f"Python blocks {pct(mem.get('python_blocks_growth'))}, RSS {_f1(mem.get('rss_start'))}->"
            f"{_f1(mem.get('rss_end'))} MB ({pct(mem.get('rss_growth'))}), peak {_f1(mem.get('peak_mb'))} MB, "
            f"restarted {report['scene_resets']}x  {verdict}")
    if report.get("error"):
        line += f"\n    error at frame {report.get('error_frame')}: {report['error'].strip().splitlines()[-1]}"
    return line


def _f1(v) -> str:
    return "?" if v is None else f"{v:.1f}"


def run(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="karuta soak", description=(
        "Play each scene for N simulated minutes with autoplay and random touches; fail on an exception or, in "
        f"runs of {JUDGED_FROM_MINUTES} minutes or more, on memory growth of 5% or more after warm-up. Each scene "
        "runs in its own process."))
    p.add_argument("--scene", action="append", metavar="NAME", help="scene to soak (repeatable); default: every scene")
    p.add_argument("--deck", metavar="ID", help="deck to play (default: the game's default deck)")
    p.add_argument("--decks-dir", metavar="DIR", help="where decks are looked for")
    p.add_argument("--minutes", type=float, default=30.0, help="simulated minutes of play per scene (default 30)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="simulated seconds per frame x 60 (default 1: 1/60 s per frame, 108000 frames for 30 min)")
    p.add_argument("--seed", type=int, default=1, help="random input and game seed")
    p.add_argument("--trace", action="store_true",
                   help="also report the growth of Python allocations made after start (tracemalloc; slower)")
    p.add_argument("--json", metavar="FILE", help="write the reports as JSON ('-' for stdout)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.minutes <= 0 or args.scale <= 0:
        p.error("--minutes and --scale must be positive")
    from ..modes import registry

    names = registry.scene_names()
    wanted = args.scene or names
    unknown = [s for s in wanted if s not in names]
    if unknown:
        print(f"karuta soak: unknown scene(s) {', '.join(unknown)}; choose from: {', '.join(names)}", file=sys.stderr)
        return 2
    if args.child:
        report = soak(wanted[0], minutes=args.minutes, scale=args.scale, seed=args.seed, deck=args.deck,
                      decks_dir=args.decks_dir, trace=args.trace)
        print(RESULT_MARK + json.dumps(report, ensure_ascii=False))
        return 0 if report["ok"] else 1
    frames = int(round(args.minutes * 3600 / args.scale))
    print(f"soak: {len(wanted)} scene(s), {args.minutes:g} simulated minutes each = {frames} frames of "
          f"{args.scale / 60 * 1000:.1f} ms simulated time, random input ~1.5 gestures/s, seed {args.seed}")
    reports = []
    for scene in wanted:
        report = run_in_subprocess(scene, minutes=args.minutes, scale=args.scale, seed=args.seed, deck=args.deck,
                                   decks_dir=args.decks_dir)
        reports.append(report)
        print(describe(report), flush=True)
    if args.json:
        text = json.dumps(reports, ensure_ascii=False, indent=1)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w", encoding="utf-8") as f:
                f.write(text)
    failed = [r for r in reports if not r.get("ok")]
    print(f"soak: {len(reports) - len(failed)} of {len(reports)} passed")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:]))