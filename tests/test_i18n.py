"""The message catalog: complete, consistent with the code, and compiled where gettext looks."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from karuta.tools import i18n

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "karuta" / "locale" / "ja" / "LC_MESSAGES" / "karuta.po"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sdr]|%[sdr]")


def catalog():
    with open(PO, "rb") as f:
        return read_po(f, locale="ja", domain=i18n.DOMAIN)


def forms(message) -> list[tuple[str, str]]:
    """(English, Japanese) pairs of a catalog entry: one, or each plural form (ngettext) with the Japanese form."""
    if isinstance(message.id, tuple):
        return [(english, message.string[0]) for english in message.id]
    return [(message.id, message.string)]


def test_every_wrapped_message_in_the_code_is_translated():
    """A message wrapped in _() or N_() without a Japanese entry fails here: run the update (docs/architecture.md)."""
    wanted = {msg if isinstance(msg, str) else msg[0]
              for _file, _line, msg, _comments, _ctx in extract_from_dir(str(ROOT / "karuta"))}
    translated = {english: japanese for m in catalog() if m.id for english, japanese in forms(m)}
    missing = sorted(w for w in wanted if not translated.get(w))
    assert not missing, f"messages without a Japanese translation in {PO}: {missing}"


def test_translations_keep_every_placeholder():
    for m in catalog():
        for english, japanese in forms(m) if m.id else []:
            if japanese:
                assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(japanese)), english


def test_the_compiled_catalog_is_installed_and_matches_the_po():
    """setup.py's build hook wrote karuta.mo; after editing the .po, compile it again (see the docs)."""
    mo = gettext.translation(i18n.DOMAIN, str(i18n.LOCALE_DIR), languages=["ja"])
    stale = [m.id for m in catalog() if m.id and (
        mo.gettext(m.id) != m.string if isinstance(m.id, str)
        else any(mo.ngettext(*m.id, n) != m.string[0] for n in (1, 2)))]
    assert not stale, f"karuta.mo is older than {PO.name}; run `.venv/bin/pybabel compile -d karuta/locale -D karuta`"

