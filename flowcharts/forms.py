"""The lane-set screen's form: one row per lane of the edition, plus the chart settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from manuals.forms import CompletePostMixin, VersionField
from manuals.models import ChartLaneMode, Edition, Lane

from .services import LaneSetRow

MAX_ORDER = 9999


class LaneSetForm(CompletePostMixin, forms.Form):
    """The manual's chart lane set: for each lane its order, kind, unit and always-show; the
    chart's lane mode and group header. The mode and header carry the values the screen was
    opened with (hidden), so a change made meanwhile by someone else is noticed."""

    mode = forms.ChoiceField(
        label=_("ช่องในแผนผังกระบวนการงาน"),
        choices=ChartLaneMode.choices,
        widget=forms.RadioSelect,
        show_hidden_initial=True,
    )
    header = forms.CharField(
        label=_("หัวกลุ่มช่องในแผนผัง"),
        required=False,
        max_length=Edition._meta.get_field("chart_lane_header").max_length,
        help_text=_("ข้อความเหนือช่องทั้งหมด เช่น หน่วยงาน หรือชื่อส่วนราชการ เว้นว่างได้ถ้าไม่ต้องการแถวหัวกลุ่ม"),
        show_hidden_initial=True,
    )

    def __init__(self, *args, edition: Edition, lanes: list[Lane], **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "mode": edition.chart_lane_mode,
                "header": edition.chart_lane_header,
                **{f"order_{lane.pk}": i for i, lane in enumerate(lanes, start=1)},
                **{f"kind_{lane.pk}": lane.kind for lane in lanes},
                **{f"unit_{lane.pk}": lane.unit_id or "" for lane in lanes},
                **{f"always_{lane.pk}": lane.always_show for lane in lanes},
                **{f"version_{lane.pk}": lane.version for lane in lanes},
            },
        )
        self.edition = edition
        self.lanes = lanes
        super().__init__(*args, **kwargs)
        unit_choices = [("", _("— ไม่สังกัด (เป็นช่องของตัวเอง) —"))]
        unit_choices += [
            (str(lane.pk), lane.name) for lane in lanes if lane.kind != Lane.Kind.POSITION
        ]
        for lane in lanes:
            self.fields[f"order_{lane.pk}"] = forms.IntegerField(
                label=_("ลำดับของ %(name)s") % {"name": lane.name},
                min_value=1,
                max_value=MAX_ORDER,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"kind_{lane.pk}"] = forms.ChoiceField(
                label=_("ประเภทของ %(name)s") % {"name": lane.name},
                choices=Lane.Kind.choices,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            choices = [c for c in unit_choices if c[0] != str(lane.pk)]
            if lane.unit_id and not any(c[0] == str(lane.unit_id) for c in choices):
                choices.append((str(lane.unit_id), str(lane.unit)))
            self.fields[f"unit_{lane.pk}"] = forms.ChoiceField(
                label=_("หน่วยงานที่ %(name)s สังกัด") % {"name": lane.name},
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"always_{lane.pk}"] = forms.BooleanField(
                label=_("แสดง %(name)s ในแผนผังทุกกระบวนการ") % {"name": lane.name},
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"version_{lane.pk}"] = VersionField()
        # the Thai messages CompletePostMixin gives the declared fields, for the added ones
        for name, field in self.fields.items():
            if name in ("mode", "header"):
                continue
            field.error_messages["required"] = _("กรุณากรอกช่องนี้")
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("กรุณากรอกตัวเลขจำนวนเต็ม")
                field.error_messages["min_value"] = _("ต้องไม่น้อยกว่า %(limit_value)s")
                field.error_messages["max_value"] = _("ต้องไม่เกิน %(limit_value)s")
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = _("ตัวเลือก %(value)s ไม่ถูกต้อง")

    def rows(self) -> list[dict]:
        """The lanes with their bound fields, in the order shown."""
        return [
            {
                "lane": lane,
                "order": self[f"order_{lane.pk}"],
                "kind": self[f"kind_{lane.pk}"],
                "unit": self[f"unit_{lane.pk}"],
                "always": self[f"always_{lane.pk}"],
                "version": self[f"version_{lane.pk}"],
            }
            for lane in self.lanes
        ]

    def seen(self, name: str) -> str:
        """The value ``name`` had when the screen was opened (its hidden initial input)."""
        field = self.fields[name]
        return field.widget.value_from_datadict(
            self.data, self.files, self.add_initial_prefix(name)
        )

    def lane_rows(self) -> list[LaneSetRow]:
        data = self.cleaned_data
        rows = []
        for lane in self.lanes:
            unit = data.get(f"unit_{lane.pk}") or ""
            rows.append(
                LaneSetRow(
                    lane_id=lane.pk,
                    version=data[f"version_{lane.pk}"],
                    order=data[f"order_{lane.pk}"],
                    kind=data[f"kind_{lane.pk}"],
                    unit_id=int(unit) if unit else None,
                    always_show=bool(data.get(f"always_{lane.pk}")),
                )
            )
        return rows
