"""The drawn Flow column of Tables 3 and 5 (Flow / ผังกระบวนการงาน).

In the official manuals this column is a flowchart drawn down the table's rows: each row's
symbol, joined to the next row by an arrow, decisions with their labelled branches. Table rows
get their height from their longest cell, which is only known once the PDF is laid out, so the
column is drawn per row, in a way that follows whatever height the row gets:

* each row's symbol is drawn by Graphviz (``neato -n2 -Tsvg:cairo``, the chart's engine) from
  the chart's own shape table (``layout.SHAPES`` via ``symbol_nodes``), once per shape, with
  no text; it is the background of a box holding the row's label as real text, stretched to it;
* the arrow into a symbol is Graphviz's arrowhead, also drawn once;
* the line from the row above and on to the row below is the cell's background (a thin line
  down the middle of the top or bottom half), so it always meets the next row's line;
* a branch that goes to any row but the next is written beside the symbol with the target's
  number in a connector circle (the manuals' "ต่อ" symbol), and the row it goes to shows where
  arrows come from the same way.

``flow_cells(steps, flows, numbers)`` gives one ``FlowCell`` per step, plain data for the
template; ``symbol_src(shape)`` and ``arrowhead_src()`` the images, as data: URLs.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
from dataclasses import dataclass, field

from .layout import INK, SHAPES, Box, _box_node, _q, _spline, symbol_nodes
from .spec import ChartFlow, ChartStep, effective_flows

logger = logging.getLogger(__name__)

# The drawing size of a symbol (points); the printed box stretches it to the label's size.
SYMBOL_SIZE = {"decision": (120.0, 60.0), "connector": (40.0, 40.0)}
DEFAULT_SYMBOL_SIZE = (120.0, 44.0)
PAD = 3.0  # room for the stroke at the edges


@dataclass
class Branch:
    label: str
    target: str  # the target's printed number, or its label when it has none (สิ้นสุด)


@dataclass
class FlowCell:
    key: str
    shape: str
    label: str
    into: bool = False  # an arrow comes down from the row above
    down: bool = False  # an arrow goes on to the row below
    down_label: str = ""  # the branch label of that arrow (a decision's อนุมัติ)
    side: list[Branch] = field(default_factory=list)  # branches to other rows
    joins: list[str] = field(default_factory=list)  # rows other than the one above flowing in


def flow_cells(
    steps: list[ChartStep], flows: list[ChartFlow], numbers: dict[str, int | None]
) -> list[FlowCell]:
    """The Flow column's rows, one per step in order. ``numbers``: step key -> printed number."""
    index = {step.key: i for i, step in enumerate(steps)}

    def name(key: str) -> str:
        number = numbers.get(key)
        if number is not None:
            return str(number)
        step = steps[index[key]]
        return step.label or SHAPES.get(step.shape, SHAPES["activity"])["default_label"]

    cells = [FlowCell(step.key, step.shape, step.label) for step in steps]
    arrows = [
        (index[flow.source], index[flow.target], flow.label)
        for flow in effective_flows(steps, flows)
        if flow.kind != "data"
    ]
    # Rows no solid arrow touches (a document fed in by a dashed arrow) sit on the line: an
    # arrow jumping down over only such rows is drawn straight through them.
    touched = {row for source, target, _label in arrows for row in (source, target)}
    for source, target, label in arrows:
        between = range(source + 1, target)
        through = target > source and all(row not in touched for row in between)
        if through and not cells[source].down:
            cells[source].down = True
            cells[source].down_label = label
            for row in between:
                cells[row].into = cells[row].down = True
            cells[target].into = True
        else:
            cells[source].side.append(Branch(label, name(steps[target].key)))
            cells[target].joins.append(name(steps[source].key))
    return cells


def _svg_src(svg: bytes, stretch: bool) -> str:
    if stretch:
        # stretch to the label's box (no letterboxing); strokes keep about their width
        svg = re.sub(rb"<svg\b", b'<svg preserveAspectRatio="none"', svg, count=1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def symbol_dot(shape: str) -> str:
    """DOT for one empty symbol of ``shape``, filling its drawing."""
    shape = shape if shape in SHAPES else "activity"
    w, h = SYMBOL_SIZE.get(shape, DEFAULT_SYMBOL_SIZE)
    stack = SHAPES[shape].get("stack", 0) * 4.0
    box = Box(
        0, ChartStep("s", "", shape, ""), 0, 0, shape, (), w, h, PAD + w / 2, PAD + stack + h / 2
    )
    attrs = {key: _q(value) for key, value in SHAPES[shape]["attrs"].items()}
    attrs.update({"penwidth": "1.2", "id": f'"flowcol-{shape}"'})
    lines = [
        "digraph symbol {",
        '  graph [bgcolor="transparent", pad="0", outputorder="nodesfirst"];',
        f'  node [fixedsize="true", margin="0", color="{INK}", fillcolor="white", label=""];',
        *symbol_nodes("n", f"flowcol-{shape}", box, attrs),
        # an invisible point at the far corner pins the drawing's size
        _box_node(
            "c", w + 2 * PAD + stack, 0, 0.01, 0.01, '""', {"shape": "point", "style": "invis"}
        ),
        _box_node(
            "o", 0, h + 2 * PAD + stack, 0.01, 0.01, '""', {"shape": "point", "style": "invis"}
        ),
        "}",
    ]
    return "\n".join(lines) + "\n"


def arrowhead_dot() -> str:
    """DOT for a short downward arrow ending in the chart's arrowhead."""
    return (
        "digraph arrow {\n"
        '  graph [bgcolor="transparent", pad="0"];\n'
        f'  edge [color="{INK}", arrowsize="0.7", penwidth="1.2"];\n'
        + "\n".join(
            _box_node(name, x, y, 0.01, 0.01, '""', {"shape": "point", "style": "invis"})
            for name, x, y in (("a", 5, 0), ("b", 5, 12), ("l", 0, 6), ("r", 10, 6))
        )
        + "\n"
        + f"  a -> b [pos={_spline([(5, 0), (5, 12)])}];\n"
        "}\n"
    )


@functools.cache
def symbol_src(shape: str) -> str:
    """The empty symbol of ``shape`` as an SVG data: URL ("" when Graphviz fails)."""
    from .render import ChartError, render

    try:
        return _svg_src(render(symbol_dot(shape), "svg_outline"), stretch=True)
    except ChartError:
        logger.warning("flow column symbol %s failed", shape, exc_info=True)
        return ""


@functools.cache
def arrowhead_src() -> str:
    from .render import ChartError, render

    try:
        return _svg_src(render(arrowhead_dot(), "svg_outline"), stretch=False)
    except ChartError:
        logger.warning("flow column arrowhead failed", exc_info=True)
        return ""
