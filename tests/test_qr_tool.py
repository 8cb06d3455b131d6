"""`karuta qr`: every printed signpost decodes (with a real QR decoder) to the link of its own card."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from karuta.engine import links
from karuta.engine.deck import load_deck
from karuta.tools import qr as qr_tool
from tool_locales import check_japanese, run_in_both_locales, run_tool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "decks", "demo")
BASE = "https://school.example/karuta/"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("signposts")
    code = qr_tool.run(["--deck", DEMO, "--base-url", BASE, "--out", str(out), "--quiet"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def deck():
    return load_deck(DEMO)


def test_every_png_decodes_to_its_own_card(made, deck):
    pngs = sorted(p for p in os.listdir(made) if p.endswith(".png"))
    assert len(pngs) == len(deck.cards)
    for name in pngs:
        number = int(re.fullmatch(r"card-(\d+)\.png", name).group(1))
        found = zxingcpp.read_barcodes(Image.open(made / name))
        assert len(found) == 1, name
        result = found[0]
        assert result.text.startswith(BASE + "?c=")  # the loader-proof form (engine/links.py)
        assert links.parse_link(result.text, [deck]) == links.CardLink("demo", number)
        # weather-proof error correction, as asked for signposts outdoors
        assert result.ec_level == "H"


def test_csv_lists_codes_and_links_that_open_each_card(made, deck):
    with open(made / "signposts.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["number"]) for r in rows] == [c.number for c in deck.cards]
    for r in rows:
        n = int(r["number"])
        assert links.parse_code(r["code"], [deck]) == links.CardLink("demo", n)
        assert links.parse_link(r["link"], [deck]) == links.CardLink("demo", n)


def test_pdf_is_an_a4_sheet_with_six_labels_a_page_and_embedded_japanese_font(made, deck):
    data = (made / "signposts.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages == -(-len(deck.cards) // 6)
    assert re.search(rb"/MediaBox\s*\[\s*0[.0]*\s+0[.0]*\s+595\.2\d*\s+841\.8\d*\s*\]", data)
    assert b"/FontFile2" in data and b"BIZUDPGothic" in data


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_labels_scan_when_printed(made, deck, tmp_path):
    """Render the first page as a 150 dpi print would look and decode all six labels on it."""
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(made / "signposts.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    page = Image.open(next(tmp_path.glob("page*.png")))
    found = {r.text for r in zxingcpp.read_barcodes(page)}
    assert found == {links.card_link(BASE, deck, c.number) for c in deck.cards[:6]}
    # 4 cm or more on paper: the code's own width in pixels at 150 dpi
    widths = [r.position.top_right.x - r.position.top_left.x for r in zxingcpp.read_barcodes(page)]
    assert min(widths) / 150 * 2.54 >= 4.0


@pytest.mark.parametrize("argv, words", [
    (["--deck", "decks/nowhere", "--base-url", BASE], ["decks/nowhere", "no such deck folder"]),
    (["--deck", DEMO, "--base-url", "school.example/karuta"], ["--base-url", "http(s)"]),
    (["--deck", DEMO, "--base-url", BASE + "?x=1"], ["--base-url", "'?'"]),
    (["--deck", DEMO, "--base-url", ""], ["--base-url is empty"]),
])
def test_bad_input_is_a_clear_message_not_a_traceback(tmp_path, capsys, argv, words):
    code = qr_tool.run(argv + ["--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    for w in words:
        assert w in err
    assert not (tmp_path / "out").exists()  # nothing half-made


def test_a_broken_deck_lists_its_problems(tmp_path, capsys):
    bad = tmp_path / "broken"
    bad.mkdir()
    (bad / "deck.yaml").write_text("format: 1\nid: broken\nname: x\ncards: []\n", encoding="utf-8")
    assert qr_tool.run(["--deck", str(bad), "--base-url", BASE, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "not a usable deck" in err and "deck.yaml" in err and "empty" in err


def test_help_and_refusals_in_japanese_and_english(tmp_path):
    en, ja = run_in_both_locales(["qr", "--help"])
    assert "--base-url" in ja.stdout and "立て札" in ja.stdout
    en, ja = run_in_both_locales(["qr", "--deck", str(tmp_path / "nowhere"), "--base-url", BASE,
                                  "--out", str(tmp_path / "out")])
    assert en.returncode == 2 and "no such deck folder" in en.stderr and "デッキのフォルダー" in ja.stderr
    en, ja = run_in_both_locales(["qr", "--deck", DEMO, "--base-url", "", "--out", str(tmp_path / "out")])
    assert en.returncode == 2 and "--base-url" in ja.stderr
    assert "Traceback" not in en.text + ja.text and not (tmp_path / "out").exists()


def test_the_summary_in_japanese(tmp_path, made):
    ja = run_tool(["qr", "--deck", DEMO, "--base-url", BASE, "--out", str(tmp_path), "--quiet"], "ja_JP.UTF-8")
    assert ja.returncode == 0, ja.text
    check_japanese(ja)
    assert "ラベル 44 枚" in ja.stdout and "A4 8 ページ" in ja.stdout
    # the same signposts whatever the language of the messages
    assert (tmp_path / "signposts.csv").read_bytes() == (made / "signposts.csv").read_bytes()
