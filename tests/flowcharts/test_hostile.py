"""User text never becomes DOT or SVG syntax; it is shown literally."""

from __future__ import annotations

import re

from flowcharts.layout import build_dot, compute_layout
from flowcharts.render import render
from flowcharts.spec import ChartFlow, ChartLane, ChartSpec, ChartStep, effective_flows
from flowcharts.text import clean

from .svgparse import by_id, groups, parse, texts

HOSTILE = [
    'ส่ง "เอกสาร" ให้ผอ.',
    "{ braces } and [brackets]",
    "<b>ตัวหนา</b> & &amp; &#65;",
    "back\\slash \\n \\N \\G \\L",
    '"]; a -> b [label="x',
    "<script>alert(1)</script>",
    "ctrl\x00\x01\x07\x1b[31m\x7f chars\u202e\ufeff",
    "บรรทัด\nใหม่\r\nอีก\tแท็บ",
    "]]> <!-- --> <![CDATA[ x ]]>",
    "ก" * 10_000,
]


def _spec(labels: list[str]) -> ChartSpec:
    lanes = (ChartLane("a", labels[0]), ChartLane("b", '"];x->y[ <b>'))
    steps = tuple(
        ChartStep(
            f"k{i}",
            "a" if i % 2 else "b",
            "decision" if i == 3 else ("subprocess" if i == 4 else "activity"),
            label,
            detail=label,
            duration=label[:50],
            url=f'/steps/{i}/?q="{label[:20]}"',
        )
        for i, label in enumerate(labels)
    )
    flows = (
        ChartFlow("k3", "k4", labels[4]),
        ChartFlow("k3", "k1", labels[5]),
    )
    return ChartSpec(labels[6], lanes, steps, flows)


def test_hostile_labels_stay_literal():
    spec = _spec(HOSTILE)
    dot = build_dot(spec)
    # the DOT holds exactly our statements: one per node/edge line, nothing injected
    statements = [line for line in dot.splitlines() if re.match(r"^  s\d+ -> s\d+ \[", line)]
    assert len(statements) == len(effective_flows(spec.steps, spec.flows))
    svg = render(spec, "svg")
    root = parse(svg)  # one well-formed SVG
    assert root.tag.endswith("svg")
    assert len(list(root.iter("{http://www.w3.org/2000/svg}svg"))) == 1
    assert len(groups(root, "step")) == len(HOSTILE)
    assert len(groups(root, "flow")) == len(effective_flows(spec.steps, spec.flows))
    assert not list(root.iter("script")) and not list(
        root.iter("{http://www.w3.org/2000/svg}script")
    )
    layout = compute_layout(spec)
    for i, text in enumerate(HOSTILE):
        shown = "".join(texts(by_id(root, f"step-{i}"))).replace("\u2060", "")
        expected = "".join(layout.boxes[i].lines)
        assert "\\N" not in text or "s" + str(i) not in shown
        assert shown == expected
        literal = clean(text)
        if len(literal) < 200:
            # wrapping only drops the spaces it breaks at
            assert shown.replace(" ", "") == literal.replace(" ", "")
        else:
            assert shown.endswith("…") and len(shown) <= 400  # Step.label max_length
    # branch labels too
    assert "".join(texts(by_id(root, "flow-3-label"))).replace(" ", "") == clean(
        HOSTILE[4]
    ).replace(" ", "")
    # the full detail stays in the tooltip (control characters dropped)
    titles = [
        a.get("{http://www.w3.org/1999/xlink}title")
        for a in root.iter("{http://www.w3.org/2000/svg}a")
    ]
    assert clean(HOSTILE[5]) in titles
    assert "ก" * 3000 in "".join(t or "" for t in titles)


def test_hostile_labels_in_every_format():
    spec = _spec(HOSTILE)
    outline = render(spec, "svg_outline")
    parse(outline)
    assert render(spec, "png").startswith(b"\x89PNG\r\n\x1a\n")
