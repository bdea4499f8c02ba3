from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import UserTextMixin


class CommentForm(UserTextMixin, forms.Form):
    body = forms.CharField(
        label=_("ความเห็น"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("พิมพ์ความเห็น…")}),
    )


class ReasonForm(UserTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("เหตุผล/สิ่งที่ต้องแก้ไข"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubmitForm(UserTextMixin, forms.Form):
    confirm_open_comments = forms.BooleanField(
        label=_("ส่งตรวจสอบทั้งที่ยังมีความเห็นที่ยังไม่ได้แก้ไข"), required=False
    )
