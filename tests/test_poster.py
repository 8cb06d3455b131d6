"""`karuta qr --site URL --out DIR`: the A4 home-screen poster, rendered by poppler and scanned by zxing."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from tool_locales import run_in_both_locales

SITE = "https://school.example.org/karuta/"
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="pdftoppm/pdftotext (poppler-utils) are not installed")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("poster")
    en, ja = run_in_both_locales(["qr", "--site", SITE, "--out", str(out)])
    assert en.returncode == 0, en.stderr
    assert f"{out}/poster.pdf" in en.stdout and SITE in en.stdout
    assert "ポスター" in ja.stdout and SITE in ja.stdout
    return out / "poster.pdf"


def test_poster_is_one_a4_page_with_the_japanese_font_embedded(made):
    data = made.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    assert re.search(rb"/MediaBox\s*\[\s*0[.0]*\s+0[.0]*\s+595\.2\d*\s+841\.8\d*\s*\]", data)
    assert b"/FontFile2" in data and b"BIZUDPGothic" in data


@needs_poppler
def test_the_printed_code_is_big_and_opens_the_site(made, tmp_path):
    """At 100 dpi (a rough print) the code decodes to the site and is over 12 cm wide."""
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(made), str(tmp_path / "page")],
                   check=True, timeout=60)
    page = Image.open(tmp_path / "page.png")
    found = zxingcpp.read_barcodes(page)
    assert [r.text for r in found] == [SITE]
    width_cm = (found[0].position.top_right.x - found[0].position.top_left.x) / 100 * 2.54
    assert width_cm >= 12.0
    # and from a phone photo of the poster on a wall: a quarter of the resolution still reads
    small = page.resize((page.width // 4, page.height // 4))
    assert [r.text for r in zxingcpp.read_barcodes(small)] == [SITE]


@needs_poppler
def test_the_three_home_screen_steps_are_on_the_page_in_safaris_words(made):
    text = subprocess.run(["pdftotext", "-layout", str(made), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    for step in ("1.", "2.", "3."):
        assert step in text
    assert "共有" in text and "ホーム画面に追加" in text
    assert SITE in text  # the address is also printed, for typing it in


@pytest.mark.parametrize("site", ["http://school.example.org/karuta/", "school.example.org/karuta/", "https://"])
def test_an_address_ipads_cannot_use_is_refused_in_both_languages(tmp_path, site):
    en, ja = run_in_both_locales(["qr", "--site", site, "--out", str(tmp_path / "out")])
    assert en.returncode == 2
    assert "https" in en.stderr and site in en.stderr
    assert "Traceback" not in en.stderr + ja.stderr
    assert not (tmp_path / "out").exists()

