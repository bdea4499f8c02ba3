"""The process editor: thin views over processes.services, answering HTMX with partials.

Invalid data answers 422 with the form and its Thai errors in place; a save based on stale
data answers 409 with the other person's change; no permission answers 403 (templates/403.html).
"""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.params import is_int, parse_int, parse_text
from manuals import services as manual_services
from manuals.models import Edition
from manuals.permissions import can_edit, require
from manuals.services import StaleDataError
from processes import selectors, services
from processes.durations import parse_duration
from processes.forms import (
    EDITION_LISTS,
    PROCESS_LISTS,
    ROW_KINDS,
    FlowForm,
    LaneMergeForm,
    LegalAddForm,
    LegalNewForm,
    MoveForm,
    ProcessCreateForm,
    ProcessForm,
    StepForm,
    StepMoveForm,
)
from processes.models import Flow, Mission, Process, Step

EDIT = "manuals.edit_edition"
VIEW = "manuals.view_edition"
STEPS_CHANGED = "steps-changed"


# --- helpers ------------------------------------------------------------------------------------


def _partial(request, template, context, *, status=200, trigger=None):
    response = render(request, template, context, status=status)
    if trigger:
        response["HX-Trigger"] = trigger
    return response


def _errors_into(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors next to their field)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


MISSING_VERSION = gettext_lazy("ข้อมูลที่ส่งมาไม่ครบ (รุ่นของข้อมูล) โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง")


def _save_versioned(form, save):
    """Save a bound form through ``save(data, expected_version)``, never over someone else's change.

    Returns ``(saved, stale)``: ``saved`` is the service's result, or None when the form now
    carries errors; ``stale`` describes the other person's change when the version was old.
    """
    if form.is_valid() and form.cleaned_data.get("version") is None:
        form.add_error(None, MISSING_VERSION)
    if not form.is_valid():
        return None, None
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        return save(data, form.cleaned_data["version"]), None
    except StaleDataError as exc:
        return None, _stale(form, exc.current)
    except ValidationError as exc:
        _errors_into(form, exc)
        return None, None


def _display(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "all"):
        return ", ".join(sorted(str(v) for v in value.all()))
    if isinstance(value, list | tuple) or type(value).__name__ == "QuerySet":
        return ", ".join(sorted(str(v) for v in value))
    return str(value)


def _stale(form, current) -> dict:
    """What the other person saved, field by field, next to what this user tried to save."""
    diffs = []
    for name, field in form.fields.items():
        if name in ("version", "new_lane") or not hasattr(current, name):
            continue
        theirs = getattr(current, name)
        model_field = current._meta.get_field(name)
        if getattr(model_field, "choices", None):
            theirs = getattr(current, f"get_{name}_display")()
        yours = form.cleaned_data.get(name)
        if getattr(model_field, "choices", None) and yours is not None:
            yours = dict(model_field.flatchoices).get(yours, yours)
        if _display(theirs) != _display(yours):
            diffs.append((field.label, _display(theirs), _display(yours)))
    record = current.history.select_related("history_user").first()
    return {
        "diffs": diffs,
        "who": getattr(record, "history_user", None),
        "when": getattr(record, "history_date", None),
    }


def _edition_of(obj) -> Edition:
    return obj if isinstance(obj, Edition) else obj.get_edition()


def _require_view(request, obj) -> Edition:
    edition = _edition_of(obj)
    require(request.user, VIEW, edition)
    return edition


def _kind_or_404(slug: str):
    kind = ROW_KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _row_or_404(kind, pk: int):
    qs = kind.model.objects.all()
    if kind.model is Process:
        qs = qs.select_related("edition")
    row = get_object_or_404(qs, pk=pk)
    if not kind.owns(row):
        raise Http404
    return row


def _parent_of(kind, pk: int):
    if kind.parent == "edition":
        return get_object_or_404(Edition.objects.select_related("manual"), pk=pk)
    return get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)


def _list_context(request, kind, parent, *, add_form=None) -> dict:
    """A list with its rows. A list of its own page shows its add form; a Table 2 list of the
    process editor loads it when the editor asks for it (``add_form`` None: a button)."""
    edition = _edition_of(parent)
    if add_form is None and kind.parent == "edition":
        add_form = kind.form_class()(edition=edition)
    return {
        "kind": kind,
        "parent": parent,
        "rows": [(row, kind.cells(row)) for row in kind.rows(parent)],
        "can_edit": can_edit(request.user, edition),
        "add_form": add_form,
        "edition": edition,
    }


# --- generic row lists (Table 1 missions, Table 2 lists, back matter) --------------------------


@login_required
@require_GET
def edition_list(request, edition_pk: int, kind: str):
    """A page for one edition-level list: lanes, forms, definitions, abbreviations, duties."""
    if kind not in EDITION_LISTS:
        raise Http404
    kind_obj = _kind_or_404(kind)
    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=edition_pk)
    _require_view(request, edition)
    context = _list_context(request, kind_obj, edition)
    context["manual"] = edition.manual
    if kind == "lane":
        context["merge_form"] = LaneMergeForm(edition=edition)
    return render(request, "processes/edition_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def row_create(request, kind: str, parent_pk: int):
    """GET: the empty add form of a list (opened on demand); POST: add the row, show the list."""
    kind_obj = _kind_or_404(kind)
    if not kind_obj.creatable:
        raise Http404
    parent = _parent_of(kind_obj, parent_pk)
    edition = _edition_of(parent)
    require(request.user, EDIT, edition)
    if request.method == "GET":
        context = {
            "kind": kind_obj,
            "parent": parent,
            "add_form": kind_obj.form_class()(edition=edition),
        }
        return render(request, "processes/_row_add.html", context)
    form = kind_obj.form_class()(request.POST, edition=edition)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in kind_obj.fields}
        data.update(kind_obj.fixed)
        try:
            manual_services.content_row_create(
                model=kind_obj.model, by=request.user, parent={kind_obj.parent: parent}, data=data
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            # The add form stays open, empty, for the next row.
            fresh = kind_obj.form_class()(edition=edition)
            context = _list_context(request, kind_obj, parent, add_form=fresh)
            return _partial(request, "processes/_list.html", context)
    context = _list_context(request, kind_obj, parent, add_form=form)
    return _partial(request, "processes/_list.html", context, status=422)


@login_required
@require_GET
def row_view(request, kind: str, pk: int):
    kind_obj = _kind_or_404(kind)
    row = _row_or_404(kind_obj, pk)
    edition = _require_view(request, row)
    return render(
        request,
        "processes/_row.html",
        {
            "kind": kind_obj,
            "row": row,
            "cells": kind_obj.cells(row),
            "can_edit": can_edit(request.user, edition),
        },
    )


@login_required
def row_edit(request, kind: str, pk: int):
    """GET: the row as a form in place; POST: save it (422 errors, 409 stale) and show the row."""
    kind_obj = _kind_or_404(kind)
    row = _row_or_404(kind_obj, pk)
    edition = _edition_of(row)
    require(request.user, EDIT, edition)
    form_class = kind_obj.form_class()
    if request.method == "GET":
        form = form_class(instance=row, initial={"version": row.version})
        return render(
            request, "processes/_row_form.html", {"kind": kind_obj, "row": row, "form": form}
        )
    if request.method != "POST":
        return HttpResponse(status=405)
    form = form_class(request.POST, instance=kind_obj.model.objects.get(pk=row.pk))
    saved, stale = _save_versioned(
        form,
        lambda data, version: manual_services.content_row_update(
            row=row,
            by=request.user,
            data={name: data[name] for name in kind_obj.fields},
            expected_version=version,
        ),
    )
    if saved is not None:
        return _partial(
            request,
            "processes/_row.html",
            {"kind": kind_obj, "row": saved, "cells": kind_obj.cells(saved), "can_edit": True},
            trigger="rows-changed",
        )
    context = {"kind": kind_obj, "row": row, "form": form, "stale": stale}
    return _partial(request, "processes/_row_form.html", context, status=409 if stale else 422)


@login_required
@require_POST
def row_delete(request, kind: str, pk: int):
    kind_obj = _kind_or_404(kind)
    row = _row_or_404(kind_obj, pk)
    parent = getattr(row, kind_obj.parent)
    manual_services.content_row_delete(row=row, by=request.user)
    return _partial(request, "processes/_list.html", _list_context(request, kind_obj, parent))


@login_required
@require_POST
def row_move(request, kind: str, pk: int):
    kind_obj = _kind_or_404(kind)
    row = _row_or_404(kind_obj, pk)
    parent = getattr(row, kind_obj.parent)
    require(request.user, EDIT, row)
    form = MoveForm(request.POST)
    if not kind_obj.positioned:
        return HttpResponse(_("รายการนี้เรียงตามรหัสโดยอัตโนมัติ ย้ายลำดับเองไม่ได้"), status=400)
    if not form.is_valid() or form.cleaned_data["direction"] not in ("up", "down"):
        return HttpResponse(_("ทิศทางการย้ายไม่ถูกต้อง"), status=400)
    try:
        manual_services.content_row_move(
            row=row, by=request.user, direction=form.cleaned_data["direction"]
        )
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    return _partial(request, "processes/_list.html", _list_context(request, kind_obj, parent))


@login_required
@require_POST
def lane_merge(request, edition_pk: int):
    edition = get_object_or_404(Edition, pk=edition_pk)
    require(request.user, EDIT, edition)
    form = LaneMergeForm(request.POST, edition=edition)
    if form.is_valid():
        try:
            services.lane_merge(
                keep=form.cleaned_data["keep"], remove=form.cleaned_data["remove"], by=request.user
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            context = _list_context(request, ROW_KINDS["lane"], edition)
            context["merge_form"] = LaneMergeForm(edition=edition)
            context["merged"] = True
            return _partial(request, "processes/_lanes.html", context)
    context = _list_context(request, ROW_KINDS["lane"], edition)
    context["merge_form"] = form
    return _partial(request, "processes/_lanes.html", context, status=422)


# --- Table 1: missions and the process tree ---------------------------------------------------


def _tree_context(request, edition, *, errors=None) -> dict:
    return {
        "edition": edition,
        "manual": edition.manual,
        "tree": selectors.process_tree(edition=edition),
        "can_edit": can_edit(request.user, edition),
        "tree_errors": errors or [],
        "mission_kind": ROW_KINDS["mission"],
    }


@login_required
@require_GET
def table1(request, edition_pk: int):
    """Table 1: missions, and the process tree (add, rename, move, delete, renumber)."""
    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=edition_pk)
    _require_view(request, edition)
    context = _tree_context(request, edition)
    context["missions"] = _list_context(request, ROW_KINDS["mission"], edition)
    return render(request, "processes/table1.html", context)


@login_required
@require_POST
def process_create(request, mission_pk: int):
    mission = get_object_or_404(Mission.objects.select_related("edition__manual"), pk=mission_pk)
    edition = mission.edition
    require(request.user, EDIT, edition)
    form = ProcessCreateForm(request.POST, mission=mission)
    errors = []
    if form.is_valid():
        try:
            services.process_create(
                mission=mission,
                by=request.user,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as exc:
            errors = exc.messages
    else:
        errors = [e for errs in form.errors.values() for e in errs]
    context = _tree_context(request, edition, errors=errors)
    return _partial(request, "processes/_tree.html", context, status=422 if errors else 200)


@login_required
@require_POST
def process_move(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    require(request.user, EDIT, process)
    form = MoveForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            services.process_move(
                process=process, by=request.user, direction=form.cleaned_data["direction"]
            )
        except ValidationError as exc:
            errors = exc.messages
    else:
        return HttpResponse(_("ทิศทางการย้ายไม่ถูกต้อง"), status=400)
    context = _tree_context(request, process.edition, errors=errors)
    return _partial(request, "processes/_tree.html", context, status=422 if errors else 200)


@login_required
@require_POST
def process_delete(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    edition = process.edition
    services.process_delete(process=process, by=request.user)
    if request.htmx and request.POST.get("from") == "editor":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = edition.get_absolute_url()
        return response
    return _partial(request, "processes/_tree.html", _tree_context(request, edition))


@login_required
def process_edit(request, pk: int):
    """The process's Table 1 row (name, scope, responsible unit) edited in place."""
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    edition = process.edition
    if request.method == "GET" and request.GET.get("view"):
        _require_view(request, edition)
        process._number = selectors.process_number(process)
        return render(
            request,
            "processes/_process_card.html",
            {"process": process, "can_edit": can_edit(request.user, edition)},
        )
    require(request.user, EDIT, edition)
    if request.method == "GET":
        form = ProcessForm(instance=process, initial={"version": process.version})
        return render(
            request, "processes/_process_card_form.html", {"process": process, "form": form}
        )
    if request.method != "POST":
        return HttpResponse(status=405)
    form = ProcessForm(request.POST, instance=Process.objects.get(pk=pk))
    saved, stale = _save_versioned(
        form,
        lambda data, version: services.process_update(
            process=process, by=request.user, data=data, expected_version=version
        ),
    )
    if saved is not None:
        saved._number = selectors.process_number(saved)
        return _partial(
            request,
            "processes/_process_card.html",
            {"process": saved, "can_edit": True},
            trigger=STEPS_CHANGED,
        )
    context = {"process": process, "form": form, "stale": stale}
    return _partial(
        request, "processes/_process_card_form.html", context, status=409 if stale else 422
    )


# --- the process editor ------------------------------------------------------------------------


def _process_lists(request, process, editable: bool) -> list[dict]:
    """Table 2 lists from the prefetched rows (no query per list)."""
    by_kind: dict = {}
    for row in process.requirements.all():
        by_kind.setdefault(row.kind, []).append(row)
    sources = {
        "stakeholder": list(process.stakeholders.all()),
        "key_requirement": by_kind.get("key", []),
        "indicator": list(process.indicators.all()),
        "legal": list(process.legal_requirements.all()),
        "efficiency": by_kind.get("efficiency", []),
        "cost": by_kind.get("cost_effectiveness", []),
    }
    out = []
    for slug in PROCESS_LISTS:
        kind = ROW_KINDS[slug]
        out.append(
            {
                "kind": kind,
                "parent": process,
                "rows": [(row, kind.cells(row)) for row in sources[slug]],
                "can_edit": editable,
                "add_form": None,  # loaded when the editor opens it
                "edition": process.edition,
            }
        )
    return out


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
def process_editor(request, pk: int):
    """Everything of one process on one page: Table 1 row, Table 2, the steps, the previews."""
    try:
        process = selectors.process_for_edit(pk=pk)
    except Process.DoesNotExist as exc:
        raise Http404 from exc
    edition = _require_view(request, process.edition)
    editable = can_edit(request.user, edition)
    tree = selectors.process_tree(edition=edition)
    flat = [node.process for _m, nodes in tree for node in selectors.flatten(nodes)]
    ids = [p.pk for p in flat]
    index = ids.index(process.pk)
    steps = list(process.steps.all())
    context = {
        "process": process,
        "edition": edition,
        "manual": edition.manual,
        "can_edit": editable,
        "lists": _process_lists(request, process, editable),
        "previous": flat[index - 1] if index > 0 else None,
        "next": flat[index + 1] if index + 1 < len(flat) else None,
        **_step_context(request, process, steps=steps, editable=editable),
    }
    return render(request, "processes/editor.html", context)


@login_required
@require_GET
def step_table(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    _require_view(request, process)
    return render(request, "processes/_step_table.html", _step_context(request, process))


@login_required
@require_GET
def preview(request, pk: int):
    """Tables 3 and 5 of the process as they will print (Thai digits)."""
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    _require_view(request, process)
    process._number = selectors.process_number(process)
    steps = list(selectors.steps_for_process(process=process))
    return render(request, "processes/_preview.html", {"process": process, "steps": steps})


@login_required
@require_GET
def process_history(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual__agency"), pk=pk)
    edition = _require_view(request, process)
    process._number = selectors.process_number(process)
    return render(
        request,
        "processes/history.html",
        {
            "process": process,
            "edition": edition,
            "manual": edition.manual,
            "changes": selectors.process_history(process=process),
        },
    )


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
@require_POST
def flow_add(request, pk: int):
    """Add a decision branch / loop from a step (label + target step)."""
    step = _step_get(pk)
    require(request.user, EDIT, step)
    form = FlowForm(request.POST, source=step)
    if form.is_valid():
        try:
            services.flow_add(
                source=step,
                by=request.user,
                target=form.cleaned_data["target"],
                label=form.cleaned_data["label"].strip(),
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _partial(
                request, "processes/_flows.html", _flows_context(step), trigger=STEPS_CHANGED
            )
    return _partial(request, "processes/_flows.html", _flows_context(step, form=form), status=422)


@login_required
@require_POST
def flow_delete(request, pk: int):
    flow = get_object_or_404(Flow.objects.select_related("source__process__edition"), pk=pk)
    step = flow.source
    services.flow_delete(flow=flow, by=request.user)
    return _partial(request, "processes/_flows.html", _flows_context(step), trigger=STEPS_CHANGED)


@login_required
@require_GET
def duration_check(request):
    """The parsed reading of a duration as the editor types it."""
    text = parse_text(request.GET.get("duration_text"))
    return render(
        request, "processes/_duration.html", {"duration": parse_duration(text), "text": text}
    )


# --- legal references -----------------------------------------------------------------------------


def _legal_context(request, process, **extra) -> dict:
    kind = ROW_KINDS["legal"]
    return {**_list_context(request, kind, process), **extra}


@login_required
@require_GET
def legal_search(request, pk: int):
    """Thai-aware autocomplete over the shared legal library."""
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    _require_view(request, process)
    query = parse_text(request.GET.get("q"))
    results = selectors_legal_search(query)
    return render(
        request,
        "processes/_legal_results.html",
        {
            "results": results,
            "query": query,
            "process": process,
            "cited": set(process.legal_requirements.values_list("reference_id", flat=True)),
        },
    )


def selectors_legal_search(query: str):
    from manuals.selectors import legal_reference_search

    return legal_reference_search(query=query)


@login_required
@require_POST
def legal_add(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    require(request.user, EDIT, process)
    form = LegalAddForm(request.POST)
    if form.is_valid():
        try:
            manual_services.legal_requirement_add(
                process=process,
                by=request.user,
                reference=form.cleaned_data["reference"],
                clause_note=form.cleaned_data["clause_note"],
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _partial(request, "processes/_legal.html", _legal_context(request, process))
    context = _legal_context(request, process, legal_errors=_flat_errors(form))
    return _partial(request, "processes/_legal.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def legal_new(request, pk: int):
    """GET: the form for a law not in the library (opened on demand); POST: add it to the
    library (an existing spelling is reused) and cite it."""
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    require(request.user, EDIT, process)
    if request.method == "GET":
        context = {"parent": process, "legal_new_form": LegalNewForm()}
        return render(request, "processes/_legal_new.html", context)
    form = LegalNewForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                reference = manual_services.legal_reference_get_or_create(
                    text=form.cleaned_data["text"],
                    kind=form.cleaned_data["kind"],
                    by=request.user,
                    process=process,
                )
                manual_services.legal_requirement_add(
                    process=process,
                    by=request.user,
                    reference=reference,
                    clause_note=form.cleaned_data["clause_note"],
                )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _partial(request, "processes/_legal.html", _legal_context(request, process))
    context = _legal_context(request, process, legal_new_form=form, legal_errors=_flat_errors(form))
    return _partial(request, "processes/_legal.html", context, status=422)


def _flat_errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]
