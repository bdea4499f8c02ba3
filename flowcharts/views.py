"""Table 4 (แผนผังกระบวนการงาน) of a process in the browser: inline SVG, PNG download, legend."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

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


def _lane_set_context(request, edition, form, *, saved=False, stale=None) -> dict:
    from manuals.permissions import can_edit

    from .selectors import chart_lanes

    drawn, lane_set = chart_lanes(edition=edition, lanes=form.lanes)
    rows = form.rows()
    for row in rows:
        row["drawn"] = drawn[row["lane"].pk]
    return {
        "edition": edition,
        "manual": edition.manual,
        "form": form,
        "rows": rows,
        "can_edit": can_edit(request.user, edition),
        "always_names": [lane.name for lane in lane_set],
        "saved": saved,
        "stale": stale,
    }


@login_required
@require_http_methods(["GET", "POST"])
def lane_set(request, edition_pk: int):
    """The manual's chart lane set, edited once for every chart (ตารางที่ ๔): lane order,
    kinds, the unit each position sits in, lanes always shown, unit or position lanes and the
    group header. Readers see it; editors of a draft change it. 422 on bad input, 409 when
    someone else saved meanwhile (the user's values are kept on the form)."""
    from django.core.exceptions import ValidationError

    from manuals.models import Edition

    from .forms import LaneSetForm
    from .selectors import edition_lanes
    from .services import LaneSetStaleError, lane_set_update

    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=edition_pk)
    require(request.user, "manuals.view_edition", edition)
    lanes = edition_lanes(edition=edition)
    if request.method == "GET":
        form = LaneSetForm(edition=edition, lanes=lanes)
        saved = request.GET.get("saved") == "1"
        return render(
            request,
            "flowcharts/lane_set.html",
            _lane_set_context(request, edition, form, saved=saved),
        )
    require(request.user, "manuals.edit_edition", edition)
    form = LaneSetForm(request.POST, edition=edition, lanes=lanes)
    if form.is_valid():
        try:
            lane_set_update(
                edition=edition,
                by=request.user,
                mode=form.cleaned_data["mode"],
                header=form.cleaned_data["header"],
                rows=form.lane_rows(),
                seen_mode=form.seen("mode"),
                seen_header=form.seen("header"),
            )
        except LaneSetStaleError as exc:
            # keep what the user typed; the hidden versions become the current ones, so
            # saving again (after looking) is a deliberate overwrite
            data = request.POST.copy()
            for lane in lanes:
                data[f"version_{lane.pk}"] = str(lane.version)
            data[form.add_initial_prefix("mode")] = exc.edition.chart_lane_mode
            data[form.add_initial_prefix("header")] = exc.edition.chart_lane_header
            fresh = LaneSetForm(data, edition=edition, lanes=lanes)
            fresh.is_valid()
            stale = {"lanes": exc.lanes, "settings": exc.settings_changed, "message": exc.message}
            context = _lane_set_context(request, exc.edition, fresh, stale=stale)
            return render(request, "flowcharts/lane_set.html", context, status=409)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            url = reverse("flowcharts:lane_set", kwargs={"edition_pk": edition.pk})
            return redirect(f"{url}?saved=1")
    context = _lane_set_context(request, edition, form)
    return render(request, "flowcharts/lane_set.html", context, status=422)
