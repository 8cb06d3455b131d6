"""``karuta qr --site URL --out DIR``: an A4 poster with the site's address as a big QR code.

A class gets the game onto 30 iPads by pointing each camera at one poster: the code opens the
site in Safari, and three lines under it say how to add it to the home screen (Safari's own
button names, 共有 and ホーム画面に追加, so they match what the child sees). The poster is in
Japanese whatever the computer's language; the tool's own messages follow the locale.

Desktop only: qrcode and fpdf2 (the ``tools`` extra) are imported here, never by the game.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

from .i18n import _
from .qr import FONT_BOLD, FONT_REGULAR, draw_matrix

PAGE_W, PAGE_H = 210.0, 297.0
QR_MM = 150.0          # the code with its quiet zone: about 13 cm of code, readable from 1-2 m
QR_TOP = 42.0
POSTER_NAME = "poster.pdf"
TITLE = "かるたを iPad に いれよう"
STEPS = (
    "1. カメラで この QRコードを うつして、でてきた リンクを タップ",
    "2. Safari の「共有（きょうゆう）」ボタン（□に↑）→「ホーム画面に追加」を タップ",
    "3. ホーム画面の「かるた」から いつでも あそべます",
)
FOOTNOTE = "Wi-Fi で いちど ひらくと、つぎからは Wi-Fi が なくても ひらけます。"


class PosterError(Exception):
    """A problem the user can fix; the message names the option or file."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="karuta qr",
        description=_("Make an A4 poster (PDF) with the site's address as a big QR code and three lines "
                      "on adding it to the iPad's home screen."))
    p.add_argument("--site", required=True, metavar="URL",
                   help=_("the published site's https address, e.g. https://example.org/karuta/"))
    p.add_argument("--out", required=True, metavar="DIR",
                   help=_("folder for {name}").format(name=POSTER_NAME))
    return p


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        path = make_poster(args.site, Path(args.out))
    except PosterError as exc:
        print(f"karuta qr: {exc}", file=sys.stderr)
        return 2
    print(_("karuta qr: poster {path} (A4, QR code {size} mm, address {url})")
          .format(path=path, size=int(QR_MM), url=check_site(args.site)))
    return 0


def check_site(url: str, option: str = "--site") -> str:
    """The address as it goes into the code; only an https address works for iPads."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise PosterError(_("{option} {url}: give the site's full https address (e.g. https://example.org/karuta/); "
                            "iPads keep the game offline and use the camera only on https sites")
                          .format(option=option, url=url))
    return url


def make_poster(site: str, out: Path) -> Path:
    url = check_site(site)
    try:
        import qrcode
        from fpdf import FPDF
    except ImportError as exc:
        raise PosterError(_("needs {name}: install the tools extra (pip install -e '.[tools]')")
                          .format(name=exc.name)) from None
    if out.exists() and not out.is_dir():
        raise PosterError(_("--out {out} is a file, not a folder").format(out=out))
    for font in (FONT_REGULAR, FONT_BOLD):
        if not font.is_file():
            raise PosterError(_("{font}: font missing (the poster needs it for Japanese)").format(font=font))
    out.mkdir(parents=True, exist_ok=True)

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=4)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("gothic", "", str(FONT_REGULAR))
    pdf.add_font("gothic", "B", str(FONT_BOLD))
    pdf.set_title("かるた poster")
    pdf.set_creator("karuta qr --site")
    pdf.add_page()
    pdf.set_text_color(33, 33, 33)
    pdf.set_font("gothic", "B", 30)
    pdf.set_xy(0, 16)
    pdf.cell(PAGE_W, 14, TITLE, align="C")
    draw_matrix(pdf, matrix, (PAGE_W - QR_MM) / 2, QR_TOP, QR_MM)
    y = QR_TOP + QR_MM + 2
    pdf.set_font("gothic", "", 13)
    pdf.set_xy(0, y)
    pdf.cell(PAGE_W, 7, url, align="C")
    y += 14
    # one size for the three steps: the largest at which the longest fits the page
    size = 20.0
    pdf.set_font("gothic", "B", size)
    while max(pdf.get_string_width(step) for step in STEPS) > PAGE_W - 24 and size > 10:
        size -= 0.5
        pdf.set_font("gothic", "B", size)
    for step in STEPS:
        pdf.set_xy(12, y)
        pdf.cell(PAGE_W - 24, 10, step)
        y += 15
    pdf.set_font("gothic", "", 12)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(12, y + 2)
    pdf.cell(PAGE_W - 24, 8, FOOTNOTE)
    path = out / POSTER_NAME
    pdf.output(str(path))
    return path
