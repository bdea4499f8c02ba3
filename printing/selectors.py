"""Reads for the printed manual: a whole edition in a fixed number of queries.

``printable_edition`` loads every row the PDF shows (missions, processes and sub-processes,
Table 2 rows, steps with their lanes, forms and flows, the back matter) and hangs them on the
process objects as plain lists, so the templates never touch the database again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from manuals.models import (
    Abbreviation,
    Definition,
    Edition,
    LegalReference,
    Responsibility,
)
from printing.models import PdfExport
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
from processes.numbering import number_steps


@dataclass
class PrintableEdition:
    """Everything the printed manual shows, already ordered."""

    edition: Edition
    missions: list[Mission]
    processes: list[Process]  # top-level processes in print order
    table5_processes: list[Process]  # sub-processes, or a process that has none
    definitions: list[Definition]
    abbreviations: list[Abbreviation]
    responsibilities: list[Responsibility]
    legal_references: list  # LegalRequirement rows, one per law cited, deduplicated
    step_count: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def agency(self):
        return self.edition.manual.agency


def printable_edition(*, edition_id: int) -> PrintableEdition:
    """The edition with all its content, in 14 queries whatever its size."""
    edition = Edition.objects.select_related("manual__agency__parent").get(pk=edition_id)
    missions = list(Mission.objects.filter(edition=edition).order_by("position", "pk"))
    mission_by_id = {m.pk: m for m in missions}
    processes = list(
        Process.objects.filter(edition=edition).order_by("parent_id", "position", "pk")
    )
    by_id = {p.pk: p for p in processes}
    children: dict[int | None, list[Process]] = defaultdict(list)
    for process in processes:
        process.mission = mission_by_id[process.mission_id]
        process.parent = by_id.get(process.parent_id)
        children[process.parent_id].append(process)
        for name in ("stakeholder_list", "requirement_list", "indicator_list", "legal_list"):
            setattr(process, name, [])
        process.step_list = []
    for process in processes:
        process.child_list = sorted(children.get(process.pk, []), key=lambda p: p.position)
        process._number = ".".join(str(p) for p in process.number_parts)

    def _hang(rows, attr):
        for row in rows:
            getattr(by_id[row.process_id], attr).append(row)

    _hang(
        sorted(
            Stakeholder.objects.filter(process__edition=edition),
            key=lambda row: (row.process_id, *Stakeholder.print_key(row)),
        ),
        "stakeholder_list",
    )
    _hang(
        Requirement.objects.filter(process__edition=edition).order_by("process", "position", "pk"),
        "requirement_list",
    )
    _hang(
        Indicator.objects.filter(process__edition=edition).order_by("process", "position", "pk"),
        "indicator_list",
    )
    legal_rows = list(
        LegalRequirement.objects.filter(process__edition=edition)
        .select_related("reference")
        .order_by("process", "position", "pk")
    )
    _hang(legal_rows, "legal_list")

    steps = list(
        Step.objects.filter(process__edition=edition)
        .select_related("lane")
        .prefetch_related("other_lanes", "forms")
        .order_by("process", "position", "pk")
    )
    step_by_id = {}
    for step in steps:
        by_id[step.process_id].step_list.append(step)
        step.flow_list = []
        step_by_id[step.pk] = step
    for process in processes:
        number_steps(process.step_list)
    for flow in Flow.objects.filter(source__process__edition=edition).order_by(
        "source", "position", "pk"
    ):
        source = step_by_id.get(flow.source_id)
        flow.target_step = step_by_id.get(flow.target_id)
        if source is not None and flow.target_step is not None:
            source.flow_list.append(flow)

    mission_pos = {m.pk: m.position for m in missions}
    top = sorted(
        children.get(None, []), key=lambda p: (mission_pos[p.mission_id], p.position, p.pk)
    )
    for mission in missions:
        mission.process_list = [p for p in top if p.mission_id == mission.pk]
    ordered: list[Process] = []
    table5: list[Process] = []

    def _walk(process):
        if process.child_list:
            # a sub-process with steps of its own and sub-processes under it (๔.๑.๔ with
            # ๔.๑.๔.๑): its Table 5 comes before theirs
            if process.step_list and process.parent_id is not None:
                table5.append(process)
            for child in process.child_list:
                _walk(child)
        elif process.step_list or process.parent_id is not None:
            table5.append(process)

    for process in top:
        ordered.append(process)
        _walk(process)

    # The citations as the edition cites them (frozen at publication: row.citation), one each.
    seen: set[int] = set()
    references = []
    for row in legal_rows:
        if row.reference_id not in seen:
            seen.add(row.reference_id)
            references.append(row)
    kind_order = {value: i for i, (value, _label) in enumerate(LegalReference.Kind.choices)}
    references.sort(
        key=lambda r: (kind_order.get(r.reference.kind, 99), r.citation, r.reference.year_be or 0)
    )

    return PrintableEdition(
        edition=edition,
        missions=missions,
        processes=ordered,
        table5_processes=table5,
        definitions=list(Definition.objects.filter(edition=edition).order_by("position", "pk")),
        abbreviations=list(Abbreviation.objects.filter(edition=edition).order_by("position", "pk")),
        responsibilities=list(
            Responsibility.objects.filter(edition=edition).order_by("position", "pk")
        ),
        legal_references=references,
        step_count=len(steps),
    )


def export_get(*, export_id: int) -> PdfExport:
    return PdfExport.objects.select_related("edition__manual__agency").get(pk=export_id)


def export_latest_for_edition(*, edition: Edition) -> PdfExport | None:
    return PdfExport.objects.filter(edition=edition).order_by("-created_at", "-pk").first()
