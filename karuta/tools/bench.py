"""``karuta bench``: start-up, frame times, memory, import time, bundle size and soak, in one run.

Every measurement runs in a fresh interpreter so that memory and caches of one scene never
help or hurt another. See docs/performance.md for what each number means and the targets.

Scenes come from ``karuta.modes.registry.scene_names()`` and play through their own
``autoplay_step``; the full-size deck goes through ``karuta deck import`` when that tool is
registered. New scenes and the importer are therefore covered without a change here.

The parts: bench_measure.py (start-up, frames, the web bundle), bench_decks.py (the generated
full-size deck), bench_report.py (targets, the table, comparisons).
"""

from __future__ import annotations

import json
import os
import sys
import time

from .bench_decks import RAW_DECK_ID, build_fullsize_decks
from .bench_measure import load, machine, measure_frames, measure_startup, web_bundle
from .bench_report import compare, evaluate, table


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
