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

Random input (``Toucher``) is posted as real pygame events: taps, drags and multi-finger
touches, with a few key presses, wheel turns and focus changes. The input-storm tests and the
benchmark reuse it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import traceback

GROWTH_LIMIT = 0.05       # fraction of RSS after warm-up
WARMUP_SHARE = 1 / 6      # of the run
JUDGED_FROM_MINUTES = 20  # simulated minutes; shorter runs report memory without a verdict on it
RESULT_MARK = "@@karuta-soak@@ "

# Keys a child (or a keyboard on a desktop) may press; the scenes decide what they mean.
_KEY_NAMES = ("escape", "return", "space", "backspace", "left", "right", "up", "down", "tab", "a", "q", "1",
              "f11", "ac back")


def memory_mb() -> dict:
    """Current and peak resident memory of this process, in MB (None when the OS does not say)."""
    out = {"rss": None, "hwm": None}
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    out["rss"] = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    out["hwm"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    if out["hwm"] is None:
        try:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            out["hwm"] = peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
        except (ImportError, OSError):
            pass
    return out


_mallinfo = None


def live_heap_mb() -> float | None:
    """Bytes the C allocator has handed out and not got back (glibc only), in MB; else None.

    RSS also holds memory that was freed but not returned to the system (heap fragmentation):
    it creeps up for a while after every burst of big surfaces and then levels off. A leak is
    memory still in use, so the soak judges growth on this figure and reports RSS beside it.
    Python's small objects live in their own arenas; ``sys.getallocatedblocks()`` covers them.
    """
    global _mallinfo
    if _mallinfo is None:
        _mallinfo = False
        try:
            import ctypes

            class _Info(ctypes.Structure):
                _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                           "fsmblks", "uordblks", "fordblks", "keepcost")]

            libc = ctypes.CDLL("libc.so.6")
            libc.mallinfo2.restype = _Info
            _mallinfo = libc.mallinfo2
        except (OSError, AttributeError, ImportError):
            pass
    if not _mallinfo:
        return None
    info = _mallinfo()
    return (info.uordblks + info.hblkhd) / (1024 * 1024)


class Toucher:
    """Random input as real pygame events, spread over frames the way hands produce it.

    ``schedule(frame)`` starts one gesture (its events are due over the next few frames);
    ``post_due(frame)`` posts what is due. ``storm(n)`` posts n gestures at once, squeezed into
    a few frames; ``release_all()`` lifts every finger and the mouse button still down.
    """

    def __init__(self, rng: random.Random, size: tuple[int, int], keys: bool = True, odd: bool = True):
        import pygame

        self.pg = pygame
        self.rng = rng
        self.w, self.h = size
        self.keys = keys
        self.odd = odd  # off-screen positions, wheel, focus changes
        self._due: list[tuple[int, object]] = []
        self._fingers: set[int] = set()
        self._mouse_down = False
        self._next_finger = 0
        self.posted = 0
        self.key_codes = []
        for name in _KEY_NAMES:
            try:
                self.key_codes.append(pygame.key.key_code(name))
            except (ValueError, pygame.error):
                pass

    # ---------------------------------------------------------------- building events

    def _pos(self) -> tuple[int, int]:
        if self.odd and self.rng.random() < 0.03:  # fingers slip off the glass
            return self.rng.randint(-40, self.w + 40), self.rng.randint(-40, self.h + 40)
        return self.rng.randrange(self.w), self.rng.randrange(self.h)

    def _finger(self, kind: str, pos, fid: int, dx: float = 0.0, dy: float = 0.0):
        etype = {"down": self.pg.FINGERDOWN, "up": self.pg.FINGERUP, "move": self.pg.FINGERMOTION}[kind]
        return self.pg.event.Event(etype, x=pos[0] / self.w, y=pos[1] / self.h, dx=dx, dy=dy,
                                   finger_id=fid, touch_id=1, pressure=1.0)

    def _mouse(self, kind: str, pos, button: int = 1):
        pg = self.pg
        if kind == "move":
            return pg.event.Event(pg.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(1, 0, 0), touch=False)
        etype = pg.MOUSEBUTTONDOWN if kind == "down" else pg.MOUSEBUTTONUP
        return pg.event.Event(etype, pos=pos, button=button, touch=False)

    def _new_finger(self) -> int:
        # Every touch gets a new id, as on iOS and SDL; the game folds ids into 1..1000.
        self._next_finger = (self._next_finger + 1) % 100_000
        return self._next_finger

    def _at(self, frame: int, event) -> None:
        self._due.append((frame, event))

    def schedule(self, frame: int) -> None:
        """Start one random gesture at ``frame``."""
        r = self.rng.random()
        if r < 0.35:
            self._tap(frame)
        elif r < 0.60:
            self._drag(frame)
        elif r < 0.85:
            self._multi(frame)
        elif r < 0.95 and self.keys and self.key_codes:
            key = self.rng.choice(self.key_codes)
            char = self.rng.choice(("", "a", "あ", " ", "\r"))
            self._at(frame, self.pg.event.Event(self.pg.KEYDOWN, key=key, mod=0, unicode=char, scancode=0))
            self._at(frame + 1, self.pg.event.Event(self.pg.KEYUP, key=key, mod=0, unicode=char, scancode=0))
        elif self.odd:
            self._odd(frame)
        else:
            self._tap(frame)

    def _tap(self, frame: int) -> None:
        pos = self._pos()
        hold = self.rng.randint(0, 8)
        wobble = (pos[0] + self.rng.randint(-6, 6), pos[1] + self.rng.randint(-6, 6))
        if self.rng.random() < 0.5:
            fid = self._new_finger()
            self._at(frame, self._finger("down", pos, fid))
            self._at(frame + hold, self._finger("up", wobble, fid))
        else:
            self._at(frame, self._mouse("down", pos))
            self._at(frame + hold, self._mouse("up", wobble))

    def _drag(self, frame: int) -> None:
        start, end = self._pos(), self._pos()
        steps = self.rng.randint(1, 12)
        finger = self.rng.random() < 0.6
        fid = self._new_finger()
        self._at(frame, self._finger("down", start, fid) if finger else self._mouse("down", start))
        for i in range(1, steps + 1):
            p = (start[0] + (end[0] - start[0]) * i // steps, start[1] + (end[1] - start[1]) * i // steps)
            self._at(frame + i, self._finger("move", p, fid, 0.01, 0.01) if finger else self._mouse("move", p))
        self._at(frame + steps + 1, self._finger("up", end, fid) if finger else self._mouse("up", end))

    def _multi(self, frame: int) -> None:
        n = self.rng.randint(2, 5)
        ids = [self._new_finger() for _ in range(n)]
        for fid in ids:
            pos = self._pos()
            self._at(frame + self.rng.randint(0, 2), self._finger("down", pos, fid))
            if self.rng.random() < 0.4:
                self._at(frame + 2, self._finger("move", self._pos(), fid, 0.02, 0.0))
            self._at(frame + self.rng.randint(3, 10), self._finger("up", pos, fid))

    def _odd(self, frame: int) -> None:
        pg = self.pg
        choice = self.rng.randrange(4)
        if choice == 0:
            self._at(frame, pg.event.Event(pg.MOUSEWHEEL, x=0, y=self.rng.choice((-3, -1, 1, 3)), flipped=False,
                                           precise_x=0.0, precise_y=1.0, touch=False))
        elif choice == 1:
            pos = self._pos()
            self._at(frame, self._mouse("down", pos, button=self.rng.choice((2, 3, 4, 5))))
            self._at(frame + 1, self._mouse("up", pos, button=self.rng.choice((2, 3, 4, 5))))
        elif choice == 2:
            self._at(frame, pg.event.Event(pg.WINDOWFOCUSLOST))
            self._at(frame + 3, pg.event.Event(pg.WINDOWFOCUSGAINED))
        else:  # an UP whose DOWN was never seen (the app was busy, or the finger came from outside)
            self._at(frame, self._finger("up", self._pos(), self._new_finger()))

    # ---------------------------------------------------------------- posting

    def post_due(self, frame: int) -> int:
        """Post every event due at or before ``frame``; returns how many were posted."""
        if not self._due:
            return 0
        now = [e for f, e in self._due if f <= frame]
        if not now:
            return 0
        self._due = [(f, e) for f, e in self._due if f > frame]
        for event in now:
            self._track(event)
            self.pg.event.post(event)
        self.posted += len(now)
        return len(now)

    def _track(self, event) -> None:
        pg = self.pg
        if event.type == pg.FINGERDOWN:
            self._fingers.add(event.finger_id)
        elif event.type == pg.FINGERUP:
            self._fingers.discard(event.finger_id)
        elif event.type == pg.MOUSEBUTTONDOWN and event.button == 1:
            self._mouse_down = True
        elif event.type == pg.MOUSEBUTTONUP and event.button == 1:
            self._mouse_down = False

    def storm(self, gestures: int, frame: int = 0, spread: int = 3) -> None:
        """Schedule ``gestures`` gestures starting within ``spread`` frames of ``frame``."""
        for _ in range(gestures):
            self.schedule(frame + self.rng.randrange(max(1, spread)))

    @property
    def pending(self) -> int:
        return len(self._due)

    def release_all(self) -> None:
        """Drop what is still due and lift every finger and the mouse button (a clean hand-off)."""
        self._due.clear()
        for fid in sorted(self._fingers):
            self.pg.event.post(self._finger("up", (self.w // 2, self.h - 2), fid))
        self._fingers.clear()
        if self._mouse_down:
            self.pg.event.post(self._mouse("up", (self.w // 2, self.h - 2)))
            self._mouse_down = False


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
            report["heap"] = _growth([v / 1e6 for f, v in heap if f >= warmup], "MB")
        # tracemalloc only sees what was allocated after it started (a few hundred KB of Python objects
        # in a warm process): its growth is reported to find where memory goes, not judged.
        report["memory_judged"] = memory_judged(report["minutes"])
        report["ok"] = report["error"] is None and (not report["memory_judged"] or _within(report["memory"]))
        pygame.event.clear()
        return report
    finally:
        if trace:
            tracemalloc.stop()
        if tmp is not None:
            tmp.cleanup()


def memory_judged(minutes: float) -> bool:
    """Whether a run this long is judged on memory growth (see the module docstring)."""
    return minutes >= JUDGED_FROM_MINUTES


def _r(v):
    return None if v is None else round(v, 2)


def memory_report(samples: list[tuple]) -> dict:
    """Growth over the measured window (after warm-up) of RSS, the live heap and Python's blocks.

    The verdict (``leak_growth``) is the live heap's growth beyond what the bounded caches added,
    or RSS's where the live heap cannot be read; Python's block count must not grow 5% either.
    """
    rss = _growth([x[1] for x in samples if x[1] is not None], "MB")
    live = _growth([x[2] for x in samples if x[2] is not None], "MB")
    caches = _growth([x[3] for x in samples], "MB")
    blocks = _growth([x[4] for x in samples], "blocks")
    out = {"rss_start": rss["start"], "rss_end": rss["end"], "rss_growth": rss["growth"],
           "live_start": live["start"], "live_end": live["end"], "caches_start": caches["start"],
           "caches_end": caches["end"], "python_blocks_growth": blocks["growth"], "peak_mb": memory_mb()["hwm"]}
    # Caches with a byte ceiling (text, card faces, panels) still fill when a screen is first shown
    # late in a run; that growth has a ceiling by design, so it is taken out of the verdict.
    base = live if live["start"] else rss
    if base["start"] and caches["start"] is not None:
        added = caches["end"] - caches["start"]
        out["leak_growth"] = round((base["end"] - base["start"] - added) / base["start"], 4)
        out["leak_measure"] = "live heap" if live["start"] else "RSS"
    else:
        out["leak_growth"] = None
    return out


def _growth(values: list[float], unit: str) -> dict:
    """Growth of the floor from the start of the measured window to its end (lowest of the first/last fifth).

    A screen that is open when a sample is taken holds its surfaces for a moment; a leak raises
    the floor that memory falls back to, so the floors are compared, not single samples.
    """
    if len(values) < 2:
        return {"unit": unit, "start": None, "end": None, "growth": None}
    k = max(1, len(values) // 5)
    start = min(values[:k])
    end = min(values[-k:])
    return {"unit": unit, "start": round(start, 3), "end": round(end, 3), "max": round(max(values), 3),
            "growth": round((end - start) / start, 4) if start else None}


def _within(measure: dict) -> bool:
    return all(g is None or g < GROWTH_LIMIT for g in (measure["leak_growth"], measure["python_blocks_growth"]))


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
