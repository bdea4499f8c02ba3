"""Table 4 (แผนผังกระบวนการงาน) of a process in the browser: inline SVG, PNG download, legend."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.thai import thai_digits
from manuals.permissions import require
from processes.models import Process

from .embed import chart_filename, step_edit_url_builder, svg_for_html
from .legend import render_legend
from .render import ChartError
from .render import render as render_chart
from .selectors import chart_spec_for_process, process_for_chart, sub_processes

logger = logging.getLogger(__name__)


def _readable_process(request, pk: int) -> Process:
    try:
        process = process_for_chart(pk=pk)
    except Process.DoesNotExist as exc:
        raise Http404(_("ไม่พบกระบวนการนี้")) from exc
    require(request.user, "manuals.view_edition", process.edition)
    return process


def _chart_context(request, process: Process) -> dict:
    """The chart as inline SVG, or the Thai message saying why it could not be drawn."""
    title = f"{thai_digits(process.number)} {process.name}"
    step_url = step_edit_url_builder(request.user, process.edition)
    spec = chart_spec_for_process(process, step_url=step_url)
    context = {
        "process": process,
        "title": title,
        "svg": None,
        "error": None,
        "editable": step_url is not None,
    }
    try:
        svg = render_chart(spec, "svg")
    except ChartError as error:
        logger.warning("chart of process %s failed: %s", process.pk, error.detail)
        context["error"] = error.message
    else:
        context["svg"] = svg_for_html(svg, id_prefix=f"p{process.pk}-", label=title)
    context["step_count"] = len(spec.steps)
    return context


def _legend_context() -> dict:
    try:
        svg = render_legend("svg")
    except ChartError as error:
        logger.warning("chart legend failed: %s", error.detail)
        return {"legend_svg": None, "legend_error": error.message}
    label = _("คำอธิบายสัญลักษณ์ที่ใช้")
    return {"legend_svg": svg_for_html(svg, id_prefix="lg-", label=label), "legend_error": None}


@login_required
@require_GET
def process_svg(request, pk: int):
    """The swimlane chart of a process as an HTML fragment (for the editor page or htmx): step
    details as tooltips, and for the unit's editors a click on a step opens it. A chart that
    cannot be drawn shows the reason instead, never an error page."""
    process = _readable_process(request, pk)
    return render(request, "flowcharts/_chart.html", _chart_context(request, process))


@login_required
@require_GET
def process_png(request, pk: int):
    """Downloads the chart of a process as a PNG named after the manual and process number."""
    process = _readable_process(request, pk)
    try:
        png = render_chart(chart_spec_for_process(process), "png")
    except ChartError as error:
        logger.warning("chart PNG of process %s failed: %s", process.pk, error.detail)
        context = {
            "process": process,
            "title": f"{thai_digits(process.number)} {process.name}",
            "svg": None,
            "error": error.message,
            "children": [],
            **_legend_context(),
        }
        return render(request, "flowcharts/process_page.html", context)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=chart_filename(process, "png")
    )
    return response


@login_required
@require_GET
def legend_svg(request):
    """คำอธิบายสัญลักษณ์ที่ใช้ (the symbol legend) as an HTML fragment."""
    return render(request, "flowcharts/_legend.html", _legend_context())


@login_required
@require_GET
def process_page(request, pk: int):
    """A page with the chart of one process, its sub-processes and the symbol legend."""
    process = _readable_process(request, pk)
    context = {
        **_chart_context(request, process),
        **_legend_context(),
        "children": sub_processes(process=process),
    }
    return render(request, "flowcharts/process_page.html", context)
