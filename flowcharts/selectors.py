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
