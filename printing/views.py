"""The "ส่งออก PDF" button, its progress bar and the download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.storage import serve_file
from manuals.models import Edition
from manuals.permissions import require
from printing.models import PdfExport
from printing.selectors import export_get
from printing.services import ExportLimitError, export_request


def _export_for(request, pk: int) -> PdfExport:
    try:
        export = export_get(export_id=pk)
    except PdfExport.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, "manuals.view_edition", export.edition)
    return export


@login_required
@require_POST
def export(request, pk: int):
    """Queue (or reuse) the PDF of an edition; HTMX gets the progress fragment."""
    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)
    try:
        pdf = export_request(edition=edition, by=request.user)
    except ExportLimitError as exc:
        if request.htmx:
            return render(request, "printing/_refused.html", {"message": exc.messages[0]})
        messages.error(request, exc.messages[0])
        return redirect("manuals:edition", pk=edition.pk)
    if request.htmx:
        return render(request, "printing/_status.html", {"export": pdf})
    return redirect("printing:detail", pk=pdf.pk)


@login_required
@require_GET
def status(request, pk: int):
    """The progress fragment; it polls itself every second until the export is finished."""
    return render(request, "printing/_status.html", {"export": _export_for(request, pk)})


@login_required
@require_GET
def detail(request, pk: int):
    """A plain page with the progress of one export (for a POST without HTMX)."""
    return render(request, "printing/detail.html", {"export": _export_for(request, pk)})


def download_name(export: PdfExport) -> str:
    edition = export.edition
    return f"คู่มือการปฏิบัติงาน {edition.manual.agency.name} พ.ศ. {edition.year_be}.pdf"


@login_required
@require_GET
def download(request, pk: int):
    """The finished PDF, named in Thai (RFC 5987 filename*, with an ASCII fallback)."""
    pdf = _export_for(request, pk)
    if pdf.status != PdfExport.Status.DONE or not pdf.file:
        raise Http404
    return serve_file(
        pdf.file,
        filename=download_name(pdf),
        fallback=f"manual-{pdf.edition.manual.slug}-{pdf.edition.year_be}.pdf",
        content_type="application/pdf",
    )
