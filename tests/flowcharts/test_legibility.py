"""Printed charts stay legible: no text under 9 pt at the scale the PDF prints them, branch
labels inside one lane and clear of every line, every glyph from Sarabun, seed wording."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from core.fonts import sarabun_file
from flowcharts.layout import compute_layout
from flowcharts.legend import render_legend
from flowcharts.render import render
from flowcharts.samples import synthetic_spec
from flowcharts.spec import ChartFlow, ChartLane, ChartSpec, ChartStep
from printing.builder import (
    CHART_HEAD_H,
    CHART_MAX_H,
    CHART_MAX_W,
    CHART_SVG_PAD,
    FOLD_MAX_W,
    FOLD_SHEET_H,
    _chart_scale_and_pages,
    chart_folds,
)

from .svgparse import SVG, bbox, groups, parse

SEED_LANES = (
    "กองนโยบายและแผนงาน กลุ่มงานแผนงานและประเมินผล",
    "คณะทำงานฯ",
    "ผอ. กน.",
    "ผอ.สพส./ รผอ.สพส.",
    "สงม.",
    "สยป.",
    "สกก.",
)


def _seed_like(lanes: int) -> ChartSpec:
    """Seed 000's ๒.๑: up to seven lanes, a decision with two labelled branches."""
    chart_lanes = tuple(ChartLane(f"L{i}", SEED_LANES[i % 7]) for i in range(lanes))
    steps = (
        ChartStep("s", "L0", "start", "เริ่ม"),
        ChartStep("a", "L0", "activity", "รับเรื่องจากสำนักยุทธศาสตร์และประเมินผล", "", "๑ วัน", 1),
        ChartStep("b", "L1", "activity", "จัดทำร่างแผนปฏิบัติราชการประจำปี", "", "๑๒ วัน", 27),
        ChartStep("d", f"L{min(3, lanes - 1)}", "decision", "ผอ.สพส. ให้ความเห็นชอบ", "", "๓ วัน"),
        ChartStep("c", f"L{lanes - 1}", "activity", "ผอ. สยป. และ ผอ. สงม.", same_row=True),
        ChartStep("e", "L0", "activity", "เวียนแจ้งแผนปฏิบัติราชการ", "", "๐.๕ วัน", 1),
        ChartStep("z", "L0", "end", "จบ"),
    )
    flows = (
        ChartFlow("d", "c", "เห็นชอบ"),
        ChartFlow("d", "b", "ไม่เห็นชอบ"),
    )
    return ChartSpec("๒.๑", chart_lanes, steps, flows, lane_header="สำนักพัฒนาสังคม")


def _font_sizes(svg: bytes) -> list[float]:
    root = parse(svg)
    return [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]


def _print_scale(spec: ChartSpec) -> tuple[float, list, bool]:
    fold = chart_folds(spec)
    if fold:
        height = FOLD_SHEET_H - CHART_HEAD_H  # the fold-out sheet's room for the chart
        scale, pages = _chart_scale_and_pages(spec, height, height, FOLD_MAX_W)
    else:
        scale, pages = _chart_scale_and_pages(spec, CHART_MAX_H, CHART_MAX_H)
    return scale, pages, fold


@pytest.mark.parametrize("lanes", [3, 5, 7, 12])
def test_no_chart_text_under_9pt_at_print_scale(lanes):
    spec = _seed_like(lanes)
    scale, pages, fold = _print_scale(spec)
    assert fold is (lanes > 8)  # seven lanes fit an A4 sheet, as in the seed
    width = compute_layout(spec).width + CHART_SVG_PAD
    assert width * scale <= (FOLD_MAX_W if fold else CHART_MAX_W) + 0.5  # and fit its width
    for page in pages:
        sizes = _font_sizes(render(page, "svg"))
        assert sizes
        assert min(sizes) * scale >= 9.0, (lanes, min(sizes), scale)


def test_a_long_chart_keeps_9pt_on_every_sheet():
    spec = synthetic_spec(40, 6)
    scale, pages, _fold = _print_scale(spec)
    assert len(pages) > 1
    assert all(min(_font_sizes(render(page, "svg"))) * scale >= 9.0 for page in pages)


def test_legend_text_at_table_size():
    sizes = _font_sizes(render_legend("svg"))
    assert min(sizes) >= 14.0


def _inside_one_lane(layout, rect) -> bool:
    return any(
        layout.lane_x(i) <= rect[0] and rect[2] <= layout.lane_x(i) + layout.lane_w
        for i in range(len(layout.lane_keys))
    )


@pytest.mark.parametrize("spec", [_seed_like(4), _seed_like(7), synthetic_spec(40, 5)])
def test_branch_labels_are_never_crossed(spec):
    layout = compute_layout(spec)
    labelled = [r for r in layout.routes if r.label_lines]
    assert labelled
    for route in labelled:
        (cx, cy), (w, h) = route.label_pos, route.label_size
        rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        assert _inside_one_lane(layout, rect), route.flow  # no lane line through it
        for other in layout.routes:
            for (ax, ay), (bx, by) in zip(other.points, other.points[1:], strict=False):
                crosses = (
                    min(ax, bx) < rect[2] - 1
                    and max(ax, bx) > rect[0] + 1
                    and min(ay, by) < rect[3] - 1
                    and max(ay, by) > rect[1] + 1
                )
                assert not crosses, (route.flow, other.flow)
        for box in layout.boxes:
            assert (
                not (
                    box.x - box.w / 2 < rect[2] - 1
                    and box.x + box.w / 2 > rect[0] + 1
                    and box.y - box.h / 2 < rect[3] - 1
                    and box.y + box.h / 2 > rect[1] + 1
                )
                or box.shape == "decision"
            ), (route.flow, box.step.key)


def test_every_glyph_comes_from_sarabun():
    cmap = TTFont(sarabun_file()).getBestCmap()
    steps = (
        ChartStep("a", "a", "activity", "▪ หมวดค่าครุภัณฑ์ ● ค่าตอบแทน ✓"),
        ChartStep("b", "a", "activity", "ส่งต่อ – ๕ นาที/แฟ้ม"),
    )
    spec = ChartSpec("ก", (ChartLane("a", "ฝ่ายบริหารงานทั่วไป"),), steps, ())
    root = parse(render(spec, "svg"))
    chars = {ch for t in root.iter(f"{SVG}text") for ch in (t.text or "")}
    assert chars
    missing = {ch for ch in chars if ord(ch) not in cmap and not ch.isspace()}
    assert not missing


def test_connectors_and_terminators_worded_as_the_seed():
    from flowcharts.paging import paginate

    spec = synthetic_spec(40, 3)
    pages = paginate(spec, 400)
    connectors = [s for page in pages for s in page.steps if s.key.startswith("__page_")]
    assert connectors and all(s.label.startswith("ต่อ ") for s in connectors)
    blank = ChartSpec(
        "ก",
        (ChartLane("a", "ฝ่าย"),),
        (ChartStep("s", "a", "start", ""), ChartStep("e", "a", "end", "")),
        (),
    )
    layout = compute_layout(blank)
    assert [box.lines for box in layout.boxes] == [("เริ่ม",), ("จบ",)]
    root = parse(render(pages[1], "svg"))
    circles = groups(root, "shape-connector")
    assert circles and all(bbox(c)[2] - bbox(c)[0] > 20 for c in circles)
