"""``karuta build-web``: the game as a static web site for school iPads, small and usable offline.

What it does, in order (each step stops the build with a message naming the file and the
problem, never a traceback):

1. stage a clean folder with exactly what the browser runs: main.py, the runtime packages
   (karuta/engine, karuta/app, karuta/modes; never tools), the sounds, the chosen decks
   converted to deck.json with their images (scaled down to screen size) and .ogg audio,
   and the fonts cut down (fontTools) to the characters the decks and the game's own
   strings use, under their usual file names so no runtime code changes;
2. check that the staged code imports nothing the browser lacks (standard library,
   pygame, karuta) and that what the project controls (code, fonts, sounds, page scripts,
   one deck's voice) fits the size budget; the decks' own pictures and text, and the voice
   of further decks, are reported apart;
3. run pygbag on a copy of the page template (assets/web/index.tmpl) from a temporary
   folder, under a timeout, with a local icon, so nothing is downloaded by pygbag;
4. write the site: index.html, karuta.apk, the page scripts (karuta.js, jsqr.js from the
   npm tarball package-lock.json pins), pygbag's runtime under cdn/ (web/runtime.py), the
   service worker with the one list of files to keep offline, the manifest, icons, build.json.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .web import runtime as web_runtime
from .web.fetchcache import FetchError, is_url
from .web.jsqr import jsqr_files
from .web_qrcode import QRCodePackageError, stage_qrcode

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # the build's own output stays readable

ROOT = Path(__file__).resolve().parents[2]
PAGE_DIR = ROOT / "assets" / "web"
FONT_DIR = ROOT / "assets" / "fonts"
RUNTIME_PACKAGES = ("engine", "app", "modes")
STAGE_NAME = "karuta"                 # pygbag names the bundle after the folder: karuta.apk
BUNDLE = STAGE_NAME + ".apk"
DEFAULT_BUDGET_MB = 3.0
DEFAULT_TIMEOUT = 300
PYGBAG_VERSION = web_runtime.PYGBAG_VERSION
PYBUILD = web_runtime.PYBUILD         # the CPython pygbag 0.9.3 runs in the browser
SCREEN = (1024, 768)
MAX_IMAGE_SIDE = 768                  # card images never show bigger than the screen's height

# Browser modules pygbag provides besides the standard library and pygame.
BROWSER_MODULES = {"pygame", "karuta", "embed", "qrcode"}  # qrcode: staged by web_qrcode
# Files the page needs besides index.html and the bundle (all precached by the service worker).
PAGE_FILES = ("karuta.js", "manifest.webmanifest", "favicon.png", "apple-touch-icon.png",
              "icon-192.png", "icon-512.png")
JSQR_FILE = "jsqr.js"
PAGE_FONT = "page-font.ttf"           # made by the build (write_page_font)
PAGE_FONT_SOURCE = "BIZUDPGothic-Bold.ttf"
ASSET_SUFFIXES = {".ogg", ".png", ".jpg", ".jpeg", ".json", ".txt"}
REFUSED_AUDIO = {".wav", ".mp3", ".aiff", ".flac"}

# Characters every build carries so that text made at run time (numbers, kana typed on
# the keypad, names of things) never shows as empty boxes.
BASIC_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))          # ASCII
    + "".join(chr(c) for c in range(0x3041, 0x3097))    # hiragana
    + "".join(chr(c) for c in range(0x30A1, 0x30FB))    # katakana
    + "ー・、。「」『』（）！？　"
    + "".join(chr(c) for c in range(0xFF10, 0xFF1A))    # full-width digits
)
# Kept in each font that has them: marks a screen may draw next to text.
OPTIONAL_CHARS = "〜…―○×△☆★♪✓✔"


class BuildError(Exception):
    """Something the person building must fix; the message says what and where."""


@dataclass
class Stage:
    """The staged folder and what went into it."""

    root: Path
    decks: list[str] = field(default_factory=list)
    chars: dict[str, str] = field(default_factory=dict)       # character -> where it is first used
    deck_chars: dict[str, str] = field(default_factory=dict)  # the decks' text
    code_chars: dict[str, str] = field(default_factory=dict)  # the game's own string literals
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="karuta build-web",
        description="Build the game as a static web site (pygbag) that keeps working offline on school iPads.",
    )
    p.add_argument("--out", default="build/web", metavar="DIR",
                   help="where the site is written (default: build/web); a previous build there is replaced")
    p.add_argument("--deck", action="extend", nargs="+", default=[], metavar="ID",
                   help="deck(s) to include (folder names under decks/); default: every valid deck")
    p.add_argument("--decks-dir", metavar="DIR", default=str(ROOT / "decks"),
                   help="where decks are looked for (default: decks/ of the project)")
    p.add_argument("--base-url", metavar="URL",
                   help="the https address the site will be served from (the same one signpost QR codes use)")
    p.add_argument("--budget-mb", type=float, default=DEFAULT_BUDGET_MB, metavar="N",
                   help="fail when what the project controls (code, fonts, sounds, voice, page scripts) is "
                        f"bigger than N MB (default {DEFAULT_BUDGET_MB:g}); the deck's pictures are reported apart, "
                        "and so is the voice of every deck but the largest")
    p.add_argument("--runtime-source", metavar="URL_OR_DIR", default=web_runtime.DEFAULT_SOURCE,
                   help="where pygbag's runtime files are taken from at build time: a CDN-shaped address or a "
                        f"folder (default {web_runtime.DEFAULT_SOURCE}); they are kept in a local cache and "
                        "copied into the site, so iPads load everything from the school's own site")
    p.add_argument("--runtime-from-cdn", action="store_true",
                   help="do not carry the runtime: the page loads it from --runtime-source (an https address) "
                        "at run time, so every iPad talks to that host")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                   help=f"stop pygbag after S seconds (default {DEFAULT_TIMEOUT})")
    p.add_argument("--keep-stage", metavar="DIR", help="also keep the staged folder (what the bundle holds) in DIR")
    return p


def run(argv: list[str]) -> int:
    opts = build_parser().parse_args(argv)
    started = time.perf_counter()
    try:
        report = build(opts)
    except (BuildError, FetchError, QRCodePackageError) as exc:
        print(f"karuta build-web: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = exc.filename or "a file"
        print(f"karuta build-web: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("karuta build-web: stopped", file=sys.stderr)
        return 130
    print_report(report, time.perf_counter() - started)
    return 0


# ---------------------------------------------------------------------------- the build


def build(opts: argparse.Namespace) -> dict:
    check_tools()
    source = web_runtime.normalise_source(opts.runtime_source)
    if opts.runtime_from_cdn:
        if not is_url(source):
            raise BuildError("--runtime-from-cdn needs --runtime-source to be the https address the page loads from")
        served_from = normalise_url(source, "--runtime-source")
    else:
        served_from = web_runtime.SITE_FOLDER + "/"
    base_url = normalise_url(opts.base_url, "--base-url", page=True) if opts.base_url else ""
    out = Path(opts.out).resolve()
    check_out_dir(out)
    if opts.keep_stage:
        keep = Path(opts.keep_stage).resolve()
        earlier = (keep / "main.py").is_file() and (keep / "karuta").is_dir()
        if keep.is_file() or (keep.is_dir() and any(keep.iterdir()) and not earlier) or keep in (ROOT, out):
            raise BuildError(f"--keep-stage {keep} holds other files; choose an empty or new folder")
    decks = select_decks(Path(opts.decks_dir), opts.deck)

    work = Path(tempfile.mkdtemp(prefix="karuta-web-"))
    keep_work = False
    try:
        stage = Stage(work / STAGE_NAME)
        stage.root.mkdir()
        stage_code(stage)
        stage_qrcode(stage.root)
        problems = check_imports(stage.root)
        if problems:
            raise BuildError("the browser cannot import these (only the standard library, pygame and karuta "
                             "are there; mark a desktop-only import `# desktop only` on its line and keep it "
                             "off the browser's path):\n  " + "\n  ".join(problems))
        stage_assets(stage)
        for deck in decks:
            stage_deck(stage, deck)
        collect_code_strings(stage)
        subset_fonts(stage)

        page = work / "page"
        page.mkdir()
        stage_page_files(page)

        parts, files = measure(stage.root, page)
        budget = int(opts.budget_mb * 1024 * 1024)
        check_budget(parts, files, budget)
        # After the deck and budget checks (what a facilitator fixes first); its message says what to run.
        runtime_dir = work / "runtime"
        pins = web_runtime.gather(source, runtime_dir)
        build_id = fingerprint(stage.root, page, served_from, pins)

        run_pygbag(work, stage.root, served_from, build_id, opts.timeout)
        made = stage.root / "build" / "web"
        site = work / "site"
        precache = write_site(site, made, page, build_id, runtime_dir if not opts.runtime_from_cdn else None,
                              served_from, pins)
        check_bundle(site / BUNDLE, stage)
        if opts.keep_stage:
            keep = Path(opts.keep_stage).resolve()
            if keep.exists():
                shutil.rmtree(keep)
            shutil.copytree(stage.root, keep, ignore=shutil.ignore_patterns("build"))
        site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        report = {
            "build": build_id,
            "pygbag": PYGBAG_VERSION,
            "runtime": {"source": source, "served_from": served_from,
                        "self_hosted": not opts.runtime_from_cdn, "files": pins},
            "base_url": base_url,
            "decks": stage.decks,
            "characters": len(stage.chars),
            "parts": parts,
            "project_bytes": project_bytes(parts),
            "deck_media_bytes": deck_media_bytes(parts),
            "budget_bytes": budget,
            "bundle_bytes": (site / BUNDLE).stat().st_size,
            "site_bytes": site_bytes,
            "runtime_bytes": sum(p["bytes"] for p in pins.values()),
            # What an iPad downloads on its first visit: every file the service worker keeps.
            "first_visit_bytes": sum(precache.values()),
            "out": str(out),
            "notes": stage.notes,
        }
        (site / "build.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        # Only a complete, checked site replaces the previous one.
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(site, out)
        return report
    except (BuildError, FetchError, OSError):
        raise
    except Exception:
        keep_work = True
        print(f"karuta build-web: unexpected failure; the work folder is kept for a look: {work}", file=sys.stderr)
        raise
    finally:
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)


def check_tools() -> None:
    missing = []
    try:
        import fontTools  # noqa: F401  (desktop build tool)
    except ImportError:
        missing.append("fonttools")
    try:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("pygbag")
            if found != PYGBAG_VERSION:
                raise BuildError(f"pygbag {found} is installed but this build is made for pygbag {PYGBAG_VERSION}: "
                                 f"pip install pygbag=={PYGBAG_VERSION}")
        except PackageNotFoundError:
            missing.append(f"pygbag=={PYGBAG_VERSION}")
    except ImportError:  # pragma: no cover - Python < 3.8
        missing.append("pygbag")
    if missing:
        raise BuildError("missing build tools: " + ", ".join(missing) +
                         ". Install them with: pip install -e \".[tools]\"")


def normalise_url(value: str, option: str, page: bool = False) -> str:
    """An absolute http(s) address ending in '/'; https unless it is this machine (for testing)."""
    value = value.strip()
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BuildError(f"{option} {value!r} is not an http(s) address, e.g. https://example.org/karuta/")
    if parts.query or parts.fragment:
        raise BuildError(f"{option} {value!r} must not carry ?query or #fragment: links add their own")
    host = parts.hostname or ""
    if parts.scheme == "http" and host not in ("localhost", "127.0.0.1", "::1"):
        raise BuildError(f"{option} {value!r} must be https: iPads allow the camera, offline use and "
                         "the service worker only on https pages")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    if page and path.endswith(("/index.html/", ".html/")):
        path = path.rsplit("/", 2)[0] + "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def check_out_dir(out: Path) -> None:
    """Replace only an earlier build (or an empty folder): never wipe someone's files."""
    if out.is_file():
        raise BuildError(f"--out {out} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()):
        if not ((out / "build.json").is_file() or (out / "index.html").is_file()):
            raise BuildError(f"--out {out} already holds files that are not a karuta web build; "
                             "choose an empty or new folder")
    if out == ROOT or ROOT.is_relative_to(out):
        raise BuildError(f"--out {out} would replace the project itself; choose a folder such as build/web")


# ---------------------------------------------------------------------------- decks


def select_decks(decks_dir: Path, wanted: list[str]):
    from ..engine.deck import discover_decks

    entries = discover_decks(decks_dir)
    if not entries:
        raise BuildError(f"no deck folders under {decks_dir}")
    by_id = {e.id: e for e in entries}
    chosen = []
    if wanted:
        for deck_id in dict.fromkeys(wanted):
            entry = by_id.get(deck_id)
            if entry is None:
                raise BuildError(f"deck {deck_id!r} not found under {decks_dir} "
                                 f"(found: {', '.join(sorted(by_id)) or 'none'})")
            if entry.deck is None:
                raise BuildError(f"deck {deck_id!r} cannot be used:\n  " +
                                 "\n  ".join(str(p) for p in entry.problems[:12]))
            chosen.append(entry.deck)
    else:
        for entry in entries:
            if entry.deck is not None:
                chosen.append(entry.deck)
            else:
                first = entry.problems[0] if entry.problems else "unknown problem"
                print(f"karuta build-web: leaving out deck {entry.id!r}: {first}", file=sys.stderr)
        if not chosen:
            raise BuildError(f"no valid deck under {decks_dir}; run `karuta deck check` on them")
    return chosen


def stage_deck(stage: Stage, deck) -> None:
    from ..engine.deck import DeckError, check_deck, deck_files, deck_to_data
    from ..engine.geo import PICTURE_SIZE

    target = stage.root / "decks" / deck.id
    target.mkdir(parents=True)
    data = deck_to_data(deck)
    source_label = os.path.relpath(os.path.join(deck.folder, "deck.yaml"), ROOT)
    try:
        files = deck_files(deck)  # only regular files inside the deck folder, checked now
    except DeckError as exc:
        raise BuildError(f"deck {deck.id!r}:\n  " + "\n  ".join(str(p) for p in exc.problems)) from None
    for rel in files:
        src = Path(deck.path(rel))
        dst = target / Path(*rel.split("/"))
        dst.parent.mkdir(parents=True, exist_ok=True)
        suffix = src.suffix.lower()
        if suffix in REFUSED_AUDIO:
            raise BuildError(f"{src}: browsers on iPads need .ogg audio; convert it and point the deck at the .ogg")
        if suffix in (".png", ".jpg", ".jpeg"):
            note = copy_image(src, dst, PICTURE_SIZE if rel == data.get("map", {}).get("image") else None)
            if note:
                stage.notes.append(note)
        else:
            shutil.copyfile(src, dst)
    (target / "deck.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                                      encoding="utf-8")
    # The browser reads the JSON back: prove now that it is the same, valid deck.
    staged, problems = check_deck(target)
    if staged is None:
        raise BuildError(f"deck {deck.id!r} does not load back from its deck.json:\n  " +
                         "\n  ".join(str(p) for p in problems[:12]))
    if len(staged.cards) != len(deck.cards):
        raise BuildError(f"deck {deck.id!r}: {len(deck.cards)} cards became {len(staged.cards)} in deck.json")
    stage.decks.append(deck.id)
    _note_strings(stage, data, source_label)


def _note_strings(stage: Stage, value, where: str) -> None:
    if isinstance(value, str):
        for ch in value:
            stage.chars.setdefault(ch, where)
            stage.deck_chars.setdefault(ch, where)
    elif isinstance(value, dict):
        number = value.get("number")
        for key, item in value.items():
            here = f"{where} card {number} {key}" if number is not None and isinstance(item, str) else where
            _note_strings(stage, item, here)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _note_strings(stage, item, where)


def copy_image(src: Path, dst: Path, box: tuple[int, int] | None = None) -> str:
    """Copy a card image (or the map picture, into ``box``), scaled down to screen size when it is bigger (iPad memory)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    try:
        img = pygame.image.load(str(src))
    except (pygame.error, OSError) as exc:
        raise BuildError(f"{src}: not a readable image ({exc})")
    w, h = img.get_size()
    box = box or (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE)
    scale = min(box[0] / w, box[1] / h)
    if scale >= 1:
        shutil.copyfile(src, dst)
        return ""
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = pygame.transform.smoothscale(img if img.get_bitsize() in (24, 32) else img.convert(24), size)
    try:
        pygame.image.save(small, str(dst))
    except pygame.error:
        shutil.copyfile(src, dst)
        return f"{src}: could not be scaled ({w}x{h}); shipped as it is"
    if dst.stat().st_size >= src.stat().st_size:
        shutil.copyfile(src, dst)
        return ""
    return f"{os.path.relpath(src, ROOT)}: scaled from {w}x{h} to {size[0]}x{size[1]}"


# ---------------------------------------------------------------------------- code and assets


def stage_code(stage: Stage) -> None:
    shutil.copyfile(ROOT / "main.py", stage.root / "main.py")
    package = ROOT / "karuta"
    (stage.root / "karuta").mkdir()
    shutil.copyfile(package / "__init__.py", stage.root / "karuta" / "__init__.py")
    for name in RUNTIME_PACKAGES:
        src = package / name
        if not src.is_dir():
            raise BuildError(f"{src} is missing: the runtime packages are {', '.join(RUNTIME_PACKAGES)}")
        for path in sorted(src.rglob("*")):
            rel = path.relative_to(package)
            if path.is_dir() or "__pycache__" in rel.parts or path.name.startswith("."):
                continue
            if path.suffix in (".pyc", ".pyo"):
                continue
            dst = stage.root / "karuta" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dst)


def stage_assets(stage: Stage) -> None:
    """assets/* except the page (assets/web) and the fonts (subset later)."""
    src_root = ROOT / "assets"
    for path in sorted(src_root.rglob("*")):
        rel = path.relative_to(src_root)
        if path.is_dir() or rel.parts[0] in ("web", "fonts") or path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix in REFUSED_AUDIO:
            raise BuildError(f"{path}: iPads play only .ogg in this game; convert it (e.g. ffmpeg -i IN OUT.ogg)")
        if suffix not in ASSET_SUFFIXES:
            continue  # sources, notes (.md) and other desktop files stay home
        dst = stage.root / "assets" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dst)


def check_imports(root: Path) -> list[str]:
    """Imports the browser cannot satisfy: 'file:line: module' for each."""
    allowed = set(sys.stdlib_module_names) | BROWSER_MODULES
    problems = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, rel)
        except SyntaxError as exc:
            problems.append(f"{rel}:{exc.lineno}: syntax error: {exc.msg}")
            continue
        lines = source.splitlines()
        for node, guarded in _imports(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    continue  # relative: inside karuta
                names = [node.module or ""]
            else:
                names = [a.name for a in node.names]
            for name in names:
                top = name.split(".")[0]
                if top in allowed or guarded:
                    continue
                line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
                if "desktop only" in line:
                    continue
                problems.append(f"{rel}:{node.lineno}: {name}")
    return problems


def _imports(tree: ast.AST):
    """(import node, guarded by try/except ImportError?) for every import in the tree."""
    def visit(node, guarded):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, guarded
        if isinstance(node, ast.Try):
            catches = any(_catches_import_error(h.type) for h in node.handlers)
            for child in node.body:
                yield from visit(child, guarded or catches)
            for child in node.handlers + node.orelse + node.finalbody:
                yield from visit(child, guarded)
            return
        for child in ast.iter_child_nodes(node):
            yield from visit(child, guarded)

    yield from visit(tree, False)


def _catches_import_error(expr) -> bool:
    if expr is None:
        return True
    names = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError", "Exception")
               for n in names)


def collect_code_strings(stage: Stage) -> None:
    """Every character of the game's own string literals (UI text), except docstrings and print()."""
    for path in sorted((stage.root / "karuta").rglob("*.py")):
        rel = path.relative_to(stage.root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = getattr(node, "body", [])
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    skip.add(id(body[0].value))
            elif isinstance(node, ast.Call) and _never_drawn(node):
                for sub in ast.walk(node.args[0] if node.args and not _is_print(node) else node):
                    skip.add(id(sub))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                for ch in node.value:
                    stage.code_chars.setdefault(ch, f"{rel}:{node.lineno}")


def _is_print(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "print"


def _never_drawn(call: ast.Call) -> bool:
    """print() goes to a terminal; the pattern of re.sub(...) and friends is not text."""
    if _is_print(call):
        return True
    func = call.func
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re"
            and func.attr in ("compile", "sub", "subn", "match", "fullmatch", "search", "split", "findall",
                              "finditer"))


def subset_fonts(stage: Stage) -> None:
    """Cut each font the game loads down to the characters in use; same file names as on the desktop.

    Deck text and the basic set must be in every font (any face may draw a card). The game's
    own strings must be in the UI faces; the card face (Klee One, for card text) carries the
    ones it has, so a mode that draws a label with it still finds most of them.
    """
    import logging

    from fontTools.ttLib import TTFont

    from ..app.text import FACES

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "table X dropped" is expected, not news
    for ch in BASIC_CHARS:
        stage.chars.setdefault(ch, "the basic set (kana, ASCII, digits)")
    for ch in stage.code_chars:
        stage.chars.setdefault(ch, stage.code_chars[ch])
    drawn = {ch: where for ch, where in stage.chars.items() if _needs_glyph(ch)}
    target = stage.root / "assets" / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    faces_of: dict[str, list[str]] = {}
    for face, name in FACES.items():
        faces_of.setdefault(name, []).append(face)
    for name, faces in faces_of.items():
        src = FONT_DIR / name
        if not src.is_file():
            raise BuildError(f"{src}: the game's font is missing (karuta/app/text.py FACES names it)")
        try:
            font = TTFont(str(src), lazy=True)  # parse only the glyphs kept: 20x faster on big CJK fonts
        except Exception as exc:
            raise BuildError(f"{src}: not a font fontTools can read ({exc})")
        cmap = font.getBestCmap() or {}
        card_only = faces == ["card"]
        required = {ch: where for ch, where in drawn.items()
                    if not card_only or ch in stage.deck_chars or ch in BASIC_CHARS}
        missing = [ch for ch in sorted(required) if ord(ch) not in cmap]
        if missing:
            font.close()
            shown = "\n  ".join(f"{ch!r} (U+{ord(ch):04X}) used in {required[ch]}" for ch in missing[:20])
            more = f"\n  ... and {len(missing) - 20} more" if len(missing) > 20 else ""
            raise BuildError(f"the font {name} ({', '.join(faces)} text) has no glyph for {len(missing)} "
                             f"character(s); change the text or the font:\n  {shown}{more}")
        keep = sorted(ch for ch in set(drawn) | set(OPTIONAL_CHARS) if ord(ch) in cmap)
        (target / name).write_bytes(cut_font(font, keep))
        font.close()  # lazy: the font file stays open until closed
    for licence in sorted(FONT_DIR.glob("LICENSE*")):
        shutil.copyfile(licence, target / licence.name)


def cut_font(font, chars) -> bytes:
    """The font (a fontTools TTFont) with only the glyphs of ``chars``, as font file bytes."""
    from fontTools import subset

    options = subset.Options()
    options.hinting = False           # FreeType renders these sizes well unhinted; saves a third
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # keep copyright and licence names (OFL)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _needs_glyph(ch: str) -> bool:
    # Line breaks, tabs and invisible format characters are never drawn.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


# ---------------------------------------------------------------------------- page files


def stage_page_files(page: Path) -> None:
    for name in PAGE_FILES + ("sw.js", "index.tmpl"):
        src = PAGE_DIR / name
        if not src.is_file():
            raise BuildError(f"{src} is missing (the page files live in assets/web)")
        shutil.copyfile(src, page / name)
    script, licence = jsqr_files(ROOT / "package-lock.json")
    (page / JSQR_FILE).write_bytes(script)
    (page / "jsqr-LICENSE.txt").write_bytes(licence)
    write_page_font(page)


def write_page_font(page: Path) -> None:
    """The page's own Japanese (loading screen, failure message, camera overlay) in the game's font.

    A device without a Japanese system font would show empty boxes otherwise; cut down to the
    page's characters it is a few kilobytes.
    """
    from fontTools.ttLib import TTFont

    src = FONT_DIR / PAGE_FONT_SOURCE
    text = "".join((page / name).read_text(encoding="utf-8") for name in ("index.tmpl", "karuta.js"))
    chars = sorted({ch for ch in text if ord(ch) > 0x7F and _needs_glyph(ch)} | set(BASIC_CHARS[:95]))
    try:
        font = TTFont(str(src), lazy=True)
    except Exception as exc:
        raise BuildError(f"{src}: not a font fontTools can read ({exc})")
    try:  # lazy: the font file stays open until closed
        cmap = font.getBestCmap() or {}
        missing = [ch for ch in chars if ord(ch) not in cmap]
        if missing:
            raise BuildError(f"{src} has no glyph for {''.join(missing)!r} used in assets/web/index.tmpl or karuta.js")
        (page / PAGE_FONT).write_bytes(cut_font(font, chars))
    finally:
        font.close()
    shutil.copyfile(FONT_DIR / "LICENSE-BIZUDPGothic.txt", page / "LICENSE-BIZUDPGothic.txt")


# ---------------------------------------------------------------------------- sizes


PART_OF_SUFFIX = {".py": "code", ".ttf": "fonts", ".otf": "fonts", ".ogg": "sounds"}
# What the project controls (judged by the budget) and what the deck brings (reported apart).
# Voice comes with each deck: the budget judges one deck's worth (the largest), so a site that
# carries the demo deck beside a district's own voiced deck is not refused for having two decks.
PROJECT_PARTS = ("code", "fonts", "sounds", "voice", "page scripts", "other")
DECK_MEDIA_PARTS = ("deck pictures", "deck text", "other decks' voice")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def measure(stage_root: Path, page: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Bytes per part (PROJECT_PARTS, then DECK_MEDIA_PARTS) and per file."""
    parts = dict.fromkeys(PROJECT_PARTS + DECK_MEDIA_PARTS, 0)
    files: dict[str, int] = {}
    voice_of: dict[str, int] = {}  # deck id -> bytes of its readings
    for path in sorted(stage_root.rglob("*")):
        if not path.is_file() or "build" == path.relative_to(stage_root).parts[0]:
            continue
        rel = path.relative_to(stage_root).as_posix()
        size = path.stat().st_size
        suffix = path.suffix.lower()
        if rel.startswith("decks/"):
            # A deck's readings are voice (generated by the project's tools or recorded for it).
            part = ("deck pictures" if suffix in IMAGE_SUFFIXES else "voice" if suffix == ".ogg" else "deck text")
        else:
            part = PART_OF_SUFFIX.get(suffix, "other")
        if rel.startswith("decks/") and part == "voice":
            voice_of[rel.split("/")[1]] = voice_of.get(rel.split("/")[1], 0) + size
        else:
            parts[part] += size
        files[rel] = size
    parts["voice"] = max(voice_of.values(), default=0)
    parts["other decks' voice"] = sum(voice_of.values()) - parts["voice"]
    for path in sorted(page.iterdir()):
        if path.is_file():
            size = path.stat().st_size
            parts["page scripts"] += size
            files["(page) " + path.name] = size
    return parts, files


def project_bytes(parts: dict[str, int]) -> int:
    return sum(parts.get(k, 0) for k in PROJECT_PARTS)


def deck_media_bytes(parts: dict[str, int]) -> int:
    return sum(parts.get(k, 0) for k in DECK_MEDIA_PARTS)


def check_budget(parts: dict[str, int], files: dict[str, int], budget: int) -> None:
    """Over the budget: say by how much, and which of the project's parts and files to look at first."""
    total = project_bytes(parts)
    if total <= budget:
        return
    own = {p: n for p, n in files.items() if not p.startswith("decks/") or p.lower().endswith(".ogg")}
    biggest = sorted(own.items(), key=lambda kv: -kv[1])[:6]
    raise BuildError(
        f"the game's own files (code, fonts, sounds, voice, page scripts) are {mb(total)}, over the budget of "
        f"{mb(budget)} (--budget-mb); the decks' pictures and the voice of all but the largest voiced deck "
        f"({mb(deck_media_bytes(parts))}) are not counted.\n"
        f"  parts: " + ", ".join(f"{k} {mb(parts[k])}" for k in sorted(PROJECT_PARTS, key=lambda k: -parts[k])
                                 if parts[k])
        + "\n  biggest files:\n    " + "\n    ".join(f"{mb(n):>9}  {p}" for p, n in biggest)
    )


def fingerprint(stage_root: Path, page: Path, served_from: str, pins: dict[str, dict]) -> str:
    """Same content, same build id: a rebuild with nothing changed does not make iPads update."""
    h = hashlib.sha256(served_from.encode() + json.dumps(pins, sort_keys=True).encode())
    for base in (stage_root, page):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base).as_posix()
            if rel.startswith("build/"):
                continue
            h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.2f} MB" if n >= 100 * 1024 else f"{n / 1024:.1f} KB"


# ---------------------------------------------------------------------------- pygbag and the site


def run_pygbag(work: Path, stage_root: Path, served_from: str, build_id: str, timeout: float) -> None:
    # The project's own placeholders; pygbag fills its {{cookiecutter.*}} ones. The page never
    # uses pygbag's --cdn: the loader's address is the runtime's place (the site's cdn/ folder).
    template = (work / "page" / "index.tmpl").read_text(encoding="utf-8")
    for key, value in (("build", build_id), ("runtime", served_from),
                       ("loader", f"{served_from}{PYGBAG_VERSION}/")):
        template = template.replace("{{karuta.%s}}" % key, value)
    (work / "index.tmpl").write_text(template, encoding="utf-8")
    shutil.copyfile(PAGE_DIR / "favicon.png", work / "favicon.png")
    cmd = [sys.executable, "-m", "pygbag", "--build", "--no_opt",
           "--template", "index.tmpl", "--icon", "favicon.png",
           "--ume_block", "0", "--can_close", "1",
           "--width", str(SCREEN[0]), "--height", str(SCREEN[1]),
           "--title", "karuta", "--package", "org.karuta.web", "--PYBUILD", PYBUILD,
           str(stage_root)]
    log_path = work / "pygbag.log"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    print(f"karuta build-web: pygbag {PYGBAG_VERSION} ...", flush=True)
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            done = subprocess.run(cmd, cwd=work, stdout=log, stderr=subprocess.STDOUT, env=env,
                                  stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BuildError(f"pygbag did not finish within {timeout:g} s (it waits for ever when it must "
                             f"download something: check the template and icon are local). Last output:\n  "
                             + _tail(log_path))
    made = stage_root / "build" / "web"
    if done.returncode != 0 or not (made / "index.html").is_file() or not (made / BUNDLE).is_file():
        raise BuildError(f"pygbag failed (exit {done.returncode}). Last output:\n  " + _tail(log_path))


def _tail(path: Path, n: int = 15) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no output)"
    return "\n  ".join(lines[-n:]) or "(no output)"


def write_site(out: Path, made: Path, page: Path, build_id: str, runtime_dir: Path | None,
               served_from: str, pins: dict[str, dict]) -> dict[str, int]:
    """The site; returns what the service worker keeps ({address relative to the page: bytes})."""
    html = (made / "index.html").read_text(encoding="utf-8")
    left = sorted(set(re.findall(r"\{\{[^}]*\}\}", html)))
    if left:
        raise BuildError(f"{PAGE_DIR / 'index.tmpl'}: placeholders pygbag did not fill: {', '.join(left)}")
    out.mkdir(parents=True)
    for name in ("index.html", BUNDLE, "favicon.png"):
        shutil.copyfile(made / name, out / name)
    for path in sorted(page.iterdir()):
        if path.name in ("index.tmpl", "sw.js", "favicon.png"):
            continue
        shutil.copyfile(path, out / path.name)
    if runtime_dir is not None:
        shutil.copytree(runtime_dir / web_runtime.SITE_FOLDER, out / web_runtime.SITE_FOLDER)
    # The one list of files a visit needs, with their hashes: the page, the bundle, the page
    # scripts and every runtime file the loader fetches (same-site, or the CDN's when asked for).
    files = []
    for name in ["index.html", BUNDLE, JSQR_FILE, PAGE_FONT] + list(PAGE_FILES):
        data = (out / name).read_bytes()
        files.append({"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    for rel, pin in pins.items():
        inside = rel[len(web_runtime.SITE_FOLDER) + 1:]
        files.append({"path": served_from + inside, "sha256": pin["sha256"], "bytes": pin["bytes"]})
    config = {"build": build_id, "files": [{"path": f["path"], "sha256": f["sha256"]} for f in files]}
    sw = (page / "sw.js").read_text(encoding="utf-8")
    marker = re.compile(r"^const CONFIG = .*// KARUTA-CONFIG$", re.M)
    if not marker.search(sw):
        raise BuildError(f"{PAGE_DIR / 'sw.js'}: the `const CONFIG = ...;  // KARUTA-CONFIG` line is missing")
    sw = marker.sub(lambda _: "const CONFIG = " + json.dumps(config) + ";  // KARUTA-CONFIG", sw, count=1)
    (out / "sw.js").write_text(sw, encoding="utf-8")
    return {f["path"]: f["bytes"] for f in files}


def check_bundle(apk: Path, stage: Stage) -> None:
    """The zip pygbag made holds the game: main.py, the package and every chosen deck."""
    try:
        with zipfile.ZipFile(apk) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile as exc:
        raise BuildError(f"{apk}: pygbag's bundle is not a zip ({exc})")
    needed = ["assets/main.py", "assets/karuta/app/game.py"] + [f"assets/decks/{d}/deck.json" for d in stage.decks]
    lost = [n for n in needed if n not in names]
    if lost:
        raise BuildError(f"{apk}: pygbag left out {', '.join(lost)}")


def print_report(report: dict, seconds: float) -> None:
    parts = report["parts"]
    out = report["out"]
    runtime = report["runtime"]
    print(f"\nweb build {report['build']} in {seconds:.0f} s -> {out}")
    print(f"  decks: {', '.join(report['decks'])}; font characters: {report['characters']}")
    width = max(len(k) for k in parts)
    print("  the game's own files (judged by the budget):")
    for name in PROJECT_PARTS:
        print(f"    {name:<{width}}  {mb(parts[name]):>9}")
    print(f"    {'total':<{width}}  {mb(report['project_bytes']):>9}  (budget {mb(report['budget_bytes'])})")
    print("  the decks' own media (not budgeted):")
    for name in DECK_MEDIA_PARTS:
        print(f"    {name:<{width}}  {mb(parts[name]):>9}")
    where = ("carried in the site (cdn/)" if runtime["self_hosted"]
             else f"loaded from {runtime['served_from']} at run time")
    print(f"  {BUNDLE} (compressed) {mb(report['bundle_bytes'])}; pygbag's runtime {mb(report['runtime_bytes'])}, "
          f"{where}")
    print(f"  first visit downloads {mb(report['first_visit_bytes'])} (then the game opens offline)")
    for note in report["notes"]:
        print(f"  note: {note}")
    print(f"\nServe {out} from any static https server (see docs/web.md).")
    if report["base_url"]:
        print(f"Signpost QR codes: karuta qr --deck decks/<id> --base-url {report['base_url']}")
    else:
        print("Give --base-url https://... to record the address signpost QR codes must use.")
