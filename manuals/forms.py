"""Forms of the editor's edition-level pages; validation messages are Thai."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EditionContentForm, UserTextMixin
from manuals.models import Edition
from manuals.services import TEXT_SECTIONS

# A front-matter section (คำนำ …) may be long; a step's detail is capped at core.forms.TEXT_LIMIT.
SECTION_LIMIT = 20000


class CompletePostMixin(UserTextMixin):
    """Refuses a POST that lacks any of the form's fields (instead of blanking them); every
    text field is cleaned and limited with a Thai message (``core.forms.UserTextMixin``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("required", _("กรุณากรอกช่องนี้"))
            field.error_messages["required"] = _("กรุณากรอกช่องนี้")
            if isinstance(field, forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = _("ตัวเลือกไม่ถูกต้อง หรือไม่ได้อยู่ในคู่มือฉบับนี้")
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_choice"] = _(
                    "ตัวเลือก %(value)s ไม่ถูกต้อง หรือไม่ได้อยู่ในคู่มือฉบับนี้"
                )
                field.error_messages["invalid_pk_value"] = _("รหัส “%(pk)s” ไม่ถูกต้อง")
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("กรุณากรอกตัวเลขจำนวนเต็ม")
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                field.error_messages["invalid_choice"] = _("ตัวเลือก %(value)s ไม่ถูกต้อง")

    def clean(self):
        if self.is_bound:
            missing = [
                str(field.label or name)
                for name, field in self.fields.items()
                if name not in self.data
                and not isinstance(
                    field.widget,
                    forms.CheckboxInput | forms.SelectMultiple | forms.CheckboxSelectMultiple,
                )
            ]
            if missing:
                raise forms.ValidationError(
                    _("ข้อมูลที่ส่งมาไม่ครบ (%(fields)s) โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง")
                    % {"fields": ", ".join(missing)},
                    code="incomplete",
                )
        return super().clean()


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)


class EditionTextForm(CompletePostMixin, forms.Form):
    """One text section of the front matter (คำนำ, บทสรุปสำหรับผู้บริหาร …)."""

    default_text_limit = SECTION_LIMIT

    text = forms.CharField(
        label=_("ข้อความ"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    version = VersionField()

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = Edition._meta.get_field(section).verbose_name
        self.section = section


def section_title(section: str) -> str:
    return str(Edition._meta.get_field(section).verbose_name) if section in TEXT_SECTIONS else ""


class StartRevisionForm(CompletePostMixin, forms.Form):
    year_be = forms.IntegerField(label=_("ปี พ.ศ. ของฉบับปรับปรุง"), min_value=2500, max_value=2700)


__all__ = ["EditionContentForm", "EditionTextForm", "StartRevisionForm", "VersionField"]
