"""Putting a rendered chart into a web page, and the file names charts are saved under."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from core.escaping import regex_replacement, xml_attr

# The step editor belongs to the processes app; these are the URL shapes it may take. Until one
# of them exists, charts carry no links (tooltips only).
STEP_EDIT_URL = "processes:step_edit"
_STEP_EDIT_KWARGS: tuple[tuple[str, ...], ...] = (("pk",), ("step_pk",), ("process_pk", "pk"))

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Graphviz's <title> holds internal node names ("s3", "s0->s1"): the browser would show them as
# tooltips. The real tooltips (a step's detail) are the xlink:title of each node's <a>.
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_ID = re.compile(r'(\s)id="')
_SVG_OPEN = re.compile(r"<svg\b")


def svg_for_html(svg: bytes, *, id_prefix: str, label: str) -> SafeString:
    """Graphviz SVG ready to inline in HTML: no XML prolog, comments or internal titles, ids
    prefixed so several charts can share a page, labelled for screen readers.

    Only for SVG made by ``flowcharts.render`` from a ChartSpec or legend: every user text in it
    was cleaned and escaped by the engine (``text.clean``, ``dot_quote``, HTML-like labels with
    entities) and escaped again by Graphviz's XML writer, so in the SVG text is character data
    and ``"``/``<`` inside attribute values are entities. That is what makes the regular
    expressions below safe (``id="`` can only be an attribute) and marking the result safe
    correct; never pass SVG from anywhere else.
    """
    text = svg.decode("utf-8")
    text = _PROLOG.sub("", text, count=1)
    text = _COMMENT.sub("", text)
    text = _TITLE.sub("", text)
    # Both replacements hold caller text: a backslash in a process name (``C:\\x``, ``\\1``)
    # must stay literal, not become a group reference or a bad escape.
    text = _ID.sub(r"\1id=" + '"' + regex_replacement(xml_attr(id_prefix)), text)
    opening = f'<svg class="flowchart-svg" role="img" aria-label="{xml_attr(label)}"'
    text = _SVG_OPEN.sub(regex_replacement(opening), text, count=1)
    # Safe: our engine's output, escaped as explained above; ``label`` is escaped here.
    return mark_safe(text.strip())  # noqa: S308


def step_edit_url_builder(user, edition) -> Callable | None:
    """``step -> URL of its editor`` for a user who may edit ``edition`` now, else None (also
    None while the processes app has no step editor page)."""
    from manuals.permissions import can_edit

    if not can_edit(user, edition):
        return None
    for names in _STEP_EDIT_KWARGS:
        try:
            reverse(STEP_EDIT_URL, kwargs=dict.fromkeys(names, 1))
        except NoReverseMatch:
            continue

        def build(step, names=names) -> str:
            values = {"pk": step.pk, "step_pk": step.pk, "process_pk": step.process_id}
            return reverse(STEP_EDIT_URL, kwargs={name: values[name] for name in names})

        return build
    return None


def chart_filename(process, extension: str, *, manual_slug: str | None = None) -> str:
    """``<manual-slug>_<process number>.<extension>``, e.g. ``kpp-spsc_1.1.png`` (Arabic digits:
    file names travel through e-mail and zip tools that mangle Thai)."""
    slug = manual_slug or process.edition.manual.slug
    return f"{slug}_{process.number}.{extension}"
