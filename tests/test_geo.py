"""Web Mercator, map views and marker layout (karuta/engine/geo.py): plain Python, no pygame."""

from __future__ import annotations

import math
import random

import pytest

from karuta.engine.geo import PICTURE_SIZE, Bounds, MapView, fit_view, overlapping, spread, world_latlon, world_xy

# The open data's first five signposts (docs: /work/shared/notes/open-data-deck.md).
REAL = [(36.34159741, 139.0865416), (36.33518889, 139.0959917), (36.33382426, 139.0969885),
        (36.33439327, 139.0956862), (36.33400496, 139.1052498)]
AREA = (27, 111, PICTURE_SIZE[0], PICTURE_SIZE[1])   # the map screen's picture area
SPACING, RADIUS = 48, 22


def slippy_tile(lat: float, lon: float, z: int) -> tuple[float, float]:
    """The usual tile formula (asinh of tan), written independently of geo.world_xy."""
    n = 2 ** z
    return (lon + 180) / 360 * n, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n


def test_mercator_agrees_with_the_tile_formula_and_inverts():
    for lat, lon in REAL + [(0.0, 0.0), (-33.9, 151.2), (64.1, -21.9)]:
        x, y = world_xy(lat, lon)
        tx, ty = slippy_tile(lat, lon, 16)
        assert x * 2 ** 16 == pytest.approx(tx, abs=1e-6) and y * 2 ** 16 == pytest.approx(ty, abs=1e-6)
        assert world_latlon(x, y) == pytest.approx((lat, lon), abs=1e-9)
    assert world_xy(0, 0) == (0.5, 0.5)
    assert world_xy(85.0511287798, 180.0) == pytest.approx((1.0, 0.0), abs=1e-9)  # the square's corner


def test_bounds_report_what_is_wrong_with_them():
    assert Bounds(36.35, 36.33, 139.08, 139.11).problems() == []
    assert any("greater than south" in p for p in Bounds(36.33, 36.35, 139.08, 139.11).problems())
    assert any("greater than west" in p for p in Bounds(36.35, 36.33, 139.11, 139.08).problems())
    # lat and lon swapped: a latitude of 139 is named, not silently drawn
    assert any("north: 139.11" in p for p in Bounds(139.11, 139.08, 36.33, 36.35).problems())


def test_bounds_around_points_hold_them_with_the_margin_and_the_aspect():
    aspect = PICTURE_SIZE[0] / PICTURE_SIZE[1]
    b = Bounds.around(REAL, aspect, margin_m=150)
    assert b.aspect == pytest.approx(aspect, rel=1e-9)
    for lat, lon in REAL:
        assert b.contains(lat, lon)
    # 150 m of margin beyond the northernmost and westernmost signposts (1 degree of latitude ~ 111 km)
    assert (b.north - max(p[0] for p in REAL)) * 111_000 >= 149
    assert (min(p[1] for p in REAL) - b.west) * 111_000 * math.cos(math.radians(36.34)) >= 149


def test_a_view_places_known_coordinates_at_known_pixels():
    # bounds on tile edges: zoom 16 tiles 58087..58090 x 25658..25659 (4 x 2 tiles = 1024 x 512 px),
    # the tiles of the first signposts
    z = 16
    n = 2 ** z
    nw = world_latlon(58087 / n, 25658 / n)
    se = world_latlon(58091 / n, 25660 / n)
    bounds = Bounds(nw[0], se[0], nw[1], se[1])
    assert bounds.aspect == pytest.approx(2.0)
    view = MapView(bounds, (100, 50, 800, 400))  # the picture fills the rect: 800 / 1024 px per tile px
    assert view.picture == pytest.approx((100, 50, 800, 400))
    corner = world_latlon(58088 / n, 25659 / n)  # one tile right, one tile down from the top-left
    assert view.to_screen(*corner) == (100 + 200, 50 + 200)
    # a real signpost: its tile pixel, scaled the same way
    tx, ty = slippy_tile(*REAL[0], z)
    x, y = view.to_screen_f(*REAL[0])
    assert (x, y) == pytest.approx((100 + (tx - 58087) * 200, 50 + (ty - 25658) * 200), abs=1e-6)
    # a rect of other proportions: the picture is centred and keeps its own
    wide = MapView(bounds, (0, 0, 1000, 400))
    assert wide.picture == pytest.approx((100, 0, 800, 400))
    # the scale: a tile at zoom 16 is 256 px for 2 pi R cos(lat) / 2^16 metres
    metres_per_tile = 2 * math.pi * 6_378_137 * math.cos(math.radians(bounds.centre_lat)) / n
    assert view.px_per_m == pytest.approx(200 / metres_per_tile, rel=1e-9)
    metres, px = view.scale_bar(160)
    assert px <= 160 and px == round(metres * view.px_per_m)


def test_a_view_without_a_picture_keeps_every_point_inside_the_padding():
    view = fit_view(REAL, AREA, pad=44)
    x0, y0, w, h = AREA
    for lat, lon in REAL:
        x, y = view.to_screen_f(lat, lon)
        assert x0 + 44 - 1e-6 <= x <= x0 + w - 44 + 1e-6 and y0 + 44 - 1e-6 <= y <= y0 + h - 44 + 1e-6
    one = fit_view(REAL[:1], AREA, pad=44)  # one signpost: still a sensible scale, in the middle
    assert one.to_screen(*REAL[0]) == (x0 + w // 2, y0 + h // 2)
    assert 0.2 < one.px_per_m < 5


def _check_layout(spots, centres, area=AREA, radius=RADIUS, obstacles=()):
    assert len(centres) == len(spots)
    assert overlapping(centres, SPACING) == []
    ax, ay, aw, ah = area
    for x, y in centres:
        assert ax + radius - 1e-6 <= x <= ax + aw - radius + 1e-6
        assert ay + radius - 1e-6 <= y <= ay + ah - radius + 1e-6
        for bx, by, bw, bh in obstacles:
            nx, ny = min(max(x, bx), bx + bw), min(max(y, by), by + bh)
            assert (x - nx) ** 2 + (y - ny) ** 2 >= radius ** 2 - 1e-6


def test_the_five_real_signposts_are_spread_so_none_hides_another():
    view = fit_view(REAL, AREA, pad=44)
    spots = [view.to_screen_f(*p) for p in REAL]
    assert overlapping(spots, SPACING)  # at this scale う, え and い really do pile up
    centres = spread(spots, AREA, SPACING, RADIUS)
    _check_layout(spots, centres)
    # markers that were clear stay on their spot; the moved ones stay near it
    for (sx, sy), (x, y) in zip(spots, centres):
        assert math.hypot(x - sx, y - sy) < 2 * SPACING
    assert centres[0] == pytest.approx(spots[0]) and centres[4] == pytest.approx(spots[4])


def test_a_dense_cluster_spreads_inside_the_area_and_clear_of_the_overlays():
    rng = random.Random(15)
    centre = (36.3345, 139.0962)
    # 44 signposts within about 60 m of each other, and six at exactly the same spot
    cluster = [(centre[0] + rng.uniform(-0.0005, 0.0005), centre[1] + rng.uniform(-0.0006, 0.0006))
               for _ in range(38)] + [centre] * 6
    view = fit_view(REAL + cluster, AREA, pad=44)
    spots = [view.to_screen_f(*p) for p in REAL + cluster]
    scale_bar = (AREA[0] + 12, AREA[1] + AREA[3] - 62, 184, 54)
    north = (AREA[0] + AREA[2] - 72, AREA[1] + 16, 64, 86)
    centres = spread(spots, AREA, SPACING, RADIUS, [scale_bar, north])
    _check_layout(spots, centres, obstacles=[scale_bar, north])
    assert spread(spots, AREA, SPACING, RADIUS, [scale_bar, north]) == centres  # deterministic
    # the cluster opens up around its middle: nobody is sent across the 970 px map. The cluster lies
    # near the map's lower edge, so its 44 markers fill a half disc: packed as tightly as circles can
    # be, that reaches about 250 px.
    moves = sorted(math.hypot(x - sx, y - sy) for (sx, sy), (x, y) in zip(spots, centres))
    assert moves[-1] < 300


def test_markers_at_the_edge_and_in_a_corner_stay_on_the_map():
    x0, y0, w, h = AREA
    spots = [(x0 - 50, y0 - 50)] * 5 + [(x0 + w + 10, y0 + h / 2)] * 4 + [(x0 + w / 2, y0 + h + 30)]
    centres = spread(spots, AREA, SPACING, RADIUS)
    _check_layout(spots, centres)


def test_an_area_too_small_for_a_marker_is_refused_clearly():
    with pytest.raises(ValueError, match="cannot hold a marker"):
        spread([(0, 0)], (0, 0, 30, 30), SPACING, RADIUS)
