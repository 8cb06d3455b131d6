"""Card images at import: recognise the open data's file names, refuse what is not a safe image,
and scale once to the size the game shows.

Desktop only (Pillow). The game itself never decodes a full-size original: a deck's images are
already small when it ships, which is what keeps a 132-image deck inside an iPad's memory.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from ..engine.deck import FACE_LETTERS
from .i18n import N_, _
from .refuse import Refused, require_regular_file

# The largest face the game shows is about 285 x 400 px (the gallery's card page) and a reading or
# explanation card at most about 650 px wide. 600 px of height (900 of width for landscape cards)
# keeps them sharp on a 2x iPad screen without carrying the originals' megapixels.
MAX_SIZE = (900, 600)
JPEG_QUALITY = 85
# Refuse before decoding: an image's declared size decides the memory its decoding takes,
# and a tiny file can declare 100 000 x 100 000 pixels.
MAX_PIXELS = 40_000_000
MAX_SIDE = 20_000
# A card image of the open data is about 100 KB, a scan at print resolution a few MB.
MAX_FILE_BYTES = 64_000_000

# "01a.jpg", "1a.JPG", "01_a.png", "01-A.jpeg", "下川淵カルタ01a.jpg": a number, then a / b / c.
_CARD_NAME_RE = re.compile(r"^(?:.*?[^0-9])?(?P<num>[0-9]{1,3})[\s_\-.]*(?P<face>[abc])\.(?P<ext>[a-z0-9]{1,5})$")
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png")


@dataclass(frozen=True)
class CardFileName:
    number: int
    face: str       # picture / reading / explanation
    extension: str  # lower case, without the dot


def card_file_name(name: str) -> CardFileName | None:
    """Which card and face a file is for, from its base name; None when the name is not a card's."""
    base = unicodedata.normalize("NFKC", name).strip().lower()  # full-width ０１ａ counts too
    m = _CARD_NAME_RE.match(base)
    if not m or int(m.group("num")) == 0:
        return None
    return CardFileName(int(m.group("num")), FACE_LETTERS[m.group("face")], m.group("ext"))


def is_system_junk(path: str) -> bool:
    """Files that archivers and desktops add by themselves (never a card, never worth a mention)."""
    parts = path.replace("\\", "/").split("/")
    base = parts[-1].lower()
    return ("__MACOSX" in parts or base.startswith("._") or base in ("thumbs.db", "desktop.ini", ".ds_store")
            or base.startswith("~$"))


@dataclass(frozen=True)
class ConvertedImage:
    data: bytes
    extension: str              # "jpg", or "png" when the image really uses transparency
    size: tuple[int, int]
    original_size: tuple[int, int]


def fit_size(size: tuple[int, int], box: tuple[int, int] = MAX_SIZE) -> tuple[int, int]:
    """``size`` scaled down (never up) to fit ``box``, keeping its proportions."""
    w, h = size
    scale = min(1.0, box[0] / w, box[1] / h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def _open(data: bytes, label: str):
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data), formats=("JPEG", "PNG"))
    except Image.DecompressionBombError:
        raise Refused(_("{file}: the image declares so many pixels that decoding it could exhaust memory").format(
            file=label)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        if data.startswith((_JPEG_MAGIC, _PNG_MAGIC)):
            kind = "JPEG" if data.startswith(_JPEG_MAGIC) else "PNG"
            raise Refused(_("{file}: a damaged {kind} image (its header cannot be read; was the file cut short "
                            "while copying?): save or export it again").format(file=label, kind=kind)) from None
        raise Refused(_("{file}: not a JPEG or PNG image{what_it_is}").format(file=label, what_it_is=sniff(data))) from None
    w, h = im.size
    if w < 1 or h < 1:
        raise Refused(_("{file}: the image has no pixels ({width} x {height})").format(file=label, width=w, height=h))
    if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
        raise Refused(_("{file}: the image declares {width} x {height} pixels; decoding it could exhaust memory "
                        "(at most {millions} million pixels and {side} px a side)").format(
                            file=label, width=w, height=h, millions=MAX_PIXELS // 1_000_000, side=MAX_SIDE))
    return im


_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def sniff(data: bytes) -> str:
    """A hint at what the file really is, for the refusal message."""
    head = data[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return _(kind)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _(" (it is an HEIC/HEIF or video file: export it as JPEG)")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _(" (it is a WebP image: convert it to JPEG or PNG)")
    if not data:
        return _(" (the file is empty)")
    return ""


_MAGIC = ((b"PK\x03\x04", N_(" (it is a ZIP)")), (b"%PDF", N_(" (it is a PDF)")), (b"GIF8", N_(" (it is a GIF image)")),
          (b"BM", N_(" (it is a BMP image)")), (b"II*\x00", N_(" (it is a TIFF image)")),
          (b"MM\x00*", N_(" (it is a TIFF image)")), (b"\xd0\xcf\x11\xe0", N_(" (it is an Office document)")),
          (b"MZ", N_(" (it is a program)")))


def convert_image(data: bytes, label: str) -> ConvertedImage:
    """Decode a JPEG/PNG safely and scale it to the game's size. Raises Refused with ``label`` in the message."""
    from PIL import Image, ImageOps

    im = _open(data, label)
    original = im.size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if im.format == "JPEG":
                # Decode a large JPEG at 1/2, 1/4 or 1/8 scale directly: faster, and far less memory.
                im.draft("RGB" if im.mode == "RGB" else None, fit_size(original, (MAX_SIZE[0], MAX_SIZE[0])))
            im.load()
            im = ImageOps.exif_transpose(im)  # phone photos are often stored sideways
            transparent = _uses_transparency(im)
            im = im.convert("RGBA" if transparent else "RGB")
    except Refused:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise Refused(_("{file}: the image is damaged and cannot be decoded ({reason})").format(
            file=label, reason=_reason(exc))) from None
    target = fit_size(im.size)
    if im.size != target:
        im = im.resize(target, Image.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    # Metadata (EXIF, with a phone's GPS position) is not carried over: only pixels.
    if transparent:
        im.save(out, "PNG", optimize=True)
    else:
        im.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ConvertedImage(out.getvalue(), "png" if transparent else "jpg", im.size, original)


def _uses_transparency(im) -> bool:
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA"):
        alpha = im.getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]


def read_image_file(path: str, label: str) -> bytes:
    """The bytes of an image file on disk, refused (never read whole) past MAX_FILE_BYTES."""
    require_regular_file(path, label, "image file")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise Refused(_("{file}: cannot be read ({reason})").format(file=label, reason=exc.strerror or exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise Refused(_("{file}: larger than {mb} MB; not a card image").format(file=label, mb=MAX_FILE_BYTES // 1_000_000))
    return data


def inspect_image_file(path: str, label: str) -> tuple[int, int]:
    """Check that a deck's image file decodes in full (for `karuta deck validate`); its size in pixels.

    Decoded twice: by Pillow, which notices a JPEG cut short, and by pygame (SDL_image, libpng),
    the decoder the game itself uses, which notices a PNG whose image data ends early (Pillow
    fills the missing rows in and says nothing; the game would show a blank card).
    """
    data = read_image_file(path, label)
    im = _open(data, label)
    size = im.size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise Refused(_("{file}: the image is damaged and cannot be decoded ({reason})").format(
            file=label, reason=_reason(exc))) from None
    why = _game_decoder_error(data, im.format)
    if why:
        raise Refused(_("{file}: the image is damaged and the game cannot show it ({reason}); save or export it "
                        "again").format(file=label, reason=why))
    return size


def _game_decoder_error(data: bytes, fmt: str) -> str | None:
    """Why pygame cannot decode the image, or None. libpng says why only on stderr: it is caught there."""
    import os
    import tempfile

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    with tempfile.TemporaryFile() as err:
        saved = os.dup(2)
        try:
            os.dup2(err.fileno(), 2)
            try:
                pygame.image.load(io.BytesIO(data), f"card.{fmt.lower()}")
                return None
            except (pygame.error, ValueError, OSError) as exc:
                reason = str(exc).strip()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        err.seek(0)
        said = err.read(2000).decode("utf-8", "replace").strip().splitlines()
    detail = next((line for line in said if "error" in line.lower()), "")
    return (detail or reason or "unreadable")[:120]
