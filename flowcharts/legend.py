"""คำอธิบายสัญลักษณ์ที่ใช้: the symbol legend, drawn from the same ``SHAPES`` as the charts."""

from __future__ import annotations

from .layout import (
    FLOW_STYLES,
    GRID,
    HEADER_FILL,
    SHAPES,
    Box,
    _box_node,
    _q,
    _spline,
    html_label,
    line_height,
    symbol_nodes,
)
from .spec import ChartStep
from .text import wrap

# The legend prints at 1:1 on a portrait page, its text at the size of the tables' text (the
# charts' own 10 pt would be small beside it) and the symbols larger than in the charts.
FONT_SIZE = 14.0
HEADER_FONT_SIZE = 14.0
SYMBOL_W = 150.0
MEANING_W = 320.0
ROW_H = 50.0
HEADER_H = 34.0

# (kind, key): a node shape from SHAPES or an arrow style from FLOW_STYLES; start and end share a
# symbol and a meaning, so the legend lists it once.
LEGEND_ROWS: tuple[tuple[str, str], ...] = (
    ("shape", "start"),
    ("shape", "subprocess"),
    ("shape", "activity"),
    ("shape", "decision"),
    ("shape", "database"),
    ("shape", "document"),
    ("shape", "multi_document"),
    ("flow", "flow"),
    ("flow", "data"),
    ("shape", "connector"),
)
SYMBOL_SIZES = {
    "start": (96.0, 30.0),
    "subprocess": (96.0, 36.0),
    "activity": (96.0, 36.0),
    "decision": (96.0, 44.0),
    "database": (84.0, 42.0),
    "document": (84.0, 38.0),
    "multi_document": (80.0, 34.0),
    "connector": (28.0, 28.0),
}


def legend_spec() -> list[tuple[str, str, str]]:
    """The legend's rows: (kind "shape"/"flow", key, Thai meaning), in the printed order."""
    rows = []
    for kind, key in LEGEND_ROWS:
        meaning = SHAPES[key]["meaning"] if kind == "shape" else FLOW_STYLES[key]["meaning"]
        rows.append((kind, key, meaning))
    return rows


def legend_dot() -> str:
    font = _q("Sarabun")
    out = [
        "digraph legend {",
        f'  graph [bgcolor="white", outputorder="nodesfirst", pad="0.1", id="legend",'
        f" tooltip={_q('คำอธิบายสัญลักษณ์ที่ใช้')}];",
        f'  node [fontname={font}, fontsize="{FONT_SIZE:g}", fixedsize="true", margin="0",'
        f' color="#1a1a1a", fillcolor="white", label="", tooltip=" "];',
        '  edge [color="#1a1a1a", arrowsize="0.7", penwidth="1.2"];',
    ]
    grid = {"shape": "box", "color": f'"{GRID}"', "penwidth": "0.8"}
    head = {
        **grid,
        "style": "filled",
        "fillcolor": f'"{HEADER_FILL}"',
        "fontsize": f"{HEADER_FONT_SIZE:g}",
        "fontname": _q("Sarabun Bold"),
    }
    out.append(
        _box_node(
            "hs",
            SYMBOL_W / 2,
            HEADER_H / 2,
            SYMBOL_W,
            HEADER_H,
            html_label(("สัญลักษณ์",), HEADER_FONT_SIZE),
            {**head, "id": '"legend-head-symbol"'},
        )
    )
    out.append(
        _box_node(
            "hm",
            SYMBOL_W + MEANING_W / 2,
            HEADER_H / 2,
            MEANING_W,
            HEADER_H,
            html_label(("ความหมาย",), HEADER_FONT_SIZE),
            {**head, "id": '"legend-head-meaning"'},
        )
    )
    y = HEADER_H
    for index, (kind, key, meaning) in enumerate(legend_spec()):
        lines = wrap(meaning, MEANING_W - 20, FONT_SIZE)
        height = max(ROW_H, len(lines) * line_height(FONT_SIZE) + 16)
        cy = y + height / 2
        out.append(
            _box_node(
                f"c{index}",
                SYMBOL_W / 2,
                cy,
                SYMBOL_W,
                height,
                '""',
                {**grid, "id": f'"legend-cell-{index}"'},
            )
        )
        out.append(
            _box_node(
                f"m{index}",
                SYMBOL_W + MEANING_W / 2,
                cy,
                MEANING_W,
                height,
                html_label(lines, FONT_SIZE),
                {**grid, "id": f'"legend-meaning-{index}"', "class": '"meaning"'},
            )
        )
        if kind == "shape":
            w, h = SYMBOL_SIZES[key]
            box = Box(
                index,
                ChartStep(key, "", key, ""),
                0,
                index,
                key,
                ("ก",) if key == "connector" else (),
                w,
                h,
                SYMBOL_W / 2,
                cy,
            )
            attrs = {k: _q(v) for k, v in SHAPES[key]["attrs"].items()}
            attrs.update(
                {"id": f'"legend-{key}"', "class": f'"symbol shape-{key}"', "penwidth": "1.2"}
            )
            out.extend(symbol_nodes(f"n{index}", f"legend-{key}", box, attrs))
        else:
            x0, x1 = SYMBOL_W / 2 - 45, SYMBOL_W / 2 + 45
            for end, x in (("a", x0), ("b", x1)):
                out.append(
                    _box_node(
                        f"p{index}{end}", x, cy, 1, 1, '""', {"shape": "point", "style": "invis"}
                    )
                )
            style = FLOW_STYLES[key]["attrs"]["style"]
            out.append(
                f"  p{index}a -> p{index}b [pos={_spline([(x0, cy), (x1, cy)])},"
                f' style="{style}", id="legend-{key}", class="symbol flow-{key}"];'
            )
        y += height
    out.append("}")
    return "\n".join(out) + "\n"


def render_legend(fmt: str = "svg") -> bytes:
    from .render import render

    return render(legend_dot(), fmt)
