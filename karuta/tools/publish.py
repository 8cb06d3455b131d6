"""``karuta publish [--base-url URL] [--out build/web]``: the site exactly as it is published.

One command with fixed choices, so the GitHub Pages workflow (.github/workflows/pages.yml) and a
facilitator's own computer build the same thing: every valid deck under decks/, the web build's
defaults (self-hosted runtime, size budget), and, when the address is known, the home-screen
poster as poster.pdf inside the site (print it from the site itself). The web build is called
through its public ``run(argv)``, the same way ``karuta build-web`` is.

Options after ``--`` go to ``karuta build-web`` unchanged (for tests and mirrors of the runtime).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .i18n import _

DEFAULT_OUT = "build/web"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="karuta publish",
        description=_("Build the site for publishing: every valid deck under decks/, the web build's defaults, "
                      "and a home-screen poster (poster.pdf) when the address is given. "
                      "The GitHub Pages workflow runs this command."))
    p.add_argument("--base-url", metavar="URL",
                   help=_("the https address the site is published at (GitHub Pages: https://OWNER.github.io/REPO/)"))
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=_("where the site is written (default: {default})").format(default=DEFAULT_OUT))
    p.add_argument("build_web_options", nargs=argparse.REMAINDER, metavar="-- BUILD-WEB-OPTIONS",
                   help=_("after --: options passed on to karuta build-web"))
    return p


def build_web_argv(args: argparse.Namespace) -> list[str]:
    """The web build's options for a published site (the one place they are chosen)."""
    argv = ["--out", args.out]
    if args.base_url:
        argv += ["--base-url", args.base_url]
    extra = list(args.build_web_options)
    if extra and extra[0] == "--":
        extra = extra[1:]
    return argv + extra


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from . import build_web
    from .poster import PosterError, check_site, make_poster

    if args.base_url:
        try:
            check_site(args.base_url, "--base-url")  # before the build, not after it
        except PosterError as exc:
            print(f"karuta publish: {exc}", file=sys.stderr)
            return 2

    print(_("karuta publish: building the site in {out}").format(out=args.out), flush=True)
    code = build_web.run(build_web_argv(args))
    if code != 0:
        print(_("karuta publish: the web build stopped (see above); nothing was published"), file=sys.stderr)
        return code
    if args.base_url:
        try:
            poster = make_poster(args.base_url, Path(args.out))
        except PosterError as exc:
            print(f"karuta publish: {exc}", file=sys.stderr)
            return 2
        print(_("karuta publish: poster for the iPads' cameras: {path}").format(path=poster))
    else:
        print(_("karuta publish: no --base-url, so no poster (make it later: karuta qr --site URL --out DIR)"))
    print(_("karuta publish: the site is ready in {out}; try it with: karuta serve --dir {out}").format(out=args.out))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:]))
