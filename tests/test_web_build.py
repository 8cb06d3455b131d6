"""The web build: `karuta build-web` end to end, what the bundle holds, and the page in a real browser.

The build runs once for this file (pygbag included, about ten seconds). The browser tests drive
Debian's headless Chromium through chromedriver's HTTP API (urllib only). pygbag's CDN cannot be
reached here, so the build points its runtime at a stand-in served by the test on another origin;
the stand-in loads what the real runtime loads (its own files and the bundle) and reports back.
Select these tests with `-m webbuild`.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import http.server
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from karuta.app.platform import WebPlatform
from karuta.tools import build_web

pytestmark = pytest.mark.webbuild

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1024,768", "--lang=ja",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
SCANNED_LINK = "https://example.org/karuta/?deck=demo&card=3&k=ab12"
RUNTIME_SIZES = {"python312/main.js": 3_000, "python312/main.wasm": 200_000, "python312/main.data": 150_000,
                 "pythonrc.py": 2_000, "python312/extra.bin": 10_000, "empty.ogg": 500}


# ---------------------------------------------------------------------------- servers


class Site:
    """A static server that can be switched to another folder, or to answering 503 (no network)."""

    def __init__(self, cors: bool = False):
        self.root: Path | None = None
        self.offline = False
        self.log: list[tuple[str, int]] = []
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path):
                rel = path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
                return str((site.root or Path("/nonexistent")) / rel)

            def send_head(self):
                if site.offline:
                    self.send_error(503, "offline")
                    return None
                return super().send_head()

            def send_response(self, code, message=None):
                site.log.append((self.path, code))
                super().send_response(code, message)

            def end_headers(self):
                self.send_header("Cache-Control", "no-cache")
                if cors:
                    self.send_header("Access-Control-Allow-Origin", "*")
                super().end_headers()

            def log_message(self, *args):
                pass

        Handler.extensions_map = {**Handler.extensions_map, ".js": "text/javascript", ".wasm": "application/wasm",
                                  ".webmanifest": "application/manifest+json", ".apk": "application/zip"}
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


STANDIN_PYTHONS_JS = r"""
// Stand-in for pygbag's pythons.js: it fetches what the real runtime fetches, then reports.
const cfg = window.config;
const files = %s;
async function get(url, mode) {
    const r = await fetch(url, { mode });
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.type, bytes: b.byteLength, head: String.fromCharCode(b[0] || 0, b[1] || 0) };
}
(async () => {
    const results = {};
    try {
        for (const f of Object.keys(files)) results[f] = await get(cfg.cdn + f, f.endsWith(".ogg") ? "no-cors" : "cors");
        results.apk = await get(cfg.archive + ".apk", "same-origin");
        results.browserfs = !!(window.BrowserFS && window.BrowserFS.standin);
        if (!location.search.includes("hold")) window.karutaLoading.done();
        window.standin = { done: true, results };
    } catch (e) {
        window.standin = { done: true, error: String(e), results };
    }
})();
"""


def make_standin(folder: Path) -> None:
    (folder / "python312").mkdir(parents=True)
    (folder / "pythons.js").write_text(STANDIN_PYTHONS_JS % json.dumps(RUNTIME_SIZES), encoding="utf-8")
    (folder / "browserfs.min.js").write_text("window.BrowserFS = { standin: true };\n", encoding="utf-8")
    for name, size in RUNTIME_SIZES.items():
        (folder / name).write_bytes(os.urandom(size))


# ---------------------------------------------------------------------------- the build (once)


@pytest.fixture(scope="module")
def servers():
    app, cdn = Site(), Site(cors=True)
    yield app, cdn
    app.close()
    cdn.close()


@pytest.fixture(scope="module")
def site(servers, tmp_path_factory):
    app, cdn = servers
    if not shutil.which("npm") and not (ROOT / "node_modules" / "jsqr" / "dist" / "jsQR.js").is_file():
        pytest.skip("the web build needs Node.js/npm once to install jsqr (apt-get install nodejs npm)")
    tmp = tmp_path_factory.mktemp("web")
    make_standin(tmp / "cdn")
    cdn.root = tmp
    out, stage = tmp / "site", tmp / "stage"
    # The CDN is another origin (other host and port), as pygbag's is for a real site.
    argv = ["--out", str(out), "--deck", "demo", "--keep-stage", str(stage),
            "--cdn", f"http://127.0.0.1:{cdn.port}/cdn/", "--base-url", "https://example.org/karuta/"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = build_web.run(argv)
    assert code == 0, printed.getvalue()
    app.root = out
    return {"out": out, "stage": stage, "printed": printed.getvalue(), "tmp": tmp,
            "page": f"http://localhost:{app.port}/"}


# ---------------------------------------------------------------------------- what the build made


def test_site_has_page_bundle_worker_and_manifest(site):
    out = site["out"]
    for name in ("index.html", "karuta.apk", "sw.js", "manifest.webmanifest", "karuta.js", "jsqr.js",
                 "favicon.png", "icon-192.png", "icon-512.png", "apple-touch-icon.png", "build.json"):
        assert (out / name).is_file(), name
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "{{" not in html
    assert 'lang="ja"' in html and "かるたを じゅんびしています" in html
    assert "karuta.apk" in html and "ume_block : 0" in html
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    for icon in manifest["icons"]:
        assert (out / icon["src"]).is_file()
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    sw = (out / "sw.js").read_text(encoding="utf-8")
    assert f'"build": "{info["build"]}"' in sw
    assert f'content="{info["build"]}"' in html
    # Every file the worker precaches exists in the site.
    config = json.loads(sw.split("const CONFIG = ", 1)[1].split(";  // KARUTA-CONFIG", 1)[0])
    for name in config["app"]:
        assert (out / name).is_file(), name


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


def test_budget_is_respected_and_sizes_are_reported(site):
    info = json.loads((site["out"] / "build.json").read_text(encoding="utf-8"))
    assert info["total_bytes"] <= info["budget_bytes"] == 3 * 1024 * 1024
    staged = sum(p.stat().st_size for p in site["stage"].rglob("*") if p.is_file())
    assert info["total_bytes"] == staged + info["parts"]["page scripts"]
    for part in ("code", "fonts", "audio", "decks", "page scripts"):
        assert info["parts"][part] > 0
        assert part in site["printed"]
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
    code, err = run_quiet(["--out", str(tmp_path / "o"), "--cdn", "ftp://x/"])
    assert code == 1 and "--cdn" in err


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
    parts, files = build_web.measure(site["stage"], page)
    total = sum(parts.values())
    build_web.check_budget(parts, files, total)  # exactly at the budget is fine
    with pytest.raises(build_web.BuildError) as refused:
        build_web.check_budget(parts, files, total - 1)
    message = str(refused.value)
    assert "over the budget" in message and "--budget-mb" in message
    biggest = max(files, key=files.get)
    assert biggest in message and "audio" in message and "fonts" in message


def test_import_check_flags_unguarded_desktop_imports(tmp_path):
    (tmp_path / "karuta").mkdir()
    (tmp_path / "karuta" / "m.py").write_text(
        "import os\nimport yaml\n"
        "try:\n    import PIL\nexcept ImportError:\n    PIL = None\n"
        "def f():\n    import qrcode  # desktop only: signposts are printed on the desktop\n", encoding="utf-8")
    assert build_web.check_imports(tmp_path) == ["karuta/m.py:2: yaml"]


# ---------------------------------------------------------------------------- the page in Chromium


class Chrome:
    """Just enough of chromedriver's HTTP API (W3C WebDriver) to drive one headless Chromium."""

    def __init__(self, profile: Path, extra_flags: list[str]):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.proc = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        options = {"args": CHROME_FLAGS + extra_flags + [f"--user-data-dir={profile}"]}
        if CHROMIUM:
            options["binary"] = CHROMIUM
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options,
            "timeouts": {"pageLoad": 30000, "script": 30000}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"chromedriver {method} {path}: {exc.read()[:800]!r}") from None

    def cmd(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        return self.cmd("POST", "/execute/async", {"script": script, "args": list(args)})

    def cdp(self, command, params):
        return self.cmd("POST", "/goog/cdp/execute", {"cmd": command, "params": params})

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

    def screenshot(self, path: Path):
        path.write_bytes(base64.b64decode(self.cmd("GET", "/screenshot")))

    def close(self):
        with contextlib.suppress(Exception):
            self._call("DELETE", f"/session/{self.session}")
        self.proc.terminate()
        with contextlib.suppress(Exception):
            self.proc.wait(10)


class PageWindow:
    """What WebPlatform expects of pygbag's `platform.window`, answered by the real page in Chromium."""

    def __init__(self, chrome: Chrome):
        chrome_ = chrome

        class Storage:
            def getItem(self, key):
                return chrome_.js("return localStorage.getItem(arguments[0]);", key)

            def setItem(self, key, value):
                chrome_.js("localStorage.setItem(arguments[0], arguments[1]);", key, value)

            def removeItem(self, key):
                chrome_.js("localStorage.removeItem(arguments[0]);", key)

        class Location:
            @property
            def search(self):
                return chrome_.js("return location.search;")

        self.localStorage = Storage()
        self.location = Location()
        self._chrome = chrome

    def eval(self, code):
        return self._chrome.js("return eval(arguments[0]);", code)


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
def chrome(site, tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver packages (apt-get install chromium chromium-driver)")
    tmp = tmp_path_factory.mktemp("chrome")
    video = tmp / "qr.y4m"
    write_qr_video(video, SCANNED_LINK)
    browser = Chrome(tmp / "profile", [f"--use-file-for-fake-video-capture={video}"])
    yield browser
    browser.close()


def served_ok(site_server: Site, since: int) -> list:
    return [entry for entry in site_server.log[since:] if entry[1] < 400]


def standin_report(chrome: Chrome) -> dict:
    report = chrome.wait("window.standin && window.standin.done && window.standin", "the stand-in runtime's report")
    assert "error" not in report, report
    return report["results"]


def check_loaded(results: dict, site: dict) -> None:
    for name, size in RUNTIME_SIZES.items():
        got = results[name]
        if got["type"] == "opaque":  # a no-cors request may get an unreadable copy: it still arrived
            assert name.endswith(".ogg"), got
        else:
            assert got["status"] == 200 and got["bytes"] == size, (name, got)
    apk = results["apk"]
    assert apk["status"] == 200 and apk["head"] == "PK"
    assert apk["bytes"] == (site["out"] / "karuta.apk").stat().st_size
    assert results["browserfs"] is True


def test_page_works_offline_after_one_visit(site, servers, chrome):
    app, cdn = servers
    build = json.loads((site["out"] / "build.json").read_text(encoding="utf-8"))["build"]
    chrome.go(site["page"] + "?deck=demo&card=1")
    check_loaded(standin_report(chrome), site)
    # The worker took over the first visit and kept everything that visit loaded.
    chrome.wait("navigator.serviceWorker.controller !== null", "service worker in control")
    cached = chrome.wait(
        "window._cached || (caches.open('karuta-" + build + "').then(c => c.keys())"
        ".then(k => window._cached = k.map(r => r.url)), false)", "cache listing")
    wanted = [site["page"] + n for n in ("index.html", "karuta.apk", "karuta.js", "jsqr.js", "manifest.webmanifest")]
    wanted += [f"http://127.0.0.1:{cdn.port}/cdn/{n}" for n in ("pythons.js", "browserfs.min.js", "python312/main.wasm")]
    assert set(wanted) <= set(cached), set(wanted) - set(cached)
    chrome.wait("window._kept || (caches.open('karuta-" + build + "').then(c => c.match('"
                f"http://127.0.0.1:{cdn.port}/cdn/python312/extra.bin')).then(r => window._kept = !!r), false)",
                "a runtime file loaded before the worker took over is kept too")

    # No network at all: both servers answer 503.
    app.offline = cdn.offline = True
    mark_app, mark_cdn = len(app.log), len(cdn.log)
    try:
        # A signpost link with another query string opens the same cached page.
        chrome.go(site["page"] + "?deck=demo&card=7&k=zz")
        check_loaded(standin_report(chrome), site)
        assert chrome.js("return document.querySelector('meta[name=karuta-build]').content;") == build
        assert chrome.js("return location.search;") == "?deck=demo&card=7&k=zz"
        assert chrome.js("return document.getElementById('karuta-loading').hidden;") is True
    finally:
        app.offline = cdn.offline = False
    assert served_ok(app, mark_app) == [] and served_ok(cdn, mark_cdn) == []


def test_loading_screen_is_japanese(site, chrome, tmp_path):
    chrome.go(site["page"] + "?hold=1")
    standin_report(chrome)
    text = chrome.js("const b = document.getElementById('karuta-loading'); return b.hidden ? '' : b.innerText;")
    assert "かるたを じゅんびしています" in text
    chrome.screenshot(tmp_path / "loading.png")
    assert (tmp_path / "loading.png").stat().st_size > 1000


def test_web_platform_speech_through_the_page(site, chrome):
    chrome.go(site["page"])
    standin_report(chrome)
    # Record what reaches the browser's speech engine instead of speaking.
    chrome.js("""
        window._said = [];
        speechSynthesis.speak = u => window._said.push({text: u.text, lang: u.lang, rate: u.rate, volume: u.volume});
        speechSynthesis.cancel = () => window._said.push('cancel');
        speechSynthesis.getVoices = () => [];
        window.Module = {SDL2: {audioContext: {state: 'suspended', resume() { this.state = 'running'; }}}};
    """)
    # The first tap (a real WebDriver click on the game canvas) unlocks audio and speech, once.
    canvas = chrome.cmd("POST", "/element", {"using": "css selector", "value": "#canvas"})
    element = next(iter(canvas.values()))
    for _ in range(2):
        chrome.cmd("POST", f"/element/{element}/click", {})
    assert chrome.js("return window.Module.SDL2.audioContext.state;") == "running"
    unlock = chrome.js("return window._said;")
    assert len(unlock) == 1 and unlock[0]["text"] == "" and unlock[0]["volume"] == 0
    chrome.js("window._said = [];")

    platform = WebPlatform(window=PageWindow(chrome))
    assert platform.can_speak() is True
    assert platform.speak("あさひばし　わたるとひびく", rate=3.0, volume=0.4) is True
    said = chrome.js("return window._said;")
    assert said[0] == "cancel"  # a new reading stops the previous one
    assert {k: said[1][k] for k in ("text", "lang", "rate")} == {"text": "あさひばし　わたるとひびく", "lang": "ja-JP",
                                                                 "rate": 2}  # clamped: children follow at most 2x
    assert said[1]["volume"] == pytest.approx(0.4)
    platform.stop_speaking()
    assert chrome.js("return window._said.slice(-1)[0];") == "cancel"
    # A browser with voices but none Japanese: no speech, so the game shows text instead.
    chrome.js("speechSynthesis.getVoices = () => [{lang: 'en-US', name: 'x'}];")
    assert platform.can_speak() is False
    assert platform.speak("あ") is False


def test_web_platform_scan_through_the_page_camera(site, chrome, tmp_path):
    chrome.go(site["page"])
    standin_report(chrome)
    platform = WebPlatform(window=PageWindow(chrome))
    assert platform.can_scan() is True
    # Cancelled straight away: no overlay left, nothing to take.
    assert platform.start_scan() is True
    platform.cancel_scan()
    assert chrome.js("return document.getElementById('karuta-scan');") is None
    assert platform.poll_scan() is None
    # The fake camera shows a signpost's QR code: the text is kept until Python takes it, once.
    chrome.js("""
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
    chrome.wait("window.karutaScan.state() === 'idle' && !document.getElementById('karuta-scan')", "QR decoded",
                explain="[window.karutaScan.state(), document.body.innerText.slice(0, 300)]")
    button = chrome.js("return window._cancelButton;")
    assert button["text"] == "やめる" and button["w"] >= 64 and button["h"] >= 64
    assert 0 <= button["top"] and button["bottom"] <= 768
    assert platform.poll_scan() == SCANNED_LINK
    assert platform.poll_scan() is None
    assert chrome.js("return window.karutaScan.take();") is None
    # A refused camera: a message and a way back, and the game is told to offer its code keypad instead.
    chrome.js("navigator.mediaDevices.getUserMedia = () => "
              "Promise.reject(Object.assign(new Error('no'), {name: 'NotAllowedError'}));")
    assert platform.start_scan() is True
    chrome.wait("window.karutaScan.state() === 'denied'", "the refusal")
    assert "カメラを つかえません" in chrome.js("return document.getElementById('karuta-scan').innerText;")
    assert platform.can_scan() is False
    platform.cancel_scan()
    assert chrome.js("return document.getElementById('karuta-scan');") is None
    assert platform.start_scan() is False and platform.poll_scan() is None


def test_web_platform_storage_query_and_position(site, chrome):
    chrome.go(site["page"] + "?deck=demo&card=3&k=ab12")
    standin_report(chrome)
    platform = WebPlatform(window=PageWindow(chrome))
    assert platform.launch_params() == {"deck": "demo", "card": "3", "k": "ab12"}
    platform.storage_set("collection", '{"met": [3]}')
    assert platform.storage_get("collection") == '{"met": [3]}'
    platform.storage_delete("collection")
    assert platform.storage_get("collection") is None
    origin = site["page"].rstrip("/")
    chrome.cdp("Browser.grantPermissions", {"origin": origin, "permissions": ["geolocation"]})
    chrome.cdp("Emulation.setGeolocationOverride", {"latitude": 36.3361862, "longitude": 139.1000636, "accuracy": 30})
    assert platform.position() is None  # the first ask starts watching; no fix yet
    chrome.wait("window.karutaPosition() !== null", "a position fix")
    lat, lon, accuracy = platform.position()
    assert (round(lat, 5), round(lon, 5), accuracy) == (36.33619, 139.10006, 30)


def test_new_build_switches_whole_and_a_broken_one_never_does(site, servers, chrome, tmp_path):
    app, cdn = servers
    old = json.loads((site["out"] / "build.json").read_text(encoding="utf-8"))["build"]

    def publish(name: str, build: str, drop: str = "") -> Path:
        folder = tmp_path / name
        shutil.copytree(site["out"], folder)
        for f in ("sw.js", "index.html"):
            p = folder / f
            p.write_text(p.read_text(encoding="utf-8").replace(old, build), encoding="utf-8")
        if drop:
            (folder / drop).unlink()
        return folder

    def current_build():
        return chrome.js("return document.querySelector('meta[name=karuta-build]').content;")

    def cache_names():
        chrome.js("window._names = null; caches.keys().then(k => window._names = k);")
        return sorted(chrome.wait("window._names", "cache names"))

    chrome.go(site["page"])
    standin_report(chrome)
    chrome.wait("navigator.serviceWorker.controller !== null", "service worker in control")

    # A broken upload (the bundle is missing): the old build keeps serving, nothing half-made stays.
    app.root = publish("broken", "brokenbuild1", drop="karuta.apk")
    try:
        result = chrome.js_async("const done = arguments[0];"
                                 "navigator.serviceWorker.getRegistration().then(r => r.update())"
                                 ".then(() => done('updated'), e => done('failed: ' + e));")
        chrome.wait("navigator.serviceWorker.getRegistration().then(r => window._idle = !r.installing && !r.waiting),"
                    " window._idle", "the failed install to settle")
        assert result.startswith("failed") or chrome.js("return window._idle;")
        chrome.go(site["page"])
        standin_report(chrome)
        assert current_build() == old
        assert cache_names() == [f"karuta-{old}"]

        # A good new build: the untouched page switches to it by itself, completely.
        app.root = publish("v2", "v2build00001")
        chrome.go(site["page"])
        chrome.wait("document.querySelector('meta[name=karuta-build]').content === 'v2build00001'",
                    "the page reloaded into the new build", seconds=40)
        check_loaded(standin_report(chrome), site)
        assert cache_names() == ["karuta-v2build00001"]
        app.offline = cdn.offline = True
        try:
            chrome.go(site["page"])
            check_loaded(standin_report(chrome), site)
            assert current_build() == "v2build00001"
        finally:
            app.offline = cdn.offline = False
    finally:
        app.root = site["out"]
