"""`karuta deck import` fed random ZIP entry names and sizes and random CSV rows, through its command-line
contract (--zip --csv --out): it imports a deck that validates, or refuses with a message naming the file;
it never raises, never reports an internal error, and never writes outside --out."""

from __future__ import annotations

import io
import itertools
import os
import zipfile

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

deck_tool = pytest.importorskip("karuta.tools.deck", reason="the deck importer is not there yet")
from karuta.engine.deck import check_deck  # noqa: E402
from karuta.engine.kana import KANA_ORDERS  # noqa: E402

FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_counter = itertools.count()


def _image(kind: str) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (52, 73), (200, 60, 40)).save(buf, kind)
    return buf.getvalue()


JPEG, PNG = _image("JPEG"), _image("PNG")
CONTENTS = {"jpeg": JPEG, "png": PNG, "empty": b"", "garbage": b"\x00not an image" * 3, "cut": JPEG[: len(JPEG) // 2],
            "text": "説明".encode("cp932")}

_names = st.one_of(
    st.builds(lambda n, pad, sep, face, ext, folder: f"{folder}{n:0{pad}d}{sep}{face}.{ext}",
              st.integers(0, 60), st.sampled_from([1, 2, 3]), st.sampled_from(["", "_", "-", " "]),
              st.sampled_from(["a", "b", "c", "A", "d", ""]),
              st.sampled_from(["jpg", "JPG", "jpeg", "png", "gif", "txt"]),
              st.sampled_from(["", "下川淵カルタ表/", "a/b/", "../", "/", "C:/", "__MACOSX/", "./"])),
    st.sampled_from(["", "/", "..", "../01a.jpg", "01a.jpg/", "01a.jpg\x00.png", "\\01a.jpg", "..\\..\\01a.jpg",
                     "読んでね.txt", ".DS_Store", "Thumbs.db", "01a.jpg " * 3]),
    st.text(max_size=30),
)
# A plain archive of 1-4 cards (picture and reading each), then 0-3 entries of anything: so that
# imports that succeed and refusals of every kind are both common.
_plain = st.integers(1, 4).map(lambda n: [(f"{i:02d}{face}.jpg", "jpeg") for i in range(1, n + 1) for face in "ab"])
_entries = st.builds(lambda plain, extra: plain + extra, _plain,
                     st.lists(st.tuples(_names, st.sampled_from(sorted(CONTENTS))), max_size=3))

_kana = st.sampled_from(list(KANA_ORDERS["aiueo"][:10]) + ["", "ア", "あい", "x", " い ", "ゐ"])
_cell = st.one_of(st.sampled_from(["", " ", "36.33", "139.09", "-91", "181", "nan", "1e999", "abc", "３６．３"]),
                  st.floats(allow_nan=True, allow_infinity=True).map(str), st.text(max_size=12))
_row = st.tuples(st.one_of(st.integers(-3, 60).map(str), st.text(max_size=4)), _kana,
                 st.one_of(st.just("36.33"), _cell), st.one_of(st.just("139.09"), _cell),
                 st.sampled_from(["", "https://example.org/1", "ftp://x", "javascript:x"]))
_header = st.sampled_from(["no,いろは,lat,lon,url", "No,いろは,緯度,経度,URL", "no,kana,lat,lon", "", "a,b,c",
                           "no,いろは,lat,lon,url,"])


def _csv_bytes(header: str, rows, encoding: str, newline: str) -> bytes:
    text = newline.join([header] + [",".join(r) for r in rows]) + newline
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _tree(root: str) -> dict:
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = os.path.getsize(path)
    return out


@pytest.mark.filterwarnings("ignore:Duplicate name")  # two entries with one name: a ZIP can hold that
@FUZZ
@given(entries=_entries, header=_header, rows=st.lists(_row, max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]), newline=st.sampled_from(["\r\n", "\n"]),
       with_csv=st.booleans())
@example(entries=[("01a.jpg", "jpeg"), ("01b.jpg", "jpeg")], header="no,いろは,lat,lon,url",  # imports
         rows=[("1", "あ", "36.3", "139.1", "")], encoding="cp932", newline="\r\n", with_csv=True)
@example(entries=[("../01a.jpg", "jpeg"), ("01b.jpg", "jpeg")], header="", rows=[], encoding="utf-8",
         newline="\n", with_csv=False)
@example(entries=[("01a.jpg", "jpeg"), ("1a.png", "png")], header="", rows=[], encoding="utf-8", newline="\n",
         with_csv=False)
def test_import_imports_or_refuses_by_name_and_writes_only_its_folder(tmp_path, capsys, entries, header, rows,
                                                                      encoding, newline, with_csv):
    work = tmp_path / f"case{next(_counter)}"
    (work / "in").mkdir(parents=True)
    (work / "decks").mkdir()
    zpath = work / "in" / "images.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for name, content in entries:
            try:
                z.writestr(name or "x", CONTENTS[content])
            except (ValueError, UnicodeEncodeError, IndexError):  # IndexError: a name that is only NUL
                pass  # zipfile itself refuses some names; those cannot reach a real importer either
    args = ["import", "--zip", str(zpath), "--out", str(work / "decks" / "fuzzdeck"), "--quiet"]
    if with_csv:
        cpath = work / "in" / "locations.csv"
        cpath.write_bytes(_csv_bytes(header, rows, encoding, newline))
        args += ["--csv", str(cpath)]
    before = _tree(str(work))
    capsys.readouterr()
    code = deck_tool.run(args)  # an exception here fails the test: bad input must never raise
    out, err = capsys.readouterr()
    event(f"exit {code}: {err.replace(str(work), '').splitlines()[0][19:70] if code else 'imported'}")
    assert code in (0, 1), f"exit {code} (3 = an internal error)\n{err}"
    after = _tree(str(work))
    outside = {k: v for k, v in after.items() if not k.startswith(os.path.join("decks", "fuzzdeck") + os.sep)}
    assert outside == before, "the import wrote outside --out"
    if code == 0:
        deck, problems = check_deck(str(work / "decks" / "fuzzdeck"))
        assert deck is not None, [str(p) for p in problems]
    else:
        assert err.startswith("karuta deck import: "), err
        assert "Traceback" not in err
        named = any(str(x) in err for x in (zpath, "images.zip", "locations.csv", work / "decks" / "fuzzdeck"))
        assert named or "--" in err, f"the refusal does not say which input is wrong: {err}"
        assert not os.path.exists(work / "decks" / "fuzzdeck") or after == before
