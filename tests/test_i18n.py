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


def test_every_wrapped_message_in_the_code_is_translated():
    """A message wrapped in _() or N_() without a Japanese entry fails here: run the update (docs/architecture.md)."""
    wanted = {msg if isinstance(msg, str) else tuple(msg)
              for _file, _line, msg, _comments, _ctx in extract_from_dir(str(ROOT / "karuta"))}
    translated = {m.id if isinstance(m.id, str) else tuple(m.id): forms(m)[1] for m in catalog() if m.id}
    missing = sorted((w for w in wanted if not all(translated.get(w) or [""])), key=str)
    assert not missing, f"messages without a Japanese translation in {PO}: {missing}"


def forms(m) -> tuple[list[str], list[str]]:
    """(msgids, msgstrs) of an entry: one each, or the singular/plural ids and every plural form (ngettext)."""
    ids = list(m.id) if isinstance(m.id, (tuple, list)) else [m.id]
    strings = list(m.string) if isinstance(m.string, (tuple, list)) else [m.string]
    return ids, strings


def test_translations_keep_every_placeholder():
    for m in catalog():
        ids, strings = forms(m)
        for string in strings:
            if m.id and string:  # each form of a plural entry keeps the plural msgid's placeholders
                assert sorted(PLACEHOLDER.findall(ids[-1])) == sorted(PLACEHOLDER.findall(string)), m.id


def test_the_compiled_catalog_is_installed_and_matches_the_po():
    """setup.py's build hook wrote karuta.mo; after editing the .po, compile it again (see the docs)."""
    mo = gettext.translation(i18n.DOMAIN, str(i18n.LOCALE_DIR), languages=["ja"])
    stale = [m.id for m in catalog() if m.id and (
        mo.gettext(m.id) != m.string if not m.pluralizable else mo.ngettext(*m.id, 2) != m.string[0])]
    assert not stale, f"karuta.mo is older than {PO.name}; run `.venv/bin/pybabel compile -d karuta/locale -D karuta`"

