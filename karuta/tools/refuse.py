"""Refusals of the deck tools: a message for the facilitator, never a traceback."""

from __future__ import annotations


class Refused(Exception):
    """Input the tools will not use. The message names the file and says what is wrong."""
