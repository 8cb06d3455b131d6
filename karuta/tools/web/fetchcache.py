"""One way to get a file the build needs from elsewhere: fetch it, check it, keep it for offline builds.

Used for pygbag's runtime (the loader, the interpreter, the pygame-ce wheel) and for the page's QR
decoder (jsQR from npm). A file is looked for in the local cache first (platformdirs' user cache,
or ``KARUTA_CACHE_DIR``), then fetched with urllib (or copied from a local folder), checked against
its expected hash when one is known, and stored in the cache atomically. A file that cannot be had
raises FetchError with one line that says what to run where there is internet.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..i18n import _

TIMEOUT = 60            # seconds per request; a school network may be slow, not silent for a minute
MAX_BYTES = 64 << 20    # no file the build fetches is anywhere near this


class FetchError(Exception):
    """A needed file could not be had; the message is one line saying what to do."""


def cache_root() -> Path:
    override = os.environ.get("KARUTA_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("karuta", appauthor=False))


def is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https")


def integrity_of(data: bytes, algorithm: str) -> str:
    """Subresource-integrity form, as npm's lockfile writes it: ``sha512-<base64>``."""
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")


def matches(data: bytes, integrity: str) -> bool:
    algorithm = integrity.split("-", 1)[0]
    if algorithm not in ("sha256", "sha384", "sha512"):
        raise FetchError(_("unknown integrity algorithm {algorithm!r} in {integrity!r}")
                         .format(algorithm=algorithm, integrity=integrity[:30]))
    return integrity_of(data, algorithm) == integrity


def obtain(source: str, cache_key: str, *, integrity: str | None = None, what: str, retry_hint: str) -> Path:
    """The file at ``source``: a local path as it is, an http(s) URL through the cache under ``cache_key``.

    ``integrity`` (``sha512-...``) is checked on every use, cached copy included: a cached file that
    no longer matches is fetched again. ``what`` names the file in messages; ``retry_hint`` is the
    command to run where there is internet.
    """
    if not is_url(source):
        # A local folder is its own offline copy: use it as it is now, never an older cached one.
        path = Path(source)
        if not path.is_file():
            raise FetchError(_("{what}: {path} is missing; {hint}").format(what=what, path=path, hint=retry_hint))
        if integrity is not None and not matches(path.read_bytes(), integrity):
            raise FetchError(_("{what}: {path} does not match its pinned hash {pin}...")
                             .format(what=what, path=path, pin=integrity[:24]))
        return path
    cached = cache_root() / cache_key
    if cached.is_file():
        data = cached.read_bytes()
        if integrity is None or matches(data, integrity):
            return cached
    data = _download(source, what, retry_hint)
    if integrity is not None and not matches(data, integrity):
        raise FetchError(_("{what}: {path} does not match its pinned hash {pin}...; "
                           "the file changed at its source: check the pin before trusting it")
                         .format(what=what, path=source, pin=integrity[:24]))
    _store(cached, data)
    return cached


def _download(url: str, what: str, retry_hint: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "karuta-build-web"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(_("{what}: {url} answered HTTP {code} and no copy is cached; {hint}")
                         .format(what=what, url=url, code=exc.code, hint=retry_hint)) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(_("{what}: cannot fetch {url} ({reason}) and no copy is cached; {hint}")
                         .format(what=what, url=url, reason=reason, hint=retry_hint)) from None
    if len(data) > MAX_BYTES:
        raise FetchError(_("{what}: {url} is larger than {size} MB; not a file this build expects")
                         .format(what=what, url=url, size=MAX_BYTES >> 20))
    return data


def _store(path: Path, data: bytes) -> None:
    """Write whole or not at all, so an interrupted build never leaves half a file in the cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

