"""Messages the engine reports (deck problems), translatable without the engine knowing about tools.

The engine writes each message as an English template marked with ``N_()`` plus its values:

    Message(N_("{value} is not a latitude"), value=shown)

``N_`` only marks the template, so `pybabel extract` puts it in karuta/locale's catalog. ``str()``
of a Message translates the template through the translator installed with ``set_translator`` and
then fills the values in (Japanese word order differs: never glue a sentence from pieces). A value
may itself be a Message; it is translated the same way.

The translator is the identity until a facilitator tool installs gettext's (karuta/tools/i18n.py):
the game, and the browser build that carries no catalog, show the English templates as written.
"""

from __future__ import annotations

from typing import Any, Callable


def N_(template: str) -> str:
    """Mark a template for the catalog; it is translated when the message is shown."""
    return template


def _identity(template: str) -> str:
    return template


_translator: Callable[[str], str] = _identity


def set_translator(translator: Callable[[str], str] | None) -> None:
    """Show messages through ``translator`` (English template -> the user's language); None: as written."""
    global _translator
    _translator = translator or _identity


def translate(template: str) -> str:
    """``template`` through the installed translator."""
    return _translator(template)


class Message:
    """An English template and the values to fill in; shown in the user's language by ``str()``."""

    __slots__ = ("template", "args")

    def __init__(self, template: str, **args: Any):
        self.template = template
        self.args = tuple(sorted(args.items()))

    def __str__(self) -> str:
        text = _translator(self.template)
        if not self.args:
            return text
        values = {k: str(v) if isinstance(v, Message) else v for k, v in self.args}
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation must not hide the problem
            return self.template.format(**values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.template, self.args) == (other.template, other.args)

    def __hash__(self) -> int:
        return hash((self.template, self.args))

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {dict(self.args)!r})"
