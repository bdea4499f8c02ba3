"""The step rows of the process editor, each drawn once per change of what it shows.

A process has up to a hundred steps and the editor page is opened again after nearly every
save; drawing every row's template each time was half of the page's time. ``{% step_rows steps %}``
draws a row from ``processes/_step_row.html`` only when its cache key is new. The key is a hash
of everything the row shows (the step's fields, its number, lane and other lanes, forms, arrows
and their targets' numbers, its open comments, its buttons' URLs), of whether the reader may
edit, of the interface language, and of the row templates' own source, so an edit anywhere
(a lane renamed, a step moved, a comment opened, a template changed) gives another key and
never an old row. Rows come from the cache in one ``get_many``.
"""

from __future__ import annotations

import functools
import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()

ROW_TEMPLATE = "processes/_step_row.html"
ROW_SECONDS = 24 * 3600


@functools.cache
def _templates_version() -> str:
    sources = [
        get_template(name).template.source for name in (ROW_TEMPLATE, "processes/_duration.html")
    ]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:12]


def row_key(step, *, can_edit: bool, is_last: bool, single: bool, comments: int) -> str:
    """The cache key of one row: a hash of every value ``_step_row.html`` shows."""
    lane = step.lane if step.lane_id else None
    values = (
        _templates_version(),
        translation.get_language(),
        can_edit,
        is_last and not single,
        comments,
        step.pk,
        step.process_id,
        step.position,
        getattr(step, "number", None),
        step.shape,
        step.label,
        step.detail,
        lane.name if lane else None,
        step.duration_text,
        step.quality_standard,
        step.monitoring,
        step.references,
        tuple(other.name for other in step.other_lanes.all()),
        tuple(form.code for form in step.forms.all()),
        tuple(
            (flow.label, getattr(flow, "target_number", None), flow.target.shape)
            for flow in step.outgoing.all()
        ),
        tuple(sorted(getattr(step, "row_urls", {}).items())),
    )
    return "steprow:" + hashlib.sha256(repr(values).encode()).hexdigest()[:40]


@register.simple_tag(takes_context=True)
def step_rows(context, steps) -> str:
    counts = context.get("comment_counts") or {}
    can_edit = bool(context.get("can_edit"))
    single = bool(context.get("single"))
    steps = list(steps)
    rows = []
    for index, step in enumerate(steps):
        is_last = index == len(steps) - 1
        comments = counts.get(step.lineage, 0)
        key = row_key(step, can_edit=can_edit, is_last=is_last, single=single, comments=comments)
        rows.append((step, is_last, comments, key))
    cached = cache.get_many([key for *_rest, key in rows])
    row_template = get_template(ROW_TEMPLATE)
    out, fresh = [], {}
    for step, is_last, comments, key in rows:
        html = cached.get(key)
        if html is None:
            html = row_template.render(
                {
                    "step": step,
                    "can_edit": can_edit,
                    "is_last": is_last,
                    "single": single,
                    "n": comments,
                }
            )
            fresh[key] = html
        out.append(html)
    if fresh:
        cache.set_many(fresh, ROW_SECONDS)
    return mark_safe("".join(out))  # noqa: S308 - drawn here by the autoescaping template
