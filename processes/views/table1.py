"""Table 1: the missions page and a process's own Table 1 row edited in place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from manuals.models import Edition
from manuals.permissions import can_edit, require
from processes import selectors, services
from processes.forms import ROW_KINDS, ProcessForm
from processes.models import Process
from processes.views.common import (
    EDIT,
    STEPS_CHANGED,
    _list_context,
    _partial,
    _require_view,
    _save_versioned,
)
from processes.views.tree import _tree_context


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
