"""Errors a person can fix: shown as one line, never as a traceback."""

from __future__ import annotations


class UserError(ValueError):
    """Bad input from the person (empty goal, unreadable file, bad date): exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))
