"""Map geometry of a district: Web Mercator (as map tiles use), map views and marker layout.

Pure Python so that the game, the web build and the tools share one projection:
``karuta deck map`` stitches tiles in Web Mercator, and the map screen places signposts
on that picture with the same formulas. Marker layout (``spread``) keeps every signpost's
kana readable where signposts stand close together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

EARTH_RADIUS_M = 6_378_137.0          # the Web Mercator sphere (EPSG:3857)
MAX_LAT = 85.0511287798               # Web Mercator's square world ends here
TILE_SIZE = 256
# The map screen's picture area at the game's 1024 x 768 logical screen (inside the panel's rim).
# `karuta deck map` makes pictures of this size and the web build never ships them larger.
PICTURE_SIZE = (970, 464)
MIN_SPAN_M = 200.0                    # a deck with one signpost still gets a sensible scale
SCALE_STEPS_M = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)

Rect = tuple[float, float, float, float]   # x, y, width, height


# ---------------------------------------------------------------- Web Mercator


def world_xy(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) in degrees to the Mercator world square: x 0..1 west to east, y 0..1 north to south."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    s = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return x, y


def world_latlon(x: float, y: float) -> tuple[float, float]:
    """The inverse of world_xy."""
    lon = x * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))
    return lat, lon


def metres_per_world(lat: float) -> float:
    """Ground metres per world unit (the whole square's width) at a latitude."""
    return 2 * math.pi * EARTH_RADIUS_M * math.cos(math.radians(lat))


@dataclass(frozen=True)
class Bounds:
    """A map picture's edges in WGS 84 degrees; the picture is linear in Web Mercator between them."""

    north: float
    south: float
    west: float
    east: float

    def problems(self) -> list[str]:
        """What makes these edges unusable, in words for a deck maker (empty when fine)."""
        out = []
        for name in ("north", "south"):
            value = getattr(self, name)
            if not -MAX_LAT <= value <= MAX_LAT:
                out.append(f"{name}: {value} is not a latitude a map can show (-{MAX_LAT:.2f} to {MAX_LAT:.2f})")
        for name in ("west", "east"):
            value = getattr(self, name)
            if not -180.0 <= value <= 180.0:
                out.append(f"{name}: {value} is not a longitude (-180 to 180)")
        if not out:
            if self.north <= self.south:
                out.append(f"north ({self.north}) must be greater than south ({self.south})")
            if self.east <= self.west:
                out.append(f"east ({self.east}) must be greater than west ({self.west})")
        return out

    @property
    def world(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in the Mercator world square: top-left and bottom-right."""
        x0, y0 = world_xy(self.north, self.west)
        x1, y1 = world_xy(self.south, self.east)
        return x0, y0, x1, y1

    @property
    def aspect(self) -> float:
        """Width / height of a correct picture of these edges."""
        x0, y0, x1, y1 = self.world
        return (x1 - x0) / (y1 - y0)

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def fraction(self, lat: float, lon: float) -> tuple[float, float]:
        """Where a point lies across the picture: (0, 0) top-left, (1, 1) bottom-right."""
        x0, y0, x1, y1 = self.world
        x, y = world_xy(lat, lon)
        return (x - x0) / (x1 - x0), (y - y0) / (y1 - y0)

    @property
    def centre_lat(self) -> float:
        x0, y0, x1, y1 = self.world
        return world_latlon(0.5 * (x0 + x1), 0.5 * (y0 + y1))[0]

    @classmethod
    def from_world(cls, x0: float, y0: float, x1: float, y1: float) -> "Bounds":
        north, west = world_latlon(x0, y0)
        south, east = world_latlon(x1, y1)
        return cls(north, south, west, east)

    @classmethod
    def around(cls, points: Sequence[tuple[float, float]], aspect: float, margin_m: float = 0.0,
               min_span_m: float = MIN_SPAN_M) -> "Bounds":
        """The smallest edges of the given aspect holding every point plus ``margin_m`` all round."""
        pts = [world_xy(lat, lon) for lat, lon in points] or [world_xy(0.0, 0.0)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        per_m = 1.0 / metres_per_world(world_latlon(cx, cy)[0])
        w = max(max(xs) - min(xs), min_span_m * per_m) + 2 * margin_m * per_m
        h = max(max(ys) - min(ys), min_span_m * per_m) + 2 * margin_m * per_m
        if w / h < aspect:
            w = h * aspect
        else:
            h = w / aspect
        return cls.from_world(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


# ---------------------------------------------------------------- a view on the screen


class MapView:
    """Bounds drawn into a screen rectangle: the picture keeps its proportions and is centred.

    ``picture`` is the rectangle the map picture covers (the whole of ``rect`` when the
    proportions agree, as they do for pictures made by `karuta deck map`).
    """

    def __init__(self, bounds: Bounds, rect: Rect):
        self.bounds = bounds
        x, y, w, h = rect
        aspect = bounds.aspect
        pw, ph = (w, w / aspect) if w / h < aspect else (h * aspect, h)
        self.picture: Rect = (x + (w - pw) / 2, y + (h - ph) / 2, pw, ph)
        x0, _, x1, _ = bounds.world
        self.px_per_m = pw / ((x1 - x0) * metres_per_world(bounds.centre_lat))

    def to_screen_f(self, lat: float, lon: float) -> tuple[float, float]:
        fx, fy = self.bounds.fraction(lat, lon)
        px, py, pw, ph = self.picture
        return px + fx * pw, py + fy * ph

    def to_screen(self, lat: float, lon: float) -> tuple[int, int]:
        x, y = self.to_screen_f(lat, lon)
        return int(round(x)), int(round(y))

    def scale_bar(self, max_px: int = 160) -> tuple[int, int]:
        """A round distance in metres and its length in pixels, at most max_px long."""
        best = (SCALE_STEPS_M[0], int(SCALE_STEPS_M[0] * self.px_per_m))
        for metres in SCALE_STEPS_M:
            px = metres * self.px_per_m
            if px <= max_px:
                best = (metres, int(round(px)))
        return best


def fit_view(points: Sequence[tuple[float, float]], rect: Rect, pad: float) -> MapView:
    """A view with no picture: every point inside ``rect`` at least ``pad`` px from its edges."""
    x, y, w, h = rect
    inner_w, inner_h = max(1.0, w - 2 * pad), max(1.0, h - 2 * pad)
    inner = Bounds.around(points, inner_w / inner_h)
    # widen the edges by the padding, at the scale the inner part gets
    x0, y0, x1, y1 = inner.world
    per_px = (x1 - x0) / inner_w
    return MapView(Bounds.from_world(x0 - pad * per_px, y0 - pad * per_px, x1 + pad * per_px, y1 + pad * per_px),
                   rect)


# ---------------------------------------------------------------- marker layout


def spread(points: Sequence[tuple[float, float]], area: Rect, min_dist: float, radius: float,
           obstacles: Iterable[Rect] = ()) -> list[tuple[float, float]]:
    """Marker centres near their true spots, no two closer than ``min_dist``, all inside ``area``.

    Deterministic, in two steps. First the markers push each other apart while each is pulled
    gently back to its spot, so a cluster opens up evenly around its middle instead of sending one
    marker far away. Then every marker still too close to another (or on an overlay) is moved to
    the nearest free place, searched on rings of growing radius: that step is what guarantees no
    overlap. A marker keeps ``radius`` px inside ``area`` and clear of every rectangle in
    ``obstacles`` (the scale bar, the attribution). Only when the area is too full to hold every
    marker is one left where it is, overlapping.
    """
    box = _Box(area, radius, list(obstacles))
    relaxed = _relax([box.clamp(x, y) for x, y in points], box, min_dist)
    return _settle(relaxed, box, min_dist)


class _Box:
    """Where a marker's centre may be: inside the area by ``radius``, off every obstacle."""

    def __init__(self, area: Rect, radius: float, obstacles: list[Rect]):
        ax, ay, aw, ah = area
        self.lo_x, self.hi_x = ax + radius, ax + aw - radius
        self.lo_y, self.hi_y = ay + radius, ay + ah - radius
        if self.lo_x > self.hi_x or self.lo_y > self.hi_y:
            raise ValueError(f"an area of {aw} x {ah} px cannot hold a marker of radius {radius}")
        self.radius = radius
        self.reach = math.hypot(aw, ah)
        # an obstacle grown by the radius: a centre inside it would put the marker on the overlay
        self.blocks = [(bx - radius, by - radius, bx + bw + radius, by + bh + radius) for bx, by, bw, bh in obstacles]

    def clamp(self, x: float, y: float) -> tuple[float, float]:
        return min(max(x, self.lo_x), self.hi_x), min(max(y, self.lo_y), self.hi_y)

    def inside(self, x: float, y: float) -> bool:
        return self.lo_x <= x <= self.hi_x and self.lo_y <= y <= self.hi_y

    def blocked(self, x: float, y: float) -> tuple[float, float, float, float] | None:
        for b in self.blocks:
            if b[0] < x < b[2] and b[1] < y < b[3]:
                return b
        return None

    def place(self, x: float, y: float) -> tuple[float, float]:
        """Clamped into the area and pushed off any obstacle by the shortest way that stays inside."""
        x, y = self.clamp(x, y)
        b = self.blocked(x, y)
        if b is not None:
            options = [(x - b[0], b[0], y), (b[2] - x, b[2], y), (y - b[1], x, b[1]), (b[3] - y, x, b[3])]
            for _, nx, ny in sorted(options):
                if self.inside(nx, ny) and self.blocked(nx, ny) is None:
                    return nx, ny
        return x, y


def _relax(pos: list[tuple[float, float]], box: _Box, min_dist: float, rounds: int = 40) -> list[tuple[float, float]]:
    spots = list(pos)
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    n = len(pos)
    want = min_dist * 1.02  # a little more than needed, so the settling step has little left to do
    least = min_dist * min_dist
    for r in range(rounds):
        crowded = False
        for i in range(n):
            for j in range(i + 1, n):
                dx, dy = xs[j] - xs[i], ys[j] - ys[i]
                d2 = dx * dx + dy * dy
                if d2 >= want * want:
                    continue
                crowded = crowded or d2 < least
                if d2 < 1e-9:  # the same spot: part them in a direction fixed by their indices
                    angle = (i * 7 + j * 13) * 2.399963  # golden angle steps: never two alike
                    dx, dy, d = math.cos(angle), math.sin(angle), 1.0
                else:
                    d = math.sqrt(d2)
                push = (want - d) / 2 / d
                xs[i] -= dx * push
                ys[i] -= dy * push
                xs[j] += dx * push
                ys[j] += dy * push
        if not crowded:
            break  # every pair apart: done (before the pull could bring some together again)
        pull = 0.1 * (1 - r / rounds)  # back towards the true spot, less and less
        for i in range(n):
            xs[i] += (spots[i][0] - xs[i]) * pull
            ys[i] += (spots[i][1] - ys[i]) * pull
            xs[i], ys[i] = box.place(xs[i], ys[i])
    return list(zip(xs, ys))


def _settle(pos: list[tuple[float, float]], box: _Box, min_dist: float) -> list[tuple[float, float]]:
    """Keep each marker where it is when that is free; otherwise move it to the nearest free place."""
    placed: list[tuple[float, float]] = []
    min_d2 = min_dist * min_dist - 1e-6
    step = max(1.0, min_dist / 4)

    def free(cx: float, cy: float) -> bool:
        return (box.inside(cx, cy) and box.blocked(cx, cy) is None
                and all((cx - px) ** 2 + (cy - py) ** 2 >= min_d2 for px, py in placed))

    for x, y in pos:
        spot = (x, y) if free(x, y) else None
        ring = 1
        while spot is None and ring * step <= box.reach:
            r = ring * step
            count = max(6, int(2 * math.pi * r / step))
            best = None
            for i in range(count):
                angle = 2 * math.pi * i / count - math.pi / 2
                cx, cy = x + r * math.cos(angle), y + r * math.sin(angle)
                if free(cx, cy):
                    best = (cx, cy)
                    break
            spot = best
            ring += 1
        placed.append(spot if spot is not None else (x, y))
    return placed


def overlapping(centres: Sequence[tuple[float, float]], min_dist: float) -> list[tuple[int, int]]:
    """Pairs of markers closer than ``min_dist`` (for tests and the layout's own check)."""
    out = []
    for i, (x1, y1) in enumerate(centres):
        for j in range(i + 1, len(centres)):
            x2, y2 = centres[j]
            if (x1 - x2) ** 2 + (y1 - y2) ** 2 < min_dist * min_dist - 1e-6:
                out.append((i, j))
    return out
