"""Downloads in the formats other tools read (Word, JSON, BPMN) and the JSON import page."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from interop.docx_export import manual_docx
from interop.selectors import edition_export_json
from manuals.models import Edition
from manuals.permissions import require

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(response: HttpResponse, name: str, fallback: str) -> HttpResponse:
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


@login_required
@require_GET
def edition_docx(request, pk: int):
    """The printed manual as a Word file, for a clerk to edit or circulate."""
    edition = _edition(request, pk)
    data = manual_docx(edition_id=edition.pk)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    return _attachment(
        response,
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
