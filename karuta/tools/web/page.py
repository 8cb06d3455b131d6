"""The page around the bundle: its scripts and icons, and the finished site with the service worker's list."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from ..i18n import _
from . import runtime as web_runtime
from .errors import BuildError
from .fonts import write_page_font
from .jsqr import jsqr_files
from .layout import BUNDLE, JSQR_FILE, PAGE_DIR, PAGE_FILES, PAGE_FONT, ROOT


def stage_page_files(page: Path) -> None:
    for name in PAGE_FILES + ("sw.js", "index.tmpl"):
        src = PAGE_DIR / name
        if not src.is_file():
            raise BuildError(_("{path} is missing (the page files live in assets/web)").format(path=src))
        shutil.copyfile(src, page / name)
    script, licence = jsqr_files(ROOT / "package-lock.json")
    (page / JSQR_FILE).write_bytes(script)
    (page / "jsqr-LICENSE.txt").write_bytes(licence)
    write_page_font(page)


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


def write_site(out: Path, made: Path, page: Path, build_id: str, runtime_dir: Path | None,
               served_from: str, pins: dict[str, dict]) -> dict[str, int]:
    """The site; returns what the service worker keeps ({address relative to the page: bytes})."""
    html = (made / "index.html").read_text(encoding="utf-8")
    left = sorted(set(re.findall(r"\{\{[^}]*\}\}", html)))
    if left:
        raise BuildError(_("{path}: placeholders pygbag did not fill: {names}")
                         .format(path=PAGE_DIR / "index.tmpl", names=", ".join(left)))
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
        raise BuildError(_("{path}: the `const CONFIG = ...;  // KARUTA-CONFIG` line is missing")
                         .format(path=PAGE_DIR / "sw.js"))
    sw = marker.sub(lambda _m: "const CONFIG = " + json.dumps(config) + ";  // KARUTA-CONFIG", sw, count=1)
    (out / "sw.js").write_text(sw, encoding="utf-8")
    return {f["path"]: f["bytes"] for f in files}
