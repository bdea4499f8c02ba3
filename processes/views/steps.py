"""The steps table of the process editor (Table 3 rows): edit, insert, delete, move."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.params import is_int, parse_int, parse_text
from manuals.permissions import can_edit, require
from processes import selectors, services
from processes.durations import parse_duration
from processes.forms import FlowForm, MoveForm, StepForm, StepMoveForm
from processes.models import Flow, Process, Step
from processes.views.common import (
    EDIT,
    STEPS_CHANGED,
    _errors_into,
    _partial,
    _require_view,
    _save_versioned,
)

_PK_MARK = 2_147_483_647


def _url_maker(name: str, *leading):
    """``pk -> URL`` of a route whose last argument is a pk (after ``leading`` fixed ones):
    one reverse() per response, not one per row."""
    head, tail = reverse(name, args=[*leading, _PK_MARK]).split(str(_PK_MARK))
    return lambda pk: f"{head}{pk}{tail}"


def _with_row_urls(steps: list[Step], process: Process) -> list[Step]:
    """Give each step the URLs its row's buttons call (``step.row_urls``), and the number
    the printed tables give it and its arrows' targets (start and end are unnumbered)."""
    number_of = selectors.step_number_map(process=process)
    edit = _url_maker("processes:step_edit")
    move = _url_maker("processes:step_move")
    delete = _url_maker("processes:step_delete")
    comments = _url_maker("reviews:comments", "step")
    insert = reverse("processes:step_new", args=[process.pk]) + "?after="
    for step in steps:
        step.number = number_of.get(step.pk)
        for flow in step.outgoing.all():
            flow.target_number = number_of.get(flow.target_id)
        step.row_urls = {
            "edit": edit(step.pk),
            "move": move(step.pk),
            "delete": delete(step.pk),
            "insert": f"{insert}{step.pk}",
            "comments": comments(step.pk),
        }
    return steps


def _step_context(request, process, *, steps=None, editable=None):
    edition = process.edition
    if steps is None:
        steps = list(selectors.steps_for_process(process=process))
    return {
        "process": process,
        "edition": edition,
        "steps": _with_row_urls(steps, process),
        "can_edit": can_edit(request.user, edition) if editable is None else editable,
    }


def _step_row_response(request, step: Step, *, editable: bool, trigger=None):
    """One step's row (after a save or a cancel): the rows template with just this step."""
    context = {
        "steps": _with_row_urls([step], step.process),
        "process": step.process,
        "can_edit": editable,
        "single": True,
    }
    return _partial(request, "processes/_step_rows.html", context, trigger=trigger)


@login_required
@require_GET
def step_table(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    _require_view(request, process)
    return render(request, "processes/_step_table.html", _step_context(request, process))


def _step_form(step, data=None, *, edition):
    lanes = selectors.lanes_of(edition=edition)
    forms_list = selectors.forms_of(edition=edition)
    initial = {"version": step.version} if step.pk else {}
    return StepForm(
        data,
        instance=step,
        edition=edition,
        initial=initial,
        lanes=lanes,
        forms_list=forms_list,
    )


ROW_PREFETCH = (
    "other_lanes",
    "forms",
    Prefetch("outgoing", queryset=Flow.objects.select_related("target").order_by("position", "pk")),
)


def _step_get(pk: int, *prefetch) -> Step:
    """One step with its process, edition and manual (for permissions), and ``prefetch``."""
    return get_object_or_404(
        Step.objects.select_related("process__edition__manual", "lane").prefetch_related(*prefetch),
        pk=pk,
    )


def _flows_context(step, *, form=None, flows=None) -> dict:
    if flows is None:
        flows = list(step.outgoing.select_related("target").order_by("position", "pk"))
    return {"step": step, "flows": flows, "flow_form": form or FlowForm(source=step)}


@login_required
@require_GET
def step_row(request, pk: int):
    step = _step_get(pk, *ROW_PREFETCH)
    edition = _require_view(request, step)
    return _step_row_response(request, step, editable=can_edit(request.user, edition))


@login_required
def step_edit(request, pk: int):
    """GET: the step as a form in place; POST: save every column (422 / 409 in place)."""
    if request.method == "GET":
        step = _step_get(pk, *ROW_PREFETCH)
        edition = step.process.edition
        require(request.user, EDIT, edition)
        form = _step_form(step, edition=edition)
        flows = list(step.outgoing.all())
        return render(
            request,
            "processes/_step_form.html",
            {"step": step, "form": form, **_flows_context(step, flows=flows)},
        )
    if request.method != "POST":
        return HttpResponse(status=405)
    step = _step_get(pk)
    edition = step.process.edition
    require(request.user, EDIT, edition)
    # The form writes what was typed into its instance: keep ``step`` as stored.
    form = _step_form(copy.copy(step), request.POST, edition=edition)
    saved, stale = _save_versioned(
        form,
        lambda data, version: services.step_update(
            step=step, by=request.user, data=data, expected_version=version
        ),
    )
    if saved is not None:
        # Only the saved row goes back; the preview and chart refresh on the trigger.
        prefetch_related_objects([saved], *ROW_PREFETCH)
        return _step_row_response(request, saved, editable=True, trigger=STEPS_CHANGED)
    context = {"step": step, "form": form, "stale": stale, **_flows_context(step)}
    return _partial(request, "processes/_step_form.html", context, status=409 if stale else 422)


@login_required
def step_new(request, pk: int):
    """GET: an empty step form placed after ``?after=<step id>`` (or at the end); POST: insert."""
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    edition = process.edition
    require(request.user, EDIT, edition)
    source = request.GET if request.method == "GET" else request.POST
    after = None
    after_id = source.get("after", "")
    if after_id:
        if not is_int(after_id, minimum=1):
            return HttpResponse(_("ขั้นตอนที่อ้างถึงไม่ถูกต้อง"), status=400)
        after = Step.objects.filter(pk=parse_int(after_id), process=process).first()
        if after is None:
            return HttpResponse(_("ขั้นตอนที่อ้างถึงไม่อยู่ในกระบวนการนี้"), status=400)
    blank = Step(process=process)
    if request.method == "GET":
        form = _step_form(blank, edition=edition)
        return render(
            request, "processes/_step_new.html", {"process": process, "form": form, "after": after}
        )
    if request.method != "POST":
        return HttpResponse(status=405)
    form = _step_form(blank, request.POST, edition=edition)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.step_insert(process=process, by=request.user, after=after, data=data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _partial(
                request,
                "processes/_step_table.html",
                _step_context(request, process, editable=True),
                trigger=STEPS_CHANGED,
            )
    response = _partial(
        request,
        "processes/_step_new.html",
        {"process": process, "form": form, "after": after},
        status=422,
    )
    # Keep the table; only the new-step form shows its errors.
    response["HX-Retarget"] = "#new-step-row"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
@require_POST
def step_delete(request, pk: int):
    step = get_object_or_404(Step.objects.select_related("process__edition__manual"), pk=pk)
    process = step.process
    services.step_delete(step=step, by=request.user)
    return _partial(
        request,
        "processes/_step_table.html",
        _step_context(request, process, editable=True),
        trigger=STEPS_CHANGED,
    )


@login_required
@require_POST
def step_move(request, pk: int):
    """Move a step: ``to_position`` (drag and drop) or ``direction`` up / down (keyboard)."""
    step = get_object_or_404(Step.objects.select_related("process__edition__manual"), pk=pk)
    process = step.process
    require(request.user, EDIT, step)
    if "direction" in request.POST:
        form = MoveForm(request.POST)
        if not form.is_valid() or form.cleaned_data["direction"] not in ("up", "down"):
            return HttpResponse(_("ทิศทางการย้ายไม่ถูกต้อง"), status=400)
        to_position = step.position + (-1 if form.cleaned_data["direction"] == "up" else 1)
        count = Step.objects.filter(process=process).count()
        to_position = min(max(to_position, 1), count)
    else:
        form = StepMoveForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("ลำดับใหม่ไม่ถูกต้อง"), status=400)
        to_position = form.cleaned_data["to_position"]
    try:
        services.step_move(step=step, by=request.user, to_position=to_position)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422)
    return _partial(
        request,
        "processes/_step_table.html",
        _step_context(request, process, editable=True),
        trigger=STEPS_CHANGED,
    )


@login_required
@require_GET
def duration_check(request):
    """The parsed reading of a duration as the editor types it."""
    text = parse_text(request.GET.get("duration_text"))
    return render(
        request, "processes/_duration.html", {"duration": parse_duration(text), "text": text}
    )
