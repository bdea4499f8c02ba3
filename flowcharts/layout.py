"""The swimlane chart (ตารางที่ ๔ แผนผังกระบวนการงาน) as DOT with every position computed here.

Graphviz clusters reorder and shrink lanes, so nothing is left to its layout: ``compute_layout``
places the table (a header row of lane names, the ระยะเวลา | จำนวนผู้ปฏิบัติงาน (คน) columns, one
column per lane, one row per step) and routes every arrow as an orthogonal polyline; ``build_dot``
writes it all with pinned positions for ``neato -n2``, which only draws.

Coordinates here are points with y growing downwards; ``build_dot`` flips them for Graphviz.

Routing (one step per row, so a horizontal line at a row's centre meets only that row's step):
- to the next row or down a clear column: straight down, or an "L" (out of the side facing the
  target, across, then down into its top), or down the source's column and into the target's side;
- loops back (and forward arrows whose columns are blocked) run along a lane edge: out of a side,
  to a routing track inside the lane's margin, up or down the track, into the target's side.
  Each lane keeps margins left and right of its steps for these tracks; shorter loops take the
  tracks nearer the steps, so nested loops do not cross.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from core.escaping import dot_html
from core.fonts import FAMILY
from core.thai import thai_digits

from .spec import ChartFlow, ChartSpec, ChartStep, effective_flows, lane_of, normalized_lanes
from .text import (
    LABEL_MAX_CHARS,
    TOOLTIP_MAX_CHARS,
    clean,
    dot_quote,
    text_width,
    truncate,
    wrap,
)

LAYOUT_VERSION = "8.3"  # 8.3: wavy-bottomed document symbol

# Chart points are printed points: the printed manual draws a chart at 1:1 when it fits the
# sheet and never below ``MIN_PRINT_SCALE`` (no text under ``PRINT_MIN_PT`` on paper); a chart
# wider than that is printed on an A3 fold-out (see printing.builder).
FONT_SIZE = 10.0
HEADER_FONT_SIZE = 10.0
CELL_FONT_SIZE = 10.0
EDGE_FONT_SIZE = 9.5
PRINT_MIN_PT = 9.0
MIN_PRINT_SCALE = PRINT_MIN_PT / min(FONT_SIZE, HEADER_FONT_SIZE, CELL_FONT_SIZE, EDGE_FONT_SIZE)
LINE_FACTOR = 1.45  # line pitch: Graphviz sets lines too tight for Thai marks, so labels are
# HTML-like tables with one row of this height per line

DURATION_W = 64.0
HEADCOUNT_W = 56.0
# Lanes share the width of an A4 landscape sheet (content box, less Graphviz's padding), as
# the official charts do (seven lanes on a sheet), between these limits.
SHEET_W = 745.0
LANE_W = 170.0  # the widest lane
LANE_MIN_W = 88.0
FOLD_SHEET_W = 1095.0  # an A3 landscape fold-out's content box, less Graphviz's padding
FOLD_LANE_MIN_W = 72.0
TRACK_STEP = 4.0
GUTTER = 36.0  # each side of the widest lane, for routing tracks
TRACKS = 4
NODE_MAX_W = LANE_W - 2 * GUTTER
NODE_MAX_LINES = 28  # 400 characters in all but the narrowest lanes; a row still fits a sheet
ROW_PAD = 8.0  # above and below a step inside its row: room for a 1-line label under a
# branch leaving downwards, and for an arrow turning above a step (``TURN_CLEAR``)
MIN_ROW_H = 40.0
HEADER_PAD = 8.0
PORT_SPREAD = 9.0
ARROW_LEN = 7.0  # arrowsize 0.7
TURN_CLEAR = 4.0  # a run turning down into a step's top: this much line above the arrowhead
EDGE_LABEL_W = 70.0

DURATION_HEAD = ("ระยะเวลา",)
HEADCOUNT_HEAD = ("จำนวน", "ผู้ปฏิบัติงาน", "(คน)")

INK = "#1a1a1a"
GRID = "#4d4d4d"
HEADER_FILL = "#eeeeee"
NODE_FILL = "#ffffff"

# The single source of the symbols, for the charts and the legend (คำอธิบายสัญลักษณ์ที่ใช้).
SHAPES: dict[str, dict] = {
    "start": {
        "attrs": {"shape": "box", "style": "rounded,filled"},
        "meaning": "จุดเริ่มต้นและสิ้นสุดของกระบวนการ",
        "default_label": "เริ่ม",
    },
    "end": {
        "attrs": {"shape": "box", "style": "rounded,filled"},
        "meaning": "จุดเริ่มต้นและสิ้นสุดของกระบวนการ",
        "default_label": "จบ",
    },
    "subprocess": {
        # A plaintext node holding a three-cell table: the outer box and its two side bars.
        "attrs": {"shape": "plaintext"},
        "meaning": "กระบวนการที่มีกิจกรรมย่อยอยู่ภายใน",
        "default_label": "กระบวนการย่อย",
    },
    "activity": {
        "attrs": {"shape": "box", "style": "filled"},
        "meaning": "กิจกรรมและการปฏิบัติงาน",
        "default_label": "กิจกรรม",
    },
    "decision": {
        "attrs": {"shape": "diamond", "style": "filled"},
        "meaning": "การตัดสินใจ (Decision)",
        "default_label": "พิจารณา",
    },
    "database": {
        "attrs": {"shape": "cylinder", "style": "filled"},
        "meaning": "ฐานข้อมูล (Database)",
        "default_label": "ฐานข้อมูล",
    },
    # Graphviz has no wavy-bottomed sheet: drawn by symbol_nodes (_document_lines).
    "document": {
        "attrs": {"shape": "box", "style": "filled"},
        "meaning": "เอกสาร / รายงาน (Document)",
        "default_label": "เอกสาร",
    },
    # Stacked sheets: the sheet, and the edges of two more behind it, up and to the right.
    "multi_document": {
        "attrs": {"shape": "box", "style": "filled"},
        "meaning": "เอกสาร รายงานหลายแบบ / ประเภท (Multi Document)",
        "default_label": "เอกสาร",
        "stack": 2,
    },
    "connector": {
        "attrs": {"shape": "circle", "style": "filled"},
        "meaning": "จุดเชื่อมต่อระหว่างขั้นตอน / กระบวนการ (Connector)",
        "default_label": "",
    },
}
STACK_OFFSET = 4.0
SUBPROCESS_BAR = 7.0

FLOW_STYLES = {
    "flow": {
        "attrs": {"style": "solid"},
        "meaning": "ทิศทาง / การเคลื่อนไหวของงาน",
    },
    "data": {
        "attrs": {"style": "dashed"},
        "meaning": "ทิศทางการนำเข้า / ส่งออกของเอกสาร / รายงาน / ฐานข้อมูล",
    },
}


def line_height(size: float) -> float:
    return size * LINE_FACTOR


# ----------------------------------------------------------------------------- geometry


@dataclass
class Box:
    """A step's drawn node: centre, size, its lines of text."""

    index: int
    step: ChartStep
    lane: int
    row: int
    shape: str
    lines: tuple[str, ...]
    w: float
    h: float
    x: float = 0.0
    y: float = 0.0

    def port(self, side: str, offset: float = 0.0) -> tuple[float, float]:
        """A point on the outline: ``side`` top/bottom/left/right, ``offset`` along that side."""
        hw, hh = self.w / 2, self.h / 2
        if side in ("left", "right"):
            sign = 1 if side == "right" else -1
            offset = max(-hh * 0.6, min(hh * 0.6, offset))
            if self.shape == "decision":
                dx = hw * (1 - 2 * abs(offset) / self.h)
            elif self.shape == "connector":
                dx = math.sqrt(max(hw * hw - offset * offset, 0.0))
            else:
                dx = hw
            return (self.x + sign * dx, self.y + offset)
        sign = 1 if side == "bottom" else -1
        offset = max(-hw * 0.6, min(hw * 0.6, offset))
        if self.shape == "decision":
            dy = hh * (1 - 2 * abs(offset) / self.w)
        elif self.shape == "connector":
            dy = math.sqrt(max(hh * hh - offset * offset, 0.0))
        else:
            dy = hh
        return (self.x + offset, self.y + sign * dy)


@dataclass
class Route:
    flow: ChartFlow
    index: int
    source: int
    target: int
    points: list[tuple[float, float]] = field(default_factory=list)
    label_lines: tuple[str, ...] = ()
    label_pos: tuple[float, float] | None = None
    label_size: tuple[float, float] = (0.0, 0.0)
    # chosen while routing
    exit_side: str = ""
    entry_side: str = ""
    kind: str = ""  # straight / L / Lrev / gutter / gutter_top / self
    gutter: tuple[int, str] | None = None  # (lane, "left"/"right")
    track: int = 0


@dataclass
class Layout:
    spec: ChartSpec
    lane_names: tuple[tuple[str, ...], ...]  # wrapped header lines per lane
    lane_keys: tuple[str, ...]
    boxes: list[Box]
    routes: list[Route]
    header_h: float
    row_tops: list[float]
    row_heights: list[float]
    cells: list[tuple[tuple[str, ...], tuple[str, ...]]]  # duration lines, headcount lines
    width: float
    height: float
    lane_w: float = LANE_W
    gutter: float = GUTTER
    tracks: int = TRACKS
    # the group header row ("หน่วยงาน"): its height, lines, and the runs of grouped lanes under
    # it as (first lane, last lane); 0 / () / () without one
    group_h: float = 0.0
    group_lines: tuple[tuple[str, ...], ...] = ()  # per run
    group_runs: tuple[tuple[int, int], ...] = ()
    lane_grouped: tuple[bool, ...] = ()

    @property
    def left_w(self) -> float:
        return DURATION_W + HEADCOUNT_W

    def lane_x(self, lane: int) -> float:
        """Left edge of a lane."""
        return self.left_w + lane * self.lane_w


def lane_geometry(lane_count: int) -> tuple[float, float, int]:
    """(lane width, gutter each side, routing tracks per gutter) for a chart of that many
    lanes: the lanes share an A4 landscape sheet, between ``LANE_MIN_W`` and ``LANE_W``; when
    they cannot (more than seven), an A3 fold-out's width (``FOLD_SHEET_W``), down to
    ``FOLD_LANE_MIN_W``."""
    count = max(lane_count, 1)
    left = DURATION_W + HEADCOUNT_W
    room = (SHEET_W - left) / count
    if left + count * LANE_MIN_W > SHEET_W / MIN_PRINT_SCALE:
        room = max(FOLD_LANE_MIN_W, (FOLD_SHEET_W - left) / count)
        lane_w = min(LANE_W, room)
    else:
        lane_w = max(LANE_MIN_W, min(LANE_W, room))
    gutter = max(10.0, min(GUTTER, lane_w * 0.12))
    tracks = max(2, min(TRACKS, int((gutter - 6) // TRACK_STEP) + 1))
    return lane_w, gutter, tracks


# ----------------------------------------------------------------------------- sizing


def _node_text(step: ChartStep) -> str:
    text = clean(step.label)
    if not text:
        text = SHAPES.get(step.shape, SHAPES["activity"])["default_label"]
        if not text and step.shape == "connector":
            text = "ต่อ"
    return truncate(text, 8 if step.shape == "connector" else LABEL_MAX_CHARS)


def _size_node(step: ChartStep, max_w: float = NODE_MAX_W) -> tuple[tuple[str, ...], float, float]:
    """Lines of text and (width, height) of the node for a step at most ``max_w`` wide."""
    shape = step.shape
    text = _node_text(step)
    lh = line_height(FONT_SIZE)
    if shape == "connector":
        lines = (text,)
        tw = text_width(text, FONT_SIZE)
        d = max(30.0, tw + 10, lh + 10)
        return lines, d, d
    if shape == "decision":
        lines = wrap(text, max_w * 0.6, FONT_SIZE, NODE_MAX_LINES)
        tw = max(text_width(line, FONT_SIZE) for line in lines)
        th = lh * len(lines)
        w = max(min(96.0, max_w), min(max_w, 1.7 * tw + 16))
        h = max(52.0, (th + 6) / max(0.3, 1 - (tw + 8) / w))
        return lines, w, h
    inner = max_w - 10
    if shape == "subprocess":
        inner -= 2 * SUBPROCESS_BAR
    elif shape == "multi_document":
        inner -= 2 * STACK_OFFSET
    elif shape in ("start", "end"):
        inner -= 12
    lines = wrap(text, inner, FONT_SIZE, NODE_MAX_LINES)
    tw = max(text_width(line, FONT_SIZE) for line in lines)
    th = lh * len(lines)

    def fit(least: float, want: float) -> float:
        return min(max_w, max(min(least, max_w), want))

    if shape in ("start", "end"):
        return lines, fit(72.0, tw + 28), max(26.0, th + 10)
    if shape == "subprocess":
        return lines, fit(80.0, tw + 12 + 2 * SUBPROCESS_BAR), max(30.0, th + 12)
    if shape in ("document", "multi_document"):
        return lines, fit(72.0, tw + 18), max(32.0, th + 16)
    if shape == "database":
        return lines, fit(72.0, tw + 16), max(42.0, th + 26)
    return lines, fit(80.0, tw + 14), max(30.0, th + 12)


DURATION_MAX_LINES = 12
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")


def _duration_lines(text: str) -> tuple[str, ...]:
    """The ระยะเวลา cell: each line the writer typed (one per sub-step in Table 3, e.g.
    "๓ นาที / ฉบับ" then "ทันที") wrapped on its own, so amounts never run into each other."""
    lines: list[str] = []
    for part in _LINE_BREAKS.split(text or ""):
        part = thai_digits(clean(part))
        if part:
            lines.extend(wrap(part, DURATION_W - 10, CELL_FONT_SIZE))
    if len(lines) > DURATION_MAX_LINES:
        lines = [*lines[: DURATION_MAX_LINES - 1], "…"]  # the full text is in Table 3
    return tuple(lines)


# ----------------------------------------------------------------------------- layout


def _headcount_text(step: ChartStep) -> str:
    text = clean(step.headcount_text)
    if text:
        return thai_digits(text)
    return "" if step.headcount is None else thai_digits(str(step.headcount))


def compute_layout(spec: ChartSpec) -> Layout:
    lanes = normalized_lanes(spec)
    lane_keys = tuple(lane.key for lane in lanes)
    lane_index = {key: i for i, key in enumerate(lane_keys)}
    key_set = set(lane_keys)
    lane_w, gutter, tracks = lane_geometry(len(lanes))
    node_max = lane_w - 2 * gutter

    steps: list[ChartStep] = []
    seen: set[str] = set()
    for step in spec.steps:
        if step.key not in seen:
            seen.add(step.key)
            steps.append(step)

    header_size = HEADER_FONT_SIZE * 1.06  # bold sets wider than the regular face measured
    lane_names = tuple(wrap(clean(lane.name) or "-", lane_w - 10, header_size, 5) for lane in lanes)
    grouped = tuple(lane.grouped for lane in lanes)
    header_text = clean(spec.lane_header)
    runs: list[tuple[int, int]] = []
    if header_text:
        for i, flag in enumerate(grouped):
            if not flag:
                continue
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
    group_lines: tuple[tuple[str, ...], ...] = ()
    group_h = 0.0
    if runs:
        group_lines = tuple(
            wrap(truncate(header_text, 200), (b - a + 1) * lane_w - 10, header_size, 3)
            for a, b in runs
        )
        tallest = max(len(lines) for lines in group_lines)
        group_h = tallest * line_height(HEADER_FONT_SIZE) + 2 * HEADER_PAD
    left_heads = (DURATION_HEAD, HEADCOUNT_HEAD)
    name_lines = max([len(lines) for lines in lane_names] or [1])
    names_h = name_lines * line_height(HEADER_FONT_SIZE) + 2 * HEADER_PAD
    left_h = (
        max(len(lines) for lines in left_heads) * line_height(HEADER_FONT_SIZE) + 2 * HEADER_PAD
    )
    header_h = max(group_h + names_h, left_h)

    # rows: a step marked ``same_row`` joins the previous step's row when its lane is free there
    boxes: list[Box] = []
    row_steps: list[list[int]] = []
    row_lanes: list[set[int]] = []
    for index, step in enumerate(steps):
        shape = step.shape if step.shape in SHAPES else "activity"
        step_norm = step if shape == step.shape else ChartStep(**{**step.__dict__, "shape": shape})
        lines, w, h = _size_node(step_norm, node_max)
        lane = lane_index[lane_of(step, key_set)]
        if step.same_row and row_steps and lane not in row_lanes[-1]:
            row = len(row_steps) - 1
            row_steps[row].append(index)
            row_lanes[row].add(lane)
        else:
            row = len(row_steps)
            row_steps.append([index])
            row_lanes.append({lane})
        boxes.append(Box(index, step_norm, lane, row, shape, lines, w, h))

    cells: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    row_heights: list[float] = []
    cell_lh = line_height(CELL_FONT_SIZE)
    for members in row_steps:
        durations: list[str] = []
        counts: list[str] = []
        for index in members:
            for line in _duration_lines(steps[index].duration):
                durations.append(line)
            count = _headcount_text(steps[index])
            if count and count not in counts:
                counts.append(count)
        count_lines: list[str] = []
        for count in counts:
            count_lines.extend(wrap(count, HEADCOUNT_W - 8, CELL_FONT_SIZE, 4))
        if len(durations) > DURATION_MAX_LINES:
            durations = [*durations[: DURATION_MAX_LINES - 1], "…"]
        cells.append((tuple(durations), tuple(count_lines)))
        cell_h = max(len(durations), len(count_lines), 1) * cell_lh + 12
        tallest = max(
            boxes[i].h + STACK_OFFSET * SHAPES[boxes[i].shape].get("stack", 0) for i in members
        )
        row_heights.append(max(MIN_ROW_H, tallest + 2 * ROW_PAD, cell_h))

    row_tops: list[float] = []
    y = header_h
    for height in row_heights:
        row_tops.append(y)
        y += height
    total_h = y
    width = DURATION_W + HEADCOUNT_W + lane_w * len(lanes)

    layout = Layout(
        spec=spec,
        lane_names=lane_names,
        lane_keys=lane_keys,
        boxes=boxes,
        routes=[],
        header_h=header_h,
        row_tops=row_tops,
        row_heights=row_heights,
        cells=cells,
        width=width,
        height=total_h,
        lane_w=lane_w,
        gutter=gutter,
        tracks=tracks,
        group_h=group_h,
        group_lines=group_lines,
        group_runs=tuple(runs),
        lane_grouped=grouped,
    )
    for box in boxes:
        box.x = layout.lane_x(box.lane) + lane_w / 2
        extra = STACK_OFFSET * SHAPES[box.shape].get("stack", 0)
        # a stack's back sheets stick out above and right: keep the whole stack centred
        box.x -= extra / 2
        box.y = row_tops[box.row] + row_heights[box.row] / 2 + extra / 2

    index_of = {box.step.key: box.index for box in boxes}
    flows = effective_flows(tuple(steps), spec.flows, implicit_next=spec.implicit_next)
    routes = [
        Route(flow, i, index_of[flow.source], index_of[flow.target]) for i, flow in enumerate(flows)
    ]
    _route(layout, routes)
    layout.routes = routes
    return layout


def row_step_ranges(layout: Layout) -> list[tuple[int, int]]:
    """Each row as the (first, stop) range of the step indexes it holds (rows hold consecutive
    steps), for cutting a chart into pages of whole rows."""
    ranges: list[tuple[int, int]] = []
    for box in layout.boxes:
        if ranges and len(ranges) - 1 == box.row:
            ranges[-1] = (ranges[-1][0], box.index + 1)
        else:
            ranges.append((box.index, box.index + 1))
    return ranges


# ----------------------------------------------------------------------------- routing


def _column_clear(layout: Layout, lane: int, row_a: int, row_b: int) -> bool:
    """No step of ``lane`` in the rows strictly between ``row_a`` and ``row_b``."""
    low, high = sorted((row_a, row_b))
    return not any(box.lane == lane and low < box.row < high for box in layout.boxes)


def _row_clear(layout: Layout, row: int, lanes: range) -> bool:
    """No step of ``row`` in any of ``lanes`` (a horizontal run along the row's centre)."""
    return not any(box.row == row and box.lane in lanes for box in layout.boxes)


def _lanes_between(a: int, b: int, *, with_a: bool = False, with_b: bool = False) -> range:
    low, high = (a, b) if a <= b else (b, a)
    first = low if (with_a and low == a) or (with_b and low == b) else low + 1
    last = high if (with_a and high == a) or (with_b and high == b) else high - 1
    return range(first, last + 1)


POINTY = frozenset({"decision", "connector", "start", "end"})


def _route(layout: Layout, routes: list[Route]) -> None:
    boxes = layout.boxes
    # 1. choose a shape of route and the sides it leaves and enters by. A rectangle's side can
    # carry several arrows (spread apart below); a diamond's, circle's or terminator's cannot,
    # so arrows leaving those are placed first and the others keep off their sides.
    verticals: list[tuple[int, int, int, int]] = []  # (lane, row_from, row_to, target)
    exits: dict[int, set[str]] = {}
    entries: dict[int, set[str]] = {}

    def vertical_free(lane: int, row_a: int, row_b: int, target: int) -> bool:
        low, high = sorted((row_a, row_b))
        for v_lane, v_a, v_b, v_target in verticals:
            if v_lane == lane and v_target != target and max(low, v_a) < min(high, v_b):
                return False
        return True

    def exit_ok(box: Box, side: str) -> bool:
        if box.shape not in POINTY:
            return True
        return side not in exits.get(box.index, set()) and (
            side == "top" or side not in entries.get(box.index, set())
        )

    def entry_ok(box: Box, side: str) -> bool:
        return box.shape not in POINTY or side not in exits.get(box.index, set())

    def choose(route: Route, kind: str, exit_side: str, entry_side: str) -> None:
        route.kind, route.exit_side, route.entry_side = kind, exit_side, entry_side
        exits.setdefault(route.source, set()).add(exit_side)
        entries.setdefault(route.target, set()).add(entry_side)

    order = sorted(routes, key=lambda r: (boxes[r.source].shape not in POINTY, r.index))
    for route in order:
        src, dst = boxes[route.source], boxes[route.target]
        if src.index == dst.index:
            choose(route, "self", "right", "right")
            route.gutter = (src.lane, "right")
            continue
        if dst.row == src.row and src.lane != dst.lane:
            # a sign-off chain in one row: straight across when no step stands between
            toward = "right" if dst.lane > src.lane else "left"
            back = "left" if toward == "right" else "right"
            if (
                _row_clear(layout, src.row, _lanes_between(src.lane, dst.lane))
                and exit_ok(src, toward)
                and entry_ok(dst, back)
            ):
                choose(route, "side", toward, back)
                continue
        if dst.row > src.row:
            down_free = _column_clear(layout, src.lane, src.row, dst.row) and vertical_free(
                src.lane, src.row, dst.row, dst.index
            )
            if src.lane == dst.lane:
                if down_free and exit_ok(src, "bottom"):
                    choose(route, "straight", "bottom", "top")
                    verticals.append((src.lane, src.row, dst.row, dst.index))
                    continue
            else:
                toward = "right" if dst.lane > src.lane else "left"
                back = "left" if toward == "right" else "right"
                if (
                    _column_clear(layout, dst.lane, src.row, dst.row)
                    and vertical_free(dst.lane, src.row, dst.row, dst.index)
                    and _row_clear(layout, src.row, _lanes_between(src.lane, dst.lane, with_b=True))
                    and exit_ok(src, toward)
                ):
                    choose(route, "L", toward, "top")
                    verticals.append((dst.lane, src.row, dst.row, dst.index))
                    continue
                if (
                    down_free
                    and _row_clear(layout, dst.row, _lanes_between(src.lane, dst.lane, with_a=True))
                    and exit_ok(src, "bottom")
                    and entry_ok(dst, back)
                ):
                    choose(route, "Lrev", "bottom", back)
                    verticals.append((src.lane, src.row, dst.row, dst.index))
                    continue
        # along a lane edge: out of a side, along a track in the source lane's margin, into a side
        if src.lane == dst.lane:
            prefs, entry = ("right", "left"), None
        elif dst.lane > src.lane:  # the track lies left of the target
            prefs, entry = ("right", "left"), "left"
        else:
            prefs, entry = ("left", "right"), "right"
        fitting = [side for side in prefs if exit_ok(src, side)] or list(prefs)
        # a free side reads better than a shared one, even on a rectangle
        fitting.sort(key=lambda side: side in exits.get(src.index, set()))
        exit_side = next((side for side in fitting if entry_ok(dst, entry or side)), fitting[0])
        entry_side = entry or exit_side
        kind = "gutter"
        if not entry_ok(dst, entry_side) and dst.row < src.row and entry_ok(dst, "top"):
            # a diamond leaving by the side this loop would enter (e.g. "ไม่เห็นชอบ" out of its
            # left, to "ดำเนินการแก้ไข", which loops back): come in over the top instead, so the
            # branch and the loop do not meet at one corner
            kind, entry_side = "gutter_top", "top"
            # and up the far margin of the source: the branch that led here runs between the
            # two, a track on the near side would cross it
            away = "left" if dst.lane > src.lane else "right" if dst.lane < src.lane else None
            if away and exit_ok(src, away):
                exit_side = away
        choose(route, kind, exit_side, entry_side)
        route.gutter = (src.lane, exit_side)

    # 2. tracks in lane margins: shorter spans nearer the steps
    by_gutter: dict[tuple[int, str], list[Route]] = {}
    for route in routes:
        if route.gutter is not None:
            by_gutter.setdefault(route.gutter, []).append(route)
    for gutter_routes in by_gutter.values():
        gutter_routes.sort(key=lambda r: (abs(boxes[r.source].row - boxes[r.target].row), r.index))
        taken: list[list[tuple[float, float]]] = [[] for _ in range(layout.tracks)]
        for route in gutter_routes:
            low = min(boxes[route.source].y, boxes[route.target].y) - 4
            high = max(boxes[route.source].y, boxes[route.target].y) + 4
            chosen = None
            for track in range(layout.tracks):
                if all(high < a or low > b for a, b in taken[track]):
                    chosen = track
                    break
            if chosen is None:
                chosen = layout.tracks - 1
            taken[chosen].append((low, high))
            route.track = chosen

    # 3. ports: spread the arrows sharing a side of a node, ordered so they do not cross
    _make_points(layout, routes, {})
    ends: dict[tuple[int, str], list[tuple[tuple[int, float, int], int, str]]] = {}
    for route in routes:
        src, dst = boxes[route.source], boxes[route.target]
        if route.kind == "self":
            ends.setdefault((src.index, "right"), []).append(((0, 0.0, 0), route.index, "out"))
            ends.setdefault((src.index, "right"), []).append(((0, 1.0, 0), route.index, "in"))
            continue
        ends.setdefault((src.index, route.exit_side), []).append(
            (_port_order(route.points, route.index), route.index, "out")
        )
        ends.setdefault((dst.index, route.entry_side), []).append(
            (_port_order(route.points[::-1], route.index), route.index, "in")
        )
    offsets: dict[tuple[int, str], float] = {}
    for (node, side), items in ends.items():
        items.sort()
        box = boxes[node]
        n = len(items)
        length = box.h if side in ("left", "right") else box.w
        spread = min(PORT_SPREAD, length * 0.8 / max(n, 1))
        if box.shape in ("decision", "connector"):
            spread = min(spread, length * 0.18)
        for i, (_, route_index, direction) in enumerate(items):
            offsets[(route_index, direction)] = (i - (n - 1) / 2) * spread

    # 4. the polylines
    _make_points(layout, routes, offsets)
    placed: list[tuple[float, float, float, float]] = []
    for route in routes:
        _place_label(route, layout, routes, placed)


def _make_points(
    layout: Layout, routes: list[Route], offsets: dict[tuple[int, str], float]
) -> None:
    boxes = layout.boxes
    for route in routes:
        src, dst = boxes[route.source], boxes[route.target]
        out_off = offsets.get((route.index, "out"), 0.0)
        in_off = offsets.get((route.index, "in"), 0.0)
        start = src.port(route.exit_side, out_off)
        end = dst.port(route.entry_side, in_off)
        if route.kind == "self":
            gx = _track_x(layout, route.gutter, route.track)
            route.points = [start, (gx, start[1]), (gx, end[1]), end]
        elif route.kind == "straight":
            if abs(start[0] - end[0]) < 0.5:
                route.points = [start, (start[0], end[1])]
            else:
                mid = min(layout.row_tops[dst.row] + 6, end[1] - ARROW_LEN - TURN_CLEAR)
                route.points = [start, (start[0], mid), (end[0], mid), end]
        elif route.kind == "side":
            route.points = [start, (end[0], start[1])]
        elif route.kind == "L":
            route.points = [start, (end[0], start[1]), end]
        elif route.kind == "Lrev":
            route.points = [start, (start[0], end[1]), end]
        elif route.kind == "gutter_top":
            gx = _track_x(layout, route.gutter, route.track)
            over = min(layout.row_tops[dst.row] + 10, end[1] - ARROW_LEN - TURN_CLEAR)
            route.points = [start, (gx, start[1]), (gx, over), (end[0], over), end]
        else:
            gx = _track_x(layout, route.gutter, route.track)
            route.points = [start, (gx, start[1]), (gx, end[1]), end]
        route.points = _dedupe(route.points)


def _port_order(points: list[tuple[float, float]], index: int) -> tuple[int, float, int]:
    """Where an arrow's end goes on its side of a node (top to bottom, left to right).

    Seen from the node, an arrow runs out and turns: those turning toward smaller coordinates
    (up, left) come first, the earliest turn outermost; then straight ones; then those turning
    toward larger coordinates, the earliest turn last. Then no two arrows on a side cross.
    """
    if len(points) < 3:
        return (1, 0.0, index)
    (x0, y0), (x1, y1), (x2, y2) = points[0], points[1], points[2]
    if abs(y0 - y1) < 0.01:  # leaves sideways, turns up or down
        turn, distance = y2 - y1, abs(x1 - x0)
    else:  # leaves up or down, turns left or right
        turn, distance = x2 - x1, abs(y1 - y0)
    if turn < 0:
        return (0, distance, index)
    return (2, -distance, index)


def _track_x(layout: Layout, gutter: tuple[int, str] | None, track: int) -> float:
    assert gutter is not None
    lane, side = gutter
    # track 0 is nearest the steps
    step = TRACK_STEP if layout.gutter >= 16 else 3.0  # narrow lanes: tracks closer together
    inset = layout.gutter - 4 - track * step
    if side == "left":
        return layout.lane_x(lane) + inset
    return layout.lane_x(lane) + layout.lane_w - inset


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for point in points:
        if not out or abs(out[-1][0] - point[0]) > 0.01 or abs(out[-1][1] - point[1]) > 0.01:
            out.append(point)
    # drop middle points on a straight run
    result: list[tuple[float, float]] = []
    for point in out:
        if len(result) >= 2:
            (ax, ay), (bx, by) = result[-2], result[-1]
            if (abs(ax - bx) < 0.01 and abs(bx - point[0]) < 0.01) or (
                abs(ay - by) < 0.01 and abs(by - point[1]) < 0.01
            ):
                result[-1] = point
                continue
        result.append(point)
    return result


Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def _box_hits(box: Box, rect: Rect, margin: float = 2.0) -> bool:
    """Whether ``rect`` overlaps the drawn outline of ``box`` (a diamond by its real shape)."""
    x0, y0, x1, y1 = rect
    extra = STACK_OFFSET * SHAPES[box.shape].get("stack", 0)
    bx0, bx1 = box.x - box.w / 2 - margin, box.x + box.w / 2 + margin + extra
    by0, by1 = box.y - box.h / 2 - margin - extra, box.y + box.h / 2 + margin
    if x1 <= bx0 or x0 >= bx1 or y1 <= by0 or y0 >= by1:
        return False
    if box.shape != "decision":
        return True
    # the diamond: |dx| / hw + |dy| / hh <= 1; the rectangle's point nearest the centre decides
    hw, hh = box.w / 2 + margin, box.h / 2 + margin
    nx = min(max(box.x, x0), x1)
    ny = min(max(box.y, y0), y1)
    if abs(nx - box.x) / hw + abs(ny - box.y) / hh <= 1:
        return True
    corners = ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
    signs = {(cx > box.x, cy > box.y) for cx, cy in corners}
    # a rectangle straddling the centre line may cut an edge between its corners
    if len(signs) > 1:
        for cx, cy in corners:
            if abs(cx - box.x) / hw + abs(cy - box.y) / hh <= 1:
                return True
        return (x0 <= box.x <= x1) or (y0 <= box.y <= y1)
    return False


def _segment_hits(a: tuple[float, float], b: tuple[float, float], rect: Rect) -> bool:
    """Whether the axis-parallel segment a–b passes through ``rect`` (1 pt inside)."""
    x0, y0, x1, y1 = rect[0] + 1, rect[1] + 1, rect[2] - 1, rect[3] - 1
    sx0, sx1 = sorted((a[0], b[0]))
    sy0, sy1 = sorted((a[1], b[1]))
    return sx0 <= x1 and sx1 >= x0 and sy0 <= y1 and sy1 >= y0


def _label_fits(
    rect: Rect, layout: Layout, routes: list[Route], placed: list[Rect], own: Route
) -> bool:
    x0, y0, x1, y1 = rect
    if y0 < layout.header_h + 1 or y1 > layout.height - 1:
        return False
    # inside one lane: never across a lane line or into the ระยะเวลา / จำนวน columns
    lane = int((x0 - layout.left_w) // layout.lane_w) if x0 >= layout.left_w else -1
    if lane < 0 or lane >= len(layout.lane_keys):
        return False
    if x0 < layout.lane_x(lane) + 1.5 or x1 > layout.lane_x(lane) + layout.lane_w - 1.5:
        return False
    if any(_box_hits(box, rect) for box in layout.boxes):
        return False
    for other in routes:
        points = other.points
        for a, b in zip(points, points[1:], strict=False):
            if _segment_hits(a, b, rect):
                return False
    return not any(x0 < p[2] and x1 > p[0] and y0 < p[3] and y1 > p[1] for p in placed)


def _label_candidates(points: list[tuple[float, float]], w: float, h: float, prefer_up: bool):
    """Centres for a label of ``w`` x ``h`` beside the route, nearest its start first: along each
    run, above or below a horizontal run, right or left of a vertical one."""
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        length = math.hypot(bx - ax, by - ay)
        if length < 0.5:
            continue
        horizontal = abs(ay - by) < 0.01
        reach = w if horizontal else h
        steps = max(1, min(40, int((length + reach) / 3)))
        for i in range(steps + 1):
            t = min(length, i * max(3.0, (length + reach) / 40))
            along = t / length
            cx, cy = ax + (bx - ax) * along, ay + (by - ay) * along
            if horizontal:
                sign = 1 if bx > ax else -1
                cx += sign * (w / 2 + 3) * (1 if i == 0 else 0)
                for up in (prefer_up, not prefer_up):
                    yield cx, cy - h / 2 - 2 if up else cy + h / 2 + 2
            else:
                sign = 1 if by > ay else -1
                cy += sign * (h / 2 + 2) * (1 if i == 0 else 0)
                for right in (True, False):
                    yield (cx + w / 2 + 3 if right else cx - w / 2 - 3), cy


def _place_label(
    route: Route, layout: Layout, routes: list[Route] | None = None, placed: list | None = None
) -> None:
    """A branch label (อนุมัติ / ไม่อนุมัติ) beside its arrow, as near its start as it can be
    while inside one lane, clear of every step, every arrow and the other labels; where no
    such place exists, just past the node as before."""
    text = truncate(clean(route.flow.label), 80)
    if not text or len(route.points) < 2:
        return
    lines = wrap(text, EDGE_LABEL_W, EDGE_FONT_SIZE, 3)
    route.label_lines = lines
    tw = max(text_width(line, EDGE_FONT_SIZE) for line in lines)
    th = line_height(EDGE_FONT_SIZE) * len(lines)
    w, h = tw + 6, th + 2
    route.label_size = (w, h)
    (x0, y0), (x1, y1) = route.points[0], route.points[1]
    turns_up = len(route.points) > 2 and route.points[2][1] < y1
    if routes is not None:
        placed = placed if placed is not None else []
        for cx, cy in _label_candidates(route.points, w, h, not turns_up):
            rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if _label_fits(rect, layout, routes, placed, route):
                route.label_pos = (cx, cy)
                placed.append(rect)
                return
    if abs(y0 - y1) < 0.01:  # leaves sideways: above the first run, beside the node
        direction = 1 if x1 > x0 else -1
        # below the run when the arrow then turns up, so the label stays clear of it
        dy = th / 2 + 3
        route.label_pos = (x0 + direction * (tw / 2 + 5), y0 + dy if turns_up else y0 - dy)
    else:  # leaves down or up: right of the first run, just past the node
        direction = 1 if y1 > y0 else -1
        route.label_pos = (x0 + tw / 2 + 5, y0 + direction * (th / 2 + 2))
    if placed is not None:
        cx, cy = route.label_pos
        placed.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))


# ----------------------------------------------------------------------------- DOT


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _inches(value: float) -> str:
    return f"{value / 72:.4f}"


def safe_url(url: str) -> str:
    """A link target Graphviz writes safely: only relative paths or http(s), percent-encoded,
    ``&`` as an entity (Graphviz copies hrefs into the SVG as they are). Else ""."""
    url = clean(url)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (not parts.scheme and parts.netloc):
        return ""
    if not parts.scheme and not url.startswith("/"):
        return ""
    encoded = quote(url, safe="/:?=#%-._~+,;@!$()*[]&")
    return encoded.replace("&", "&amp;")


def _attrs(attrs: dict[str, str]) -> str:
    """``[k=v, …]`` with keys sorted; values are already DOT-quoted."""
    return "[" + ", ".join(f"{key}={attrs[key]}" for key in sorted(attrs)) + "]"


def _q(value: str) -> str:
    return dot_quote(value)


def _box_node(
    name: str, x: float, y: float, w: float, h: float, label: str, extra: dict[str, str]
) -> str:
    attrs = {
        "pos": f'"{_fmt(x)},{_fmt(-y)}!"',
        "width": _inches(w),
        "height": _inches(h),
        "label": label,
    }
    attrs.update(extra)
    return f"  {name} {_attrs(attrs)};"


def _html_escape(text: str) -> str:
    return dot_html(text)


def _html_table(lines: tuple[str, ...] | list[str], size: float) -> str:
    """Lines as a borderless table, one row of a fixed pitch per line (no outer ``<>``)."""
    pitch = int(round(line_height(size)))
    rows = "".join(f'<TR><TD HEIGHT="{pitch}">{_html_escape(line)}</TD></TR>' for line in lines)
    return (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
        f"{rows or '<TR><TD></TD></TR>'}</TABLE>"
    )


def html_label(lines: tuple[str, ...] | list[str], size: float = FONT_SIZE) -> str:
    """A DOT HTML-like label showing ``lines`` literally (escaped), centred."""
    if not lines:
        return '""'
    return f"<{_html_table(lines, size)}>"


def _subprocess_label(box: Box) -> str:
    body = _html_table(box.lines, FONT_SIZE)
    return (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="0" FIXEDSIZE="TRUE"'
        f' WIDTH="{int(round(box.w))}" HEIGHT="{int(round(box.h))}" BGCOLOR="{NODE_FILL}"'
        f' COLOR="{INK}"><TR>'
        f'<TD WIDTH="{int(SUBPROCESS_BAR)}" FIXEDSIZE="TRUE" HEIGHT="{int(round(box.h)) - 2}"></TD>'
        f'<TD WIDTH="{int(round(box.w - 2 * SUBPROCESS_BAR)) - 2}" FIXEDSIZE="TRUE"'
        f' HEIGHT="{int(round(box.h)) - 2}">{body}</TD>'
        f'<TD WIDTH="{int(SUBPROCESS_BAR)}" FIXEDSIZE="TRUE" HEIGHT="{int(round(box.h)) - 2}"></TD>'
        f"</TR></TABLE>>"
    )


def _spline(points: list[tuple[float, float]]) -> str:
    """Graphviz ``pos`` for an edge: straight cubic pieces along the polyline, the last piece
    stopping short by the arrowhead's length, ``e,`` the arrow's tip."""
    tip = points[-1]
    (ax, ay), (bx, by) = points[-2], points[-1]
    length = math.hypot(bx - ax, by - ay) or 1.0
    cut = min(ARROW_LEN, length * 0.9)
    last = (bx - (bx - ax) / length * cut, by - (by - ay) / length * cut)
    pts = [*points[:-1], last]
    coords = [pts[0]]
    for a, b in zip(pts, pts[1:], strict=False):
        coords.extend([a, b, b])
    text = " ".join(f"{_fmt(x)},{_fmt(-y)}" for x, y in coords)
    return f'"e,{_fmt(tip[0])},{_fmt(-tip[1])} {text}"'


WAVE = 0.12  # the document's wavy bottom: its swing, as a share of the symbol's height


def _path(points: list[tuple[float, float]]) -> str:
    """Graphviz ``pos`` for an edge with no arrowhead: straight cubic pieces along
    ``points``; a point given as a triple (c1, c2, end) is a curved piece."""
    coords = [points[0]]
    previous = points[0]
    for point in points[1:]:
        if len(point) == 3 and isinstance(point[0], tuple):
            coords.extend(point)
            previous = point[2]
        else:
            coords.extend([previous, point, point])
            previous = point
    return '"' + " ".join(f"{_fmt(x)},{_fmt(-y)}" for x, y in coords) + '"'


def _document_lines(name: str, ident: str, box: Box, attrs: dict[str, str]) -> list[str]:
    """The official document symbol: a sheet with a wavy bottom (Graphviz has none; its "note"
    is a folded corner). The outline is drawn as edges with fixed splines (``neato -n2``),
    over a white box that hides what is behind the sheet down to the wave's middle; the
    sheets behind a multi-document show as the edge of each sheet above and to the right."""
    ink = attrs.get("color", f'"{INK}"')
    pen = attrs.get("penwidth", "1")
    x0, x1 = box.x - box.w / 2, box.x + box.w / 2
    swing = box.h * WAVE
    top, bottom = box.y - box.h / 2, box.y + box.h / 2 - swing
    line = {"dir": "none", "arrowhead": "none", "color": ink, "penwidth": pen, "tooltip": '" "'}
    point = {"shape": "point", "style": "invis", "width": "0.01", "height": "0.01"}
    out: list[str] = []

    def edge(key: str, points: list) -> None:
        (ax, ay) = points[0]
        end = (
            points[-1][2]
            if len(points[-1]) == 3 and isinstance(points[-1][0], tuple)
            else points[-1]
        )
        out.append(_box_node(f"{name}_{key}a", ax, ay, 0.01, 0.01, '""', point))
        out.append(_box_node(f"{name}_{key}b", end[0], end[1], 0.01, 0.01, '""', point))
        out.append(f"  {name}_{key}a -> {name}_{key}b {_attrs({**line, 'pos': _path(points)})};")

    for level in range(SHAPES[box.shape].get("stack", 0), 0, -1):
        off = STACK_OFFSET * level
        edge(
            f"s{level}",
            [
                (x0 + off, top - off + STACK_OFFSET),
                (x0 + off, top - off),
                (x1 + off, top - off),
                (x1 + off, bottom - off),
                (x1 + off - STACK_OFFSET, bottom - off),
            ],
        )
    fill = {**attrs, "shape": "box", "style": "filled", "penwidth": "0", "fillcolor": "white"}
    label = html_label(box.lines, FONT_SIZE)
    out.append(_box_node(name, box.x, (top + bottom) / 2, box.w - 1, bottom - top, label, fill))
    wave = (
        (x1 - box.w * 0.35, bottom - 2.2 * swing),
        (x0 + box.w * 0.35, bottom + 2.2 * swing),
        (x0, bottom),
    )
    edge("o", [(x0, bottom), (x0, top), (x1, top), (x1, bottom), wave])
    return out


def symbol_nodes(name: str, ident: str, box: Box, attrs: dict[str, str]) -> list[str]:
    """DOT lines drawing one symbol (a step's node, or a legend entry) at ``box``."""
    if box.shape in ("document", "multi_document"):
        return _document_lines(name, ident, box, attrs)
    out: list[str] = []
    for level in range(SHAPES[box.shape].get("stack", 0), 0, -1):
        off = STACK_OFFSET * level
        sheet = {**attrs, "id": f'"{ident}-sheet-{level}"', "class": '"sheet"'}
        sheet.pop("URL", None)
        sheet.pop("target", None)
        x, y = box.x + off, box.y - off
        out.append(_box_node(f"{name}_{level}", x, y, box.w, box.h, '""', sheet))
    if box.shape == "subprocess":
        label = _subprocess_label(box)
    else:
        label = html_label(box.lines, FONT_SIZE)
    out.append(_box_node(name, box.x, box.y, box.w, box.h, label, attrs))
    return out


def build_dot(spec: ChartSpec, layout: Layout | None = None) -> str:
    """The chart as DOT for ``neato -n2``: deterministic text for the same spec."""
    layout = layout or compute_layout(spec)
    font = _q(FAMILY)
    out: list[str] = [
        "digraph chart {",
        f'  graph [bgcolor="white", outputorder="edgesfirst", splines="true", pad="0.1",'
        f" fontname={font}, tooltip={_q(truncate(clean(spec.title), 200) or 'แผนผังกระบวนการงาน')},"
        f' id="chart"];',
        f'  node [fontname={font}, fontsize="{_fmt(FONT_SIZE)}", fixedsize="true",'
        f' margin="0", penwidth="1", color="{INK}", fontcolor="{INK}", fillcolor="{NODE_FILL}",'
        f' label="", tooltip=" "];',
        f'  edge [fontname={font}, fontsize="{_fmt(EDGE_FONT_SIZE)}", color="{INK}",'
        f' fontcolor="{INK}", arrowsize="0.7", penwidth="1", arrowhead="normal"];',
    ]
    grid = {"shape": "box", "color": f'"{GRID}"', "penwidth": "0.8"}
    header = {
        **grid,
        "style": "filled",
        "fillcolor": f'"{HEADER_FILL}"',
        "fontsize": _fmt(HEADER_FONT_SIZE),
        "fontname": _q(f"{FAMILY} Bold"),
    }
    hh = layout.header_h
    # header row
    heads = [
        (DURATION_W / 2, DURATION_W, DURATION_HEAD, "head-duration"),
        (DURATION_W + HEADCOUNT_W / 2, HEADCOUNT_W, HEADCOUNT_HEAD, "head-headcount"),
    ]
    for i, (x, w, lines, ident) in enumerate(heads):
        out.append(
            _box_node(
                f"h{i}",
                x,
                hh / 2,
                w,
                hh,
                html_label(lines, HEADER_FONT_SIZE),
                {**header, "id": f'"{ident}"', "class": '"grid head"'},
            )
        )
    under_group = {lane for a, b in layout.group_runs for lane in range(a, b + 1)}
    for index, (a, b) in enumerate(layout.group_runs):
        x0, x1 = layout.lane_x(a), layout.lane_x(b + 1)
        out.append(
            _box_node(
                f"g{index}",
                (x0 + x1) / 2,
                layout.group_h / 2,
                x1 - x0,
                layout.group_h,
                html_label(layout.group_lines[index], HEADER_FONT_SIZE),
                {
                    **header,
                    "id": f'"lane-group-{index}"',
                    "class": '"grid lane-group"',
                    "tooltip": _q(" ".join(layout.group_lines[index])),
                },
            )
        )
    lw = layout.lane_w
    for lane, lines in enumerate(layout.lane_names):
        x = layout.lane_x(lane) + lw / 2
        top = layout.group_h if lane in under_group else 0.0
        out.append(
            _box_node(
                f"lane{lane}",
                x,
                (top + hh) / 2,
                lw,
                hh - top,
                html_label(lines, HEADER_FONT_SIZE),
                {
                    **header,
                    "id": f'"lane-head-{lane}"',
                    "class": '"grid lane-head"',
                    "tooltip": _q(" ".join(lines)),
                },
            )
        )
    body_h = layout.height - hh
    if body_h > 0:
        for lane in range(len(layout.lane_keys)):
            x = layout.lane_x(lane) + lw / 2
            out.append(
                _box_node(
                    f"col{lane}",
                    x,
                    hh + body_h / 2,
                    lw,
                    body_h,
                    '""',
                    {**grid, "id": f'"lane-col-{lane}"', "class": '"grid lane-col"'},
                )
            )
    cell = {**grid, "fontsize": _fmt(CELL_FONT_SIZE)}
    for row, (top, height) in enumerate(zip(layout.row_tops, layout.row_heights, strict=True)):
        duration, count = layout.cells[row]
        y = top + height / 2
        out.append(
            _box_node(
                f"d{row}",
                DURATION_W / 2,
                y,
                DURATION_W,
                height,
                html_label(duration, CELL_FONT_SIZE),
                {**cell, "id": f'"row-{row}"', "class": '"grid row-cell"'},
            )
        )
        out.append(
            _box_node(
                f"c{row}",
                DURATION_W + HEADCOUNT_W / 2,
                y,
                HEADCOUNT_W,
                height,
                html_label(count, CELL_FONT_SIZE),
                {**cell, "id": f'"count-{row}"', "class": '"grid count-cell"'},
            )
        )
    # steps
    for box in layout.boxes:
        meta = SHAPES[box.shape]
        attrs = {key: _q(value) for key, value in meta["attrs"].items()}
        tooltip = truncate(clean(box.step.detail) or " ".join(box.lines), TOOLTIP_MAX_CHARS)
        attrs["tooltip"] = _q(tooltip)
        attrs["id"] = f'"step-{box.index}"'
        attrs["class"] = f'"step shape-{box.shape}"'
        attrs["penwidth"] = "1.2"
        url = safe_url(box.step.url)
        if url:
            attrs["URL"] = f'"{url}"'
            attrs["target"] = '"_top"'
        out.extend(symbol_nodes(f"s{box.index}", f"step-{box.index}", box, attrs))
    # arrows
    for route in layout.routes:
        attrs = {key: _q(value) for key, value in FLOW_STYLES[route.flow.kind]["attrs"].items()}
        attrs["pos"] = _spline(route.points)
        attrs["id"] = f'"flow-{route.index}"'
        attrs["class"] = f'"flow kind-{route.flow.kind}"'
        out.append(f"  s{route.source} -> s{route.target} {_attrs(attrs)};")
    # branch labels: nodes on a white ground drawn over the lines (edges are drawn first)
    for route in layout.routes:
        if route.label_lines and route.label_pos:
            w, h = route.label_size
            out.append(
                _box_node(
                    f"l{route.index}",
                    route.label_pos[0],
                    route.label_pos[1],
                    w,
                    h,
                    html_label(route.label_lines, EDGE_FONT_SIZE),
                    {
                        "shape": "box",
                        "style": "filled",
                        "penwidth": "0",
                        "color": '"white"',
                        "fontsize": _fmt(EDGE_FONT_SIZE),
                        "id": f'"flow-{route.index}-label"',
                        "class": '"flow-label"',
                    },
                )
            )
    out.append("}")
    return "\n".join(out) + "\n"
