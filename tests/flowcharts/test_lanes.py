"""Lanes as the official manuals have them: unit lanes, the manual's lane set, a group header,
sign-off chains in one row, headcount as written."""

from __future__ import annotations

import pytest

from flowcharts.layout import compute_layout
from flowcharts.render import render
from flowcharts.selectors import chart_spec_for_process
from flowcharts.spec import ChartLane, ChartSpec, ChartStep
from manuals.models import ChartLaneMode, Lane
from tests.factories import LaneFactory, ProcessFactory, StepFactory

from .svgparse import bbox, by_id, groups, parse, texts


def _manual_lanes(edition):
    """Seed 000's lanes: two units, a director, an outside body; positions inside the unit."""
    unit = LaneFactory(edition=edition, name="ฝ่ายบริหารงานทั่วไป", kind=Lane.Kind.UNIT, position=1)
    boss = LaneFactory(edition=edition, name="ผู้อำนวยการกอง", position=2, always_show=True)
    secretary = LaneFactory(edition=edition, name="เลขานุการสำนัก", position=3, always_show=True)
    outside = LaneFactory(
        edition=edition, name="สงม.", kind=Lane.Kind.OUTSIDE, position=4, always_show=True
    )
    clerk = LaneFactory(edition=edition, name="จพง.ธุรการ", position=5, unit=unit)
    head = LaneFactory(edition=edition, name="หัวหน้าฝ่ายบริหารงานทั่วไป", position=6, unit=unit)
    return unit, boss, secretary, outside, clerk, head


@pytest.mark.django_db
def test_lane_set_drawn_for_a_process_without_steps_in_those_lanes():
    process = ProcessFactory()
    unit, boss, secretary, outside, clerk, _head = _manual_lanes(process.edition)
    StepFactory(process=process, position=1, lane=clerk, label="รับเรื่อง")
    StepFactory(process=process, position=2, lane=clerk, label="ลงทะเบียนรับ")
    spec = chart_spec_for_process(process)
    # the process has steps only in the clerk's unit; the lane set is drawn all the same
    assert [lane.name for lane in spec.lanes] == [
        "ฝ่ายบริหารงานทั่วไป",
        "ผู้อำนวยการกอง",
        "เลขานุการสำนัก",
        "สงม.",
    ]
    root = parse(render(spec, "svg"))
    heads = ["".join(texts(g)) for g in groups(root, "lane-head")]
    assert heads == ["ฝ่ายบริหารงานทั่วไป", "ผู้อำนวยการกอง", "เลขานุการสำนัก", "สงม."]


@pytest.mark.django_db
def test_a_positions_step_is_drawn_in_its_units_lane():
    process = ProcessFactory()
    unit, boss, *_rest, clerk, head = _manual_lanes(process.edition)
    steps = [
        StepFactory(process=process, position=1, lane=clerk, label="รับเรื่อง"),
        StepFactory(process=process, position=2, lane=head, label="เสนอเพื่อสั่งการ"),
        StepFactory(process=process, position=3, lane=boss, label="พิจารณา"),
    ]
    spec = chart_spec_for_process(process)
    assert [s.lane for s in spec.steps] == [str(unit.pk), str(unit.pk), str(boss.pk)]
    assert "จพง.ธุรการ" not in [lane.name for lane in spec.lanes]
    # position lanes: the positions come back, one lane each (and the lane set stays)
    edition = process.edition
    edition.chart_lane_mode = ChartLaneMode.POSITION
    edition.save()
    process.refresh_from_db()
    spec = chart_spec_for_process(process)
    assert [s.lane for s in spec.steps] == [str(s.lane_id) for s in steps]
    names = [lane.name for lane in spec.lanes]
    assert names == ["ผู้อำนวยการกอง", "เลขานุการสำนัก", "สงม.", "จพง.ธุรการ", "หัวหน้าฝ่ายบริหารงานทั่วไป"]


@pytest.mark.django_db
def test_group_header_spans_the_units_not_the_outside_body():
    process = ProcessFactory()
    edition = process.edition
    edition.chart_lane_header = "สำนักพัฒนาสังคม"
    edition.save()
    process.refresh_from_db()
    *_lanes, clerk, _head = _manual_lanes(edition)
    StepFactory(process=process, position=1, lane=clerk, label="รับเรื่อง")
    root = parse(render(chart_spec_for_process(process), "svg"))
    group = groups(root, "lane-group")
    assert len(group) == 1
    assert "".join(texts(group[0])) == "สำนักพัฒนาสังคม"
    gx0, gy0, gx1, gy1 = bbox(group[0])
    heads = groups(root, "lane-head")
    inside = [bbox(h) for h in heads[:3]]
    outside = bbox(heads[3])  # สงม.
    # the group sits over the three lanes of the unit, each lane's name below it
    assert abs(gx0 - inside[0][0]) < 1 and abs(gx1 - inside[2][2]) < 1
    assert all(head[1] >= gy1 - 1 for head in inside)
    # the outside body's name spans both header rows
    assert outside[0] >= gx1 - 1 and abs(outside[1] - gy0) < 1


def test_no_group_row_without_a_header():
    spec = ChartSpec(
        "ก", (ChartLane("a", "ฝ่าย ก"),), (ChartStep("s", "a", "activity", "รับเรื่อง"),), ()
    )
    assert not groups(parse(render(spec, "svg")), "lane-group")
    assert compute_layout(spec).group_h == 0


def _chain_spec(**extra) -> ChartSpec:
    lanes = (ChartLane("plan", "กลุ่มงานแผนงาน"), ChartLane("spp", "สยป."), ChartLane("sgm", "สงม."))
    steps = (
        ChartStep("s7", "plan", "activity", "เสนอแผนฯ เพื่อประกอบการพิจารณา", duration="๗ วัน"),
        ChartStep("a", "spp", "activity", "ผอ. สยป. ลงนาม", same_row=True),
        ChartStep("b", "sgm", "activity", "ผอ. สงม. ลงนาม", same_row=True, **extra),
        ChartStep("s8", "plan", "activity", "เวียนแจ้งแผน", duration="๐.๕ วัน"),
    )
    return ChartSpec("๒.๑", lanes, steps, (), lane_header="หน่วยงาน")


def test_same_row_steps_share_the_previous_steps_time_row():
    spec = _chain_spec()
    layout = compute_layout(spec)
    assert [box.row for box in layout.boxes] == [0, 0, 0, 1]
    assert len(layout.row_heights) == 2
    root = parse(render(spec, "svg"))
    centres = [bbox(by_id(root, f"step-{i}")) for i in range(4)]
    mid = [(b[1] + b[3]) / 2 for b in centres]
    assert abs(mid[0] - mid[1]) < 1 and abs(mid[0] - mid[2]) < 1 and mid[3] > mid[0] + 10
    # one duration cell for the shared row
    assert "".join(texts(by_id(root, "row-0"))) == "๗ วัน"
    # the chain's arrows run straight across the row
    for route in layout.routes[:2]:
        assert route.kind == "side"
        assert len({round(y, 2) for _x, y in route.points}) == 1


def test_same_row_needs_a_free_lane():
    lanes = (ChartLane("a", "ฝ่าย ก"),)
    steps = (
        ChartStep("1", "a", "activity", "หนึ่ง"),
        ChartStep("2", "a", "activity", "สอง", same_row=True),  # same lane: a row of its own
    )
    layout = compute_layout(ChartSpec("ก", lanes, steps, ()))
    assert [box.row for box in layout.boxes] == [0, 1]


@pytest.mark.django_db
def test_headcount_as_written_in_the_headcount_column():
    process = ProcessFactory()
    lane = LaneFactory(edition=process.edition, name="คณะเดินทาง")
    StepFactory(process=process, position=1, lane=lane, headcount=3, headcount_text="3-5 คน")
    StepFactory(process=process, position=2, lane=lane, headcount=2)
    root = parse(render(chart_spec_for_process(process), "svg"))
    assert "".join(texts(by_id(root, "count-0"))) == "๓-๕ คน"  # as written, Thai digits
    assert "".join(texts(by_id(root, "count-1"))) == "๒"


def test_long_labels_are_wrapped_not_cut():
    label = "จัดทำร่างแผนปฏิบัติราชการประจำปี " * 10  # about 340 characters
    spec = ChartSpec("ก", (ChartLane("a", "ฝ่าย ก"),), (ChartStep("s", "a", "activity", label),), ())
    box = compute_layout(spec).boxes[0]
    assert len(box.lines) > 5
    assert "".join(box.lines).replace(" ", "") == label.replace(" ", "")


def test_each_run_of_grouped_lanes_gets_the_header_at_its_own_width():
    lanes = (
        ChartLane("a", "ฝ่ายบริหารงานทั่วไป"),
        ChartLane("b", "ผู้อำนวยการกอง"),
        ChartLane("x", "สงม.", grouped=False),
        ChartLane("c", "หัวหน้าส่วนราชการ"),
    )
    steps = (ChartStep("s", "a", "activity", "รับเรื่อง"),)
    layout = compute_layout(ChartSpec("ก", lanes, steps, (), lane_header="สำนักพัฒนาสังคม"))
    assert layout.group_runs == ((0, 1), (3, 3))
    assert layout.group_lines[0] == ("สำนักพัฒนาสังคม",)  # not wrapped to the one-lane run
    root = parse(render(ChartSpec("ก", lanes, steps, (), lane_header="สำนักพัฒนาสังคม"), "svg"))
    assert len(groups(root, "lane-group")) == 2
