"""The chart spec of a process, read from the database in two queries."""

from __future__ import annotations

from collections.abc import Callable

from .spec import ChartFlow, ChartLane, ChartSpec, ChartStep


def chart_spec_for_process(process, *, step_url: Callable | None = None) -> ChartSpec:
    """Table 4 of one process: its steps in order (lanes by their position in the edition) and
    its flows. One query for steps with their lanes, one for flows; ``step_url(step)`` gives
    each node's link (e.g. to the step editor)."""
    from processes.models import Flow, Step

    steps = list(
        Step.objects.filter(process=process).select_related("lane").order_by("position", "pk")
    )
    flows = list(
        Flow.objects.filter(source__process=process, target__process=process)
        .order_by("position", "pk")
        .values_list("source_id", "target_id", "label", "kind")
    )
    lanes: dict[int, object] = {}
    for step in steps:
        if step.lane_id is not None and step.lane_id not in lanes:
            lanes[step.lane_id] = step.lane
    ordered_lanes = sorted(lanes.values(), key=lambda lane: (lane.position, lane.pk))
    return ChartSpec(
        title=process.name,
        lanes=tuple(ChartLane(str(lane.pk), lane.name) for lane in ordered_lanes),
        steps=tuple(
            ChartStep(
                key=str(step.pk),
                lane=str(step.lane_id) if step.lane_id is not None else "",
                shape=step.shape,
                label=step.chart_label,
                detail=step.detail,
                duration=step.duration_text,
                headcount=step.headcount,
                url=step_url(step) if step_url else "",
            )
            for step in steps
        ),
        flows=tuple(
            ChartFlow(str(source), str(target), label or "", kind or "flow")
            for source, target, label, kind in flows
        ),
    )


def process_for_chart(*, pk: int):
    """A process with what its chart page needs up front: edition, manual and agency (for the
    permission check) and the parents and mission its number is made of."""
    from processes.models import Process

    return Process.objects.select_related(
        "edition__manual__agency",
        "mission",
        "parent__mission",
        "parent__parent__mission",
        "parent__parent__parent",
    ).get(pk=pk)


def edition_processes(*, edition) -> list:
    """Every process and sub-process of an edition in number order (๑.๑, ๑.๑.๑, ๑.๑.๒, ๑.๒ …),
    each with ``number`` worked out in one query instead of a walk up its parents."""
    from processes.models import Process

    processes = list(Process.objects.filter(edition=edition).select_related("mission"))
    by_pk = {process.pk: process for process in processes}
    parts: dict[int, tuple[int, ...]] = {}

    def number_parts(process) -> tuple[int, ...]:
        if process.pk not in parts:
            parent = by_pk.get(process.parent_id) if process.parent_id else None
            if parent is None:
                parts[process.pk] = (process.mission.position, process.position)
            else:
                parts[process.pk] = (*number_parts(parent), process.position)
        return parts[process.pk]

    for process in processes:
        process._number = ".".join(str(part) for part in number_parts(process))
    return sorted(processes, key=lambda process: (parts[process.pk], process.pk))


def sub_processes(*, process) -> list:
    """The direct sub-processes of a process (๑.๑ → ๑.๑.๑, ๑.๑.๒ …), numbered, in one query."""
    children = list(process.children.order_by("position", "pk"))
    for child in children:
        child._number = f"{process.number}.{child.position}"
    return children
