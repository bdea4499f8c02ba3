"""The search page, its navbar suggestions, and the curated libraries (laws, forms, lanes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manuals.models import LegalReference
from manuals.permissions import require
from manuals.selectors import agency_tree
from search.export import citations_csv, citations_xlsx
from search.forms import SearchForm, parse_int
from search.library import (
    forms_across_manuals,
    lanes_across_manuals,
    law_page,
    legal_library,
    manuals_citing,
)
from search.selectors import search_manuals
from search.services import CURATE, legal_reference_mark, legal_reference_merge
from search.text import clean_query


@login_required
@require_GET
def search(request):
    """Lets anyone signed in search every manual they may read: /search/?q=…"""
    form = SearchForm(request.GET)
    result = search_manuals(user=request.user, raw_query=form.query(), filters=form.filters())
    return render(
        request,
        "search/search.html",
        {"form": form, "result": result, "tree": agency_tree(), "filters": form.filters()},
    )


@login_required
@require_GET
def suggest(request):
    """The navbar's results as you type (HTMX): the first few hits, no filters."""
    form = SearchForm(request.GET)
    result = search_manuals(user=request.user, raw_query=form.query(), limit=8)
    return render(request, "search/_suggest.html", {"result": result, "q": form.query()})


# --- the curated legal library ------------------------------------------------------------------


def _law_or_404(pk: int) -> LegalReference:
    return get_object_or_404(
        LegalReference.objects.select_related("replaced_by", "merged_into"), pk=pk
    )


@login_required
@require_GET
def laws(request):
    """The shared legal library with how often each law is cited."""
    query = clean_query(request.GET.get("q"))
    status = request.GET.get("status") or ""
    return render(
        request,
        "search/laws.html",
        {
            "laws": legal_library(query=query, status=status),
            "q": query,
            "status": status,
            "statuses": LegalReference.Status.choices,
            "can_curate": request.user.has_perm(CURATE),
        },
    )


@login_required
@require_GET
def law(request, pk: int):
    """One law: every citation (manual, process, clause), counts, and the planners' tools."""
    entry = _law_or_404(pk)
    if entry.merged_into_id:
        return redirect("search:law", pk=entry.merged_into_id)
    return _law_response(request, entry)


def _law_response(request, entry, *, errors=None, status=200):
    can_curate = request.user.has_perm(CURATE)
    others = (
        LegalReference.objects.filter(merged_into__isnull=True)
        .exclude(pk=entry.pk)
        .order_by("title")
        if can_curate
        else []
    )
    return render(
        request,
        "search/law.html",
        {
            "page": law_page(law=entry),
            "law": entry,
            "others": others,
            "statuses": LegalReference.Status.choices,
            "can_curate": can_curate,
            "errors": errors or [],
        },
        status=status,
    )


def _other_law(request, name: str) -> LegalReference | None:
    pk = parse_int(request.POST.get(name))
    return LegalReference.objects.filter(pk=pk).first() if pk else None


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@login_required
@require_POST
def law_merge(request, pk: int):
    """Merge another entry (a duplicate spelling) into this one."""
    entry = _law_or_404(pk)
    require(request.user, CURATE)
    duplicate = _other_law(request, "duplicate")
    if duplicate is None:
        return _law_response(request, entry, errors=[_("กรุณาเลือกรายการที่ซ้ำกัน")], status=400)
    try:
        legal_reference_merge(survivor=entry, duplicate=duplicate, by=request.user)
    except ValidationError as exc:
        return _law_response(request, entry, errors=_errors(exc), status=400)
    messages.success(request, _("รวม “%(old)s” เข้ากับรายการนี้แล้ว") % {"old": duplicate.citation})
    return redirect("search:law", pk=entry.pk)


@login_required
@require_POST
def law_mark(request, pk: int):
    """Record that the law is in force, amended, or replaced by a newer one."""
    entry = _law_or_404(pk)
    require(request.user, CURATE)
    try:
        legal_reference_mark(
            reference=entry,
            by=request.user,
            status=str(request.POST.get("status") or ""),
            replaced_by=_other_law(request, "replaced_by"),
            note=clean_query(request.POST.get("note")),
        )
    except ValidationError as exc:
        return _law_response(request, entry, errors=_errors(exc), status=400)
    messages.success(request, _("บันทึกสถานะของกฎหมายแล้ว"))
    return redirect("search:law", pk=entry.pk)


@login_required
@require_GET
def law_export(request, pk: int):
    """The manuals still citing this law (drafts by default; ?all=1 every edition)."""
    entry = _law_or_404(pk)
    require(request.user, CURATE)
    citations = manuals_citing(law=entry, only_open=request.GET.get("all") != "1")
    name = f"law-{entry.pk}-citations"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            citations_xlsx(citations),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(citations_csv(citations), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_GET
def forms_library(request):
    """Every form across manuals: where each is used, under which spellings."""
    query = clean_query(request.GET.get("q"))
    return render(
        request,
        "search/usage.html",
        {
            "rows": forms_across_manuals(query=query),
            "q": query,
            "title": _("แบบฟอร์มที่ใช้ในคู่มือทุกเล่ม"),
            "what": _("แบบฟอร์ม"),
        },
    )


@login_required
@require_GET
def lanes_library(request):
    """Every position / unit named as an actor across manuals, so editors reuse the names."""
    query = clean_query(request.GET.get("q"))
    return render(
        request,
        "search/usage.html",
        {
            "rows": lanes_across_manuals(query=query),
            "q": query,
            "title": _("ตำแหน่งและหน่วยงานผู้ปฏิบัติในคู่มือทุกเล่ม"),
            "what": _("ผู้ปฏิบัติ"),
        },
    )
