"""``karuta bench``: start-up, frame times, memory, import time, bundle size and soak, in one run.

Every measurement runs in a fresh interpreter so that memory and caches of one scene never
help or hurt another. See docs/performance.md for what each number means and the targets.

Scenes come from ``karuta.modes.registry.scene_names()`` and play through their own
``autoplay_step``; the full-size deck goes through ``karuta deck import`` when that tool is
registered. New scenes and the importer are therefore covered without a change here.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

from .soak import JUDGED_FROM_MINUTES  # the soak verdict is the soak's own rule

RESULT_MARK = "@@karuta-bench@@ "
TARGETS = {"p95_ms": 4.0, "floor_ratio": 3.0, "startup_s": 1.5, "rss_mb": 200.0}
CARD_PX = (1000, 1400)  # the size of a scanned card in the city's open data, roughly
BIG_DECK_ID = "bench-fullsize"
RAW_DECK_ID = "bench-raw"
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


def _env() -> dict:
    return dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")


def _child(code: str, args: list[str], timeout: float) -> tuple[dict | None, str]:
    """Run python -c code args...; the JSON it printed after RESULT_MARK, and stderr's tail on failure."""
    import subprocess

    try:
        out = subprocess.run([sys.executable, "-c", code, RESULT_MARK, *args], capture_output=True, text=True,
                             env=_env(), timeout=timeout, cwd=PROJECT_ROOT)
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
    from .soak import make_app, memory_mb

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
    code = "import sys; from karuta.tools import bench; sys.exit(bench.child_frames(sys.argv[2]))"
    result, error = _child(code, [spec], timeout=600)
    if result is None:
        return {"scene": scene, "deck": deck["id"], "error": error}
    return result


# ==================================================================== the full-size deck


def make_card_images(folder: str, cards: int = 44, faces: str = "abc", size: tuple[int, int] = CARD_PX) -> list[str]:
    """JPEGs shaped like scanned cards (a tinted ground, blotches, a big kana), named like the open data."""
    import random

    import pygame

    from ..app.text import Fonts
    from ..engine.kana import KANA_ORDERS

    if not pygame.image.get_extended():
        raise RuntimeError("this pygame cannot write JPEG files")
    pygame.font.init()
    fonts = Fonts()
    rng = random.Random(44)
    kana = KANA_ORDERS["aiueo"]
    os.makedirs(folder, exist_ok=True)
    # A small noise tile scaled up gives soft blotches, so the JPEGs carry detail like a scan does.
    tile = pygame.Surface((48, 64))
    names = []
    for number in range(1, cards + 1):
        for face in faces:
            for y in range(0, 64, 2):
                for x in range(0, 48, 2):
                    tile.fill((rng.randrange(150, 256), rng.randrange(130, 240), rng.randrange(100, 220)),
                              (x, y, 2, 2))
            img = pygame.transform.smoothscale(tile, size)
            w, h = size
            pygame.draw.rect(img, (120, 96, 60), (0, 0, w, h), width=24, border_radius=40)
            for _ in range(12):
                colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                pygame.draw.circle(img, colour, (rng.randrange(w), rng.randrange(h)), rng.randrange(40, 220))
            if face == "a":
                pygame.draw.circle(img, (255, 255, 255), (200, 200), 150)
                glyph = fonts.render(kana[(number - 1) % len(kana)], 200, (33, 33, 33), "card")
                img.blit(glyph, glyph.get_rect(center=(200, 210)))
            else:
                text = fonts.render(f"{number} {face}", 120, (33, 33, 33), "bold")
                img.blit(text, (120, 120))
            name = f"{number:02d}{face}.jpg"
            pygame.image.save(img, os.path.join(folder, name))
            names.append(name)
    return names


def _locations(cards: int) -> list[tuple[float, float]]:
    return [(36.334 + 0.0011 * (i % 7), 139.09 + 0.0013 * (i // 7)) for i in range(cards)]


def write_open_data(work: str, images: str, names: list[str], cards: int) -> tuple[str, str]:
    """A ZIP and a CSV shaped like the city's files (CP932-era naming, UTF-8 BOM, CRLF)."""
    import zipfile

    from ..engine.kana import KANA_ORDERS

    zpath = os.path.join(work, "karuta-images.zip")
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_STORED) as z:
        for name in names:
            z.write(os.path.join(images, name), f"karuta/{name}")
    cpath = os.path.join(work, "karuta-locations.csv")
    kana = KANA_ORDERS["aiueo"]
    rows = ["no,いろは,lat,lon,url"]
    for i, (lat, lon) in enumerate(_locations(cards), start=1):
        rows.append(f"{i},{kana[i - 1]},{lat:.8f},{lon:.7f},https://example.org/karuta/{i}")
    with open(cpath, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(rows) + "\r\n")
    return zpath, cpath


def write_direct_deck(folder: str, names: list[str], cards: int) -> None:
    """The deck folder the importer would make, but with the full-size images referenced as they are."""
    from ..engine.kana import KANA_ORDERS

    kana = KANA_ORDERS["aiueo"]
    faces = {"a": "picture", "b": "reading", "c": "explanation"}
    by_card: dict[int, dict[str, str]] = {}
    for name in names:
        by_card.setdefault(int(name[:2]), {})[faces[name[2]]] = f"images/{name}"
    lines = [f"id: {RAW_DECK_ID}", 'name: "ベンチマークかるた"', "format: 1", "kana_order: aiueo", "cards:"]
    for number, (lat, lon) in zip(range(1, cards + 1), _locations(cards)):
        imgs = ", ".join(f"{face}: {path}" for face, path in sorted(by_card.get(number, {}).items()))
        lines.append(f"  - {{number: {number}, kana: {kana[number - 1]}, lat: {lat}, lon: {lon}, images: {{{imgs}}}}}")
    with open(os.path.join(folder, "deck.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def _find_deck_folder(root: str) -> str | None:
    for folder in [root] + [os.path.join(root, n) for n in sorted(os.listdir(root))] if os.path.isdir(root) else []:
        if os.path.isdir(folder) and any(os.path.isfile(os.path.join(folder, n)) for n in ("deck.yaml", "deck.json")):
            return folder
    return None


def importer_available() -> bool:
    import importlib.util

    from .. import cli

    return "deck" in cli.TOOLS and importlib.util.find_spec(cli.TOOLS["deck"][0]) is not None


def build_fullsize_decks(work: str, cards: int = 44, faces: str = "abc", raw: bool = True) -> dict:
    """Make full-size card images, then decks from them.

    "imported": through ``karuta deck import`` when that tool exists (it scales images once, as
    a facilitator's import would). "raw": the same images referenced as they are, the worst case
    of a hand-made deck folder; also the fallback when there is no importer yet.
    """
    import shutil
    import subprocess

    from ..engine.deck import check_deck

    info: dict = {"cards": cards, "faces": faces, "image_px": list(CARD_PX), "notes": [], "decks": []}
    images = os.path.join(work, "source-images")
    t = time.perf_counter()
    names = make_card_images(images, cards, faces)
    info["generate_s"] = time.perf_counter() - t
    info["images"] = len(names)
    info["image_bytes"] = sum(os.path.getsize(os.path.join(images, n)) for n in names)
    zpath, cpath = write_open_data(work, images, names, cards)
    info["zip_bytes"] = os.path.getsize(zpath)
    if importer_available():
        decks_dir = os.path.join(work, "decks-imported")
        out = os.path.join(decks_dir, BIG_DECK_ID)
        os.makedirs(decks_dir, exist_ok=True)
        cmd = [sys.executable, "-m", "karuta", "deck", "import", "--zip", zpath, "--csv", cpath, "--out", out]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=PROJECT_ROOT, timeout=900)
        import_s = time.perf_counter() - t
        folder = _find_deck_folder(out)
        deck, problems = check_deck(folder) if folder else (None, [])
        if proc.returncode == 0 and deck is not None:
            info["import_s"] = import_s
            info["decks"].append({"id": deck.id, "decks_dir": os.path.dirname(folder), "how": "karuta deck import",
                                  "bytes": _tree_bytes(folder), "fullsize": True})
        else:
            why = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [str(problems[:1])]
            info["notes"].append(f"karuta deck import did not give a usable deck (exit {proc.returncode}: {why[0]})")
    else:
        info["notes"].append("karuta deck import is not there yet: only the raw deck (full-size images referenced "
                             "as they are) is measured, and there is no import time")
    if raw or not info["decks"]:
        folder = os.path.join(work, "decks-raw", RAW_DECK_ID)
        os.makedirs(os.path.join(folder, "images"), exist_ok=True)
        for name in names:
            shutil.copyfile(os.path.join(images, name), os.path.join(folder, "images", name))
        write_direct_deck(folder, names, cards)
        deck, problems = check_deck(folder)
        if deck is None:
            raise RuntimeError("the generated deck is not valid: " + "; ".join(map(str, problems[:3])))
        info["decks"].append({"id": deck.id, "decks_dir": os.path.dirname(folder), "how": "raw (full-size images)",
                              "bytes": _tree_bytes(folder), "fullsize": True})
    return info


def _tree_bytes(folder: str) -> int:
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
        files[name] = _tree_bytes(path) if os.path.isdir(path) else os.path.getsize(path)
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


# ==================================================================== verdicts and the table


def evaluate(result: dict) -> list[dict]:
    """Each target with the measured value and whether it holds (``kind`` groups them in the table).

    Frame-time verdicts use this thread's CPU time: on a shared machine the wall clock also counts
    the time other processes held the CPU. Both are kept.
    """
    out = []
    floor = (result.get("floor") or {}).get("wall", {}).get("p95")
    floor_cpu = (result.get("floor") or {}).get("cpu", {}).get("p95")
    for run in result["frames"]:
        subject = f"{run['deck']}/{run['scene']}"
        if run.get("error"):
            out.append({"kind": "runs", "subject": subject, "value": "crashed", "holds": False})
            continue
        p95, wall = run["cpu"]["p95"], run["wall"]["p95"]
        out.append({"kind": f"p95 <= {TARGETS['p95_ms']:g} ms", "subject": subject, "value": round(p95, 3),
                    "wall_value": round(wall, 3), "holds": p95 <= TARGETS["p95_ms"]})
        if floor_cpu:
            out.append({"kind": f"p95 <= {TARGETS['floor_ratio']:g}x the empty frame", "subject": subject,
                        "value": round(p95 / floor_cpu, 2), "wall_value": round(wall / floor, 2) if floor else None,
                        "holds": p95 / floor_cpu <= TARGETS["floor_ratio"]})
    for s in result["startup"]:
        if s.get("scene") == "title":
            v = s.get("first_frame_s")
            out.append({"kind": f"start-up to the first frame <= {TARGETS['startup_s']:g} s", "subject": s["deck"],
                        "value": round(v, 3) if v is not None else "failed",
                        "holds": v is not None and v <= TARGETS["startup_s"]})
    for deck_id, mem in result["memory"].items():
        if mem.get("fullsize"):
            peak = mem["peak_mb"]
            out.append({"kind": f"peak RSS <= {TARGETS['rss_mb']:g} MB with a full-size deck", "subject": deck_id,
                        "value": peak, "holds": peak is not None and peak <= TARGETS["rss_mb"]})
    for s in result.get("soak", []):
        judged = s.get("memory_judged", True)
        kind = ("soak: no exception, memory in use grows < 5% after warm-up" if judged else
                f"soak under {JUDGED_FROM_MINUTES} min: no exception (memory reported, not judged)")
        out.append({"kind": kind, "subject": f"{s.get('deck')}/{s.get('scene')}",
                    "value": (s.get("memory") or {}).get("leak_growth"), "holds": bool(s.get("ok"))})
    return out


def target_lines(targets: list[dict]) -> list[str]:
    """One line per kind of target: how many hold, and each miss with its value."""
    lines, kinds = [], {}
    for t in targets:
        kinds.setdefault(t["kind"], []).append(t)
    for kind, items in kinds.items():
        held = [t for t in items if t["holds"]]
        if len(items) == 1:
            t = items[0]
            lines.append(f"  {'ok  ' if t['holds'] else 'MISS'} {kind}: {t['subject']} {t['value']}")
            continue
        lines.append(f"  {'ok  ' if len(held) == len(items) else 'MISS'} {kind}: {len(held)} of {len(items)} hold")
        misses = [f"{t['subject']} {t['value']}" for t in items if not t["holds"]]
        for i in range(0, len(misses), 4):
            lines.append("         missed by " + ", ".join(misses[i:i + 4]))
    return lines


def _f(v, spec: str = ".2f", none: str = "-") -> str:
    return none if v is None else format(v, spec)


_FRAME_HEAD = (f"  {'deck':<16}{'scene':<16}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}{'x floor':>9}{'cpu p95':>9}"
               f"{'x floor':>8}{'painted':>9}{'its p95':>8}{'RSS peak':>10}  scenes shown")


def _frame_row(deck: str, scene: str, run: dict, floor_w, floor_c, note: str = "") -> str:
    w, c, painted = run["wall"], run["cpu"], run["painted"]
    cells = [f"{w['p50']:>7.3f}{w['p95']:>7.3f}{w['p99']:>7.3f}{w['max']:>8.2f}",
             f"{_f(w['p95'] / floor_w if floor_w else None):>9}{c['p95']:>9.3f}",
             f"{_f(c['p95'] / floor_c if floor_c else None):>8}{painted['n']:>9}{_f(painted['p95'], '.3f'):>8}",
             f"{_f(run['memory']['hwm'], '.1f'):>9}M"]
    return f"  {deck:<16}{scene:<16}" + "".join(cells) + (f"  {note}" if note else "")


def table(result: dict) -> str:
    """The one table a person reads; every figure is also in the JSON."""
    m, st = result["machine"], result["settings"]
    lines = [f"karuta bench  {result['when']}  {m.get('cpu') or '?'}  nproc {m.get('nproc')}  "
             f"load {m.get('load')} -> {result.get('load_after')}  python {m.get('python')}  "
             f"pygame {m.get('pygame')}", ""]
    lines.append(f"start-up: process start -> first frame on screen (headless, median of {st['startup_repeats']})")
    lines.append(f"  {'deck':<16}{'scene':<16}{'first frame':>12}{'python':>9}{'imports':>9}{'App()':>8}")
    for s in result["startup"]:
        if s.get("error"):
            lines.append(f"  {s['deck']:<16}{s['scene']:<16}  FAILED: {s['error'].splitlines()[-1]}")
            continue
        lines.append(f"  {s['deck']:<16}{s['scene']:<16}{s['first_frame_s']:>11.3f}s{s['python_s']:>8.3f}s"
                     f"{s['imports_s']:>8.3f}s{s['app_init_s']:>7.3f}s")
    lines.append("  (title = the first frame; gallery = the first frame with the deck loaded: "
                 "every card face decoded and drawn)")
    lines += ["", f"frame time, ms: {st['frames']} frames after {st['warmup']} warm-up, 1024x768 headless, autoplay; "
              "x floor = p95 / the empty frame's p95;",
              "  wall clock, then this thread's CPU time (targets use CPU time; * = a target missed); painted = "
              "frames that repainted the screen (a still screen is not), its p95 = their CPU p95",
              _FRAME_HEAD]
    fl = result.get("floor") or {}
    floor_w = (fl.get("wall") or {}).get("p95")
    floor_c = (fl.get("cpu") or {}).get("p95")
    if fl.get("wall"):
        lines.append(_frame_row("(any)", "(empty)", fl, floor_w, floor_c))
    for r in result["frames"]:
        if r.get("error"):
            lines.append(f"  {r['deck']:<16}{r['scene']:<16}  FAILED: {r['error'].strip().splitlines()[-1]}")
            continue
        shown = ", ".join(f"{k} {v * 100 // max(1, r['frames'])}%" for k, v in
                          sorted(r["top_scenes"].items(), key=lambda kv: -kv[1]))
        p95 = r["cpu"]["p95"]
        missed = p95 > TARGETS["p95_ms"] or (floor_c and p95 > TARGETS["floor_ratio"] * floor_c)
        lines.append(_frame_row(r["deck"], r["scene"], r, floor_w, floor_c, shown + (" *" if missed else "")))
    lines += ["", "memory: peak RSS per deck (largest of its frame and soak processes)"]
    for deck_id, mem in result["memory"].items():
        kind = "  (full-size images)" if mem.get("fullsize") else ""
        lines.append(f"  {deck_id:<16}{_f(mem['peak_mb'], '.1f'):>8} MB{kind}")
    big = result.get("fullsize_deck") or {}
    if big:
        imp = f"import took {big['import_s']:.2f} s" if big.get("import_s") is not None else "no import time"
        px = "x".join(map(str, big["image_px"]))
        lines += ["", f"full-size deck: {big['cards']} cards, {big['images']} JPEGs of {px} "
                      f"({big['image_bytes'] / 1e6:.1f} MB, ZIP {big['zip_bytes'] / 1e6:.1f} MB, "
                      f"made in {big['generate_s']:.1f} s); {imp}"]
        for d in big["decks"]:
            lines.append(f"  {d['id']:<16} {d['how']}, deck folder {d['bytes'] / 1e6:.1f} MB")
        lines += [f"  note: {note}" for note in big.get("notes", [])]
    web = result.get("web_bundle")
    lines.append("")
    if web:
        parts = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in web["files"].items())
        lines.append(f"web bundle: {web['bytes'] / 1e6:.2f} MB in {web['folder']} ({parts})")
        if web.get("parts"):
            made = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in web["parts"].items())
            own = web.get("project_bytes", sum(web["parts"].values()))
            budget = f" (budget {web['budget_bytes'] / 1e6:.2f} MB)" if web.get("budget_bytes") else ""
            media = (f", the decks' own media {web['deck_media_bytes'] / 1e6:.2f} MB"
                     if "deck_media_bytes" in web else "")
            lines.append(f"  build {web.get('build', '?')}: {made}; the game's own files {own / 1e6:.2f} MB{budget}"
                         f"{media}")
            if web.get("bundle_bytes"):
                lines.append(f"  packed bundle {web['bundle_bytes'] / 1e6:.2f} MB, whole site "
                             f"{web.get('site_bytes', web['bytes']) / 1e6:.2f} MB")
            if web.get("first_visit_bytes"):
                # What an iPad downloads before it can play offline: the site and pygbag's runtime.
                lines.append(f"  first visit downloads {web['first_visit_bytes'] / 1e6:.2f} MB "
                             f"(pygbag's runtime {web.get('runtime_bytes', 0) / 1e6:.2f} MB of it)")
        if web.get("note"):
            lines.append(f"  note: {web['note']}")
    else:
        lines.append("web bundle: no build/web folder (run the web build first to measure it)")
    if result.get("soak"):
        from .soak import describe

        frames = int(st["soak_minutes"] * 3600 / st["soak_scale"])
        lines += ["", f"soak: {st['soak_minutes']:g} simulated minutes per scene in {frames} frames of "
                      f"{st['soak_scale'] / 60 * 1000:.0f} ms simulated time (--soak-scale {st['soak_scale']:g}); "
                      "autoplay + random taps, drags, multi-touch, keys"]
        lines += ["  " + describe(s) for s in result["soak"]]
    lines += ["", "targets (frame times: CPU time of the game's thread):"]
    lines += target_lines(result["targets"])
    lines += [f"note: {note}" for note in result.get("notes", [])]
    return "\n".join(lines)


def compare(old: dict, new: dict) -> str:
    """What changed between two JSON results (p95 per scene, start-up, memory)."""
    lines = [f"compared with the earlier run ({old.get('when')}):"]
    before = {(r["deck"], r["scene"]): r for r in old.get("frames", []) if not r.get("error")}
    for r in new["frames"]:
        o = before.get((r["deck"], r["scene"]))
        if o and not r.get("error"):
            ow, nw, oc, nc = o["wall"]["p95"], r["wall"]["p95"], o["cpu"]["p95"], r["cpu"]["p95"]
            lines.append(f"  {r['deck']:<16}{r['scene']:<16} p95 {ow:.3f} -> {nw:.3f} ms ({nw / ow:.2f}x), "
                         f"cpu p95 {oc:.3f} -> {nc:.3f}")
    starts = {(s["deck"], s["scene"]): s for s in old.get("startup", []) if not s.get("error")}
    for s in new["startup"]:
        o = starts.get((s["deck"], s["scene"]))
        if o and not s.get("error"):
            lines.append(f"  start-up {s['deck']}/{s['scene']}: {o['first_frame_s']:.3f} -> {s['first_frame_s']:.3f} s")
    for deck_id, mem in new["memory"].items():
        o = old.get("memory", {}).get(deck_id)
        if o and o.get("peak_mb") and mem.get("peak_mb"):
            lines.append(f"  peak RSS {deck_id}: {o['peak_mb']:.1f} -> {mem['peak_mb']:.1f} MB")
    return "\n".join(lines)


# ==================================================================== the command


def run(argv: list[str]) -> int:
    import argparse
    import shutil
    import tempfile

    p = argparse.ArgumentParser(prog="karuta bench", description=(
        "Measure start-up, per-scene frame times (p50/p95/p99/max) against the empty-frame floor, peak memory, "
        "the import of a generated full-size deck, the web bundle, and soak runs. Prints a table; --json saves it."))
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON (for comparisons)")
    p.add_argument("--compare", metavar="FILE", help="an earlier --json result to compare with")
    p.add_argument("--frames", type=int, default=600, help="measured frames per scene (at least 600; default 600)")
    p.add_argument("--warmup", type=int, default=120, help="frames run before measuring (default 120)")
    p.add_argument("--quick", action="store_true",
                   help="one start-up run per case, a 5-minute soak; still >= 600 measured frames per scene")
    p.add_argument("--scene", action="append", metavar="NAME", help="only these scenes (repeatable)")
    p.add_argument("--no-fullsize", action="store_true", help="skip the generated full-size deck")
    p.add_argument("--no-soak", action="store_true", help="skip the soak runs")
    p.add_argument("--soak-minutes", type=float, help="simulated minutes of play per scene (default 30, --quick 5)")
    p.add_argument("--soak-scale", type=float, default=10.0,
                   help="simulated time per frame x 1/60 s in the soak (default 10: 30 min = 10800 frames of 1/6 s; "
                        "`karuta soak` runs the full 1/60 s version)")
    p.add_argument("--profile", metavar="SCENE",
                   help="print a cProfile of SCENE's measured frames (demo deck) and stop")
    p.add_argument("--keep", metavar="DIR", help="keep the generated deck and data in DIR")
    args = p.parse_args(argv)
    if args.frames < 600:
        p.error("--frames must be at least 600 (fewer frames make p99 meaningless)")
    from ..app.game import DEFAULT_DECKS_DIR
    from ..modes import registry

    names = registry.scene_names()
    scenes = args.scene or names
    unknown = [s for s in scenes + ([args.profile] if args.profile else []) if s not in names]
    if unknown:
        print(f"karuta bench: unknown scene(s) {', '.join(unknown)}; choose from: {', '.join(names)}", file=sys.stderr)
        return 2
    demo = {"id": "demo", "decks_dir": DEFAULT_DECKS_DIR}
    if args.profile:
        r = measure_frames(args.profile, demo, args.frames, args.warmup, profile=True)
        if r.get("error"):
            print(r["error"], file=sys.stderr)
            return 1
        print(f"{args.profile}: p50 {r['wall']['p50']:.3f} ms, p95 {r['wall']['p95']:.3f} ms over {r['frames']} frames")
        print(r["profile"])
        return 0
    if args.compare:
        try:
            with open(args.compare, encoding="utf-8") as f:
                old = json.load(f)
        except (OSError, ValueError) as exc:
            print(f"karuta bench: cannot read {args.compare}: {exc}", file=sys.stderr)
            return 2
    work = args.keep or tempfile.mkdtemp(prefix="karuta-bench-")
    os.makedirs(work, exist_ok=True)
    data_dir = os.path.join(work, "data")
    soak_minutes = args.soak_minutes or (5.0 if args.quick else 30.0)
    repeats = 1 if args.quick else 3
    result: dict = {"version": 1, "when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
                    "settings": {"frames": args.frames, "warmup": args.warmup, "startup_repeats": repeats,
                                 "soak_minutes": soak_minutes, "soak_scale": args.soak_scale,
                                 "quick": args.quick, "scenes": scenes},
                    "startup": [], "frames": [], "memory": {}, "soak": [], "notes": []}
    say = print if sys.stdout.isatty() else (lambda *a, **k: print(*a, **k, file=sys.stderr))
    try:
        decks = [dict(demo, fullsize=False)]
        if not args.no_fullsize:
            say("bench: making a 44-card deck of full-size JPEGs ...", flush=True)
            try:
                big = build_fullsize_decks(work, raw=not args.quick)
                result["fullsize_deck"] = big
                decks += big["decks"]
            except Exception as exc:
                result["notes"].append(f"full-size deck not measured: {exc}")
        say("bench: start-up ...", flush=True)
        for deck in decks:
            for scene in ("title", "gallery"):
                if scene in names:
                    result["startup"].append(measure_startup(scene, deck, data_dir, repeats))
        say("bench: empty-frame floor ...", flush=True)
        result["floor"] = measure_frames("(empty)", demo, args.frames, args.warmup)
        for deck in decks:
            for scene in scenes:
                say(f"bench: frames {deck['id']}/{scene} ...", flush=True)
                result["frames"].append(measure_frames(scene, deck, args.frames, args.warmup))
        if not args.no_soak:
            from .soak import run_in_subprocess

            # The imported deck is what a class plays; the raw one only when there is no importer.
            soaked = [d for d in decks if d["id"] != RAW_DECK_ID]
            if not any(d["fullsize"] for d in soaked):
                soaked += [d for d in decks if d["id"] == RAW_DECK_ID]
            for deck in soaked:
                for scene in scenes:
                    say(f"bench: soak {deck['id']}/{scene} ...", flush=True)
                    result["soak"].append(run_in_subprocess(scene, minutes=soak_minutes, scale=args.soak_scale,
                                                            deck=deck["id"], decks_dir=deck["decks_dir"]))
        for deck in decks:
            peaks = [r["memory"]["hwm"] for r in result["frames"] if r["deck"] == deck["id"] and r.get("memory")]
            peaks += [s["memory"]["peak_mb"] for s in result["soak"]
                      if s.get("deck") == deck["id"] and (s.get("memory") or {}).get("peak_mb")]
            result["memory"][deck["id"]] = {"peak_mb": round(max(peaks), 1) if peaks else None,
                                            "fullsize": deck["fullsize"]}
        result["web_bundle"] = web_bundle()
        result["load_after"] = load()
        result["targets"] = evaluate(result)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(result))
    if args.compare:
        print()
        print(compare(old, result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
        print(f"\nbench: results written to {args.json}")
    crashed = [r for r in result["frames"] if r.get("error")] + [s for s in result["startup"] if s.get("error")]
    crashed += [s for s in result["soak"] if not s.get("ok")]
    return 1 if crashed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:]))
