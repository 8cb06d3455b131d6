"""The web build: `karuta build-web` end to end, what the site holds, and the page on pygbag's REAL loader.

The build runs once for this file (pygbag included, about ten seconds). With KARUTA_PYGBAG_CDN=DIR
(a folder laid out as pygbag's CDN: a checkout of https://github.com/pygame-web/cdn, whose
layout is the CDN's) the build takes pygbag 0.9.3's real
runtime from there with --runtime-source DIR, and the browser tests load the site in headless
Chromium (selenium + Debian's chromedriver) with an iPad's user agent and the real pythons.js.
Without it, the build uses a stand-in runtime folder (files with the right names, made here) and
the browser tests that need the real loader skip. The interpreter binaries of such a copy are
placeholders, so a browser gets as far as the interpreter's start; the Python part that runs
first in the browser is run here on the desktop against a stand-in for pygbag's `platform`.
Select these tests with `-m webbuild`.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import types
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from karuta.app.platform import WebPlatform
from karuta.engine import links
from karuta.tools import build_web
from karuta.tools.web import runtime as web_runtime
from karuta.tools.web import sizes
from karuta.tools.web.errors import BuildError
from karuta.tools.web.imports import check_imports
from tool_locales import check_japanese, run_in_both_locales, run_tool

pytestmark = pytest.mark.webbuild

ROOT = Path(__file__).resolve().parents[1]
REAL_CDN = os.environ.get("KARUTA_PYGBAG_CDN", "")
NEEDS_REAL_LOADER = ("set KARUTA_PYGBAG_CDN to a folder laid out as pygbag's CDN (a checkout of "
                     "https://github.com/pygame-web/cdn, whose layout is the CDN's) to test the page on pygbag "
                     "0.9.3's real loader")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
# iPadOS Safari announces itself as a desktop Mac (so pygbag's loader treats it as a desktop).
IPAD_UA = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
           "Version/17.4 Safari/605.1.15")
SCANNED_LINK = "https://example.org/karuta/?c=abc"


# ---------------------------------------------------------------------------- the site's server


class Site:
    """A static server on localhost (a port outside 8xxx, which the loader rewrites), that can go away."""

    def __init__(self):
        self.root: Path | None = None
        self.log: list[tuple[str, int]] = []
        self.port = 0
        self.server = None
        self.start()

    def start(self):
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                              ".wasm": "application/wasm", ".webmanifest": "application/manifest+json",
                              ".apk": "application/zip"}

            def translate_path(self, path):
                rel = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0]).lstrip("/")
                return str((site.root or Path("/nonexistent")) / rel)

            def send_response(self, code, message=None):
                site.log.append((self.path, code))
                super().send_response(code, message)

            def end_headers(self):
                self.send_header("Cache-Control", "no-cache")
                super().end_headers()

            def log_message(self, *args):
                pass

        for _ in range(50):
            try:
                self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
                break
            except OSError:  # the same port again after stop(): wait for the old socket to go
                time.sleep(0.1)
        else:
            raise RuntimeError(f"port {self.port} stays busy")
        self.port = self.server.server_address[1]
        if 8000 <= self.port < 9000:  # pygbag's loader treats localhost:8xxx as its own dev server
            self.server.server_close()
            self.port = 0
            return self.start()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://localhost:{self.port}/"


# ---------------------------------------------------------------------------- the build (once)


def make_standin_runtime(folder: Path) -> None:
    """Files with the names pygbag's runtime has, for build-only tests (the build copies and pins them)."""
    for rel in web_runtime.LOADER_FILES:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(f"// stand-in for {rel}\n", encoding="utf-8")
    wheel = "cp312/pygame_ce-2.5.7.dev1-<abi>-<abi>-<api>.whl"
    (folder / web_runtime.INDEX).write_text(json.dumps({"-CDN-": "https://pygame-web.github.io/cdn/",
                                                        "pygame": wheel}), encoding="utf-8")
    real = wheel.replace("<abi>", web_runtime.ABI_TAG).replace("<api>", web_runtime.API_TAG)
    (folder / real).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / real, "w") as z:
        z.writestr("pygame/__init__.py", "# stand-in\n")


@pytest.fixture(scope="module")
def server():
    srv = Site()
    yield srv
    with contextlib.suppress(Exception):
        srv.stop()


@pytest.fixture(scope="module")
def site(server, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    runtime = Path(REAL_CDN) if REAL_CDN else tmp / "standin-cdn"
    if not REAL_CDN:
        make_standin_runtime(runtime)
    out, stage = tmp / "site", tmp / "stage"
    argv = ["--out", str(out), "--deck", "demo", "--keep-stage", str(stage),
            "--runtime-source", str(runtime), "--base-url", "https://example.org/karuta/"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = build_web.run(argv)
    assert code == 0, printed.getvalue()
    server.root = out
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    return {"out": out, "stage": stage, "printed": printed.getvalue(), "tmp": tmp, "info": info,
            "runtime": runtime, "page": server.url}


def sw_config(out: Path) -> dict:
    sw = (out / "sw.js").read_text(encoding="utf-8")
    return json.loads(sw.split("const CONFIG = ", 1)[1].split(";  // KARUTA-CONFIG", 1)[0])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------- what the build made


def test_site_has_page_bundle_worker_manifest_and_its_own_runtime(site):
    out, info = site["out"], site["info"]
    for name in ("index.html", "karuta.apk", "sw.js", "manifest.webmanifest", "karuta.js", "jsqr.js",
                 "jsqr-LICENSE.txt", "page-font.ttf", "LICENSE-BIZUDPGothic.txt", "favicon.png", "icon-192.png",
                 "icon-512.png", "apple-touch-icon.png", "build.json"):
        assert (out / name).is_file(), name
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "{{" not in html
    assert 'lang="ja"' in html and "かるたを じゅんびしています" in html and "かるたを ひらけませんでした" in html
    assert 'src="cdn/0.9.3/pythons.js"' in html and 'cdn : "cdn/0.9.3/"' in html and "ume_block : 0" in html
    # No terminal (vtx), no file widget, no browserfs: nothing the game does not use is fetched.
    assert 'data-os="snd,gui"' in html and "browserfs" not in html and "vtx" not in html
    # karuta.js (the error guard) is loaded before the loader.
    assert html.index('src="karuta.js"') < html.index("pythons.js")
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    for icon in manifest["icons"]:
        assert (out / icon["src"]).is_file()
    assert f'content="{info["build"]}"' in html
    # The runtime is in the site, each file pinned by its sha256.
    runtime = info["runtime"]
    assert runtime["self_hosted"] is True and runtime["served_from"] == "cdn/"
    wheel = "cdn/cp312/pygame_ce-2.5.7.dev1-cp312-cp312-wasm32_bi_emscripten.whl"
    assert set(runtime["files"]) == {"cdn/" + f for f in web_runtime.LOADER_FILES} | {
        "cdn/" + web_runtime.INDEX, wheel}
    for rel, pin in runtime["files"].items():
        assert sha256(out / rel) == pin["sha256"] == sha256(site["runtime"] / rel[4:]), rel
        assert pin["bytes"] == (out / rel).stat().st_size
    assert info["runtime_bytes"] == sum(p["bytes"] for p in runtime["files"].values())


def test_the_worker_keeps_exactly_the_runtime_and_the_site_with_their_hashes(site):
    out, info = site["out"], site["info"]
    config = sw_config(out)
    assert config["build"] == info["build"]
    listed = {f["path"]: f["sha256"] for f in config["files"]}
    expected = {"index.html", "karuta.apk", "karuta.js", "jsqr.js", "page-font.ttf", "manifest.webmanifest",
                "favicon.png", "apple-touch-icon.png", "icon-192.png", "icon-512.png"} | set(info["runtime"]["files"])
    assert set(listed) == expected
    for path, digest in listed.items():
        assert sha256(out / path) == digest, path
    assert info["first_visit_bytes"] == sum((out / p).stat().st_size for p in listed)
    assert "first visit downloads" in site["printed"]


def test_bundle_holds_the_game_and_nothing_else(site):
    with zipfile.ZipFile(site["out"] / "karuta.apk") as z:
        names = z.namelist()
        deck = json.loads(z.read("assets/decks/demo/deck.json"))
    assert "assets/main.py" in names
    assert "assets/karuta/app/game.py" in names and "assets/karuta/engine/deck.py" in names
    assert deck["id"] == "demo" and len(deck["cards"]) == 44
    for name in names:
        parts = name.split("/")
        assert not {"tests", "docs", ".git", ".venv", "venv", "node_modules", "tools", "__pycache__"} & set(parts), name
        assert not name.endswith((".yaml", ".pyc", ".md", ".wav", ".mp3")), name
    assert "assets/karuta/cli.py" not in names
    # qrcode's matrix-making modules and their licence travel with the game; its image factories do not.
    assert {"assets/qrcode/__init__.py", "assets/qrcode/main.py", "assets/qrcode/LICENSE"} <= set(names)
    assert "assets/qrcode/image/pil.py" not in names and "assets/qrcode/image/svg.py" not in names
    # Fonts keep the names the game loads, cut down to a small size.
    for face in ("BIZUDPGothic-Regular.ttf", "BIZUDPGothic-Bold.ttf", "KleeOne-SemiBold.ttf"):
        info = zipfile.ZipFile(site["out"] / "karuta.apk").getinfo(f"assets/assets/fonts/{face}")
        assert info.file_size < 400_000, (face, info.file_size)


def test_budget_judges_the_projects_own_files_and_deck_media_is_reported_apart(site):
    info = site["info"]
    assert info["project_bytes"] <= info["budget_bytes"] == 3 * 1024 * 1024
    staged = sum(p.stat().st_size for p in site["stage"].rglob("*") if p.is_file())
    assert info["project_bytes"] + info["deck_media_bytes"] == staged + info["parts"]["page scripts"]
    for part in ("code", "fonts", "sounds", "voice", "page scripts", "deck text"):
        assert info["parts"][part] > 0, part
        assert part in site["printed"]
    voice = sum(p.stat().st_size for p in (site["stage"] / "decks").rglob("*.ogg"))
    assert info["parts"]["voice"] == voice
    assert info["base_url"] == "https://example.org/karuta/"


def test_staged_python_imports_only_what_the_browser_has(site):
    """An independent walk of every import in the bundle: stdlib, pygame, karuta, the staged qrcode; or marked
    desktop-only."""
    allowed = set(sys.stdlib_module_names) | {"pygame", "karuta", "qrcode"}
    bad = []
    for path in site["stage"].rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        guarded = set()
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                    isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                    for h in node.handlers):
                guarded.update(id(n) for stmt in node.body for n in ast.walk(stmt))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                mods = [node.module]
            else:
                continue
            for mod in mods:
                if mod.split(".")[0] in allowed or id(node) in guarded or "desktop only" in lines[node.lineno - 1]:
                    continue
                bad.append(f"{path.relative_to(site['stage'])}:{node.lineno}: {mod}")
    assert bad == []
    assert not (site["stage"] / "karuta" / "tools").exists()


def test_staged_game_runs_with_deck_json_and_subset_fonts(site, tmp_path):
    """The bundle's own main.py, with every import outside the browser's set blocked, draws the gallery."""
    runner = tmp_path / "run.py"
    runner.write_text(
        "import os, sys, runpy, importlib.abc\n"
        "import pygame  # pygame probes its own optional extras at import\n"
        "ALLOWED = set(sys.stdlib_module_names) | {'pygame', 'karuta', 'qrcode'}\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] not in ALLOWED:\n"
        "            raise ModuleNotFoundError('not in the browser: ' + name, name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "sys.path.insert(0, os.getcwd())\n"
        "sys.argv = ['main.py'] + sys.argv[1:]\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
        "import karuta\n"
        "assert karuta.__file__.startswith(os.getcwd()), 'ran the project, not the bundle: ' + karuta.__file__\n",
        encoding="utf-8")
    shot = tmp_path / "gallery.png"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH="")
    done = subprocess.run([sys.executable, str(runner), "--headless", "--scene", "gallery", "--frames", "20",
                           "--screenshot", str(shot), "--data-dir", str(tmp_path / "data")],
                          cwd=site["stage"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.is_file()
    import pygame

    img = pygame.image.load(str(shot))
    assert img.get_size() == (1024, 768)


def test_staged_qrcode_makes_the_backup_code_without_pillow(site, tmp_path):
    """The game's QR code from the bundle's own qrcode, with everything the browser lacks blocked (Pillow too)."""
    runner = tmp_path / "qr.py"
    runner.write_text(
        "import os, sys, importlib.abc\n"
        "import pygame\n"
        "ALLOWED = set(sys.stdlib_module_names) | {'pygame', 'karuta', 'qrcode'}\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] not in ALLOWED:\n"
        "            raise ModuleNotFoundError('not in the browser: ' + name, name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "sys.path.insert(0, os.getcwd())\n"
        "from karuta.app import qr\n"
        "import qrcode\n"
        "assert qrcode.__file__.startswith(os.getcwd()), qrcode.__file__\n"
        "print(''.join('#' if d else '.' for row in qr.matrix(sys.argv[1], 'M') for d in row))\n",
        encoding="utf-8")
    link = "https://example.org/karuta/?deck=demo&m=AQAB&k=ABCDEF"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH="")
    done = subprocess.run([sys.executable, str(runner), link], cwd=site["stage"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    from karuta.app import qr

    assert done.stdout.strip().splitlines()[-1] == "".join("#" if d else "." for row in qr.matrix(link, "M")
                                                           for d in row)


def test_subset_fonts_draw_every_character_of_the_deck(site):
    import pygame

    pygame.font.init()
    deck = json.loads((site["stage"] / "decks" / "demo" / "deck.json").read_text(encoding="utf-8"))
    text = set()
    for card in deck["cards"]:
        for key in ("reading", "title", "explanation", "kana"):
            text.update(card.get(key, ""))
    text.update(deck["name"])
    text -= set("()")  # furigana markup, never drawn
    for face in ("BIZUDPGothic-Regular.ttf", "KleeOne-SemiBold.ttf"):
        font = pygame.font.Font(str(site["stage"] / "assets" / "fonts" / face), 24)
        missing = [ch for ch in sorted(text) if font.metrics(ch)[0] is None]
        assert missing == [], (face, missing)
        full = pygame.font.Font(str(ROOT / "assets" / "fonts" / face), 24)
        assert font.size("あさひばし") == full.size("あさひばし")


# ---------------------------------------------------------------------------- bad input


def run_quiet(argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = build_web.run(argv)
    return code, err.getvalue()


def test_unknown_deck_and_bad_urls_are_refused_clearly(tmp_path):
    code, err = run_quiet(["--out", str(tmp_path / "o"), "--deck", "nosuchdeck"])
    assert code == 1 and "nosuchdeck" in err and "demo" in err and "Traceback" not in err
    code, err = run_quiet(["--out", str(tmp_path / "o"), "--base-url", "http://example.org/k/"])
    assert code == 1 and "must be https" in err
    code, err = run_quiet(["--out", str(tmp_path / "o"), "--runtime-source", str(tmp_path / "nothing")])
    assert code == 1 and "--runtime-source" in err and "nothing" in err and "Traceback" not in err
    code, err = run_quiet(["--out", str(tmp_path / "o"), "--runtime-source", str(tmp_path), "--runtime-from-cdn"])
    assert code == 1 and "--runtime-from-cdn" in err


def test_help_and_refusals_in_japanese_and_english(tmp_path):
    en, ja = run_in_both_locales(["build-web", "--help"])
    assert "--budget-mb" in en.stdout and "--budget-mb" in ja.stdout and "ビルド" in ja.stdout
    en, ja = run_in_both_locales(["build-web", "--out", str(tmp_path / "o"), "--deck", "nosuchdeck"])
    assert en.returncode == 1 and "nosuchdeck" in ja.stderr and "demo" in ja.stderr and "デッキ" in ja.stderr
    en, ja = run_in_both_locales(["build-web", "--out", str(tmp_path / "o"), "--base-url", "http://example.org/k/"])
    assert en.returncode == 1 and "must be https" in en.stderr and "https にしてください" in ja.stderr
    assert "Traceback" not in en.text + ja.text and not (tmp_path / "o").exists()


def test_a_build_under_a_japanese_locale_reports_in_japanese_and_makes_the_same_site(site, tmp_path):
    """The whole report in Japanese; the language of the messages never reaches the site (same build id)."""
    out = tmp_path / "site"
    ja = run_tool(["build-web", "--out", str(out), "--deck", "demo", "--runtime-source", str(site["runtime"]),
                   "--base-url", "https://example.org/karuta/"], "ja_JP.UTF-8", timeout=600)
    assert ja.returncode == 0, ja.text
    check_japanese(ja)
    for line in ("ゲームのファイル（上限の対象）", "デッキの絵と文字（上限の対象外）", "最初の訪問で"):
        assert line in ja.stdout
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert info["build"] == site["info"]["build"] and info["parts"] == site["info"]["parts"]


def test_a_runtime_file_missing_from_the_source_is_one_clear_line(site, tmp_path):
    partial = tmp_path / "cdn"
    for rel in site["info"]["runtime"]["files"]:
        if not rel.endswith("main.wasm"):
            (partial / rel[4:]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site["runtime"] / rel[4:], partial / rel[4:])
    code, err = run_quiet(["--out", str(tmp_path / "o"), "--deck", "demo", "--runtime-source", str(partial)])
    assert code == 1 and not (tmp_path / "o").exists()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "main.wasm" in lines[0] and "pygame-web/cdn" in lines[0]


def test_out_folder_with_other_files_is_not_wiped(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("keep me")
    code, err = run_quiet(["--out", str(out)])
    assert code == 1 and "not a karuta web build" in err
    assert (out / "thesis.txt").read_text() == "keep me"


def test_a_character_missing_from_the_fonts_names_the_card(tmp_path):
    deck = tmp_path / "decks" / "odd"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(
        "format: 1\nid: odd\nname: \"ふしぎ\"\nkana_order: aiueo\ncards:\n"
        "  - number: 1\n    kana: あ\n    reading: \"あめ\"\n    title: \"あめ \U0001F308\"\n", encoding="utf-8")
    code, err = run_quiet(["--out", str(tmp_path / "o"), "--decks-dir", str(tmp_path / "decks")])
    assert code == 1
    assert "U+1F308" in err and "card 1 title" in err and "deck.yaml" in err


def test_over_budget_names_the_biggest_parts(site, tmp_path):
    page = tmp_path / "page"
    page.mkdir()
    shutil.copyfile(site["out"] / "jsqr.js", page / "jsqr.js")
    parts, files = sizes.measure(site["stage"], page)
    total = sizes.project_bytes(parts)
    sizes.check_budget(parts, files, total)  # exactly at the budget is fine
    with pytest.raises(BuildError) as refused:
        sizes.check_budget(parts, files, total - 1)
    message = str(refused.value)
    assert "over the budget" in message and "--budget-mb" in message and "not counted" in message
    own = {p: n for p, n in files.items() if not p.startswith("decks/") or p.endswith(".ogg")}
    biggest = max(own, key=own.get)
    assert biggest in message and "voice" in message and "fonts" in message


def test_import_check_flags_unguarded_desktop_imports(tmp_path):
    (tmp_path / "karuta").mkdir()
    (tmp_path / "karuta" / "m.py").write_text(
        "import os\nimport yaml\n"
        "try:\n    import PIL\nexcept ImportError:\n    PIL = None\n"
        "def f():\n    import qrcode  # desktop only: signposts are printed on the desktop\n", encoding="utf-8")
    assert check_imports(tmp_path) == ["karuta/m.py:2: yaml"]


# ---------------------------------------------------------------------------- what the loader does first


PYGBAG_SUPPORT = None


def pygbag_cpythonrc() -> Path:
    import pygbag

    path = Path(pygbag.__file__).parent / "support" / "cpythonrc.py"
    assert path.is_file(), "the pygbag package ships support/cpythonrc.py"
    return path


# Runs pygbag's own import scan (TopLevel_async_handler.scan_imports and the class's ignore
# lists, taken from the pygbag package's cpythonrc.py) over one file, in a fresh interpreter
# where pygame is not imported yet, as in the browser. aio.pep0723 (browser-only) is a stand-in
# with its empty starting state: no name mapping, nothing installed.
SCAN_RUNNER = r"""
import ast, sys, types
source = open(sys.argv[1], encoding="utf-8").read()
tree = ast.parse(source)
cls = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == "TopLevel_async_handler")
body = [n for n in cls.body if isinstance(n, (ast.Assign, ast.AugAssign))
        and (n.targets[0] if isinstance(n, ast.Assign) else n.target).id in ("ignore", "may_need")]
scan = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "scan_imports")
scan.decorator_list = []
cls.body = body + [scan]
cls.bases = []
cls.keywords = []
aio = types.ModuleType("aio")
pep = types.ModuleType("aio.pep0723")
pep.Config = types.SimpleNamespace(mapping={})
pep.HISTORY = []
aio.pep0723 = pep
sys.modules["aio"], sys.modules["aio.pep0723"] = aio, pep
namespace = {"DBG": lambda *a: None, "sys": sys}  # cpythonrc.py imports sys at its top
exec(compile(ast.Module(body=[cls], type_ignores=[]), "cpythonrc.py", "exec"), namespace)
handler = namespace["TopLevel_async_handler"]
code = open(sys.argv[2], encoding="utf-8").read()
print(",".join(handler.scan_imports(handler, code, sys.argv[2])))
"""


def loader_scan(tmp_path: Path, main: Path) -> list[str]:
    runner = tmp_path / "scan.py"
    runner.write_text(SCAN_RUNNER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(runner), str(pygbag_cpythonrc()), str(main)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [m for m in done.stdout.strip().split(",") if m]


def test_the_loaders_own_import_scan_finds_pygame_in_the_staged_main(site, tmp_path):
    found = loader_scan(tmp_path, site["stage"] / "main.py")
    assert "pygame" in found
    # The package index in the site maps it to the wheel the site carries.
    index = json.loads((site["out"] / "cdn" / web_runtime.INDEX).read_text(encoding="utf-8"))
    wheel = index["pygame"].replace("<abi>", "cp312").replace("<api>", web_runtime.API_TAG)
    assert (site["out"] / "cdn" / wheel).is_file()
    # The scan looks at main.py only: without the line naming pygame it would not be installed.
    bare = tmp_path / "main.py"
    bare.write_text(re.sub(r"(?m)^import pygame.*$", "", (site["stage"] / "main.py").read_text(encoding="utf-8")),
                    encoding="utf-8")
    assert "pygame" not in loader_scan(tmp_path, bare)


def template_python(html: str) -> str:
    """The Python block of the built page: what pygbag's loader runs first in the browser."""
    start = html.index("#<!--\n") + len("#<!--\n")
    return html[start:html.index("# --></script>")]


class StandinPlatform(types.ModuleType):
    """A stand-in for pygbag's browser-only `platform` module (the wasm interpreter cannot run here).

    fopen reads the site's files as the browser would fetch them relative to the page; run_main,
    window_resize and the page's karutaLoading record what they are asked.
    """

    def __init__(self, site_dir: Path, page_url: str):
        super().__init__("platform")
        self.site_dir, self.calls = site_dir, []
        outer = self

        class Loading:
            def progress(self, done, total):
                outer.calls.append(("progress", done, total))

            def done(self):
                outer.calls.append(("done",))

            def fail(self, detail):
                outer.calls.append(("fail", detail))

        self.window = types.SimpleNamespace(location=types.SimpleNamespace(href=page_url), karutaLoading=Loading(),
                                            window_resize=lambda: outer.calls.append(("window_resize",)))
        self.shell = object()
        self.page_url = page_url

    def fopen(self, name, mode="r"):
        url = urllib.parse.urljoin(self.page_url, name)
        assert url.startswith(self.page_url.split("?")[0]), url
        path = self.site_dir / url[len(self.page_url.split("?")[0]):]
        outer = self

        class Opened:
            async def __aenter__(self):
                outer.calls.append(("fopen", name))
                return io.BytesIO(path.read_bytes())

            async def __aexit__(self, *exc):
                return False

        return Opened()

    def run_main(self, config, loaderhome=None, loadermain="main.py"):
        self.calls.append(("run_main", Path(loaderhome), loadermain))
        os.chdir(loaderhome)  # as the loader does


def test_the_pages_python_part_unpacks_the_game_where_the_loader_runs_it(site, tmp_path, monkeypatch):
    html = (site["out"] / "index.html").read_text(encoding="utf-8")
    code = template_python(html)
    apps = tmp_path / "data" / "data"  # the browser file system's /data/data, here a temporary folder
    assert 'APPS = "/data/data"' in code
    code = code.replace('APPS = "/data/data"', f"APPS = {str(apps)!r}")
    page_url = "https://school.example/karuta/?" + links.encode_query("deck=demo&card=3&k=AAAAAA")
    platform = StandinPlatform(site["out"], page_url)
    embed = types.ModuleType("embed")
    embed.counter = lambda: 0
    sourced = []

    class Shell:
        @staticmethod
        async def source(main, **kw):
            """What the loader does next: install pygame-ce, run main.py; the game opens its window and plays."""
            sourced.append(Path(main))
            import pygame

            pygame.display.quit()                 # no window yet (installing pygame-ce, importing the game)
            await asyncio.sleep(0.3)
            assert ("done",) not in platform.calls  # so the loading screen stays up
            pygame.display.init()
            pygame.display.set_mode((1024, 768))
            await asyncio.sleep(0.3)
            assert ("done",) in platform.calls      # the game has its window: the loading screen goes
            pygame.display.quit()

    class TopLevel:
        @staticmethod
        async def start_toplevel(shell, console=False):
            platform.calls.append(("start_toplevel", console))

    monkeypatch.setitem(sys.modules, "platform", platform)
    monkeypatch.setitem(sys.modules, "embed", embed)
    monkeypatch.setenv("PYGPI", "https://attacker.example/")  # as a link's ?PYGPI=... would set it
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "karuta_page_test", "PyConfig": {}, "shell": Shell, "TopLevel_async_handler": TopLevel}
    monkeypatch.setitem(sys.modules, "karuta_page_test", types.ModuleType("karuta_page_test"))
    exec(compile(code, "index.html", "exec"), namespace)

    assert not [c for c in platform.calls if c[0] == "fail"], platform.calls
    home = apps / "karuta" / "assets"
    assert ("fopen", "karuta.apk") in platform.calls
    assert ("run_main", home, None) in platform.calls
    assert sourced == [home / "main.py"]
    assert (home / "main.py").read_bytes() == (site["stage"] / "main.py").read_bytes()
    assert (home / "karuta" / "app" / "game.py").is_file()
    assert json.loads((home / "decks" / "demo" / "deck.json").read_text(encoding="utf-8"))["id"] == "demo"
    # Packages come from the site itself, whatever the environment held before.
    assert os.environ["PYGPI"] == "https://school.example/karuta/cdn/"
    names = [c[0] for c in platform.calls]
    assert names.index("done") < names.index("window_resize") and ("start_toplevel", False) in platform.calls


def test_a_deck_of_the_open_datas_size_builds_with_the_defaults(site, tmp_path):
    """132 scanned-card pictures (44 cards x 3 faces), imported as a facilitator would: deck media is not budgeted."""
    from karuta.tools import bench_decks
    from karuta.tools import deck as deck_tool

    images = tmp_path / "images"
    names = bench_decks.make_card_images(str(images), cards=44, faces="abc")
    assert len(names) == 132
    zpath, cpath = bench_decks.write_open_data(str(tmp_path), str(images), names, 44)
    decks = tmp_path / "decks"
    decks.mkdir()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert deck_tool.run(["import", "--zip", zpath, "--csv", cpath, "--out", str(decks / "city"), "--quiet"]) == 0
    out = tmp_path / "site"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = build_web.run(["--out", str(out), "--decks-dir", str(decks), "--deck", "city",
                              "--runtime-source", str(site["runtime"])])
    assert code == 0, printed.getvalue()
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert info["parts"]["deck pictures"] > 2 * 1024 * 1024  # the pictures alone were over the old total budget
    assert info["project_bytes"] <= info["budget_bytes"]
    assert "deck pictures" in printed.getvalue()


# ---------------------------------------------------------------------------- the page in Chromium


class Browser:
    """Headless Chromium through selenium and Debian's chromedriver, as an iPad announces itself."""

    def __init__(self, profile: Path, extra_flags: list[str]):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        if CHROMIUM:
            options.binary_location = CHROMIUM
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1024,768", "--lang=ja", f"--user-agent={IPAD_UA}",
                     "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                     f"--user-data-dir={profile}"] + extra_flags:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(30)

    def go(self, url):
        self.network()  # forget earlier requests
        self.driver.get(url)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def js_async(self, script, *args):
        return self.driver.execute_async_script(script, *args)

    def cdp(self, command, params):
        return self.driver.execute_cdp_cmd(command, params)

    def wait(self, expression, what, seconds=30.0, explain="null"):
        """Poll a JS expression until it is truthy (a wait, not a speed check)."""
        end = time.monotonic() + seconds
        while True:
            value = self.js(f"return ({expression});")
            if value:
                return value
            if time.monotonic() > end:
                state = self.js(f"return ({explain});")
                raise AssertionError(f"page never reached: {what} ({expression}); state: {state!r}")
            time.sleep(0.1)

    def network(self) -> list[dict]:
        """The page's requests since the last call: url, status, whether the worker answered, failure."""
        requests: dict[str, dict] = {}
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            params = msg.get("params", {})
            rid = params.get("requestId")
            if msg["method"] == "Network.requestWillBeSent":
                requests.setdefault(rid, {})["url"] = params["request"]["url"]
            elif msg["method"] == "Network.responseReceived":
                r = requests.setdefault(rid, {"url": params["response"]["url"]})
                r["status"] = params["response"]["status"]
                r["worker"] = bool(params["response"].get("fromServiceWorker"))
            elif msg["method"] == "Network.loadingFailed":
                requests.setdefault(rid, {})["failed"] = params.get("errorText", "failed")
        # Only what goes over a network (not data:, blob:, or the browser's own chrome:// pages).
        return [r for r in requests.values() if r.get("url", "").startswith(("http:", "https:", "ws:", "wss:"))]

    def alert_text(self):
        from selenium.common.exceptions import NoAlertPresentException

        try:
            return self.driver.switch_to.alert.text
        except NoAlertPresentException:
            return None

    def screenshot(self, path: Path):
        self.driver.save_screenshot(str(path))

    def close(self):
        with contextlib.suppress(Exception):
            self.driver.quit()


class PageWindow:
    """What WebPlatform expects of pygbag's `platform.window`, answered by the real page in Chromium."""

    def __init__(self, browser: Browser):
        class Storage:
            def getItem(self, key):
                return browser.js("return localStorage.getItem(arguments[0]);", key)

            def setItem(self, key, value):
                browser.js("localStorage.setItem(arguments[0], arguments[1]);", key, value)

            def removeItem(self, key):
                browser.js("localStorage.removeItem(arguments[0]);", key)

        class Location:
            @property
            def search(self):
                return browser.js("return location.search;")

        self.localStorage = Storage()
        self.location = Location()
        self._browser = browser

    def eval(self, code):
        return self._browser.js("return eval(arguments[0]);", code)


def write_qr_video(path: Path, text: str) -> None:
    """A looping fake camera (YUV4MPEG2) that shows one QR code, for Chromium's fake capture device."""
    import qrcode

    qr = qrcode.QRCode(border=4, box_size=1)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    w, h = 640, 480
    cell = 300 // len(matrix)
    x0, y0 = (w - cell * len(matrix)) // 2, (h - cell * len(matrix)) // 2
    luma = bytearray([235]) * (w * h)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for y in range(y0 + r * cell, y0 + (r + 1) * cell):
                    start = y * w + x0 + c * cell
                    luma[start:start + cell] = bytes([16]) * cell
    chroma = bytes([128]) * (w * h // 4)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(2):
            f.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


@pytest.fixture(scope="module")
def browser(site, tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver packages (apt-get install chromium chromium-driver)")
    tmp = tmp_path_factory.mktemp("chrome")
    video = tmp / "qr.y4m"
    write_qr_video(video, SCANNED_LINK)
    b = Browser(tmp / "profile", [f"--use-file-for-fake-video-capture={video}"])
    yield b
    b.close()


def loaded(browser: Browser) -> None:
    browser.wait("document.readyState === 'complete' && !!window.karutaLoading", "the page loaded")


def started_or_failed(browser: Browser) -> str:
    """Wait until the start is over: the game is up, or (placeholder interpreter) the start failed."""
    return browser.wait("window.karutaLoading.finished ? 'started' : window.karutaLoading.failure", "the start's end",
                        seconds=60, explain="document.body.innerText.slice(0, 200)")


def card_link(page: str, deck_id: str, number: int = 3) -> str:
    return page + "?" + links.encode_query(f"deck={deck_id}&card={number}&k=ABCDEF")


def real_loader():
    if not REAL_CDN:
        pytest.skip(NEEDS_REAL_LOADER)


def test_first_visit_on_the_real_loader_stays_on_the_site_and_is_precached(site, server, browser, tmp_path):
    real_loader()
    origin = server.url.rstrip("/")
    mark = len(server.log)
    browser.go(card_link(site["page"], "happy-town"))   # a deck id with 'py' and '-' in it
    loaded(browser)
    outcome = started_or_failed(browser)
    requests = browser.network()
    print("\nrequests of the first visit:\n  " + "\n  ".join(
        f"{r.get('status', '-')} {r['url'][len(origin):]}" for r in requests))
    assert requests and all(r["url"].startswith(origin + "/") for r in requests), requests
    assert [r for r in requests if r.get("failed") or r.get("status", 200) >= 400] == []
    paths = {urllib.parse.urlsplit(r["url"]).path for r in requests}
    assert {"/cdn/0.9.3/pythons.js", "/cdn/0.9.3/cpython312/main.js", "/cdn/0.9.3/cpython312/main.wasm",
            "/cdn/0.9.3/cpython312/main.data", "/karuta.js"} <= paths
    assert not any("vtx" in p or "xterm" in p or "browserfs" in p for p in paths)
    # The loader took nothing from the link: the interpreter it chose, no console, no debug.
    loader = browser.js("return {exe: Module.config.executable, interactive: Module.config.interactive,"
                        " debug: !!Module.config.debug, argv: Module.PyConfig.orig_argv};")
    assert loader["exe"] == origin + "/cdn/0.9.3/cpython312/main.js"
    assert loader["interactive"] is False and loader["debug"] is False
    assert "-i" not in loader["argv"] and "-X dev" not in loader["argv"]
    # The placeholder interpreter cannot start: the child sees a Japanese message and a button, no alert.
    assert browser.alert_text() is None
    if outcome != "started":
        text = browser.js("return document.getElementById('karuta-loading').innerText;")
        assert "かるたを ひらけませんでした" in text and "もういちど" in text
        button = browser.js("const r = document.getElementById('karuta-retry').getBoundingClientRect();"
                            "return [r.width, r.height];")
        assert min(button) >= 64
        browser.screenshot(tmp_path / "failed-start.png")
    # The worker took over and keeps exactly this build's list: the page, the bundle and the runtime.
    browser.wait("navigator.serviceWorker.controller !== null", "service worker in control")
    config = sw_config(site["out"])
    browser.js("window._cached = null; caches.open('karuta-' + arguments[0]).then(c => c.keys())"
               ".then(k => window._cached = k.map(r => r.url));", config["build"])
    cached = set(browser.wait("window._cached", "cache listing"))
    assert cached == {server.url + f["path"] for f in config["files"]}
    print("what the site served (page and service worker):\n  " + "\n  ".join(
        f"{code} {path}" for path, code in server.log[mark:]))
    assert all(code < 400 for _, code in server.log[mark:]), server.log[mark:]


def test_links_with_py_and_dash_i_in_the_deck_id_do_not_steer_the_loader(site, browser):
    real_loader()
    origin = site["page"].rstrip("/")
    for deck_id in ("spy-island", "x-i", "happy-town", "shop-apk"):
        browser.go(card_link(site["page"], deck_id))
        loaded(browser)
        browser.wait("window.Module && Module.config && Module.config.executable", "the loader's settings")
        got = browser.js("return [Module.config.executable, Module.config.interactive, Module.config.archive];")
        assert got == [origin + "/cdn/0.9.3/cpython312/main.js", False, "karuta"], (deck_id, got)
        assert browser.alert_text() is None
    # The same ids in the old plain form do steer it: the check above can fail.
    browser.go(site["page"] + "?deck=happy-town&card=3&k=ABCDEF")
    loaded(browser)
    browser.wait("window.Module && Module.config && Module.config.executable", "the loader's settings")
    assert "cpythonppy-town" in browser.js("return Module.config.executable;")


def test_a_signpost_link_opens_whole_with_the_server_gone(site, server, browser):
    real_loader()
    browser.go(site["page"])
    loaded(browser)
    browser.wait("navigator.serviceWorker.controller !== null", "service worker in control")
    started_or_failed(browser)
    server.stop()
    try:
        browser.go(card_link(site["page"], "demo", 7))
        loaded(browser)
        started_or_failed(browser)
        requests = browser.network()
        assert browser.js("return document.querySelector('meta[name=karuta-build]').content;") == site["info"]["build"]
        paths = {urllib.parse.urlsplit(r["url"]).path for r in requests}
        assert {"/cdn/0.9.3/pythons.js", "/cdn/0.9.3/cpython312/main.wasm", "/cdn/0.9.3/cpython312/main.data"} <= paths
        assert [r for r in requests if r.get("failed") or r.get("status", 200) >= 400] == []
        assert all(r.get("worker") for r in requests if "status" in r), requests
        # What Python will fetch later comes from the cache too: the bundle, the index, the wheel.
        wanted = ["karuta.apk", "cdn/" + web_runtime.INDEX, "cdn/0.9.3/cpythonrc.py",
                  "cdn/cp312/pygame_ce-2.5.7.dev1-cp312-cp312-wasm32_bi_emscripten.whl"]
        statuses = browser.js_async("const done = arguments[arguments.length - 1];"
                                    "Promise.all(arguments[0].map(u => fetch(u).then(r => r.status, e => String(e))))"
                                    ".then(done);", wanted)
        assert statuses == [200] * len(wanted)
        assert browser.alert_text() is None
    finally:
        server.start()


def test_no_alert_and_a_japanese_message_when_the_start_fails(site, browser, tmp_path):
    browser.go(site["page"])
    loaded(browser)
    # Whatever the loader does, a rejected promise or an error before the start is a Japanese message.
    browser.js("Promise.reject(new Error('test rejection')); setTimeout(() => { throw new Error('test error'); }, 0);")
    browser.wait("window.karutaLoading.failure !== ''", "the failure message")
    assert browser.alert_text() is None
    assert browser.js("return document.getElementById('karuta-failed').hidden;") is False
    assert browser.js("window.alert('x'); return 1;") == 1 and browser.alert_text() is None
    browser.screenshot(tmp_path / "failed.png")


def test_the_canvas_keeps_4_to_3_inside_the_window(site, browser):
    browser.go(site["page"])
    loaded(browser)
    for w, h in ((1024, 768), (1366, 1024), (800, 1000), (1200, 600)):
        browser.cdp("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1,
                                                           "mobile": False})
        rect = browser.js("const r = document.getElementById('canvas').getBoundingClientRect();"
                          "return [r.left, r.top, r.width, r.height, innerWidth, innerHeight];")
        left, top, width, height, iw, ih = rect
        assert abs(width / height - 4 / 3) < 0.01, rect
        assert left >= 0 and top >= 0 and left + width <= iw + 0.5 and top + height <= ih + 0.5, rect
        assert abs(width - iw) < 1 or abs(height - ih) < 1, rect  # as large as fits
    browser.cdp("Emulation.clearDeviceMetricsOverride", {})


def test_web_platform_speech_through_the_page(site, browser):
    browser.go(site["page"])
    loaded(browser)
    # Record what reaches the browser's speech engine instead of speaking.
    browser.js("""
        window._said = [];
        speechSynthesis.speak = u => window._said.push({text: u.text, lang: u.lang, rate: u.rate, volume: u.volume});
        speechSynthesis.cancel = () => window._said.push('cancel');
        speechSynthesis.getVoices = () => [];
        window.Module = {SDL2: {audioContext: {state: 'suspended', resume() { this.state = 'running'; return Promise.resolve(); }}}};
    """)
    # The first tap (a real WebDriver click) unlocks audio and speech, once.
    from selenium.webdriver.common.by import By

    body = browser.driver.find_element(By.TAG_NAME, "body")
    for _ in range(2):
        body.click()
    assert browser.js("return window.Module.SDL2.audioContext.state;") == "running"
    unlock = browser.js("return window._said;")
    assert len(unlock) == 1 and unlock[0]["text"] == "" and unlock[0]["volume"] == 0
    browser.js("window._said = [];")

    platform = WebPlatform(window=PageWindow(browser))
    assert platform.can_speak() is True
    assert platform.speak("あさひばし　わたるとひびく", rate=3.0, volume=0.4) is True
    said = browser.js("return window._said;")
    assert said[0] == "cancel"  # a new reading stops the previous one
    assert {k: said[1][k] for k in ("text", "lang", "rate")} == {"text": "あさひばし　わたるとひびく", "lang": "ja-JP",
                                                                 "rate": 2}  # clamped: children follow at most 2x
    assert said[1]["volume"] == pytest.approx(0.4)
    platform.stop_speaking()
    assert browser.js("return window._said.slice(-1)[0];") == "cancel"
    # A browser with voices but none Japanese: no speech, so the game shows text instead.
    browser.js("speechSynthesis.getVoices = () => [{lang: 'en-US', name: 'x'}];")
    assert platform.can_speak() is False
    assert platform.speak("あ") is False


def test_web_platform_scan_through_the_page_camera(site, browser):
    browser.go(site["page"])
    loaded(browser)
    platform = WebPlatform(window=PageWindow(browser))
    assert platform.can_scan() is True
    # Cancelled straight away: no overlay left, nothing to take.
    assert platform.start_scan() is True
    platform.cancel_scan()
    assert browser.js("return document.getElementById('karuta-scan');") is None
    assert platform.poll_scan() is None
    # The fake camera shows a signpost's QR code: the text is kept until Python takes it, once.
    browser.js("""
        window._cancelButton = null;
        new MutationObserver(() => {
            const b = document.getElementById('karuta-scan-cancel');
            if (b && !window._cancelButton) {
                const r = b.getBoundingClientRect();
                window._cancelButton = {text: b.textContent, w: r.width, h: r.height, top: r.top, bottom: r.bottom};
            }
        }).observe(document.body, {childList: true});
    """)
    assert platform.start_scan() is True
    browser.wait("window.karutaScan.state() === 'idle' && !document.getElementById('karuta-scan')", "QR decoded",
                 explain="[window.karutaScan.state(), document.body.innerText.slice(0, 300)]")
    button = browser.js("return window._cancelButton;")
    assert button["text"] == "やめる" and button["w"] >= 64 and button["h"] >= 64
    assert 0 <= button["top"] and button["bottom"] <= browser.js("return innerHeight;")
    assert platform.poll_scan() == SCANNED_LINK
    assert platform.poll_scan() is None
    assert browser.js("return window.karutaScan.take();") is None
    # A refused camera: a message and a way back, and the game is told to offer its code keypad instead.
    browser.js("navigator.mediaDevices.getUserMedia = () => "
               "Promise.reject(Object.assign(new Error('no'), {name: 'NotAllowedError'}));")
    assert platform.start_scan() is True
    browser.wait("window.karutaScan.state() === 'denied'", "the refusal")
    assert "カメラを つかえません" in browser.js("return document.getElementById('karuta-scan').innerText;")
    assert platform.can_scan() is False
    platform.cancel_scan()
    assert browser.js("return document.getElementById('karuta-scan');") is None
    assert platform.start_scan() is False and platform.poll_scan() is None
    assert browser.alert_text() is None


def test_web_platform_storage_query_and_position(site, browser):
    link = card_link(site["page"], "demo", 3)
    browser.go(link)
    loaded(browser)
    platform = WebPlatform(window=PageWindow(browser))
    assert platform.launch_params() == {"c": link.split("?c=")[1]}
    platform.storage_set("collection", '{"met": [3]}')
    assert platform.storage_get("collection") == '{"met": [3]}'
    platform.storage_delete("collection")
    assert platform.storage_get("collection") is None
    origin = site["page"].rstrip("/")
    browser.cdp("Browser.grantPermissions", {"origin": origin, "permissions": ["geolocation"]})
    browser.cdp("Emulation.setGeolocationOverride", {"latitude": 36.3361862, "longitude": 139.1000636, "accuracy": 30})
    assert platform.position() is None  # the first ask starts watching; no fix yet
    browser.wait("window.karutaPosition() !== null", "a position fix")
    lat, lon, accuracy = platform.position()
    assert (round(lat, 5), round(lon, 5), accuracy) == (36.33619, 139.10006, 30)


def test_new_build_switches_whole_and_a_broken_one_never_does(site, server, browser, tmp_path):
    old = site["info"]["build"]

    def publish(name: str, build: str, upload_cut_short: bool = False) -> Path:
        """The site as a new build with a new bundle; cut short, the new bundle never arrived."""
        folder = tmp_path / name
        shutil.copytree(site["out"], folder)
        html = folder / "index.html"
        html.write_text(html.read_text(encoding="utf-8").replace(old, build), encoding="utf-8")
        apk = folder / "karuta.apk"
        apk.write_bytes(apk.read_bytes() + b"\0" * 16)  # a zip may carry trailing bytes
        config = sw_config(folder)
        config["build"] = build
        for f in config["files"]:
            if f["path"] in ("index.html", "karuta.apk"):
                f["sha256"] = sha256(folder / f["path"])
        sw = folder / "sw.js"
        text = re.sub(r"(?m)^const CONFIG = .*// KARUTA-CONFIG$",
                      lambda _: "const CONFIG = " + json.dumps(config) + ";  // KARUTA-CONFIG",
                      sw.read_text(encoding="utf-8"))
        sw.write_text(text, encoding="utf-8")
        if upload_cut_short:
            apk.unlink()
        return folder

    def current_build():
        return browser.js("return document.querySelector('meta[name=karuta-build]').content;")

    def cache_names():
        browser.js("window._names = null; caches.keys().then(k => window._names = k);")
        return sorted(browser.wait("window._names", "cache names"))

    browser.go(site["page"])
    loaded(browser)
    browser.wait("navigator.serviceWorker.controller !== null", "service worker in control")
    assert cache_names() == [f"karuta-{old}"]

    # A broken upload (the bundle is missing): the old build keeps serving, nothing half-made stays.
    server.root = publish("broken", "brokenbuild1", upload_cut_short=True)
    try:
        browser.js_async("const done = arguments[arguments.length - 1];"
                         "navigator.serviceWorker.getRegistration().then(r => r.update())"
                         ".then(() => done('updated'), e => done('failed: ' + e));")
        browser.wait("navigator.serviceWorker.getRegistration().then(r => window._idle = !r.installing && !r.waiting),"
                     " window._idle", "the failed install to settle")
        browser.go(site["page"])
        loaded(browser)
        assert current_build() == old
        assert cache_names() == [f"karuta-{old}"]

        # A good new build: the untouched page switches to it by itself, completely.
        server.root = publish("v2", "v2build00001")
        browser.go(site["page"])
        browser.wait("document.querySelector('meta[name=karuta-build]') && "
                     "document.querySelector('meta[name=karuta-build]').content === 'v2build00001'",
                     "the page reloaded into the new build", seconds=40)
        assert cache_names() == ["karuta-v2build00001"]
        server.stop()
        try:
            browser.go(site["page"])
            loaded(browser)
            assert current_build() == "v2build00001"
        finally:
            server.start()
    finally:
        server.root = site["out"]


def test_the_budget_counts_one_decks_voice_so_a_second_voiced_deck_is_not_refused(tmp_path):
    """The demo deck beside a district's voiced deck (what `karuta publish` builds after a fork):
    the budget judges the largest deck's voice; the others are reported as deck media."""
    stage, page = tmp_path / "stage", tmp_path / "page"
    for deck, sizes in (("demo", (30_000, 20_000)), ("city", (25_000, 25_000, 25_000))):
        (stage / "decks" / deck / "audio").mkdir(parents=True)
        for n, size in enumerate(sizes, start=1):
            (stage / "decks" / deck / "audio" / f"{n}.ogg").write_bytes(b"O" * size)
    (stage / "main.py").write_bytes(b"#" * 1000)
    page.mkdir()
    parts, files = build_web.measure(stage, page)
    assert parts["voice"] == 75_000 and parts["other decks' voice"] == 50_000
    assert build_web.project_bytes(parts) == 76_000 and build_web.deck_media_bytes(parts) == 50_000
    build_web.check_budget(parts, files, 76_000)  # both decks' voice together (126 KB) would be over
    assert set(files) >= {"decks/demo/audio/1.ogg", "decks/city/audio/3.ogg"}
