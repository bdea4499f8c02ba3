import pytest

from flowcharts.render import render
from flowcharts.selectors import chart_spec_for_process
from tests.factories import FlowFactory, LaneFactory, ProcessFactory, StepFactory

from .svgparse import groups, parse


@pytest.mark.django_db
def test_chart_spec_for_process_in_three_queries(django_assert_num_queries):
    process = ProcessFactory()
    edition = process.edition
    boss = LaneFactory(edition=edition, name="ผู้อำนวยการกอง", position=2)
    staff = LaneFactory(edition=edition, name="ฝ่ายบริหารงานทั่วไป", position=1)
    steps = [
        StepFactory(process=process, position=i + 1, lane=lane, label=f"ขั้นที่ {i + 1}", headcount=2)
        for i, lane in enumerate([staff, staff, boss, boss, None, staff])
    ]
    steps[3].shape = "decision"
    steps[3].save()
    FlowFactory(source=steps[3], target=steps[4], label="อนุมัติ", position=1)
    FlowFactory(source=steps[3], target=steps[1], label="ไม่อนุมัติ", position=2)
    process = type(process).objects.select_related("edition").get(pk=process.pk)
    with django_assert_num_queries(3):  # the edition's lanes, the steps, the flows
        spec = chart_spec_for_process(process, step_url=lambda s: f"/steps/{s.pk}/")
    assert [lane.name for lane in spec.lanes] == ["ฝ่ายบริหารงานทั่วไป", "ผู้อำนวยการกอง"]
    assert [s.label for s in spec.steps] == [f"ขั้นที่ {i}" for i in range(1, 7)]
    assert spec.steps[4].lane == ""  # no lane: drawn in "ไม่ระบุผู้รับผิดชอบ"
    assert spec.steps[0].url == f"/steps/{steps[0].pk}/"
    assert {(f.label, f.kind) for f in spec.flows} == {("อนุมัติ", "flow"), ("ไม่อนุมัติ", "flow")}
    root = parse(render(spec, "svg"))
    assert len(groups(root, "step")) == 6
    assert len(groups(root, "lane-head")) == 3
