"""Getting the build's outside files: one fetch + check + cache helper for pygbag's runtime and jsQR.

jsQR comes from the real npm registry (the one outside host reachable here; the tests that need
it skip with a reason when it is not). The runtime is served over real HTTP on localhost.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest

from karuta.tools.web import fetchcache, jsqr
from karuta.tools.web import runtime as web_runtime
from karuta.tools.web.fetchcache import FetchError

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "package-lock.json"


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KARUTA_CACHE_DIR", str(folder))
    return folder


def registry_reachable() -> bool:
    _, url, _ = jsqr.pinned(LOCK)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10):
            return True
    except OSError:
        return False


def lockfile(tmp_path: Path, **changes) -> Path:
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    lock["packages"]["node_modules/jsqr"].update(changes)
    path = tmp_path / "package-lock.json"
    path.write_text(json.dumps(lock), encoding="utf-8")
    return path


def test_jsqr_arrives_as_the_lockfile_pins_it_and_later_builds_need_no_network(tmp_path, cache):
    if not registry_reachable():
        pytest.skip("registry.npmjs.org is not reachable from this machine")
    version, url, integrity = jsqr.pinned(LOCK)
    script, licence = jsqr.jsqr_files(LOCK)
    assert b"jsQR" in script and b"Apache License" in licence
    tarball = cache / "npm" / f"jsqr-{version}.tgz"
    assert fetchcache.matches(tarball.read_bytes(), integrity)
    # Offline (the address now points nowhere): the verified copy in the cache is used.
    offline = lockfile(tmp_path, resolved="http://127.0.0.1:9/jsqr.tgz")
    assert jsqr.jsqr_files(offline) == (script, licence)
    # A cached copy that no longer matches is not used; with no network that is one clear line.
    tarball.write_bytes(tarball.read_bytes()[:-10])
    with pytest.raises(FetchError) as err:
        jsqr.jsqr_files(offline)
    assert "no copy is cached" in str(err.value) and "registry.npmjs.org" in str(err.value)
    assert "\n" not in str(err.value)


def test_a_download_that_does_not_match_the_lockfile_is_refused_and_not_kept(tmp_path, cache):
    if not registry_reachable():
        pytest.skip("registry.npmjs.org is not reachable from this machine")
    wrong = fetchcache.integrity_of(b"something else", "sha512")
    with pytest.raises(FetchError) as err:
        jsqr.jsqr_files(lockfile(tmp_path, integrity=wrong))
    assert "does not match its pinned hash" in str(err.value)
    assert not list(cache.rglob("*.tgz"))


def test_a_lockfile_without_the_pin_says_so(tmp_path):
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    del lock["packages"]["node_modules/jsqr"]["integrity"]
    path = tmp_path / "package-lock.json"
    path.write_text(json.dumps(lock), encoding="utf-8")
    with pytest.raises(FetchError) as err:
        jsqr.jsqr_files(path)
    assert str(path) in str(err.value) and "integrity" in str(err.value)


class Server:
    """A static HTTP server on localhost for a CDN-shaped folder."""

    def __init__(self, root: Path):
        self.log: list[str] = []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k):
                super().__init__(*a, directory=str(root), **k)

            def log_message(self, fmt, *args):
                outer.log.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/cdn/"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def cdn_folder(root: Path) -> Path:
    """A small CDN-shaped folder with the runtime's file names (their content does not matter here)."""
    cdn = root / "cdn"
    for rel in web_runtime.LOADER_FILES:
        (cdn / rel).parent.mkdir(parents=True, exist_ok=True)
        (cdn / rel).write_bytes(rel.encode() * 50)
    (cdn / web_runtime.INDEX).write_text(json.dumps({"pygame": "cp312/pygame_ce-9-<abi>-<abi>-<api>.whl"}))
    (cdn / "cp312").mkdir()
    with zipfile.ZipFile(cdn / f"cp312/pygame_ce-9-cp312-cp312-{web_runtime.API_TAG}.whl", "w") as z:
        z.writestr("pygame/__init__.py", "")
    return cdn


def test_the_runtime_from_an_address_is_cached_pinned_and_copied_and_works_offline_later(tmp_path, cache):
    cdn_folder(tmp_path)
    server = Server(tmp_path)
    try:
        pins = web_runtime.gather(server.url, tmp_path / "site1")
    finally:
        server.stop()
    wheel = f"cdn/cp312/pygame_ce-9-cp312-cp312-{web_runtime.API_TAG}.whl"
    assert set(pins) == {"cdn/" + r for r in web_runtime.LOADER_FILES} | {"cdn/" + web_runtime.INDEX, wheel}
    assert len(server.log) == len(pins)  # each file fetched once
    for rel, pin in pins.items():
        assert (tmp_path / "site1" / rel).read_bytes() == (tmp_path / rel).read_bytes()
    # The server is gone: the cache gives the same files, so the build works offline.
    again = web_runtime.gather(server.url, tmp_path / "site2")
    assert again == pins
    # A file never fetched from that address: one line saying what to run where there is internet.
    (cache / "pygbag-runtime").rename(cache / "moved")
    with pytest.raises(FetchError) as err:
        web_runtime.gather(server.url, tmp_path / "site3")
    message = str(err.value)
    assert "\n" not in message and "0.9.3/pythons.js" in message and "karuta build-web" in message
    assert "once on a computer that reaches" in message


def test_an_index_without_pygame_is_named(tmp_path):
    cdn = cdn_folder(tmp_path)
    (cdn / web_runtime.INDEX).write_text(json.dumps({"numpy": "x.whl"}))
    with pytest.raises(FetchError) as err:
        web_runtime.gather(str(cdn), tmp_path / "site")
    assert web_runtime.INDEX in str(err.value) and "pygame" in str(err.value)
