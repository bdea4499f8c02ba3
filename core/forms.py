"""Form bases: the one place where every form cleans and limits the text users type or paste.

``UserTextMixin`` is used by every form of the site (``manuals.forms.CompletePostMixin`` builds
on it): text is cleaned with ``core.text.clean_user_text`` (Word's control characters become
plain text) before any validation, every text field has a length limit refused with a Thai
message (never cut: the browser's ``maxlength`` truncates a paste silently, so the limit goes
to a counter instead, ``data-maxlength``), and multi-line fields say that Enter makes a new line.
``EditionContentForm`` refuses (as a validation error) rows of a frozen edition.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.models import EditionFrozenError
from core.text import clean_user_text
from core.thai import ui_digits

# Long text (a step's detail, a comment) is capped: a manual cell is never this long, and a
# huge body must be a message, not a slow page.
TEXT_LIMIT = 5000

MULTILINE_HINT = _("กด Enter เพื่อขึ้นบรรทัดใหม่ · กด Ctrl+Enter หรือปุ่มบันทึกเพื่อบันทึก")


class ThaiMaxLengthValidator(MaxLengthValidator):
    """The length limit, said in the user's language with its digits ("ได้ไม่เกิน ๕,๐๐๐")."""

    message = _("ข้อความยาวเกินไป: ได้ไม่เกิน %(limit)s ตัวอักษร (ตอนนี้ %(length)s ตัวอักษร)")

    def __call__(self, value):
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "limit": ui_digits(f"{self.limit_value:,}"),
                    "length": ui_digits(f"{length:,}"),
                    "limit_value": self.limit_value,
                    "show_value": length,
                },
            )


def check_length(value: str, *, field: str, limit: int = TEXT_LIMIT) -> str:
    """For services that take free text without a form (a transition's reason, a comment):
    ``value`` unchanged, or the Thai length message as a ValidationError on ``field``."""
    try:
        ThaiMaxLengthValidator(limit)(value or "")
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}, code="max_length") from exc
    return value


def _cleaning(to_python, multiline: bool):
    def to_python_clean(value):
        value = to_python(value)
        return clean_user_text(value, multiline=multiline) if isinstance(value, str) else value

    return to_python_clean


class UserTextMixin:
    """Every text field of the form: cleaned, limited with a counter, multi-line hint."""

    default_text_limit = TEXT_LIMIT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            field.to_python = _cleaning(field.to_python, multiline)
            limit = field.max_length or self.default_text_limit
            field.max_length = limit
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ] + [ThaiMaxLengthValidator(limit)]
            field.widget.attrs.pop("maxlength", None)
            if isinstance(field.widget, forms.HiddenInput):
                continue
            field.widget.attrs["data-maxlength"] = str(limit)
            if multiline:
                field.widget.attrs["data-multiline"] = "1"
                hint = str(MULTILINE_HINT)
                field.help_text = f"{field.help_text} · {hint}" if field.help_text else hint


class EditionContentForm(forms.ModelForm):
    """A ModelForm for an edition's rows; refuses (as a validation error) frozen editions.

    ``edition`` is passed for new rows, whose instance has no edition yet.
    """

    def __init__(self, *args, edition=None, **kwargs):
        self.edition = edition
        super().__init__(*args, **kwargs)

    def _target_edition(self):
        if self.edition is not None:
            return self.edition
        if self.instance.pk is not None:
            return self.instance.get_edition()
        return None

    def clean(self):
        cleaned = super().clean()
        edition = self._target_edition()
        if edition is not None:
            edition.refresh_from_db(fields=["status"])
            if edition.is_frozen:
                raise EditionFrozenError()
        return cleaned
