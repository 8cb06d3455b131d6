"""The fonts of the web build, cut down (fontTools) to the characters the decks and the game use.

The game's fonts keep their file names so no runtime code changes; the page's own Japanese
(loading screen, failure message, camera overlay) gets a small font of its own.
"""

from __future__ import annotations

import ast
import io
import shutil
import unicodedata
from pathlib import Path

from ..i18n import _
from .errors import BuildError
from .layout import FONT_DIR, PAGE_FONT, PAGE_FONT_SOURCE
from .stage import Stage

# Characters every build carries so that text made at run time (numbers, kana typed on
# the keypad, names of things) never shows as empty boxes.
BASIC_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))          # ASCII
    + "".join(chr(c) for c in range(0x3041, 0x3097))    # hiragana
    + "".join(chr(c) for c in range(0x30A1, 0x30FB))    # katakana
    + "ー・、。「」『』（）！？　"
    + "".join(chr(c) for c in range(0xFF10, 0xFF1A))    # full-width digits
)
# Kept in each font that has them: marks a screen may draw next to text.
OPTIONAL_CHARS = "〜…―○×△☆★♪✓✔"
SHOWN_MISSING = 20                    # missing characters listed in the message


def collect_code_strings(stage: Stage) -> None:
    """Every character of the game's own string literals (UI text), except docstrings and print()."""
    for path in sorted((stage.root / "karuta").rglob("*.py")):
        rel = path.relative_to(stage.root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = getattr(node, "body", [])
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    skip.add(id(body[0].value))
            elif isinstance(node, ast.Call) and _never_drawn(node):
                for sub in ast.walk(node.args[0] if node.args and not _is_print(node) else node):
                    skip.add(id(sub))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                for ch in node.value:
                    stage.code_chars.setdefault(ch, f"{rel}:{node.lineno}")


def _is_print(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "print"


def _never_drawn(call: ast.Call) -> bool:
    """print() goes to a terminal; the pattern of re.sub(...) and friends is not text."""
    if _is_print(call):
        return True
    func = call.func
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re"
            and func.attr in ("compile", "sub", "subn", "match", "fullmatch", "search", "split", "findall",
                              "finditer"))


def subset_fonts(stage: Stage) -> None:
    """Cut each font the game loads down to the characters in use; same file names as on the desktop.

    Deck text and the basic set must be in every font (any face may draw a card). The game's
    own strings must be in the UI faces; the card face (Klee One, for card text) carries the
    ones it has, so a mode that draws a label with it still finds most of them.
    """
    import logging

    from ...app.text import FACES

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "table X dropped" is expected, not news
    basic = _("the basic set (kana, ASCII, digits)")
    for ch in BASIC_CHARS:
        stage.chars.setdefault(ch, basic)
    for ch in stage.code_chars:
        stage.chars.setdefault(ch, stage.code_chars[ch])
    drawn = {ch: where for ch, where in stage.chars.items() if needs_glyph(ch)}
    target = stage.root / "assets" / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    faces_of: dict[str, list[str]] = {}
    for face, name in FACES.items():
        faces_of.setdefault(name, []).append(face)
    for name, faces in faces_of.items():
        src = FONT_DIR / name
        if not src.is_file():
            raise BuildError(_("{path}: the game's font is missing (karuta/app/text.py FACES names it)").format(path=src))
        font = open_font(src)
        cmap = font.getBestCmap() or {}
        card_only = faces == ["card"]
        required = {ch: where for ch, where in drawn.items()
                    if not card_only or ch in stage.deck_chars or ch in BASIC_CHARS}
        missing = [ch for ch in sorted(required) if ord(ch) not in cmap]
        if missing:
            font.close()
            shown = "\n  ".join(_("{char!r} (U+{code}) used in {where}").format(
                char=ch, code=f"{ord(ch):04X}", where=required[ch]) for ch in missing[:SHOWN_MISSING])
            more = ("\n  " + _("... and {count} more").format(count=len(missing) - SHOWN_MISSING)
                    if len(missing) > SHOWN_MISSING else "")
            raise BuildError(_("the font {font} ({faces} text) has no glyph for {count} character(s); "
                               "change the text or the font:").format(font=name, faces=", ".join(faces),
                                                                      count=len(missing))
                             + f"\n  {shown}{more}")
        keep = sorted(ch for ch in set(drawn) | set(OPTIONAL_CHARS) if ord(ch) in cmap)
        (target / name).write_bytes(cut_font(font, keep))
        font.close()  # lazy: the font file stays open until closed
    for licence in sorted(FONT_DIR.glob("LICENSE*")):
        shutil.copyfile(licence, target / licence.name)


def open_font(src: Path):
    """A lazily parsed TTFont (only the glyphs kept are read: 20x faster on big CJK fonts); close it after use."""
    from fontTools.ttLib import TTFont

    try:
        return TTFont(str(src), lazy=True)
    except Exception as exc:
        raise BuildError(_("{path}: not a font fontTools can read ({reason})").format(path=src, reason=exc))


def cut_font(font, chars) -> bytes:
    """The font (a fontTools TTFont) with only the glyphs of ``chars``, as font file bytes."""
    from fontTools import subset

    options = subset.Options()
    options.hinting = False           # FreeType renders these sizes well unhinted; saves a third
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # keep copyright and licence names (OFL)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    # Keep the source font's date: fontTools stamps the time of saving otherwise, which would give
    # every rebuild a new build id and make every iPad download the game again for nothing.
    font.recalcTimestamp = False
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def needs_glyph(ch: str) -> bool:
    # Line breaks, tabs and invisible format characters are never drawn.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


def write_page_font(page: Path) -> None:
    """The page's own Japanese (loading screen, failure message, camera overlay) in the game's font.

    A device without a Japanese system font would show empty boxes otherwise; cut down to the
    page's characters it is a few kilobytes.
    """
    src = FONT_DIR / PAGE_FONT_SOURCE
    text = "".join((page / name).read_text(encoding="utf-8") for name in ("index.tmpl", "karuta.js"))
    chars = sorted({ch for ch in text if ord(ch) > 0x7F and needs_glyph(ch)} | set(BASIC_CHARS[:95]))
    font = open_font(src)
    try:  # lazy: the font file stays open until closed
        cmap = font.getBestCmap() or {}
        missing = [ch for ch in chars if ord(ch) not in cmap]
        if missing:
            raise BuildError(_("{path} has no glyph for {chars!r} used in assets/web/index.tmpl or karuta.js")
                             .format(path=src, chars="".join(missing)))
        (page / PAGE_FONT).write_bytes(cut_font(font, chars))
    finally:
        font.close()
    shutil.copyfile(FONT_DIR / "LICENSE-BIZUDPGothic.txt", page / "LICENSE-BIZUDPGothic.txt")
