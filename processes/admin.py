from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ContentInline, FrozenEditionAdminMixin
from processes.models import (
    Flow,
    Indicator,
    LegalRequirement,
    Mission,
    Process,
    Requirement,
    Stakeholder,
    Step,
)


class StepInline(ContentInline):
    model = Step
    fields = ["position", "shape", "label", "lane", "duration_text", "headcount"]
    autocomplete_fields = ["lane"]


class StakeholderInline(ContentInline):
    model = Stakeholder
    fields = ["position", "kind", "name", "needs"]
    show_change_link = False


class RequirementInline(ContentInline):
    model = Requirement
    fields = ["position", "kind", "text"]
    show_change_link = False


class IndicatorInline(ContentInline):
    model = Indicator
    fields = ["position", "kind", "statement", "target"]
    show_change_link = False


class LegalRequirementInline(ContentInline):
    model = LegalRequirement
    fields = ["position", "reference", "clause_note"]
    autocomplete_fields = ["reference"]
    show_change_link = False


class FlowInline(ContentInline):
    model = Flow
    fk_name = "source"
    fields = ["position", "target", "label", "kind"]
    show_change_link = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only steps of the same process as branch targets.
        if db_field.name == "target":
            step_id = request.resolver_match.kwargs.get("object_id")
            step = Step.objects.filter(pk=step_id).first() if step_id else None
            qs = Step.objects.select_related("process")
            kwargs["queryset"] = qs.filter(process_id=step.process_id) if step else qs.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Mission)
class MissionAdmin(FrozenEditionAdminMixin, SimpleHistoryAdmin):
    list_display = ["position", "unit", "edition"]
    list_filter = ["edition__status", "edition__manual__agency"]
    list_select_related = ["edition", "edition__manual", "edition__manual__agency"]
    search_fields = ["unit", "text"]
    raw_id_fields = ["edition"]


@admin.register(Process)
class ProcessAdmin(FrozenEditionAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "position", "parent", "mission", "edition"]
    list_filter = ["edition__status", "edition__manual__agency"]
    list_select_related = [
        "edition",
        "edition__manual",
        "edition__manual__agency",
        "mission",
        "parent",
        "parent__mission",
    ]
    search_fields = ["name", "scope_text"]
    raw_id_fields = ["parent", "mission", "edition"]
    inlines = [
        StakeholderInline,
        RequirementInline,
        IndicatorInline,
        LegalRequirementInline,
        StepInline,
    ]


@admin.register(Step)
class StepAdmin(FrozenEditionAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "position", "shape", "lane", "duration_text", "duration_parsed"]
    list_filter = [
        "process__edition__status",
        "process__edition__manual__agency",
        "shape",
        "duration_parsed",
    ]
    list_select_related = ["lane", "process"]
    search_fields = ["label", "detail", "duration_text"]
    raw_id_fields = ["process"]
    autocomplete_fields = ["lane", "other_lanes", "forms"]
    readonly_fields = [
        "duration_kind",
        "duration_low",
        "duration_high",
        "duration_unit",
        "duration_per",
        "duration_qualifier",
        "duration_parsed",
    ]
    inlines = [FlowInline]


@admin.register(Flow)
class FlowAdmin(FrozenEditionAdminMixin, SimpleHistoryAdmin):
    list_display = ["source", "target", "label", "kind"]
    list_filter = ["kind", "source__process__edition__status"]
    list_select_related = ["source", "target"]
    raw_id_fields = ["source", "target"]
    search_fields = ["label"]
