"""``karuta build-web``: the game as a static web site for school iPads, small and usable offline.

What it does, in order (each step stops the build with a message naming the file and the
problem, never a traceback); the steps live in karuta/tools/web/:

1. stage a clean folder with exactly what the browser runs (web/stage.py): main.py, the runtime
   packages (karuta/engine, karuta/app, karuta/modes; never tools), the sounds, qrcode's
   matrix modules (web/qrcode_modules.py), the chosen decks converted to deck.json with their
   images scaled down to screen size and .ogg audio (web/decks.py), and the fonts cut down
   (fontTools) to the characters the decks and the game's own strings use, under their usual
   file names so no runtime code changes (web/fonts.py);
2. check that the staged code imports nothing the browser lacks (web/imports.py) and that what
   the project controls (code, fonts, sounds, page scripts, one deck's voice) fits the size
   budget; the decks' own pictures and text, and the voice of further decks, are reported apart
   (web/sizes.py);
3. run pygbag on a copy of the page template (assets/web/index.tmpl) from a temporary
   folder, under a timeout, with a local icon, so nothing is downloaded by pygbag (web/pygbag_run.py);
4. write the site (web/page.py): index.html, karuta.apk, the page scripts (karuta.js, jsqr.js
   from the npm tarball package-lock.json pins, web/jsqr.py), pygbag's runtime under cdn/
   (web/runtime.py), the service worker with the one list of files to keep offline, the
   manifest, icons, build.json; then print the report (web/report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from .i18n import _
from .web import runtime as web_runtime
from .web.decks import select_decks, stage_deck
from .web.errors import BuildError
from .web.fetchcache import FetchError, is_url
from .web.fonts import collect_code_strings, subset_fonts
from .web.imports import check_imports
from .web.layout import BUNDLE, ROOT, STAGE_NAME
from .web.page import fingerprint, stage_page_files, write_site
from .web.pygbag_run import PYGBAG_VERSION, check_bundle, run_pygbag
from .web.qrcode_modules import QRCodePackageError, stage_qrcode
from .web.report import print_report
from .web.sizes import check_budget, deck_media_bytes, measure, project_bytes
from .web.stage import Stage, stage_assets, stage_code

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # the build's own output stays readable

DEFAULT_BUDGET_MB = 3.0
DEFAULT_TIMEOUT = 300
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="karuta build-web",
        description=_("Build the game as a static web site (pygbag) that keeps working offline on school iPads."),
    )
    p.add_argument("--out", default="build/web", metavar="DIR",
                   help=_("where the site is written (default: build/web); a previous build there is replaced"))
    p.add_argument("--deck", action="extend", nargs="+", default=[], metavar="ID",
                   help=_("deck(s) to include (folder names under decks/); default: every valid deck"))
    p.add_argument("--decks-dir", metavar="DIR", default=str(ROOT / "decks"),
                   help=_("where decks are looked for (default: decks/ of the project)"))
    p.add_argument("--base-url", metavar="URL",
                   help=_("the https address the site will be served from (the same one signpost QR codes use)"))
    p.add_argument("--budget-mb", type=float, default=DEFAULT_BUDGET_MB, metavar="N",
                   help=_("fail when what the project controls (code, fonts, sounds, voice, page scripts) is "
                          "bigger than N MB (default {default}); the deck's pictures are reported apart, "
                           "and so is the voice of every deck but the largest")
                   .format(default=f"{DEFAULT_BUDGET_MB:g}"))
    p.add_argument("--runtime-source", metavar="URL_OR_DIR", default=web_runtime.DEFAULT_SOURCE,
                   help=_("where pygbag's runtime files are taken from at build time: a CDN-shaped address or a "
                          "folder (default {default}); they are kept in a local cache and copied into the site, "
                          "so iPads load everything from the school's own site")
                   .format(default=web_runtime.DEFAULT_SOURCE))
    p.add_argument("--runtime-from-cdn", action="store_true",
                   help=_("do not carry the runtime: the page loads it from --runtime-source (an https address) "
                          "at run time, so every iPad talks to that host"))
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                   help=_("stop pygbag after S seconds (default {default})").format(default=DEFAULT_TIMEOUT))
    p.add_argument("--keep-stage", metavar="DIR",
                   help=_("also keep the staged folder (what the bundle holds) in DIR"))
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
        print(_("karuta build-web: {path}: {reason}").format(path=exc.filename or _("a file"),
                                                             reason=exc.strerror or exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("karuta build-web: stopped"), file=sys.stderr)
        return 130
    print_report(report, time.perf_counter() - started)
    return 0


def build(opts: argparse.Namespace) -> dict:
    check_tools()
    source = web_runtime.normalise_source(opts.runtime_source)
    if opts.runtime_from_cdn:
        if not is_url(source):
            raise BuildError(_("--runtime-from-cdn needs --runtime-source to be the https address the page loads from"))
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
            raise BuildError(_("--keep-stage {dir} holds other files; choose an empty or new folder").format(dir=keep))
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
            raise BuildError(_("the browser cannot import these (only the standard library, pygame and karuta "
                               "are there; mark a desktop-only import `# desktop only` on its line and keep it "
                               "off the browser's path):") + "\n  " + "\n  ".join(problems))
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
        check_bundle(site / BUNDLE, stage.decks)
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
        print(_("karuta build-web: unexpected failure; the work folder is kept for a look: {dir}").format(dir=work),
              file=sys.stderr)
        raise
    finally:
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)


def check_tools() -> None:
    from importlib.metadata import PackageNotFoundError, version

    missing = []
    try:
        import fontTools  # noqa: F401  (desktop build tool)
    except ImportError:
        missing.append("fonttools")
    try:
        found = version("pygbag")
        if found != PYGBAG_VERSION:
            raise BuildError(_("pygbag {found} is installed but this build is made for pygbag {wanted}: "
                               "pip install pygbag=={wanted}").format(found=found, wanted=PYGBAG_VERSION))
    except PackageNotFoundError:
        missing.append(f"pygbag=={PYGBAG_VERSION}")
    if missing:
        raise BuildError(_("missing build tools: {tools}. Install them with: pip install -e \".[tools]\"")
                         .format(tools=", ".join(missing)))


def normalise_url(value: str, option: str, page: bool = False) -> str:
    """An absolute http(s) address ending in '/'; https unless it is this machine (for testing)."""
    value = value.strip()
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BuildError(_("{option} {value!r} is not an http(s) address, e.g. https://example.org/karuta/")
                         .format(option=option, value=value))
    if parts.query or parts.fragment:
        raise BuildError(_("{option} {value!r} must not carry ?query or #fragment: links add their own")
                         .format(option=option, value=value))
    if parts.scheme == "http" and (parts.hostname or "") not in LOCAL_HOSTS:
        raise BuildError(_("{option} {value!r} must be https: iPads allow the camera, offline use and "
                           "the service worker only on https pages").format(option=option, value=value))
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    if page and path.endswith(("/index.html/", ".html/")):
        path = path.rsplit("/", 2)[0] + "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def check_out_dir(out: Path) -> None:
    """Replace only an earlier build (or an empty folder): never wipe someone's files."""
    if out.is_file():
        raise BuildError(_("--out {dir} is a file; give a folder").format(dir=out))
    if out.is_dir() and any(out.iterdir()):
        if not ((out / "build.json").is_file() or (out / "index.html").is_file()):
            raise BuildError(_("--out {dir} already holds files that are not a karuta web build; "
                               "choose an empty or new folder").format(dir=out))
    if out == ROOT or ROOT.is_relative_to(out):
        raise BuildError(_("--out {dir} would replace the project itself; choose a folder such as build/web")
                         .format(dir=out))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:]))
