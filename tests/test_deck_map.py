"""A deck's map picture: the deck field, `karuta deck map` against a real local tile server, the map screen.

The tile server is Python's http.server on 127.0.0.1 serving PNG tiles generated here: the real
protocol, the real client code, no network beyond this machine.
"""

from __future__ import annotations

import io
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pygame
import pytest

from karuta.engine.deck import check_deck
from karuta.engine.deckmap import image_size
from karuta.engine.geo import PICTURE_SIZE, TILE_SIZE, Bounds, overlapping, world_latlon, world_xy
from karuta.engine.kana import KANA_ORDERS
from karuta.modes.meet.mapview import MARKER_RADIUS, MARKER_SPACING, MapScene
from karuta.tools import deck as deck_tool

PIL = pytest.importorskip("PIL.Image")

# The open data's first five signposts (/work/shared/notes/open-data-deck.md).
REAL = [("あ", 36.34159741, 139.0865416), ("い", 36.33518889, 139.0959917), ("う", 36.33382426, 139.0969885),
        ("え", 36.33439327, 139.0956862), ("お", 36.33400496, 139.1052498)]
QUADRANT = {(0, 0): (230, 120, 120), (1, 0): (120, 200, 120), (0, 1): (120, 140, 230), (1, 1): (230, 210, 100)}


def tile_png(z: int, x: int, y: int) -> bytes:
    """A tile whose colour says which of four neighbours it is, with street-like lines."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (TILE_SIZE, TILE_SIZE), QUADRANT[(x % 2, y % 2)])
    draw = ImageDraw.Draw(im)
    for at in (96, 160):  # away from the corners, where the projection test looks
        draw.line((0, at, TILE_SIZE, at), fill=(250, 250, 250), width=9)
        draw.line((at, 0, at, TILE_SIZE), fill=(250, 250, 250), width=9)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


class TileServer:
    """http.server on 127.0.0.1 serving /{z}/{x}/{y}.png; records each request's path and User-Agent."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []
        self.status: dict[str, int] = {}   # path -> an error status to answer instead of the tile
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, self.headers.get("User-Agent", "")))
                parts = self.path.strip("/").removesuffix(".png").split("/")
                if len(parts) != 3 or not all(p.isdigit() for p in parts):
                    self.send_error(404)
                    return
                if self.path in outer.status:
                    self.send_error(outer.status[self.path])
                    return
                body = tile_png(*map(int, parts))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.template = f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server():
    s = TileServer()
    yield s
    if s.thread.is_alive():
        s.stop()


def write_deck(folder, points=REAL, extra: str = "") -> str:
    os.makedirs(folder, exist_ok=True)
    lines = ['format: 1', 'id: "town"', 'name: "まちかるた"', 'kana_order: aiueo', extra, 'cards:']
    for number, (kana, lat, lon) in enumerate(points, start=1):
        lines += [f'  - number: {number}', f'    kana: "{kana}"', f'    reading: "{kana}のふだ"',
                  f'    title: "{kana}"']
        if lat is not None:
            lines += [f'    lat: {lat}', f'    lon: {lon}']
    path = os.path.join(folder, "deck.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run_map(folder, server_or_template, cache, *more):
    template = getattr(server_or_template, "template", server_or_template)
    return deck_tool.run(["map", str(folder), "--tiles", template, "--attribution", "テストの ちず",
                          "--cache-dir", str(cache), *more])


# ---------------------------------------------------------------- the tool


def test_deck_map_fetches_only_the_covering_tiles_and_reruns_from_the_cache(tmp_path, server, capsys):
    folder = tmp_path / "town"
    write_deck(folder)
    assert run_map(folder, server, tmp_path / "cache") == 0
    out = capsys.readouterr().out
    deck, problems = check_deck(folder)
    assert problems == [] and deck.map is not None
    assert deck.map.attribution == "テストの ちず" and deck.map.image == "map.jpg"
    assert image_size(os.path.join(folder, "map.jpg")) == PICTURE_SIZE
    b = deck.map.bounds
    for _, lat, lon in REAL:
        assert b.contains(lat, lon)
    # exactly the tiles that cover the bounds at the zoom used, each once, and the tool says who it is
    zoom = int(out.split("zoom ")[1].split(",")[0])
    n = 2 ** zoom
    (x0, y0), (x1, y1) = world_xy(b.north, b.west), world_xy(b.south, b.east)
    expected = {f"/{zoom}/{x}/{y}.png" for x in range(int(x0 * n), int(x1 * n) + 1)
                for y in range(int(y0 * n), int(y1 * n) + 1)}
    paths = [p for p, _ in server.requests]
    assert sorted(paths) == sorted(expected) and len(paths) <= 40
    assert all(ua.startswith("karuta-deck-map/") for _, ua in server.requests)
    # the district fits the picture close to 1:1, so the map's own text stays readable
    shown = (x1 - x0) * n * TILE_SIZE
    assert 0.7 < PICTURE_SIZE[0] / shown <= 1.42
    first = (folder / "map.jpg").read_bytes()
    yaml_text = (folder / "deck.yaml").read_text(encoding="utf-8")
    assert yaml_text.count("map:") == 1 and yaml_text.index("map:") < yaml_text.index("cards:")

    # the server is gone: a rerun needs no network, and makes the same picture and entry
    server.stop()
    (folder / "map.jpg").unlink()
    assert run_map(folder, server, tmp_path / "cache") == 0
    assert "0 fetched" in capsys.readouterr().out
    assert (folder / "map.jpg").read_bytes() == first
    assert (folder / "deck.yaml").read_text(encoding="utf-8") == yaml_text
    assert len(server.requests) == len(expected)


def test_an_unreachable_tile_server_gives_one_line_and_writes_nothing(tmp_path, server, capsys):
    template = server.template
    server.stop()  # the port is closed now: connection refused
    folder = tmp_path / "town"
    write_deck(folder)
    before = (folder / "deck.yaml").read_bytes()
    assert run_map(folder, template, tmp_path / "cache") == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("karuta deck map: cannot reach the tile server 127.0.0.1:") and "nothing was written" in err
    assert sorted(os.listdir(folder)) == ["deck.yaml"] and (folder / "deck.yaml").read_bytes() == before
    assert not (tmp_path / "cache").exists() or not any(f for _, _, f in os.walk(tmp_path / "cache"))


def test_tiles_the_server_lacks_are_left_blank_and_a_server_error_writes_nothing(tmp_path, server, capsys):
    folder = tmp_path / "town"
    write_deck(folder)
    assert run_map(folder, server, tmp_path / "probe") == 0  # to learn which tiles the map takes
    paths = sorted(p for p, _ in server.requests)
    (folder / "map.jpg").unlink()
    write_deck(folder)
    capsys.readouterr()
    server.status = {paths[0]: 404}  # sea, or outside the server's area
    assert run_map(folder, server, tmp_path / "cache") == 0
    assert "1 missing" in capsys.readouterr().out and (folder / "map.jpg").is_file()
    (folder / "map.jpg").unlink()
    write_deck(folder)
    before = (folder / "deck.yaml").read_bytes()
    server.status = {paths[0]: 404, paths[-1]: 503}
    assert run_map(folder, server, tmp_path / "other-cache") == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "answered 503" in err and "nothing was written" in err
    assert sorted(os.listdir(folder)) == ["deck.yaml"] and (folder / "deck.yaml").read_bytes() == before


def test_deck_map_refuses_bad_requests_before_any_network(tmp_path, server, capsys):
    folder = tmp_path / "town"
    write_deck(folder, points=[("あ", None, None)])  # no card with a location
    assert run_map(folder, server, tmp_path / "cache") == 1
    assert "no card has a location" in capsys.readouterr().err
    write_deck(folder)
    assert deck_tool.run(["map", str(folder), "--tiles", server.template, "--cache-dir", str(tmp_path)]) == 1
    assert "--attribution" in capsys.readouterr().err  # another server's terms: say whose map it is
    assert run_map(folder, "http://127.0.0.1/tiles.png", tmp_path / "cache") == 1
    assert "{z}" in capsys.readouterr().err
    assert run_map(folder, server, tmp_path / "cache", "--max-tiles", "2") == 1
    assert "more than --max-tiles 2" in capsys.readouterr().err
    assert server.requests == []


# ---------------------------------------------------------------- the deck field


def _map_yaml(image="map.png", north=36.345, south=36.330, west=139.080, east=139.110, attribution="ちず"):
    return (f'map: {{image: "{image}", north: {north}, south: {south}, west: {west}, east: {east}, '
            f'attribution: "{attribution}"}}')


def _png(path, size):
    from PIL import Image

    Image.new("RGB", size, (200, 220, 200)).save(path)


def _aspect_size(b: Bounds, width=900):
    return width, round(width / b.aspect)


def test_the_map_field_is_validated_like_every_other_field(tmp_path):
    folder = tmp_path / "town"
    good = Bounds(36.345, 36.330, 139.080, 139.110)
    write_deck(folder, extra=_map_yaml())
    _png(folder / "map.png", _aspect_size(good))
    deck, problems = check_deck(folder)
    assert problems == [] and deck.map.bounds == good

    def problems_for(extra, size=_aspect_size(good), name="map.png"):
        write_deck(folder, extra=extra)
        _png(folder / name, size)
        return [str(p) for p in check_deck(folder)[1]]

    assert any("map.image: '../map.png' leaves the deck folder" in p
               for p in problems_for(_map_yaml(image="../map.png")))
    assert any("file not found: other.png" in p for p in problems_for(_map_yaml(image="other.png")))
    assert any("north (36.33) must be greater than south (36.345)" in p
               for p in problems_for(_map_yaml(north=36.330, south=36.345)))
    assert any("map.attribution: missing" in p for p in problems_for(_map_yaml(attribution="")))
    assert any("map.zoom: unknown field" in p for p in problems_for('map: {image: "map.png", zoom: 16}'))
    # a picture whose proportions disagree with its edges would put signposts in the wrong streets
    wrong = problems_for(_map_yaml(), size=(900, 900))
    assert any("900 x 900 px" in p and "north/south/west/east" in p for p in wrong)
    # not really an image
    write_deck(folder, extra=_map_yaml())
    (folder / "map.png").write_bytes(b"<html>not found</html>")
    assert any("map.image: map.png: not a PNG or JPEG image" in str(p) for p in check_deck(folder)[1])
    # a signpost outside the picture is reported with its card
    outside = problems_for(_map_yaml(north=36.340), size=_aspect_size(Bounds(36.340, 36.330, 139.080, 139.110)))
    assert any("card 1 (あ): map: the signpost (36.34159741, 139.0865416) is outside the map picture" in p
               for p in outside)


def test_validate_decodes_the_map_picture(tmp_path, capsys):
    folder = tmp_path / "town"
    good = Bounds(36.345, 36.330, 139.080, 139.110)
    write_deck(folder, extra=_map_yaml())
    _png(folder / "map.png", _aspect_size(good))
    data = (folder / "map.png").read_bytes()
    (folder / "map.png").write_bytes(data[: len(data) // 2])  # the header is fine, the pixels are cut off
    assert deck_tool.run(["validate", str(folder)]) == 1
    assert "map.image" in capsys.readouterr().out


# ---------------------------------------------------------------- the map screen


def _map_scene(make_app, decks_dir):
    d = make_app("--decks-dir", str(decks_dir), "--deck", "town", "--scene", "map")
    d.frames(2)
    scene = d.app.scenes.top
    assert isinstance(scene, MapScene)
    return d, scene


def test_the_map_screen_draws_the_stitched_streets_under_correctly_placed_markers(tmp_path, server, make_app,
                                                                                   capsys):
    decks = tmp_path / "decks"
    folder = decks / "town"
    write_deck(folder)
    assert run_map(folder, server, tmp_path / "cache") == 0
    zoom = int(capsys.readouterr().out.split("zoom ")[1].split(",")[0])
    d, scene = _map_scene(make_app, decks)
    deck = d.app.deck
    assert scene.picture is not None and scene.picture.get_size() == PICTURE_SIZE
    assert scene.picture_rect == scene.inner  # the picture made by the tool fills the map area
    screen = d.app.screen
    # Known coordinates: the corners where four tiles meet (tile x, y integers at the zoom used).
    b = deck.map.bounds
    n = 2 ** zoom
    (x0, y0), (x1, y1) = world_xy(b.north, b.west), world_xy(b.south, b.east)
    checked = 0
    for tx in range(int(x0 * n) + 1, int(x1 * n) + 1):
        for ty in range(int(y0 * n) + 1, int(y1 * n) + 1):
            # where the corner must be on the screen, from tile arithmetic alone
            px = scene.inner.left + (tx / n - x0) / (x1 - x0) * scene.inner.width
            py = scene.inner.top + (ty / n - y0) / (y1 - y0) * scene.inner.height
            assert scene.proj.to_screen_f(*world_latlon(tx / n, ty / n)) == pytest.approx((px, py), abs=1e-3)
            if not scene.inner.inflate(-60, -60).collidepoint(px, py):
                continue
            if any(r.collidepoint(px, py) for r in scene._overlays()) or any(
                    (mx - px) ** 2 + (my - py) ** 2 < 60 ** 2 for mx, my in scene.markers.values()):
                continue
            # the picture on the screen agrees: each quadrant around the corner has its tile's colour
            for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1)):
                tile = ((tx + (dx > 0) - 1) % 2, (ty + (dy > 0) - 1) % 2)
                got = screen.get_at((int(px + 10 * dx), int(py + 10 * dy)))[:3]
                assert all(abs(g - e) < 30 for g, e in zip(got, QUADRANT[tile])), (tx, ty, dx, dy, got)
            checked += 1
    assert checked >= 6, checked
    # the attribution is on the screen, and the picture was scaled once, not per frame
    assert scene.attribution is not None
    box = scene._attribution_rect()
    assert scene.inner.contains(box)
    loads = []
    real_load = pygame.image.load
    pygame.image.load = lambda *a, **k: loads.append(a) or real_load(*a, **k)
    try:
        scene.selected = scene.placed[1]
        d.frames(30)
    finally:
        pygame.image.load = real_load
    assert loads == []
    # markers of the real signposts do not overlap and stay on the map
    centres = [scene.markers[c.number] for c in scene.placed]
    assert overlapping(centres, MARKER_SPACING - 1) == []  # rounded to whole pixels
    for x, y in centres:
        assert scene.inner.inflate(-2 * MARKER_RADIUS, -2 * MARKER_RADIUS).collidepoint(x, y)


def test_the_map_screen_without_a_picture_still_works_and_a_broken_picture_is_not_fatal(tmp_path, make_app, capsys):
    decks = tmp_path / "decks"
    write_deck(decks / "town")
    d, scene = _map_scene(make_app, decks)
    assert scene.picture is None and scene.attribution is None
    target = scene.placed[2]
    d.tap(scene.marker_pos(target))
    assert scene.selected is target
    # a picture that passes the header check but does not decode: the plain map, a line on stderr
    good = Bounds(36.345, 36.330, 139.080, 139.110)
    write_deck(decks / "town", extra=_map_yaml())
    _png(decks / "town" / "map.png", _aspect_size(good))
    data = (decks / "town" / "map.png").read_bytes()
    (decks / "town" / "map.png").write_bytes(data[:40])
    d, scene = _map_scene(make_app, decks)
    assert scene.picture is None and "map" in capsys.readouterr().err
    d.tap(scene.marker_pos(scene.placed[0]))
    assert scene.selected is scene.placed[0]


def test_a_dense_cluster_of_signposts_shows_every_marker_apart_with_leader_lines(tmp_path, make_app):
    import random

    rng = random.Random(7)
    kana = KANA_ORDERS["aiueo"]
    points = list(REAL) + [(k, 36.3350 + rng.uniform(-0.0004, 0.0004), 139.0962 + rng.uniform(-0.0005, 0.0005))
                           for k in kana[5:]]
    decks = tmp_path / "decks"
    write_deck(decks / "town", points=points)
    d, scene = _map_scene(make_app, decks)
    centres = [scene.markers[c.number] for c in scene.placed]
    assert len(centres) == 44
    assert overlapping(centres, MARKER_SPACING - 1) == []
    for x, y in centres:
        assert scene.inner.collidepoint(x - MARKER_RADIUS, y - MARKER_RADIUS)
        assert scene.inner.collidepoint(x + MARKER_RADIUS, y + MARKER_RADIUS)
        for r in scene._overlays():
            assert not r.inflate(2 * MARKER_RADIUS - 4, 2 * MARKER_RADIUS - 4).collidepoint(x, y)
    # every marker can be tapped where it is drawn: the tap finds that card and no other
    for card in scene.placed[5:12]:
        assert scene.marker_at(scene.marker_pos(card)) is card
    # a moved marker's leader line starts at its true spot: a dark dot is painted there
    moved = [c for c in scene.placed
             if (scene.marker_pos(c)[0] - scene.proj.to_screen(c.lat, c.lon)[0]) ** 2
             + (scene.marker_pos(c)[1] - scene.proj.to_screen(c.lat, c.lon)[1]) ** 2 > 40 ** 2]
    assert moved
    if os.environ.get("KARUTA_SHOTS"):
        pygame.image.save(d.app.screen, os.path.join(os.environ["KARUTA_SHOTS"], "map-dense.png"))


# ---------------------------------------------------------------- the web build


def test_the_web_build_carries_the_map_picture_at_the_size_the_screen_shows(tmp_path, make_app):
    """stage_deck is the web build's deck export (pygbag itself is run by test_web_build.py)."""
    from karuta.tools.web.decks import stage_deck
    from karuta.tools.web.stage import Stage

    folder = tmp_path / "decks" / "town"
    b = Bounds.around([(lat, lon) for _, lat, lon in REAL], PICTURE_SIZE[0] / PICTURE_SIZE[1], 150)
    write_deck(folder, extra=_map_yaml(north=b.north, south=b.south, west=b.west, east=b.east))
    _png(folder / "map.png", (2 * PICTURE_SIZE[0], 2 * PICTURE_SIZE[1]))  # a big hand-made picture
    deck, problems = check_deck(folder)
    assert problems == []
    stage = Stage(tmp_path / "stage")
    stage.root.mkdir()
    stage_deck(stage, deck)
    staged = tmp_path / "stage" / "decks" / "town"
    assert image_size(str(staged / "map.png")) == PICTURE_SIZE  # no bigger than the map screen shows
    assert any("map.png" in note for note in stage.notes)
    assert all(ch in stage.deck_chars for ch in "ちず")  # the attribution's characters reach the font subset
    web_deck, problems = check_deck(staged)  # deck.json, as the browser reads it
    assert problems == [] and web_deck.map == deck.map
    d, scene = _map_scene(make_app, tmp_path / "stage" / "decks")
    assert scene.picture is not None and scene.picture.get_size() == PICTURE_SIZE


def test_odd_map_values_are_reported_not_raised(tmp_path):
    folder = tmp_path / "town"
    for extra in ("map: [1, 2]", "map: {image: 5, north: 1e999, south: " + "9" * 400 + ", west: [], east: x}",
                  'map: {image: "map.png", north: .nan, south: 36.3, west: 139.0, east: 139.1, attribution: ["a"]}'):
        write_deck(folder, extra=extra)
        deck, problems = check_deck(folder)
        assert deck is None and problems and all(p.field.startswith("map") for p in problems), extra
    # a picture declaring more pixels than a tablet can decode is refused before it is ever loaded
    import struct
    import zlib

    write_deck(folder, extra=_map_yaml(north=36.345, south=36.330, west=139.080, east=139.110))
    w = 12_000
    h = round(w / Bounds(36.345, 36.330, 139.080, 139.110).aspect)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    (folder / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk
                                     + struct.pack(">I", zlib.crc32(chunk)))
    assert any("far larger than the map screen shows" in str(p) for p in check_deck(folder)[1])


# ---------------------------------------------------------------- the whole way: open data to the screen


def test_an_imported_open_data_deck_gets_a_map_with_every_marker_apart_on_desktop_and_web(tmp_path, server,
                                                                                          make_app, capsys):
    """Import files shaped like the city's (ZIP of a/b images, CP932 CSV), map it, show it, stage it for the web."""
    import random

    from test_deck_tools import image_bytes, write_csv, write_zip

    from karuta.tools.web.decks import stage_deck
    from karuta.tools.web.stage import Stage

    kana = KANA_ORDERS["aiueo"]
    rng = random.Random(44)
    where = {k: (lat, lon) for k, lat, lon in REAL}
    for k in kana[5:]:
        where[k] = (rng.uniform(36.326, 36.346), rng.uniform(139.080, 139.110))
    for group in ("さよわ", "らみし"):  # the piles seen with the real coordinates
        lat, lon = where[group[0]]
        for i, k in enumerate(group[1:], start=1):
            where[k] = (lat + 0.00008 * i, lon - 0.00006 * i)
    small = image_bytes("JPEG", (52, 73))
    entries = {f"下川淵カルタ/{n:02d}{face}.jpg": small for n in range(1, 45) for face in "ab"}
    rows = ["no,いろは,lat,lon,url"] + [f"{n},{k},{where[k][0]:.8f},{where[k][1]:.7f},https://example.org/{n}"
                                       for n, k in enumerate(kana, start=1)]
    src = tmp_path / "in"
    src.mkdir()
    decks = tmp_path / "decks"
    decks.mkdir()
    folder = decks / "shimokawabuchi"
    assert deck_tool.run(["import", "--zip", write_zip(src / "images.zip", entries), "--csv",
                          write_csv(src / "locations.csv", rows), "--out", str(folder), "--quiet"]) == 0
    assert run_map(folder, server, tmp_path / "cache") == 0
    capsys.readouterr()
    assert deck_tool.run(["validate", str(folder)]) == 0

    def check_screen(decks_dir):
        d, scene = _map_scene(make_app, decks_dir)
        assert scene.picture is not None and len(scene.placed) == 44
        centres = [scene.markers[c.number] for c in scene.placed]
        assert overlapping(centres, MARKER_SPACING - 1) == []
        for x, y in centres:
            assert scene.inner.inflate(-2 * MARKER_RADIUS, -2 * MARKER_RADIUS).collidepoint(x, y)
        return d

    desktop = check_screen(decks)
    stage = Stage(tmp_path / "stage")
    stage.root.mkdir()
    stage_deck(stage, desktop.app.deck)
    web = check_screen(tmp_path / "stage" / "decks")
    assert web.app.deck.folder.endswith(os.path.join("stage", "decks", "shimokawabuchi"))
    if os.environ.get("KARUTA_SHOTS"):
        pygame.image.save(desktop.app.screen, os.path.join(os.environ["KARUTA_SHOTS"], "map-imported.png"))
        pygame.image.save(web.app.screen, os.path.join(os.environ["KARUTA_SHOTS"], "map-imported-web.png"))


def test_import_force_keeps_the_map_entry_while_its_picture_is_there(tmp_path, server, capsys):
    """Re-importing the open data (--force) keeps the map of `karuta deck map`; a missing picture or a
    signpost moved outside it drops the entry with a line saying so, and the deck still validates."""
    from test_deck_tools import image_bytes, write_csv, write_zip

    small = image_bytes("JPEG", (52, 73))
    src = tmp_path / "in"
    src.mkdir()
    zip_path = write_zip(src / "images.zip", {f"{n:02d}{face}.jpg": small for n in range(1, 6) for face in "ab"})
    rows = ["no,いろは,lat,lon,url"] + [f"{n},{k},{lat},{lon},https://example.org/{n}"
                                       for n, (k, lat, lon) in enumerate(REAL, start=1)]
    csv_path = write_csv(src / "locations.csv", rows)
    folder = tmp_path / "decks" / "town"
    folder.parent.mkdir()

    def reimport() -> str:
        capsys.readouterr()
        assert deck_tool.run(["import", "--zip", zip_path, "--csv", csv_path, "--out", str(folder), "--force",
                              "--quiet"]) == 0
        return capsys.readouterr().out

    assert deck_tool.run(["import", "--zip", zip_path, "--csv", csv_path, "--out", str(folder), "--quiet"]) == 0
    assert run_map(folder, server, tmp_path / "cache") == 0
    picture = (folder / "map.jpg").read_bytes()
    before = load_map(folder)

    out = reimport()
    assert "map.jpg and its entry were kept" in out
    assert load_map(folder) == before and (folder / "map.jpg").read_bytes() == picture
    assert deck_tool.run(["validate", str(folder)]) == 0
    assert reimport() and load_map(folder) == before  # a second re-import keeps it again

    # A signpost moved far outside the picture: the old map no longer fits, so it is dropped.
    far = rows[:1] + [rows[1].replace(str(REAL[0][1]), "36.40")] + rows[2:]
    csv_path = write_csv(src / "locations.csv", far)
    out = reimport()
    assert "map: the old map entry was not kept" in out and "outside the map picture" in out
    assert load_map(folder) is None and check_deck(folder)[0] is not None

    # The picture deleted: the entry goes too, instead of a deck that no longer validates.
    csv_path = write_csv(src / "locations.csv", rows)
    assert run_map(folder, server, tmp_path / "cache") == 0
    (folder / "map.jpg").unlink()
    out = reimport()
    assert "its picture map.jpg is not in" in out
    assert load_map(folder) is None and check_deck(folder)[0] is not None


def load_map(folder):
    deck, problems = check_deck(folder)
    assert deck is not None, problems
    return deck.map.to_data() if deck.map else None
