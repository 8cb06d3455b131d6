"""`karuta serve`: a built site over real HTTP on localhost, with the types the page needs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tool_locales import ROOT, run_in_both_locales, tool_env

FILES = {
    "index.html": b"<!doctype html><title>karuta</title>",
    "karuta.apk": b"PK\x03\x04 not really a zip",
    "sw.js": b"self.addEventListener('fetch', () => {});",
    "manifest.webmanifest": b'{"name": "karuta"}',
    "build.json": b'{"build": "abc"}',
    "cpython312/main.wasm": b"\x00asm\x01\x00\x00\x00",
}
TYPES = {
    "index.html": "text/html",
    "karuta.apk": "application/octet-stream",
    "sw.js": "text/javascript",
    "manifest.webmanifest": "application/manifest+json",
    "build.json": "application/json",
    "cpython312/main.wasm": "application/wasm",
}


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "web"
    for name, data in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_serves_the_site_over_http_with_the_types_the_browser_needs(site):
    fetched = {}
    proc = subprocess.Popen([sys.executable, "-m", "karuta", "serve", "--dir", str(site), "--port", "0"],
                            cwd=ROOT, env=tool_env("C.UTF-8"), stdout=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        url = re.search(r"http://localhost:\d+/", first).group()
        for name in FILES:
            with urllib.request.urlopen(url + name, timeout=10) as resp:
                fetched[name] = (resp.headers.get_content_type(), resp.read(), resp.headers["Cache-Control"])
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "nothing-here.js", timeout=10)
        assert missing.value.code == 404
        missing.value.close()
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
    for name, data in FILES.items():
        ctype, body, cache = fetched[name]
        assert body == data
        assert ctype == TYPES[name], name
        assert cache == "no-cache"
    assert json.loads(fetched["build.json"][1]) == {"build": "abc"}


def test_says_in_both_languages_that_ipads_need_the_https_address(site):
    en, ja = run_in_both_locales(["serve", "--dir", str(site), "--port", "0"], until="Ctrl+C")
    assert "iPads cannot use this address" in en.stdout and "https" in en.stdout
    assert "iPad はこのアドレスを使えません" in ja.stdout and "https" in ja.stdout
    assert re.search(r"http://localhost:\d+/", ja.stdout)


def test_a_folder_without_a_site_is_refused_with_what_to_run(tmp_path):
    en, ja = run_in_both_locales(["serve", "--dir", str(tmp_path / "nowhere")])
    assert en.returncode == 2 and "karuta build-web" in en.stderr and "nowhere" in en.stderr
    (tmp_path / "empty").mkdir()
    en, ja = run_in_both_locales(["serve", "--dir", str(tmp_path / "empty")])
    assert en.returncode == 2 and "no index.html" in en.stderr
    assert "index.html がない" in ja.stderr


def test_ports_the_web_runtime_misreads_are_refused(site):
    en, ja = run_in_both_locales(["serve", "--dir", str(site), "--port", "8080"])
    assert en.returncode == 2 and "8000-8999" in en.stderr


def test_help_and_option_errors_in_both_languages():
    en, ja = run_in_both_locales(["serve", "--help"])
    assert en.returncode == 0 and "--port" in ja.stdout
    en, ja = run_in_both_locales(["serve", "--port", "many"])
    assert en.returncode == 2 and "invalid int value" in en.stderr
    assert "正しくありません" in ja.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE = """<!doctype html><meta charset="utf-8"><title>check</title><p id="state">waiting</p>
<script>
document.getElementById("state").textContent =
  "secure=" + window.isSecureContext + " sw=" + ("serviceWorker" in navigator) + " camera=" + !!navigator.mediaDevices;
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_a_real_browser_gives_the_page_a_secure_context_with_service_worker_and_camera(tmp_path):
    """What `karuta serve` is for: at http://localhost the browser offers the service worker (offline
    mode) and the camera, as only an https site does elsewhere. (Whether a registration then
    completes is the web build's own browser test; --dump-dom does not wait for it.)"""
    site = tmp_path / "web"
    site.mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "karuta", "serve", "--dir", str(site), "--port", "0"],
                            cwd=ROOT, env=tool_env("C.UTF-8"), stdout=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://localhost:\d+/", proc.stdout.readline()).group()
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120).stdout
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
    state = re.search(r'<p id="state">([^<]*)</p>', dom).group(1)
    assert state == "secure=true sw=true camera=true", dom
