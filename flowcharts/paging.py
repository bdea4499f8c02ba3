"""Splitting a chart taller than a page into pages of whole rows.

Each page is a ``ChartSpec`` of its own with every lane (so the lane header repeats) and all its
arrows explicit (``implicit_next=False``). An arrow that crosses a cut ends at a connector circle
on its page and starts again from a connector with the same letter, worded as the official
charts do ("ต่อ ก", "ต่อ ข", …) on the target's page:
forward arrows continue from a connector at the top of the later page, arrows looping back to an
earlier page come back from a connector at the bottom of it.
"""

from __future__ import annotations

from dataclasses import replace

from .layout import compute_layout, row_step_ranges
from .spec import ChartFlow, ChartSpec, ChartStep, effective_flows

# Thai consonants in order, without the obsolete ฃ and ฅ.
LETTERS = tuple("กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ")


def connector_letter(number: int) -> str:
    if number < len(LETTERS):
        return LETTERS[number]
    from core.thai import thai_digits

    return LETTERS[number % len(LETTERS)] + thai_digits(str(number // len(LETTERS)))


def _unique_steps(spec: ChartSpec) -> list[ChartStep]:
    seen: set[str] = set()
    steps = []
    for step in spec.steps:
        if step.key not in seen:
            seen.add(step.key)
            steps.append(step)
    return steps


def _page(
    spec: ChartSpec,
    steps: list[ChartStep],
    flows: list[ChartFlow],
    start: int,
    stop: int,
    letters: dict[str, str],
) -> ChartSpec:
    """The page holding ``steps[start:stop]``, with connectors for the arrows crossing its
    edges."""
    index = {step.key: i for i, step in enumerate(steps)}
    inside = {step.key for step in steps[start:stop]}
    top_in: dict[str, ChartStep] = {}
    bottom_in: dict[str, ChartStep] = {}
    out: dict[str, ChartStep] = {}
    page_flows: list[ChartFlow] = []
    for flow in flows:
        src_in, dst_in = flow.source in inside, flow.target in inside
        if src_in and dst_in:
            page_flows.append(flow)
        elif src_in:
            letter = letters[flow.target]
            source_step = steps[index[flow.source]]
            later = index[flow.target] >= stop
            connector = out.setdefault(
                flow.target,
                ChartStep(
                    key=f"__page_out_{letter}",
                    lane=source_step.lane,
                    shape="connector",
                    label=f"ต่อ {letter}",
                    detail=f"ต่อ{'หน้าถัดไป' if later else 'หน้าก่อน'} ({letter})",
                ),
            )
            page_flows.append(ChartFlow(flow.source, connector.key, flow.label, flow.kind))
        elif dst_in:
            letter = letters[flow.target]
            target_step = steps[index[flow.target]]
            earlier = index[flow.source] < start
            holder = top_in if earlier else bottom_in
            if flow.target not in holder:
                holder[flow.target] = ChartStep(
                    key=f"__page_in_{letter}_{'top' if earlier else 'bottom'}",
                    lane=target_step.lane,
                    shape="connector",
                    label=f"ต่อ {letter}",
                    detail=f"ต่อจาก{'หน้าก่อน' if earlier else 'หน้าถัดไป'} ({letter})",
                )
                page_flows.append(ChartFlow(holder[flow.target].key, flow.target, "", flow.kind))
            else:
                # one arrow from the connector: solid if any crossing arrow is
                key = holder[flow.target].key
                if flow.kind == "flow":
                    page_flows = [
                        ChartFlow(f.source, f.target, f.label, "flow")
                        if f.source == key and f.target == flow.target
                        else f
                        for f in page_flows
                    ]
    own = list(steps[start:stop])
    if own and own[0].same_row:  # its row's first step is on the page before
        own[0] = replace(own[0], same_row=False)
    ordered = [
        *sorted(top_in.values(), key=lambda s: s.key),
        *own,
        *sorted(out.values(), key=lambda s: s.key),
        *sorted(bottom_in.values(), key=lambda s: s.key),
    ]
    seen: set[ChartFlow] = set()
    unique_flows = []
    for flow in page_flows:
        if flow not in seen:
            seen.add(flow)
            unique_flows.append(flow)
    return replace(spec, steps=tuple(ordered), flows=tuple(unique_flows), implicit_next=False)


def paginate(
    spec: ChartSpec,
    page_height_pt: float,
    page_width_pt: float | None = None,
    *,
    first_page_height_pt: float | None = None,
) -> list[ChartSpec]:
    """Pages of at most ``page_height_pt`` (chart points) each, the first of at most
    ``first_page_height_pt`` if given (a sheet that also holds a title); with ``page_width_pt``
    the heights are taken at the scale that fits the chart to that width (as a PDF would draw
    it). Each page is filled with as many whole rows as fit with its connectors.

    A single row taller than a page still gets a page of its own.
    """
    layout = compute_layout(spec)
    factor = 1.0
    if page_width_pt and layout.width > page_width_pt:
        factor = layout.width / page_width_pt
    limits = (
        float(page_height_pt if first_page_height_pt is None else first_page_height_pt) * factor,
        float(page_height_pt) * factor,
    )

    def limit_of(number: int) -> float:
        return limits[0] if number == 0 else limits[1]

    if layout.height <= limits[0] or len(layout.boxes) <= 1:
        return [spec]
    steps = _unique_steps(spec)
    flows = effective_flows(tuple(steps), spec.flows, implicit_next=spec.implicit_next)

    # rows by greedy filling, checked against the real height of each page with its connectors;
    # a row holding several steps (``same_row``) is never cut
    heights = layout.row_heights
    rows = row_step_ranges(layout)
    row_starts = [a for a, _b in rows]
    cuts: list[tuple[int, int]] = []
    row = 0
    while row < len(rows):
        stop_row = row + 1
        used = layout.header_h + heights[row]
        limit = limit_of(len(cuts))
        while stop_row < len(rows) and used + heights[stop_row] <= limit:
            used += heights[stop_row]
            stop_row += 1
        cuts.append((rows[row][0], rows[stop_row - 1][1]))
        row = stop_row
    letters = _letters(steps, flows, cuts)
    pages: list[ChartSpec] = []
    i = 0
    while i < len(cuts):
        start, stop = cuts[i]
        page = _page(spec, steps, flows, start, stop, letters)
        while max(a for a in row_starts if a < stop) > start and compute_layout(
            page
        ).height > limit_of(i):
            # connectors made it too tall: give the last row to the next page
            stop = max(a for a in row_starts if a < stop)
            if i + 1 < len(cuts):
                cuts[i + 1] = (stop, cuts[i + 1][1])
            else:
                cuts.append((stop, cuts[i][1]))
            cuts[i] = (start, stop)
            letters = _letters(steps, flows, cuts)
            page = _page(spec, steps, flows, start, stop, letters)
        pages.append(page)
        i += 1
    # letters may have changed while fitting: rebuild every page with the final ones
    return [_page(spec, steps, flows, a, b, letters) for a, b in cuts]


def _letters(
    steps: list[ChartStep], flows: list[ChartFlow], cuts: list[tuple[int, int]]
) -> dict[str, str]:
    """A letter for each step that an arrow reaches across a page cut, in chart order."""
    page_of: dict[str, int] = {}
    for number, (a, b) in enumerate(cuts):
        for step in steps[a:b]:
            page_of[step.key] = number
    targets = {
        flow.target
        for flow in flows
        if flow.source in page_of
        and flow.target in page_of
        and page_of[flow.source] != page_of[flow.target]
    }
    ordered = [step.key for step in steps if step.key in targets]
    return {key: connector_letter(n) for n, key in enumerate(ordered)}
