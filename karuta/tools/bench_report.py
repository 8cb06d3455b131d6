"""How ``karuta bench`` judges and shows its results: the targets, the table a person reads, a comparison."""

from __future__ import annotations

from .soak_memory import JUDGED_FROM_MINUTES  # the soak verdict is the soak's own rule
from .web.sizes import mb  # the web build's own unit (MiB), so the two reports agree

TARGETS = {"p95_ms": 4.0, "floor_ratio": 3.0, "startup_s": 1.5, "rss_mb": 200.0}


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
        parts = ", ".join(f"{k} {mb(v)}" for k, v in web["files"].items())
        lines.append(f"web bundle: {mb(web['bytes'])} in {web['folder']} ({parts})")
        if web.get("parts"):
            made = ", ".join(f"{k} {mb(v)}" for k, v in web["parts"].items())
            own = web.get("project_bytes", sum(web["parts"].values()))
            budget = f" (budget {mb(web['budget_bytes'])})" if web.get("budget_bytes") else ""
            media = (f", the decks' own media {mb(web['deck_media_bytes'])}"
                     if "deck_media_bytes" in web else "")
            lines.append(f"  build {web.get('build', '?')}: {made}; the game's own files {mb(own)}{budget}"
                         f"{media}")
            if web.get("bundle_bytes"):
                lines.append(f"  packed bundle {mb(web['bundle_bytes'])}, whole site "
                             f"{mb(web.get('site_bytes', web['bytes']))}")
            if web.get("first_visit_bytes"):
                # What an iPad downloads before it can play offline: the site and pygbag's runtime.
                lines.append(f"  first visit downloads {mb(web['first_visit_bytes'])} "
                             f"(pygbag's runtime {mb(web.get('runtime_bytes', 0))} of it)")
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
