"""``karuta qr --deck decks/<id> --base-url URL --out DIR``: print the signposts of 出会ってカルタ.

Writes, for every card of the deck:
  DIR/card-<nn>.png   a label: the QR code of the card's link, the kana big, the title
                      (with furigana), the signpost code for the keypad, a one-line hint
and for the whole deck:
  DIR/signposts.pdf   an A4 print sheet of all labels (6 a page) with dashed cut lines;
                      QR codes about 45 mm wide (54 mm with their quiet zone) so they
                      scan from arm's length, with error correction H (30 % of a code
                      may be dirty or weathered and it still reads)
  DIR/signposts.csv   number, kana, title, signpost code and link of each card, for the record

Desktop only: qrcode, Pillow and fpdf2 (the ``tools`` extra) are imported here, never by the game.
The check in each link protects against guessing other cards' links, not against a
determined adult (see karuta/engine/links.py).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

from ..engine import links, ruby
from ..engine.deck import Card, Deck, check_deck
from .i18n import _, ngettext

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_REGULAR = FONT_DIR / "BIZUDPGothic-Regular.ttf"
FONT_BOLD = FONT_DIR / "BIZUDPGothic-Bold.ttf"
HINT = "ゲームの「QRコードをよむ」で よみとってね"
CODE_HINT = "カメラが つかえないときは「コードを いれる」"

# A4 sheet: 2 x 3 labels of 95 x 90 mm
PAGE_W, PAGE_H = 210.0, 297.0
LABEL_W, LABEL_H = 95.0, 90.0
COLS, ROWS = 2, 3
QR_MM = 54.0  # the whole code with its quiet zone: the printed code itself is about 45 mm (>= 4 cm)
PNG_W, PNG_H = 1000, 1300
LEVELS = ("L", "M", "Q", "H")
SHOWN_PROBLEMS = 20


class ToolError(Exception):
    """A problem the user can fix; the message names the file or option."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="karuta qr",
        description=_("Make the signpost labels of a deck: one PNG per card and an A4 PDF print sheet "
                      "with cut lines. Each QR code holds BASE?c=<code> (see karuta/engine/links.py)."),
        epilog=_("The site's address as a poster for the iPads' cameras: karuta qr --site URL --out DIR"))
    p.add_argument("--deck", required=True, help=_("the deck folder, e.g. decks/shimokawabuchi"))
    p.add_argument("--base-url", required=True, metavar="URL",
                   help=_("where the web build is hosted, e.g. https://example.org/karuta/"))
    p.add_argument("--out", required=True, metavar="DIR", help=_("folder for the PNGs and signposts.pdf"))
    p.add_argument("--ec", choices=("Q", "H"), default="H",
                   help=_("error correction: H (default, survives more dirt) or Q (smaller codes)"))
    p.add_argument("--quiet", action="store_true", help=_("print only the summary"))
    return p


def run(argv: list[str]) -> int:
    if any(a == "--site" or a.startswith("--site=") for a in argv):  # the home-screen poster
        from .poster import run as poster

        return poster(argv)
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ToolError as exc:
        print(f"karuta qr: {exc}", file=sys.stderr)
        return 2


def _imports():
    try:
        import qrcode  # noqa: F401
        from fpdf import FPDF  # noqa: F401
        from PIL import Image  # noqa: F401
    except ImportError as exc:
        raise ToolError(_("needs {name}: install the tools extra (pip install -e '.[tools]')")
                        .format(name=exc.name)) from None


def _run(args) -> int:
    _imports()
    deck_dir = Path(args.deck)
    if not deck_dir.is_dir():
        raise ToolError(_("{dir}: no such deck folder").format(dir=deck_dir))
    deck, problems = check_deck(deck_dir)
    if deck is None:
        lines = "\n".join(f"  {p}" for p in problems[:SHOWN_PROBLEMS])
        more = ("\n  " + _("... and {count} more").format(count=len(problems) - SHOWN_PROBLEMS)
                if len(problems) > SHOWN_PROBLEMS else "")
        raise ToolError(_("{dir} is not a usable deck ({count} problem(s)):").format(dir=deck_dir, count=len(problems))
                        + f"\n{lines}{more}")
    try:
        base = links.check_base_url(args.base_url)
    except ValueError as exc:
        raise ToolError(f"--base-url {exc}") from None
    if not base:
        raise ToolError(_("--base-url is empty: a phone's camera needs the full address of the web build"))
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ToolError(_("--out {out} is a file, not a folder").format(out=out))
    for font in (FONT_REGULAR, FONT_BOLD):
        if not font.is_file():
            raise ToolError(_("{path}: font missing (the labels need it for Japanese)").format(path=font))
    out.mkdir(parents=True, exist_ok=True)
    if not deck.link_secret or deck.link_secret == deck.id:
        print(_("karuta qr: note: {dir} has no link_secret; links are checked with the deck id only, "
                "so anyone who reads the game's code can make them (add link_secret to deck.yaml)").format(dir=deck_dir),
              file=sys.stderr)

    labels = []
    total = len(deck.cards)
    for i, card in enumerate(deck.cards, start=1):
        label = Label(deck, card, base, args.ec)
        path = out / f"card-{card.number:02d}.png"
        label.png(path)
        labels.append(label)
        if not args.quiet:
            print(f"[{i:2d}/{total}] {card.label} {label.code}  -> {path}")
    pdf_path = out / "signposts.pdf"
    pages = write_pdf(deck, labels, pdf_path)
    csv_path = out / "signposts.csv"
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["number", "kana", "title", "code", "link"])
        for lab in labels:
            w.writerow([lab.card.number, lab.card.kana, lab.card.title_plain, lab.code, lab.link])
    print(ngettext("karuta qr: {labels} labels in {out}/ (card-NN.png), print sheet {pdf} ({pages} A4 page, "
                   "QR codes {size} mm with their margin, error correction {ec}), list {csv}",
                   "karuta qr: {labels} labels in {out}/ (card-NN.png), print sheet {pdf} ({pages} A4 pages, "
                   "QR codes {size} mm with their margin, error correction {ec}), list {csv}", pages)
          .format(labels=total, out=out, pdf=pdf_path, pages=pages, size=f"{QR_MM:.0f}", ec=args.ec, csv=csv_path))
    return 0


class Label:
    """One signpost: the card's link, its QR matrix and the words printed around it."""

    def __init__(self, deck: Deck, card: Card, base: str, level: str):
        import qrcode

        self.deck = deck
        self.card = card
        self.link = links.card_link(base, deck, card.number)
        self.code = links.signpost_code(deck, card.number)
        ec = {"Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}[level]
        qr = qrcode.QRCode(error_correction=ec, border=4)
        qr.add_data(self.link)
        qr.make(fit=True)
        self.matrix = qr.get_matrix()  # includes the 4-module quiet zone

    # ------------------------------------------------------------------ PNG

    def png(self, path: Path) -> None:
        from PIL import Image, ImageDraw, ImageFont

        img = Image.new("RGB", (PNG_W, PNG_H), "white")
        d = ImageDraw.Draw(img)
        bold = lambda size: ImageFont.truetype(str(FONT_BOLD), size)  # noqa: E731
        regular = lambda size: ImageFont.truetype(str(FONT_REGULAR), size)  # noqa: E731
        ink = (33, 33, 33)
        # the kana in a circle, as on the picture card, and the title beside it
        d.ellipse((40, 40, 240, 240), fill="white", outline=(213, 94, 0), width=12)
        _centred(d, (140, 140), self.card.kana, bold(130), ink)
        title = self.card.title or self.card.kana
        _ruby_line(d, (280, 140), title, bold, 64, PNG_W - 320, ink)
        # the QR code at whole pixels per module (a smoothed code scans badly)
        n = len(self.matrix)
        scale = 700 // n
        size = n * scale
        x0, y0 = (PNG_W - size) // 2, 270
        for r, row in enumerate(self.matrix):
            for c, dark in enumerate(row):
                if dark:
                    d.rectangle((x0 + c * scale, y0 + r * scale, x0 + (c + 1) * scale - 1, y0 + (r + 1) * scale - 1),
                                fill="black")
        y = y0 + size + 20
        _centred(d, (PNG_W // 2, y + 40), f"コード  {self.code}", bold(72), ink)
        _centred(d, (PNG_W // 2, y + 135), HINT, regular(44), ink)
        _centred(d, (PNG_W // 2, y + 195), CODE_HINT, regular(34), (90, 90, 90))
        _centred(d, (PNG_W // 2, PNG_H - 40), f"{self.deck.name_plain}  No.{self.card.number}", regular(30),
                 (90, 90, 90))
        img.save(path)


def _centred(d, centre, text: str, font, fill) -> None:
    d.text(centre, text, font=font, fill=fill, anchor="mm")


def _ruby_line(d, left_mid, markup: str, font_of, size: int, max_w: int, fill) -> None:
    """One line of furigana markup, shrunk until it fits max_w, readings centred over their kanji."""
    try:
        segments = ruby.parse(markup)
    except ruby.RubyError:
        segments = [ruby.Segment(markup)]
    while True:
        base_font, ruby_font = font_of(size), font_of(max(12, size // 2))
        widths = [max(base_font.getlength(s.base), ruby_font.getlength(s.ruby) * 0.9 if s.ruby else 0)
                  for s in segments]
        if sum(widths) <= max_w or size <= 24:
            break
        size -= 4
    x, y = left_mid
    for seg, w in zip(segments, widths):
        d.text((x + w / 2, y + size * 0.2), seg.base, font=base_font, fill=fill, anchor="mm")
        if seg.ruby:
            d.text((x + w / 2, y - size * 0.55), seg.ruby, font=ruby_font, fill=fill, anchor="mm")
        x += w


# ---------------------------------------------------------------- PDF


def write_pdf(deck: Deck, labels: list[Label], path: Path) -> int:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("gothic", "", str(FONT_REGULAR))
    pdf.add_font("gothic", "B", str(FONT_BOLD))
    pdf.set_title(f"{deck.name_plain} signposts")
    pdf.set_creator("karuta qr")
    per_page = COLS * ROWS
    mx = (PAGE_W - COLS * LABEL_W) / 2
    my = (PAGE_H - ROWS * LABEL_H) / 2
    for i, label in enumerate(labels):
        if i % per_page == 0:
            pdf.add_page()
            _cut_lines(pdf, mx, my)
        slot = i % per_page
        x = mx + (slot % COLS) * LABEL_W
        y = my + (slot // COLS) * LABEL_H
        _pdf_label(pdf, label, x, y)
    pdf.output(str(path))
    return math.ceil(len(labels) / per_page)


def _cut_lines(pdf, mx: float, my: float) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    for c in range(COLS + 1):
        x = mx + c * LABEL_W
        pdf.line(x, my - 6, x, my + ROWS * LABEL_H + 6)
    for r in range(ROWS + 1):
        y = my + r * LABEL_H
        pdf.line(mx - 6, y, mx + COLS * LABEL_W + 6, y)
    pdf.set_dash_pattern()


def _pdf_label(pdf, label: Label, x: float, y: float) -> None:
    card = label.card
    # kana in a circle
    pdf.set_draw_color(213, 94, 0)
    pdf.set_line_width(1.0)
    pdf.circle(x=x + 13, y=y + 12, radius=8.5)
    pdf.set_text_color(33, 33, 33)
    pdf.set_font("gothic", "B", 30)
    _pdf_centred(pdf, x + 13, y + 12, card.kana)
    # title with furigana
    _pdf_ruby(pdf, card.title or card.kana, x + 26, y + 14, LABEL_W - 30)
    draw_matrix(pdf, label.matrix, x + 3, y + 24, QR_MM)
    # right column: the signpost code and the hints
    rx, rw = x + QR_MM + 6, LABEL_W - QR_MM - 9
    pdf.set_font("gothic", "", 8)
    pdf.set_xy(rx, y + 30)
    pdf.cell(rw, 4, "コード")
    pdf.set_font("gothic", "B", 17)
    pdf.set_xy(rx, y + 35)
    pdf.cell(rw, 9, label.code)
    pdf.set_font("gothic", "", 8.5)
    pdf.set_xy(rx, y + 48)
    # Japanese has no spaces to wrap at: break the lines where a child would pause.
    pdf.multi_cell(rw, 4.2, "ゲームの\n「QRコードをよむ」で\nよみとってね")
    pdf.set_xy(rx, pdf.get_y() + 2)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(rw, 4.2, "カメラが つかえない\nときは\n「コードを いれる」")
    pdf.set_font("gothic", "", 7)
    pdf.set_xy(x + 3, y + LABEL_H - 10)
    pdf.cell(LABEL_W - 6, 4, f"{label.deck.name_plain}  No.{card.number}", align="R")
    pdf.set_text_color(33, 33, 33)


def _pdf_centred(pdf, cx: float, cy: float, text: str) -> None:
    w = pdf.get_string_width(text)
    pdf.set_xy(cx - w / 2, cy - pdf.font_size / 2)
    pdf.cell(w, pdf.font_size, text)


def _pdf_ruby(pdf, markup: str, x: float, baseline_mid: float, max_w: float) -> None:
    try:
        segments = ruby.parse(markup)
    except ruby.RubyError:
        segments = [ruby.Segment(markup)]
    size = 16.0
    while True:
        pdf.set_font("gothic", "B", size)
        base_w = [pdf.get_string_width(s.base) for s in segments]
        pdf.set_font("gothic", "", size / 2)
        ruby_w = [pdf.get_string_width(s.ruby) * 0.9 if s.ruby else 0 for s in segments]
        widths = [max(a, b) for a, b in zip(base_w, ruby_w)]
        if sum(widths) <= max_w or size <= 8:
            break
        size -= 1
    for seg, w in zip(segments, widths):
        pdf.set_font("gothic", "B", size)
        _pdf_centred(pdf, x + w / 2, baseline_mid, seg.base)
        if seg.ruby:
            pdf.set_font("gothic", "", size / 2)
            _pdf_centred(pdf, x + w / 2, baseline_mid - pdf.font_size * 1.9, seg.ruby)
        x += w


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:]))


def draw_matrix(pdf, matrix, x: float, y: float, size: float) -> None:
    """A QR matrix into an fpdf2 page: the dark runs of each row as filled rectangles (vector, sharp
    at any printer resolution), ``size`` mm square with its top-left corner at (x, y)."""
    n = len(matrix)
    m = size / n
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                pdf.rect(x + start * m, y + r * m, (c - start) * m, m + 0.01, style="F")
            else:
                c += 1
