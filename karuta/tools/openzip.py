"""Where card images come from: the city's ZIP, or a folder of a district's own files.

A ZIP is never extracted: each card image is read into memory (with a size cap) and only the
converted result is written, under a name the importer chooses. So no entry name ever becomes a
path on disk; entries that *try* to leave the folder (``../``, absolute paths, links) are still
refused, because a ZIP that contains them is not a plain image archive and should not be trusted.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Callable

from .i18n import _
from .images import MAX_FILE_BYTES, CardFileName, card_file_name, is_system_junk, read_image_file, sniff
from .refuse import Refused, require_regular_file

MAX_ENTRIES = 5_000             # the open data ZIP has 132 images
MAX_TOTAL_BYTES = 2_000_000_000  # declared size of all card images together
MAX_RATIO = 100                 # JPEG and PNG hardly compress; a 100:1 entry is made of nothing
RATIO_CHECK_FROM = 1_000_000    # small files (a blank PNG) may compress well; only big ones are suspicious


@dataclass
class SourceFile:
    name: str                    # as shown to the facilitator: "IMAGES.zip: 下川淵カルタ/01a.jpg"
    card: CardFileName
    size: int
    read: Callable[[], bytes]


@dataclass
class CardFiles:
    label: str                                   # the ZIP or folder, as given
    files: dict[tuple[int, str], SourceFile]     # (number, face) -> file
    skipped: list[str] = field(default_factory=list)  # files that are not card images
    top_folder: str = ""                         # the one folder all card images are in, if any

    @property
    def numbers(self) -> list[int]:
        return sorted({n for n, _ in self.files})


def decode_entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its maker wrote it.

    Without the UTF-8 flag, Python decodes names as CP437. ZIPs made on Japanese Windows store
    CP932 there (and macOS tools UTF-8 without the flag), so the CP437 text is turned back into
    its bytes and decoded again. ``orig_filename`` is used because CP932 names may contain the
    byte 0x5C (``表``, ``ソ``), which is a backslash in CP437.
    """
    name = info.orig_filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = None
        if raw is not None:
            for encoding in ("utf-8", "cp932"):
                try:
                    name = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    return name.replace("\\", "/")


def _unsafe(name: str) -> str | None:
    """Why an entry name would land outside the output folder, or None."""
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return _("is an absolute path")
    if ".." in PurePosixPath(name).parts:
        return _("climbs out of the folder with ../")
    if "\x00" in name:
        return _("contains a NUL character")
    return None


def scan_zip(path: str, label: str | None = None) -> CardFiles:
    """List the card images of a ZIP without extracting anything. Raises Refused."""
    label = label or path
    require_regular_file(path, label, "ZIP file")
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise Refused(_("{file}: cannot be read ({reason})").format(file=label, reason=exc.strerror or exc)) from None
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        if head.startswith(b"PK"):
            raise Refused(_("{file}: a damaged ZIP file (it starts like a ZIP but its list of files is missing or "
                            "broken: was the download cut short?); download it again").format(file=label)) from None
        raise Refused(_("{file}: not a ZIP file{what_it_is}").format(file=label, what_it_is=sniff(head))) from None
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Refused(_("{file}: holds {n} entries; a card image ZIP has a few hundred at most").format(
            file=label, n=len(infos)))
    cards = CardFiles(label, {})
    total = 0
    folders: set[str] = set()
    nested_zips: list[str] = []
    for info in infos:
        name = decode_entry_name(info)
        shown = f"{label}: {name}"
        why = _unsafe(name)
        if why:
            raise Refused(_("{entry}: the entry {why}; this ZIP is not a plain image archive, nothing was imported")
                          .format(entry=shown, why=why))
        if stat.S_ISLNK(info.external_attr >> 16):
            raise Refused(_("{entry}: the entry is a symbolic link; this ZIP is not a plain image archive, nothing was "
                            "imported").format(entry=shown))
        if info.is_dir() or is_system_junk(name):
            continue
        base = PurePosixPath(name).name
        card = card_file_name(base)
        if card is None:
            if base.lower().endswith(".zip"):
                nested_zips.append(name)
            cards.skipped.append(name)
            continue
        if info.flag_bits & 0x1:
            raise Refused(_("{entry}: the entry is encrypted (password-protected ZIP); unpack it yourself first")
                          .format(entry=shown))
        if info.file_size > MAX_FILE_BYTES:
            raise Refused(_("{entry}: unpacks to {size} bytes; larger than any card image (at most {mb} MB): refused "
                            "as a possible ZIP bomb").format(entry=shown, size=f"{info.file_size:,}",
                                                             mb=MAX_FILE_BYTES // 1_000_000))
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise Refused(_("{entry}: unpacks {ratio} times larger than it is stored; images do not compress like "
                            "that: refused as a possible ZIP bomb").format(
                                entry=shown, ratio=info.file_size // max(1, info.compress_size)))
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise Refused(_("{file}: the card images unpack to more than {gb} GB; refused as a possible ZIP bomb")
                          .format(file=label, gb=MAX_TOTAL_BYTES // 1_000_000_000))
        key = (card.number, card.face)
        if key in cards.files:
            earlier = cards.files[key].name.split(": ", 1)[1]
            if earlier == name:
                raise Refused(_("{file}: {entry} is in the ZIP twice (two entries with the same name, perhaps added "
                                "again while updating the ZIP); make the ZIP again from the folder").format(
                                    file=label, entry=name))
            raise Refused(_("{file}: {first} and {second} are both card {number}'s {face} image; remove one from the "
                            "ZIP").format(file=label, first=earlier, second=name, number=card.number, face=card.face))
        folders.add(str(PurePosixPath(name).parent))
        cards.files[key] = SourceFile(shown, card, info.file_size, _zip_reader(zf, info, shown))
    if not cards.files:
        if nested_zips:
            raise Refused(_("{file}: no card images found ({n} other files). It contains another ZIP ({zip}): unpack "
                            "that one and import it.").format(file=label, n=len(cards.skipped), zip=nested_zips[0]))
        raise Refused(_("{file}: no card images found ({n} other files). Card images are named by number and a / b / "
                        "c, e.g. 01a.jpg.").format(file=label, n=len(cards.skipped)))
    if len(folders) == 1:
        cards.top_folder = PurePosixPath(folders.pop()).name
    return cards


def _zip_reader(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            with zf.open(info) as f:
                # The declared size can lie: never read more than the cap, whatever the header says.
                data = f.read(MAX_FILE_BYTES + 1)
        except NotImplementedError as exc:
            raise Refused(_("{entry}: compressed with a method this tool cannot read ({reason}); re-make the ZIP with "
                            "ordinary compression").format(entry=shown, reason=exc)) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise Refused(_("{entry}: the ZIP entry is damaged ({reason})").format(entry=shown, reason=exc)) from None
        if len(data) > MAX_FILE_BYTES:
            raise Refused(_("{entry}: unpacks to more than {mb} MB, more than its header says: refused as a possible "
                            "ZIP bomb").format(entry=shown, mb=MAX_FILE_BYTES // 1_000_000))
        return data
    return read


def scan_folder(path: str, label: str | None = None) -> CardFiles:
    """Card images in a folder (and its subfolders), named like the open data: 01a.jpg, 1b.png, ..."""
    label = label or path
    if not os.path.isdir(path):
        if not os.path.exists(path):
            raise Refused(_("{folder}: folder not found").format(folder=label))
        raise Refused(_("{folder}: is not a folder").format(folder=label))
    cards = CardFiles(label, {})
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        for base in sorted(filenames):
            full = os.path.join(dirpath, base)
            rel = os.path.relpath(full, path).replace(os.sep, "/")
            if is_system_junk(rel) or base.startswith("."):
                continue
            card = card_file_name(base)
            if card is None:
                cards.skipped.append(rel)
                continue
            key = (card.number, card.face)
            shown = f"{label}/{rel}"
            size = require_regular_file(full, shown, "image file")
            if key in cards.files:
                raise Refused(_("{first} and {second} are both card {number}'s {face} image; remove one").format(
                    first=cards.files[key].name, second=shown, number=card.number, face=card.face))
            cards.files[key] = SourceFile(shown, card, size, _file_reader(full, shown))
    return cards


def _file_reader(full: str, shown: str) -> Callable[[], bytes]:
    def read() -> bytes:
        return read_image_file(full, shown)
    return read
