"""Memory figures of the soak: RSS, the C heap's live bytes, and the growth verdict over a run.

"In use" is the C heap's live bytes (glibc's mallinfo2; RSS where that is not available) minus
what the bounded caches added meanwhile, and Python's allocated block count; see soak.py's
docstring and docs/performance.md ("Soak").
"""

from __future__ import annotations

import sys

GROWTH_LIMIT = 0.05       # fraction of RSS after warm-up
JUDGED_FROM_MINUTES = 20  # simulated minutes; shorter runs report memory without a verdict on it


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


def memory_judged(minutes: float) -> bool:
    """Whether a run this long is judged on memory growth (see soak.py's docstring)."""
    return minutes >= JUDGED_FROM_MINUTES


def memory_report(samples: list[tuple]) -> dict:
    """Growth over the measured window (after warm-up) of RSS, the live heap and Python's blocks.

    The verdict (``leak_growth``) is the live heap's growth beyond what the bounded caches added,
    or RSS's where the live heap cannot be read; Python's block count must not grow 5% either.
    """
    rss = growth([x[1] for x in samples if x[1] is not None], "MB")
    live = growth([x[2] for x in samples if x[2] is not None], "MB")
    caches = growth([x[3] for x in samples], "MB")
    blocks = growth([x[4] for x in samples], "blocks")
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


def growth(values: list[float], unit: str) -> dict:
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


def within_limit(measure: dict) -> bool:
    """The run's memory growth (beyond the caches) and Python's block growth both stay under GROWTH_LIMIT."""
    return all(g is None or g < GROWTH_LIMIT for g in (measure["leak_growth"], measure["python_blocks_growth"]))
