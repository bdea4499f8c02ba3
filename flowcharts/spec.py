"""What a chart shows, independent of the Django models: lanes, steps and flows.

A ``ChartSpec`` is plain frozen data, so it can be hashed for the render cache, built in tests
without a database and split into pages (``paging.paginate``).
"""

from __future__ import annotations

from dataclasses import dataclass

SHAPE_NAMES = (
    "start",
    "end",
    "activity",
    "decision",
    "subprocess",
    "document",
    "multi_document",
    "database",
    "connector",
)
FLOW_KINDS = ("flow", "data")
# Symbols that stand for a document or data rather than work: when their only outgoing arrows
# are dashed data arrows they are a side input (a letter feeding a step), not part of the line
# of work, so they get no implicit solid arrow to the next step.
DATA_SHAPES = frozenset({"document", "multi_document", "database"})

UNASSIGNED_LANE_KEY = "__unassigned__"
UNASSIGNED_LANE_NAME = "ไม่ระบุผู้รับผิดชอบ"


@dataclass(frozen=True)
class ChartLane:
    key: str
    name: str
    # Under the chart's group header ("หน่วยงาน" or the agency's name); outside bodies (สงม.,
    # สยป.) stand beside the group, their name spanning both header rows.
    grouped: bool = True


@dataclass(frozen=True)
class ChartStep:
    key: str
    lane: str
    shape: str
    label: str
    detail: str = ""
    duration: str = ""
    headcount: int | None = None
    url: str = ""
    headcount_text: str = ""  # as the manual writes it ("๓-๕ คน"); shown instead of the number
    # Drawn in the previous step's time row (a sign-off chain in one row) when its lane is free.
    same_row: bool = False


@dataclass(frozen=True)
class ChartFlow:
    source: str
    target: str
    label: str = ""
    kind: str = "flow"  # "flow" (solid arrow) or "data" (dashed: document/data in or out)


@dataclass(frozen=True)
class ChartSpec:
    title: str
    lanes: tuple[ChartLane, ...]
    steps: tuple[ChartStep, ...]
    flows: tuple[ChartFlow, ...]
    # False when every flow is listed explicitly (the pages made by ``paging.paginate``).
    implicit_next: bool = True
    # The header row over the grouped lanes; empty: no group row.
    lane_header: str = ""


def effective_flows(
    steps: tuple[ChartStep, ...] | list[ChartStep],
    flows: tuple[ChartFlow, ...] | list[ChartFlow],
    *,
    implicit_next: bool = True,
) -> list[ChartFlow]:
    """The arrows a chart draws, in a stable order.

    A step with no explicit outgoing "flow"-kind flow flows on to the next step in order (except
    end steps and the last step). Explicit flows (a decision's labelled branches, loops back)
    replace that implicit arrow; "data" flows are extra and do not suppress it, except on a
    document / multi-document / database step whose only outgoing flows are "data" flows (a
    side input: one dashed arrow, not a dashed and a solid one). Flows naming a step that is
    not in ``steps`` are dropped, and exact duplicates are drawn once.
    """
    keys = {step.key for step in steps}
    explicit: dict[str, list[ChartFlow]] = {}
    for flow in flows:
        if flow.source in keys and flow.target in keys:
            explicit.setdefault(flow.source, []).append(flow)
    result: list[ChartFlow] = []
    seen: set[ChartFlow] = set()
    for index, step in enumerate(steps):
        own = explicit.get(step.key, [])
        has_flow = any(flow.kind != "data" for flow in own)
        side_input = bool(own) and not has_flow and step.shape in DATA_SHAPES
        if (
            implicit_next
            and not has_flow
            and not side_input
            and step.shape != "end"
            and index + 1 < len(steps)
        ):
            own = [ChartFlow(step.key, steps[index + 1].key), *own]
        for flow in own:
            if flow.kind not in FLOW_KINDS:
                flow = ChartFlow(flow.source, flow.target, flow.label, "flow")
            if flow not in seen:
                seen.add(flow)
                result.append(flow)
    return result


def normalized_lanes(spec: ChartSpec) -> tuple[ChartLane, ...]:
    """The spec's lanes (first of each key), plus "ไม่ระบุผู้รับผิดชอบ" at the right if needed."""
    lanes: list[ChartLane] = []
    seen: set[str] = set()
    for lane in spec.lanes:
        if lane.key not in seen:
            seen.add(lane.key)
            lanes.append(lane)
    if any(step.lane not in seen for step in spec.steps):
        lanes.append(ChartLane(UNASSIGNED_LANE_KEY, UNASSIGNED_LANE_NAME))
    return tuple(lanes)


def lane_of(step: ChartStep, lane_keys: set[str]) -> str:
    return step.lane if step.lane in lane_keys else UNASSIGNED_LANE_KEY
