"""The page's QR decoder (jsQR), exactly as package-lock.json pins it, with no Node.js needed.

The lockfile's ``resolved`` tarball is fetched with urllib, checked against its ``integrity``
(sha512), and kept in the build cache (fetchcache), so later builds work offline. npm stays
optional: package.json/package-lock.json remain the one place the version is chosen.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from ..i18n import _
from .fetchcache import FetchError, obtain

PACKAGE = "jsqr"
SCRIPT = "package/dist/jsQR.js"
LICENCE = "package/LICENSE"
REGISTRY = "https://registry.npmjs.org/"


def pinned(lock_path: Path) -> tuple[str, str, str]:
    """(version, tarball URL, integrity) of jsqr in the lockfile; FetchError says what is wrong with it."""
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
        entry = lock["packages"][f"node_modules/{PACKAGE}"]
        version, integrity = entry["version"], entry["integrity"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FetchError(_("{path}: cannot read the pinned {package} (version and integrity): {reason}")
                         .format(path=lock_path, package=PACKAGE, reason=exc)) from None
    # npm writes `resolved`; a lockfile without it means the public registry's usual address.
    resolved = entry.get("resolved") or f"{REGISTRY}{PACKAGE}/-/{PACKAGE}-{version}.tgz"
    if not str(integrity).startswith("sha512-"):
        raise FetchError(_("{path}: {package} has no sha512 integrity to check the download against")
                         .format(path=lock_path, package=PACKAGE))
    return version, resolved, integrity


def jsqr_files(lock_path: Path) -> tuple[bytes, bytes]:
    """The decoder script and its licence text, from the verified (and cached) npm tarball."""
    version, resolved, integrity = pinned(lock_path)
    tarball = obtain(resolved, f"npm/{PACKAGE}-{version}.tgz", integrity=integrity,
                     what=_("the QR decoder {package} {version}").format(package=PACKAGE, version=version),
                     retry_hint=_("run `karuta build-web` once on a computer that reaches registry.npmjs.org "
                                  "(the copy is kept for later builds)"))
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball.read_bytes()), mode="r:gz") as tar:
            script = tar.extractfile(SCRIPT).read()
            licence = tar.extractfile(LICENCE).read()
    except (tarfile.TarError, KeyError, AttributeError, OSError) as exc:
        raise FetchError(_("{path}: the {package} package lacks {script} or {licence} ({reason})")
                         .format(path=tarball, package=PACKAGE, script=SCRIPT, licence=LICENCE, reason=exc)) from None
    return script, licence
