"""The process tree of Table 1: add, move, delete a process (renumbering follows)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.params import parse_int
from manuals.permissions import can_edit, require
from processes import selectors, services
from processes.forms import ROW_KINDS, MoveForm, ProcessCreateForm
from processes.models import Mission, Process
from processes.views.common import EDIT, _partial

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
    context = _tree_context(request, edition)
    if errors:
        # shown under the name field that was sent (the mission's or a sub-process's form)
        context["create_error"] = {
            "mission": mission.pk,
            "parent": parse_int(request.POST.get("parent")),
            "messages": errors,
            "name": request.POST.get("name", "")[:300],
        }
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
