from django import forms
from django.utils.translation import gettext_lazy as _

from core.thai import thai_digits
from manuals.models import Agency
from rounds.models import Milestone


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    title = forms.CharField(label=_("ชื่อรอบ"), max_length=200)
    year_be = forms.IntegerField(label=_("ปี พ.ศ. ของฉบับปรับปรุง"), min_value=2500, max_value=2700)
    scope = forms.ModelChoiceField(
        label=_("ขอบเขต (หน่วยงานและหน่วยงานในสังกัด)"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("ทุกหน่วยงาน"),
    )
    draft_due = forms.DateField(label=Milestone.Kind.DRAFT_DUE.label, widget=DateInput)
    review_due = forms.DateField(label=Milestone.Kind.REVIEW_DUE.label, widget=DateInput)
    final_due = forms.DateField(label=Milestone.Kind.FINAL_DUE.label, widget=DateInput)
    approval = forms.DateField(label=Milestone.Kind.APPROVAL.label, widget=DateInput)

    def milestones(self) -> dict:
        return {
            k: self.cleaned_data[k] for k in ("draft_due", "review_due", "final_due", "approval")
        }


class ReportForm(forms.Form):
    reported_on = forms.DateField(label=_("วันที่รายงาน"), widget=DateInput)
    narrative = forms.CharField(
        label=_("ผลการดำเนินงาน (ระบบเติมจำนวนคู่มือตามสถานะให้ต่อท้าย)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BatchApprovalForm(forms.Form):
    letter_number = forms.CharField(
        label=_("เลขที่หนังสืออนุมัติ"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("เช่น กท ๐๓๐๓/๑๒๙๓")}),
    )
    letter_date = forms.DateField(label=_("ลงวันที่ (หนังสืออนุมัติ)"), widget=DateInput)


class AdopterCommentForm(forms.Form):
    body = forms.CharField(
        label=_("ความเห็นต่อร่างคู่มือร่วม"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LocalAdditionForm(forms.Form):
    """A local addition of an adopting agency: which shared process it follows, its text."""

    after_process_lineage = forms.ChoiceField(label=_("ต่อจากกระบวนการของคู่มือร่วม"))
    title = forms.CharField(label=_("ชื่อเรื่องที่เพิ่มเติม"), max_length=300)
    body = forms.CharField(
        label=_("รายละเอียดเพิ่มเติมของหน่วยงาน"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, processes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after_process_lineage"].choices = [
            (str(p.lineage), thai_digits(f"{p.number} {p.name}")) for p in processes
        ]
