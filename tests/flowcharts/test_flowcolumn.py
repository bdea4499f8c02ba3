"""The drawn Flow column of Tables 3 and 5: which rows join, where branches go."""

from __future__ import annotations

from flowcharts.flowcolumn import flow_cells, symbol_dot
from flowcharts.spec import ChartFlow, ChartStep
from processes.numbering import step_numbers


def _steps(*shapes):
    return [ChartStep(f"s{i}", "", shape, f"ขั้น {i}") for i, shape in enumerate(shapes)]


def test_start_and_end_are_unnumbered_so_the_first_real_step_is_one():
    assert step_numbers(["start", "activity", "decision", "end"]) == [None, 1, 2, None]
    assert step_numbers(["activity", "connector", "activity"]) == [1, None, 2]


def test_rows_join_down_and_a_decision_branches_with_labels():
    steps = _steps("start", "activity", "decision", "activity", "end")
    flows = [
        ChartFlow("s2", "s3", "อนุมัติ"),
        ChartFlow("s2", "s1", "ไม่อนุมัติ"),
    ]
    numbers = dict(zip([s.key for s in steps], step_numbers(s.shape for s in steps), strict=True))
    cells = flow_cells(steps, flows, numbers)
    assert [c.into for c in cells] == [False, True, True, True, True]
    assert [c.down for c in cells] == [True, True, True, True, False]
    decision = cells[2]
    assert decision.down_label == "อนุมัติ"
    assert [(b.label, b.target) for b in decision.side] == [("ไม่อนุมัติ", "1")]
    assert cells[1].joins == ["2"]


def test_a_side_document_sits_on_the_line_instead_of_breaking_it():
    steps = _steps("start", "document", "activity", "end")
    flows = [ChartFlow("s0", "s2"), ChartFlow("s1", "s2", kind="data")]
    cells = flow_cells(steps, flows, {"s0": None, "s1": 1, "s2": 2, "s3": None})
    assert cells[0].down and cells[1].into and cells[1].down and cells[2].into
    assert cells[0].side == [] and cells[2].joins == []


def test_symbols_come_from_the_chart_shape_table():
    assert 'shape="diamond"' in symbol_dot("decision")
    assert 'shape="box"' in symbol_dot("activity")
    # an unknown shape falls back to the activity box, never to raw text in the DOT
    assert 'shape="box"' in symbol_dot('x"; evil')
