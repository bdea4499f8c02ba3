from __future__ import annotations

from flowcharts.layout import compute_layout
from flowcharts.paging import paginate
from flowcharts.render import render
from flowcharts.samples import saraban_spec, synthetic_spec
from flowcharts.spec import effective_flows

from .svgparse import groups, parse, texts

PAGE_H = 540.0  # A4 landscape, usable height in points


def test_short_chart_is_one_page():
    spec = saraban_spec()
    assert paginate(spec, 5000) == [spec]


def test_sixty_steps_split_into_pages():
    spec = synthetic_spec(60, 8)
    pages = paginate(spec, PAGE_H, 770)
    full = compute_layout(spec)
    limit = PAGE_H * full.width / 770
    expected_min = int(full.height // limit)
    assert len(pages) >= max(2, expected_min)
    keys = [s.key for page in pages for s in page.steps if not s.key.startswith("__page_")]
    assert keys == [s.key for s in spec.steps]  # every step exactly once, in order
    for page in pages:
        layout = compute_layout(page)
        assert layout.height <= limit
        assert [lane.key for lane in page.lanes] == [lane.key for lane in spec.lanes]
    connectors = [s for page in pages for s in page.steps if s.key.startswith("__page_")]
    assert connectors and all(s.shape == "connector" for s in connectors)
    # each crossing target's letter appears on both sides of the cut
    outs = {s.label for s in connectors if s.key.startswith("__page_out_")}
    ins = {s.label for s in connectors if s.key.startswith("__page_in_")}
    assert outs == ins


def test_arrows_preserved_across_pages():
    spec = synthetic_spec(60, 8)
    pages = paginate(spec, PAGE_H, 770)
    flows = effective_flows(spec.steps, spec.flows)
    page_of = {s.key: n for n, page in enumerate(pages) for s in page.steps}
    inside = sum(1 for f in flows if page_of[f.source] == page_of[f.target])
    crossing = [f for f in flows if page_of[f.source] != page_of[f.target]]
    assert crossing
    drawn = sum(len(effective_flows(p.steps, p.flows, implicit_next=False)) for p in pages)
    crossing_targets_per_page = {(page_of[f.target], f.target) for f in crossing}
    # inside arrows + one arrow into each out-connector per crossing arrow (deduplicated by
    # source and target) + one arrow out of each in-connector
    assert drawn >= inside + len(crossing_targets_per_page)


def test_pages_render_with_header_and_connectors():
    pages = paginate(synthetic_spec(60, 8), PAGE_H, 770)
    for page in pages:
        root = parse(render(page, "svg"))
        heads = groups(root, "lane-head")
        assert len(heads) == 8
        circles = groups(root, "shape-connector")
        letters = ["".join(texts(c)) for c in circles]
        assert all(letters)
    assert any(groups(parse(render(p, "svg")), "shape-connector") for p in pages)


def test_first_page_may_be_shorter_and_pages_are_filled():
    spec = synthetic_spec(60, 8)
    full = compute_layout(spec)
    factor = full.width / 770
    first_limit, limit = (PAGE_H - 120) * factor, PAGE_H * factor
    pages = paginate(spec, PAGE_H, 770, first_page_height_pt=PAGE_H - 120)
    heights = [compute_layout(page).height for page in pages]
    assert heights[0] <= first_limit
    assert all(h <= limit for h in heights[1:])
    assert any(h > first_limit for h in heights[1:])  # the later pages use their extra room
    # filled greedily: no page but the last is left mostly empty
    for number, height in enumerate(heights[:-1]):
        assert height >= 0.6 * (first_limit if number == 0 else limit)
    keys = [s.key for page in pages for s in page.steps if not s.key.startswith("__page_")]
    assert keys == [s.key for s in spec.steps]
    assert pages == paginate(spec, PAGE_H, 770, first_page_height_pt=PAGE_H - 120)
