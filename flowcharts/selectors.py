"""The chart spec of a process, read from the database in two queries."""

from __future__ import annotations

from collections.abc import Callable

from .spec import ChartFlow, ChartLane, ChartSpec, ChartStep


def chart_lanes(*, edition, lanes=None) -> tuple[dict[int, object], list]:
    """How an edition's charts place actors: ``(drawn_lane_of, lane_set)``.

    ``drawn_lane_of[lane.pk]`` is the lane a step of that actor is drawn in: with unit lanes
    (``Edition.chart_lane_mode`` UNIT, the default) a position's unit when it has one, else the
    actor's own lane. ``lane_set`` is the manual's lane set in its order: the drawn lanes of the
    actors marked ``always_show``, which every chart shows even without a step in them.
    """
    from manuals.models import ChartLaneMode, Lane

    if lanes is None:
        lanes = list(Lane.objects.filter(edition=edition).order_by("position", "pk"))
    by_pk = {lane.pk: lane for lane in lanes}
    units = edition.chart_lane_mode == ChartLaneMode.UNIT
    drawn: dict[int, object] = {}
    for lane in lanes:
        unit = by_pk.get(lane.unit_id) if units and lane.unit_id else None
        drawn[lane.pk] = unit or lane
    always = {drawn[lane.pk].pk for lane in lanes if lane.always_show}
    lane_set = [lane for lane in lanes if lane.pk in always]
    return drawn, lane_set


def edition_lanes(*, edition) -> list:
    """The lanes of an edition in chart order, each with its unit, in one query."""
    from manuals.models import Lane

    return list(
        Lane.objects.filter(edition=edition).select_related("unit").order_by("position", "pk")
    )


def _lane_order(lane) -> tuple[int, int]:
    return (lane.position, lane.pk)


def chart_spec_for_process(process, *, step_url: Callable | None = None) -> ChartSpec:
    """Table 4 of one process: its steps in order, drawn in the lanes the manual chooses (units
    or positions, ``chart_lanes``), the manual's lane set shown even where the process has no
    step, under the edition's group header; and its flows. Three queries: the edition's lanes,
    the steps, the flows (the edition itself comes with ``process`` when it was selected with
    it). ``step_url(step)`` gives each node's link (e.g. to the step editor)."""
    from manuals.models import Lane
    from processes.models import Flow, Step

    edition = process.edition
    drawn, lane_set = chart_lanes(edition=edition)
    steps = list(Step.objects.filter(process=process).order_by("position", "pk"))
    flows = list(
        Flow.objects.filter(source__process=process, target__process=process)
        .order_by("position", "pk")
        .values_list("source_id", "target_id", "label", "kind")
    )
    shown: dict[int, object] = {lane.pk: lane for lane in lane_set}
    step_lane: dict[int, str] = {}
    for step in steps:
        lane = drawn.get(step.lane_id) if step.lane_id is not None else None
        if lane is not None:
            shown.setdefault(lane.pk, lane)
            step_lane[step.pk] = str(lane.pk)
    ordered_lanes = sorted(shown.values(), key=_lane_order)
    header = (edition.chart_lane_header or "").strip()
    return ChartSpec(
        title=process.name,
        lanes=tuple(
            ChartLane(str(lane.pk), lane.name, grouped=lane.kind != Lane.Kind.OUTSIDE)
            for lane in ordered_lanes
        ),
        steps=tuple(
            ChartStep(
                key=str(step.pk),
                lane=step_lane.get(step.pk, ""),
                shape=step.shape,
                label=step.chart_label,
                detail=step.detail,
                duration=step.duration_text,
                headcount=step.headcount,
                headcount_text=step.headcount_text,
                same_row=step.same_row,
                url=step_url(step) if step_url else "",
            )
            for step in steps
        ),
        flows=tuple(
            ChartFlow(str(source), str(target), label or "", kind or "flow")
            for source, target, label, kind in flows
        ),
        lane_header=header,
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
