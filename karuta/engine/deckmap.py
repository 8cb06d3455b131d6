"""A deck's map picture: ``map: {image, north, south, west, east, attribution}`` in deck.yaml.

The picture shows the district's streets under the signposts on the map screen. Its edges are
WGS 84 degrees and the picture is linear in Web Mercator between them (as map tiles are), so
its proportions follow from the edges: a picture that disagrees with them would put every
signpost in the wrong street, and is reported. Validation reads only the image's header (pure
Python: the browser runtime has no Pillow); `karuta deck validate` decodes it fully as well.
"""

from __future__ import annotations

import math
import os
import struct
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .decktext import MISSING, UNKNOWN_FIELD
from .geo import PICTURE_SIZE, Bounds
from .messages import N_, Message

MAP_SUFFIXES = (".png", ".jpg", ".jpeg")
MAP_KEYS = ("image", "north", "south", "west", "east", "attribution")
EDGES = ("north", "south", "west", "east")
MAX_PIXELS = 40_000_000  # as for card images (tools/images.py): decoding more could exhaust a tablet's memory
ASPECT_TOLERANCE = 0.02   # 2 %: a pixel of rounding on a small picture, never a wrong street
_HEADER_LIMIT = 1 << 20   # a JPEG's size marker comes after its metadata; never read further than this


@dataclass(frozen=True)
class DeckMap:
    image: str          # path relative to the deck folder
    bounds: Bounds
    attribution: str    # shown on the map screen; tile servers require it

    def to_data(self) -> dict:
        b = self.bounds
        return {"image": self.image, "north": b.north, "south": b.south, "west": b.west, "east": b.east,
                "attribution": self.attribution}


def check_map(ck, raw: Any, cards: Iterable) -> DeckMap | None:
    """Validate the ``map`` field with the deck's checker; problems go to ``ck``. None when absent or bad."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        ck.add("map", N_("must be a mapping: image, north, south, west, east, attribution"))
        return None
    ok = True
    for key in sorted(str(k) for k in raw if k not in MAP_KEYS):
        ck.add(f"map.{key}", UNKNOWN_FIELD, known=", ".join(MAP_KEYS))
        ok = False
    image = ck.relpath(raw.get("image"), "map.image", {}, MAP_SUFFIXES)
    if not image:
        if raw.get("image") in (None, ""):
            ck.add("map.image", N_("missing (the map picture, e.g. map.jpg; `karuta deck map` makes one)"))
        ok = False
    attribution = raw.get("attribution")
    if attribution is None or isinstance(attribution, str) and not attribution.strip():
        ck.add("map.attribution", N_("missing: the credit the map's makers require, shown on the map "
                                     "(for the GSI tiles: 地理院タイル)"))
        ok = False
    else:
        # the deck's one text rule (type, length, control characters), as for every shown text
        attribution = ck.text({"map.attribution": attribution}, "map.attribution", {}, limit=200)
        ok = ok and bool(attribution)
    edges = {}
    for key in EDGES:
        value = raw.get(key)
        try:
            degrees = None if isinstance(value, bool) else float(value) if isinstance(value, (int, float)) else None
        except OverflowError:  # a YAML integer with hundreds of digits
            degrees = math.inf
        if degrees is None:
            if value is None:
                ck.add(f"map.{key}", MISSING)
            elif isinstance(value, str):
                ck.add(f"map.{key}", N_("{value} must be a number of degrees"), value=repr(value[:30]))
            else:
                ck.add(f"map.{key}", N_("a {type} must be a number of degrees"), type=type(value).__name__)
            ok = False
        else:
            edges[key] = degrees
    if len(edges) < 4:
        return None
    bounds = Bounds(**edges)
    for message in bounds.problems():  # geo.py's words, in English
        ck.add("map", message)
        ok = False
    if not ok:
        return None
    if ck.check_files:
        full = os.path.join(ck.folder, *image.split("/"))
        try:
            size = image_size(full)
        except ValueError as exc:
            ck.add("map.image", N_("{path}: {reason}"), path=image, reason=exc.args[0])
            return None
        w, h = size
        if w * h > MAX_PIXELS:
            ck.add("map.image", N_("{path} is {width} x {height} px: far larger than the map screen shows "
                                   "({screen_width} x {screen_height}); make it smaller"),
                   path=image, width=w, height=h, screen_width=PICTURE_SIZE[0], screen_height=PICTURE_SIZE[1])
            return None
        if abs((w / h) / bounds.aspect - 1) > ASPECT_TOLERANCE:
            ck.add("map", N_("{path} is {width} x {height} px ({ratio}:1) but its edges are {edges}:1 in Web "
                             "Mercator: check north/south/west/east, or make the picture again with `karuta deck map`"),
                   path=image, width=w, height=h, ratio=f"{w / h:.2f}", edges=f"{bounds.aspect:.2f}")
            return None
    for card in cards:
        if card.has_location and not bounds.contains(card.lat, card.lon):
            ck.add("map", N_("the signpost ({lat}, {lon}) is outside the map picture: make it again with "
                             "`karuta deck map`, or delete the map entry (the plain map needs no picture)"),
                   card.number, card.kana, lat=card.lat, lon=card.lon)
            ok = False
    return DeckMap(image, bounds, attribution) if ok else None


def image_size(path: str) -> tuple[int, int]:
    """Width and height from a PNG or JPEG header; otherwise ValueError whose argument is a Message
    saying what is wrong (``str(exc)`` shows it in the user's language)."""
    try:
        with open(path, "rb") as f:
            head = f.read(32)
            if head.startswith(b"\x89PNG\r\n\x1a\n"):
                if head[12:16] != b"IHDR" or len(head) < 24:
                    raise ValueError(Message(N_("a damaged PNG (no IHDR header)")))
                w, h = struct.unpack(">II", head[16:24])
            elif head.startswith(b"\xff\xd8"):
                w, h = _jpeg_size(f)
            else:
                raise ValueError(Message(N_("not a PNG or JPEG image") if head else
                                         N_("not a PNG or JPEG image (the file is empty)")))
    except OSError as exc:
        raise ValueError(Message(N_("cannot be read ({reason})"), reason=exc.strerror or str(exc))) from None
    if w < 1 or h < 1:
        raise ValueError(Message(N_("the image has no pixels ({width} x {height})"), width=w, height=h))
    return w, h


def _jpeg_size(f) -> tuple[int, int]:
    """Walk a JPEG's marker segments to the frame header (SOFn) that holds its size."""
    f.seek(2)
    while f.tell() < _HEADER_LIMIT:
        byte = f.read(1)
        if not byte:
            break
        if byte != b"\xff":
            continue
        marker = f.read(1)
        while marker == b"\xff":  # fill bytes
            marker = f.read(1)
        if not marker:
            break
        m = marker[0]
        if m in (0xD8, 0x01) or 0xD0 <= m <= 0xD7:
            continue  # markers without a length
        raw_len = f.read(2)
        if len(raw_len) < 2:
            break
        length = struct.unpack(">H", raw_len)[0]
        if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
            frame = f.read(5)
            if len(frame) < 5:
                break
            h, w = struct.unpack(">HH", frame[1:5])
            return w, h
        if m == 0xDA or length < 2:
            break  # image data before any frame header
        f.seek(length - 2, os.SEEK_CUR)
    raise ValueError(Message(N_("a damaged JPEG (no frame header with its size)")))
