"""The flattened chart SVG draws what Graphviz drew: glyph runs as single relative paths."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from PIL import Image, ImageChops

from printing.svgflat import _glyph, flatten_glyphs


def _absolute_points(glyph) -> list[tuple[float, float]]:
    """The points of a relative outline from ``_glyph``, back in absolute hundredths."""
    x0, y0, rest = glyph
    points, cur, start = [(x0, y0)], (x0, y0), (x0, y0)
    for command in re.findall(rb"[mlcz][^mlcz]*", rest):
        op, numbers = command[:1], [round(float(v) * 100) for v in command[1:].split()]
        if op == b"z":
            cur = start
            continue
        pairs = [(cur[0] + numbers[i], cur[1] + numbers[i + 1]) for i in range(0, len(numbers), 2)]
        points.extend(pairs)
        cur = pairs[-1]
        if op == b"m":
            start = cur
    return points


def test_relative_outline_keeps_every_point_across_subpaths():
    # two contours (an "o"): the second starts after Z, from the first contour's start
    d = b"M 1.004 2 L 3.5 2 C 4 2.25 4 3.75 3.5 4 Z M 2 2.5 L 3 2.5 L 3 3.5 Z"
    glyph = _glyph(d)
    assert _absolute_points(glyph) == [
        (100, 200),
        (350, 200),
        (400, 225),
        (400, 375),
        (350, 400),
        (200, 250),
        (300, 250),
        (300, 350),
    ]
    assert _glyph(b"M 1 1 Q 2 2 3 3") is False  # a command it does not know: left alone


@pytest.mark.django_db
def test_flattened_chart_renders_like_the_original():
    from flowcharts.render import render
    from flowcharts.samples import synthetic_spec

    raw = render(synthetic_spec(12), "svg_outline")
    flat = flatten_glyphs(raw)
    assert b"<use" in raw and b"<use" not in flat and b"<symbol" not in flat

    def png(svg: bytes) -> Image.Image:
        out = subprocess.run(
            ["rsvg-convert", "--format", "png", "--zoom", "2"],
            input=svg,
            capture_output=True,
            check=True,
        ).stdout
        return Image.open(io.BytesIO(out)).convert("L")

    before, after = png(raw), png(flat)
    assert before.size == after.size
    inked = sum(before.point(lambda v: 255 if v < 128 else 0).histogram()[255:])
    assert inked > 10_000  # the chart has text and shapes to compare
    differ = sum(ImageChops.difference(before, after).histogram()[40:])
    assert differ < inked / 1000
