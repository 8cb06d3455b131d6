"""``karuta deck map DECK``: the district's streets as one picture under the map screen's signposts.

Run once, where there is internet: it fetches the few XYZ map tiles that cover the deck's
signposts plus a margin, stitches them, scales them to the map screen's picture area and
writes ``map.jpg`` and the deck's ``map:`` entry (edges in WGS 84, linear in Web Mercator,
and the attribution the tile server requires). The game never downloads anything.

Tiles are cached (platformdirs user cache), so a rerun needs no network. Requests are
sequential, name the tool in User-Agent, and are bounded by ``--max-tiles``.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..engine.deck import deck_from_data, read_deck_data
from ..engine.geo import PICTURE_SIZE, TILE_SIZE, Bounds
from .deckwrite import quote
from .i18n import _
from .refuse import Refused

GSI_STD = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
GSI_ATTRIBUTION = "地理院タイル"
DEFAULT_MARGIN_M = 150.0
DEFAULT_MAX_ZOOM = 18        # the GSI standard map's most detailed level
DEFAULT_MAX_TILES = 40       # a district needs 6-30 tiles; more means a mistake, not a map
MAX_TILE_BYTES = 2_000_000
TIMEOUT_S = 20.0
JPEG_QUALITY = 85
IMAGE_NAME = "map.jpg"
USER_AGENT = "karuta-deck-map/0.1 (local-history karuta game; one-off district map, tiles cached)"
_MAP_BLOCK_RE = re.compile(r"^map:.*\n(?:[ \t]+\S.*\n)*", re.MULTILINE)  # the entry and its indented lines


def add_parser(sub) -> None:
    """The `karuta deck map` subcommand (registered by tools/deck/command.py)."""
    p = sub.add_parser("map", help=_("make the deck's map picture from map tiles (needs internet once)"),
                       description=_("Fetch the map tiles around the deck's signposts, stitch them into the map "
                                     "screen's picture and record it in deck.yaml (docs/decks.md, \"The map "
                                     "picture\")."))
    p.add_argument("deck", metavar="DECK", help=_("the deck folder, e.g. decks/shimokawabuchi"))
    p.add_argument("--tiles", default=GSI_STD, metavar="URL_TEMPLATE",
                   help=_("an XYZ tile server with {z}, {x} and {y} (default: the GSI standard map)"))
    p.add_argument("--attribution", help=_("the credit the tile server requires (default for the GSI tiles: "
                                           "{default}; required with --tiles)").format(default=GSI_ATTRIBUTION))
    p.add_argument("--margin", type=float, default=DEFAULT_MARGIN_M, metavar="METRES",
                   help=_("map shown around the outermost signposts (default {default})").format(
                       default=f"{DEFAULT_MARGIN_M:g}"))
    p.add_argument("--max-zoom", type=int, default=DEFAULT_MAX_ZOOM, metavar="Z",
                   help=_("the tile server's most detailed zoom level (default {default})").format(
                       default=DEFAULT_MAX_ZOOM))
    p.add_argument("--max-tiles", type=int, default=DEFAULT_MAX_TILES, metavar="N",
                   help=_("never fetch more tiles than this (default {default})").format(default=DEFAULT_MAX_TILES))
    p.add_argument("--cache-dir", metavar="DIR", help=_("where tiles are kept (default: the user cache folder)"))
    p.set_defaults(func=cmd_map)


@dataclass(frozen=True)
class TilePlan:
    zoom: int
    xs: range
    ys: range
    crop: tuple[float, float, float, float]   # the bounds in pixels of the stitched tiles

    @property
    def count(self) -> int:
        return len(self.xs) * len(self.ys)


def plan_tiles(bounds: Bounds, size: tuple[int, int], max_zoom: int, max_tiles: int) -> TilePlan:
    """The zoom whose tiles show the bounds closest to 1:1 at ``size`` (map text stays readable), and its tiles."""
    x0, y0, x1, y1 = bounds.world
    ideal = math.log2(size[0] / ((x1 - x0) * TILE_SIZE))
    zoom = max(0, min(max_zoom, round(ideal)))
    n = 2 ** zoom
    xs = range(math.floor(x0 * n), math.ceil(x1 * n))
    ys = range(math.floor(y0 * n), math.ceil(y1 * n))
    if len(xs) * len(ys) > max_tiles:  # at most about 7 x 4 at the size the screen shows
        raise Refused(_("the map needs {n} tiles at zoom {zoom}, more than --max-tiles {max_tiles}").format(
            n=len(xs) * len(ys), zoom=zoom, max_tiles=max_tiles))
    crop = ((x0 * n - xs.start) * TILE_SIZE, (y0 * n - ys.start) * TILE_SIZE,
            (x1 * n - xs.start) * TILE_SIZE, (y1 * n - ys.start) * TILE_SIZE)
    return TilePlan(zoom, xs, ys, crop)


class TileSource:
    """Tiles from the cache, else from the server (one request at a time, identified)."""

    def __init__(self, template: str, cache_dir: str):
        self.template = template
        self.host = urllib.parse.urlsplit(template).netloc
        self.folder = os.path.join(cache_dir, hashlib.sha256(template.encode()).hexdigest()[:16])
        self.fetched = self.cached = self.missing = 0

    def get(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes; None when the server has no tile there (HTTP 404: sea, outside its area)."""
        path = os.path.join(self.folder, str(z), str(x), f"{y}.tile")
        if os.path.isfile(path):
            with open(path, "rb") as f:
                self.cached += 1
                return f.read()
        url = self.template.format(z=z, x=x, y=y)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                data = response.read(MAX_TILE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                self.missing += 1
                return None
            raise Refused(_("the tile server {host} answered {status} for {url}; nothing was written").format(
                host=self.host, status=f"{exc.code} {exc.reason}", url=url)) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise Refused(_("cannot reach the tile server {host} ({reason}); nothing was written (run it again where "
                            "there is internet)").format(host=self.host, reason=reason)) from None
        if len(data) > MAX_TILE_BYTES or not data.startswith((b"\x89PNG", b"\xff\xd8")):
            raise Refused(_("{url} is not a PNG or JPEG map tile; nothing was written (check --tiles)").format(url=url))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".part"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # a cached tile is always whole
        self.fetched += 1
        return data


def stitch(plan: TilePlan, source: TileSource, size: tuple[int, int]) -> bytes:
    """The tiles pasted together, cut to the bounds and scaled to ``size``: JPEG bytes."""
    from PIL import Image

    canvas = Image.new("RGB", (len(plan.xs) * TILE_SIZE, len(plan.ys) * TILE_SIZE), (238, 238, 238))
    for row, y in enumerate(plan.ys):
        for col, x in enumerate(plan.xs):
            data = source.get(plan.zoom, x, y)
            if data is None:
                continue
            try:
                with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as tile:
                    tile = tile.convert("RGB")
            except Exception:  # Pillow raises many kinds for a damaged file
                raise Refused(_("tile {tile} from {host} does not decode; nothing was written").format(
                    tile=f"{plan.zoom}/{x}/{y}", host=source.host)) from None
            if tile.size != (TILE_SIZE, TILE_SIZE):
                tile = tile.resize((TILE_SIZE, TILE_SIZE), Image.LANCZOS)
            canvas.paste(tile, (col * TILE_SIZE, row * TILE_SIZE))
    picture = canvas.resize(size, Image.LANCZOS, box=plan.crop)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def map_block(deck_map: dict) -> str:
    """The ``map:`` entry of deck.yaml."""
    lines = ["# The map screen's picture: made by `karuta deck map` (docs/decks.md). Edges in degrees",
             "# (WGS 84), the picture linear in Web Mercator between them; the attribution is shown on the map.",
             "map:"]
    for key in ("image", "attribution"):
        lines.append(f"  {key}: {quote(deck_map[key])}")
    for key in ("north", "south", "west", "east"):
        lines.append(f"  {key}: {deck_map[key]:.7f}")
    return "\n".join(lines) + "\n"


def with_map(text: str, block: str) -> str:
    """deck.yaml's text with its ``map:`` entry replaced, or added before ``cards:``."""
    text = re.sub(r"^# The map screen's picture: made by `karuta deck map`.*\n(?:#.*\n)?(?=map:)", "", text,
                  flags=re.MULTILINE)
    if _MAP_BLOCK_RE.search(text):
        return _MAP_BLOCK_RE.sub(lambda m: block, text, count=1)
    at = re.search(r"^cards:", text, re.MULTILINE)
    if at is None:
        return text.rstrip("\n") + "\n" + block
    return text[:at.start()] + block + text[at.start():]


def cmd_map(args) -> int:
    folder = args.deck.rstrip("/\\") or "."
    template = args.tiles.strip()
    if not re.match(r"^https?://", template) or not all(k in template for k in ("{z}", "{x}", "{y}")):
        raise Refused(_("--tiles {template}: give an http(s) address with {{z}}, {{x}} and {{y}}").format(
            template=repr(template)))
    attribution = args.attribution.strip() if args.attribution else (GSI_ATTRIBUTION if template == GSI_STD else "")
    if not attribution:
        raise Refused(_("--attribution: say whose map it is (the credit the tile server requires); it is shown on the "
                        "map screen"))
    if not 0 <= args.margin <= 5000:
        raise Refused(_("--margin {margin}: give 0 to 5000 metres").format(margin=f"{args.margin:g}"))
    if not 1 <= args.max_tiles <= 400:
        raise Refused(_("--max-tiles {n}: give 1 to 400").format(n=args.max_tiles))

    data, problems, label = read_deck_data(folder)
    if problems:
        raise Refused(str(problems[0]))
    if not label.endswith((".yaml", ".yml")):
        raise Refused(_("{file}: a web build's deck; run this on the deck folder with deck.yaml").format(file=label))
    rest = {k: v for k, v in data.items() if k != "map"} if isinstance(data, dict) else data
    deck, problems = deck_from_data(rest, folder, label)  # the map is what this makes: judge the rest
    if deck is None:
        raise Refused(_("{deck}: the deck has problems; fix them first (karuta deck validate {deck}): {problem}")
                      .format(deck=folder, problem=problems[0]))
    points = [(c.lat, c.lon) for c in deck.cards if c.has_location]
    if not points:
        raise Refused(_("{deck}: no card has a location (lat, lon): there is nothing to put on a map").format(
            deck=folder))

    size = PICTURE_SIZE
    bounds = Bounds.around(points, size[0] / size[1], args.margin)
    plan = plan_tiles(bounds, size, args.max_zoom, args.max_tiles)
    source = TileSource(template, args.cache_dir or _default_cache())
    picture = stitch(plan, source, size)
    if source.missing == plan.count:
        raise Refused(_("the tile server {host} has no tiles here (zoom {zoom}); nothing was written").format(
            host=source.host, zoom=plan.zoom))

    entry = {"image": IMAGE_NAME, "attribution": attribution, "north": bounds.north, "south": bounds.south,
             "west": bounds.west, "east": bounds.east}
    with open(label, encoding="utf-8-sig") as f:
        text = with_map(f.read(), map_block(entry))
    _replace(os.path.join(folder, IMAGE_NAME), picture)
    _replace(label, text.encode("utf-8"))
    from ..engine.deck import check_deck

    checked, problems = check_deck(folder)
    if source.missing:
        done = _("Wrote {picture} ({width} x {height} px, zoom {zoom}, {n} tiles: {fetched} fetched, {cached} from "
                 "the cache, {missing} missing) and the map entry in {file}; 「{attribution}」 is shown on the map.")
    else:
        done = _("Wrote {picture} ({width} x {height} px, zoom {zoom}, {n} tiles: {fetched} fetched, {cached} from "
                 "the cache) and the map entry in {file}; 「{attribution}」 is shown on the map.")
    print(done.format(picture=os.path.join(folder, IMAGE_NAME), width=size[0], height=size[1], zoom=plan.zoom,
                      n=plan.count, fetched=source.fetched, cached=source.cached, missing=source.missing,
                      file=label, attribution=attribution))
    for p in problems:
        print(p)
    return 0 if checked is not None else 1


def _default_cache() -> str:
    import platformdirs

    return os.path.join(platformdirs.user_cache_dir("karuta"), "tiles")


def _replace(path: str, data: bytes) -> None:
    tmp = path + ".karuta-tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
