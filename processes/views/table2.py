"""Edition- and process-level lists (Table 1 missions, Table 2 lists, lanes, back matter)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manuals import services as manual_services
from manuals.models import Edition
from manuals.permissions import can_edit, require
from processes import services
from processes.forms import EDITION_LISTS, ROW_KINDS, LaneMergeForm, MoveForm
from processes.models import Process
from processes.views.common import (
    EDIT,
    _edition_of,
    _errors_into,
    _list_context,
    _partial,
    _require_view,
    _save_versioned,
)


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
