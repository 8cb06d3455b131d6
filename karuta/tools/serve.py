"""``karuta serve [--dir build/web] [--port N]``: try the built site on this computer.

A plain static server (the standard library's http.server) on localhost only. Browsers treat
http://localhost as a secure context, so the service worker (offline play) and the camera
(QR scanning) work there as they will on the real https site. An iPad on the school's Wi-Fi
cannot use this address: Safari gives the camera and offline mode only to https sites, so
iPads need the published address (karuta publish, GitHub Pages).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
from pathlib import Path

from .i18n import _

DEFAULT_DIR = "build/web"
# Not 8000-8999: pygbag's loader, served from http://localhost:8..., looks for its packages at
# http://localhost:8000/cdn/ instead of the site (see docs/web.md).
DEFAULT_PORT = 4173
LOADER_REWRITE_PORTS = range(8000, 9000)

# Types the page, the loader and the service worker depend on; the standard table lacks some of
# them or differs between systems (mimetypes reads /etc/mime.types).
TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".apk": "application/octet-stream",
    ".data": "application/octet-stream",
    ".whl": "application/octet-stream",
    ".webmanifest": "application/manifest+json",
    ".html": "text/html",
    ".css": "text/css",
    ".png": "image/png",
    ".ogg": "audio/ogg",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".py": "text/plain",
}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder with the types above, and always revalidates (a rebuilt site shows at once).

    No Service-Worker-Allowed header: the build puts sw.js at the site's root, whose scope is
    the whole site already.
    """

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # one line per request would bury the addresses printed at start


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="karuta serve",
        description=_("Serve a built site (karuta build-web) on this computer, at http://localhost:PORT/. "
                      "iPads cannot use this address: they need the https address of the published site."))
    p.add_argument("--dir", default=DEFAULT_DIR, metavar="DIR",
                   help=_("the built site (default: {default})").format(default=DEFAULT_DIR))
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                   help=_("port on localhost (default: {default}; 0 picks a free one)").format(default=DEFAULT_PORT))
    return p


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    site = Path(args.dir)
    if not site.is_dir():
        print(_("karuta serve: {dir}: no such folder (build the site first: karuta build-web --out {dir})")
              .format(dir=site), file=sys.stderr)
        return 2
    if not (site / "index.html").is_file():
        print(_("karuta serve: {dir}: no index.html, so this is not a built site (build it: karuta build-web --out {dir})")
              .format(dir=site), file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print(_("karuta serve: --port {port}: a port is a number from 1 to 65535").format(port=args.port),
              file=sys.stderr)
        return 2
    if args.port in LOADER_REWRITE_PORTS:
        print(_("karuta serve: --port {port}: ports 8000-8999 make the web runtime look for its files "
                "elsewhere; choose another port (default {default})").format(port=args.port, default=DEFAULT_PORT),
              file=sys.stderr)
        return 2
    handler = functools.partial(SiteHandler, directory=str(site.resolve()))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        print(_("karuta serve: port {port} cannot be used ({reason}); choose another with --port")
              .format(port=args.port, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    port = server.server_address[1]
    print(_("karuta serve: serving {dir} at http://localhost:{port}/").format(dir=site, port=port), flush=True)
    print(_("Open that address in Chrome, Edge or Safari on this computer (offline mode and the camera work there)."))
    print(_("iPads cannot use this address: they need the https address of the published site (karuta publish)."))
    print(_("Stop with Ctrl+C."), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(_("karuta serve: stopped"))
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:]))
