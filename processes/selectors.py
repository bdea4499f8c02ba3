"""Reads for the editor: every page loads what it shows in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from core.thai import ui_digits
from core.worddiff import diff_words_brief
from manuals.models import Edition, Form, Lane, LegalReference
from processes import health as health_rules
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
from processes.numbering import step_numbers


@dataclass
class TreeNode:
    process: Process
    depth: int
    number: str
    children: list[TreeNode] = field(default_factory=list)


def process_tree(*, edition: Edition) -> list[tuple[Mission, list[TreeNode]]]:
    """Missions with their processes as a numbered tree (๑.๑, ๑.๑.๑), in two queries.

    Each process gets ``_number`` set, so ``process.number`` needs no further queries.
    """
    missions = list(Mission.objects.filter(edition=edition).order_by("position"))
    processes = list(
        Process.objects.filter(edition=edition).annotate(
            step_count=Count("steps", distinct=True),
            indicator_count=Count("indicators", distinct=True),
        )
    )
    children: dict = {}
    for process in processes:
        key = ("p", process.parent_id) if process.parent_id else ("m", process.mission_id)
        children.setdefault(key, []).append(process)

    def build(key, prefix: str, depth: int) -> list[TreeNode]:
        nodes = []
        for process in sorted(children.get(key, []), key=lambda p: p.position):
            number = f"{prefix}.{process.position}"
            process._number = number
            node = TreeNode(process, depth, number)
            node.children = build(("p", process.pk), number, depth + 1)
            nodes.append(node)
        return nodes

    return [(m, build(("m", m.pk), str(m.position), 0)) for m in missions]


def flatten(nodes: list[TreeNode]) -> list[TreeNode]:
    out: list[TreeNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def process_number(process: Process) -> str:
    """The dotted number of one process, from a single query over its edition's tree."""
    rows = {
        pk: (parent, pos, mission_pos)
        for pk, parent, pos, mission_pos in Process.objects.filter(
            edition_id=process.edition_id
        ).values_list("pk", "parent_id", "position", "mission__position")
    }
    parts, node = [], process.pk
    while node is not None:
        parent, pos, mission_pos = rows[node]
        parts.insert(0, pos)
        if parent is None:
            parts.insert(0, mission_pos)
        node = parent
    return ".".join(str(p) for p in parts)


def steps_for_process(*, process: Process):
    """Steps with everything Tables 3 and 5 print, in a fixed number of queries."""
    return (
        Step.objects.filter(process=process)
        .select_related("lane")
        .prefetch_related(
            "other_lanes",
            "forms",
            Prefetch(
                "outgoing",
                queryset=Flow.objects.select_related("target").order_by("position", "pk"),
            ),
        )
        .order_by("position")
    )


def step_number_map(*, process: Process) -> dict[int, int | None]:
    """Step pk -> the number Tables 3 and 5 print (None for start/end), in one query."""
    rows = list(
        Step.objects.filter(process=process).order_by("position", "pk").values_list("pk", "shape")
    )
    numbers = step_numbers(shape for _pk, shape in rows)
    return {pk: number for (pk, _shape), number in zip(rows, numbers, strict=True)}


def process_for_edit(*, pk: int) -> Process:
    """One process with its edition, manual, Table 2 rows and steps (fixed query count)."""
    process = (
        Process.objects.select_related("edition__manual__agency", "mission", "parent")
        .prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("kind", "position")),
            Prefetch("requirements", queryset=Requirement.objects.order_by("kind", "position")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("kind", "position")),
            Prefetch(
                "legal_requirements",
                queryset=LegalRequirement.objects.select_related("reference").order_by("position"),
            ),
            Prefetch("steps", queryset=steps_for_process(process=Process(pk=pk))),
        )
        .get(pk=pk)
    )
    process._number = process_number(process)
    return process


def lanes_of(*, edition: Edition) -> list[Lane]:
    return list(Lane.objects.filter(edition=edition).order_by("position"))


def forms_of(*, edition: Edition) -> list[Form]:
    return list(Form.objects.filter(edition=edition).order_by("code"))


@dataclass
class Health:
    """What a reviewer would send back: gaps the editor can fix before submitting."""

    processes_without_indicators: list[Process] = field(default_factory=list)
    steps_without_actor: list[Step] = field(default_factory=list)
    steps_without_duration: list[Step] = field(default_factory=list)
    unparsed_durations: list[Step] = field(default_factory=list)
    empty_columns: list[tuple[Process, list[str]]] = field(default_factory=list)
    # Citations of a law the planners marked replaced by a newer one (LegalRequirement rows).
    replaced_laws: list = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        return (
            len(self.replaced_laws)
            + len(self.processes_without_indicators)
            + len(self.steps_without_actor)
            + len(self.steps_without_duration)
            + len(self.unparsed_durations)
            + len(self.empty_columns)
        )


STEP_COLUMNS = (
    ("quality_standard", _("มาตรฐานคุณภาพงาน")),
    ("monitoring", _("ระบบติดตามประเมินผล")),
    ("references", _("เอกสารอ้างอิง")),
)


def edition_health(*, edition: Edition, tree) -> Health:
    """Gaps in an edition's content, listed, in four queries (the tree is already loaded); the
    rules are those of ``processes.health``, which the dashboard counts with."""
    health = Health()
    by_pk = {node.process.pk: node.process for _m, nodes in tree for node in flatten(nodes)}
    steps = list(
        Step.objects.filter(process__edition=edition)
        .annotate(
            form_count=Count("forms"),
            # the rules the dashboard counts with (processes.health): the two always agree
            no_actor=ExpressionWrapper(health_rules.STEP_WITHOUT_ACTOR, BooleanField()),
            no_duration=ExpressionWrapper(health_rules.STEP_WITHOUT_DURATION, BooleanField()),
            unparsed=ExpressionWrapper(health_rules.STEP_UNPARSED_DURATION, BooleanField()),
        )
        .only(
            "pk",
            "process_id",
            "position",
            "label",
            "detail",
            "shape",
            "lane_id",
            "duration_text",
            "duration_parsed",
            "quality_standard",
            "monitoring",
            "references",
        )
        .order_by("process_id", "position")
    )
    per_process: dict = {}
    for step in steps:
        step.process = by_pk.get(step.process_id)
        per_process.setdefault(step.process_id, []).append(step)
        if step.no_actor:
            health.steps_without_actor.append(step)
        if step.no_duration:
            health.steps_without_duration.append(step)
        if step.unparsed:
            health.unparsed_durations.append(step)
    without_indicators = set(
        Process.objects.filter(edition=edition)
        .filter(health_rules.PROCESS_WITHOUT_INDICATORS)
        .values_list("pk", flat=True)
    )
    table2 = {
        row["pk"]: row
        for row in Process.objects.filter(edition=edition)
        .annotate(
            n_stakeholders=Count("stakeholders", distinct=True),
            n_key=Count("requirements", filter=Q(requirements__kind="key"), distinct=True),
            n_legal=Count("legal_requirements", distinct=True),
        )
        .values("pk", "n_stakeholders", "n_key", "n_legal")
    }
    for pk, process in by_pk.items():
        empty = []
        # Table 2 belongs to a process; its sub-processes (Table 5) share their parent's.
        if pk in without_indicators:
            health.processes_without_indicators.append(process)
        if process.parent_id is None:
            counts = table2.get(pk, {})
            if counts.get("n_stakeholders") == 0:
                empty.append(_("ผู้เกี่ยวข้อง/ความต้องการ"))
            if counts.get("n_key") == 0:
                empty.append(_("ข้อกำหนดที่สำคัญ"))
            if counts.get("n_legal") == 0:
                empty.append(_("ข้อกำหนดด้านกฎหมาย"))
        own_steps = per_process.get(pk, [])
        if own_steps:
            for name, title in STEP_COLUMNS:
                if not any(getattr(s, name).strip() for s in own_steps):
                    empty.append(title)
            if not any(s.form_count for s in own_steps):
                empty.append(_("แบบฟอร์มที่ใช้"))
        if empty:
            health.empty_columns.append((process, empty))
    health.empty_columns.sort(key=lambda item: [int(p) for p in item[0].number.split(".")])
    if not edition.is_frozen:
        health.replaced_laws = list(
            LegalRequirement.objects.filter(
                process__edition=edition, reference__status=LegalReference.Status.REPLACED
            )
            .select_related("reference__replaced_by")
            .order_by("process_id", "position")
        )
        for row in health.replaced_laws:
            row.process = by_pk.get(row.process_id, row.process)
    return health


# --- history ----------------------------------------------------------------------------------


@dataclass
class Change:
    """One recorded change: who, when, which row, and each field's old → new value."""

    when: object
    who: object
    model_name: str
    row_label: str
    action: str  # "+", "~" or "-"
    fields: list[tuple[str, str, str]]


HIDDEN_FIELDS = {"id", "version", "lineage", "edition", "process", "mission", "source"}


def _display(field_obj, value, names: dict) -> str:
    if value is None or value == "":
        return ""
    if field_obj.is_relation:
        return names.get((field_obj.related_model, value), f"#{ui_digits(value)}")
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    return str(value)


def _changes(sources, names: dict, limit: int) -> list[Change]:
    out: list[Change] = []
    for model, queryset in sources:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in HIDDEN_FIELDS and (f.editable or f.name == "position")
        ]
        previous: dict = {}
        for record in queryset.select_related("history_user").order_by(
            "id", "history_date", "history_id"
        ):
            before = previous.get(record.id)
            previous[record.id] = record
            action = {"+": "+", "-": "-"}.get(record.history_type, "~")
            changed = []
            for f in fields:
                new = getattr(record, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if action == "~" and before is not None and old == new:
                    continue
                if action == "+" and (new is None or new == ""):
                    continue
                if action == "-":
                    continue
                shown_old, shown_new = _display(f, old, names), _display(f, new, names)
                # a long text's change shows its words, not both texts cut at 200 characters
                # (short values read best as old → new)
                diff = (
                    diff_words_brief(shown_old, shown_new)
                    if action == "~"
                    and isinstance(new, str)
                    and not f.choices
                    and shown_old
                    and max(len(shown_old), len(shown_new)) > 80
                    else None
                )
                changed.append((str(f.verbose_name), shown_old, shown_new, diff))
            if action == "~" and not changed:
                continue
            label = str(getattr(record, "label", "") or getattr(record, "name", "") or "")
            if not label:
                label = str(
                    getattr(record, "term", "")
                    or getattr(record, "short", "")
                    or getattr(record, "statement", "")
                    or getattr(record, "text", "")
                    or getattr(record, "holder", "")
                    or getattr(record, "code", "")
                    or getattr(record, "detail", "")
                )[:80]
            if model is Step:
                label = f"{ui_digits(record.position)}. {label}"
            out.append(
                Change(
                    when=record.history_date,
                    who=record.history_user,
                    model_name=str(model._meta.verbose_name),
                    row_label=label,
                    action=action,
                    fields=changed,
                )
            )
    out.sort(key=lambda c: c.when, reverse=True)
    return out[:limit]


def _names(edition_id: int, process_ids) -> dict:
    from manuals.models import LegalReference

    names: dict = {}
    for pk, name in Lane.history.filter(edition_id=edition_id).values_list("id", "name"):
        names[(Lane, pk)] = name
    for pk, position, label in Step.history.filter(process_id__in=process_ids).values_list(
        "id", "position", "label"
    ):
        names[(Step, pk)] = f"{position}. {label}"
    for pk, code in Form.history.filter(edition_id=edition_id).values_list("id", "code"):
        names[(Form, pk)] = code
    for ref in LegalReference.objects.filter(
        pk__in=LegalRequirement.history.filter(process_id__in=process_ids).values("reference_id")
    ):
        names[(LegalReference, ref.pk)] = ref.citation
    for pk, name in Process.history.filter(edition_id=edition_id).values_list("id", "name"):
        names[(Process, pk)] = name
    return names


def _process_sources(process_ids):
    step_ids = Step.history.filter(process_id__in=process_ids).values("id")
    return [
        (Step, Step.history.filter(process_id__in=process_ids)),
        (Flow, Flow.history.filter(source_id__in=step_ids)),
        (Stakeholder, Stakeholder.history.filter(process_id__in=process_ids)),
        (Requirement, Requirement.history.filter(process_id__in=process_ids)),
        (Indicator, Indicator.history.filter(process_id__in=process_ids)),
        (LegalRequirement, LegalRequirement.history.filter(process_id__in=process_ids)),
    ]


def process_history(*, process: Process, limit: int = 300) -> list[Change]:
    """Every recorded change of one process and its rows, newest first."""
    ids = [process.pk]
    sources = [(Process, Process.history.filter(id=process.pk)), *_process_sources(ids)]
    return _changes(sources, _names(process.edition_id, ids), limit)


def edition_history(*, edition: Edition, limit: int = 300) -> list[Change]:
    """Every recorded change of an edition's content, newest first."""
    from manuals.models import Abbreviation, Definition, Responsibility

    ids = list(
        Process.history.filter(edition_id=edition.pk).values_list("id", flat=True).distinct()
    )
    sources = [
        (Edition, Edition.history.filter(id=edition.pk)),
        (Mission, Mission.history.filter(edition_id=edition.pk)),
        (Process, Process.history.filter(edition_id=edition.pk)),
        (Lane, Lane.history.filter(edition_id=edition.pk)),
        (Form, Form.history.filter(edition_id=edition.pk)),
        (Definition, Definition.history.filter(edition_id=edition.pk)),
        (Abbreviation, Abbreviation.history.filter(edition_id=edition.pk)),
        (Responsibility, Responsibility.history.filter(edition_id=edition.pk)),
        *_process_sources(ids),
    ]
    return _changes(sources, _names(edition.pk, ids), limit)
