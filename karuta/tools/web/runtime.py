"""pygbag 0.9.3's runtime, carried inside the site so an iPad talks to no other host.

The list below is what the 0.9.3 loader fetches for this game, read from its own files
(pythons.js, cpythonrc.py, aio/pep0723.py): with ``data-os="snd,gui"`` (no terminal, no file
widget) and ``ume_block 0`` it loads pythons.js, the interpreter (cpython312/main.js, main.wasm,
main.data), then from Python cpythonrc.py, the package index and the wheel of every module
main.py imports that the index maps (only pygame: the rest is the standard library or the bundle).

The files keep the CDN's layout under the site's ``cdn/`` folder, so the loader's relative
look-ups (``../vtx.js`` and the like) would resolve the same way. Each file is pinned by sha256
in build.json: the CDN has replaced files in place under the same version before.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import urllib.parse
from pathlib import Path

from ..i18n import _
from .fetchcache import FetchError, is_url, obtain

PYGBAG_VERSION = "0.9.3"
PYBUILD = "3.12"
ABI_TAG = "cp312"
# The browser interpreter's HOST_GNU_TYPE with '-' as '_': what pep0723 puts for <api> in wheel names.
API_TAG = "wasm32_bi_emscripten"
DEFAULT_SOURCE = "https://pygame-web.github.io/cdn/"
SITE_FOLDER = "cdn"                   # where the runtime lives inside the site
INDEX = f"index-{PYGBAG_VERSION}-{ABI_TAG}.json"
LOADER = f"{PYGBAG_VERSION}/pythons.js"
LOADER_FILES = (
    LOADER,
    f"{PYGBAG_VERSION}/cpython{ABI_TAG[2:]}/main.js",
    f"{PYGBAG_VERSION}/cpython{ABI_TAG[2:]}/main.wasm",
    f"{PYGBAG_VERSION}/cpython{ABI_TAG[2:]}/main.data",
    f"{PYGBAG_VERSION}/cpythonrc.py",
)
WHEEL_MODULES = ("pygame",)           # what the loader's import scan finds in main.py and installs


def normalise_source(source: str) -> str:
    """A CDN-shaped base: an http(s) URL ending in '/', or an existing local folder."""
    source = (source or "").strip()
    if is_url(source):
        return source if source.endswith("/") else source + "/"
    path = Path(source).expanduser()
    if not path.is_dir():
        raise FetchError(_("--runtime-source {source!r} is neither an http(s) address nor a folder").format(source=source))
    return str(path.resolve())


def _locate(source: str, rel: str) -> str:
    return urllib.parse.urljoin(source, rel) if is_url(source) else str(Path(source) / rel)


def _cache_key(source: str, rel: str) -> str:
    parts = urllib.parse.urlsplit(source)
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", parts.netloc + parts.path).strip("_")
    return f"pygbag-runtime/{base}/{rel}"


def _hint(source: str) -> str:
    if is_url(source):
        return _("run `karuta build-web` once on a computer that reaches {source} (the files are kept "
                 "for later builds), or give --runtime-source DIR with a copy of pygame-web/cdn").format(source=source)
    return _("give --runtime-source a folder laid out as pygbag's CDN (a copy of github.com/pygame-web/cdn)")


def _get(source: str, rel: str) -> Path:
    return obtain(_locate(source, rel), _cache_key(source, rel), what=_("pygbag runtime file {path}").format(path=rel),
                  retry_hint=_hint(source))


def wheel_paths(index_path: Path) -> list[str]:
    """The wheel of each module in WHEEL_MODULES, as the loader will ask for it."""
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FetchError(_("{path}: pygbag's package index is not JSON ({reason})").format(path=index_path, reason=exc)) from None
    wheels = []
    for module in WHEEL_MODULES:
        entry = index.get(module)
        if not isinstance(entry, str):
            raise FetchError(_("{path}: pygbag's package index has no wheel for {module!r}").format(path=index_path, module=module))
        wheels.append(entry.replace("<abi>", ABI_TAG).replace("<api>", API_TAG))
    return wheels


def gather(source: str, site: Path) -> dict[str, dict]:
    """Copy every runtime file into ``site/cdn/``; returns {path in the site: {"sha256", "bytes"}}."""
    found: dict[str, Path] = {rel: _get(source, rel) for rel in LOADER_FILES + (INDEX,)}
    for rel in wheel_paths(found[INDEX]):
        found[rel] = _get(source, rel)
    pins = {}
    for rel, path in found.items():
        target = site / SITE_FOLDER / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        data = target.read_bytes()
        pins[f"{SITE_FOLDER}/{rel}"] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    return pins
