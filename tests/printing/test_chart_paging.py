"""Table 4 charts fill their sheets: paged at the printing module's real budget (the A4
landscape sheet less the heading, the title on the table's first sheet, Graphviz's padding, at
the scale the chart prints at), a ๑.๑-sized chart takes at most two sheets and no sheet but the
last is left mostly empty."""

from __future__ import annotations

from flowcharts.layout import FONT_SIZE, compute_layout
from flowcharts.spec import ChartFlow, ChartLane, ChartSpec, ChartStep, effective_flows
from printing.builder import (
    CHART_MAX_H,
    CHART_MIN_SCALE,
    CHART_SCALE,
    CHART_SVG_PAD,
    CHART_TITLE_H,
    _chart_scale_and_pages,
)


def twelve_step_spec() -> ChartSpec:
    """The demo's ๑.๑ (สารบรรณ) with one step more: 12 steps over 3 lanes, documents, a
    three-line step, a decision whose "ไม่อนุมัติ" loops back eight rows."""
    lanes = (
        ChartLane("staff", "จพง.ธุรการ"),
        ChartLane("head", "หัวหน้าฝ่ายบริหารงานทั่วไป"),
        ChartLane("dir", "ผู้อำนวยการกอง"),
    )
    steps = (
        ChartStep("s", "staff", "start", "เริ่มต้น"),
        ChartStep("d1", "staff", "document", "เอกสาร"),
        ChartStep("recv", "staff", "activity", "รับเรื่อง", duration="ทันที", headcount=2),
        ChartStep("d2", "staff", "document", "เอกสาร"),
        ChartStep("sort", "staff", "activity", "ตรวจสอบแยกประเภท", duration="๕ นาที", headcount=2),
        ChartStep(
            "reg", "staff", "activity", "ลงทะเบียนรับ", duration="๓ นาที / ฉบับ\nทันที", headcount=2
        ),
        ChartStep(
            "up",
            "staff",
            "activity",
            "เสนอหัวหน้าฝ่ายตรวจสอบพิจารณาเสนอ",
            duration="๕ นาที / แฟ้ม",
            headcount=2,
        ),
        ChartStep("ask", "head", "activity", "เสนอเพื่อสั่งการ", duration="๑๐ นาที", headcount=2),
        ChartStep("dec", "dir", "decision", "พิจารณา", headcount=2),
        ChartStep("send", "staff", "activity", "ตัดเรื่อง / ส่งเอกสารตามสั่งการ", duration="๑๐ นาที"),
        ChartStep("file", "staff", "activity", "จัดเก็บเข้าแฟ้ม", duration="๕ นาที", headcount=1),
        ChartStep("e", "staff", "end", "สิ้นสุด"),
    )
    flows = (
        ChartFlow("s", "recv"),
        ChartFlow("d1", "recv", kind="data"),
        ChartFlow("recv", "sort"),
        ChartFlow("d2", "sort", kind="data"),
        ChartFlow("sort", "reg"),
        ChartFlow("reg", "up"),
        ChartFlow("up", "ask"),
        ChartFlow("ask", "dec"),
        ChartFlow("dec", "send", "อนุมัติ"),
        ChartFlow("dec", "reg", "ไม่อนุมัติ"),
        ChartFlow("send", "file"),
        ChartFlow("file", "e"),
    )
    return ChartSpec("๑.๑ กระบวนการด้านสารบรรณและธุรการทั่วไป", lanes, steps, flows, False)


def _check_sheets(spec: ChartSpec, first_h: float, rest_h: float) -> None:
    scale, pages = _chart_scale_and_pages(spec, first_h, rest_h)
    assert CHART_MIN_SCALE <= scale <= CHART_SCALE
    assert FONT_SIZE * scale >= 9.0  # step labels print at 9 pt or more
    assert len(pages) <= 2
    for number, page in enumerate(pages):
        limit = (first_h if number == 0 else rest_h) / scale - CHART_SVG_PAD
        height = compute_layout(page).height
        assert height <= limit  # nothing runs off the sheet
        if number < len(pages) - 1:
            assert height >= 0.6 * limit, (number, height, limit)
        # the lane header row is on every sheet
        assert [lane.key for lane in page.lanes] == [lane.key for lane in spec.lanes]
    # every step once, in order; each arrow crossing a cut has its connector on both sides
    keys = [s.key for page in pages for s in page.steps if not s.key.startswith("__page_")]
    assert keys == [s.key for s in spec.steps]
    connectors = [s for page in pages for s in page.steps if s.key.startswith("__page_")]
    outs = {s.label for s in connectors if s.key.startswith("__page_out_")}
    ins = {s.label for s in connectors if s.key.startswith("__page_in_")}
    assert outs == ins
    if len(pages) > 1:
        page_of = {s.key: n for n, page in enumerate(pages) for s in page.steps}
        flows = effective_flows(spec.steps, spec.flows, implicit_next=False)
        assert any(page_of[f.source] != page_of[f.target] for f in flows)
        assert outs


def test_twelve_step_chart_fills_at_most_two_sheets_under_the_title():
    # the first chart of Table 4 shares its first sheet with the table's title
    _check_sheets(twelve_step_spec(), CHART_MAX_H - CHART_TITLE_H, CHART_MAX_H)


def test_twelve_step_chart_fills_at_most_two_sheets():
    _check_sheets(twelve_step_spec(), CHART_MAX_H, CHART_MAX_H)
