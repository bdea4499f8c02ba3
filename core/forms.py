"""Form base for anything inside an edition: a frozen edition gives a form error, not a crash."""

from __future__ import annotations

from django import forms

from core.models import EditionFrozenError


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
