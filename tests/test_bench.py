"""`karuta bench`: what it measures is structured and judged correctly. Timings are never asserted: the
benchmark measures, the tests check that it measures the right things and reports them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from karuta import cli
from karuta.engine.deck import check_deck
from karuta.tools import bench_decks, bench_measure, bench_report

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_percentiles_use_the_nearest_rank():
    values = list(range(1, 101))  # 1..100
    p = bench_measure.percentiles([float(v) for v in reversed(values)])
    assert (p["p50"], p["p95"], p["p99"], p["max"], p["n"]) == (50, 95, 99, 100, 100)
    assert p["mean"] == pytest.approx(50.5)
    assert bench_measure.percentiles([])["p95"] is None
    assert bench_measure.percentiles([3.0])["p99"] == 3.0


def _run(deck, scene, cpu_p95, error=None):
    if error:
        return {"deck": deck, "scene": scene, "error": error}
    stats = {"p50": cpu_p95 / 2, "p95": cpu_p95, "p99": cpu_p95, "max": cpu_p95, "n": 600, "mean": 1}
    return {"deck": deck, "scene": scene, "wall": dict(stats, p95=cpu_p95 * 3), "cpu": stats,
            "painted": dict(stats, n=10), "top_scenes": {scene: 600}, "frames": 600, "memory": {"hwm": 50.0}}


def test_targets_are_judged_on_cpu_time_and_grouped():
    floor = {"p50": 0.2, "p95": 0.2, "p99": 0.2, "max": 0.3, "n": 600, "mean": 0.2}
    result = {
        "floor": {"wall": floor, "cpu": floor},
        "frames": [_run("demo", "title", 0.5), _run("demo", "busy", 4.5), _run("demo", "broken", 0, "Traceback")],
        "startup": [{"deck": "demo", "scene": "title", "first_frame_s": 0.4},
                    {"deck": "big", "scene": "title", "first_frame_s": 1.7},
                    {"deck": "demo", "scene": "gallery", "first_frame_s": 9.0}],
        "memory": {"demo": {"peak_mb": 300.0, "fullsize": False}, "big": {"peak_mb": 210.0, "fullsize": True}},
        "soak": [{"deck": "demo", "scene": "title", "ok": True, "memory": {"leak_growth": 0.01}}],
    }
    targets = bench_report.evaluate(result)
    p95 = {t["subject"]: t["holds"] for t in targets if t["kind"] == "p95 <= 4 ms"}
    assert p95 == {"demo/title": True, "demo/busy": False}  # 0.5 ms CPU holds though the wall clock said 1.5
    ratio = [t for t in targets if "empty frame" in t["kind"]]
    assert {t["subject"]: t["holds"] for t in ratio} == {"demo/title": True, "demo/busy": False}
    assert [t["holds"] for t in targets if t["kind"] == "runs"] == [False]
    starts = {t["subject"]: t["holds"] for t in targets if t["kind"].startswith("start-up")}
    assert starts == {"demo": True, "big": False}  # only the first frame (title) is the start-up target
    rss = [t for t in targets if "RSS" in t["kind"]]
    assert [(t["subject"], t["holds"]) for t in rss] == [("big", False)]  # judged on the full-size deck only
    lines = bench_report.target_lines(targets)
    assert any(line.startswith("  MISS p95 <= 4 ms: 1 of 2 hold") for line in lines)
    assert any("missed by demo/busy 4.5" in line for line in lines)


def test_generated_card_images_are_full_size_jpegs_named_like_the_open_data(tmp_path):
    pygame.display.init()
    names = bench_decks.make_card_images(str(tmp_path / "img"), cards=2, faces="ab")
    assert names == ["01a.jpg", "01b.jpg", "02a.jpg", "02b.jpg"]
    image = pygame.image.load(str(tmp_path / "img" / "01a.jpg"))
    assert image.get_size() == bench_decks.CARD_PX
    assert os.path.getsize(tmp_path / "img" / "01a.jpg") > 20_000  # detail like a scan, not a flat colour
    folder = tmp_path / "deck"
    (folder / "images").mkdir(parents=True)
    for name in names:
        (folder / "images" / name).write_bytes((tmp_path / "img" / name).read_bytes())
    bench_decks.write_direct_deck(str(folder), names, 2)
    deck, problems = check_deck(str(folder))
    assert problems == [] and deck.id == bench_decks.RAW_DECK_ID
    assert deck.cards[0].images == {"picture": "images/01a.jpg", "reading": "images/01b.jpg"}
    zpath, cpath = bench_decks.write_open_data(str(tmp_path), str(tmp_path / "img"), names, 2)
    raw = Path(cpath).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with BOM and CRLF, like the city's CSV


def test_bench_and_soak_are_registered_tools():
    assert cli.TOOLS["bench"][0] == "karuta.tools.bench"
    assert cli.TOOLS["soak"][0] == "karuta.tools.soak"


def test_a_short_bench_run_prints_the_table_and_writes_json(tmp_path):
    """One scene, no full-size deck, no soak: a few fresh processes. Structure only, no timing."""
    out_json = tmp_path / "bench.json"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    out = subprocess.run([sys.executable, "-m", "karuta", "bench", "--quick", "--scene", "title", "--no-fullsize",
                          "--no-soak", "--json", str(out_json)], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    for heading in ("start-up: process start -> first frame", "frame time, ms", "(empty)", "memory: peak RSS",
                    "web bundle", "targets"):
        assert heading in out.stdout
    result = json.loads(out_json.read_text(encoding="utf-8"))
    assert result["machine"]["nproc"] == os.cpu_count() and result["machine"]["load"] is not None
    [run] = result["frames"]
    assert run["scene"] == "title" and run["frames"] == 600 and run["error"] is None
    assert run["cpu"]["n"] == run["wall"]["n"] == 600 and run["memory"]["hwm"] > 0
    assert result["floor"]["painted"]["n"] == 600  # the empty frame is a full fill + flip every frame
    assert {s["scene"] for s in result["startup"]} == {"title", "gallery"}
    for s in result["startup"]:
        assert 0 < s["python_s"] < s["first_frame_s"]
    assert any(t["kind"].startswith("p95 <=") for t in result["targets"])


def test_bad_arguments_are_clear_errors():
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    for args, message in ((["--frames", "100"], "at least 600"), (["--scene", "nope"], "unknown scene(s) nope"),
                          (["--compare", "/nonexistent.json"], "cannot read /nonexistent.json")):
        out = subprocess.run([sys.executable, "-m", "karuta", "bench", *args], capture_output=True, text=True,
                             cwd=ROOT, env=env, timeout=120)
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_compare_reports_changes_against_an_earlier_run():
    old = {"when": "before", "frames": [_run("demo", "title", 1.0)], "startup": [], "memory": {}}
    new = {"frames": [_run("demo", "title", 0.5)], "startup": [], "memory": {}}
    text = bench_report.compare(old, new)
    assert "demo" in text and "title" in text and "cpu p95 1.000 -> 0.500" in text


def test_the_web_bundle_reports_the_parts_its_build_recorded(tmp_path):
    """`karuta build-web` writes build/web/build.json; the bench reports its parts, or says why not."""
    web = tmp_path / "build" / "web"
    web.mkdir(parents=True)
    (web / "karuta.apk").write_bytes(b"x" * 1000)
    parts = {"code": 400, "fonts": 300, "audio": 200}
    (web / "build.json").write_text(json.dumps({"build": "abc123", "parts": parts, "project_bytes": 900,
                                                "deck_media_bytes": 2_500_000, "budget_bytes": 3000,
                                                "bundle_bytes": 1000, "runtime_bytes": 4_000_000,
                                                "first_visit_bytes": 5_200_000}), encoding="utf-8")
    found = bench_measure.web_bundle(str(tmp_path))
    assert found["parts"] == parts and found["bundle_bytes"] == 1000
    assert found["files"]["karuta.apk"] == 1000 and found["bytes"] == 1000 + (web / "build.json").stat().st_size
    result = {"when": "now", "machine": {}, "settings": {"startup_repeats": 1, "frames": 600, "warmup": 120},
              "startup": [], "floor": None, "frames": [], "memory": {}, "web_bundle": found, "targets": []}
    text = bench_report.table(result)
    assert "build abc123: code 0.4 KB, fonts 0.3 KB, audio 0.2 KB" in text and "budget" in text
    assert "the decks' own media 2.38 MB" in text
    assert "first visit downloads 4.96 MB (pygbag's runtime 3.81 MB of it)" in text
    (web / "build.json").write_text("{not json", encoding="utf-8")
    broken = bench_measure.web_bundle(str(tmp_path))
    assert "parts" not in broken and "build.json" in broken["note"] and "unreadable" in broken["note"]
    assert bench_measure.web_bundle(str(tmp_path / "elsewhere")) is None
