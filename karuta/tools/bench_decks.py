"""The full-size deck ``karuta bench`` measures: card images shaped like the city's scans, as open data and as decks."""

from __future__ import annotations

import os
import sys
import time

from .bench_measure import PROJECT_ROOT, child_env, tree_bytes

CARD_PX = (1000, 1400)  # the size of a scanned card in the city's open data, roughly
BIG_DECK_ID = "bench-fullsize"
RAW_DECK_ID = "bench-raw"


def make_card_images(folder: str, cards: int = 44, faces: str = "abc", size: tuple[int, int] = CARD_PX) -> list[str]:
    """JPEGs shaped like scanned cards (a tinted ground, blotches, a big kana), named like the open data."""
    import random

    import pygame

    from ..app.text import Fonts
    from ..engine.kana import KANA_ORDERS

    if not pygame.image.get_extended():
        raise RuntimeError("this pygame cannot write JPEG files")
    pygame.font.init()
    fonts = Fonts()
    rng = random.Random(44)
    kana = KANA_ORDERS["aiueo"]
    os.makedirs(folder, exist_ok=True)
    # A small noise tile scaled up gives soft blotches, so the JPEGs carry detail like a scan does.
    tile = pygame.Surface((48, 64))
    names = []
    for number in range(1, cards + 1):
        for face in faces:
            for y in range(0, 64, 2):
                for x in range(0, 48, 2):
                    tile.fill((rng.randrange(150, 256), rng.randrange(130, 240), rng.randrange(100, 220)),
                              (x, y, 2, 2))
            img = pygame.transform.smoothscale(tile, size)
            w, h = size
            pygame.draw.rect(img, (120, 96, 60), (0, 0, w, h), width=24, border_radius=40)
            for _ in range(12):
                colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                pygame.draw.circle(img, colour, (rng.randrange(w), rng.randrange(h)), rng.randrange(40, 220))
            if face == "a":
                pygame.draw.circle(img, (255, 255, 255), (200, 200), 150)
                glyph = fonts.render(kana[(number - 1) % len(kana)], 200, (33, 33, 33), "card")
                img.blit(glyph, glyph.get_rect(center=(200, 210)))
            else:
                text = fonts.render(f"{number} {face}", 120, (33, 33, 33), "bold")
                img.blit(text, (120, 120))
            name = f"{number:02d}{face}.jpg"
            pygame.image.save(img, os.path.join(folder, name))
            names.append(name)
    return names


def _locations(cards: int) -> list[tuple[float, float]]:
    return [(36.334 + 0.0011 * (i % 7), 139.09 + 0.0013 * (i // 7)) for i in range(cards)]


def write_open_data(work: str, images: str, names: list[str], cards: int) -> tuple[str, str]:
    """A ZIP and a CSV shaped like the city's files (CP932-era naming, UTF-8 BOM, CRLF)."""
    import zipfile

    from ..engine.kana import KANA_ORDERS

    zpath = os.path.join(work, "karuta-images.zip")
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_STORED) as z:
        for name in names:
            z.write(os.path.join(images, name), f"karuta/{name}")
    cpath = os.path.join(work, "karuta-locations.csv")
    kana = KANA_ORDERS["aiueo"]
    rows = ["no,いろは,lat,lon,url"]
    for i, (lat, lon) in enumerate(_locations(cards), start=1):
        rows.append(f"{i},{kana[i - 1]},{lat:.8f},{lon:.7f},https://example.org/karuta/{i}")
    with open(cpath, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(rows) + "\r\n")
    return zpath, cpath


def write_direct_deck(folder: str, names: list[str], cards: int) -> None:
    """The deck folder the importer would make, but with the full-size images referenced as they are."""
    from ..engine.kana import KANA_ORDERS

    kana = KANA_ORDERS["aiueo"]
    faces = {"a": "picture", "b": "reading", "c": "explanation"}
    by_card: dict[int, dict[str, str]] = {}
    for name in names:
        by_card.setdefault(int(name[:2]), {})[faces[name[2]]] = f"images/{name}"
    lines = [f"id: {RAW_DECK_ID}", 'name: "ベンチマークかるた"', "format: 1", "kana_order: aiueo", "cards:"]
    for number, (lat, lon) in zip(range(1, cards + 1), _locations(cards)):
        imgs = ", ".join(f"{face}: {path}" for face, path in sorted(by_card.get(number, {}).items()))
        lines.append(f"  - {{number: {number}, kana: {kana[number - 1]}, lat: {lat}, lon: {lon}, images: {{{imgs}}}}}")
    with open(os.path.join(folder, "deck.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def _find_deck_folder(root: str) -> str | None:
    for folder in [root] + [os.path.join(root, n) for n in sorted(os.listdir(root))] if os.path.isdir(root) else []:
        if os.path.isdir(folder) and any(os.path.isfile(os.path.join(folder, n)) for n in ("deck.yaml", "deck.json")):
            return folder
    return None


def importer_available() -> bool:
    import importlib.util

    from .. import cli

    return "deck" in cli.TOOLS and importlib.util.find_spec(cli.TOOLS["deck"][0]) is not None


def build_fullsize_decks(work: str, cards: int = 44, faces: str = "abc", raw: bool = True) -> dict:
    """Make full-size card images, then decks from them.

    "imported": through ``karuta deck import`` when that tool exists (it scales images once, as
    a facilitator's import would). "raw": the same images referenced as they are, the worst case
    of a hand-made deck folder; also the fallback when there is no importer yet.
    """
    import shutil
    import subprocess

    from ..engine.deck import check_deck

    info: dict = {"cards": cards, "faces": faces, "image_px": list(CARD_PX), "notes": [], "decks": []}
    images = os.path.join(work, "source-images")
    t = time.perf_counter()
    names = make_card_images(images, cards, faces)
    info["generate_s"] = time.perf_counter() - t
    info["images"] = len(names)
    info["image_bytes"] = sum(os.path.getsize(os.path.join(images, n)) for n in names)
    zpath, cpath = write_open_data(work, images, names, cards)
    info["zip_bytes"] = os.path.getsize(zpath)
    if importer_available():
        decks_dir = os.path.join(work, "decks-imported")
        out = os.path.join(decks_dir, BIG_DECK_ID)
        os.makedirs(decks_dir, exist_ok=True)
        cmd = [sys.executable, "-m", "karuta", "deck", "import", "--zip", zpath, "--csv", cpath, "--out", out]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=PROJECT_ROOT, timeout=900)
        import_s = time.perf_counter() - t
        folder = _find_deck_folder(out)
        deck, problems = check_deck(folder) if folder else (None, [])
        if proc.returncode == 0 and deck is not None:
            info["import_s"] = import_s
            info["decks"].append({"id": deck.id, "decks_dir": os.path.dirname(folder), "how": "karuta deck import",
                                  "bytes": tree_bytes(folder), "fullsize": True})
        else:
            why = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [str(problems[:1])]
            info["notes"].append(f"karuta deck import did not give a usable deck (exit {proc.returncode}: {why[0]})")
    else:
        info["notes"].append("karuta deck import is not there yet: only the raw deck (full-size images referenced "
                             "as they are) is measured, and there is no import time")
    if raw or not info["decks"]:
        folder = os.path.join(work, "decks-raw", RAW_DECK_ID)
        os.makedirs(os.path.join(folder, "images"), exist_ok=True)
        for name in names:
            shutil.copyfile(os.path.join(images, name), os.path.join(folder, "images", name))
        write_direct_deck(folder, names, cards)
        deck, problems = check_deck(folder)
        if deck is None:
            raise RuntimeError("the generated deck is not valid: " + "; ".join(map(str, problems[:3])))
        info["decks"].append({"id": deck.id, "decks_dir": os.path.dirname(folder), "how": "raw (full-size images)",
                              "bytes": tree_bytes(folder), "fullsize": True})
    return info
