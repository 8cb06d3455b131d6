"""What ``karuta bench`` measures, each in a fresh interpreter: start-up, frame times, the web bundle.

The frame-time child (``child_frames``) runs in its own process so that memory and caches of
one scene never help or hurt another; the parent reads the JSON it prints after RESULT_MARK.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

RESULT_MARK = "@@karuta-bench@@ "
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The start-up child runs the real entry point (karuta.app.game.main) and only watches App:
# nothing of the benchmark is imported before the game, so the figure is the game's own.
_STARTUP_CHILD = r"""
import asyncio, json, sys, time
t_python = time.perf_counter()
from karuta.app import game
t_imported = time.perf_counter()
seen = {}
_init = game.App.__init__
def _watch(self, *a, **k):
    _init(self, *a, **k)
    seen["app"] = self
    seen["app_ready"] = time.perf_counter()
game.App.__init__ = _watch
code = asyncio.run(game.main(sys.argv[2:]))
app = seen.get("app")
hwm = None
try:
    with open("/proc/self/status") as f:
        hwm = [int(l.split()[1]) / 1024 for l in f if l.startswith("VmHWM:")][0]
except Exception:
    pass
print(sys.argv[1] + json.dumps({"code": code, "python": t_python, "imported": t_imported,
      "app_started": getattr(app, "started", None), "app_ready": seen.get("app_ready"),
      "first_frame": getattr(app, "first_frame_at", None), "deck": getattr(getattr(app, "deck", None), "id", None),
      "hwm_mb": hwm}))
"""


# ==================================================================== helpers


def percentiles(values: list[float]) -> dict:
    """p50/p95/p99/max/mean (nearest rank), in the unit of ``values``."""
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    s = sorted(values)
    n = len(s)

    def rank(q: float) -> float:
        return s[min(n - 1, max(0, math.ceil(round(q * n, 6)) - 1))]

    return {"n": n, "p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": s[-1], "mean": sum(s) / n}


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "cpu": None, "load": None, "python": sys.version.split()[0],
            "platform": sys.platform}
    try:
        info["usable_cpus"] = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        pass
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info["load"] = load()
    try:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        info["pygame"] = pygame.version.ver
        info["sdl"] = ".".join(map(str, pygame.get_sdl_version()))
    except Exception:  # pragma: no cover - pygame is a dependency
        pass
    return info


def load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def child_env() -> dict:
    return dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")


def _child(code: str, args: list[str], timeout: float) -> tuple[dict | None, str]:
    """Run python -c code args...; the JSON it printed after RESULT_MARK, and stderr's tail on failure."""
    import subprocess

    try:
        out = subprocess.run([sys.executable, "-c", code, RESULT_MARK, *args], capture_output=True, text=True,
                             env=child_env(), timeout=timeout, cwd=PROJECT_ROOT)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    for line in reversed(out.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):]), ""
    tail = "\n".join((out.stderr or out.stdout).strip().splitlines()[-8:])
    return None, f"exit code {out.returncode}: {tail}"


def _deck_args(deck: dict) -> list[str]:
    args = ["--deck", deck["id"]]
    if deck.get("decks_dir"):
        args += ["--decks-dir", deck["decks_dir"]]
    return args


# ==================================================================== start-up


def measure_startup(scene: str, deck: dict, data_dir: str, repeats: int = 3) -> dict:
    """Process start to the first frame on screen, median of ``repeats`` fresh processes."""
    runs, error = [], ""
    for _ in range(repeats):
        argv = ["--headless", "--frames", "1", "--seed", "1", "--scene", scene, "--data-dir", data_dir,
                *_deck_args(deck)]
        t0 = time.perf_counter()
        result, error = _child(_STARTUP_CHILD, argv, timeout=120)
        t_end = time.perf_counter()
        if result is None or result.get("first_frame") is None:
            break
        first = result["first_frame"]
        if not t0 <= first <= t_end:  # a clock not shared between processes: fall back to the parent's view
            first = t_end
        runs.append({"first_frame_s": first - t0, "python_s": result["python"] - t0,
                     "imports_s": result["imported"] - result["python"],
                     "app_init_s": (result["app_ready"] or first) - (result["app_started"] or result["imported"]),
                     "hwm_mb": result.get("hwm_mb"), "deck_used": result.get("deck")})
    if not runs:
        return {"scene": scene, "deck": deck["id"], "error": error or "no first frame"}
    runs.sort(key=lambda r: r["first_frame_s"])
    mid = runs[len(runs) // 2]
    return {"scene": scene, "deck": deck["id"], "repeats": len(runs), **{k: mid[k] for k in mid},
            "all_s": [round(r["first_frame_s"], 4) for r in runs]}


# ==================================================================== frames (child side)


def child_frames(spec_json: str) -> int:
    """In a fresh process: run one scene (or the empty frame) headless and print frame-time statistics."""
    spec = json.loads(spec_json)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import tempfile
    import traceback

    from ..app.scene import Scene
    from .soak import make_app
    from .soak_memory import memory_mb

    report: dict = {"scene": spec["scene"], "deck": spec["deck"]["id"], "error": None}
    with tempfile.TemporaryDirectory(prefix="karuta-bench-") as data_dir:
        try:
            empty = spec["scene"] == "(empty)"
            app = make_app("title" if empty else spec["scene"], deck=spec["deck"]["id"],
                           decks_dir=spec["deck"].get("decks_dir"), data_dir=data_dir, seed=spec.get("seed", 1))
            if empty:  # the same loop with nothing drawn: App.draw still fills and flips
                app.scenes.reset(Scene(app))
            dt = 1 / 60
            for _ in range(spec["warmup"]):
                app.step(dt)
            profiler = None
            if spec.get("profile"):
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            wall, cpu, painted, tops = [], [], [], {}
            perf, thread = time.perf_counter, time.thread_time
            drawn = getattr(app, "frames_drawn", None)
            for _ in range(spec["frames"]):
                w0, c0 = perf(), thread()
                app.step(dt)
                c1, w1 = thread(), perf()
                wall.append((w1 - w0) * 1000)
                cpu.append((c1 - c0) * 1000)
                now = getattr(app, "frames_drawn", None)
                if now is None or now != drawn:  # a frame that painted the screen (not a still one)
                    painted.append((c1 - c0) * 1000)
                drawn = now
                top = app.scenes.top
                name = getattr(top, "name", "-") if top is not None else "-"
                tops[name] = tops.get(name, 0) + 1
            if profiler is not None:
                import io
                import pstats

                profiler.disable()
                buf = io.StringIO()
                pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats("tottime").print_stats(28)
                report["profile"] = buf.getvalue()
            report.update(wall=percentiles(wall), cpu=percentiles(cpu), painted=percentiles(painted), top_scenes=tops,
                          frames=len(wall),
                          faces_errors=len(getattr(app.faces, "image_errors", {})))
        except Exception:
            report["error"] = traceback.format_exc(limit=10)
        report["memory"] = memory_mb()
    print(RESULT_MARK + json.dumps(report))
    return 0


def measure_frames(scene: str, deck: dict, frames: int, warmup: int, profile: bool = False) -> dict:
    spec = json.dumps({"scene": scene, "deck": deck, "frames": frames, "warmup": warmup, "profile": profile})
    code = "import sys; from karuta.tools import bench_measure; sys.exit(bench_measure.child_frames(sys.argv[2]))"
    result, error = _child(code, [spec], timeout=600)
    if result is None:
        return {"scene": scene, "deck": deck["id"], "error": error}
    return result


# ==================================================================== the web bundle


def tree_bytes(folder: str) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def web_bundle(root: str = PROJECT_ROOT) -> dict | None:
    web = os.path.join(root, "build", "web")
    if not os.path.isdir(web):
        return None
    files = {}
    for name in sorted(os.listdir(web)):
        path = os.path.join(web, name)
        files[name] = tree_bytes(path) if os.path.isdir(path) else os.path.getsize(path)
    result = {"folder": web, "bytes": sum(files.values()), "files": files}
    # `karuta build-web` records what the bundle is made of (code, fonts, audio...) before packing;
    # the file sizes alone cannot say that, since the parts are zipped into one .apk.
    manifest = os.path.join(web, "build.json")
    if os.path.isfile(manifest):
        try:
            with open(manifest, encoding="utf-8") as f:
                build = json.load(f)
            parts = build.get("parts")
            if isinstance(parts, dict) and all(isinstance(v, int) for v in parts.values()):
                result["parts"] = parts
                for key in ("build", "project_bytes", "deck_media_bytes", "budget_bytes", "bundle_bytes",
                            "site_bytes", "runtime_bytes", "first_visit_bytes"):
                    if key in build:
                        result[key] = build[key]
            else:
                result["note"] = f"{manifest}: no 'parts' table of byte counts"
        except (OSError, ValueError) as exc:
            result["note"] = f"{manifest}: unreadable ({exc})"
    return result
