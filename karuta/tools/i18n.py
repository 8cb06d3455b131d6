"""Messages of the facilitator tools in the user's language, through the standard gettext machinery.

    from .i18n import _, N_, ngettext
    print(_("serving {dir} at {url}").format(dir=..., url=...))

The catalog is karuta/locale/ja/LC_MESSAGES/karuta.po (msgid: the English message, msgstr: the
Japanese one); the build hook in setup.py compiles it to karuta.mo when the project is installed
(``pip install -e .`` too). gettext picks the language from LANGUAGE, LC_ALL, LC_MESSAGES and
LANG, as every Unix program does: ``LANG=ja_JP.UTF-8`` gives Japanese, anything else (or a
missing .mo) English. How to wrap a message and update the catalog: docs/architecture.md,
"Messages and translations".

Desktop tools only: the game itself never imports this (children's screens are Japanese already).
"""

from __future__ import annotations

import gettext
from pathlib import Path

from ..engine import messages as engine_messages

DOMAIN = "karuta"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

# argparse translates its own words ("usage: ", "error", "the following arguments are required")
# through gettext's global domain. Binding the project's domain as the global one lets the same
# catalog carry them, so a Japanese run shows no English from argparse either. Binding only
# names where catalogs are; a process without a Japanese locale still gets the English originals.
gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
gettext.textdomain(DOMAIN)

_translation = gettext.translation(DOMAIN, str(LOCALE_DIR), fallback=True)
# Deck problems are the engine's messages (engine/messages.py); the engine knows nothing of tools,
# so a tool that speaks the user's language shows them through this catalog too.
engine_messages.set_translator(_translation.gettext)


def _(message: str) -> str:
    """``message`` (English) in the user's language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the user's language."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it yet (tables built at import time)."""
    return message


# The argparse messages the tools can show (Python 3.11-3.13 spell them this way). Listed here
# so that `pybabel extract` keeps them in the catalog; argparse itself asks gettext for them.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
)
