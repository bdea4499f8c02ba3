"""The search box and its filters; bad values become "no filter", never an error page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.thai import arabic_digits
from search.models import SearchEntry
from search.selectors import SearchFilters

STATUS = [
    ("published", _("ฉบับที่เผยแพร่")),
    ("open", _("ฉบับร่างที่กำลังปรับปรุง")),
    ("all", _("ทุกฉบับที่เปิดดูได้")),
]


def parse_int(value) -> int | None:
    text = arabic_digits(str(value or "")).strip()
    # "²".isdigit() is true but int() refuses it: accept ASCII digits only.
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


class SearchForm(forms.Form):
    q = forms.CharField(label=_("คำค้น"), required=False, max_length=400)
    agency = forms.CharField(label=_("หน่วยงาน (รวมหน่วยงานในสังกัด)"), required=False)
    status = forms.ChoiceField(label=_("ฉบับ"), choices=STATUS, required=False)
    kind = forms.ChoiceField(
        label=_("ส่วนของคู่มือ"),
        choices=[("", _("ทุกส่วน")), *SearchEntry.Kind.choices],
        required=False,
    )
    year = forms.CharField(label=_("ปี พ.ศ. ของฉบับ"), required=False, max_length=8)

    def filters(self) -> SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or "published"
        return SearchFilters(
            agency_id=parse_int(self.data.get("agency")),
            status=status,
            kind=data.get("kind") or "",
            year=parse_int(self.data.get("year")),
        )

    def query(self) -> str:
        return str(self.data.get("q") or "")[:400]
