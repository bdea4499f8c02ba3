"""The swimlane chart as drawn: lanes, rows, arrows, labels, determinism."""

from __future__ import annotations

import pytest

from flowcharts.layout import compute_layout
from flowcharts.render import render
from flowcharts.samples import saraban_spec, synthetic_spec
from flowcharts.spec import (
    UNASSIGNED_LANE_NAME,
    ChartFlow,
    ChartLane,
    ChartSpec,
    ChartStep,
    effective_flows,
)

from .svgparse import bbox, by_id, centre, groups, parse, texts


def test_effective_flows_implicit_explicit_and_data():
    steps = (
        ChartStep("a", "x", "start", ""),
        ChartStep("b", "x", "activity", "ทำ"),
        ChartStep("c", "x", "decision", "พิจารณา"),
        ChartStep("d", "x", "activity", "ลงนาม"),
        ChartStep("e", "x", "end", ""),
        ChartStep("f", "x", "activity", "หลังสิ้นสุด"),
    )
    flows = (
        ChartFlow("c", "d", "อนุมัติ"),
        ChartFlow("c", "b", "ไม่อนุมัติ"),
        ChartFlow("a", "d", kind="data"),
    )
    got = [(f.source, f.target, f.label, f.kind) for f in effective_flows(steps, flows)]
    assert got == [
        ("a", "b", "", "flow"),  # implicit next kept despite a data flow
        ("a", "d", "", "data"),
        ("b", "c", "", "flow"),
        ("c", "d", "อนุมัติ", "flow"),  # explicit branches replace the implicit next
        ("c", "b", "ไม่อนุมัติ", "flow"),
        ("d", "e", "", "flow"),
        # e is an end step and f the last: no implicit arrows
    ]


@pytest.mark.parametrize("shape", ["document", "multi_document", "database"])
def test_side_input_document_gets_only_its_dashed_arrow(shape):
    # ๑.๑ of the reference manual: a letter (document) feeds "รับเรื่อง" by a dashed arrow; it
    # must not also get the implicit solid arrow to the next step (a double arrow).
    steps = (
        ChartStep("start", "x", "start", ""),
        ChartStep("doc", "x", shape, "เอกสาร"),
        ChartStep("recv", "x", "activity", "รับเรื่อง"),
        ChartStep("file", "x", shape, "แฟ้มเรื่อง"),  # no outgoing flows: still in the line
        ChartStep("end", "x", "end", ""),
    )
    flows = (ChartFlow("start", "recv"), ChartFlow("doc", "recv", kind="data"))
    got = [(f.source, f.target, f.kind) for f in effective_flows(steps, flows)]
    assert got == [
        ("start", "recv", "flow"),
        ("doc", "recv", "data"),
        ("recv", "file", "flow"),
        ("file", "end", "flow"),
    ]
    # an activity with only a data flow keeps its implicit next (the existing rule)
    activity = (steps[0], ChartStep("doc", "x", "activity", "ส่ง"), *steps[2:])
    got = [(f.source, f.target, f.kind) for f in effective_flows(activity, flows)]
    assert ("doc", "recv", "flow") in got and ("doc", "recv", "data") in got
    root = parse(render(ChartSpec("t", (ChartLane("x", "ฝ่าย"),), steps, flows), "svg"))
    assert len(groups(root, "flow")) == 4


def _step_groups(root):
    return list(groups(root, "step"))


@pytest.mark.parametrize("spec", [saraban_spec(), synthetic_spec(30, 6)], ids=["saraban", "synth"])
def test_steps_sit_in_their_lane_and_row(spec):
    root = parse(render(spec, "svg"))
    layout = compute_layout(spec)
    steps = _step_groups(root)
    assert len(steps) == len(spec.steps)
    lane_index = {lane.key: i for i, lane in enumerate(spec.lanes)}
    for i, step in enumerate(spec.steps):
        node = by_id(root, f"step-{i}")
        x, y = centre(node)
        lx0, _, lx1, _ = bbox(by_id(root, f"lane-col-{lane_index[step.lane]}"))
        _, ry0, _, ry1 = bbox(by_id(root, f"row-{i}"))
        assert lx0 < x < lx1, (step.label, x, lx0, lx1)
        assert ry0 < y < ry1, (step.label, y, ry0, ry1)
        # the node's outline stays inside its lane's band
        nx0, _, nx1, _ = bbox(node)
        assert lx0 < nx0 and nx1 < lx1
    assert layout.boxes[0].step.key == spec.steps[0].key


def test_lane_headers_in_order_and_unassigned_lane_added():
    spec = ChartSpec(
        "t",
        (ChartLane("a", "ฝ่ายบริหารงานทั่วไป"), ChartLane("b", "ผู้อำนวยการกอง")),
        (
            ChartStep("1", "a", "start", ""),
            ChartStep("2", "zzz", "activity", "ไม่มีเลน"),
            ChartStep("3", "b", "end", ""),
        ),
        (),
    )
    root = parse(render(spec, "svg"))
    heads = ["".join(texts(by_id(root, f"lane-head-{i}"))) for i in range(3)]
    assert heads == ["ฝ่ายบริหารงานทั่วไป", "ผู้อำนวยการกอง", UNASSIGNED_LANE_NAME]
    x, _ = centre(by_id(root, "step-1"))
    lx0, _, lx1, _ = bbox(by_id(root, "lane-col-2"))
    assert lx0 < x < lx1


def test_edges_and_labels_match_effective_flows():
    spec = saraban_spec()
    root = parse(render(spec, "svg"))
    flows = effective_flows(spec.steps, spec.flows)
    edges = groups(root, "flow")
    assert len(edges) == len(flows)
    for i, flow in enumerate(flows):
        edge = by_id(root, f"flow-{i}")
        assert ("kind-data" in edge.get("class")) == (flow.kind == "data")
        if flow.label:
            assert "".join(texts(by_id(root, f"flow-{i}-label"))) == flow.label
    labels = ["".join(texts(g)) for g in groups(root, "flow-label")]
    assert sorted(labels) == sorted(f.label for f in flows if f.label)
    # dashed arrows for data
    data = [g for g in edges if "kind-data" in g.get("class")]
    assert data
    for g in data:
        paths = list(g.iter("{http://www.w3.org/2000/svg}path"))
        assert paths and all(p.get("stroke-dasharray") for p in paths)


def test_header_and_left_columns_show_thai_digits():
    root = parse(render(saraban_spec(), "svg"))
    assert "".join(texts(by_id(root, "head-duration"))) == "ระยะเวลา"
    assert "".join(texts(by_id(root, "head-headcount"))) == "จำนวนผู้ปฏิบัติงาน(คน)"
    assert "".join(texts(by_id(root, "row-2"))) == "๕ นาที"
    assert "".join(texts(by_id(root, "count-10"))) == "๒"


def test_tooltip_and_link():
    spec = ChartSpec(
        "t",
        (ChartLane("a", "ก"),),
        (
            ChartStep(
                "1", "a", "activity", "รับเรื่อง", detail="รายละเอียด & <ยาว>", url="/s/1?x=1&y=2"
            ),
            ChartStep("2", "a", "activity", "ส่ง", url="javascript:alert(1)"),
        ),
        (),
    )
    svg = render(spec, "svg")
    root = parse(svg)
    links = list(root.iter("{http://www.w3.org/2000/svg}a"))
    hrefs = [a.get("{http://www.w3.org/1999/xlink}href") for a in links]
    assert "/s/1?x=1&y=2" in hrefs
    assert not any(h and h.startswith("javascript") for h in hrefs)
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in links]
    assert "รายละเอียด & <ยาว>" in titles
    target = [a.get("target") for a in links if a.get("{http://www.w3.org/1999/xlink}href")]
    assert target == ["_top"]


def test_same_spec_gives_identical_dot_and_svg():
    from flowcharts.layout import build_dot

    spec = synthetic_spec(25, 5)
    assert build_dot(spec) == build_dot(spec)
    first = render(spec, "svg", use_cache=False)
    second = render(spec, "svg", use_cache=False)
    assert first == second


def test_back_edges_avoid_other_steps():
    """No arrow segment passes through a step it does not start or end at."""
    spec = synthetic_spec(40, 6)
    layout = compute_layout(spec)
    for route in layout.routes:
        for (x0, y0), (x1, y1) in zip(route.points, route.points[1:], strict=False):
            for box in layout.boxes:
                if box.index in (route.source, route.target):
                    continue
                bx0, bx1 = box.x - box.w / 2, box.x + box.w / 2
                by0, by1 = box.y - box.h / 2, box.y + box.h / 2
                crosses = (
                    min(x0, x1) < bx1
                    and max(x0, x1) > bx0
                    and min(y0, y1) < by1
                    and max(y0, y1) > by0
                )
                assert not crosses, (route.flow, box.step.label)


def test_loop_back_into_a_decision_comes_over_the_top():
    # ๑.๔.๒: "ไม่เห็นชอบ" leaves the diamond's left side to "ดำเนินการแก้ไข", which loops back;
    # the loop must not come into that same corner, nor cross the branch
    lanes = (ChartLane("staff", "จพง.พัสดุ"), ChartLane("boss", "ผู้อำนวยการกอง"))
    steps = (
        ChartStep("a", "staff", "activity", "จัดทำรายละเอียด"),
        ChartStep("d", "boss", "decision", "รายงานขอจัดซื้อ"),
        ChartStep("fix", "staff", "activity", "ดำเนินการแก้ไข"),
        ChartStep("next", "staff", "activity", "แต่งตั้งคณะกรรมการ"),
    )
    flows = (
        ChartFlow("d", "fix", "ไม่เห็นชอบ"),
        ChartFlow("d", "next", "เห็นชอบ"),
        ChartFlow("fix", "d"),
    )
    layout = compute_layout(ChartSpec("t", lanes, steps, flows))
    routes = {(r.flow.source, r.flow.target): r for r in layout.routes}
    branch, loop = routes[("d", "fix")], routes[("fix", "d")]
    assert branch.exit_side == "left"
    assert loop.entry_side == "top" and loop.exit_side == "left"
    # the loop's vertical run lies left of the branch's, so they do not cross
    assert max(x for x, _ in loop.points[:-2]) < min(x for x, _ in branch.points)


def test_duration_cell_keeps_the_writers_lines():
    spec = ChartSpec(
        "t",
        (ChartLane("x", "ฝ่าย"),),
        (ChartStep("a", "x", "activity", "ทำ", duration="3 วัน\n15-30 วัน\r\nเป็นไปตามระเบียบ"),),
        (),
    )
    duration, _count = compute_layout(spec).cells[0]
    assert duration[:2] == ("๓ วัน", "๑๕-๓๐ วัน")
    assert "".join(duration[2:]) == "เป็นไปตามระเบียบ"


def test_arrows_into_a_top_keep_a_straight_run_for_the_head():
    """With compact rows, an arrow turning down into a step's top (a jog above it, a loop
    coming over it) still ends in a vertical run at least as long as its arrowhead."""
    from flowcharts.layout import ARROW_LEN

    for spec in (synthetic_spec(40, 6), synthetic_spec(40, 3, salt=1), saraban_spec()):
        layout = compute_layout(spec)
        for route in layout.routes:
            if route.entry_side != "top" or len(route.points) < 2:
                continue
            (x0, y0), (x1, y1) = route.points[-2], route.points[-1]
            assert abs(x0 - x1) < 0.01 and y1 - y0 >= ARROW_LEN, (route.kind, route.points)
