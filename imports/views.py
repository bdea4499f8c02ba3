"""The import pages: upload a manual with its progress bar and report, remove unplaced text,
paste a table into a process. Thin views over ``imports.uploads``, ``imports.paste`` and
``imports.unplaced``; every refusal is a Thai message on a page that stays usable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.params import parse_int
from core.thai import thai_number, ui_digits
from imports import paste as paste_services
from imports.forms import PasteForm, UploadForm
from imports.models import ImportRun, UnplacedText
from imports.report import import_report
from imports.unplaced import unplaced_delete as unplaced_delete_service
from imports.unplaced import unplaced_for_edition
from imports.uploads import (
    UploadRefused,
    import_request,
    import_targets,
    max_upload_bytes,
    run_progress,
)
from manuals.permissions import can_edit, is_admin, require
from processes.models import Process

EDIT = "manuals.edit_edition"
VIEW = "manuals.view_edition"


# --- upload, progress, report -----------------------------------------------------------------


def _initial_target(request, targets) -> str:
    slug = request.GET.get("manual") or ""
    manual = next((m for m in targets.manuals if m.slug == slug), None)
    return f"manual:{manual.pk}" if manual else ""


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """Lets a unit editor bring a manual they have as a file (Word, PDF, text, JSON) in as a
    new manual of their unit or the next draft of one; the import runs in the background."""
    targets = import_targets(user=request.user)
    error = None
    form = UploadForm(targets=targets, initial_target=_initial_target(request, targets))
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > max_upload_bytes() + 1024 * 1024:
            # refused before Django reads the body into a temporary file
            error = str(
                UploadRefused(
                    _("ไฟล์ใหญ่เกินไป ระบบรับไฟล์ได้ไม่เกิน %(limit)s เมกะไบต์")
                    % {"limit": thai_number(max_upload_bytes() // (1024 * 1024), grouping=True)}
                )
            )
        else:
            form = UploadForm(request.POST, request.FILES, targets=targets)
            if form.is_valid():
                agency, manual = form.target_objects()
                try:
                    run = import_request(
                        upload=form.cleaned_data["file"],
                        agency=agency,
                        manual=manual,
                        by=request.user,
                    )
                except UploadRefused as exc:
                    error = str(exc)
                else:
                    return redirect("imports:run", pk=run.pk)
    recent = ImportRun.objects.filter(created_by=request.user).select_related("edition")[:5]
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "error": error,
            "targets": targets,
            "recent": recent,
            "limit_mb": max_upload_bytes() // (1024 * 1024),
        },
        status=400 if (error or form.errors) else 200,
    )


def _run_for(request, pk: int) -> ImportRun:
    """A run its importer, an admin, or a reader of the resulting edition may see."""
    run = get_object_or_404(
        ImportRun.objects.select_related("edition__manual__agency", "agency", "created_by"),
        pk=pk,
    )
    user = request.user
    if run.created_by_id == user.pk or is_admin(user):
        return run
    if run.edition is not None and user.has_perm(VIEW, run.edition):
        return run
    raise PermissionDenied(_("คุณไม่มีสิทธิ์เปิดดูการนำเข้านี้"))


def _run_context(run: ImportRun) -> dict:
    percent, stage = run_progress(run)
    return {"run": run, "percent": percent, "stage": stage}


@login_required
@require_GET
def run_detail(request, pk: int):
    """The progress of one import; when it is done, its report."""
    run = _run_for(request, pk)
    context = _run_context(run)
    if run.status == ImportRun.Status.DONE:
        context["report"] = import_report(run=run)
        context["can_edit"] = run.edition is not None and can_edit(request.user, run.edition)
    return render(request, "imports/run.html", context)


@login_required
@require_GET
def run_status(request, pk: int):
    """The progress fragment; it polls itself every second and reloads the page when done."""
    run = _run_for(request, pk)
    response = render(request, "imports/_status.html", _run_context(run))
    if run.status == ImportRun.Status.DONE and request.htmx:
        response["HX-Refresh"] = "true"
    return response


# --- unplaced text ----------------------------------------------------------------------------


@login_required
@require_POST
def unplaced_delete(request, pk: int):
    """Remove one unplaced text; HTMX swaps the item out (and updates the count)."""
    item = get_object_or_404(UnplacedText.objects.select_related("edition"), pk=pk)
    require(request.user, VIEW, item.edition)
    try:
        unplaced_delete_service(item=item, by=request.user)
    except ValidationError as exc:  # a frozen edition
        raise PermissionDenied(" ".join(exc.messages)) from exc
    if request.htmx:
        response = HttpResponse("")
        response["HX-Trigger"] = "unplaced-changed"
        return response
    return redirect(request.POST.get("next") or item.edition.get_absolute_url())


def _edition_for_view(request, pk: int):
    from manuals.models import Edition

    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)
    require(request.user, VIEW, edition)
    return edition


@login_required
@require_GET
def unplaced_list(request, pk: int):
    """Every unplaced text of an edition, in source order, each removable by its editor."""
    edition = _edition_for_view(request, pk)
    items = unplaced_for_edition(edition=edition)
    return render(
        request,
        "imports/unplaced.html",
        {
            "edition": edition,
            "manual": edition.manual,
            "items": items,
            "total": len(items),
            "can_edit": can_edit(request.user, edition),
        },
    )


@login_required
@require_GET
def unplaced_count(request, pk: int):
    """The number of unplaced texts of an edition or one of its processes (the badge)."""
    edition = _edition_for_view(request, pk)
    rows = UnplacedText.objects.filter(edition=edition)
    process = parse_int(request.GET.get("process"))
    if process is not None:
        rows = rows.filter(process_id=process)
    return HttpResponse(ui_digits(rows.count()))


# --- paste a table --------------------------------------------------------------------------


def _process_for_paste(request, pk: int) -> Process:
    process = get_object_or_404(Process.objects.select_related("edition__manual__agency"), pk=pk)
    require(request.user, EDIT, process)
    return process


def _paste_error(request, process, form, message: str, status: int = 422):
    return render(
        request,
        "imports/_paste_preview.html",
        {"process": process, "form": form, "error": message},
        status=status,
    )


@login_required
@require_POST
def paste_preview(request, pk: int):
    """The rows of a pasted table as steps, with a field chosen for each column."""
    process = _process_for_paste(request, pk)
    form = PasteForm(request.POST)
    if not form.is_valid():
        return _paste_error(request, process, form, " ".join(sum(form.errors.values(), [])))
    try:
        preview = paste_services.paste_preview(
            html=form.cleaned_data["paste_html"],
            text=form.cleaned_data["paste_text"],
            mapping=form.mapping(),
        )
    except paste_services.PasteRefused as exc:
        return _paste_error(request, process, form, str(exc))
    return render(
        request,
        "imports/_paste_preview.html",
        {
            "process": process,
            "form": form,
            "preview": preview,
            "fields": paste_services.PASTE_FIELDS,
            "columns": _columns(preview),
        },
    )


def _columns(preview) -> list[dict]:
    header = preview.header or [""] * preview.width
    return [
        {"index": i, "header": header[i] if i < len(header) else "", "field": name}
        for i, name in enumerate(preview.mapping)
    ]


@login_required
@require_POST
def paste_add(request, pk: int):
    """Add every pasted row as a step at the end of the process (one transaction)."""
    process = _process_for_paste(request, pk)
    form = PasteForm(request.POST)
    if not form.is_valid():
        return _paste_error(request, process, form, " ".join(sum(form.errors.values(), [])))
    try:
        steps = paste_services.paste_add(
            process=process,
            by=request.user,
            html=form.cleaned_data["paste_html"],
            text=form.cleaned_data["paste_text"],
            mapping=form.mapping(),
        )
    except paste_services.PasteRefused as exc:
        return _paste_error(request, process, form, str(exc))
    except ValidationError as exc:
        return _paste_error(request, process, form, " ".join(exc.messages))
    if not request.htmx:
        return redirect(reverse("processes:editor", args=[process.pk]) + "#steps")
    response = render(
        request, "imports/_paste_done.html", {"process": process, "count": len(steps)}
    )
    response["HX-Trigger"] = "steps-changed, paste-added"
    return response
