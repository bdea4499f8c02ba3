"""The one error an import raises for input it cannot take: a Thai message for the user."""

from __future__ import annotations


class ImportRefused(Exception):
    """The file cannot be imported (no text layer, corrupt, too big, nothing recognisable).

    ``message`` is Thai, shown as it is; nothing has been written when this is raised."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message
