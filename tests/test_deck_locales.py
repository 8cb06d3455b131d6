"""`karuta deck ...` and `karuta voice` speak the facilitator's language: Japanese under
LANG=ja_JP.UTF-8, English otherwise (tests/tool_locales.py runs each as a real process).

Each run goes through the real command line, the real catalog and real input files (the open data's
ZIP and CSV as test_deck_tools.py builds them). A Japanese run must show Japanese lines and no English
sentence; the English run says the same in English. Deck problems printed by `validate` are the
engine's messages (karuta/engine), translated there; here only this tool's own lines are checked.
"""

from __future__ import annotations

import shutil
import zipfile

import pytest

from test_deck_tools import open_data_entries, write_csv, write_zip
from tool_locales import ROOT, ToolRun, check_japanese, run_tool, run_in_both_locales

DEMO = ROOT / "decks" / "demo"


def both(args: list[str], *, data_in_japanese: bool = False, **kw) -> tuple[ToolRun, ToolRun]:
    """The tool in English and in Japanese. With ``data_in_japanese`` the output carries Japanese
    data (file names, deck names), so the English run is only checked for its English lines."""
    if not data_in_japanese:
        return run_in_both_locales(args, **kw)
    en = run_tool(args, "C.UTF-8", **kw)
    ja = run_tool(args, "ja_JP.UTF-8", **kw)
    check_japanese(ja)
    assert en.returncode == ja.returncode, (en, ja)
    return en, ja


@pytest.fixture(scope="module")
def open_data(tmp_path_factory):
    from test_deck_tools import image_bytes

    src = tmp_path_factory.mktemp("open-data")
    pictures = {"jpeg": image_bytes("JPEG", (1040, 1460)), "wide": image_bytes("JPEG", (1460, 1040), (40, 90, 200)),
                "png": image_bytes("PNG", (520, 730), (30, 160, 60)), "small": image_bytes("JPEG", (52, 73))}
    return {"zip": write_zip(src / "images.zip", open_data_entries(pictures)), "csv": write_csv(src / "locations.csv")}


@pytest.mark.parametrize("command", [
    ["deck", "--help"], ["deck", "import", "--help"], ["deck", "validate", "--help"], ["deck", "new", "--help"],
    ["deck", "from-csv", "--help"], ["deck", "map", "--help"], ["deck", "texts", "--help"],
    ["deck", "furigana", "--help"], ["voice", "--help"], ["deck", "voice", "--help"],
])
def test_every_help_text_is_in_the_facilitators_language(command):
    en, ja = both(command, data_in_japanese=True)  # examples such as 漢字(かんじ) and いろは are in both
    assert en.returncode == 0
    assert "usage:" in en.stdout and "show this help message and exit" in en.stdout
    assert "使い方:" in ja.stdout and "このヘルプを表示して終わります" in ja.stdout


def test_command_line_mistakes_are_explained_in_both_languages():
    en, ja = run_in_both_locales(["deck", "import", "--out", "decks/x"])
    assert en.returncode == 2 and "the following arguments are required: --zip" in en.stderr
    assert "次の引数が必要です: --zip" in ja.stderr
    en, ja = run_in_both_locales(["deck", "texts", str(DEMO)])
    assert en.returncode == 2 and "one of the arguments --export --import is required" in en.stderr
    en, ja = run_in_both_locales(["deck", "validate"])
    assert en.returncode == 2


def test_import_reports_the_deck_and_what_is_missing_in_japanese(open_data, tmp_path):
    runs = {}
    for lang, name in (("C.UTF-8", "en"), ("ja_JP.UTF-8", "ja")):
        out = tmp_path / name / "shimokawabuchi"
        out.parent.mkdir()
        runs[name] = run_tool(["deck", "import", "--zip", open_data["zip"], "--csv", open_data["csv"],
                               "--out", str(out)], lang)
        assert runs[name].returncode == 0, runs[name].text
        assert (out / "deck.yaml").is_file()
    en, ja = runs["en"], runs["ja"]
    check_japanese(ja)
    assert "Imported 5 cards into" in en.stdout and "LEFT OUT of the deck" in en.stdout
    assert "5 枚の札を取りこみました" in ja.stdout
    assert "デッキに入れていません" in ja.stdout  # card 4 has no reading image
    assert "読んでいます" in ja.stderr and "画像 " in ja.stderr  # progress lines
    assert "karuta deck texts" in ja.stdout  # the next command, unchanged


def test_refusals_name_the_file_in_both_languages(tmp_path, open_data):
    en, ja = run_in_both_locales(["deck", "import", "--zip", str(tmp_path / "nope.zip"), "--out",
                                  str(tmp_path / "x")])
    assert en.returncode == 1 and "nope.zip: file not found" in en.stderr and "(nothing was written)" in en.stderr
    assert "nope.zip: ファイルがありません" in ja.stderr and "（何も書いていません）" in ja.stderr
    not_zip = tmp_path / "images.zip"
    not_zip.write_bytes(b"%PDF-1.4 a PDF, not a ZIP")
    en, ja = run_in_both_locales(["deck", "import", "--zip", str(not_zip), "--out", str(tmp_path / "x")])
    assert "not a ZIP file (it is a PDF)" in en.stderr and "ZIP ファイルではありません（PDF です）" in ja.stderr
    en, ja = run_in_both_locales(["deck", "import", "--zip", open_data["zip"], "--out", str(tmp_path / "Bad Name")])
    assert "is not a deck id" in en.stderr and "デッキの ID に使えません" in ja.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "Bad Name").exists()


def test_new_and_validate_in_both_languages(tmp_path):
    runs = {}
    for lang, name in (("C.UTF-8", "en"), ("ja_JP.UTF-8", "ja")):
        folder = tmp_path / name / "mydeck"
        folder.parent.mkdir()
        new = run_tool(["deck", "new", str(folder), "--kana", "iroha"], lang)
        assert new.returncode == 0, new.text
        check = run_tool(["deck", "validate", str(folder)], lang)
        assert check.returncode == 1  # every TODO is still to fill in
        runs[name] = (new, check)
    (en_new, en_check), (ja_new, ja_check) = runs["en"], runs["ja"]
    check_japanese(ja_new)
    assert "47 cards in いろは order" in en_new.stdout and "札 47 枚" in ja_new.stdout
    # The summary on stderr is this tool's; the problem lines above it are the engine's.
    summary = ToolRun(ja_check.lang, ja_check.returncode, "", ja_check.stderr)
    check_japanese(summary)
    assert "INCOMPLETE" in en_check.stderr and "未完成" in ja_check.stderr


def test_a_good_deck_gets_its_ok_line_and_notes_in_japanese(tmp_path):
    deck = tmp_path / "demo"
    shutil.copytree(DEMO, deck)
    en, ja = both(["deck", "validate", str(deck), "--notes"], data_in_japanese=True)
    assert en.returncode == 0
    assert en.stdout.startswith(f"OK: {deck}: ") and "cards (" in en.stdout
    assert ja.stdout.startswith(f"OK: {deck}: ") and "札 " in ja.stdout and "読み札の文" in ja.stdout


def test_from_csv_in_both_languages(tmp_path):
    sheet = tmp_path / "cards.csv"
    sheet.write_text("kana,reading,title\nあ,あさの かわ,あさひばし\nい,いけの こい,こいの いけ\n", encoding="utf-8")
    for lang in ("C.UTF-8", "ja_JP.UTF-8"):
        out = tmp_path / lang.split("_")[0].split(".")[0].lower() / "sheet"
        out.parent.mkdir()
        run = run_tool(["deck", "from-csv", "--csv", str(sheet), "--out", str(out), "--name", "テスト"], lang)
        assert run.returncode == 0, run.text
        if lang.startswith("ja"):
            check_japanese(run)
            assert "2 枚の札で" in run.stdout
        else:
            assert "with 2 cards from" in run.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("kana,reading,title,lat,lon\nあ,あさ,あさひ,north,east\n", encoding="utf-8")
    en, ja = both(["deck", "from-csv", "--csv", str(bad), "--out", str(tmp_path / "bad")], data_in_japanese=True)
    assert en.returncode == 1 and "1 row with a location that is not two decimal numbers" in en.stderr
    assert "行が 1 行あります" in ja.stderr


def test_texts_round_trip_in_both_languages(tmp_path):
    deck = tmp_path / "demo"
    shutil.copytree(DEMO, deck)
    sheet = tmp_path / "texts.csv"
    en, ja = both(["deck", "texts", str(deck), "--export", str(sheet), "--force"], data_in_japanese=True)
    assert en.returncode == 0 and "Fill in 読み札" in en.stdout
    assert "書きました" in ja.stdout and "--import" in ja.stdout
    en, ja = both(["deck", "texts", str(deck), "--import", str(sheet), "--no-furigana"], data_in_japanese=True)
    assert en.returncode == 0 and "0 cards changed (nothing)" in en.stdout
    assert "札 0 枚を変更しました（なし）" in ja.stdout
    sheet.write_bytes(sheet.read_bytes().replace(b"\r\n1,", b"\r\nx,", 1))  # a card number that is not one
    en, ja = both(["deck", "texts", str(deck), "--import", str(sheet), "--no-furigana"], data_in_japanese=True)
    assert en.returncode == 1 and "is not a card number" in en.stderr and "1 problem; fix them" in en.stderr
    assert "札の番号（1〜999）ではありません" in ja.stderr and "deck.yaml は変えていません" in ja.stderr


def test_furigana_proposals_are_reported_in_japanese(tmp_path):
    deck = tmp_path / "demo"
    shutil.copytree(DEMO, deck)
    text = (deck / "deck.yaml").read_text(encoding="utf-8")
    assert "わたるとひびく　川(かわ)のおと" in text
    (deck / "deck.yaml").write_text(text.replace("わたるとひびく　川(かわ)のおと", "わたるとひびく　川のおと"),
                                    encoding="utf-8")
    en, ja = both(["deck", "furigana", str(deck), "--dry-run"], data_in_japanese=True)
    assert en.returncode == 0 and "furigana: 1 would be proposed (--dry-run: nothing written) in 1 card" in en.stdout
    assert "card 1 (あ): reading: 川 → かわ" in en.stdout
    assert "カード 1（あ）: reading: 川 → かわ" in ja.stdout
    assert "札 1 枚に 1 個を提案します（--dry-run なので何も書いていません）" in ja.stdout


def test_map_and_voice_refusals_in_both_languages(tmp_path):
    deck = tmp_path / "demo"
    shutil.copytree(DEMO, deck)
    en, ja = both(["deck", "map", str(deck), "--tiles", "ftp://tiles.example/{z}/{x}/{y}.png"])
    assert en.returncode == 1 and "give an http(s) address with {z}, {x} and {y}" in en.stderr
    assert "{z}・{x}・{y} を含む http(s) のアドレス" in ja.stderr
    en, ja = both(["deck", "map", str(deck), "--margin", "99999"])
    assert "--margin 99999: give 0 to 5000 metres" in en.stderr and "0〜5000 メートル" in ja.stderr
    en, ja = both(["voice", str(deck), "--rate", "5"])
    assert en.returncode == 1 and "choose a speed from 0.5 to 2.0" in en.stderr
    assert "速さは 0.5〜2.0 から選んでください" in ja.stderr
    en, ja = both(["voice", str(tmp_path / "nowhere")])
    assert "no such deck folder" in en.stderr and "そのデッキのフォルダーはありません" in ja.stderr


def test_the_catalog_covers_a_damaged_zip_entry(tmp_path):
    """A refusal raised deep in the ZIP reader (openzip.py) reaches the facilitator translated."""
    path = tmp_path / "images.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("../01a.jpg", b"x")
    en, ja = both(["deck", "import", "--zip", str(path), "--out", str(tmp_path / "deck")])
    assert "climbs out of the folder with ../" in en.stderr
    assert "このファイル名が ../ でフォルダーの外に出ます" in ja.stderr


def test_a_voice_pack_run_reports_in_japanese(tmp_path):
    """A real run of the synthesiser (the 'voice' extra): one reading made again, the others unchanged."""
    pytest.importorskip("pyopenjtalk")
    deck = tmp_path / "demo"
    shutil.copytree(DEMO, deck)
    (deck / "audio" / "1.ogg").unlink()
    ja = run_tool(["voice", str(deck)], "ja_JP.UTF-8")
    assert ja.returncode == 0, ja.text
    check_japanese(ja)
    assert "作成 1、変更なし 43" in ja.stdout and (deck / "audio" / "1.ogg").is_file()
    en = run_tool(["voice", str(deck)], "C.UTF-8")
    assert "0 made, 44 unchanged" in en.stdout
