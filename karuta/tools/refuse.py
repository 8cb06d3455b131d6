"""Refusals of the deck tools: a message for the facilitator, never a traceback."""

from __future__ import annotations

import os
import stat


class Refused(Exception):
    """Input the tools will not use. The message names the file and says what is wrong."""


def require_regular_file(path: str, label: str, what: str = "file") -> int:
    """Refuse at once what is not a regular file; its size otherwise.

    Checked before anything opens it: opening a FIFO waits for a writer for ever, and a device
    such as /dev/zero never ends. Links are followed (a link to a real file is fine).
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise Refused(f"{label}: file not found") from None
    except (OSError, ValueError) as exc:
        raise Refused(f"{label}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise Refused(f"{label}: is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise Refused(f"{label}: is {kind}, not a regular file; give the {what} itself")
    return st.st_size
