"""Downloads in the formats other tools read (Word, JSON, BPMN) and the JSON import page."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.thai import thai_digits
from flowcharts.selectors import process_for_chart
from interop.bpmn import process_bpmn
from interop.errors import ImportRejected, check_size
from interop.models import DocxExport
from interop.selectors import edition_export_json
from interop.services import docx_request, edition_import_json, process_import_bpmn
from manuals.models import Edition, Manual
from manuals.permissions import is_admin, require
from processes.models import Process

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(response, name: str, fallback: str):
    """A Thai file name (RFC 5987) with an ASCII fallback for old clients."""
    name = name.replace("/", "-").replace("\\", "-")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _edition(request, pk: int) -> Edition:
    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)
    require(request.user, "manuals.view_edition", edition)
    return edition


def _docx_for(request, pk: int) -> DocxExport:
    export = get_object_or_404(DocxExport.objects.select_related("edition__manual__agency"), pk=pk)
    require(request.user, "manuals.view_edition", export.edition)
    return export


@login_required
@require_POST
def docx_export(request, pk: int):
    """Queue (or reuse) the Word file of an edition; HTMX gets the progress fragment."""
    edition = _edition(request, pk)
    export = docx_request(edition=edition, by=request.user)
    if request.htmx:
        return render(request, "interop/_docx_status.html", {"export": export})
    return redirect("interop:docx_detail", pk=export.pk)


@login_required
@require_GET
def edition_docx(request, pk: int):
    """The edition's Word file: handed out at once when one of the current content is made,
    else its making is queued and the progress page shows (then the download)."""
    edition = _edition(request, pk)
    export = docx_request(edition=edition, by=request.user)
    if export.status == DocxExport.Status.DONE:
        return _docx_file(export)
    return redirect("interop:docx_detail", pk=export.pk)


@login_required
@require_GET
def docx_status(request, pk: int):
    """The progress fragment; it polls itself every second until the file is made."""
    return render(request, "interop/_docx_status.html", {"export": _docx_for(request, pk)})


@login_required
@require_GET
def docx_detail(request, pk: int):
    """A plain page with the progress of one Word export (a link or a POST without HTMX)."""
    return render(request, "interop/docx_detail.html", {"export": _docx_for(request, pk)})


@login_required
@require_GET
def docx_download(request, pk: int):
    """The finished Word file, named in Thai."""
    export = _docx_for(request, pk)
    if export.status != DocxExport.Status.DONE or not export.file:
        raise Http404
    return _docx_file(export)


def _docx_file(export: DocxExport):
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    edition = export.edition
    return _attachment(
        FileResponse(handle, content_type=DOCX_TYPE),
        f"คู่มือการปฏิบัติงาน {edition.manual.agency.name} พ.ศ. {edition.year_be}.docx",
        f"manual-{edition.manual.slug}-{edition.year_be}.docx",
    )


@login_required
@require_GET
def edition_json(request, pk: int):
    """The whole edition as JSON, to back it up or move it to another server."""
    edition = _edition(request, pk)
    doc = edition_export_json(edition=edition)
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False, indent=1), content_type="application/json"
    )
    return _attachment(
        response,
        f"คู่มือ {edition.manual.agency.name} พ.ศ. {edition.year_be}.json",
        f"manual-{edition.manual.slug}-{edition.year_be}.json",
    )


def _process(request, pk: int):
    try:
        process = process_for_chart(pk=pk)
    except Process.DoesNotExist as exc:
        raise Http404(_("ไม่พบกระบวนการนี้")) from exc
    require(request.user, "manuals.view_edition", process.edition)
    return process


@login_required
@require_GET
def process_bpmn_download(request, pk: int):
    """The process as BPMN 2.0 XML, laid out as our chart, for bpmn.io / Camunda / Signavio."""
    process = _process(request, pk)
    response = HttpResponse(process_bpmn(process), content_type="application/xml")
    return _attachment(
        response,
        f"กระบวนการ {thai_digits(process.number)} {process.name}.bpmn",
        f"process-{process.number}.bpmn",
    )


def _upload(request) -> bytes | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    check_size(upload.size)
    return upload.read()


@login_required
@require_http_methods(["GET", "POST"])
def process_bpmn_import(request, pk: int):
    """Lets a unit editor replace a draft process's steps with those of a BPMN file."""
    process = _process(request, pk)
    error = None
    if request.method == "POST":
        try:
            data = _upload(request)
            if data is None:
                error = _("กรุณาเลือกไฟล์")
            else:
                process_import_bpmn(process=process, data=data, by=request.user)
                messages.success(request, _("นำเข้าขั้นตอนจากไฟล์ BPMN แล้ว"))
                return redirect("flowcharts:process_page", pk=process.pk)
        except ImportRejected as exc:
            error = str(exc)
    return render(
        request,
        "interop/bpmn_import.html",
        {
            "process": process,
            "error": error,
            "title": thai_digits(f"{process.number} {process.name}"),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def manual_import_json(request):
    """Lets an admin bring a whole-manual JSON file in as a new manual, or an editor as the
    next draft of a manual of their unit."""
    manuals = [
        m
        for m in Manual.objects.select_related("agency")
        if request.user.has_perm("manuals.start_revision", m)
    ]
    error = None
    if request.method == "POST":
        manual = None
        key = request.POST.get("manual") or ""
        if key:
            manual = next((m for m in manuals if str(m.pk) == key), None)
            if manual is None:
                error = _("ไม่พบคู่มือที่เลือก")
        if error is None:
            try:
                data = _upload(request)
                if data is None:
                    error = _("กรุณาเลือกไฟล์")
                else:
                    edition = edition_import_json(
                        data=data,
                        manual=manual,
                        slug=(request.POST.get("slug") or "").strip() or None,
                        by=request.user,
                    )
                    messages.success(request, _("นำเข้าคู่มือแล้ว"))
                    return redirect(edition.get_absolute_url())
            except ImportRejected as exc:
                error = str(exc)
    return render(
        request,
        "interop/json_import.html",
        {"manuals": manuals, "error": error, "can_create": is_admin(request.user)},
        status=400 if error else 200,
    )
