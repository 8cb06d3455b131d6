"""Refusals of the deck tools: a message for the facilitator, never a traceback."""

from __future__ import annotations

import os
import stat

from .i18n import N_, _


class Refused(Exception):
    """Input the tools will not use. The message names the file and says what is wrong."""


# What require_regular_file refuses, in the words of each kind of file (never glued from pieces).
KINDS = {
    "file": (N_("{file}: is a folder, not a file"), N_("{file}: is {kind}, not a regular file; give the file itself")),
    "ZIP file": (N_("{file}: is a folder, not a ZIP file"),
                 N_("{file}: is {kind}, not a regular file; give the ZIP file itself")),
    "CSV file": (N_("{file}: is a folder, not a CSV file"),
                 N_("{file}: is {kind}, not a regular file; give the CSV file itself")),
    "image file": (N_("{file}: is a folder, not an image file"),
                   N_("{file}: is {kind}, not a regular file; give the image file itself")),
}


def require_regular_file(path: str, label: str, what: str = "file") -> int:
    """Refuse at once what is not a regular file; its size otherwise.

    Checked before anything opens it: opening a FIFO waits for a writer for ever, and a device
    such as /dev/zero never ends. Links are followed (a link to a real file is fine).
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise Refused(_("{file}: file not found").format(file=label)) from None
    except (OSError, ValueError) as exc:
        raise Refused(_("{file}: cannot be read ({reason})").format(
            file=label, reason=getattr(exc, "strerror", None) or exc)) from None
    folder, not_regular = KINDS[what]
    if stat.S_ISDIR(st.st_mode):
        raise Refused(_(folder).format(file=label))
    if not stat.S_ISREG(st.st_mode):
        kind = _("a named pipe (FIFO)") if stat.S_ISFIFO(st.st_mode) else _("a device or socket")
        raise Refused(_(not_regular).format(file=label, kind=kind))
    return st.st_size
