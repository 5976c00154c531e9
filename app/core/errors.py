"""Errors the officer is meant to read.

A :class:`ZcwsError` carries a Chinese message and, where there is one, the fix.
The CLI prints it on one line; the GUI shows it in a dialog. Any other exception
is a bug and is logged with its traceback.
"""

from __future__ import annotations


class ZcwsError(Exception):
    """An expected failure with a message for the officer."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        if self.fix:
            return f"{self.message}（{self.fix}）"
        return self.message


class UsageError(ZcwsError):
    """The command or the input was wrong; nothing was changed (exit code 2)."""


class NotFoundError(ZcwsError):
    """A case, plan or file that was asked for does not exist."""


class RuleError(ZcwsError):
    """A domain rule refuses the action (review closed, missing reason, ...)."""


class StoreError(ZcwsError):
    """The store cannot be used: disk full, locked, corrupt, newer schema."""
