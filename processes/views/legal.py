"""Legal references of a process: search the shared library, cite, add a new law."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.params import parse_text
from manuals import services as manual_services
from manuals.permissions import require
from manuals.selectors import legal_reference_search
from processes import services
from processes.forms import ROW_KINDS, LegalAddForm, LegalNewForm
from processes.models import Process
from processes.views.common import (
    EDIT,
    _errors_into,
    _flat_errors,
    _list_context,
    _partial,
    _require_view,
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
    return legal_reference_search(query=query)


@login_required
@require_POST
def legal_add(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    require(request.user, EDIT, process)
    form = LegalAddForm(request.POST)
    if form.is_valid():
        try:
            services.legal_requirement_add(
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
                services.legal_requirement_add(
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
