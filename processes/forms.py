"""Forms of the process editor, and the registry of simple row lists (Tables 1–2, back matter)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import EditionContentForm
from core.params import is_int
from core.thai import ui_digits
from manuals.forms import CompletePostMixin, VersionField
from manuals.models import (
    Abbreviation,
    Definition,
    Form,
    Lane,
    LegalReference,
    Responsibility,
)
from processes.models import (
    Indicator,
    LegalRequirement,
    Mission,
    Process,
    Requirement,
    Stakeholder,
    Step,
)


class RowForm(CompletePostMixin, EditionContentForm):
    """A row of a simple list; ``version`` is the stamp the row had when the form was shown."""

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]  # a new row has no version to compare yet
        for f in self.fields.values():
            if isinstance(f.widget, forms.Textarea):
                # Django's Textarea defaults to rows=10; short list items need 2.
                f.widget.attrs["rows"] = 2


@dataclass(frozen=True)
class RowKind:
    """A list the editor edits row by row: which model, which columns, under which parent."""

    slug: str
    model: type
    fields: tuple[str, ...]
    parent: str  # "edition" or "process"
    title: str
    fixed: dict = field(default_factory=dict)
    creatable: bool = True

    def form_class(self):
        return forms.modelform_factory(self.model, form=RowForm, fields=self.fields)

    @property
    def positioned(self) -> bool:
        return hasattr(self.model, "position")

    def headers(self) -> list[str]:
        names = [str(self.model._meta.get_field(name).verbose_name) for name in self.fields]
        if self.model is LegalRequirement:
            names.insert(0, str(LegalRequirement._meta.get_field("reference").verbose_name))
        return names

    def cells(self, row) -> list[str]:
        # A legal requirement shows which law it is, not only its clause note.
        out = [row.reference.citation] if self.model is LegalRequirement else []
        for name in self.fields:
            model_field = self.model._meta.get_field(name)
            if model_field.choices:
                out.append(getattr(row, f"get_{name}_display")())
            else:
                out.append(getattr(row, name))
        return out

    def rows(self, parent_obj):
        qs = self.model.objects.filter(**{self.parent: parent_obj, **self.fixed})
        if self.model is LegalRequirement:
            qs = qs.select_related("reference")
        return list(qs.order_by(*(self.model._meta.ordering or ["pk"])))

    def owns(self, row) -> bool:
        return all(getattr(row, k) == v for k, v in self.fixed.items())


ROW_KINDS: dict[str, RowKind] = {
    kind.slug: kind
    for kind in [
        RowKind("mission", Mission, ("unit", "text"), "edition", _("พันธกิจ/ภารกิจ (ตารางที่ ๑)")),
        RowKind("lane", Lane, ("name", "full_name", "kind"), "edition", _("ผู้ปฏิบัติ (ช่องในแผนผัง)")),
        RowKind("form", Form, ("code", "title"), "edition", _("แบบฟอร์ม")),
        RowKind("definition", Definition, ("term", "meaning"), "edition", _("คำจำกัดความ")),
        RowKind("abbreviation", Abbreviation, ("short", "full"), "edition", _("คำอธิบายอักษรย่อ")),
        RowKind(
            "responsibility",
            Responsibility,
            ("holder", "duties"),
            "edition",
            _("หน้าที่ความรับผิดชอบ"),
        ),
        RowKind(
            "stakeholder",
            Stakeholder,
            ("kind", "name", "needs"),
            "process",
            _("ผู้เกี่ยวข้องและความต้องการ"),
        ),
        RowKind(
            "key_requirement",
            Requirement,
            ("text",),
            "process",
            _("ข้อกำหนดที่สำคัญ"),
            fixed={"kind": Requirement.Kind.KEY},
        ),
        RowKind(
            "indicator",
            Indicator,
            ("kind", "statement", "target"),
            "process",
            _("ตัวชี้วัด"),
        ),
        RowKind(
            "legal",
            LegalRequirement,
            ("clause_note",),
            "process",
            _("ข้อกำหนดด้านกฎหมาย"),
            creatable=False,
        ),
        RowKind(
            "efficiency",
            Requirement,
            ("text",),
            "process",
            _("ประสิทธิภาพของกระบวนการ"),
            fixed={"kind": Requirement.Kind.EFFICIENCY},
        ),
        RowKind(
            "cost",
            Requirement,
            ("text",),
            "process",
            _("ความคุ้มค่า"),
            fixed={"kind": Requirement.Kind.COST_EFFECTIVENESS},
        ),
    ]
}
EDITION_LISTS = ("lane", "form", "definition", "abbreviation", "responsibility")
PROCESS_LISTS = ("stakeholder", "key_requirement", "indicator", "legal", "efficiency", "cost")


class LoadedChoiceField(forms.ModelChoiceField):
    """Checks the submitted id against rows the view already loaded (``loaded``, by id as text),
    so a save does not query again for what the form showed; without them, a query as usual."""

    loaded: dict[str, object] | None = None

    def to_python(self, value):
        if self.loaded is None or value in self.empty_values:
            return super().to_python(value)
        row = self.loaded.get(str(getattr(value, "pk", value)))
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row


class LoadedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The many-valued ``LoadedChoiceField``: returns the chosen rows as a list."""

    loaded: dict[str, object] | None = None

    def _check_values(self, value):
        if self.loaded is None:
            return super()._check_values(value)
        try:
            wanted = {str(getattr(v, "pk", v)) for v in value}
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for pk in wanted:
            if not is_int(pk, minimum=1):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
            if pk not in self.loaded:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return [row for key, row in self.loaded.items() if key in wanted]


class LaneChoiceField(LoadedChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class FormChoiceField(LoadedMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


SHAPES_WITH_THEIR_OWN_WORD = (
    Step.Shape.START,
    Step.Shape.END,
    Step.Shape.CONNECTOR,
    Step.Shape.DECISION,
    Step.Shape.DOCUMENT,
    Step.Shape.MULTI_DOCUMENT,
    Step.Shape.DATABASE,
)


class StepForm(CompletePostMixin, EditionContentForm):
    """Every column of a step (Tables 3 and 5); the actor can be created on the spot."""

    new_lane = forms.CharField(
        label=_("หรือเพิ่มผู้ปฏิบัติใหม่"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": _("พิมพ์ชื่อผู้ปฏิบัติใหม่")}),
    )
    version = VersionField(required=False)

    class Meta:
        model = Step
        fields = (
            "shape",
            "label",
            "detail",
            "lane",
            "other_lanes",
            "duration_text",
            "headcount",
            "quality_standard",
            "monitoring",
            "forms",
            "references",
        )
        field_classes = {
            "lane": LaneChoiceField,
            "other_lanes": LoadedMultipleChoiceField,
            "forms": FormChoiceField,
        }
        widgets = {
            "detail": forms.Textarea(attrs={"rows": 3}),
            "quality_standard": forms.Textarea(attrs={"rows": 2}),
            "monitoring": forms.Textarea(attrs={"rows": 2}),
            "references": forms.Textarea(attrs={"rows": 2}),
            # ticked in a searchable list (processes/_picker.html), not Ctrl+clicked
            "other_lanes": forms.CheckboxSelectMultiple,
            "forms": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, lanes=None, forms_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        edition = self.edition or self.instance.get_edition()
        self.fields["lane"].queryset = Lane.objects.filter(edition=edition)
        self.fields["other_lanes"].queryset = Lane.objects.filter(edition=edition)
        self.fields["forms"].queryset = Form.objects.filter(edition=edition)
        # Choices already loaded by the view: render and check them without another query.
        if lanes is not None:
            lane_choices = [(lane.pk, lane.name) for lane in lanes]
            self.fields["lane"].choices = [("", "---------"), *lane_choices]
            self.fields["other_lanes"].choices = lane_choices
            by_id = {str(lane.pk): lane for lane in lanes}
            self.fields["lane"].loaded = by_id
            self.fields["other_lanes"].loaded = by_id
        if forms_list is not None:
            self.fields["forms"].choices = [(f.pk, str(f)) for f in forms_list]
            self.fields["forms"].loaded = {str(f.pk): f for f in forms_list}
        self.fields["headcount"].widget.attrs.update({"min": 0, "max": 999})
        # The parsed reading appears next to the text as the editor types.
        self.fields["duration_text"].widget.attrs.update(
            {
                "hx-get": reverse("processes:duration_check"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "next .duration-hint",
                "hx-swap": "innerHTML",
                "placeholder": _("เช่น ๑ วัน, ๓๐ นาที, ๑-๒ วันทำการ"),
            }
        )
        self.fields["headcount"].validators.append(MaxValueValidator(999))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_lane") and cleaned.get("lane"):
            self.add_error("new_lane", _("เลือกผู้ปฏิบัติจากรายการ หรือพิมพ์ชื่อใหม่ อย่างใดอย่างหนึ่ง"))
        # An empty or all-spaces activity would print as a blank "กิจกรรม" row. The symbols
        # that print their own word (start, end, connector; a decision's "พิจารณา"; a
        # document, a database: the manuals draw these without text, and the seeds and the
        # demo have such steps) may stay blank: a clerk who opens one to set its time must
        # be able to save it. Spaces are already stripped by the cleaner.
        shape = cleaned.get("shape")
        if (
            "detail" in self.fields
            and shape not in SHAPES_WITH_THEIR_OWN_WORD
            and not (cleaned.get("detail") or "").strip()
            and not (cleaned.get("label") or "").strip()
            and "detail" not in self.errors
        ):
            self.add_error(
                "detail",
                _("กรุณากรอกรายละเอียดของงาน หรือข้อความในแผนผัง (ช่องว่างอย่างเดียวไม่นับ)"),
            )
        return cleaned


class FlowForm(CompletePostMixin, forms.Form):
    """A decision branch or loop: label + target step of the same process."""

    label = forms.CharField(label=_("ข้อความบนลูกศร"), required=False, max_length=80)
    target = forms.ModelChoiceField(label=_("ไปยังขั้นตอน"), queryset=Step.objects.none())

    def __init__(self, *args, source: Step, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Step.objects.filter(process_id=source.process_id).exclude(
            pk=source.pk
        )
        self.fields["target"].label_from_instance = lambda s: (
            f"{ui_digits(s.position)}. {s.chart_label}"
        )


class ProcessForm(RowForm):
    """A process's Table 1 row: name, scope and responsible unit."""

    class Meta:
        model = Process
        fields = ("name", "scope_text", "scope_start", "scope_end", "responsible_unit")


class ProcessCreateForm(CompletePostMixin, forms.Form):
    name = forms.CharField(label=_("ชื่อกระบวนการ"), max_length=300)
    parent = forms.ModelChoiceField(
        label=_("กระบวนการหลัก"), queryset=Process.objects.none(), required=False
    )

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Process.objects.filter(mission=mission)


class LegalAddForm(CompletePostMixin, forms.Form):
    reference = forms.ModelChoiceField(
        label=_("กฎหมาย/ระเบียบ"), queryset=LegalReference.objects.all(), widget=forms.HiddenInput
    )
    clause_note = forms.CharField(label=_("ข้อ/มาตราที่เกี่ยวข้อง"), required=False, max_length=300)


class LegalNewForm(CompletePostMixin, forms.Form):
    text = forms.CharField(
        label=_("ชื่อกฎหมาย/ระเบียบ พร้อมปี พ.ศ."),
        max_length=400,
        widget=forms.TextInput(attrs={"placeholder": _("เช่น ระเบียบกรุงเทพมหานครว่าด้วย… พ.ศ. ๒๕๖๕")}),
    )
    kind = forms.ChoiceField(label=_("ประเภท"), choices=LegalReference.Kind.choices)
    clause_note = forms.CharField(label=_("ข้อ/มาตราที่เกี่ยวข้อง"), required=False, max_length=300)


class LaneMergeForm(CompletePostMixin, forms.Form):
    keep = forms.ModelChoiceField(label=_("เก็บไว้"), queryset=Lane.objects.none())
    remove = forms.ModelChoiceField(label=_("รวมเข้าแล้วลบ"), queryset=Lane.objects.none())

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("keep", "remove"):
            self.fields[name].queryset = Lane.objects.filter(edition=edition)
            self.fields[name].label_from_instance = lambda lane: lane.name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("remove"):
            raise forms.ValidationError(_("เลือกผู้ปฏิบัติสองรายการที่ต่างกัน"))
        return cleaned


class MoveForm(CompletePostMixin, forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down"), ("in", "in"), ("out", "out")]
    )


class StepMoveForm(CompletePostMixin, forms.Form):
    to_position = forms.IntegerField(min_value=1, max_value=100000)
