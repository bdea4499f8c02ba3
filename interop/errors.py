"""The one error every importer raises (a Thai message for the user, nothing written), and the
size limit every importer checks first."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024


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


def max_import_bytes() -> int:
    return int(getattr(settings, "INTEROP_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES))


def check_size(size: int) -> None:
    limit = max_import_bytes()
    if size > limit:
        raise ImportRejected(
            _("ไฟล์ใหญ่เกินกว่าที่ระบบรับได้ (ไม่เกิน %(mb)s เมกะไบต์)") % {"mb": limit // (1024 * 1024)},
            code="too_large",
        )
