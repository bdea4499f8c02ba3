"""The one error every importer raises: a Thai message for the user, nothing written."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ImportRejected(ValidationError):
    """The file cannot be imported; ``message`` says why in Thai, ``detail`` where."""

    def __init__(self, message, *, detail: str = "", code: str = "import_rejected"):
        self.detail = detail
        text = str(message)
        if detail:
            text = f"{text} ({detail})"
        super().__init__(text, code=code)

    def __str__(self) -> str:
        return self.messages[0]
